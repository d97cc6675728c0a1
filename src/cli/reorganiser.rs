//! `collegia reorganiser`: the staged plan of the DGA perimeters (issue 29), written as one
//! variant per stage plus the moves, measures, interlocutors, charts and a summary.

use super::{EXIT_ENTREE, EXIT_INFAISABLE, EXIT_OK, Resultat, code};
use collegia::lp::{Options, Solveur};
use collegia::reorganisation::{self as reorg, Donnees, Echec};
use collegia::report::ecriture::{EcritureError, Sortie, absolu, chemin_relatif, ecrire_fichier};
use collegia::report::reorganisation as rapport;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `println!` that ignores a closed stdout.
macro_rules! dire {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// Runs the command.
pub fn run(a: &super::args::ReorganiserArgs) -> Resultat {
    let c = super::charger(&a.scenario)?;
    let s = &c.scenario;
    let toml = c
        .fichiers
        .iter()
        .find(|f| f.ends_with("scenario.toml"))
        .map(|f| f.display().to_string())
        .unwrap_or_else(|| "scenario.toml".into());
    let d = Donnees::depuis_scenario(s, &toml).map_err(collegia::erreur::Erreur::Entree)?;
    for w in &d.avertissements {
        eprintln!("Avertissement : {w}.");
    }
    let sortie = a
        .sortie
        .clone()
        .unwrap_or_else(|| super::rapport::dossier_rapport(&a.scenario).join("reorganisation"));
    let ecriture = match Sortie::pour("reorganiser", &sortie, &c.fichiers, a.force) {
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
    let o = Options {
        solveur: match a.solveur {
            super::args::SolveurArg::Microlp => Solveur::Microlp,
            super::args::SolveurArg::Highs => Solveur::Highs,
        },
        limite_temps: a.limite_temps,
        ecart_max: a.ecart_max,
        limite_noeuds: (a.limite_noeuds > 0).then_some(a.limite_noeuds),
    };
    dire!(
        "Réorganisation de « {} » : {} directions, {} DGA existantes, {} candidates, {} étapes, au plus {} agents par étape.",
        s.params.nom,
        d.directions.len(),
        d.nb_existantes(),
        d.dgas.len() - d.nb_existantes(),
        d.nb_etapes(),
        collegia::report::format::nombre(d.cap_etape, 0)
    );
    let r = match reorg::reorganiser(&d, &o) {
        Ok(r) => r,
        Err(Echec::Infaisable(i)) => {
            eprint!("{}", rapport::infaisabilite(&i));
            eprintln!("Aucun fichier n'a été écrit. Voir docs/reorganisation.md.");
            return code(EXIT_INFAISABLE);
        }
        Err(Echec::Solveur(e)) => {
            eprintln!("Erreur du solveur : {e}. Aucun fichier n'a été écrit.");
            return code(EXIT_ENTREE);
        }
    };
    let front = if a.front {
        reorg::front(&d, &o)
    } else {
        Vec::new()
    };
    if let Some(m) = &r.modele_etat_final {
        dire!(
            "Modèle de l'état final : {} variables dont {} binaires, {} contraintes.",
            m.variables.len(),
            m.nb_entieres(),
            m.lignes.len()
        );
    }
    dire!(
        "Modèle{} : {} variables dont {} binaires, {} contraintes ; résolu en {} s.",
        if r.modele_complet {
            " multi-période complet"
        } else {
            " du chemin"
        },
        r.modele.variables.len(),
        r.modele.nb_entieres(),
        r.modele.lignes.len(),
        collegia::report::format::nombre(r.duree.as_secs_f64(), 2)
    );
    let resume = rapport::resume(s, &d, &r, &front);
    dire!("{}", resume.trim_end());
    let sortie_abs = absolu(&sortie);
    let scen = absolu(&a.scenario);
    let base = |dossier: &str| chemin_relatif(&sortie_abs.join(dossier), &scen);
    let mut fichiers = match rapport::fichiers(s, &d, &r, &front, &base) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("Erreur : {e}. Aucun fichier n'a été écrit.");
            return code(EXIT_ENTREE);
        }
    };
    if !super::variantes_autonomes(&a.scenario, &mut fichiers) {
        return code(EXIT_ENTREE);
    }
    if let Err(e) = ecriture.remplacer(fichiers.iter().map(|(n, o)| (n.as_str(), o.as_slice()))) {
        eprintln!("Erreur : {e}.");
        return code(EXIT_ENTREE);
    }
    dire!(
        "Plan écrit dans {} : une variante par étape (etape-01/ …), vérifiable avec « collegia verifier {} ».",
        sortie.display(),
        sortie.join("etape-01").display()
    );
    if let Some(lp) = &a.exporter_modele {
        let dossier = lp
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let cible = dossier.join(lp.file_name().map(PathBuf::from).unwrap_or_default());
        let mut modeles = vec![(
            cible,
            &r.modele,
            if !r.modele_complet {
                "chemin vers l'état final"
            } else {
                "modèle multi-période complet"
            },
        )];
        // The two-phase solve: the final-state model next to it, `<nom>-etat-final.lp`.
        if let Some(m) = &r.modele_etat_final {
            let nom = lp
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            modeles.push((
                dossier.join(format!("{nom}-etat-final.lp")),
                m,
                "état final",
            ));
        }
        for (chemin, m, quoi) in modeles {
            let texte = m.lp(&format!("collegia reorganiser — {} — {quoi}", s.params.nom));
            if let Err(e) = ecrire_fichier(&chemin, texte.as_bytes(), &c.fichiers, true) {
                eprintln!("Erreur : {e}.");
                return code(EXIT_ENTREE);
            }
            dire!(
                "Modèle ({quoi}) exporté au format LP dans {}.",
                chemin.display()
            );
        }
    }
    code(EXIT_OK)
}
