//! `collegia rapport`: the whole pipeline, then every file of the report through the one writer.

use super::{EXIT_ENTREE, EXIT_OK, RapportArgs, charger};
use crate::report::ecriture::{Sortie, nom_de_fichier};
use crate::report::rapport::Entrees;
use std::path::{Path, PathBuf};

/// Name of a scenario folder as shown in reports and used for the default output folder.
pub(crate) fn nom_scenario(dossier: &Path) -> String {
    dossier
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .or_else(|| dossier.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| "scenario".into())
}

/// The default output folder of a scenario, `reports/<name of its folder>`: the one place every
/// command (rapport, indemnites, optimiser, affecter) computes it, so that they all write beside
/// each other.
pub(crate) fn dossier_rapport(scenario: &Path) -> PathBuf {
    PathBuf::from("reports").join(nom_de_fichier(&nom_scenario(scenario)))
}

pub(crate) fn run(a: &RapportArgs) -> u8 {
    let Some(c) = charger(&a.scenario) else {
        eprintln!("Aucun rapport n'a été écrit : corrigez d'abord le scénario.");
        return EXIT_ENTREE;
    };
    let source = nom_scenario(&a.scenario);
    let dossier = a
        .sortie
        .clone()
        .unwrap_or_else(|| dossier_rapport(&a.scenario));
    let sortie = match Sortie::pour("rapport", &dossier, &c.fichiers, a.force) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Erreur : {e}");
            return EXIT_ENTREE;
        }
    };
    let analyse = crate::analyse::analyser(&c.scenario);
    let donnees = match crate::optimise::indemnites::preparer(&c.scenario) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("Erreur : {e}");
            return EXIT_ENTREE;
        }
    };
    let allocation = match crate::optimise::indemnites::allouer_donnees(&c.scenario, &donnees) {
        Ok(a) => a,
        Err(crate::optimise::indemnites::ErreurIndemnites::Infaisable(d)) => {
            eprint!("{}", crate::report::indemnites::render_diagnostic(&d));
            eprintln!("Aucun rapport n'a été écrit.");
            return super::EXIT_INFAISABLE;
        }
        Err(e) => {
            eprintln!("Erreur : {e}");
            return EXIT_ENTREE;
        }
    };
    let balayage = if a.balayage {
        match crate::optimise::indemnites::balayage(&c.scenario) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("Erreur : {e}");
                return EXIT_ENTREE;
            }
        }
    } else {
        None
    };
    // With --optimiser: the grouping model, solved and verified before anything is written.
    let optimisation = if a.optimiser {
        match optimiser(&c, &a.scenario, &dossier, a.limite_temps) {
            Ok(o) => Some(o),
            Err(code) => return code,
        }
    } else {
        None
    };
    let entrees = Entrees {
        scenario: &c.scenario,
        analyse: &analyse,
        source,
        indemnites: Some(crate::report::rapport::indemnites::Indemnites {
            allocation: &allocation,
            donnees: &donnees,
            balayage: balayage.as_deref(),
            evolutions: crate::optimise::indemnites::evolutions(&c.scenario, &allocation),
        }),
        proposition: optimisation.as_ref().map(|(d, r, base, front)| {
            crate::report::rapport::proposition::Proposition {
                scenario: &c.scenario,
                donnees: d,
                resultat: r,
                base,
                front: Some(front),
            }
        }),
    };
    // The scenario's input sheets go first in collegia.xlsx (read back as the scenario); a
    // workbook given as input has them already.
    let feuilles = if a.scenario.is_dir() {
        crate::ingest::classeur::feuilles_entree(&a.scenario)
            .map(|(f, _)| f)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let fichiers = match crate::report::rapport::rapport_avec_entrees(&entrees, &feuilles) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("Erreur : {e}");
            return EXIT_ENTREE;
        }
    };
    match sortie.remplacer(
        fichiers
            .iter()
            .map(|x| (x.nom.as_str(), x.octets.as_slice())),
    ) {
        Ok(r) => super::remarques(&r),
        Err(e) => {
            eprintln!("Erreur : {e}{}.", super::intacts(&e));
            return EXIT_ENTREE;
        }
    }
    outln!(
        "Rapport écrit dans {} ({} fichiers) : ouvrez {}",
        dossier.display(),
        fichiers.len(),
        dossier.join("index.html").display()
    );
    EXIT_OK
}

/// The grouping model of the scenario at direction level (locks of `verrous.csv` included), its
/// verified solution, and the variant's `base` (the scenario seen from `<sortie>/proposition`).
/// An infeasible model prints its diagnosis and gives exit code 2: nothing is written.
fn optimiser(
    c: &crate::ingest::Chargement,
    scenario: &Path,
    sortie: &Path,
    limite_temps: f64,
) -> Result<
    (
        crate::optimise::Donnees,
        crate::optimise::Resultat,
        String,
        Vec<crate::optimise::front::PointFront>,
    ),
    u8,
> {
    use crate::optimise::{Granularite, Options};
    use crate::report::ecriture::{absolu, chemin_relatif};
    let (d, _, _) = super::optimiser::donnees(c, scenario, Granularite::Direction, false)?;
    let options = Options {
        limite_temps,
        ..Options::default()
    };
    let rien = "Aucun rapport n'a été écrit.";
    let r = crate::optimise::optimiser(&d, &options)
        .map_err(|e| super::optimiser::signaler_echec(e, rien, true))?;
    let Some(base) = chemin_relatif(&absolu(&sortie.join("proposition")), &absolu(scenario)) else {
        eprintln!(
            "Erreur : impossible d'exprimer le chemin du scénario depuis le dossier de sortie."
        );
        return Err(EXIT_ENTREE);
    };
    // The front of compromises, for the séminaire to debate (the same rules, each point proved).
    let front = crate::optimise::front::front(&d, &options)
        .map_err(|e| super::optimiser::signaler_echec(e, rien, true))?;
    Ok((d, r, base, front))
}
