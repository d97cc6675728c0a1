//! Doubles rattachements: services that answer to élu·es of different porteurs.
//!
//! In: a scenario and its [`Couverture`]. Out: the structured doubles ([`doubles`],
//! [`doubles_secondaires`]) and their findings: D001 (pilotes of two porteurs or more on a node or
//! its ancestors, reported once at the highest node where the conflict appears), D002 (a
//! secondary link to a node led by another porteur) and D013 (info: the territorial layer of a
//! matrix organisation).
//!
//! Territorial matrix: a node of `organigramme.csv` may carry a `territoire` (a secteur or
//! quartier id). The pilote délégation of an adjoint·e whose `quartier` is that territory, on
//! that node or inside it, is *territorial*: it is the second axis of a matrix (the thematic
//! direction answers to one porteur, each territorial direction inside it to its secteur's
//! adjoint·e), not a double rattachement. A porteur counts in a double only through a
//! non-territorial pilote; a node with one thematic porteur and territorial ones is a D013 info,
//! a node with two thematic porteurs (or a secteur adjoint·e outside their secteur) stays a D001.

use super::{Code, Finding, Gravite, Porteur, Sujets, enumerer, nom_elu, nom_noeud, regles};
use crate::analyse::graphe::Couverture;
use crate::format::decimal_court;
use crate::model::{NodeIx, Scenario};

/// A node where pilotes of several porteurs meet (the highest node of the conflict).
#[derive(Debug, Clone, PartialEq)]
pub struct Double {
    /// The node.
    pub noeud: NodeIx,
    /// The porteurs in conflict (sorted).
    pub porteurs: Vec<Porteur>,
}

/// The rule that links the two layers of a territorial matrix, as findings quote it.
pub const REGLE_MATRICE: &str = "Organisation matricielle (colonne territoire de organigramme.csv) : une direction de territoire répond, pour son territoire, à l'adjoint·e de ce secteur et, pour la thématique, au porteur de la direction qui la contient ; ce n'est pas un double rattachement";

/// True when élu·e `e`'s pilote délégation effective on node `n` is territorial: `e` has a
/// `quartier` and that délégation sits on a node of that territory or inside one.
pub fn pilote_territorial(s: &Scenario, cov: &Couverture, n: NodeIx, e: usize) -> bool {
    let org = &s.organigramme;
    let Some(q) = s.elus[e].quartier.as_deref() else {
        return false;
    };
    let ou = std::iter::once(n).chain(org.ancetres(n)).find(|&a| {
        cov.graphe
            .delegues(a, crate::analyse::Lien::Pilote)
            .contains(&e)
    });
    ou.is_some_and(|ou| {
        std::iter::once(ou)
            .chain(org.ancetres(ou))
            .any(|a| org.noeud(a).territoire.as_deref() == Some(q))
    })
}

/// The porteurs of a node split into thematic ones (at least one non-territorial pilote) and
/// territorial ones (only territorial pilotes), each sorted.
pub fn porteurs_matrice(s: &Scenario, cov: &Couverture, n: NodeIx) -> (Vec<Porteur>, Vec<Porteur>) {
    let mut thematiques = Vec::new();
    let mut territoriaux = Vec::new();
    for p in &cov.porteurs[n] {
        let territorial = cov.pilotes[n]
            .iter()
            .filter(|&&e| &cov.porteur_elu[e] == p)
            .all(|&e| pilote_territorial(s, cov, n, e));
        if territorial {
            territoriaux.push(p.clone());
        } else {
            thematiques.push(p.clone());
        }
    }
    (thematiques, territoriaux)
}

/// Doubles rattachements of the hierarchy: a node whose thematic porteurs are two or more
/// (territorial pilotes of a matrix do not count), unless its parent already has the very same
/// conflict (so a contested direction is reported once, not once per service).
pub fn doubles(s: &Scenario, cov: &Couverture) -> Vec<Double> {
    let org = &s.organigramme;
    let thematiques: Vec<Vec<Porteur>> = (0..org.len())
        .map(|n| {
            if cov.double(n) {
                porteurs_matrice(s, cov, n).0
            } else {
                cov.porteurs[n].clone()
            }
        })
        .collect();
    (0..org.len())
        .filter(|&n| thematiques[n].len() > 1)
        .filter(|&n| match org.noeud(n).parent {
            Some(p) => thematiques[p] != thematiques[n],
            None => true,
        })
        .map(|n| Double {
            noeud: n,
            porteurs: thematiques[n].clone(),
        })
        .collect()
}

/// A node where the territorial layer of a matrix meets its thematic porteur (the highest node
/// of that configuration).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrice {
    /// The territorial node.
    pub noeud: NodeIx,
    /// The thematic porteur.
    pub thematique: Porteur,
    /// The territorial porteurs.
    pub territoriaux: Vec<Porteur>,
}

