//! Silos: groups spread over several pôles, pôles followed by one group only, transversal axes
//! absent from pôles where they are tagged.
//!
//! In: a scenario and its [`Couverture`]. Out: findings D004 (alerte), D005 (info), D006
//! (alerte) and, per axis, an [`AxeCouverture`] (tagged pôles and directions, reached or not).
//!
//! The pôle of a node is its DGA; nodes attached directly under the DGS (cabinet, missions of the
//! direction générale) belong to no pôle and are left out of these rules. An axis **reaches** a
//! node when an élu·e holding the axis (`axe` in `elus.csv`) has a délégation, pilote or appui, on
//! a node of its subtree or on one of its ancestors. Not reaching a tagged pôle is an alerte;
//! tagged directions not reached inside reached pôles are listed in the metrics only (a
//! transversal adjoint·e supports some directions of a pôle, not necessarily all of them).

use super::attribution::Attribution;
use super::{Code, Finding, Gravite, Porteur, Sujets, enumerer, regles};
use crate::analyse::graphe::{Couverture, Lien};
use crate::format::{decimal_court, pourcent};
use crate::model::{Niveau, NodeIx, Scenario};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How a transversal axis reaches the pôles and directions tagged with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxeCouverture {
    /// Axis id.
    pub axe: String,
    /// Axis label.
    pub libelle: String,
    /// Élu·es holding the axis (ids, sorted).
    pub elus: Vec<String>,
    /// Pôles (DGA ids) holding at least one node tagged with the axis.
    pub poles_etiquetes: Vec<String>,
    /// Tagged pôles the axis does not reach.
    pub poles_non_atteints: Vec<String>,
    /// Directions tagged with the axis (ids, in input order).
    pub directions_etiquetees: Vec<String>,
    /// Tagged directions the axis does not reach.
    pub directions_non_atteintes: Vec<String>,
}

/// Staff attributed to each porteur in each pôle (the one [`Attribution`]); nodes outside any
/// pôle are under `None`.
pub fn effectif_par_pole(
    s: &Scenario,
    cov: &Couverture,
) -> BTreeMap<Porteur, BTreeMap<Option<NodeIx>, f64>> {
    let mut m: BTreeMap<Porteur, BTreeMap<Option<NodeIx>, f64>> = BTreeMap::new();
    for ((p, pole), c) in Attribution::calculer(s, cov).par_pole() {
        m.entry(p).or_default().insert(pole, c.effectif);
    }
    m
}

/// Nodes reached by the élu·es given: délégations (any role) on the node's subtree or ancestors.
fn atteint(s: &Scenario, cov: &Couverture, elus: &[usize], n: NodeIx) -> bool {
    let org = &s.organigramme;
    elus.iter().any(|&e| {
        [Lien::Pilote, Lien::Appui].iter().any(|&l| {
            cov.graphe
                .noeuds_de(e, l)
                .into_iter()
                .any(|d| org.est_dans(d, n) || org.est_dans(n, d))
        })
    })
}

/// Coverage of every axis of the scenario, in the order of `scenario.toml`.
pub fn axes(s: &Scenario, cov: &Couverture) -> Vec<AxeCouverture> {
    let org = &s.organigramme;
    s.params
        .axes
        .iter()
        .map(|a| {
            let porteurs: Vec<usize> = (0..s.elus.len())
                .filter(|&e| s.elus[e].axe.as_deref() == Some(a.id.as_str()))
                .collect();
            let etiquetes: Vec<NodeIx> = (0..org.len())
                .filter(|&n| org.noeud(n).axes.iter().any(|x| x == &a.id))
                .collect();
            let poles: BTreeSet<NodeIx> = etiquetes.iter().filter_map(|&n| org.dga_de(n)).collect();
            let directions: Vec<NodeIx> = etiquetes
                .iter()
                .copied()
                .filter(|&n| org.noeud(n).niveau == Niveau::Direction)
                .collect();
            let id = |n: &NodeIx| org.noeud(*n).id.clone();
            let mut elus: Vec<String> = porteurs.iter().map(|&e| s.elus[e].id.clone()).collect();
            elus.sort();
            AxeCouverture {
                axe: a.id.clone(),
                libelle: a.libelle.clone(),
                elus,
                poles_etiquetes: poles.iter().map(id).collect(),
                poles_non_atteints: poles
                    .iter()
                    .filter(|&&p| !atteint(s, cov, &porteurs, p))
                    .map(id)
                    .collect(),
                directions_etiquetees: directions.iter().map(id).collect(),
                directions_non_atteintes: directions
                    .iter()
                    .filter(|&&d| !atteint(s, cov, &porteurs, d))
                    .map(id)
                    .collect(),
            }
        })
        .collect()
}

