//! The one attribution of staff, budget and services to élu·es, groups and pôles.
//!
//! In: a [`Scenario`] and its [`Couverture`]. Out: an [`Attribution`]. Every figure labelled
//! « ETP pilotés », « budget piloté » or « services pilotés » anywhere in collegia (the analysis,
//! the report's groups table and coverage chart, the lettres de mission, the indemnités weights,
//! the optimiser's before/after) is read from here, so one question has one answer.
//!
//! # The rule
//! A node's **own** staff and budget (the `effectif` and `budget` columns of its row, not its
//! subtree's) go to its **nearest pilotes**: the élu·es holding a pilote délégation on the node
//! itself or, failing that, on its closest ancestor that has one. Several nearest pilotes share
//! the node equally. A node without any pilote above it is attributed to nobody (it is an
//! orphan, D003). So:
//! - every ETP is counted at most once: Σ over élu·es = `effectif_attribue` ≤ the city's staff;
//! - a conseiller·e délégué·e piloting a service inside their adjoint·e's direction carries that
//!   service; the adjoint·e carries the rest of the direction;
//! - a service co-piloted by two élu·es (a double rattachement, D001) is halved, not counted twice;
//! - a group carries the sum of its members; a pôle cell (pôle × porteur) the sum over the pôle's
//!   nodes.
//!
//! **Services** of an élu·e: nodes of level `service` they are a nearest pilote of; a service
//! shared by two members of one group counts once for the group.
//!
//! **Appui**: the nodes of the subtrees of an élu·e's appui délégations that the élu·e does not
//! pilote themselves (neither directly nor by inheritance), each node's own staff counted once,
//! in full: an appui is not a share of authority, so it is not split.
//!
//! # Worked example
//! DGS (1) → DGA-A (1) → DIR-A1 (1) → SRV-A1a (10), SRV-A1b (5). A (group G1) pilots DIR-A1, C
//! (group G1) pilots SRV-A1a, B (group G2) pilots SRV-A1b too.
//! - DIR-A1's own 1 ETP: nearest pilote A → A 1.
//! - SRV-A1a's 10: nearest pilote C (on the node itself) → C 10.
//! - SRV-A1b's 5: nearest pilote B (on the node itself; A's délégation is higher up) → B 5.
//! - DGS and DGA-A: no pilote above → nobody.
//!
//! A = 1, C = 10, B = 5; G1 = 11, G2 = 5; `effectif_attribue` = 16 of 18. The « périmètre
//! complet » of A (DIR-A1's whole subtree, 16 ETP) is a different figure with a different name.

use super::graphe::{Couverture, Lien, Porteur};
use crate::model::{Niveau, NodeIx, Scenario};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Staff, budget and services attributed to someone (an élu·e, a porteur, a pôle cell).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Charge {
    /// Staff (ETP).
    pub effectif: f64,
    /// Budget (€ a year).
    pub budget: f64,
    /// Services (nodes of level `service`).
    pub services: usize,
}

/// The attribution of a scenario (see the module documentation for the rule).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// Share of each node's own staff and budget per élu·e: (élu·e, fraction), fractions sum
    /// to 1, empty for an unattributed node.
    parts: Vec<Vec<(usize, f64)>>,
    /// Porteur of each élu·e (their group, or themselves).
    porteur_elu: Vec<Porteur>,
    /// Piloted figures per élu·e.
    pilote: Vec<Charge>,
    /// Services each élu·e is a nearest pilote of.
    services: Vec<BTreeSet<NodeIx>>,
    /// Appui figures per élu·e.
    appui: Vec<Charge>,
    /// DGA (pôle) of each node, `None` outside any pôle.
    pole_de: Vec<Option<NodeIx>>,
    /// Staff and budget of each node (own figures).
    propres: Vec<(f64, f64)>,
    /// Level `service` of each node.
    est_service: Vec<bool>,
    /// Leaf nodes (no child) each élu·e pilots (nearest pilote) and supports (appui, outside
    /// what they pilot): a count of operational units that no level label changes.
    unites: Vec<(usize, usize)>,
}

