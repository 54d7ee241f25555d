#![no_main]
//! The envelope reader on arbitrary bytes: must return Ok or Err, never panic or hang.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let buffers = sportello::envelope::Buffers::new();
    if let Ok(env) = sportello::envelope::open(data, &buffers) {
        for level in &env.levels {
            if let Some(content) = level.content {
                let _ = content.len();
            }
        }
    }
});
