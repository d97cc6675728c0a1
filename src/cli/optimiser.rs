//! `collegia optimiser`: load a scenario and its locks, solve the grouping model, print the
//! changes and write the proposal as a scenario variant (atomically, only in the output folder).
//!
//! Printing never stops the command: a closed stdout (`collegia optimiser … | head`) loses the
//! rest of the summary, not the proposal.

use super::{EXIT_ENTREE, EXIT_OK};
use super::{Resultat, code};
use collegia::erreur::Erreur;
use collegia::optimise::{Donnees, Granularite, Options, Solveur};
use collegia::report::ecriture::{EcritureError, Sortie, absolu, chemin_relatif, ecrire_fichier};
use collegia::report::optimisation as rapport;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Validated options of `collegia optimiser`.
#[derive(Debug, Clone)]
pub struct OptionsOptimiser {
    /// Scenario folder.
    pub scenario: PathBuf,
    /// Unit level.
    pub granularite: Granularite,
    /// Let members change group.
    pub regrouper: bool,
    /// Free every group's cœur (`--liberer-coeurs`).
    pub liberer_coeurs: bool,
    /// Also compute the front of compromises (`--front`).
    pub front: bool,
    /// Solver options.
    pub solve: Options,
    /// LP export path.
    pub exporter_modele: Option<PathBuf>,
    /// Output folder (`None` = `reports/<scenario>/proposition`).
    pub sortie: Option<PathBuf>,
    /// Replace an output folder that collegia did not write.
    pub force: bool,
    /// Print each élu·e's rank and « why not better », and write them in `affectation.csv`
    /// (`--rangs-individuels`; wishes are personal, aggregates only by default).
    pub rangs_individuels: bool,
}

