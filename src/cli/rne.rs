//! `collegia importer-rne`: from the national RNE file to a loadable `elus.csv`.

use super::{EXIT_ENTREE, EXIT_OK, ImporterRneArgs};
use crate::ingest::{Code, lire_rne, ouvrir_rne};
use crate::model::Fonction;
use crate::report::ecriture::{EcritureError, ecrire_atomique, nom_de_fichier};
use crate::report::format::pluriel;
use crate::report::scenario_csv::elus_csv;
use std::path::PathBuf;

pub(crate) fn importer(a: &ImporterRneArgs) -> u8 {
    let nom = a.fichier.display().to_string();
    let reader = match ouvrir_rne(&a.fichier) {
        Ok(r) => r,
        Err(d) => {
            eprintln!("{d}");
            return EXIT_ENTREE;
        }
    };
    let import = match lire_rne(reader, &nom, &a.commune) {
        Ok(i) => i,
        Err(e) => {
            eprint!("{e}");
            if e.has(Code::E026) {
                eprintln!("Aucun fichier n'a été écrit.");
            }
            return EXIT_ENTREE;
        }
    };
    for w in &import.avertissements {
        eprintln!("Avertissement : {w}");
    }
    let sortie = a.sortie.clone().unwrap_or_else(|| {
        PathBuf::from("data")
            .join(nom_de_fichier(&import.commune))
            .join("elus.csv")
    });
    if sortie.exists() && !a.force {
        eprintln!(
            "Erreur : {}",
            EcritureError::Existe(sortie.display().to_string())
        );
        return EXIT_ENTREE;
    }
    if sortie == a.fichier {
        eprintln!(
            "Erreur : {}",
            EcritureError::DansEntree(sortie.display().to_string())
        );
        return EXIT_ENTREE;
    }
    let elus = import.vers_elus();
    if let Err(e) = ecrire_atomique(&sortie, &elus_csv(&elus)) {
        eprintln!("Erreur : {e}");
        return EXIT_ENTREE;
    }
    let count = |f: Fonction| elus.iter().filter(|e| e.fonction == f).count();
    println!(
        "{} ({}) : {} importé·es depuis {} lues → {}",
        import.commune,
        import.code,
        pluriel(elus.len(), "élu·e", "élu·es"),
        pluriel(import.lignes_lues, "ligne", "lignes"),
        sortie.display()
    );
    let mut detail = Vec::new();
    for f in Fonction::ALL {
        let n = count(f);
        if n > 0 {
            detail.push(format!(
                "{n} {}",
                if n > 1 {
                    f.libelle_pluriel()
                } else {
                    f.libelle()
                }
            ));
        }
    }
    println!("  {}", detail.join(", "));
    println!("À compléter à la main (le RNE ne les connaît pas) :");
    println!(
        "  - la colonne « fonction » des conseiller·es délégué·es (le RNE ne les distingue pas des conseiller·es) ;"
    );
    println!(
        "  - la colonne « liste » des élu·es de l'opposition (tou·tes sont importé·es dans la majorité) ;"
    );
    println!("  - les colonnes « groupe », « composante », « quartier », « axe » ;");
    if count(Fonction::MaireDelegue) > 0 {
        println!(
            "  - la colonne « commune_deleguee » des maires délégué·es, et les [[communes_deleguees]] de scenario.toml ;"
        );
    }
    println!("  - puis organigramme.csv, delegations.csv et scenario.toml (voir docs/formats.md).");
    EXIT_OK
}
