//! Orphan services: nodes with agents that no pilote covers.
//!
//! In: a scenario and its [`Couverture`]. Out: the structured [`Orphelin`]s and their D003
//! findings (erreur).
//!
//! What is reported, so that a DGS reads one line per decision to take:
//! - the **highest node wholly without pilote** (no pilote on it, on an ancestor or anywhere
//!   below) whose subtree has staff or budget: an unled direction is reported once, its services
//!   listed in the message; the DGS itself is never reported (its children are);
//! - the **own team** (own staff or budget > 0) of a direction, service or unité that has no
//!   pilote although some of its children have one (services delegated one by one while the
//!   direction's team answers to nobody).
//!
//! The DGS and the DGA (pôles) answer to the direction générale, not to an élu·e: their own teams
//! are not orphans when their directions are led. When the organigramme carries no staff and no
//! budget at all (a bare service tree), every leaf counts as having agents.

use super::{Code, Finding, Gravite, Sujets, nom_noeud, regles};
use crate::analyse::graphe::Couverture;
use crate::format::{decimal_court, euros};
use crate::model::{Niveau, NodeIx, Scenario};

/// An orphan: the node reported and what it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Orphelin {
    /// The node reported.
    pub noeud: NodeIx,
    /// True when the whole subtree is without pilote; false when only the node's own team is.
    pub sous_arbre: bool,
    /// Staff concerned (the subtree's, or the node's own).
    pub effectif: f64,
    /// Budget concerned.
    pub budget: f64,
    /// Nodes with agents inside the orphan perimeter (the node itself included when it has).
    pub concernes: Vec<NodeIx>,
}

/// Finds the orphans of a scenario.
pub fn orphelins(s: &Scenario, cov: &Couverture) -> Vec<Orphelin> {
    let org = &s.organigramme;
    let sans_chiffres = org
        .noeuds
        .iter()
        .all(|n| n.effectif <= 0.0 && n.budget <= 0.0);
    let a_des_agents = |n: NodeIx| {
        let x = org.noeud(n);
        x.effectif > 0.0 || x.budget > 0.0 || (sans_chiffres && x.enfants.is_empty())
    };
    let vide = |n: NodeIx| cov.non_couvert(n) && !cov.pilote_dessous[n];
    let mut out = Vec::new();
    for n in 0..org.len() {
        let x = org.noeud(n);
        if x.niveau == Niveau::Dgs || x.parent.is_none() {
            continue;
        }
        let parent_vide = x.parent.is_some_and(|p| {
            vide(p) && org.noeud(p).niveau != Niveau::Dgs && org.noeud(p).parent.is_some()
        });
        if vide(n) && !parent_vide {
            let concernes: Vec<NodeIx> = org
                .sous_arbre(n)
                .into_iter()
                .filter(|&d| a_des_agents(d))
                .collect();
            if !concernes.is_empty() {
                out.push(Orphelin {
                    noeud: n,
                    sous_arbre: true,
                    effectif: cov.effectif_sous_arbre[n],
                    budget: cov.budget_sous_arbre[n],
                    concernes,
                });
            }
        } else if cov.non_couvert(n)
            && cov.pilote_dessous[n]
            && x.niveau != Niveau::Dga
            && a_des_agents(n)
        {
            out.push(Orphelin {
                noeud: n,
                sous_arbre: false,
                effectif: x.effectif,
                budget: x.budget,
                concernes: vec![n],
            });
        }
    }
    out
}

