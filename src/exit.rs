//! Process exit codes of the command line and the screens: sysexits.h codes, which scripts
//! at the desk already know.

pub const OK: i32 = 0;
pub const FAILED: i32 = 1;
pub const INDETERMINATE: i32 = 2;
pub const USAGE: i32 = 64;
pub const NO_INPUT: i32 = 66;
pub const DATA_ERR: i32 = 65;
pub const UNAVAILABLE: i32 = 69;
pub const CANT_CREATE: i32 = 73;
pub const TEMP_FAIL: i32 = 75;
pub const NO_PERM: i32 = 77;
pub const CONFIG: i32 = 78;
pub const SOFTWARE: i32 = 70;
