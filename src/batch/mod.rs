//! Verifying many files at once: the folder walk, reading each file safely, the parallel
//! run in a stable order, and the summary. The judgement itself is `verify::verify_bytes`;
//! nothing here decides a verdict.

pub mod read;
pub mod run;
pub mod summary;
pub mod walk;

pub use run::{verify_all, verify_all_with, Done};
pub use summary::Summary;
pub use walk::{collect, Item};
