//! Identities and random streams derived from the run's seed, so the same seed and
//! position always name the same row and draw the same numbers: a rerun finds what an
//! earlier run wrote and skips it, whatever order the work happens in.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::simulate::population::mix;

/// What an id or a random stream is for; part of every hash, so two kinds never collide.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    User = 1,
    Reading = 2,
    Workout = 3,
    SetLog = 4,
    Rating = 5,
    /// The draws that make up one person.
    Person = 6,
    /// The draws of one person's day.
    Day = 7,
    /// The bytes that tell this run's completion ids apart from another run's.
    Completions = 8,
}

/// A UUID of version 8 ("custom": its bits come from a hash, neither a clock nor
/// randomness) naming `kind` at `parts` under `seed`. Two independently salted
/// 64-bit hashes fill it, so collisions are as unlikely as between random ids.
pub fn id(seed: u64, kind: Kind, parts: &[u64]) -> Uuid {
    let high = hash(seed, kind, 0x9e37_79b9_7f4a_7c15, parts);
    let low = hash(seed, kind, 0xd1b5_4a32_d192_ed03, parts);
    let mut bytes = [0_u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// An independent random stream for `kind` at `parts` under `seed`.
pub fn stream(seed: u64, kind: Kind, parts: &[u64]) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(hash(seed, kind, 0x2545_f491_4f6c_dd1d, parts))
}

fn hash(seed: u64, kind: Kind, salt: u64, parts: &[u64]) -> u64 {
    let start = mix(mix(seed, salt), kind as u64);
    parts.iter().fold(start, |state, part| mix(state, *part))
}

/// Completion ids as the feedback subgraph mints them: UUID v7, whose order is the order
/// the `trainingOutcomes` feed lists completions in. Every id of a run carries the same
/// millisecond and a counter, so they sort in the order they were minted (by any thread).
pub struct CompletionIds {
    millis: u64,
    run: [u8; 4],
    next: AtomicU64,
}

impl CompletionIds {
    /// Ids at `millis` (Unix milliseconds), told apart from other runs by `seed`.
    pub fn at(millis: u64, seed: u64) -> CompletionIds {
        let run = hash(seed, Kind::Completions, millis, &[]).to_be_bytes();
        CompletionIds {
            millis,
            run: [run[0], run[1], run[2], run[3]],
            next: AtomicU64::new(0),
        }
    }

    pub fn mint(&self) -> Uuid {
        let next = self.next.fetch_add(1, Ordering::Relaxed);
        let mut bytes = [0_u8; 10];
        bytes[..4].copy_from_slice(&self.run);
        // The last six bytes escape the version and variant bits the builder sets.
        bytes[4..].copy_from_slice(&next.to_be_bytes()[2..]);
        uuid::Builder::from_unix_timestamp_millis(self.millis, &bytes).into_uuid()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_depend_on_seed_kind_and_parts_only() {
        let first = id(7, Kind::User, &[3]);
        assert_eq!(first, id(7, Kind::User, &[3]));
        assert_eq!(first.get_version_num(), 8);
        assert_ne!(first, id(8, Kind::User, &[3]));
        assert_ne!(first, id(7, Kind::Workout, &[3]));
        assert_ne!(first, id(7, Kind::User, &[4]));
        assert_ne!(id(7, Kind::User, &[1, 2]), id(7, Kind::User, &[2, 1]));
    }

    #[test]
    fn completion_ids_are_v7_in_minting_order_at_their_instant() {
        let ids = CompletionIds::at(1_700_000_000_000, 7);
        let minted: Vec<Uuid> = (0..300).map(|_| ids.mint()).collect();
        assert!(minted.windows(2).all(|pair| pair[0] < pair[1]));
        let (seconds, _) = minted[0]
            .get_timestamp()
            .expect("a v7 id carries its instant")
            .to_unix();
        assert_eq!(seconds, 1_700_000_000);
        assert_eq!(minted[0].get_version_num(), 7);
    }
}
