//! Groups and the place of every élu·e of the majority.
//!
//! In: a scenario. Out: findings
//! - D007 (alerte): a group without exactly one adjoint·e leading it (adjoint·es de quartier and
//!   maires délégué·es are members, not leads);
//! - D008 (alerte): a group of a single member, or above `[groupes] taille_max`;
//! - D009 (alerte): a conseiller·e délégué·e outside any group;
//! - D010 (alerte): an adjoint·e de quartier whose délégations touch no node inside the pilote
//!   perimeter of their group's lead (or who has no group);
//! - D011 (info): an élu·e of the majority without any délégation (a délégation without a
//!   service counts). The maire and the maires délégué·es are excepted: their function is their
//!   role (the maire gives the délégations, L2122-18; a maire délégué·e runs the commune
//!   déléguée, L2113-13);
//! - D012 (info): a group whose lead comes from the default rule ([`crate::model::REGLE_CHEF`])
//!   rather than a `chef_de_file` declaration, when the scenario declares leads elsewhere or the
//!   rule had to choose between several candidates.
//!
//! An adjoint·e de quartier piloting a territorial node of their own secteur (`territoire`) holds
//! the territorial layer of a matrix: that is their linked délégation, not a D010.

use super::{Code, Finding, Gravite, Sujets, enumerer, nom_elu, regles};
use crate::model::{ChoixChef, Fonction, Liste, REGLE_CHEF, Scenario, lien, perimetre_thematique};

/// The members who may lead each group (élu·e indices, [`crate::model::peut_animer`]), by group
/// id; the lead itself is [`crate::model::Groupe::chef`].
pub fn chefs_de_file(s: &Scenario) -> std::collections::BTreeMap<String, Vec<usize>> {
    crate::model::adjoints_thematiques(s)
}

fn ids(s: &Scenario, v: &[usize]) -> Vec<String> {
    v.iter().map(|&e| s.elus[e].id.clone()).collect()
}

fn noms(s: &Scenario, v: &[usize]) -> Vec<String> {
    v.iter().map(|&e| nom_elu(s, e)).collect()
}

