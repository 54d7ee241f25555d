//! The end of a batch: how many files got each verdict, and the ones that are not valid
//! with one line each saying why.

use crate::verify::{Indication, Report};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub indeterminate: usize,
    pub failed: usize,
    /// Files whose bytes could not be read (also counted as failed).
    pub unreadable: usize,
    /// (file, indication, one-line reason) of every file not TOTAL_PASSED, in list order.
    pub not_valid: Vec<(String, Indication, String)>,
}

impl Summary {
    pub fn add(&mut self, report: &Report, unreadable: bool, reason: String) {
        match report.indication {
            Indication::TotalPassed => self.passed += 1,
            Indication::Indeterminate => self.indeterminate += 1,
            Indication::TotalFailed => self.failed += 1,
        }
        if unreadable {
            self.unreadable += 1;
        }
        if report.indication != Indication::TotalPassed {
            self.not_valid
                .push((report.file.clone(), report.indication, reason));
        }
    }

    pub fn total(&self) -> usize {
        self.passed + self.indeterminate + self.failed
    }
}
