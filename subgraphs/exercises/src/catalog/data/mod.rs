//! The hand-written base movements, grouped by body region and kind of training.

mod cardio;
mod flexibility;
mod legs;
mod power;
mod pull;
mod push;
mod trunk;

use super::model::Movement;

/// Every base movement, in the catalog's stable order.
pub(super) fn all() -> impl Iterator<Item = &'static Movement> {
    [
        legs::MOVEMENTS,
        push::MOVEMENTS,
        pull::MOVEMENTS,
        trunk::MOVEMENTS,
        power::MOVEMENTS,
        cardio::MOVEMENTS,
        flexibility::MOVEMENTS,
    ]
    .into_iter()
    .flatten()
}