/// The pôles of each group, the one definition every output counts (`analyser`'s D004, the
/// optimiser's « pôles avant / après », `comparer`, the report's « Groupes et périmètres »):
/// the DGAs holding a node one of the group's élu·es has a pilote délégation on (nodes under the
/// DGS directly belong to no pôle). Every group of `elus.csv`, by id.
pub fn poles_des_groupes(s: &Scenario) -> BTreeMap<String, BTreeSet<NodeIx>> {
    let org = &s.organigramme;
    let groupes = s.groupes();
    let mut out: BTreeMap<String, BTreeSet<NodeIx>> = groupes
        .keys()
        .map(|g| (g.clone(), BTreeSet::new()))
        .collect();
    for d in s
        .delegations
        .iter()
        .filter(|d| d.role == crate::model::Role::Pilote)
    {
        let (Some(g), Some(p)) = (s.elus[d.elu].groupe.as_ref(), org.dga_de(d.noeud)) else {
            continue;
        };
        if let Some(x) = out.get_mut(g) {
            x.insert(p);
        }
    }
    out
}

/// D004: groups whose pilote délégations lie in several pôles ([`poles_des_groupes`]).
fn dispersion(s: &Scenario, cov: &Couverture, out: &mut Vec<Finding>) {
    let org = &s.organigramme;
    let charge = effectif_par_pole(s, cov);
    let poles_de = poles_des_groupes(s);
    for (g, membres) in s.groupes() {
        let poles: BTreeSet<NodeIx> = poles_de.get(&g).cloned().unwrap_or_default();
        let mut noeuds = Vec::new();
        let mut pilotes = Vec::new();
        for &m in &membres {
            for n in cov.graphe.noeuds_de(m, Lien::Pilote) {
                if org.dga_de(n).is_some() {
                    noeuds.push(org.noeud(n).id.clone());
                    pilotes.push(s.elus[m].id.clone());
                }
            }
        }
        if poles.len() < 2 {
            continue;
        }
        let porteur = Porteur::Groupe(g.clone());
        let par_pole = charge.get(&porteur);
        let eff = |p: NodeIx| {
            par_pole
                .and_then(|m| m.get(&Some(p)))
                .copied()
                .unwrap_or(0.0)
        };
        let mut tries: Vec<NodeIx> = poles.iter().copied().collect();
        tries.sort_by(|&a, &b| eff(b).total_cmp(&eff(a)).then(a.cmp(&b)));
        let total: f64 = tries.iter().map(|&p| eff(p)).sum();
        let principal = tries[0];
        let hors = total - eff(principal);
        let part = if total > 0.0 {
            100.0 * hors / total
        } else {
            0.0
        };
        // Without staff figures (a bare service tree) the shares mean nothing: name the pôles only.
        let details: Vec<String> = tries
            .iter()
            .map(|&p| {
                if total > 0.0 {
                    format!("{} ({} ETP)", org.noeud(p).id, decimal_court(eff(p), 1))
                } else {
                    org.noeud(p).id.clone()
                }
            })
            .collect();
        let mut message = format!(
            "Le groupe {g} pilote des nœuds dans {} pôles : {}.",
            tries.len(),
            enumerer(&details)
        );
        if total > 0.0 {
            message.push_str(&format!(
                " {} de son effectif piloté ({} ETP sur {}) est hors de son pôle principal {}.",
                pourcent((part * 10.0).round() / 10.0),
                decimal_court(hors, 1),
                decimal_court(total, 1),
                org.noeud(principal).id
            ));
        }
        noeuds.extend(tries.iter().map(|&p| org.noeud(p).id.clone()));
        out.push(
            Finding::new(
                Code::D004,
                Gravite::Alerte,
                Sujets::new(noeuds, pilotes, [g.clone()]),
                message,
                regles::COHERENCE,
                format!(
                    "Recentrer le groupe {g} sur {} : confier ses délégations des autres pôles à un groupe qui y pilote déjà, ou scinder le groupe.",
                    org.noeud(principal).id
                ),
            )
            .avec_effectif(hors),
        );
    }
}

