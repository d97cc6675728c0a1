//! One change of the séminaire, applied to an in-memory [`Scenario`].
//!
//! In: a scenario and a [`Modification`] (the JSON body of `POST /api/modifications`). Out: a new
//! scenario (the input is never mutated, so undo is a pointer swap) or a coded French
//! [`ErreurSeminaire`]. Every identifier is checked before anything changes: a refused change
//! changes nothing.

use super::ErreurSeminaire;
use crate::model::{Delegation, Fonction, Politique, Role, Scenario};
use serde::{Deserialize, Serialize};

/// One change the facilitator can make, as sent to `POST /api/modifications`
/// (`{"type": "deplacer_unite", "unite": "DIR-PROPRETE", "groupe": "G09-espaces-publics"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Modification {
    /// The unit (a node of the organigramme and its subtree) is led by group `groupe`: the pilote
    /// délégations other élu·es hold inside it are removed and the group's chef·fe de file pilots
    /// the unit.
    DeplacerUnite {
        /// Node id (`DIR-PROPRETE`).
        unite: String,
        /// Group id (`G09-espaces-publics`).
        groupe: String,
    },
    /// The pilote délégation of `elu` on `noeud` becomes an appui.
    PasserEnAppui {
        /// Élu·e id.
        elu: String,
        /// Node id.
        noeud: String,
    },
    /// The élu·e joins group `groupe` (`null`: leaves their group).
    DeplacerElu {
        /// Élu·e id.
        elu: String,
        /// Group id, or `null`.
        groupe: Option<String>,
    },
    /// The indemnités policy: each field given replaces the scenario's (`[indemnites]`).
    PolitiqueIndemnites {
        /// Blend between equal shares (0) and responsibility-proportional shares (1).
        #[serde(default)]
        alpha: Option<f64>,
        /// Minimum rate of every paid délégué·e, in % of the terme de référence.
        #[serde(default)]
        plancher: Option<f64>,
        /// Maximum ratio between the highest and the lowest paid délégué·e.
        #[serde(default)]
        ratio_max: Option<f64>,
        /// Policy (`egalitaire`, `proportionnelle`, `mixte`, `paliers`).
        #[serde(default)]
        politique: Option<Politique>,
    },
    /// Applies the grouping optimiser's proposal (`collegia optimiser`, direction level).
    AppliquerProposition,
    /// Applies point `point` (from 1, as `GET /api/front` numbers them) of the front of
    /// compromises of the current state (`collegia optimiser --front`, direction level).
    AppliquerPointFront {
        /// 1-based number of the point.
        point: usize,
    },
    /// Applies stage `etape` (from 1, as `GET /api/reorganisation` numbers them) of the staged
    /// reorganisation of the DGA perimeters (`collegia reorganiser` on the input's
    /// `[reorganisation]`): the organigramme of that stage (its `etape-NN/` variant) becomes the
    /// working state's; délégations and groups are unchanged.
    AppliquerEtapeReorganisation {
        /// 1-based number of the stage.
        etape: usize,
    },
}

impl Modification {
    /// One line of French saying what the change does, for the journal.
    pub fn decrire(&self, s: &Scenario) -> String {
        let noeud = |id: &str| {
            s.organigramme
                .find(id)
                .map(|x| format!("{} ({id})", s.organigramme.noeud(x).libelle))
                .unwrap_or_else(|| id.to_string())
        };
        let elu = |id: &str| {
            s.find_elu(id)
                .map(|e| format!("{} ({id})", s.elus[e].nom_complet()))
                .unwrap_or_else(|| id.to_string())
        };
        match self {
            Modification::DeplacerUnite { unite, groupe } => {
                format!("{} confiée au groupe {groupe}", noeud(unite))
            }
            Modification::PasserEnAppui { elu: e, noeud: n } => {
                format!("délégation de {} sur {} passée en appui", elu(e), noeud(n))
            }
            Modification::DeplacerElu { elu: e, groupe } => match groupe {
                Some(g) => format!("{} rejoint le groupe {g}", elu(e)),
                None => format!("{} quitte son groupe", elu(e)),
            },
            Modification::PolitiqueIndemnites {
                alpha,
                plancher,
                ratio_max,
                politique,
            } => {
                let mut parts = Vec::new();
                if let Some(p) = politique {
                    parts.push(format!("politique {}", politique_code(*p)));
                }
                if let Some(a) = alpha {
                    parts.push(format!("alpha {}", crate::format::decimal_court(*a, 2)));
                }
                if let Some(p) = plancher {
                    parts.push(format!(
                        "plancher {} %",
                        crate::format::decimal_court(*p, 2)
                    ));
                }
                if let Some(r) = ratio_max {
                    parts.push(format!(
                        "ratio maximal {}",
                        crate::format::decimal_court(*r, 2)
                    ));
                }
                format!("indemnités : {}", parts.join(", "))
            }
            Modification::AppliquerProposition => {
                "proposition de l'optimiseur appliquée".to_string()
            }
            Modification::AppliquerPointFront { point } => {
                format!("point {point} du front appliqué")
            }
            Modification::AppliquerEtapeReorganisation { etape } => {
                format!("appliquer l'étape {etape} de la réorganisation")
            }
        }
    }
}

