//! Optimisation models (good_lp): one sub-module per model, each verified after every solve.

pub mod indemnites;