/// D005: pôles led by one group only and reached by no transversal axis.
fn monogroupe(s: &Scenario, cov: &Couverture, out: &mut Vec<Finding>) {
    let org = &s.organigramme;
    let transversaux: Vec<usize> = (0..s.elus.len())
        .filter(|&e| s.elus[e].axe.is_some())
        .collect();
    for d in org.de_niveau(Niveau::Dga) {
        let groupes: BTreeSet<&str> = org
            .sous_arbre(d)
            .into_iter()
            .flat_map(|n| cov.porteurs[n].iter())
            .filter_map(|p| match p {
                Porteur::Groupe(g) => Some(g.as_str()),
                Porteur::Elu(_) => None,
            })
            .collect();
        if groupes.len() != 1 || atteint(s, cov, &transversaux, d) {
            continue;
        }
        let g = groupes
            .iter()
            .next()
            .copied()
            .unwrap_or_default()
            .to_string();
        out.push(Finding::new(
            Code::D005,
            Gravite::Info,
            Sujets::new([org.noeud(d).id.clone()], [], [g.clone()]),
            format!(
                "Le pôle {} n'est piloté que par le groupe {g} et aucun axe transversal ne l'atteint : il risque de fonctionner en silo.",
                super::nom_noeud(s, d)
            ),
            regles::SILOS,
            format!(
                "Donner à un·e adjoint·e transversal·e une délégation d'appui dans « {} ».",
                org.noeud(d).id
            ),
        ));
    }
}

/// D006: transversal axes absent from a pôle where they are tagged.
fn axes_absents(s: &Scenario, cov: &Couverture, out: &mut Vec<Finding>) {
    let org = &s.organigramme;
    for a in axes(s, cov) {
        let groupes: Vec<String> = a
            .elus
            .iter()
            .filter_map(|id| s.find_elu(id))
            .filter_map(|e| s.elus[e].groupe.clone())
            .collect();
        if a.elus.is_empty() {
            if a.poles_etiquetes.is_empty() {
                continue;
            }
            out.push(Finding::new(
                Code::D006,
                Gravite::Alerte,
                Sujets::new(a.poles_etiquetes.clone(), [], []),
                format!(
                    "L'axe transversal « {} » n'est porté par aucun·e élu·e alors que des nœuds en sont étiquetés dans {} : {}.",
                    a.libelle,
                    if a.poles_etiquetes.len() > 1 { "les pôles" } else { "le pôle" },
                    a.poles_etiquetes.join(", ")
                ),
                regles::SILOS,
                format!(
                    "Confier l'axe « {} » à un·e adjoint·e transversal·e (colonne « axe » de elus.csv).",
                    a.axe
                ),
            ));
            continue;
        }
        for pole in &a.poles_non_atteints {
            let Some(p) = org.find(pole) else { continue };
            let etiquetes: Vec<String> = org
                .sous_arbre(p)
                .into_iter()
                .filter(|&n| org.noeud(n).axes.iter().any(|x| x == &a.axe))
                .map(|n| org.noeud(n).id.clone())
                .collect();
            let noms: Vec<String> = a
                .elus
                .iter()
                .filter_map(|id| s.find_elu(id))
                .map(|e| super::nom_elu(s, e))
                .collect();
            let mut noeuds = etiquetes.clone();
            noeuds.push(pole.clone());
            out.push(Finding::new(
                Code::D006,
                Gravite::Alerte,
                Sujets::new(noeuds, a.elus.clone(), groupes.clone()),
                format!(
                    "L'axe transversal « {} » ({}) n'atteint pas le pôle {}, où des nœuds en sont étiquetés : {}.",
                    a.libelle,
                    enumerer(&noms),
                    super::nom_noeud(s, p),
                    etiquetes.join(", ")
                ),
                regles::SILOS,
                format!(
                    "Donner à {} une délégation d'appui sur l'un de ces nœuds.",
                    enumerer(&noms)
                ),
            ));
        }
    }
}

