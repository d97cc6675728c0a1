//! `collegia affecter`: load a scenario and its wishes (`voeux.csv`), place every movable élu·e
//! in one group (lexicographic optimum), print every rank and its reason, and write the
//! assignment as a scenario variant (atomically, only in the output folder).

use super::{EXIT_ENTREE, EXIT_INFAISABLE, EXIT_OK};
use super::{Resultat, code};
use collegia::optimise::affectation::{Echec, Instance, Options, affecter, lever_tailles};
use collegia::report::affectation as rapport;
use collegia::report::ecriture::{EcritureError, Sortie, absolu, chemin_relatif};
use std::path::PathBuf;

/// Validated options of `collegia affecter`.
#[derive(Debug, Clone)]
pub struct OptionsAffecter {
    /// Scenario folder.
    pub scenario: PathBuf,
    /// Solver options.
    pub solve: Options,
    /// Output folder (`None` = `reports/<scenario>/affectation`).
    pub sortie: Option<PathBuf>,
    /// Replace the files of an earlier assignment (`--force`, which the writer's « le fichier
    /// existe déjà » suggests).
    pub force: bool,
    /// Print and write each élu·e's rank and its reason (`--rangs-individuels`); by default
    /// only aggregates: wishes are personal.
    pub rangs_individuels: bool,
}

/// Runs the command and returns the exit code.
pub fn run(o: &OptionsAffecter) -> Resultat {
    let c = super::charger_avec_groupes(&o.scenario)?;
    let s = &c.scenario;
    let mut entrees = c.fichiers.clone();
    let voeux = match collegia::ingest::load_voeux(&o.scenario, s) {
        Ok(Some((p, v))) => {
            outln!("{} vœu(x) lus dans {}.", v.len(), p.display());
            entrees.push(p);
            v
        }
        Ok(None) => {
            let ou = if collegia::ingest::classeur::est_classeur(&o.scenario) {
                "pas de feuille « vœux » dans le classeur"
            } else {
                "pas de voeux.csv dans le scénario ni dans ses bases"
            };
            eprintln!(
                "Avertissement : {ou} : les élu·es sont placé·es selon les règles seules, au plus près de leur groupe actuel."
            );
            Vec::new()
        }
        Err(e) => {
            eprint!("{e}");
            return code(EXIT_ENTREE);
        }
    };
    let inst = Instance::depuis_scenario(s, &voeux);
    for a in &inst.avertissements {
        eprintln!("Avertissement : {a}.");
    }
    if inst.groupes.is_empty() {
        eprintln!(
            "Erreur : aucun groupe animé par un·e adjoint·e dans elus.csv (colonne groupe) : rien à affecter."
        );
        return code(EXIT_ENTREE);
    }
    let sortie = o
        .sortie
        .clone()
        .unwrap_or_else(|| super::rapport::dossier_rapport(&o.scenario).join("affectation"));
    // The folder is affecter's own, replaced whole at each run and kept by the report around
    // it (its marker says whose it is).
    let ecriture = match Sortie::pour("affecter", &sortie, &entrees, o.force) {
        Ok(e) => e,
        Err(EcritureError::DansEntree(_)) => {
            eprintln!(
                "Erreur : le dossier de sortie « {} » est dans un dossier de scénario lu en entrée ; collegia n'écrit jamais dans un scénario. Choisissez un autre dossier avec --sortie.",
                sortie.display()
            );
            return code(EXIT_ENTREE);
        }
        Err(EcritureError::NonCollegia(_) | EcritureError::AutreCommande { .. }) => {
            eprintln!(
                "Erreur : le dossier « {} » n'est pas vide et n'a pas été écrit par « collegia affecter » : choisissez un autre dossier avec --sortie (ou --force pour le remplacer). Aucun fichier n'a été écrit.",
                sortie.display()
            );
            return code(EXIT_ENTREE);
        }
        Err(e) => {
            eprintln!("Erreur : {e}. Aucun fichier n'a été écrit.");
            return code(EXIT_ENTREE);
        }
    };
    // The default sizes that cannot hold yield, said in the summary (optimise::regles, rank 6).
    let inst = lever_tailles(&inst, &o.solve);
    let r = match affecter(&inst, &o.solve) {
        Ok(r) => r,
        Err(e @ Echec::Infaisable { .. }) => {
            eprint!("{}", rapport::echec(&e));
            return code(EXIT_INFAISABLE);
        }
        Err(e) => {
            eprint!("{}", rapport::echec(&e));
            return code(EXIT_ENTREE);
        }
    };
    out!("{}", rapport::resume(s, &inst, &r, o.rangs_individuels));
    let Some(base) = chemin_relatif(&absolu(&sortie), &absolu(&o.scenario)) else {
        eprintln!(
            "Erreur : impossible d'exprimer le chemin du scénario depuis le dossier de sortie."
        );
        return code(EXIT_ENTREE);
    };
    let mut fichiers = match rapport::fichiers(s, &inst, &r, &base, o.rangs_individuels) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("Erreur : {e}.");
            return code(EXIT_ENTREE);
        }
    };
    if !super::variantes_autonomes(&o.scenario, &mut fichiers) {
        return code(EXIT_ENTREE);
    }
    match ecriture.remplacer(fichiers.iter().map(|(n, o)| (n.as_str(), o.as_slice()))) {
        Ok(r) => super::remarques(&r),
        Err(e) => {
            eprintln!("Erreur : {e}{}.", super::intacts(&e));
            return code(EXIT_ENTREE);
        }
    }
    outln!(
        "Affectation écrite dans {} (variante : elus.csv, delegations.csv, scenario.toml ; affectation.csv, regles.csv, affectation.md, graphiques/) ; vérifiez-la avec « collegia verifier {} ».",
        sortie.display(),
        sortie.display()
    );
    code(EXIT_OK)
}