impl Attribution {
    /// Computes the attribution from a scenario's coverage.
    pub fn calculer(s: &Scenario, cov: &Couverture) -> Attribution {
        let org = &s.organigramme;
        let n = org.len();
        let ne = s.elus.len();
        let parts: Vec<Vec<(usize, f64)>> = (0..n).map(|x| cov.parts(x)).collect();
        let propres: Vec<(f64, f64)> = org.noeuds.iter().map(|x| (x.effectif, x.budget)).collect();
        let est_service: Vec<bool> = org
            .noeuds
            .iter()
            .map(|x| x.niveau == Niveau::Service)
            .collect();
        let mut pilote = vec![Charge::default(); ne];
        let mut services = vec![BTreeSet::new(); ne];
        for (x, p) in parts.iter().enumerate() {
            for &(e, f) in p {
                pilote[e].effectif += f * propres[x].0;
                pilote[e].budget += f * propres[x].1;
                if est_service[x] {
                    services[e].insert(x);
                }
            }
        }
        for (c, sv) in pilote.iter_mut().zip(&services) {
            c.services = sv.len();
        }
        let feuille: Vec<bool> = org.noeuds.iter().map(|x| x.enfants.is_empty()).collect();
        let mut unites = vec![(0usize, 0usize); ne];
        for (x, p) in parts.iter().enumerate() {
            if feuille[x] {
                for &(e, _) in p {
                    unites[e].0 += 1;
                }
            }
        }
        let appui = (0..ne)
            .map(|e| {
                let noeuds: BTreeSet<NodeIx> = cov
                    .graphe
                    .noeuds_de(e, Lien::Appui)
                    .into_iter()
                    .flat_map(|d| org.sous_arbre(d))
                    .filter(|&x| cov.pilotes[x].binary_search(&e).is_err())
                    .collect();
                let mut c = Charge::default();
                for &x in &noeuds {
                    c.effectif += propres[x].0;
                    c.budget += propres[x].1;
                    c.services += usize::from(est_service[x]);
                    unites[e].1 += usize::from(feuille[x]);
                }
                c
            })
            .collect();
        Attribution {
            parts,
            porteur_elu: cov.porteur_elu.clone(),
            pilote,
            services,
            appui,
            pole_de: (0..n).map(|x| org.dga_de(x)).collect(),
            propres,
            est_service,
            unites,
        }
    }

    /// Builds the graph and the coverage of a scenario, then its attribution.
    pub fn depuis_scenario(s: &Scenario) -> Attribution {
        let g = super::graphe::Graphe::construire(s);
        Attribution::calculer(s, &Couverture::calculer(s, &g))
    }

    /// What élu·e `e` pilots (nearest-pilote shares).
    pub fn elu(&self, e: usize) -> &Charge {
        &self.pilote[e]
    }

    /// What élu·e `e` supports in appui, outside what they pilot.
    pub fn appui(&self, e: usize) -> &Charge {
        &self.appui[e]
    }

    /// Leaf nodes (operational units, whatever their level label) élu·e `e` pilots (nearest
    /// pilote) and supports (appui outside what they pilot).
    pub fn unites(&self, e: usize) -> (usize, usize) {
        self.unites.get(e).copied().unwrap_or_default()
    }

    /// The services élu·e `e` is a nearest pilote of.
    pub fn services_de(&self, e: usize) -> &BTreeSet<NodeIx> {
        &self.services[e]
    }

    /// Shares of node `x`'s own staff and budget: (élu·e, fraction).
    pub fn parts(&self, x: NodeIx) -> &[(usize, f64)] {
        &self.parts[x]
    }

    /// Total staff attributed to somebody.
    pub fn effectif_attribue(&self) -> f64 {
        self.pilote.iter().map(|c| c.effectif).sum()
    }

    /// What a set of élu·es pilots together (services shared by two of them count once).
    pub fn ensemble(&self, elus: &[usize]) -> Charge {
        let sv: BTreeSet<NodeIx> = elus
            .iter()
            .flat_map(|&e| self.services[e].iter().copied())
            .collect();
        Charge {
            effectif: elus.iter().map(|&e| self.pilote[e].effectif).sum(),
            budget: elus.iter().map(|&e| self.pilote[e].budget).sum(),
            services: sv.len(),
        }
    }

    /// What each porteur pilots: every porteur with a member holding a share.
    pub fn par_porteur(&self) -> BTreeMap<Porteur, Charge> {
        let mut m: BTreeMap<Porteur, Vec<usize>> = BTreeMap::new();
        for (e, p) in self.porteur_elu.iter().enumerate() {
            m.entry(p.clone()).or_default().push(e);
        }
        m.into_iter()
            .map(|(p, elus)| (p, self.ensemble(&elus)))
            .collect()
    }

