//! `collegia classeur <scénario> <fichier.xlsx>`: the scenario as one workbook (sheets
//! `organigramme`, `élu·es`, `délégations`, `paramètres`) that every command reads back in place
//! of the folder. Written from the scenario's own files, after checking that they load; never
//! over an input file.

use super::args::ClasseurArgs;
use super::{EXIT_ENTREE, EXIT_OK, charger};
use collegia::report::ecriture::Sortie;

/// Runs the command and returns the exit code.
pub(crate) fn run(a: &ClasseurArgs) -> u8 {
    let Some(c) = charger(&a.scenario) else {
        eprintln!("Aucun classeur n'a été écrit : corrigez d'abord le scénario.");
        return EXIT_ENTREE;
    };
    let (feuilles, mut lus) = match collegia::ingest::classeur::feuilles_entree(&a.scenario) {
        Ok(f) => f,
        Err(e) => {
            eprint!("{e}");
            return EXIT_ENTREE;
        }
    };
    lus.extend(c.fichiers);
    let octets = match collegia::report::tableaux::xlsx_avec_entrees(&feuilles, &[]) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("Erreur : classeur XLSX impossible à produire : {e}.");
            return EXIT_ENTREE;
        }
    };
    let Some(nom) = a
        .fichier
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
    else {
        eprintln!(
            "Erreur : « {} » n'est pas un nom de fichier.",
            a.fichier.display()
        );
        return EXIT_ENTREE;
    };
    let dossier = match a.fichier.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let ecrit = Sortie::new(&dossier, &lus)
        .map(|s| s.forcer(a.force))
        .and_then(|s| s.ecrire_tout([(nom.as_str(), octets.as_slice())]));
    match ecrit {
        Ok(_) => {
            eprintln!(
                "Classeur écrit dans {} : relisez-le avec « collegia verifier {} ».",
                a.fichier.display(),
                a.fichier.display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("Erreur : {e}");
            EXIT_ENTREE
        }
    }
}
