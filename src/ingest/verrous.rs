//! `verrous.csv` → [`Verrou`]s: choices the optimiser must keep (`collegia optimiser`).
//!
//! The file is optional. It is read with the same robust reader as the other CSV files
//! (separator, encoding, header aliases) and validated against the loaded scenario: every row is
//! checked and every failure returned as a coded [`Diagnostic`].

use super::error::{Code, Diagnostic, IngestError};
/// The columns live in [`super::schema`], with their types and how they are written.
pub use super::schema::COLONNES_VERROUS;
use super::table::{Source, normalise, read_table};
use crate::model::{Fonction, Scenario, SujetVerrou, Verrou};
use std::path::{Path, PathBuf};

/// Name of the locks file in a scenario folder.
pub const FICHIER_VERROUS: &str = "verrous.csv";

fn col(presentes: &[Option<String>], i: usize) -> String {
    presentes[i]
        .clone()
        .unwrap_or_else(|| COLONNES_VERROUS[i].nom.to_string())
}

/// Parses and validates `verrous.csv` against a loaded scenario.
///
/// A `unite` lock names a node of the organigramme (E009 if unknown); an `elu` lock names an
/// élu·e (E008) whose group the optimiser may choose: a conseiller·e délégué·e or an adjoint·e de
/// quartier (E029 otherwise); the group must be a value of the `groupe` column of `elus.csv`
/// (E028). Two locks on the same subject are not an input error: if they disagree, the optimiser
/// reports the conflict as an infeasibility.
pub fn parse_verrous(src: &Source, scenario: &Scenario) -> Result<Vec<Verrou>, Vec<Diagnostic>> {
    let t = read_table(src, COLONNES_VERROUS)?;
    let f = t.fichier.as_str();
    let groupes = scenario.groupes();
    let mut diags = Vec::new();
    let mut out = Vec::new();
    for l in &t.lignes {
        let (type_, sujet, groupe) = (l.get(0), l.get(1), l.get(2));
        let sujet_ok = match normalise(type_).as_str() {
            "unite" | "noeud" | "direction" | "service" => {
                match scenario.organigramme.find(sujet) {
                    Some(n) => Some(SujetVerrou::Noeud(n)),
                    None => {
                        diags.push(
                            Diagnostic::fichier(Code::E009, f, format!("nœud « {sujet} » inconnu"))
                                .ligne(l.numero)
                                .colonne(&col(&t.presentes, 1))
                                .valeur(sujet)
                                .aide("donnez l'identifiant (colonne id) d'un nœud de organigramme.csv"),
                        );
                        None
                    }
                }
            }
            "elu" | "elue" => match scenario.find_elu(sujet) {
                Some(e) => {
                    let elu = &scenario.elus[e];
                    if elu.fonction == Fonction::ConseillerDelegue || elu.est_adjoint_quartier() {
                        Some(SujetVerrou::Elu(e))
                    } else {
                        diags.push(
                            Diagnostic::fichier(
                                Code::E029,
                                f,
                                format!(
                                    "le groupe de « {sujet} » ({}) ne se choisit pas : seul·es les conseiller·es délégué·es et les adjoint·es de quartier changent de groupe",
                                    elu.fonction.libelle()
                                ),
                            )
                            .ligne(l.numero)
                            .colonne(&col(&t.presentes, 1))
                            .valeur(sujet)
                            .aide("retirez cette ligne, ou verrouillez plutôt une unité (type unite)"),
                        );
                        None
                    }
                }
                None => {
                    diags.push(
                        Diagnostic::fichier(Code::E008, f, format!("élu·e « {sujet} » inconnu·e"))
                            .ligne(l.numero)
                            .colonne(&col(&t.presentes, 1))
                            .valeur(sujet)
                            .aide("donnez l'identifiant (colonne id) d'un·e élu·e de elus.csv"),
                    );
                    None
                }
            },
            _ => {
                diags.push(
                    Diagnostic::fichier(
                        Code::E014,
                        f,
                        format!("type de verrou « {type_} » inconnu"),
                    )
                    .ligne(l.numero)
                    .colonne(&col(&t.presentes, 0))
                    .valeur(type_)
                    .aide("écrivez unite (un nœud de l'organigramme) ou elu (un·e élu·e)"),
                );
                None
            }
        };
        if !groupes.contains_key(groupe) {
            diags.push(
                Diagnostic::fichier(Code::E028, f, format!("groupe « {groupe} » inconnu"))
                    .ligne(l.numero)
                    .colonne(&col(&t.presentes, 2))
                    .valeur(groupe)
                    .aide("donnez un groupe de la colonne groupe de elus.csv"),
            );
            continue;
        }
        if let Some(sujet) = sujet_ok {
            out.push(Verrou {
                sujet,
                groupe: groupe.to_string(),
                ligne: l.numero,
            });
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// Reads the optional `verrous.csv` of a scenario folder (or, for a variant, of its nearest base
/// that has one). Returns the path read and the locks, or `None` when there is no such file.
pub fn load_verrous(
    dossier: &Path,
    scenario: &Scenario,
) -> Result<Option<(PathBuf, Vec<Verrou>)>, IngestError> {
    super::load_optionnel(dossier, FICHIER_VERROUS, |src| parse_verrous(src, scenario))
}
