//! Fitness levels and exercise difficulties are one three-step scale; these put them side by side.

use subgraph_common::vocab::{Difficulty, FitnessLevel};

/// 0 for beginners, 1 for intermediates, 2 for advanced users.
pub fn level_rank(level: FitnessLevel) -> u8 {
    match level {
        FitnessLevel::Beginner => 0,
        FitnessLevel::Intermediate => 1,
        FitnessLevel::Advanced => 2,
    }
}

/// 0 for beginner exercises, 1 for intermediate, 2 for advanced ones.
pub fn difficulty_rank(difficulty: Difficulty) -> u8 {
    match difficulty {
        Difficulty::Beginner => 0,
        Difficulty::Intermediate => 1,
        Difficulty::Advanced => 2,
    }
}

/// The difficulty that matches a level exactly.
pub fn difficulty_for(level: FitnessLevel) -> Difficulty {
    match level {
        FitnessLevel::Beginner => Difficulty::Beginner,
        FitnessLevel::Intermediate => Difficulty::Intermediate,
        FitnessLevel::Advanced => Difficulty::Advanced,
    }
}

/// Whether something of this difficulty is within a user's level.
pub fn within_level(difficulty: Difficulty, level: FitnessLevel) -> bool {
    difficulty_rank(difficulty) <= level_rank(level)
}

/// How many steps a difficulty lies from a level, in either direction.
pub fn distance(difficulty: Difficulty, level: FitnessLevel) -> u8 {
    difficulty_rank(difficulty).abs_diff(level_rank(level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_matches_its_own_difficulty() {
        for level in FitnessLevel::ALL {
            let difficulty = difficulty_for(*level);
            assert_eq!(difficulty.as_str(), level.as_str());
            assert_eq!(distance(difficulty, *level), 0);
        }
    }

    #[test]
    fn a_level_allows_its_own_difficulty_and_below() {
        assert!(within_level(Difficulty::Beginner, FitnessLevel::Beginner));
        assert!(!within_level(
            Difficulty::Intermediate,
            FitnessLevel::Beginner
        ));
        assert!(within_level(
            Difficulty::Intermediate,
            FitnessLevel::Advanced
        ));
        assert!(!within_level(
            Difficulty::Advanced,
            FitnessLevel::Intermediate
        ));
        assert_eq!(distance(Difficulty::Beginner, FitnessLevel::Advanced), 2);
    }
}
