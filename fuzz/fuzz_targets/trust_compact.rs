//! The compact form of an imported Trusted List (trust/compact.rs): any bytes give a list
//! or an error, never a panic or a huge allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sportello::trust::compact::CompactList;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = CompactList::decode(data) {
        // What decodes re-encodes to the same bytes.
        assert_eq!(list.encode(), data);
        let _ = list.anchors();
    }
});
