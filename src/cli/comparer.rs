//! `collegia comparer`: several scenarios side by side.

use super::rapport::nom_scenario;
use super::{ComparerArgs, EXIT_ENTREE, EXIT_OK, charger};
use super::{Resultat, code};
use collegia::report::comparaison::{Colonne, fichiers, texte};
use collegia::report::ecriture::Sortie;
use std::path::PathBuf;

pub(crate) fn run(a: &ComparerArgs) -> Resultat {
    let mut charges = Vec::new();
    for d in &a.scenarios {
        let c = charger(d)?;
        charges.push((nom_scenario(d), c));
    }
    let analyses: Vec<_> = charges
        .iter()
        .map(|(_, c)| collegia::analyse::analyser(&c.scenario))
        .collect();
    let allocations: Vec<_> = charges
        .iter()
        .map(|(_, c)| collegia::optimise::indemnites::allouer(&c.scenario))
        .collect();
    // Two folders with the same name get a suffix, so that columns stay distinct.
    let mut noms: Vec<String> = Vec::new();
    for (n, _) in &charges {
        let mut nom = n.clone();
        let mut k = 2;
        while noms.contains(&nom) {
            nom = format!("{n} ({k})");
            k += 1;
        }
        noms.push(nom);
    }
    let cols: Vec<Colonne> = charges
        .iter()
        .zip(&analyses)
        .zip(&allocations)
        .zip(&noms)
        .map(|((((_, c), an), al), nom)| Colonne {
            nom: nom.clone(),
            scenario: &c.scenario,
            analyse: an,
            allocation: al.as_ref().map_err(|e| match e {
                collegia::optimise::indemnites::ErreurIndemnites::Infaisable(_) => {
                    "la politique de [indemnites] n'a pas de solution (voir collegia indemnites)"
                        .to_string()
                }
                other => other.to_string(),
            }),
        })
        .collect();
    out!("{}", texte(&cols));
    let dossier = a
        .sortie
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join("comparaison"));
    let entrees: Vec<PathBuf> = charges
        .iter()
        .flat_map(|(_, c)| c.fichiers.clone())
        .collect();
    let sortie = match Sortie::pour("comparer", &dossier, &entrees, a.force) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Erreur : {e}");
            return code(EXIT_ENTREE);
        }
    };
    let f = match fichiers(&cols) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("Erreur : {e}");
            return code(EXIT_ENTREE);
        }
    };
    match sortie.remplacer(f.iter().map(|x| (x.nom.as_str(), x.octets.as_slice()))) {
        Ok(r) => super::remarques(&r),
        Err(e) => {
            eprintln!("Erreur : {e}{}.", super::intacts(&e));
            return code(EXIT_ENTREE);
        }
    }
    outln!(
        "\nComparaison écrite dans {} : ouvrez {}",
        dossier.display(),
        dossier.join("index.html").display()
    );
    code(EXIT_OK)
}
