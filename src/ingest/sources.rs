//! A scenario in memory: its `scenario.toml` text and its tables as bytes, with no file behind
//! them (a generated city, a test, the benchmark).
//!
//! In: [`Sources`]. Out: the same validated [`Chargement`] as
//! [`load_scenario`](super::load_scenario) gives for a folder, through the same assembly and
//! the same rules, so that a scenario read from memory and one read from disk cannot differ.

use super::{Chargement, Diagnostic, IngestError, Source, TomlFile, parse_toml};
use std::path::PathBuf;

/// The sources of one scenario (no base chain: a variant's `base` is resolved on disk only).
#[derive(Debug, Clone)]
pub struct Sources {
    /// The scenario's name when `scenario.toml` has no `nom` (a folder's name on disk).
    pub nom: String,
    /// `scenario.toml`.
    pub scenario_toml: Source,
    /// `organigramme.csv`.
    pub organigramme: Source,
    /// `elus.csv`.
    pub elus: Source,
    /// `delegations.csv`.
    pub delegations: Source,
}

impl Sources {
    /// The sources of the files of a generated city ([`crate::synthese::Fichiers`]), named as
    /// they would be on disk.
    pub fn synthese(nom: &str, f: &crate::synthese::Fichiers) -> Sources {
        let source = |n: &str, o: &[u8]| Source {
            nom: n.to_string(),
            octets: o.to_vec(),
        };
        Sources {
            nom: nom.to_string(),
            scenario_toml: source("scenario.toml", f.scenario_toml.as_bytes()),
            organigramme: source("organigramme.csv", &f.organigramme),
            elus: source("elus.csv", &f.elus),
            delegations: source("delegations.csv", &f.delegations),
        }
    }
}

/// Validates a scenario held in memory: every rule of a folder's loading runs, every failure is
/// returned. The result lists no input file (nothing on disk to protect from the writers).
pub fn charger_sources(s: &Sources) -> Result<Chargement, IngestError> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut chain = Vec::new();
    match std::str::from_utf8(&s.scenario_toml.octets) {
        Ok(texte) => match parse_toml(&s.scenario_toml.nom, texte) {
            Ok(table) => chain.push(TomlFile {
                dossier: PathBuf::new(),
                nom: s.scenario_toml.nom.clone(),
                texte: texte.to_string(),
                table,
            }),
            Err(d) => diags.push(d),
        },
        Err(_) => diags.push(Diagnostic::fichier(
            super::Code::E033,
            &s.scenario_toml.nom,
            "le texte n'est pas en UTF-8",
        )),
    }
    let chaine_lue = diags.is_empty();
    super::assembler(
        &chain,
        chaine_lue,
        &s.nom,
        diags,
        vec![
            Some(s.organigramme.clone()),
            Some(s.elus.clone()),
            Some(s.delegations.clone()),
        ],
        Vec::new(),
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
        let s = Sources {
            nom: "exemple".into(),
            scenario_toml: lire("scenario.toml"),
            organigramme: lire("organigramme.csv"),
            elus: lire("elus.csv"),
            delegations: lire("delegations.csv"),
        };
        let memoire = charger_sources(&s).expect("valid");
        let disque = super::super::load_scenario(&dossier).expect("valid");
        assert_eq!(
            format!("{:?}", memoire.scenario),
            format!("{:?}", disque.scenario)
        );
        assert!(memoire.fichiers.is_empty());
    }

    #[test]
    fn a_broken_toml_in_memory_is_a_coded_error() {
        let s = Sources {
            nom: "x".into(),
            scenario_toml: Source::texte("scenario.toml", "date = ["),
            organigramme: Source::texte("organigramme.csv", ""),
            elus: Source::texte("elus.csv", ""),
            delegations: Source::texte("delegations.csv", ""),
        };
        let e = charger_sources(&s).expect_err("invalid");
        assert!(e.has(super::super::Code::E015), "{e}");
    }
}
