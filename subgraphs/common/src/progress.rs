//! Progress reporting for long work (seeding, imports). Libraries report through
//! this trait; the command line draws bars, tests and servers stay quiet.

pub trait Progress: Send + Sync {
    /// A new phase of `total` steps begins.
    fn start(&self, label: &str, total: u64);
    /// `steps` more steps are done.
    fn advance(&self, steps: u64);
    /// The current phase is over.
    fn finish(&self);
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _label: &str, _total: u64) {}
    fn advance(&self, _steps: u64) {}
    fn finish(&self) {}
}