/// `println!` that ignores a closed stdout (see the module docs).
macro_rules! dire {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// The grouping model's data for a loaded scenario: its locks (`verrous.csv` or a workbook's
/// `verrous` sheet, if any) read and checked, then [`Donnees::depuis_scenario`].
fn donnees(
    c: &collegia::ingest::Chargement,
    scenario: &Path,
    granularite: Granularite,
    regrouper: bool,
) -> Result<(Donnees, Option<PathBuf>, Vec<collegia::model::Verrou>), Erreur> {
    let (fichier, verrous) = match collegia::ingest::load_verrous(scenario, &c.scenario)? {
        Some((p, v)) => (Some(p), v),
        None => (None, Vec::new()),
    };
    let d = Donnees::depuis_scenario(&c.scenario, &verrous, granularite, regrouper)?;
    Ok((d, fichier, verrous))
}

/// Runs the command and returns the exit code.
pub fn run(o: &OptionsOptimiser) -> Resultat {
    let mut c = super::charger_avec_groupes(&o.scenario)?;
    if o.liberer_coeurs {
        c.scenario.params.groupes.coeurs = false;
    }
    let s = &c.scenario;
    let (mut d, fichier_verrous, verrous) = donnees(&c, &o.scenario, o.granularite, o.regrouper)?;
    // With --regrouper, the wishes (voeux.csv) are criteria ahead of the organigramme terms:
    // solved first, as affecter solves them, then kept as rows of the grouping model.
    if o.regrouper {
        let voeux = match collegia::ingest::load_voeux(&o.scenario, s) {
            Ok(v) => v,
            Err(e) => {
                eprint!("{e}");
                return code(EXIT_ENTREE);
            }
        };
        if let Some((p, v)) = voeux {
            dire!(
                "{} vœu(x) lus dans {} : ils passent avant les termes de l'organigramme (pire rang, puis le plus d'élu·es à chaque rang).",
                v.len(),
                p.display()
            );
            let ao = collegia::optimise::affectation::Options {
                solveur: o.solve.solveur,
                limite_temps: o.solve.limite_temps,
                couts: false,
            };
            match collegia::optimise::voeux::criteres(s, &v, &d, &ao) {
                Ok(c) => d.voeux = Some(c),
                Err(e) => {
                    eprint!("{}", collegia::report::affectation::echec(&e));
                    return code(super::EXIT_INFAISABLE);
                }
            }
        }
    }
    let d = d;
    for a in &d.avertissements {
        eprintln!("Avertissement : {a}.");
    }
    let sortie = o
        .sortie
        .clone()
        .unwrap_or_else(|| super::rapport::dossier_rapport(&o.scenario).join("proposition"));
    let ecriture = match Sortie::pour("optimiser", &sortie, &c.fichiers, o.force) {
        Ok(e) => e,
        Err(EcritureError::DansEntree(_)) => {
            eprintln!(
                "Erreur : le dossier de sortie « {} » est dans un dossier de scénario lu en entrée ; collegia n'écrit jamais dans un scénario. Choisissez un autre dossier avec --sortie.",
                sortie.display()
            );
            return code(EXIT_ENTREE);
        }
        Err(e) => {
            eprintln!("Erreur : {e}. Aucun fichier n'a été écrit.");
            return code(EXIT_ENTREE);
        }
    };
    let sortie_abs = absolu(&sortie);
    // The LP export is one file: refused only inside an input folder (a folder that merely
    // contains the scenario, such as its parent, is fine: no input can be overwritten from
    // there). Checked before solving, so that nothing is written when it is refused.
    let lp_cible = o.exporter_modele.as_ref().map(|lp| {
        let dossier = lp
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let nom = lp.file_name().map(PathBuf::from).unwrap_or_default();
        dossier.join(nom)
    });
    if let Some(lp) = &lp_cible {
        let dossier = absolu(lp.parent().unwrap_or(Path::new(".")));
        if c.fichiers
            .iter()
            .any(|f| f.parent().is_some_and(|p| dossier.starts_with(absolu(p))))
        {
            eprintln!(
                "Erreur : refus d'écrire le modèle dans « {} » : c'est un dossier d'entrée du scénario ; choisissez un autre chemin pour --exporter-modele. Aucun fichier n'a été écrit.",
                lp.display()
            );
            return code(EXIT_ENTREE);
        }
    }

    dire!(
        "Optimisation des groupes de « {} » : {} unités ({}), {} groupes, {} élu·es dont le groupe compte{}{}.",
        s.params.nom,
        d.unites.len(),
        match o.granularite {
            Granularite::Direction => "directions",
            Granularite::Service => "services",
        },
        d.groupes.len(),
        d.membres.len(),
        if o.regrouper {
            ", regroupement permis"
        } else {
            ""
        },
        match &fichier_verrous {
            Some(p) => format!(", {} verrou(s) lus dans {}", verrous.len(), p.display()),
            None => String::new(),
        }
    );
    let afficher = Progres::nouveau();
    let res = collegia::report::ecriture::calcul_interruptible(|arret| {
        let suivi = collegia::optimise::Suivi {
            progression: &|p| afficher.montrer(p),
            arret,
        };
        collegia::optimise::optimiser_suivi(&d, &o.solve, &suivi)
    });
    afficher.finir();
    let r = res?;
    let detail = rapport::detail(s, &d, &r.plan);
    dire!("{}", rapport::resume_avec(s, &d, &r, &detail).trim_end());
    if let Some(t) = collegia::optimise::voeux::bilan(s, &d, &r.plan) {
        dire!("{}", t.trim_end());
    }
    // Each élu·e's rank and « why not better », from the solved model (item 4 of issue 24).
    let rangs = d
        .voeux
        .as_ref()
        .filter(|_| o.rangs_individuels)
        .map(|_| collegia::optimise::affectation::jointe::expliquer(&d, &r.plan, &r.modele));
    if o.rangs_individuels && d.voeux.is_none() {
        dire!(
            "--rangs-individuels : aucun vœu n'a été placé (il faut --regrouper et un voeux.csv dans le scénario) ; rien à détailler."
        );
    }
    if let Some(x) = &rangs {
        dire!(
            "{}",
            collegia::optimise::affectation::jointe::texte(s, &d, &r.plan, x).trim_end()
        );
    }
    dire!(
        "Modèle : {} variables dont {} binaires, {} contraintes ; résolu en {} s ({}).",
        r.modele.variables.len(),
        r.modele.nb_entieres(),
        r.modele.lignes.len(),
        collegia::report::format::nombre(r.duree.as_secs_f64(), 2),
        match o.solve.solveur {
            Solveur::Microlp => "microlp",
            Solveur::Highs => "HiGHS",
        }
    );

    // Write: the proposal folder, then the LP model if asked.
    let base = match chemin_relatif(&sortie_abs, &absolu(&o.scenario)) {
        Some(b) => b,
        None => {
            eprintln!(
                "Erreur : impossible d'exprimer le chemin du scénario depuis le dossier de sortie."
            );
            return code(EXIT_ENTREE);
        }
    };
    let mut fichiers: Vec<(String, Vec<u8>)> =
        rapport::fichiers_proposition_avec(s, &d, &r.plan, &base, &detail)
            .into_iter()
            .map(|(n, o)| (n.to_string(), o))
            .collect();
    if let Some(x) = &rangs {
        fichiers.push((
            "affectation.csv".into(),
            collegia::optimise::affectation::jointe::affectation_csv(s, &d, &r.plan, x),
        ));
    }
    if o.front {
        let points = collegia::optimise::front::front(&d, &o.solve)?;
        dire!("{}", rapport::resume_front(&points).trim_end());
        dire!("{}", rapport::front_en_clair(s, &d, &points).trim_end());
        let base_point = match chemin_relatif(
            &sortie_abs.join("front").join("point"),
            &absolu(&o.scenario),
        ) {
            Some(b) => b,
            None => {
                eprintln!(
                    "Erreur : impossible d'exprimer le chemin du scénario depuis le dossier du front."
                );
                return code(EXIT_ENTREE);
            }
        };
        match rapport::fichiers_front(s, &d, &points, &base_point) {
            Ok(f) => fichiers.extend(f),
            Err(e) => {
                eprintln!("Erreur : {e}. Aucun fichier n'a été écrit.");
                return code(EXIT_ENTREE);
            }
        }
    }
    // The whole folder is replaced: a stale elus.csv of an earlier run, which would override
    // the base's, cannot survive.
    if !super::variantes_autonomes(&o.scenario, &mut fichiers) {
        return code(EXIT_ENTREE);
    }
    let ecrit = ecriture.remplacer(fichiers.iter().map(|(n, o)| (n.as_str(), o.as_slice())));
    if let Ok(r) = &ecrit {
        super::remarques(r);
    }
    if let Err(e) = ecrit {
        eprintln!(
            "Erreur : {e}{}.",
            if e.precedents_intacts() {
                " ; la proposition précédente, s'il y en a une, est intacte"
            } else {
                ""
            }
        );
        return code(EXIT_ENTREE);
    }
    dire!(
        "Proposition écrite dans {} ({}) ; vérifiez-la avec « collegia verifier {} ».",
        sortie.display(),
        fichiers
            .iter()
            .filter(|(n, _)| !n.starts_with("front/"))
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        sortie.display()
    );
    if let Some(lp) = &lp_cible {
        let texte = r
            .modele
            .lp(&format!("collegia optimiser — {}", s.params.nom));
        if let Err(e) = ecrire_fichier(lp, texte.as_bytes(), &c.fichiers, true) {
            eprintln!("Erreur : {e}.");
            return code(EXIT_ENTREE);
        }
        dire!("Modèle exporté au format LP dans {}.", lp.display());
    }
    code(EXIT_OK)
}

/// The search's progress on stderr: on a terminal one line rewritten in place (after one
/// second), otherwise, for logs, one line every five seconds.
struct Progres {
    terminal: bool,
    debut: std::time::Instant,
    dernier: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Progres {
    fn nouveau() -> Progres {
        Progres {
            terminal: std::io::stderr().is_terminal(),
            debut: std::time::Instant::now(),
            dernier: std::sync::Mutex::new(None),
        }
    }

    fn montrer(&self, p: &collegia::optimise::Progression) {
        let (attente, pas) = if self.terminal {
            (Duration::from_secs(1), Duration::from_millis(200))
        } else {
            (Duration::from_secs(5), Duration::from_secs(5))
        };
        if self.debut.elapsed() < attente {
            return;
        }
        let mut dernier = self.dernier.lock().unwrap_or_else(|e| e.into_inner());
        if dernier.is_some_and(|t| t.elapsed() < pas) {
            return;
        }
        *dernier = Some(std::time::Instant::now());
        let n = |v: Option<f64>| {
            v.map(|x| collegia::report::format::nombre(x, 3))
                .unwrap_or_else(|| "—".into())
        };
        let ligne = format!(
            "recherche : {} nœuds, meilleur plan {}, borne {}, écart {}, {} s",
            p.noeuds,
            n(p.meilleur),
            n(p.borne),
            p.ecart
                .map(|e| format!("{} %", collegia::report::format::nombre(100.0 * e, 1)))
                .unwrap_or_else(|| "—".into()),
            p.secondes as u64
        );
        if self.terminal {
            eprint!("\r{ligne:<100}");
        } else {
            eprintln!("{ligne}");
        }
    }

    fn finir(&self) {
        let montre = self
            .dernier
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some();
        if self.terminal && montre {
            eprint!("\r{:100}\r", "");
        }
    }
}
