//! `collegia indemnites`: the allocation of the indemnités, its tableau annexe, the alpha sweep,
//! or the diagnosis of an infeasible policy (exit code 2).

use super::{EXIT_ENTREE, EXIT_OK, Format, IndemnitesArgs};
use super::{Resultat, code};
use collegia::optimise::indemnites::{allouer, balayage};
use collegia::report::ecriture::Sortie;
use collegia::report::indemnites as rendu;

/// Name of the tableau annexe file in the output folder.
pub(crate) const FICHIER_ANNEXE: &str = "indemnites-tableau-annexe.csv";

fn json<T: serde::Serialize>(v: &T) -> Option<String> {
    match serde_json::to_string_pretty(v) {
        Ok(j) => Some(j),
        Err(e) => {
            eprintln!("Erreur : sérialisation JSON impossible ({e})");
            None
        }
    }
}

const FICHIER_BALAYAGE: &str = "balayage.csv";

pub(crate) fn indemnites(a: &IndemnitesArgs) -> Resultat {
    let c = super::charger(&a.scenario)?;
    let s = &c.scenario;
    if a.balayage {
        let points = balayage(s)?;
        // With --sortie the sweep is also written there, as CSV (it used to be silently
        // ignored: nothing written, nothing said).
        let ecrit = match &a.sortie {
            None => None,
            Some(dossier) => match Sortie::new(dossier, &c.fichiers).and_then(|o| {
                o.par("indemnites").ecrire(
                    FICHIER_BALAYAGE,
                    rendu::render_balayage_csv(&points).as_bytes(),
                )
            }) {
                Ok(p) => Some(p),
                Err(e) => {
                    eprintln!("Erreur : {e}");
                    return code(EXIT_ENTREE);
                }
            },
        };
        match a.format {
            Format::Table => out!("{}", rendu::render_balayage_table(&points)),
            Format::Csv => out!("{}", rendu::render_balayage_csv(&points)),
            Format::Json => match json(&points) {
                Some(j) => outln!("{j}"),
                None => return code(EXIT_ENTREE),
            },
        }
        if let Some(p) = ecrit {
            eprintln!("Balayage écrit dans {}", p.display());
        }
        return code(EXIT_OK);
    }
    let alloc = allouer(s)?;
    let dossier = a
        .sortie
        .clone()
        .unwrap_or_else(|| super::rapport::dossier_rapport(&a.scenario));
    let ecrit = Sortie::dossier(&dossier, &c.fichiers, a.force).and_then(|o| {
        o.par("indemnites")
            .ajouter(FICHIER_ANNEXE, &rendu::tableau_annexe(&alloc, s).csv())
    });
    let chemin = match ecrit {
        Ok(p) => p,
        Err(e) => {
            eprintln!("Erreur : {e}");
            return code(EXIT_ENTREE);
        }
    };
    match a.format {
        Format::Table => {
            out!("{}", rendu::render_table(&alloc));
            out!(
                "{}",
                rendu::render_evolutions(&collegia::optimise::indemnites::evolutions(s, &alloc))
            );
        }
        Format::Csv => out!("{}", rendu::render_csv(&alloc)),
        Format::Json => match json(&alloc) {
            Some(j) => outln!("{j}"),
            None => return code(EXIT_ENTREE),
        },
    }
    eprintln!(
        "Résolution {} en {} ms ; tableau annexe (L2123-20-1) écrit dans {}",
        alloc.statut.libelle(),
        alloc.duree.as_millis(),
        chemin.display()
    );
    code(EXIT_OK)
}
