//! Locks (`verrous.csv`): choices the optimiser must keep, stated by the user.

use super::NodeIx;
use serde::Serialize;

/// What a lock pins to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SujetVerrou {
    /// A node of the organigramme: the unit holding it (or every unit under it) is led by the group.
    Noeud(NodeIx),
    /// An élu·e (index in [`crate::model::Scenario::elus`]) who must belong to the group.
    Elu(usize),
}

/// One row of `verrous.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verrou {
    /// The node or élu·e locked.
    pub sujet: SujetVerrou,
    /// Group identifier (a value of the `groupe` column of `elus.csv`).
    pub groupe: String,
    /// 1-based line in `verrous.csv`.
    pub ligne: usize,
}