/// Findings D007 to D011.
pub fn diagnostiquer(s: &Scenario) -> Vec<Finding> {
    let mut out = Vec::new();
    let groupes = s.groupes();
    let chefs = chefs_de_file(s);
    let taille_max = s.params.groupes.taille_max as usize;
    let declarations = s.elus.iter().any(|e| e.chef_de_file.is_some());
    for g in s.groupes_detail() {
        let Some(chef) = g.chef else { continue };
        if g.choix_chef == ChoixChef::Regle && (declarations || g.candidats_chef.len() > 1) {
            out.push(Finding::new(
                Code::D012,
                Gravite::Info,
                Sujets::new([], ids(s, &g.membres), [g.id.clone()]),
                format!(
                    "Le groupe {} n'a pas de chef·fe de file déclaré·e : {} l'anime par la règle ({REGLE_CHEF}).",
                    g.id,
                    nom_elu(s, chef)
                ),
                regles::GROUPES,
                "Déclarer le ou la chef·fe de file du groupe (colonne chef_de_file = oui dans elus.csv) si ce n'est pas cet·te élu·e.".into(),
            ));
        }
    }
    for (g, membres) in &groupes {
        let c = chefs.get(g).cloned().unwrap_or_default();
        if c.len() != 1 {
            let message = if c.is_empty() {
                format!(
                    "Le groupe {g} ({}) n'a pas d'adjoint·e thématique ou transversal·e pour l'animer.",
                    enumerer(&noms(s, membres))
                )
            } else {
                format!(
                    "Le groupe {g} a {} adjoint·es qui pourraient l'animer : {}.",
                    c.len(),
                    enumerer(&noms(s, &c))
                )
            };
            out.push(Finding::new(
                Code::D007,
                Gravite::Alerte,
                Sujets::new([], ids(s, membres), [g.clone()]),
                message,
                regles::GROUPES,
                if c.is_empty() {
                    "Rattacher le groupe à un·e adjoint·e, ou répartir ses membres dans d'autres groupes.".into()
                } else {
                    "Scinder le groupe pour que chaque adjoint·e anime le sien.".into()
                },
            ));
        }
        if membres.len() < 2 || membres.len() > taille_max {
            let message = if membres.len() < 2 {
                format!(
                    "Le groupe {g} n'a qu'un·e membre ({}) : ce n'est ni un binôme ni un groupe.",
                    enumerer(&noms(s, membres))
                )
            } else {
                format!(
                    "Le groupe {g} compte {} membres, au-delà du maximum de {taille_max} ([groupes] taille_max).",
                    membres.len()
                )
            };
            out.push(Finding::new(
                Code::D008,
                Gravite::Alerte,
                Sujets::new([], ids(s, membres), [g.clone()]),
                message,
                regles::GROUPES,
                if membres.len() < 2 {
                    "Associer un·e conseiller·e délégué·e à ce groupe, ou le fondre dans un groupe voisin.".into()
                } else {
                    "Scinder le groupe en binômes ou groupes de 3 ou 4.".into()
                },
            ));
        }
    }
    for (i, e) in s.elus.iter().enumerate() {
        if e.fonction == Fonction::ConseillerDelegue && e.groupe.is_none() {
            out.push(Finding::new(
                Code::D009,
                Gravite::Alerte,
                Sujets::new([], [e.id.clone()], []),
                format!(
                    "{}, conseiller·e délégué·e, n'appartient à aucun groupe.",
                    nom_elu(s, i)
                ),
                regles::GROUPES,
                "Rattacher cet·te élu·e au groupe de l'adjoint·e dont sa délégation est la plus proche (colonne « groupe » de elus.csv).".into(),
            ));
        }
        if e.est_adjoint_quartier() {
            quartier(s, i, &chefs, &mut out);
        }
        let sans_delegation = !s.a_une_delegation(i);
        if e.liste == Liste::Majorite
            && sans_delegation
            // Maires délégué·es and their adjoint·es hold the délégations of a commune
            // déléguée (L2113-13), which the scenario's délégations do not describe.
            && !matches!(
                e.fonction,
                Fonction::Maire | Fonction::MaireDelegue | Fonction::AdjointMaireDelegue
            )
        {
            out.push(Finding::new(
                Code::D011,
                Gravite::Info,
                Sujets::new([], [e.id.clone()], e.groupe.clone()),
                format!(
                    "{}, {}, est membre de la majorité sans aucune délégation.",
                    nom_elu(s, i),
                    e.fonction.libelle()
                ),
                regles::PLACE,
                "Proposer à cet·te élu·e une délégation, au moins en appui dans un groupe.".into(),
            ));
        }
    }
    out
}

