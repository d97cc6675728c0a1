//! `voeux.csv` → [`Voeu`]s: the groups each movable élu·e would like to join, ranked 1 to 5
//! (`collegia affecter`).
//!
//! The file is optional. It is read with the same robust reader as the other CSV files
//! (separator, encoding, BOM, header aliases) and validated against the loaded scenario: every row
//! is checked and every failure returned as a coded [`Diagnostic`].

use super::error::{Code, Diagnostic, IngestError};
/// The columns live in [`super::schema`], with their types and how they are written.
pub use super::schema::COLONNES_VOEUX;
use super::table::{Source, read_table};
use crate::model::{RANGS_VOEUX, Scenario, Voeu, est_mobile, groupe_pilote, groupes_menes};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Name of the wishes file in a scenario folder.
pub const FICHIER_VOEUX: &str = "voeux.csv";

fn col(presentes: &[Option<String>], i: usize) -> String {
    presentes[i]
        .clone()
        .unwrap_or_else(|| COLONNES_VOEUX[i].nom.to_string())
}

/// Parses and validates `voeux.csv` against a loaded scenario.
///
/// `elu` names an élu·e (E008 if unknown, E018 if empty) whose group is chosen: a conseiller·e
/// délégué·e or an adjoint·e de quartier (E037 otherwise). `choix` is a group led by an adjoint·e
/// or a node of the organigramme, meaning the group that leads it ([`groupe_pilote`]); E036 when
/// it is neither, or names a node no group leads. `rang` is an integer from 1 to 5 (E012 if not a
/// number, E013 outside). One élu·e gives each rank once and names each group once (E038 on the
/// repeated line); a node wish resolving to a group also wished is no error: the better rank
/// counts, and the output says so (`optimise::voeux::resoudre`).
pub fn parse_voeux(src: &Source, scenario: &Scenario) -> Result<Vec<Voeu>, Vec<Diagnostic>> {
    let t = read_table(src, COLONNES_VOEUX)?;
    let f = t.fichier.as_str();
    let menes = groupes_menes(scenario);
    let mut diags = Vec::new();
    let mut out = Vec::new();
    // (élu·e, rank) and (élu·e, group) already seen, with their line.
    let mut rangs: BTreeMap<(usize, u8), usize> = BTreeMap::new();
    let mut groupes: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for l in &t.lignes {
        let (elu, choix, rang) = (l.get(0), l.get(1), l.get(2));
        let vide = |i: usize, quoi: &str| {
            Diagnostic::fichier(Code::E018, f, format!("{quoi} manquant"))
                .ligne(l.numero)
                .colonne(&col(&t.presentes, i))
                .aide(
                    "chaque ligne donne un·e élu·e, un choix (groupe ou nœud) et un rang de 1 à 5",
                )
        };
        let e = if elu.is_empty() {
            diags.push(vide(0, "identifiant d'élu·e"));
            None
        } else {
            match scenario.find_elu(elu) {
                None => {
                    diags.push(
                        Diagnostic::fichier(Code::E008, f, format!("élu·e « {elu} » inconnu·e"))
                            .ligne(l.numero)
                            .colonne(&col(&t.presentes, 0))
                            .valeur(elu)
                            .aide("donnez l'identifiant (colonne id) d'un·e élu·e de elus.csv"),
                    );
                    None
                }
                Some(e) if !est_mobile(scenario, e) => {
                    diags.push(
                        Diagnostic::fichier(
                            Code::E037,
                            f,
                            format!(
                                "le groupe de « {elu} » ({}) ne se choisit pas : seul·es les conseiller·es délégué·es et les adjoint·es de quartier changent de groupe",
                                scenario.elus[e].fonction.libelle()
                            ),
                        )
                        .ligne(l.numero)
                        .colonne(&col(&t.presentes, 0))
                        .valeur(elu)
                        .aide("retirez les lignes de cet·te élu·e : un·e adjoint·e qui anime un groupe y reste"),
                    );
                    None
                }
                Some(e) => Some(e),
            }
        };
        let mut noeud = None;
        let groupe = if choix.is_empty() {
            diags.push(vide(1, "choix"));
            None
        } else if menes.contains(choix) {
            Some(choix.to_string())
        } else {
            noeud = scenario.organigramme.find(choix);
            let resolu = noeud.map(|n| groupe_pilote(scenario, n));
            match resolu {
                Some(Some(g)) => Some(g),
                Some(None) => {
                    diags.push(
                        Diagnostic::fichier(
                            Code::E036,
                            f,
                            format!("aucun groupe ne pilote le nœud « {choix} »"),
                        )
                        .ligne(l.numero)
                        .colonne(&col(&t.presentes, 1))
                        .valeur(choix)
                        .aide("nommez plutôt le groupe voulu (colonne groupe de elus.csv), ou un nœud piloté par un·e élu·e d'un groupe"),
                    );
                    None
                }
                None => {
                    diags.push(
                        Diagnostic::fichier(
                            Code::E036,
                            f,
                            format!("« {choix} » n'est ni un groupe animé par un·e adjoint·e ni un nœud de l'organigramme"),
                        )
                        .ligne(l.numero)
                        .colonne(&col(&t.presentes, 1))
                        .valeur(choix)
                        .aide("donnez un groupe de la colonne groupe de elus.csv, ou l'identifiant d'un nœud de organigramme.csv"),
                    );
                    None
                }
            }
        };
        let r = if rang.is_empty() {
            diags.push(vide(2, "rang"));
            None
        } else {
            match super::parse_nombre(rang) {
                None => {
                    diags.push(
                        Diagnostic::fichier(Code::E012, f, "le rang n'est pas un nombre")
                            .ligne(l.numero)
                            .colonne(&col(&t.presentes, 2))
                            .valeur(rang)
                            .aide("écrivez un rang entier de 1 (premier vœu) à 5"),
                    );
                    None
                }
                Some(v)
                    if v.fract() == 0.0
                        && v >= f64::from(*RANGS_VOEUX.start())
                        && v <= f64::from(*RANGS_VOEUX.end()) =>
                {
                    Some(v as u8)
                }
                Some(_) => {
                    diags.push(
                        Diagnostic::fichier(Code::E013, f, "le rang doit être un entier de 1 à 5")
                            .ligne(l.numero)
                            .colonne(&col(&t.presentes, 2))
                            .valeur(rang)
                            .aide("écrivez un rang entier de 1 (premier vœu) à 5 ; un placement hors des vœux compte comme un rang 6"),
                    );
                    None
                }
            }
        };
        let (Some(e), Some(groupe), Some(r)) = (e, groupe, r) else {
            continue;
        };
        if let Some(&avant) = rangs.get(&(e, r)) {
            diags.push(
                Diagnostic::fichier(
                    Code::E038,
                    f,
                    format!("« {elu} » donne deux vœux de rang {r} (déjà ligne {avant})"),
                )
                .ligne(l.numero)
                .colonne(&col(&t.presentes, 2))
                .valeur(rang)
                .aide("donnez à chaque vœu d'un·e élu·e un rang différent"),
            );
            continue;
        }
        // Two rows naming one group are a mistake; a node wish means the group that will lead
        // the node in the plan, resolved (and merged with a group wish, the better rank
        // counting) after units are decided: optimise::voeux.
        if noeud.is_none()
            && let Some(&avant) = groupes.get(&(e, groupe.clone()))
        {
            diags.push(
                Diagnostic::fichier(
                    Code::E038,
                    f,
                    format!("« {elu} » demande deux fois le groupe {groupe} (déjà ligne {avant})"),
                )
                .ligne(l.numero)
                .colonne(&col(&t.presentes, 1))
                .valeur(choix)
                .aide("ne gardez qu'un vœu par groupe (un nœud vaut le groupe qui le pilote)"),
            );
            continue;
        }
        rangs.insert((e, r), l.numero);
        if noeud.is_none() {
            groupes.insert((e, groupe.clone()), l.numero);
        }
        out.push(Voeu {
            elu: e,
            groupe,
            choix: choix.to_string(),
            noeud,
            rang: r,
            ligne: l.numero,
        });
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// Reads the optional `voeux.csv` of a scenario folder (or, for a variant, of its nearest base
/// that has one). Returns the path read and the wishes, or `None` when there is no such file.
pub fn load_voeux(
    dossier: &Path,
    scenario: &Scenario,
) -> Result<Option<(PathBuf, Vec<Voeu>)>, IngestError> {
    super::load_optionnel(dossier, FICHIER_VOEUX, |src| parse_voeux(src, scenario))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemple() -> Scenario {
        let dossier = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple");
        super::super::load_scenario(&dossier)
            .expect("example loads")
            .scenario
    }

    fn lire(texte: &str) -> Result<Vec<Voeu>, Vec<Diagnostic>> {
        parse_voeux(&Source::texte("voeux.csv", texte), &exemple())
    }

    fn codes(d: &[Diagnostic]) -> Vec<(Code, Option<usize>)> {
        d.iter().map(|d| (d.code, d.ligne)).collect()
    }

    #[test]
    fn groups_and_nodes_resolve_to_the_group_that_leads_them() {
        let v = lire("elu;choix;rang\nE28;G05-culture;1\nE28;DIR-EDU;2\nE28;SRV-EDU-PERISCO;3\n")
            .expect("valid");
        let g: Vec<(&str, u8)> = v.iter().map(|v| (v.groupe.as_str(), v.rang)).collect();
        // DIR-EDU is piloted by E03 (G01); the périscolaire service by E29 (G02).
        assert_eq!(
            g,
            [
                ("G05-culture", 1),
                ("G01-education", 2),
                ("G02-enfance-jeunesse", 3)
            ]
        );
    }

    #[test]
    fn windows_1252_comma_separated_with_aliases_is_read() {
        // "É" in Windows-1252 (0xC9), no BOM: the file is decoded as Windows-1252 (a BOM would
        // mean UTF-8, and the byte would be an E033).
        let octets = b"\xC9lu,Groupe,Ordre\r\nE41,G05-culture,1\r\n".to_vec();
        let src = Source {
            nom: "voeux.csv".into(),
            octets,
        };
        let v = parse_voeux(&src, &exemple()).expect("valid");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].groupe, "G05-culture");
    }

    #[test]
    fn headers_with_ligatures_and_typographic_apostrophes_are_read() {
        // What Word and Excel autocorrect to: « Vœu » (ligature), « N° d’ordre »-like
        // apostrophes; the aliases are the same as for the plain spelling.
        let v = parse_voeux(
            &Source::texte("voeux.csv", "Élu·e;Vœu;Priorité\nE41;G05-culture;1\n"),
            &exemple(),
        )
        .expect("valid");
        assert_eq!((v[0].groupe.as_str(), v[0].rang), ("G05-culture", 1));
        let v = parse_voeux(
            &Source::texte(
                "voeux.csv",
                "Id de l’élu;NŒUD;Rang du vœu\nE41;G05-culture;2\n",
            ),
            &exemple(),
        );
        // « Id de l’élu » is no alias: the file is refused for its header, not for the ligature.
        assert!(v.is_err());
        let v = parse_voeux(
            &Source::texte("voeux.csv", "Id’élu;NŒUD;Rang’vœu\nE41;G05-culture;2\n"),
            &exemple(),
        )
        .expect("id_elu, noeud and rang_voeu are aliases");
        assert_eq!((v[0].groupe.as_str(), v[0].rang), ("G05-culture", 2));
    }

    #[test]
    fn unknown_choice_is_e030_and_unled_node_too() {
        let d = lire("elu;choix;rang\nE28;G99;1\nE41;XYZ;1\n").expect_err("invalid");
        assert_eq!(codes(&d), [(Code::E036, Some(2)), (Code::E036, Some(3))]);
    }

    #[test]
    fn a_wish_of_a_group_leader_is_e031() {
        let d = lire("elu;choix;rang\nE03;G05-culture;1\n").expect_err("invalid");
        assert_eq!(codes(&d), [(Code::E037, Some(2))]);
    }

    #[test]
    fn repeated_rank_or_group_is_e032_on_the_repeated_line() {
        let d = lire("elu;choix;rang\nE28;G05-culture;1\nE28;G04-sante;1\nE28;G05-culture;2\n")
            .expect_err("invalid");
        assert_eq!(codes(&d), [(Code::E038, Some(3)), (Code::E038, Some(4))]);
        // A node wish means the group leading the node in the plan: no error even when it is a
        // group also wished (merged later, the better rank counting).
        let v = lire("elu;choix;rang\nE28;G01-education;1\nE28;DIR-EDU;2\n").expect("valid");
        assert_eq!(v.len(), 2);
        assert!(v[0].noeud.is_none() && v[1].noeud.is_some());
    }

    #[test]
    fn rank_must_be_an_integer_from_1_to_5() {
        let d = lire("elu;choix;rang\nE28;G05-culture;6\nE29;G05-culture;un\nE30;G05-culture;1,5\nE31;G05-culture;\nE99;G05-culture;1\n")
            .expect_err("invalid");
        assert_eq!(
            codes(&d),
            [
                (Code::E013, Some(2)),
                (Code::E012, Some(3)),
                (Code::E013, Some(4)),
                (Code::E018, Some(5)),
                (Code::E008, Some(6))
            ]
        );
    }
}
