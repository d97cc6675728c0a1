//! A plan applied to its scenario: the délégations and groups it proposes, as rows of the input
//! format and as a [`Scenario`] every later stage (analysis, attribution, indemnités) can read.
//!
//! In: the input scenario, the model data and a verified plan. Out: [`LigneDelegation`] rows
//! (written as the proposal's `delegations.csv`) and [`appliquer`]'s scenario, so that « ETP
//! pilotés après » is computed by the same attribution as « avant ».

use super::{Donnees, Plan};
use crate::model::{Delegation, Role, Scenario};
use std::collections::{BTreeMap, BTreeSet};

/// One délégation row as written in `delegations.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneDelegation {
    /// Élu·e id.
    pub elu: String,
    /// Node id.
    pub noeud: String,
    /// Role.
    pub role: Role,
    /// Wording.
    pub libelle: String,
}

/// The délégations of the plan: every input row is kept, except
/// - the pilote délégations of group leaders on nodes the plan reassigns, which are replaced by
///   one pilote délégation per unit the leader's group leads (on the unit, or on its largest
///   subtrees free of reserved nodes); the new rows take the place of the leader's first
///   replaced row, with its wording;
/// - a member's pilote délégation touching a unit of the plan's `retraits`, which becomes an
///   appui on the same node; when the node spans several units and the member keeps some of
///   them, the pilote délégation is kept on those units (their largest subtrees free of reserved
///   nodes), beside the appui.
pub fn delegations(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<LigneDelegation> {
    let org = &s.organigramme;
    // Nodes the plan decides: inside a unit, or above one.
    let mut decide = vec![false; org.len()];
    for u in &d.unites {
        let Some(n) = u.noeud else { continue };
        for x in org.sous_arbre(n) {
            decide[x] = true;
        }
        for a in org.ancetres(n) {
            decide[a] = true;
        }
    }
    let chefs: BTreeMap<usize, usize> = d
        .groupes
        .iter()
        .enumerate()
        .map(|(g, gr)| (gr.chef, g))
        .collect();
    // Pilote rows of `elu` on the given units (each on its largest subtrees free of reserved
    // nodes).
    let pilotes = |elu: &str, unites: &mut dyn Iterator<Item = usize>, libelle: &str| {
        unites
            .flat_map(|u| d.unites[u].couverture.iter())
            .map(|&n| LigneDelegation {
                elu: elu.to_string(),
                noeud: org.noeud(n).id.clone(),
                role: Role::Pilote,
                libelle: libelle.to_string(),
            })
            .collect::<Vec<_>>()
    };
    let nouvelles = |g: usize, libelle: &str| -> Vec<LigneDelegation> {
        let chef = &s.elus[d.groupes[g].chef].id;
        pilotes(
            chef,
            &mut (0..d.unites.len()).filter(|&u| plan.unites[u] == Some(g)),
            libelle,
        )
    };
    let membre_de: BTreeMap<usize, usize> = d
        .membres
        .iter()
        .enumerate()
        .map(|(e, m)| (m.elu, e))
        .collect();
    // Units a node touches: the unit holding it, or every unit under it.
    let unites_touchees = |n: usize| -> Vec<usize> {
        d.unites
            .iter()
            .enumerate()
            .filter(|(_, u)| {
                u.noeud
                    .is_some_and(|un| org.est_dans(n, un) || org.est_dans(un, n))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let mut out = Vec::new();
    let mut faits = BTreeSet::new();
    for del in &s.delegations {
        let remplacee = del.role == Role::Pilote && decide[del.noeud];
        let retrait = match membre_de.get(&del.elu) {
            Some(&e) if remplacee && !plan.retraits.is_empty() => {
                let touchees = unites_touchees(del.noeud);
                let retirees: Vec<usize> = touchees
                    .iter()
                    .copied()
                    .filter(|&u| plan.retraits.contains(&(e, u)))
                    .collect();
                (!retirees.is_empty()).then(|| {
                    touchees
                        .into_iter()
                        .filter(|u| !retirees.contains(u))
                        .collect::<Vec<usize>>()
                })
            }
            _ => None,
        };
        if let Some(gardees) = retrait {
            let elu = s.elus[del.elu].id.clone();
            out.push(LigneDelegation {
                elu: elu.clone(),
                noeud: org.noeud(del.noeud).id.clone(),
                role: Role::Appui,
                libelle: del.libelle.clone(),
            });
            out.extend(pilotes(&elu, &mut gardees.into_iter(), &del.libelle));
            continue;
        }
        match chefs.get(&del.elu) {
            Some(&g) if remplacee => {
                if faits.insert(g) {
                    out.extend(nouvelles(g, &del.libelle));
                }
            }
            _ => out.push(LigneDelegation {
                elu: s.elus[del.elu].id.clone(),
                noeud: org.noeud(del.noeud).id.clone(),
                role: del.role,
                libelle: del.libelle.clone(),
            }),
        }
    }
    for g in 0..d.groupes.len() {
        if !faits.contains(&g) {
            out.extend(nouvelles(g, &d.groupes[g].id));
        }
    }
    out
}

/// The scenario the plan proposes: the input with the plan's délégations and groups. Rows whose
/// élu·e or node cannot be found (impossible for rows built by [`delegations`]) are skipped.
pub fn appliquer(s: &Scenario, d: &Donnees, plan: &Plan) -> Scenario {
    let mut out = s.clone();
    for (e, m) in d.membres.iter().enumerate() {
        if let Some(g) = plan.membres.get(e).copied().flatten() {
            out.elus[m.elu].groupe = Some(d.groupes[g].id.clone());
        }
    }
    out.delegations = delegations(s, d, plan)
        .into_iter()
        .enumerate()
        .filter_map(|(k, l)| {
            Some(Delegation {
                elu: s.find_elu(&l.elu)?,
                noeud: s.organigramme.find(&l.noeud)?,
                role: l.role,
                libelle: l.libelle,
                ligne: k + 2,
            })
        })
        .collect();
    out
}

/// Staff each group of the model pilots in a scenario, by the one attribution rule
/// (`analyse::attribution`), in the order of `d.groupes`.
pub fn effectifs_groupes(s: &Scenario, d: &Donnees) -> Vec<f64> {
    let par = crate::analyse::Attribution::depuis_scenario(s).par_porteur();
    d.groupes
        .iter()
        .map(|g| {
            par.get(&crate::analyse::Porteur::Groupe(g.id.clone()))
                .map_or(0.0, |c| c.effectif)
        })
        .collect()
}
