//! Doubles rattachements: services that answer to élu·es of different porteurs.
//!
//! In: a scenario and its [`Couverture`]. Out: the structured doubles ([`doubles`],
//! [`doubles_secondaires`]) and their findings: D001 (pilotes of two porteurs or more on a node or
//! its ancestors, reported once at the highest node where the conflict appears) and D002 (a
//! secondary link to a node led by another porteur).

use super::{Code, Finding, Gravite, Porteur, Sujets, enumerer, nom_elu, nom_noeud, regles};
use crate::analyse::graphe::Couverture;
use crate::model::{NodeIx, Scenario};
use crate::report::format::decimal_court;

/// A node where pilotes of several porteurs meet (the highest node of the conflict).
#[derive(Debug, Clone, PartialEq)]
pub struct Double {
    /// The node.
    pub noeud: NodeIx,
    /// The porteurs in conflict (sorted).
    pub porteurs: Vec<Porteur>,
}

/// Doubles rattachements of the hierarchy: a node whose effective porteurs are two or more,
/// unless its parent already has the very same conflict (so a contested direction is reported
/// once, not once per service).
pub fn doubles(s: &Scenario, cov: &Couverture) -> Vec<Double> {
    let org = &s.organigramme;
    (0..org.len())
        .filter(|&n| cov.double(n))
        .filter(|&n| match org.noeud(n).parent {
            Some(p) => cov.porteurs[p] != cov.porteurs[n],
            None => true,
        })
        .map(|n| Double {
            noeud: n,
            porteurs: cov.porteurs[n].clone(),
        })
        .collect()
}

/// A secondary link that makes a node answer to two porteurs.
#[derive(Debug, Clone, PartialEq)]
pub struct DoubleSecondaire {
    /// The node holding the link.
    pub noeud: NodeIx,
    /// The node it is linked to.
    pub lie: NodeIx,
    /// The porteur of `noeud`.
    pub porteur: Porteur,
    /// The porteur of `lie`.
    pub porteur_lie: Porteur,
}

/// The porteur of a linked node: the single porteur on it or its ancestors, else the single
/// porteur of its subtree (a mission whose services are delegated one by one).
pub fn porteur_du_lie(s: &Scenario, cov: &Couverture, n: NodeIx) -> Option<Porteur> {
    if !cov.non_couvert(n) {
        return cov.porteur_unique(n).cloned();
    }
    let mut ps: Vec<&Porteur> = s
        .organigramme
        .sous_arbre(n)
        .into_iter()
        .flat_map(|d| cov.porteurs[d].iter())
        .collect();
    ps.sort();
    ps.dedup();
    match ps.as_slice() {
        [p] => Some((*p).clone()),
        _ => None,
    }
}

/// Secondary links between nodes of different porteurs. A node that is itself orphan or
/// contested is skipped: D003 or D001 already reports it.
pub fn doubles_secondaires(s: &Scenario, cov: &Couverture) -> Vec<DoubleSecondaire> {
    let mut v = Vec::new();
    for (n, noeud) in s.organigramme.noeuds.iter().enumerate() {
        let Some(p) = cov.porteur_unique(n) else {
            continue;
        };
        for &l in &noeud.secondaires {
            let Some(q) = porteur_du_lie(s, cov, l) else {
                continue;
            };
            if &q != p {
                v.push(DoubleSecondaire {
                    noeud: n,
                    lie: l,
                    porteur: p.clone(),
                    porteur_lie: q,
                });
            }
        }
    }
    v
}

/// "G01-education (Nadia Benali (E03), pilote de « DIR-EDU »)".
fn decrire_porteur(s: &Scenario, cov: &Couverture, n: NodeIx, p: &Porteur) -> String {
    let pilotes: Vec<String> = cov
        .pilotes_de(s, n, p)
        .into_iter()
        .map(|(e, ou)| {
            format!(
                "{}, pilote de « {} »",
                nom_elu(s, e),
                s.organigramme.noeud(ou).id
            )
        })
        .collect();
    format!("{} ({})", p.id(), pilotes.join(" ; "))
}

/// Subjects of a node and the pilotes of the given porteurs on it (with their nodes).
fn sujets_porteurs(s: &Scenario, cov: &Couverture, n: NodeIx, ps: &[&Porteur]) -> Sujets {
    let mut noeuds = vec![s.organigramme.noeud(n).id.clone()];
    let mut elus = Vec::new();
    let mut groupes = Vec::new();
    for p in ps {
        if let Porteur::Groupe(g) = p {
            groupes.push(g.clone());
        }
        for (e, ou) in cov.pilotes_de(s, n, p) {
            elus.push(s.elus[e].id.clone());
            noeuds.push(s.organigramme.noeud(ou).id.clone());
        }
    }
    Sujets::new(noeuds, elus, groupes)
}