/// D010 for one adjoint·e de quartier.
fn quartier(
    s: &Scenario,
    i: usize,
    chefs: &std::collections::BTreeMap<String, Vec<usize>>,
    out: &mut Vec<Finding>,
) {
    let e = &s.elus[i];
    let org = &s.organigramme;
    let q = e.quartier.as_deref().unwrap_or_default();
    let siennes: Vec<usize> = s
        .delegations
        .iter()
        .filter(|d| d.elu == i)
        .map(|d| d.noeud)
        .collect();
    // The one definition of the link (model::quartier), the territorial layer of a matrix
    // included.
    let leads = e
        .groupe
        .as_ref()
        .map(|g| chefs.get(g).cloned().unwrap_or_default());
    let perimetre = leads.as_ref().map(|l| perimetre_thematique(s, l));
    if lien(s, i, perimetre.as_deref()).satisfait() {
        return;
    }
    let (message, groupes, leads) = match &e.groupe {
        None => (
            format!(
                "{}, adjoint·e du quartier {q}, n'appartient à aucun groupe thématique.",
                nom_elu(s, i)
            ),
            vec![],
            vec![],
        ),
        Some(g) => {
            let leads = leads.unwrap_or_default();
            let qui = if leads.is_empty() {
                "le groupe n'a pas d'adjoint·e thématique".to_string()
            } else {
                format!(
                    "aucune ne touche le périmètre piloté par {}",
                    enumerer(&noms(s, &leads))
                )
            };
            (
                format!(
                    "{}, adjoint·e du quartier {q} dans le groupe {g}, n'a pas de délégation thématique liée à son groupe : {qui}.",
                    nom_elu(s, i)
                ),
                vec![g.clone()],
                leads,
            )
        }
    };
    let mut elus = vec![e.id.clone()];
    elus.extend(ids(s, &leads));
    out.push(Finding::new(
        Code::D010,
        Gravite::Alerte,
        Sujets::new(
            siennes.iter().map(|&n| org.noeud(n).id.clone()),
            elus,
            groupes,
        ),
        message,
        regles::QUARTIER,
        "Donner à cet·te adjoint·e une délégation (pilote ou appui) sur un service du périmètre de l'adjoint·e thématique de son groupe.".into(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::graphe::tests::{arbre, elu, scenario};
    use crate::model::Role;

    fn codes(f: &[Finding], code: &str) -> Vec<Finding> {
        f.iter().filter(|x| x.code == code).cloned().collect()
    }

    #[test]
    fn group_with_two_leads_is_d007_and_quartier_adjoint_does_not_count() {
        let mut q = elu("Q", Fonction::Adjoint, Some("G1"));
        q.quartier = Some("Centre".into());
        let s = scenario(
            arbre(),
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                q,
                elu("B", Fonction::Adjoint, Some("G2")),
                elu("B2", Fonction::Adjoint, Some("G2")),
            ],
            &[
                ("A", "DIR-A1", Role::Pilote),
                ("Q", "SRV-A1a", Role::Appui),
                ("B", "DIR-B1", Role::Pilote),
                ("B2", "DIR-A2", Role::Pilote),
            ],
        );
        let f = diagnostiquer(&s);
        let d = codes(&f, "D007");
        assert_eq!(d.len(), 1, "{f:#?}");
        assert_eq!(d[0].sujets.groupes, vec!["G2"]);
        assert_eq!(d[0].sujets.elus, vec!["B", "B2"]);
        assert!(codes(&f, "D010").is_empty(), "{f:#?}");
    }

    #[test]
    fn one_member_group_is_d008() {
        let s = scenario(
            arbre(),
            vec![elu("A", Fonction::Adjoint, Some("G1"))],
            &[("A", "DIR-A1", Role::Pilote)],
        );
        let f = diagnostiquer(&s);
        let d = codes(&f, "D008");
        assert_eq!(d.len(), 1, "{f:#?}");
        assert_eq!(d[0].sujets.elus, vec!["A"]);
        assert_eq!(d[0].sujets.groupes, vec!["G1"]);
    }

    #[test]
    fn conseiller_delegue_outside_groups_is_d009() {
        let s = scenario(
            arbre(),
            vec![elu("C", Fonction::ConseillerDelegue, None)],
            &[("C", "DIR-A1", Role::Appui)],
        );
        let f = diagnostiquer(&s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, "D009");
        assert_eq!(f[0].sujets.elus, vec!["C"]);
    }

    #[test]
    fn quartier_adjoint_outside_their_lead_perimeter_is_d010() {
        let mut q = elu("Q", Fonction::Adjoint, Some("G1"));
        q.quartier = Some("Centre".into());
        let s = scenario(
            arbre(),
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                q,
                elu("C", Fonction::ConseillerDelegue, Some("G1")),
            ],
            &[
                ("A", "DIR-A1", Role::Pilote),
                ("C", "DIR-A2", Role::Pilote),
                ("Q", "SRV-A2a", Role::Appui),
            ],
        );
        let f = diagnostiquer(&s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, "D010");
        assert_eq!(f[0].sujets.noeuds, vec!["SRV-A2a"]);
        assert_eq!(f[0].sujets.elus, vec!["A", "Q"]);
        assert_eq!(f[0].sujets.groupes, vec!["G1"]);
    }

    #[test]
    fn majority_member_without_delegation_is_d011_but_not_the_maire() {
        let mut opp = elu("O", Fonction::Conseiller, None);
        opp.liste = Liste::Opposition;
        let s = scenario(
            arbre(),
            vec![
                elu("M", Fonction::Maire, None),
                elu("K", Fonction::Conseiller, None),
                opp,
            ],
            &[],
        );
        let f = diagnostiquer(&s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, "D011");
        assert_eq!(f[0].gravite, Gravite::Info);
        assert_eq!(f[0].sujets.elus, vec!["K"]);
    }
}