/// Findings D003.
pub fn diagnostiquer(s: &Scenario, cov: &Couverture) -> Vec<Finding> {
    let org = &s.organigramme;
    let sans_chiffres = org
        .noeuds
        .iter()
        .all(|n| n.effectif <= 0.0 && n.budget <= 0.0);
    orphelins(s, cov)
        .into_iter()
        .map(|o| {
            let x = org.noeud(o.noeud);
            let parent = x
                .parent
                .map(|p| {
                    let px = org.noeud(p);
                    format!(", rattaché à « {} » ({}),", px.id, px.niveau.libelle())
                })
                .unwrap_or_default();
            let chiffres = if sans_chiffres {
                "effectif et budget non renseignés".to_string()
            } else {
                format!("{} ETP, {}", decimal_court(o.effectif, 1), euros(o.budget))
            };
            let message = if !o.sous_arbre {
                format!(
                    "L'équipe propre de {} ({chiffres}) n'a pas d'élu·e pilote : seuls certains de ses sous-nœuds en ont un·e.",
                    nom_noeud(s, o.noeud)
                )
            } else {
                let autres: Vec<String> = o
                    .concernes
                    .iter()
                    .filter(|&&d| d != o.noeud)
                    .map(|&d| org.noeud(d).id.clone())
                    .collect();
                let liste = if autres.is_empty() {
                    String::new()
                } else {
                    format!(" ; sous-nœuds concernés : {}", autres.join(", "))
                };
                format!(
                    "{}{parent} n'est piloté par aucun·e élu·e, ni directement ni par un nœud parent ({chiffres}){liste}.",
                    nom_noeud(s, o.noeud)
                )
            };
            let suggestion = match x.parent {
                Some(p) if !cov.non_couvert(p) || cov.pilote_dessous[p] => format!(
                    "Confier « {} » en pilote à un·e élu·e, de préférence du groupe qui pilote les nœuds voisins de « {} ».",
                    x.id,
                    org.noeud(p).id
                ),
                _ => format!("Confier « {} » en pilote à un·e élu·e.", x.id),
            };
            Finding::new(
                Code::D003,
                Gravite::Erreur,
                Sujets::new([x.id.clone()], [], []),
                message,
                regles::COUVERTURE,
                suggestion,
            )
            .avec_effectif(o.effectif)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::graphe::Graphe;
    use crate::analyse::graphe::tests::{arbre, elu, org, scenario};
    use crate::model::{Fonction, Role};

    fn trouve(s: &Scenario) -> Vec<Finding> {
        let cov = Couverture::calculer(s, &Graphe::construire(s));
        diagnostiquer(s, &cov)
    }

    #[test]
    fn unled_direction_is_reported_once_with_its_services() {
        let s = scenario(
            arbre(),
            vec![elu("A", Fonction::Adjoint, Some("G1"))],
            &[("A", "DIR-A1", Role::Pilote), ("A", "DGA-B", Role::Pilote)],
        );
        let f = trouve(&s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, "D003");
        assert_eq!(f[0].sujets.noeuds, vec!["DIR-A2"]);
        assert_eq!(f[0].effectif, Some(9.0));
        assert!(f[0].message.contains("SRV-A2a"), "{}", f[0].message);
    }

    #[test]
    fn own_team_of_a_partly_led_direction_is_reported() {
        let s = scenario(
            arbre(),
            vec![elu("A", Fonction::Adjoint, Some("G1"))],
            &[
                ("A", "SRV-A1a", Role::Pilote),
                ("A", "SRV-A1b", Role::Pilote),
                ("A", "DIR-A2", Role::Pilote),
                ("A", "DGA-B", Role::Pilote),
            ],
        );
        let f = trouve(&s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].sujets.noeuds, vec!["DIR-A1"]);
        assert_eq!(f[0].effectif, Some(1.0));
    }

    #[test]
    fn staffless_direction_with_led_services_is_not_an_orphan() {
        let o = org(&[
            ("DGS", None, 1.0, &[], &[]),
            ("DGA", Some("DGS"), 1.0, &[], &[]),
            ("DIR", Some("DGA"), 0.0, &[], &[]),
            ("S1", Some("DIR"), 3.0, &[], &[]),
            ("S2", Some("DIR"), 3.0, &[], &[]),
        ]);
        let s = scenario(
            o,
            vec![elu("A", Fonction::Adjoint, Some("G1"))],
            &[("A", "S1", Role::Pilote)],
        );
        let f = trouve(&s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].sujets.noeuds, vec!["S2"]);
    }

    #[test]
    fn bare_tree_without_figures_counts_leaves() {
        let o = org(&[
            ("R", None, 0.0, &[], &[]),
            ("A", Some("R"), 0.0, &[], &[]),
            ("B", Some("R"), 0.0, &[], &[]),
        ]);
        let s = scenario(
            o,
            vec![elu("X", Fonction::Adjoint, Some("G1"))],
            &[("X", "A", Role::Pilote)],
        );
        let f = trouve(&s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].sujets.noeuds, vec!["B"]);
    }
}
