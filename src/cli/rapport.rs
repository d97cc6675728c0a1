//! `collegia rapport`: the library's pipeline ([`collegia::pipeline::executer`]), then every file of
//! the report through the one writer.

use super::{EXIT_ENTREE, EXIT_OK, RapportArgs};
use super::{Resultat, code};
use collegia::optimise::{Granularite, Options, Suivi};
use collegia::pipeline::{Demande, DemandeGroupes, executer};
use collegia::report::ecriture::{Sortie, absolu, chemin_relatif, nom_de_fichier};
use collegia::report::rapport::Entrees;
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

pub(crate) fn run(a: &RapportArgs) -> Resultat {
    let c = super::charger(&a.scenario)?;
    let source = nom_scenario(&a.scenario);
    let dossier = a
        .sortie
        .clone()
        .unwrap_or_else(|| dossier_rapport(&a.scenario));
    let sortie = Sortie::pour("rapport", &dossier, &c.fichiers, a.force)?;
    // With --optimiser: the grouping model at direction level (locks of `verrous.csv`
    // included), solved and verified, with its front, before anything is written.
    let groupes = if a.optimiser {
        let verrous = collegia::ingest::load_verrous(&a.scenario, &c.scenario)?
            .map(|(_, v)| v)
            .unwrap_or_default();
        Some(DemandeGroupes {
            granularite: Granularite::Direction,
            regrouper: false,
            verrous,
            options: Options {
                limite_temps: a.limite_temps,
                ..Options::default()
            },
            front: true,
        })
    } else {
        None
    };
    let demande = Demande {
        indemnites: true,
        balayage: a.balayage,
        groupes,
    };
    let r = executer(&c.scenario, &demande, &Suivi::muet())?;
    // The variant's `base`: the scenario seen from `<sortie>/proposition`.
    let base = if r.proposition.is_some() {
        match chemin_relatif(&absolu(&dossier.join("proposition")), &absolu(&a.scenario)) {
            Some(b) => b,
            None => {
                eprintln!(
                    "Erreur : impossible d'exprimer le chemin du scénario depuis le dossier de sortie."
                );
                return code(EXIT_ENTREE);
            }
        }
    } else {
        String::new()
    };
    let (proposition, echec) = match &r.proposition {
        Some(Ok(p)) => (Some(p), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    // With --reorganiser: the staged plan of the DGA perimeters (or why there is none), for
    // its section, charts and slides, and its files in `reorganisation/`.
    let reorg = if a.reorganiser {
        Some(collegia::report::reorganisation::resoudre_pour_rapport(
            &c.scenario,
            &c.fichiers,
            a.limite_temps,
        )?)
    } else {
        None
    };
    let Some(ind) = &r.indemnites else {
        return code(EXIT_ENTREE);
    };
    let entrees = Entrees {
        scenario: &c.scenario,
        analyse: &r.analyse,
        source,
        indemnites: Some(collegia::report::rapport::indemnites::Indemnites {
            allocation: &ind.allocation,
            donnees: &ind.donnees,
            balayage: ind.balayage.as_deref(),
            evolutions: collegia::optimise::indemnites::evolutions(&c.scenario, &ind.allocation),
        }),
        proposition: proposition.map(|p| collegia::report::rapport::proposition::Proposition {
            scenario: p.scenario.as_ref().unwrap_or(&c.scenario),
            donnees: &p.donnees,
            resultat: &p.resultat,
            base: &base,
            front: p.front.as_deref(),
        }),
        sans_proposition: echec.map(|e| e.to_string()),
        reorganisation: reorg.as_ref().map(|(d, r)| match r {
            Ok(resultat) => collegia::report::rapport::reorganisation::Reorganisation::Plan {
                donnees: d,
                resultat,
            },
            Err(e) => collegia::report::rapport::reorganisation::Reorganisation::Echec(e),
        }),
    };
    // The scenario's input sheets go first in collegia.xlsx (read back as the scenario); a
    // workbook given as input has them already.
    let feuilles = if a.scenario.is_dir() {
        collegia::ingest::classeur::feuilles_entree(&a.scenario)
            .map(|(f, _)| f)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut fichiers: Vec<(String, Vec<u8>)> =
        match collegia::report::rapport::rapport_avec_entrees(&entrees, &feuilles) {
            Ok(f) => f.into_iter().map(|x| (x.nom, x.octets)).collect(),
            Err(e) => {
                eprintln!("Erreur : {e}");
                return code(EXIT_ENTREE);
            }
        };
    if let Some((d, r)) = &reorg {
        fichiers.extend(collegia::report::reorganisation::fichiers_rapport(
            &c.scenario,
            d,
            r,
            &|etape| {
                chemin_relatif(
                    &absolu(&dossier.join("reorganisation").join(etape)),
                    &absolu(&a.scenario),
                )
            },
        ));
    }
    if !super::variantes_autonomes(&a.scenario, &mut fichiers) {
        return code(EXIT_ENTREE);
    }
    match sortie.remplacer(fichiers.iter().map(|(n, o)| (n.as_str(), o.as_slice()))) {
        Ok(r) => super::remarques(&r),
        Err(e) => {
            eprintln!("Erreur : {e}{}.", super::intacts(&e));
            return code(EXIT_ENTREE);
        }
    }
    outln!(
        "Rapport écrit dans {} ({} fichiers) : ouvrez {}",
        dossier.display(),
        fichiers.len(),
        dossier.join("index.html").display()
    );
    match echec {
        // No plan: the report is written with the diagnosis in its « Proposition optimisée »
        // section; the diagnosis is printed too, and the exit code says it (2 when infeasible).
        Some(e) => {
            eprint!("{}", e.texte());
            eprintln!(
                "Le rapport est écrit sans proposition optimisée (voir sa section « Proposition optimisée »)."
            );
            code(e.code_sortie())
        }
        None => code(EXIT_OK),
    }
}
