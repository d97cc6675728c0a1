//! `collegia classeur <scénario> [<fichier.xlsx>]`: the scenario as one workbook (sheets
//! `organigramme`, `élu·es`, `délégations`, `paramètres`, and `verrous`, `vœux` when it has them) that every command reads back in place
//! of the folder. Written from the scenario's own files, after checking that they load; never
//! over an input file.

use super::args::ClasseurArgs;
use super::{EXIT_ENTREE, EXIT_OK};
use super::{Resultat, code};
use collegia::report::ecriture::{absolu, ecrire_fichier, nom_de_fichier};
use std::path::{Path, PathBuf};

/// Where the workbook goes: the path given, else beside the scenario under its name
/// (`data/exemple` → `data/exemple.xlsx`; a workbook `x.ods` → `x.xlsx` beside it).
fn cible(a: &ClasseurArgs) -> PathBuf {
    if let Some(f) = &a.fichier {
        return f.clone();
    }
    let nom = super::rapport::nom_scenario(&a.scenario);
    let nom = Path::new(&nom)
        .file_stem()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or(nom);
    let parent = absolu(&a.scenario)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parent.join(format!("{}.xlsx", nom_de_fichier(&nom)))
}

/// Runs the command and returns the exit code.
pub(crate) fn run(a: &ClasseurArgs) -> Resultat {
    let c = super::charger(&a.scenario)?;
    // The sheets as the scenario's own files say them: a folder's files (and its optional
    // tables verrous.csv and voeux.csv), or a workbook's sheets.
    let feuilles = if is_classeur(&a.scenario) {
        collegia::ingest::classeur::feuilles_classeur(&a.scenario).map(|f| (f, Vec::new()))
    } else {
        collegia::ingest::classeur::feuilles_entree(&a.scenario).and_then(|(mut f, mut lus)| {
            let (o, lus_o) = collegia::ingest::classeur::feuilles_optionnelles(&a.scenario)?;
            f.extend(o);
            lus.extend(lus_o);
            Ok((f, lus))
        })
    };
    let (feuilles, mut lus) = match feuilles {
        Ok(f) => f,
        Err(e) => {
            eprint!("{e}");
            return code(EXIT_ENTREE);
        }
    };
    lus.extend(c.fichiers);
    let octets = match collegia::report::tableaux::xlsx_avec_entrees(&feuilles, &[]) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("Erreur : classeur XLSX impossible à produire : {e}.");
            return code(EXIT_ENTREE);
        }
    };
    let fichier = cible(a);
    // One file: refused over an input file or, without --force, over an existing file; the
    // folder around it may hold the scenario (writing beside it is the default).
    match ecrire_fichier(&fichier, &octets, &lus, a.force) {
        Ok(_) => {
            eprintln!(
                "Classeur écrit dans {} : relisez-le avec « collegia verifier {} ».",
                fichier.display(),
                fichier.display()
            );
            code(EXIT_OK)
        }
        // The writer's own wording suggests --sortie, which classeur does not have.
        Err(collegia::report::ecriture::EcritureError::DansEntree(f)) => {
            eprintln!(
                "Erreur : refus d'écrire « {f} » : c'est un fichier d'entrée du scénario ; donnez un autre nom de classeur."
            );
            code(EXIT_ENTREE)
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the scenario given is a workbook file.
fn is_classeur(p: &Path) -> bool {
    collegia::ingest::classeur::est_classeur(p) && p.is_file()
}
