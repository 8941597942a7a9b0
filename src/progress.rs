//! Progress bars for long work on the command line.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use subgraph_common::Progress;

/// Draws one bar per phase on stderr (hidden when stderr is not a terminal, where
/// each phase is announced as a line instead).
#[derive(Default)]
pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
}

impl Progress for Bars {
    fn start(&self, label: &str, total: u64) {
        let bar = ProgressBar::new(total).with_message(label.to_owned());
        bar.set_style(
            ProgressStyle::with_template("{msg:24} [{bar:40}] {pos}/{len} ({eta})")
                .expect("the progress template is valid")
                .progress_chars("=> "),
        );
        if bar.is_hidden() {
            eprintln!("{label}: {total} steps");
        }
        self.replace(Some(bar));
    }

    fn advance(&self, steps: u64) {
        if let Some(bar) = self
            .current
            .lock()
            .expect("progress lock is never poisoned")
            .as_ref()
        {
            bar.inc(steps);
        }
    }

    fn finish(&self) {
        self.replace(None);
    }
}

impl Bars {
    fn replace(&self, next: Option<ProgressBar>) {
        let mut current = self
            .current
            .lock()
            .expect("progress lock is never poisoned");
        if let Some(done) = current.take() {
            done.finish();
        }
        *current = next;
    }
}
