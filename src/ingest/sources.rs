//! A scenario in memory: its `scenario.toml` text and its tables as bytes, with no file behind
//! them (a generated city, a test, the benchmark).
//!
//! In: [`Sources`] (from memory, or a folder as [`load_scenario`](super::load_scenario) read
//! it). Out: the validated [`Chargement`], through the one assembly and the same rules, so
//! that a scenario read from memory and one read from disk cannot differ.

use super::{Chargement, Diagnostic, IngestError, Source, TomlFile, parse_toml};
use std::path::PathBuf;

/// The sources of one scenario: what [`charger_sources`] assembles, whether they were read from
/// a folder ([`load_scenario`](super::load_scenario)) or given in memory ([`Sources::new`]).
#[derive(Debug, Clone)]
pub struct Sources {
    /// The scenario's name when `scenario.toml` has no `nom` (a folder's name on disk).
    nom: String,
    /// A `scenario.toml` given as text, parsed by [`charger_sources`] (memory: no base chain,
    /// a variant's `base` is resolved on disk only).
    scenario_toml: Option<Source>,
    /// The chain of `scenario.toml` files already read on disk (the variant first, then its
    /// bases): following `base` needs each file parsed while reading.
    chaine: Vec<TomlFile>,
    /// Errors met reading the chain (the tables are then checked with fallback axes).
    erreurs_chaine: Vec<Diagnostic>,
    /// `organigramme.csv`, `elus.csv`, `delegations.csv` (`None` when unreadable, its error in
    /// `erreurs_tables`, or left out because it is probably in a base that could not be read).
    tables: Vec<Option<Source>>,
    /// Errors met reading the tables.
    erreurs_tables: Vec<Diagnostic>,
    /// Every file read, so that writers can refuse to write over an input.
    fichiers: Vec<PathBuf>,
}

impl Sources {
    /// The sources of a scenario held in memory (a generated city, a test, the benchmark).
    pub fn new(
        nom: &str,
        scenario_toml: Source,
        organigramme: Source,
        elus: Source,
        delegations: Source,
    ) -> Sources {
        Sources {
            nom: nom.to_string(),
            scenario_toml: Some(scenario_toml),
            chaine: Vec::new(),
            erreurs_chaine: Vec::new(),
            tables: vec![Some(organigramme), Some(elus), Some(delegations)],
            erreurs_tables: Vec::new(),
            fichiers: Vec::new(),
        }
    }

    /// The sources of a folder as [`load_scenario`](super::load_scenario) read them: its chain
    /// of `scenario.toml` files, the three tables and the errors met reading them.
    pub(crate) fn lues(
        nom: String,
        (chaine, erreurs_chaine): (Vec<TomlFile>, Vec<Diagnostic>),
        (tables, erreurs_tables): (Vec<Option<Source>>, Vec<Diagnostic>),
        fichiers: Vec<PathBuf>,
    ) -> Sources {
        Sources {
            nom,
            scenario_toml: None,
            chaine,
            erreurs_chaine,
            tables,
            erreurs_tables,
            fichiers,
        }
    }

    /// The sources of the files of a generated city ([`crate::synthese::Fichiers`]), named as
    /// they would be on disk.
    pub fn synthese(nom: &str, f: &crate::synthese::Fichiers) -> Sources {
        let source = |n: &str, o: &[u8]| Source {
            nom: n.to_string(),
            octets: o.to_vec(),
        };
        Sources::new(
            nom,
            source("scenario.toml", f.scenario_toml.as_bytes()),
            source("organigramme.csv", &f.organigramme),
            source("elus.csv", &f.elus),
            source("delegations.csv", &f.delegations),
        )
    }
}