/// The code of a policy as written in `scenario.toml`.
pub fn politique_code(p: Politique) -> &'static str {
    match p {
        Politique::Egalitaire => "egalitaire",
        Politique::Proportionnelle => "proportionnelle",
        Politique::Mixte => "mixte",
        Politique::Paliers => "paliers",
    }
}

fn noeud_connu(s: &Scenario, id: &str) -> Result<usize, ErreurSeminaire> {
    s.organigramme
        .find(id)
        .ok_or_else(|| ErreurSeminaire::NoeudInconnu(id.to_string()))
}

fn elu_connu(s: &Scenario, id: &str) -> Result<usize, ErreurSeminaire> {
    s.find_elu(id)
        .ok_or_else(|| ErreurSeminaire::EluInconnu(id.to_string()))
}

fn groupe_connu(s: &Scenario, id: &str) -> Result<crate::model::Groupe, ErreurSeminaire> {
    s.groupes_detail()
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| ErreurSeminaire::GroupeInconnu(id.to_string()))
}

/// Checks a number of the policy against the range `scenario.toml` accepts.
fn borne(cle: &'static str, v: f64, min: f64, max: f64) -> Result<f64, ErreurSeminaire> {
    if v.is_finite() && (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(ErreurSeminaire::ValeurHorsBornes {
            cle,
            valeur: v,
            min,
            max,
        })
    }
}

/// Applies a change that needs no solver (everything but [`Modification::AppliquerProposition`],
/// [`Modification::AppliquerPointFront`] and [`Modification::AppliquerEtapeReorganisation`],
/// which [`super::Session`] runs through the optimiser or the reorganisation's plan). Returns
/// the new scenario.
pub fn appliquer(s: &Scenario, m: &Modification) -> Result<Scenario, ErreurSeminaire> {
    let mut out = s.clone();
    match m {
        Modification::DeplacerUnite { unite, groupe } => {
            let x = noeud_connu(s, unite)?;
            let g = groupe_connu(s, groupe)?;
            let chef = g
                .chef
                .ok_or_else(|| ErreurSeminaire::GroupeSansChef(groupe.clone()))?;
            let dedans = s.organigramme.sous_arbre(x);
            let libelle = s
                .delegations
                .iter()
                .find(|d| d.noeud == x && d.role == Role::Pilote)
                .map(|d| d.libelle.clone())
                .unwrap_or_else(|| s.organigramme.noeud(x).libelle.clone());
            // Pilotes of other groups inside the unit lose it; the group's own members keep
            // what they pilot there (a conseiller·e délégué·e's service stays theirs).
            out.delegations.retain(|d| {
                !(d.role == Role::Pilote
                    && dedans.contains(&d.noeud)
                    && !g.membres.contains(&d.elu))
            });
            let deja = out
                .delegations
                .iter()
                .any(|d| d.noeud == x && d.elu == chef && d.role == Role::Pilote);
            if !deja {
                // An appui of the chef on the node becomes the pilote délégation (one row per
                // élu·e and node, as `delegations.csv` requires).
                out.delegations.retain(|d| !(d.noeud == x && d.elu == chef));
                out.delegations.push(Delegation {
                    elu: chef,
                    noeud: x,
                    role: Role::Pilote,
                    libelle,
                    ligne: 0,
                    domaines: Vec::new(),
                });
            }
        }
        Modification::PasserEnAppui { elu, noeud } => {
            let e = elu_connu(s, elu)?;
            let x = noeud_connu(s, noeud)?;
            let d = out
                .delegations
                .iter_mut()
                .find(|d| d.elu == e && d.noeud == x && d.role == Role::Pilote)
                .ok_or_else(|| ErreurSeminaire::DelegationInconnue {
                    elu: elu.clone(),
                    noeud: noeud.clone(),
                })?;
            d.role = Role::Appui;
        }
        Modification::DeplacerElu { elu, groupe } => {
            let e = elu_connu(s, elu)?;
            if s.elus[e].fonction == Fonction::Maire {
                return Err(ErreurSeminaire::MaireSansGroupe(elu.clone()));
            }
            if let Some(g) = groupe {
                // A new group is allowed (a group is just a label in `elus.csv`), but its id
                // must be a plain identifier so that it round-trips through the CSV.
                let ok = !g.is_empty()
                    && g.chars().count() <= 64
                    && g.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
                if !ok {
                    return Err(ErreurSeminaire::GroupeInvalide(g.clone()));
                }
            }
            out.elus[e].groupe = groupe.clone();
        }
        Modification::PolitiqueIndemnites {
            alpha,
            plancher,
            ratio_max,
            politique,
        } => {
            if alpha.is_none() && plancher.is_none() && ratio_max.is_none() && politique.is_none() {
                return Err(ErreurSeminaire::ModificationVide);
            }
            let p = &mut out.params.indemnites;
            if let Some(a) = alpha {
                p.alpha = borne("alpha", *a, 0.0, 1.0)?;
            }
            if let Some(v) = plancher {
                p.plancher = borne("plancher", *v, 0.0, 1000.0)?;
            }
            if let Some(r) = ratio_max {
                p.ratio_max = Some(borne("ratio_max", *r, 1.0, 1000.0)?);
            }
            if let Some(pol) = politique {
                p.politique = *pol;
            }
        }
        Modification::AppliquerProposition
        | Modification::AppliquerPointFront { .. }
        | Modification::AppliquerEtapeReorganisation { .. } => {
            return Err(ErreurSeminaire::ModificationVide);
        }
    }
    for (k, d) in out.delegations.iter_mut().enumerate() {
        d.ligne = k + 2;
    }
    Ok(out)
}

