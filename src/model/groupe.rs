//! Groups of the majority (binômes, groups of 3–4) and the one rule that names who leads each.
//!
//! Every stage that needs "the group's chef·fe de file" (the analysis and its D007, the
//! indemnités weight `bonus_animation`, the optimiser's leader who receives the units, the
//! lettres de mission) reads [`Groupe::chef`] from here, so that no two outputs can name two
//! different leads for one group.

use super::{Elu, Fonction, Scenario};
use serde::Serialize;

/// One group of the majority, built from the `groupe` column of `elus.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Groupe {
    /// Group id, as written in `elus.csv`.
    pub id: String,
    /// Members (indices in [`Scenario::elus`]), the lead first, then input order.
    pub membres: Vec<usize>,
    /// Members who may lead it ([`peut_animer`]), lowest rank first, then input order.
    pub candidats_chef: Vec<usize>,
    /// The lead: the first of [`Groupe::candidats_chef`], if any.
    pub chef: Option<usize>,
    /// True when the lead holds a transversal axis (a transversal group).
    pub transversal: bool,
}

/// True for an élu·e who may lead a group: an adjoint·e who is neither adjoint·e de quartier nor
/// maire délégué·e (they are members of a thematic group, as the pacte asks, not its lead).
pub fn peut_animer(e: &Elu) -> bool {
    e.fonction == Fonction::Adjoint && e.quartier.is_none() && e.commune_deleguee.is_none()
}

impl Groupe {
    /// True when élu·e `e` is this group's lead.
    pub fn est_chef(&self, e: usize) -> bool {
        self.chef == Some(e)
    }
}

impl Scenario {
    /// The groups, by id. The lead of a group is, among the members who [`peut_animer`], the one
    /// of lowest rank in the tableau (`rang`), ties and missing ranks broken by input order; a
    /// group with several candidates still gets one lead here, and the analysis raises D007.
    pub fn groupes_detail(&self) -> Vec<Groupe> {
        self.groupes()
            .into_iter()
            .map(|(id, membres)| {
                let mut candidats: Vec<usize> = membres
                    .iter()
                    .copied()
                    .filter(|&e| peut_animer(&self.elus[e]))
                    .collect();
                candidats.sort_by_key(|&e| (self.elus[e].rang.unwrap_or(u32::MAX), e));
                let chef = candidats.first().copied();
                let mut membres = membres;
                membres.sort_by_key(|&e| (Some(e) != chef, e));
                Groupe {
                    transversal: chef.is_some_and(|c| self.elus[c].est_transversal()),
                    id,
                    membres,
                    candidats_chef: candidats,
                    chef,
                }
            })
            .collect()
    }

    /// The lead of every group, by élu·e index → group id.
    pub fn chefs(&self) -> std::collections::BTreeMap<usize, String> {
        self.groupes_detail()
            .into_iter()
            .filter_map(|g| g.chef.map(|c| (c, g.id)))
            .collect()
    }
}
