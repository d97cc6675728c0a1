//! `collegia importer-rne`: from the national RNE file to a loadable `elus.csv`.

use super::{EXIT_ENTREE, EXIT_OK, ImporterRneArgs};
use super::{Resultat, code};
use collegia::ingest::{Code, lire_rne, ouvrir_rne};
use collegia::model::Fonction;
use collegia::report::ecriture::{ecrire_fichier, nom_de_fichier};
use collegia::report::format::pluriel;
use collegia::report::scenario_csv::elus_csv;
use std::path::PathBuf;

pub(crate) fn importer(a: &ImporterRneArgs) -> Resultat {
    let nom = a.fichier.display().to_string();
    let reader = match ouvrir_rne(&a.fichier) {
        Ok(r) => r,
        Err(d) => {
            eprintln!("{d}");
            return code(EXIT_ENTREE);
        }
    };
    let import = match lire_rne(reader, &nom, &a.commune) {
        Ok(i) => i,
        Err(e) => {
            eprint!("{e}");
            if e.has(Code::E026) {
                eprintln!("Aucun fichier n'a été écrit.");
            }
            return code(EXIT_ENTREE);
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
    let elus = import.vers_elus();
    // Refused even with --force when the target is the RNE file itself, however it is spelt
    // (`./rne.csv`, absolute, through a link): same device and inode.
    if let Err(e) = ecrire_fichier(
        &sortie,
        &elus_csv(&elus),
        std::slice::from_ref(&a.fichier),
        a.force,
    ) {
        eprintln!("Erreur : {e}");
        return code(EXIT_ENTREE);
    }
    let count = |f: Fonction| elus.iter().filter(|e| e.fonction == f).count();
    outln!(
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
    outln!("  {}", detail.join(", "));
    for ligne in controle_composition(&elus, a.population, &import.code) {
        outln!("{ligne}");
    }
    outln!("À compléter à la main (le RNE ne les connaît pas) :");
    outln!(
        "  - la colonne « fonction » des conseiller·es délégué·es (le RNE ne les distingue pas des conseiller·es) ;"
    );
    outln!(
        "  - la colonne « liste » des élu·es de l'opposition (tou·tes sont importé·es dans la majorité) ;"
    );
    outln!("  - les colonnes « groupe », « composante », « quartier », « axe » ;");
    outln!(
        "  - dans scenario.toml : code_insee = \"{}\" (Paris, Lyon et Marseille suivent leurs propres règles, CGCT L2511-1 et suivants) ;",
        import.code
    );
    if count(Fonction::MaireDelegue) > 0 && count(Fonction::AdjointMaireDelegue) == 0 {
        outln!(
            "  - la colonne « commune_deleguee » des maires délégué·es, et les [[communes_deleguees]] de scenario.toml ;"
        );
    }
    if count(Fonction::AdjointMaireDelegue) > 0 {
        outln!(
            "  - la colonne « commune_deleguee » des maires délégué·es et des adjoint·es au maire délégué·e (obligatoire pour ces dernier·es, E044), et les [[communes_deleguees]] de scenario.toml ;"
        );
    }
    outln!("  - puis organigramme.csv, delegations.csv et scenario.toml (voir docs/formats.md).");
    code(EXIT_OK)
}

/// Composition checks the RNE allows without délégations: council size and number of adjoint·es
/// (when the population is known), and the strict alternation by sex of the adjoint·es' list.
fn controle_composition(
    elus: &[collegia::model::Elu],
    population: Option<u32>,
    code_insee: &str,
) -> Vec<String> {
    use collegia::law::{Plm, effectif_legal, max_adjoints, ruptures_alternance};
    let plm = Plm::depuis_code_insee(code_insee);
    let mut out = vec!["Contrôle de la composition :".to_string()];
    let adjoints: Vec<(u32, collegia::model::Sexe)> = elus
        .iter()
        .filter(|e| e.fonction == Fonction::Adjoint)
        .filter_map(|e| e.rang.map(|r| (r, e.sexe)))
        .collect();
    if let Some(plm) = plm {
        // CGCT L2511-1 and following: the PLM council sizes, whatever the population.
        let eff = plm.effectif();
        out.push(format!(
            "  - conseil municipal de {} : {eff} sièges (CGCT L2511-1) ; {} dans le fichier ; adjoint·es : {} pour un maximum de {} (30 %, CGCT L2122-2)",
            plm.nom(),
            elus.len(),
            adjoints.len(),
            max_adjoints(eff)
        ));
    } else if let Some(p) = population {
        let eff = effectif_legal(p);
        let max = max_adjoints(eff);
        out.push(format!(
            "  - effectif légal pour {} habitant·es : {eff} (CGCT L2121-2) ; {} dans le fichier{}",
            collegia::report::format::nombre(f64::from(p), 0),
            elus.len(),
            match (elus.len() as u32).cmp(&eff) {
                std::cmp::Ordering::Equal => " : conforme",
                std::cmp::Ordering::Less => " : sièges vacants ?",
                std::cmp::Ordering::Greater => " : plus d'élu·es que de sièges, conseil élargi d'une commune nouvelle (CGCT L2113-7, L2113-8) ou élu·es remplacé·es gardé·es dans le fichier",
            }
        ));
        // More élu·es than the legal size: either the enlarged council of a commune nouvelle
        // until its third renewal (CGCT L2113-7, L2113-8; the RNE does not say so, and has no
        // creation date), whose 30 % reads on its actual size, or replaced élu·es kept in the file.
        let siege = elus.len() as u32;
        let max_elargi = max_adjoints(siege);
        let n = adjoints.len() as u32;
        out.push(format!(
            "  - adjoint·es : {n} pour un maximum de {max} (30 %, CGCT L2122-2){}",
            if n <= max {
                String::new()
            } else if siege > eff && n <= max_elargi {
                format!(
                    " ; {max_elargi} pour un conseil élargi de {siege} sièges : conforme si c'est celui d'une commune nouvelle (CGCT L2113-8 ; indiquez date_creation et conseils_anciens dans scenario.toml), dépassement sinon"
                )
            } else {
                " : dépassement, sauf adjoint·es de quartier (L2122-2-1, à marquer dans la colonne « quartier »)".to_string()
            }
        ));
    } else {
        out.push(
            "  - effectif et nombre d'adjoint·es non contrôlés : précisez --population".to_string(),
        );
    }
    let ruptures = ruptures_alternance(&adjoints);
    if ruptures.is_empty() {
        out.push(
            "  - liste des adjoint·es strictement alternée F/H (CGCT L2122-7-2) : conforme"
                .to_string(),
        );
    } else {
        let paires: Vec<String> = ruptures.iter().map(|(a, b)| format!("{a}–{b}")).collect();
        out.push(format!(
            "  - alternance F/H des adjoint·es rompue aux rangs {} (CGCT L2122-7-2 ; un remplacement en cours de mandat peut l'expliquer)",
            paires.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::controle_composition;
    use collegia::model::{Elu, Fonction, Liste, Sexe};

    /// An élu·e with only what the composition check reads (the library's test builder is not
    /// visible from the binary).
    fn elu(id: &str, fonction: Fonction) -> Elu {
        Elu {
            id: id.into(),
            nom: format!("Nom{id}"),
            prenom: "Prénom".into(),
            sexe: Sexe::F,
            fonction,
            rang: None,
            groupe: None,
            liste: Liste::Majorite,
            composante: None,
            quartier: None,
            commune_deleguee: None,
            axe: None,
            taux_actuel: None,
            autres_indemnites_eur: None,
            taux_actuel_eur: None,
            chef_de_file: None,
            cessation_activite: None,
            ligne: 0,
        }
    }

    fn conseil(sieges: u32, adjoints: u32) -> Vec<Elu> {
        (0..sieges)
            .map(|i| {
                let f = match i {
                    0 => Fonction::Maire,
                    i if i <= adjoints => Fonction::Adjoint,
                    _ => Fonction::Conseiller,
                };
                let mut e = elu(&format!("E{i}"), f);
                e.rang = (f == Fonction::Adjoint).then_some(i);
                e
            })
            .collect()
    }

    /// Issue 16: a real 33-seat commune nouvelle (first renewal, enlarged council, L2113-8) with
    /// 9 adjoint·es is lawful (30 % of 33 = 9), though the legal size at its population is 29.
    #[test]
    fn an_enlarged_council_is_not_called_an_excess() {
        let lignes = controle_composition(&conseil(33, 9), Some(8_000), "01001").join("\n");
        assert!(
            lignes.contains("habitant·es : 29 (CGCT L2121-2)"),
            "{lignes}"
        );
        assert!(
            lignes.contains("conseil élargi d'une commune nouvelle"),
            "{lignes}"
        );
        assert!(
            lignes.contains("9 pour un conseil élargi de 33 sièges"),
            "{lignes}"
        );
        assert!(lignes.contains("CGCT L2113-8"), "{lignes}");
        assert!(!lignes.contains("dépassement, sauf"), "{lignes}");
        // 10 adjoint·es exceed even 30 % of 33
        let lignes = controle_composition(&conseil(33, 10), Some(8_000), "01001").join("\n");
        assert!(lignes.contains("dépassement, sauf"), "{lignes}");
        // a council of the legal size with 9 adjoint·es is an excess (30 % of 29 = 8)
        let lignes = controle_composition(&conseil(29, 9), Some(8_000), "01001").join("\n");
        assert!(lignes.contains("dépassement, sauf"), "{lignes}");
    }
}