/// Checks a changed scenario by the rules of the input files, those `collegia verifier`
/// applies (the one schema of [`crate::ingest`]): the tables that changed (organigramme,
/// élu·es, délégations) are written as the variant would write them and read back. A change the saved variant would fail with is
/// refused before it is applied ([`ErreurSeminaire::ModificationInvalide`], the first
/// diagnostic whole: `g01` beside `G01` is refused with E043's wording).
pub fn valider(avant: &Scenario, apres: &Scenario) -> Result<(), ErreurSeminaire> {
    use crate::ingest::Source;
    let premier = |d: Vec<crate::ingest::Diagnostic>| {
        ErreurSeminaire::ModificationInvalide(
            d.first()
                .map(|d| d.to_string())
                .unwrap_or_else(|| "fichier invalide".into()),
        )
    };
    // The organigramme changes only by an applied stage of the reorganisation (new DGA, new
    // parents): read back like the variant's `organigramme.csv`, and the délégations against it.
    let org_change = avant.organigramme.noeuds != apres.organigramme.noeuds;
    let mut org = std::borrow::Cow::Borrowed(&apres.organigramme);
    if org_change {
        let src = Source {
            nom: "organigramme.csv".into(),
            octets: crate::report::scenario::organigramme_csv(&apres.organigramme),
        };
        org = std::borrow::Cow::Owned(
            crate::ingest::parse_organigramme(&src, &apres.params.axes).map_err(premier)?,
        );
    }
    let mut elus = std::borrow::Cow::Borrowed(&apres.elus);
    if avant.elus != apres.elus {
        let src = Source {
            nom: "elus.csv".into(),
            octets: crate::report::scenario::elus_csv(&apres.elus),
        };
        let p = &apres.params;
        elus = std::borrow::Cow::Owned(
            crate::ingest::parse_elus(&src, &p.axes, &p.communes_deleguees).map_err(premier)?,
        );
    }
    if org_change || avant.elus != apres.elus || avant.delegations != apres.delegations {
        let src = Source {
            nom: "delegations.csv".into(),
            octets: crate::report::scenario::delegations_csv(
                &apres.delegations,
                &apres.delegations_sans_service,
                &apres.elus,
                &apres.organigramme,
            ),
        };
        crate::ingest::parse_delegations_completes(&src, &elus, &org).map_err(premier)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemple() -> Scenario {
        crate::ingest::load_scenario(std::path::Path::new("data/exemple"))
            .expect("the example loads")
            .scenario
    }

    #[test]
    fn moving_a_unit_gives_it_to_the_group_chef() {
        let s = exemple();
        let m = Modification::DeplacerUnite {
            unite: "DIR-PROPRETE".into(),
            groupe: "G09-espaces-publics".into(),
        };
        let t = appliquer(&s, &m).expect("applies");
        let x = s.organigramme.find("DIR-PROPRETE").expect("node");
        let chef = s
            .groupes_detail()
            .into_iter()
            .find(|g| g.id == "G09-espaces-publics")
            .and_then(|g| g.chef)
            .expect("chef");
        let pilotes: Vec<usize> = t
            .delegations
            .iter()
            .filter(|d| d.noeud == x && d.role == Role::Pilote)
            .map(|d| d.elu)
            .collect();
        assert_eq!(pilotes, vec![chef]);
        // The input is untouched.
        assert!(
            s.delegations
                .iter()
                .any(|d| d.noeud == x && d.elu != chef && d.role == Role::Pilote)
        );
    }

    #[test]
    fn unknown_ids_are_refused_with_their_code() {
        let s = exemple();
        let e = appliquer(
            &s,
            &Modification::DeplacerUnite {
                unite: "NULLE-PART".into(),
                groupe: "G09-espaces-publics".into(),
            },
        )
        .expect_err("unknown node");
        assert_eq!(e.code(), "S010");
        let e = appliquer(
            &s,
            &Modification::PasserEnAppui {
                elu: "E01".into(),
                noeud: "SRV-PROP-TAGS".into(),
            },
        )
        .expect_err("no such délégation");
        assert_eq!(e.code(), "S013");
    }

    #[test]
    fn policy_values_are_bounded() {
        let s = exemple();
        let e = appliquer(
            &s,
            &Modification::PolitiqueIndemnites {
                alpha: Some(1.5),
                plancher: None,
                ratio_max: None,
                politique: None,
            },
        )
        .expect_err("alpha > 1");
        assert_eq!(e.code(), "S015");
        let t = appliquer(
            &s,
            &Modification::PolitiqueIndemnites {
                alpha: Some(0.8),
                plancher: Some(12.0),
                ratio_max: None,
                politique: None,
            },
        )
        .expect("applies");
        assert_eq!(t.params.indemnites.alpha, 0.8);
        assert_eq!(t.params.indemnites.plancher, 12.0);
    }

    /// An organigramme changed in the room (an applied stage of the reorganisation) is read
    /// back like the variant's `organigramme.csv`: a direction under another DGA passes, a
    /// repeated id is refused with the reader's own diagnostic (S019 carrying E-code and line).
    #[test]
    fn a_changed_organigramme_is_read_back_by_the_schema() {
        let s = exemple();
        let org = &s.organigramme;
        let dgas: Vec<usize> = (0..org.len())
            .filter(|&x| org.noeud(x).niveau == crate::model::Niveau::Dga)
            .collect();
        let d = (0..org.len())
            .find(|&x| org.noeud(x).parent == Some(dgas[0]))
            .expect("a direction under the first DGA");
        let mut deplace = s.clone();
        deplace.organigramme.noeuds[d].parent = Some(dgas[1]);
        valider(&s, &deplace).expect("a direction under another DGA is valid");
        let mut double = s.clone();
        double.organigramme.noeuds[d].id = org.noeud(dgas[1]).id.clone();
        let e = valider(&s, &double).expect_err("a repeated id");
        assert_eq!(e.code(), "S019");
        let texte = e.to_string();
        assert!(texte.contains("organigramme.csv"), "{texte}");
    }

    #[test]
    fn the_json_shape_of_the_issue_parses() {
        let m: Modification = serde_json::from_str(
            r#"{"type": "deplacer_unite", "unite": "DIR-PROPRETE", "groupe": "G09-espaces-publics"}"#,
        )
        .expect("parses");
        assert_eq!(
            m,
            Modification::DeplacerUnite {
                unite: "DIR-PROPRETE".into(),
                groupe: "G09-espaces-publics".into()
            }
        );
        assert!(serde_json::from_str::<Modification>(r#"{"type": "inconnu"}"#).is_err());
        let m: Modification =
            serde_json::from_str(r#"{"type": "appliquer_point_front", "point": 2}"#)
                .expect("parses");
        assert_eq!(m, Modification::AppliquerPointFront { point: 2 });
        assert!(
            serde_json::from_str::<Modification>(
                r#"{"type": "appliquer_point_front", "point": -1}"#
            )
            .is_err()
        );
    }
}
