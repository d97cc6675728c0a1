//! Reading a scenario folder into a validated [`Scenario`].
//!
//! A scenario is a folder holding `scenario.toml`, `organigramme.csv`, `elus.csv` and
//! `delegations.csv` (format in `docs/formats.md`). A variant says `base = "../exemple"` in its
//! `scenario.toml` and holds only the files it changes: missing CSV files are taken from the
//! base chain, and the TOML is merged key by key over the base's.
//!
//! Every rule runs and every failure is returned ([`IngestError`]), sorted by file and line.
//! Files are only read, never written.

mod elus;
mod error;
mod organigramme;
mod rne;
mod scenario_toml;
mod table;
mod verrous;

pub use elus::{
    COLONNES_DELEGATIONS, COLONNES_ELUS, parse_delegations, parse_elus, parse_fonction,
    parse_liste, parse_role, parse_sexe, sans_neutralisation,
};
pub use error::{Code, Diagnostic, IngestError};
pub use organigramme::{COLONNES as COLONNES_ORGANIGRAMME, MAX_DEPTH, parse as parse_organigramme};
pub use rne::{
    COLONNES_RNE, EluRne, ImportRne, lire_rne, ouvrir_rne, parse_date_rne, parse_fonction_rne,
};
pub use scenario_toml::{TomlFile, build_params, parse_majoration, parse_toml, read_chain};
pub use table::{
    Colonne, MAX_FILE_BYTES, MAX_ROWS, Source, decode, detect_separator, normalise, parse_nombre,
    read_table,
};
pub use verrous::{COLONNES_VERROUS, FICHIER_VERROUS, load_verrous, parse_verrous};

use crate::model::Scenario;
use std::path::{Path, PathBuf};

/// Names of the CSV files of a scenario folder.
pub const FICHIERS_CSV: [&str; 3] = ["organigramme.csv", "elus.csv", "delegations.csv"];

/// A loaded scenario, with non-blocking warnings and the list of files it was read from.
#[derive(Debug, Clone)]
pub struct Chargement {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Warnings that did not prevent loading (e.g. one population used for both figures).
    pub avertissements: Vec<Diagnostic>,
    /// Every file read (the scenario's own and its bases'), so that writers can refuse to write
    /// over an input.
    pub fichiers: Vec<PathBuf>,
}

/// Reads a whole file, refusing files above [`MAX_FILE_BYTES`] before reading them.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let nom = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_diag(&nom, &e))?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(Diagnostic::fichier(
            Code::E021,
            &nom,
            format!(
                "fichier trop volumineux ({} octets, maximum {MAX_FILE_BYTES})",
                meta.len()
            ),
        )
        .aide("vérifiez qu'il s'agit du bon fichier"));
    }
    if meta.is_dir() {
        return Err(Diagnostic::fichier(
            Code::E001,
            &nom,
            "c'est un dossier, pas un fichier",
        ));
    }
    std::fs::read(path).map_err(|e| io_diag(&nom, &e))
}

fn io_diag(nom: &str, e: &std::io::Error) -> Diagnostic {
    let (message, aide) = match e.kind() {
        std::io::ErrorKind::NotFound => (
            "fichier introuvable".to_string(),
            "vérifiez le chemin ; un scénario contient scenario.toml, organigramme.csv, elus.csv et delegations.csv".to_string(),
        ),
        std::io::ErrorKind::PermissionDenied => (
            "lecture refusée (droits insuffisants)".to_string(),
            "vérifiez les droits du fichier".to_string(),
        ),
        _ => (format!("lecture impossible ({e})"), String::new()),
    };
    Diagnostic::fichier(Code::E001, nom, message).aide(aide)
}

/// Finds a CSV file in the folder of the variant or, failing that, in its bases.
fn locate(chain: &[TomlFile], name: &str) -> PathBuf {
    chain
        .iter()
        .map(|f| f.dossier.join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| chain[0].dossier.join(name))
}

/// Loads and validates the scenario in `dossier`.
pub fn load_scenario(dossier: &Path) -> Result<Chargement, IngestError> {
    if !dossier.is_dir() {
        return Err(IngestError::one(
            Diagnostic::fichier(
                Code::E024,
                &dossier.display().to_string(),
                "dossier de scénario introuvable",
            )
            .aide("donnez le chemin d'un dossier contenant scenario.toml, organigramme.csv, elus.csv et delegations.csv (ex. data/exemple)"),
        ));
    }
    let chain = read_chain(dossier).map_err(IngestError::new)?;
    let nom_dossier = dossier
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "scenario".into());
    let mut fichiers: Vec<PathBuf> = chain
        .iter()
        .map(|f| f.dossier.join("scenario.toml"))
        .collect();
    let (params, avertissements) = build_params(&chain, &nom_dossier).map_err(IngestError::new)?;

    let mut diags = Vec::new();
    let mut sources = Vec::new();
    for name in FICHIERS_CSV {
        let path = locate(&chain, name);
        match read_file(&path) {
            Ok(octets) => {
                fichiers.push(path.clone());
                sources.push(Some(Source {
                    nom: path.display().to_string(),
                    octets,
                }));
            }
            Err(d) => {
                diags.push(d);
                sources.push(None);
            }
        }
    }
    let [Some(so), Some(se), Some(sd)] = [&sources[0], &sources[1], &sources[2]] else {
        return Err(IngestError::new(diags));
    };
    let org = parse_organigramme(so, &params.axes);
    let elus = parse_elus(se, &params.axes, &params.communes_deleguees);
    let (org, elus) = match (org, elus) {
        (Ok(o), Ok(e)) => (o, e),
        (o, e) => {
            diags.extend(o.err().unwrap_or_default());
            diags.extend(e.err().unwrap_or_default());
            return Err(IngestError::new(diags));
        }
    };
    let delegations = parse_delegations(sd, &elus, &org).map_err(IngestError::new)?;
    Ok(Chargement {
        scenario: Scenario {
            params,
            organigramme: org,
            elus,
            delegations,
        },
        avertissements,
        fichiers,
    })
}