/// Findings D001 and D002.
pub fn diagnostiquer(s: &Scenario, cov: &Couverture) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in doubles(s, cov) {
        let n = d.noeud;
        let refs: Vec<&Porteur> = d.porteurs.iter().collect();
        let descriptions: Vec<String> = d
            .porteurs
            .iter()
            .map(|p| decrire_porteur(s, cov, n, p))
            .collect();
        let eff = cov.effectif_sous_arbre[n];
        let mut message = format!(
            "{} répond à {} porteurs différents : {}.",
            nom_noeud(s, n),
            d.porteurs.len(),
            enumerer(&descriptions)
        );
        if eff > 0.0 {
            message.push_str(&format!(" {} ETP sont concernés.", decimal_court(eff, 1)));
        }
        out.push(
            Finding::new(
                Code::D001,
                Gravite::Erreur,
                sujets_porteurs(s, cov, n, &refs),
                message,
                regles::COHERENCE,
                "Ne garder qu'un porteur pilote : passer les autres élu·es en « appui », ou rattacher le service au groupe qui pilote sa direction.".into(),
            )
            .avec_effectif(eff),
        );
    }
    for d in doubles_secondaires(s, cov) {
        let mut sujets = sujets_porteurs(s, cov, d.noeud, &[&d.porteur]);
        let lie = sujets_porteurs(s, cov, d.lie, &[&d.porteur_lie]);
        let mut noeuds = sujets.noeuds.clone();
        noeuds.extend(lie.noeuds);
        noeuds.push(s.organigramme.noeud(d.lie).id.clone());
        let mut elus = sujets.elus.clone();
        elus.extend(lie.elus);
        let mut groupes = sujets.groupes.clone();
        groupes.extend(lie.groupes);
        sujets = Sujets::new(noeuds, elus, groupes);
        let lie_desc = if cov.non_couvert(d.lie) {
            format!("dont les services sont pilotés par {}", d.porteur_lie.id())
        } else {
            format!(
                "pilotée par {}",
                decrire_porteur(s, cov, d.lie, &d.porteur_lie)
            )
        };
        let eff = cov.effectif_sous_arbre[d.noeud];
        let message = format!(
            "{} est piloté par {} mais a un rattachement secondaire vers {}, {} : il répond à deux porteurs.",
            nom_noeud(s, d.noeud),
            decrire_porteur(s, cov, d.noeud, &d.porteur),
            nom_noeud(s, d.lie),
            lie_desc
        );
        out.push(
            Finding::new(
                Code::D002,
                Gravite::Erreur,
                sujets,
                message,
                regles::COHERENCE,
                format!(
                    "Confier « {} » au porteur de « {} » ({}), ou supprimer le rattachement secondaire s'il n'est plus fonctionnel.",
                    s.organigramme.noeud(d.noeud).id,
                    s.organigramme.noeud(d.lie).id,
                    d.porteur_lie.id()
                ),
            )
            .avec_effectif(eff),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::graphe::Graphe;
    use crate::analyse::graphe::tests::{arbre, elu, scenario};
    use crate::model::{Fonction, Role};

    fn analyse(dels: &[(&str, &str, Role)]) -> Vec<Finding> {
        let s = scenario(
            arbre(),
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                elu("B", Fonction::Adjoint, Some("G2")),
                elu("C", Fonction::ConseillerDelegue, Some("G1")),
            ],
            dels,
        );
        let cov = Couverture::calculer(&s, &Graphe::construire(&s));
        diagnostiquer(&s, &cov)
    }

    #[test]
    fn ancestor_and_descendant_of_two_groups_is_d001_once() {
        let f = analyse(&[("A", "DGA-A", Role::Pilote), ("B", "DIR-A1", Role::Pilote)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, "D001");
        assert_eq!(f[0].sujets.noeuds, vec!["DGA-A", "DIR-A1"]);
        assert_eq!(f[0].sujets.elus, vec!["A", "B"]);
        assert_eq!(f[0].sujets.groupes, vec!["G1", "G2"]);
        assert_eq!(f[0].effectif, Some(16.0));
    }

    #[test]
    fn two_direct_pilotes_of_one_group_are_fine() {
        let f = analyse(&[
            ("A", "DIR-A1", Role::Pilote),
            ("C", "SRV-A1a", Role::Pilote),
        ]);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn appui_of_another_group_is_fine() {
        let f = analyse(&[("A", "DIR-A1", Role::Pilote), ("B", "DIR-A1", Role::Appui)]);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn secondary_link_to_another_group_is_d002() {
        let f = analyse(&[("A", "DIR-A2", Role::Pilote), ("B", "DGA-B", Role::Pilote)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, "D002");
        assert_eq!(
            f[0].sujets.noeuds,
            vec!["DGA-B", "DIR-A2", "SRV-A2a", "SRV-B1a"]
        );
        assert_eq!(f[0].sujets.elus, vec!["A", "B"]);
    }

    #[test]
    fn secondary_link_to_an_unled_node_uses_its_subtree() {
        // SRV-B1a has no pilote above it: its porteur is read below (here: nobody) → no finding.
        let f = analyse(&[("A", "DIR-A2", Role::Pilote)]);
        assert!(f.is_empty(), "{f:#?}");
    }
}