/// Validates a scenario's sources: every rule runs, every failure is returned. This is the one
/// assembly of a scenario: a folder ([`load_scenario`](super::load_scenario)) is read into
/// [`Sources`] and comes here, so that a scenario read from memory and one read from disk cannot
/// differ. A scenario from memory lists no input file (nothing on disk to protect from the
/// writers).
pub fn charger_sources(s: &Sources) -> Result<Chargement, IngestError> {
    let mut diags = s.erreurs_chaine.clone();
    let mut chain = s.chaine.clone();
    if let Some(toml) = &s.scenario_toml {
        match std::str::from_utf8(&toml.octets) {
            Ok(texte) => match parse_toml(&toml.nom, texte) {
                Ok(table) => chain.push(TomlFile {
                    dossier: PathBuf::new(),
                    nom: toml.nom.clone(),
                    texte: texte.to_string(),
                    table,
                }),
                Err(d) => diags.push(d),
            },
            Err(_) => diags.push(Diagnostic::fichier(
                super::Code::E033,
                &toml.nom,
                "le texte n'est pas en UTF-8",
            )),
        }
    }
    let chaine_lue = diags.is_empty();
    diags.extend(s.erreurs_tables.iter().cloned());
    super::assembler(
        &chain,
        chaine_lue,
        &s.nom,
        diags,
        s.tables.clone(),
        s.fichiers.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_and_folder_give_the_same_scenario() {
        let dossier = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple");
        let lire = |n: &str| Source {
            nom: n.to_string(),
            octets: std::fs::read(dossier.join(n)).expect("example file"),
        };
        let s = Sources::new(
            "exemple",
            lire("scenario.toml"),
            lire("organigramme.csv"),
            lire("elus.csv"),
            lire("delegations.csv"),
        );
        let memoire = charger_sources(&s).expect("valid");
        let disque = super::super::load_scenario(&dossier).expect("valid");
        assert_eq!(
            format!("{:?}", memoire.scenario),
            format!("{:?}", disque.scenario)
        );
        assert!(memoire.fichiers.is_empty());
    }

    /// The fixtures hold every kind of bad input: each, given from memory under the names a
    /// folder gives its files, gets exactly the diagnostics the folder gets.
    #[test]
    fn memory_and_folder_give_the_same_diagnostics_on_every_fixture() {
        let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut dossiers: Vec<_> = std::fs::read_dir(&racine)
            .expect("fixtures")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|d| {
                [
                    "scenario.toml",
                    "organigramme.csv",
                    "elus.csv",
                    "delegations.csv",
                ]
                .iter()
                .all(|n| d.join(n).is_file())
                    && !std::fs::read_to_string(d.join("scenario.toml"))
                        .is_ok_and(|t| t.contains("base"))
            })
            .collect();
        dossiers.sort();
        assert!(dossiers.len() >= 10, "{} fixtures", dossiers.len());
        let mut en_erreur = 0;
        for dossier in &dossiers {
            let lire = |n: &str| {
                let p = dossier.join(n);
                Source {
                    nom: p.display().to_string(),
                    octets: std::fs::read(&p).expect("fixture file"),
                }
            };
            let nom = dossier
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let s = Sources::new(
                &nom,
                lire("scenario.toml"),
                lire("organigramme.csv"),
                lire("elus.csv"),
                lire("delegations.csv"),
            );
            match (charger_sources(&s), super::super::load_scenario(dossier)) {
                (Ok(m), Ok(d)) => assert_eq!(
                    format!("{:?}", (m.scenario, m.avertissements)),
                    format!("{:?}", (d.scenario, d.avertissements)),
                    "{}",
                    dossier.display()
                ),
                (Err(m), Err(d)) => {
                    en_erreur += 1;
                    assert_eq!(m.to_string(), d.to_string(), "{}", dossier.display());
                }
                (m, d) => panic!(
                    "{}: memory {:?}, folder {:?}",
                    dossier.display(),
                    m.map(|_| ()),
                    d.map(|_| ())
                ),
            }
        }
        assert!(en_erreur >= 2, "{en_erreur} fixtures in error");
    }

    #[test]
    fn a_broken_toml_in_memory_is_a_coded_error() {
        let s = Sources::new(
            "x",
            Source::texte("scenario.toml", "date = ["),
            Source::texte("organigramme.csv", ""),
            Source::texte("elus.csv", ""),
            Source::texte("delegations.csv", ""),
        );
        let e = charger_sources(&s).expect_err("invalid");
        assert!(e.has(super::super::Code::E015), "{e}");
    }
}
