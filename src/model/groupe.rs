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
    /// The lead: the member declared `chef_de_file = oui`, else the first of
    /// [`Groupe::candidats_chef`] not declared `non`, if any.
    pub chef: Option<usize>,
    /// How the lead was chosen.
    pub choix_chef: ChoixChef,
    /// True when the lead holds a transversal axis (a transversal group).
    pub transversal: bool,
}

/// How a group's lead was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoixChef {
    /// Declared in `elus.csv` (`chef_de_file = oui`).
    Declare,
    /// By the default rule: the candidate of lowest rank, then input order.
    Regle,
    /// No lead: no member is declared and none may lead.
    Aucun,
}

/// The default rule, as users read it (findings, documentation).
pub const REGLE_CHEF: &str = "à défaut de chef·fe de file déclaré·e (colonne chef_de_file de elus.csv), l'adjoint·e thématique ou transversal·e du groupe de plus petit rang au tableau, puis le premier ou la première dans elus.csv";

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
    /// The groups, by id. The lead of a group is, first, the member declared `chef_de_file = oui`
    /// (ingest guarantees at most one per group, E041), whatever their function: the council's
    /// declaration wins. Otherwise (the documented default rule, [`REGLE_CHEF`]) it is, among the
    /// members who [`peut_animer`] and are not declared `non`, the one of lowest rank in the
    /// tableau (`rang`), ties and missing ranks broken by input order; a group with several
    /// candidates still gets one lead here, and the analysis raises D007 (and D012 says the rule
    /// chose).
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
                let declare = membres
                    .iter()
                    .copied()
                    .find(|&e| self.elus[e].chef_de_file == Some(true));
                let par_regle = candidats
                    .iter()
                    .copied()
                    .find(|&e| self.elus[e].chef_de_file != Some(false));
                let (chef, choix_chef) = match (declare, par_regle) {
                    (Some(c), _) => (Some(c), ChoixChef::Declare),
                    (None, Some(c)) => (Some(c), ChoixChef::Regle),
                    (None, None) => (None, ChoixChef::Aucun),
                };
                let mut membres = membres;
                membres.sort_by_key(|&e| (Some(e) != chef, e));
                Groupe {
                    transversal: chef.is_some_and(|c| self.elus[c].est_transversal()),
                    id,
                    membres,
                    candidats_chef: candidats,
                    chef,
                    choix_chef,
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

    /// When `elus.csv` names no group at all (a council imported from the RNE, a majority
    /// before its pacte), the scenario with one group per adjoint·e of the majority able to lead
    /// one ([`peut_animer`]), `G<rang>-<id>` (`G01-E02`: rank in the tableau, then input order),
    /// so that `optimiser --regrouper` and `affecter` can propose the binômes the pacte asks
    /// for instead of having nothing to place anyone in. Conseiller·es délégué·es and
    /// adjoint·es de quartier stay without a group: placing them is the commands' job. `None`
    /// when some élu·e already has a group, or nobody may lead one.
    pub fn avec_groupes_implicites(&self) -> Option<Scenario> {
        if self.elus.iter().any(|e| e.groupe.is_some()) {
            return None;
        }
        let mut chefs: Vec<usize> = (0..self.elus.len())
            .filter(|&e| peut_animer(&self.elus[e]) && self.elus[e].liste == super::Liste::Majorite)
            .collect();
        if chefs.is_empty() {
            return None;
        }
        chefs.sort_by_key(|&e| (self.elus[e].rang.unwrap_or(u32::MAX), e));
        let mut s = self.clone();
        for (k, &e) in chefs.iter().enumerate() {
            let rang = self.elus[e].rang.map_or(k + 1, |r| r as usize);
            s.elus[e].groupe = Some(format!("G{rang:02}-{}", self.elus[e].id));
        }
        s.params.groupes.groupes_implicites = true;
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::graphe::tests::{elu, org, scenario};
    use crate::model::Fonction;

    fn conseil(chefs: [Option<bool>; 3]) -> Scenario {
        let mut elus = vec![
            elu("A", Fonction::Adjoint, Some("G1")),
            elu("B", Fonction::Adjoint, Some("G1")),
            elu("C", Fonction::ConseillerDelegue, Some("G1")),
        ];
        elus[0].rang = Some(2);
        elus[1].rang = Some(1);
        for (e, c) in elus.iter_mut().zip(chefs) {
            e.chef_de_file = c;
        }
        scenario(org(&[("R", None, 1.0, &[], &[])]), elus, &[])
    }

    #[test]
    fn without_any_group_each_adjoint_who_may_lead_gets_one() {
        let mut elus = vec![
            elu("M", Fonction::Maire, None),
            elu("A", Fonction::Adjoint, None),
            elu("B", Fonction::Adjoint, None),
            elu("Q", Fonction::Adjoint, None),
            elu("C", Fonction::ConseillerDelegue, None),
            elu("O", Fonction::Adjoint, None),
        ];
        elus[1].rang = Some(2);
        elus[2].rang = Some(1);
        elus[3].quartier = Some("Nord".into());
        elus[5].liste = crate::model::Liste::Opposition;
        let s = scenario(org(&[("R", None, 1.0, &[], &[])]), elus, &[]);
        let g = s.avec_groupes_implicites().expect("no group in the input");
        let groupes: Vec<Option<&str>> = g.elus.iter().map(|e| e.groupe.as_deref()).collect();
        // By rank; the maire, the quartier adjoint·e, the conseiller·e délégué·e and the
        // opposition get none.
        assert_eq!(
            groupes,
            vec![None, Some("G02-A"), Some("G01-B"), None, None, None]
        );
        assert!(g.params.groupes.groupes_implicites);
        assert!(g.avec_groupes_implicites().is_none(), "groups exist now");
    }

    #[test]
    fn a_declared_lead_comes_first_then_the_rank_rule() {
        let g = &conseil([None, None, None]).groupes_detail()[0];
        assert_eq!(
            (g.chef, g.choix_chef),
            (Some(1), ChoixChef::Regle),
            "rank 1"
        );
        let g = &conseil([Some(true), None, None]).groupes_detail()[0];
        assert_eq!((g.chef, g.choix_chef), (Some(0), ChoixChef::Declare));
        assert_eq!(g.membres[0], 0, "the lead first");
        let g = &conseil([None, None, Some(true)]).groupes_detail()[0];
        assert_eq!(
            (g.chef, g.choix_chef),
            (Some(2), ChoixChef::Declare),
            "a declared conseiller·e délégué·e leads"
        );
        let g = &conseil([None, Some(false), None]).groupes_detail()[0];
        assert_eq!(
            (g.chef, g.choix_chef),
            (Some(0), ChoixChef::Regle),
            "non excludes from the rule"
        );
        let s = conseil([Some(false), Some(false), None]);
        let g = &s.groupes_detail()[0];
        assert_eq!((g.chef, g.choix_chef), (None, ChoixChef::Aucun));
        assert!(s.chefs().is_empty());
    }
}
