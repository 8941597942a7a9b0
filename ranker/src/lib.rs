//! The recommendation ranker: features, training and prediction live here once built.
