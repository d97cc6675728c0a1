//! Services that are not the commune's: an élu·e who pilots them gets a finding.
//!
//! In: a scenario and its [`Attribution`]. Out: findings
//! - D014: an élu·e piloting (as nearest pilote, the attribution's rule) nodes whose `entite` is
//!   not `ville`. A délégation de fonctions of the maire (CGCT L2122-18) covers the commune's
//!   services only: a service of the agglomération answers to its président·e and council, a
//!   service of the CCAS to its conseil d'administration (président·e: the maire). Alerte for
//!   those; info when every such node is `mutualise` (shared under a convention, partly the
//!   commune's).
//!
//! One finding per élu·e, naming the top-most such nodes (a CCAS direction, not each of its
//! services).

use super::{Code, Finding, Gravite, Sujets, nom_elu, nom_noeud};
use crate::analyse::Attribution;
use crate::model::{Entite, NodeIx, Scenario};
use std::collections::BTreeSet;

/// Why D014 applies: the article quoted in the finding.
pub const REGLE: &str =
    "CGCT L2122-18 : la délégation de fonctions du maire porte sur les services de la commune";

/// How a node's entity is named in findings.
fn entite(e: Entite) -> &'static str {
    match e {
        Entite::Ville => "service de la commune",
        Entite::Agglo => "service de l'agglomération",
        Entite::Mutualise => "service mutualisé",
        Entite::Ccas => "service du CCAS",
        Entite::Autre => "service d'un autre employeur",
    }
}

/// D014 for every élu·e attributed nodes of another entity than the commune.
pub fn diagnostiquer(s: &Scenario, a: &Attribution) -> Vec<Finding> {
    let org = &s.organigramme;
    let mut out = Vec::new();
    for (i, e) in s.elus.iter().enumerate() {
        let hors: BTreeSet<NodeIx> = (0..org.len())
            .filter(|&n| {
                org.noeud(n).entite != Entite::Ville && a.parts(n).iter().any(|&(x, _)| x == i)
            })
            .collect();
        if hors.is_empty() {
            continue;
        }
        // Top-most: a node whose parent is also in the set is named through its ancestor.
        let tops: Vec<NodeIx> = hors
            .iter()
            .copied()
            .filter(|&n| org.noeud(n).parent.is_none_or(|p| !hors.contains(&p)))
            .collect();
        let effectif: f64 = hors
            .iter()
            .map(|&n| {
                let part: f64 = a
                    .parts(n)
                    .iter()
                    .filter(|&&(x, _)| x == i)
                    .map(|&(_, f)| f)
                    .sum();
                part * org.noeud(n).effectif
            })
            .sum();
        let seulement_mutualises = hors
            .iter()
            .all(|&n| org.noeud(n).entite == Entite::Mutualise);
        let noms: Vec<String> = tops
            .iter()
            .map(|&n| format!("{} — {}", nom_noeud(s, n), entite(org.noeud(n).entite)))
            .collect();
        out.push(
            Finding::new(
                Code::D014,
                if seulement_mutualises {
                    Gravite::Info
                } else {
                    Gravite::Alerte
                },
                Sujets::new(
                    tops.iter().map(|&n| org.noeud(n).id.clone()),
                    [e.id.clone()],
                    e.groupe.clone(),
                ),
                format!(
                    "{} pilote des services qui ne sont pas ceux de la commune : {}.",
                    nom_elu(s, i),
                    noms.join(" ; ")
                ),
                REGLE,
                if seulement_mutualises {
                    "Préciser dans la lettre de mission ce que prévoit la convention de mutualisation (qui décide, qui rend compte).".into()
                } else {
                    "Suivre ces services en appui, ou au titre du mandat qui en a la charge (conseil communautaire, conseil d'administration du CCAS), plutôt que par délégation du maire.".into()
                },
            )
            .avec_effectif(effectif),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::load_scenario;
    use std::path::Path;

    #[test]
    fn example_pilots_of_ccas_services_get_d012() {
        let c = load_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple"))
            .expect("example");
        let s = &c.scenario;
        let a = Attribution::depuis_scenario(s);
        let v = diagnostiquer(s, &a);
        assert!(!v.is_empty());
        for f in &v {
            assert_eq!(f.code, "D014");
            assert_eq!(f.sujets.elus.len(), 1);
            // Every subject node is not the commune's and attributed to the élu·e.
            let i = s.find_elu(&f.sujets.elus[0]).expect("elu");
            for n in &f.sujets.noeuds {
                let x = s.organigramme.find(n).expect("node");
                assert_ne!(s.organigramme.noeud(x).entite, Entite::Ville);
                assert!(a.parts(x).iter().any(|&(e, _)| e == i));
            }
        }
        // DIR-ACTSOC (CCAS) is named as a whole, not service by service.
        let actsoc: Vec<_> = v
            .iter()
            .filter(|f| f.sujets.noeuds.iter().any(|n| n == "DIR-ACTSOC"))
            .collect();
        assert_eq!(actsoc.len(), 1);
        assert!(!actsoc[0].sujets.noeuds.iter().any(|n| n == "SRV-SOC-AIDES"));
        assert_eq!(actsoc[0].gravite, Gravite::Alerte);
    }

    #[test]
    fn commune_services_only_give_nothing_and_one_agglo_node_gives_one_finding() {
        let c =
            load_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"))
                .expect("minimal");
        let mut s = c.scenario;
        for n in &mut s.organigramme.noeuds {
            n.entite = Entite::Ville;
        }
        assert!(diagnostiquer(&s, &Attribution::depuis_scenario(&s)).is_empty());
        let d = s
            .delegations
            .iter()
            .find(|d| d.role == crate::model::Role::Pilote)
            .expect("a pilote")
            .clone();
        s.organigramme.noeuds[d.noeud].entite = Entite::Agglo;
        let v = diagnostiquer(&s, &Attribution::depuis_scenario(&s));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].gravite, Gravite::Alerte);
        assert_eq!(
            v[0].sujets.noeuds,
            vec![s.organigramme.noeud(d.noeud).id.clone()]
        );
        assert!(v[0].message.contains("service de l'agglomération"));
    }
}
