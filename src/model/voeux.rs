//! Wishes (`voeux.csv`): in which group each movable élu·e would like to work, ranked 1 to 5.

use super::{Elu, Fonction, NodeIx, Role, Scenario};
use serde::Serialize;
use std::collections::BTreeSet;

/// Best and worst rank a wish may have (`rang` column of `voeux.csv`).
pub const RANGS_VOEUX: std::ops::RangeInclusive<u8> = 1..=5;

/// Rank counted for a placement the élu·e did not wish for (no wish names the group).
pub const RANG_SANS_VOEU: u8 = 6;

/// One row of `voeux.csv`, resolved against the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Voeu {
    /// Index of the élu·e in [`crate::model::Scenario::elus`].
    pub elu: usize,
    /// Group wished for (a value of the `groupe` column of `elus.csv`): the `choix` itself, or
    /// the group leading the node named by `choix` in the scenario as it stands
    /// ([`groupe_pilote`]); `optimise::voeux::resoudre` resolves it against any plan.
    pub groupe: String,
    /// `choix` as written (a group id or a node id).
    pub choix: String,
    /// The node named by `choix`, when it names a node: the wish means « the group that leads
    /// this node in the plan ».
    #[serde(skip)]
    pub noeud: Option<NodeIx>,
    /// Rank, 1 (first wish) to 5.
    pub rang: u8,
    /// 1-based line in `voeux.csv`.
    pub ligne: usize,
}

/// True for an élu·e whose group `collegia affecter` chooses: a conseiller·e délégué·e or an
/// adjoint·e de quartier (the adjoint·es who lead a group stay; maires délégué·es and adjoint·es
/// au maire délégué·e stay too: their délégations are those of their commune déléguée).
pub fn est_mobile(s: &Scenario, e: usize) -> bool {
    let elu = &s.elus[e];
    elu.fonction == Fonction::ConseillerDelegue || elu.est_adjoint_quartier()
}

/// True for an adjoint·e who may lead a group: neither de quartier nor maire délégué·e (the
/// definition of `analyse::groupes::est_chef_de_file`, restated here: model depends on nothing).
fn mene(e: &Elu) -> bool {
    e.fonction == Fonction::Adjoint && e.quartier.is_none() && e.commune_deleguee.is_none()
}

/// Groups that have an adjoint·e to lead them (neither de quartier nor maire délégué·e): the
/// groups an élu·e may be placed in.
pub fn groupes_menes(s: &Scenario) -> BTreeSet<String> {
    s.groupes()
        .into_iter()
        .filter(|(_, m)| m.iter().any(|&e| mene(&s.elus[e])))
        .map(|(g, _)| g)
        .collect()
}

/// The group leading a node: the nearest node on its path to the root (the node itself, else its
/// parent…) with a pilote délégation held by a member of a led group; among its pilotes, a
/// group's leading adjoint·e first, then the smallest group id.
pub fn groupe_pilote(s: &Scenario, noeud: NodeIx) -> Option<String> {
    let menes = groupes_menes(s);
    let chemin = std::iter::once(noeud).chain(s.organigramme.ancetres(noeud));
    for n in chemin {
        let mut candidats: Vec<(bool, String)> = s
            .delegations
            .iter()
            .filter(|d| d.noeud == n && d.role == Role::Pilote)
            .filter_map(|d| {
                let e = &s.elus[d.elu];
                let g = e.groupe.clone().filter(|g| menes.contains(g))?;
                Some((!mene(e), g))
            })
            .collect();
        candidats.sort();
        if let Some((_, g)) = candidats.into_iter().next() {
            return Some(g);
        }
    }
    None
}