/// Findings D004, D005 and D006.
pub fn diagnostiquer(s: &Scenario, cov: &Couverture) -> Vec<Finding> {
    let mut out = Vec::new();
    dispersion(s, cov, &mut out);
    monogroupe(s, cov, &mut out);
    axes_absents(s, cov, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::graphe::Graphe;
    use crate::analyse::graphe::tests::{arbre, elu, scenario};
    use crate::model::{Fonction, Role};

    fn trouve(s: &Scenario) -> Vec<Finding> {
        let cov = Couverture::calculer(s, &Graphe::construire(s));
        diagnostiquer(s, &cov)
    }

    fn elus() -> Vec<crate::model::Elu> {
        let mut t = elu("T", Fonction::Adjoint, Some("G9"));
        t.axe = Some("transition".into());
        vec![
            elu("A", Fonction::Adjoint, Some("G1")),
            elu("C", Fonction::ConseillerDelegue, Some("G1")),
            elu("B", Fonction::Adjoint, Some("G2")),
            t,
        ]
    }

    #[test]
    fn group_over_two_poles_is_d004() {
        let s = scenario(
            arbre(),
            elus(),
            &[
                ("A", "DGA-A", Role::Pilote),
                ("C", "DIR-B1", Role::Pilote),
                ("T", "DIR-A1", Role::Appui),
                ("B", "SRV-B1a", Role::Appui),
            ],
        );
        let f = trouve(&s);
        let d: Vec<&Finding> = f.iter().filter(|f| f.code == "D004").collect();
        assert_eq!(d.len(), 1, "{f:#?}");
        assert_eq!(d[0].sujets.groupes, vec!["G1"]);
        assert_eq!(d[0].sujets.noeuds, vec!["DGA-A", "DGA-B", "DIR-B1"]);
        assert_eq!(d[0].sujets.elus, vec!["A", "C"]);
        // G1 leads 26 ETP in DGA-A and 22 in DGA-B: 22 ETP are outside the main pôle.
        assert_eq!(d[0].effectif, Some(22.0));
        assert!(d[0].message.contains("45,8"), "{}", d[0].message);
    }

    #[test]
    fn single_group_pole_without_axis_is_d005() {
        let s = scenario(
            arbre(),
            elus(),
            &[
                ("A", "DGA-A", Role::Pilote),
                ("B", "DGA-B", Role::Pilote),
                ("T", "DIR-A1", Role::Appui),
            ],
        );
        let f = trouve(&s);
        let d: Vec<&Finding> = f.iter().filter(|f| f.code == "D005").collect();
        assert_eq!(d.len(), 1, "{f:#?}");
        assert_eq!(d[0].sujets.noeuds, vec!["DGA-B"]);
        assert_eq!(d[0].sujets.groupes, vec!["G2"]);
        assert_eq!(d[0].gravite, Gravite::Info);
    }

    #[test]
    fn axis_missing_from_a_tagged_pole_is_d006() {
        let s = scenario(
            arbre(),
            elus(),
            &[("A", "DGA-A", Role::Pilote), ("T", "DGA-B", Role::Appui)],
        );
        let f = trouve(&s);
        let d: Vec<&Finding> = f.iter().filter(|f| f.code == "D006").collect();
        assert_eq!(d.len(), 1, "{f:#?}");
        assert_eq!(d[0].sujets.noeuds, vec!["DGA-A", "DIR-A1"]);
        assert_eq!(d[0].sujets.elus, vec!["T"]);
        let cov = Couverture::calculer(&s, &Graphe::construire(&s));
        let a = axes(&s, &cov);
        assert_eq!(a[1].axe, "transition");
        assert_eq!(a[1].directions_non_atteintes, vec!["DIR-A1"]);
    }
}