    /// Staff and budget each porteur pilots in each pôle (`None` = outside any pôle); services
    /// are counted per cell.
    pub fn par_pole(&self) -> BTreeMap<(Porteur, Option<NodeIx>), Charge> {
        let mut m: BTreeMap<(Porteur, Option<NodeIx>), (Charge, BTreeSet<NodeIx>)> =
            BTreeMap::new();
        for (x, p) in self.parts.iter().enumerate() {
            for &(e, f) in p {
                let c = m
                    .entry((self.porteur_elu[e].clone(), self.pole_de[x]))
                    .or_default();
                c.0.effectif += f * self.propres[x].0;
                c.0.budget += f * self.propres[x].1;
                if self.est_service[x] {
                    c.1.insert(x);
                }
            }
        }
        m.into_iter()
            .map(|(k, (mut c, sv))| {
                c.services = sv.len();
                (k, c)
            })
            .collect()
    }

    /// How the staff of a set of nodes (e.g. an optimiser unit's subtree) splits between
    /// porteurs; unattributed staff is left out.
    pub fn sur(&self, noeuds: &[NodeIx]) -> BTreeMap<Porteur, f64> {
        let mut m: BTreeMap<Porteur, f64> = BTreeMap::new();
        for &x in noeuds {
            for &(e, f) in &self.parts[x] {
                *m.entry(self.porteur_elu[e].clone()).or_default() += f * self.propres[x].0;
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::graphe::tests::{elu, org, scenario};
    use crate::model::{Fonction, Role};

    /// The worked example of the module documentation.
    #[test]
    fn worked_example_of_the_documentation() {
        let o = org(&[
            ("DGS", None, 1.0, &[], &[]),
            ("DGA-A", Some("DGS"), 1.0, &[], &[]),
            ("DIR-A1", Some("DGA-A"), 1.0, &[], &[]),
            ("SRV-A1a", Some("DIR-A1"), 10.0, &[], &[]),
            ("SRV-A1b", Some("DIR-A1"), 5.0, &[], &[]),
        ]);
        let s = scenario(
            o,
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                elu("C", Fonction::ConseillerDelegue, Some("G1")),
                elu("B", Fonction::Adjoint, Some("G2")),
            ],
            &[
                ("A", "DIR-A1", Role::Pilote),
                ("C", "SRV-A1a", Role::Pilote),
                ("B", "SRV-A1b", Role::Pilote),
            ],
        );
        let a = Attribution::depuis_scenario(&s);
        assert_eq!(a.elu(0).effectif, 1.0);
        assert_eq!(a.elu(1).effectif, 10.0);
        assert_eq!(a.elu(2).effectif, 5.0);
        let g = a.par_porteur();
        assert_eq!(g[&Porteur::Groupe("G1".into())].effectif, 11.0);
        assert_eq!(g[&Porteur::Groupe("G2".into())].effectif, 5.0);
        assert_eq!(a.effectif_attribue(), 16.0);
        assert_eq!(g[&Porteur::Groupe("G1".into())].services, 1);
    }

    #[test]
    fn a_co_piloted_node_is_halved_and_appui_excludes_what_is_piloted() {
        let o = org(&[
            ("DGS", None, 0.0, &[], &[]),
            ("DIR", Some("DGS"), 2.0, &[], &[]),
            ("SRV", Some("DIR"), 8.0, &[], &[]),
        ]);
        let s = scenario(
            o,
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                elu("B", Fonction::Adjoint, Some("G2")),
            ],
            &[
                ("A", "SRV", Role::Pilote),
                ("B", "SRV", Role::Pilote),
                ("A", "DIR", Role::Appui),
            ],
        );
        let a = Attribution::depuis_scenario(&s);
        assert_eq!(a.elu(0).effectif, 4.0);
        assert_eq!(a.elu(1).effectif, 4.0);
        // A supports DIR's own 2 ETP, not SRV which A pilots.
        assert_eq!(a.appui(0).effectif, 2.0);
        let sur = a.sur(&[1, 2]);
        assert_eq!(sur[&Porteur::Groupe("G1".into())], 4.0);
        assert_eq!(a.effectif_attribue(), 8.0);
    }
}
