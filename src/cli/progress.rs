//! The batch progress bar: files done, files per second and the verdicts so far. Drawn on
//! standard error and only when that is a terminal, so a pipe gets nothing but the report.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::batch::Summary;
use crate::i18n::{report_text as r, Lang};

pub struct Progress {
    bar: Option<ProgressBar>,
    lang: Lang,
}

impl Progress {
    /// A bar for `total` files; hidden off a terminal and for a single file.
    pub fn new(total: usize, lang: Lang) -> Self {
        let bar = (total > 1 && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(total as u64),
                ProgressDrawTarget::stderr_with_hz(8),
            );
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} file · {per_sec:.0} · {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, lang }
    }

    pub fn done(&self, summary: &Summary) {
        if let Some(bar) = &self.bar {
            let lang = self.lang;
            bar.set_message(format!(
                "{} {} · {} {} · {} {}",
                summary.passed,
                r::PROGRESS_VALID.get(lang),
                summary.failed,
                r::PROGRESS_INVALID.get(lang),
                summary.indeterminate,
                r::PROGRESS_TO_CHECK.get(lang)
            ));
            bar.inc(1);
        }
    }

    /// Runs `print` with the bar out of the way, so lines do not mix with it.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