/// Territorial matrices: nodes with exactly one thematic porteur and territorial ones, reported
/// once at the highest node of the configuration.
pub fn matrices(s: &Scenario, cov: &Couverture) -> Vec<Matrice> {
    let org = &s.organigramme;
    let cle = |n: NodeIx| cov.double(n).then(|| porteurs_matrice(s, cov, n));
    (0..org.len())
        .filter_map(|n| {
            let (them, terr) = cle(n)?;
            if them.len() != 1 || terr.is_empty() {
                return None;
            }
            if let Some(p) = org.noeud(n).parent
                && cle(p) == Some((them.clone(), terr.clone()))
            {
                return None;
            }
            Some(Matrice {
                noeud: n,
                thematique: them.into_iter().next()?,
                territoriaux: terr,
            })
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

/// Findings D001, D002 and D013.
pub fn diagnostiquer(s: &Scenario, cov: &Couverture) -> Vec<Finding> {
    let mut out = Vec::new();
    for m in matrices(s, cov) {
        let n = m.noeud;
        let mut refs: Vec<&Porteur> = vec![&m.thematique];
        refs.extend(m.territoriaux.iter());
        let territoriaux: Vec<String> = m
            .territoriaux
            .iter()
            .map(|p| decrire_porteur(s, cov, n, p))
            .collect();
        let territoire = std::iter::once(n)
            .chain(s.organigramme.ancetres(n))
            .find_map(|a| s.organigramme.noeud(a).territoire.clone())
            .unwrap_or_default();
        let message = format!(
            "{} est une direction de territoire ({territoire}) dans une organisation matricielle : {} en porte le territoire, {} la thématique. Règle : {REGLE_MATRICE}.",
            nom_noeud(s, n),
            enumerer(&territoriaux),
            decrire_porteur(s, cov, n, &m.thematique),
        );
        out.push(
            Finding::new(
                Code::D013,
                Gravite::Info,
                sujets_porteurs(s, cov, n, &refs),
                message,
                regles::COHERENCE,
                "Rien à corriger : vérifier que la lettre de mission de chaque élu·e dit ce qui relève du territoire et ce qui relève de la thématique.".into(),
            )
            .avec_effectif(cov.effectif_sous_arbre[n]),
        );
    }
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
            "{} est piloté par {} mais a un lien fonctionnel (rattachement secondaire) vers {}, {} : lien fonctionnel entre groupes, il répond à deux porteurs.",
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

    /// DIR-A1 is the direction de territoire « nord » inside DGA-A (piloted by A, group G1);
    /// Q is the adjoint·e of secteur nord, in group G2.
    fn matrice(dels: &[(&str, &str, Role)]) -> (Scenario, Vec<Finding>) {
        let mut o = arbre();
        let a1 = o.find("DIR-A1").expect("DIR-A1");
        o.noeuds[a1].territoire = Some("nord".into());
        let mut q = elu("Q", Fonction::Adjoint, Some("G2"));
        q.quartier = Some("nord".into());
        let s = scenario(
            o,
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                elu("B", Fonction::Adjoint, Some("G3")),
                q,
            ],
            dels,
        );
        let cov = Couverture::calculer(&s, &Graphe::construire(&s));
        let f = diagnostiquer(&s, &cov);
        (s, f)
    }

    #[test]
    fn the_secteur_adjoint_on_their_territorial_node_is_a_matrix_not_a_double() {
        let (s, f) = matrice(&[("A", "DGA-A", Role::Pilote), ("Q", "DIR-A1", Role::Pilote)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, "D013");
        assert_eq!(f[0].gravite, Gravite::Info);
        assert_eq!(f[0].sujets.elus, vec!["A", "Q"]);
        assert!(f[0].message.contains("nord") && f[0].message.contains(REGLE_MATRICE));
        // The groups' D010 does not fire either: the matrix is Q's linked délégation.
        let g = crate::analyse::groupes::diagnostiquer(&s);
        assert!(!g.iter().any(|x| x.code == "D010"), "{g:#?}");
    }

    #[test]
    fn a_real_double_inside_a_territorial_node_stays_an_error() {
        let (_, f) = matrice(&[
            ("A", "DGA-A", Role::Pilote),
            ("Q", "DIR-A1", Role::Pilote),
            ("B", "SRV-A1a", Role::Pilote),
        ]);
        let d: Vec<&Finding> = f.iter().filter(|x| x.code == "D001").collect();
        assert_eq!(d.len(), 1, "{f:#?}");
        assert_eq!(d[0].sujets.noeuds, vec!["DGA-A", "SRV-A1a"]);
        assert_eq!(d[0].sujets.groupes, vec!["G1", "G3"]);
    }

    #[test]
    fn a_secteur_adjoint_outside_their_secteur_is_a_double() {
        let (_, f) = matrice(&[("A", "DGA-A", Role::Pilote), ("Q", "DIR-A2", Role::Pilote)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, "D001");
    }

    #[test]
    fn findings_resting_on_an_estimate_say_so_and_the_estimated_staff_is_counted() {
        let (mut s, _) = matrice(&[("A", "DGA-A", Role::Pilote), ("B", "SRV-A1a", Role::Pilote)]);
        let a = crate::analyse::analyser(&s);
        assert!(a.effectif_estime.is_none());
        let d001 = a.de_code("D001").next().expect("D001");
        assert!(!d001.message.contains("estimé"), "{}", d001.message);
        let srv = s.organigramme.find("SRV-A1a").expect("node");
        s.organigramme.noeuds[srv].estime = true;
        let a = crate::analyse::analyser(&s);
        assert_eq!(a.effectif_estime, Some((10.0, 50.0)));
        let d001 = a.de_code("D001").next().expect("D001");
        assert!(
            d001.message.ends_with(crate::analyse::MENTION_ESTIMATION),
            "{}",
            d001.message
        );
    }
}
