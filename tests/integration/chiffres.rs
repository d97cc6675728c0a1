//! One set of numbers: every figure a user can read in two outputs is the same in both.
//!
//! « ETP pilotés » of each group and each élu·e is read from the analysis (coverage table,
//! `analyser`), the report's groups table and lettres de mission (`perimetres`), the indemnités
//! weights (`responsabilites`) and the optimiser's « avant » (`effectifs_groupes`), on the bundled
//! example and on generated cities of several sizes and seeds; and through the binary, from the
//! CSV files the report writes.

use crate::commun::{collegia, root};
use collegia::analyse::{Attribution, Porteur, analyser};
use collegia::ingest::load_scenario;
use collegia::model::Scenario;
use collegia::optimise::application::effectifs_groupes;
use collegia::optimise::indemnites::{allouer_donnees, preparer, responsabilites};
use collegia::optimise::{Donnees, Granularite};
use collegia::report::rapport::perimetre::perimetres;
use collegia::synthese::{Taille, generer};
use proptest::prelude::*;
use std::collections::BTreeMap;

const EPS: f64 = 1e-6;

/// Asserts that every output gives the same staff figure for every group and élu·e.
fn memes_chiffres(s: &Scenario) -> Result<(), TestCaseError> {
    let a = analyser(s);
    let m = &a.metriques;
    let attribution = Attribution::depuis_scenario(s);
    // Σ over porteurs = the attributed staff ≤ the city's staff.
    let somme: f64 = m.porteurs.iter().map(|c| c.effectif).sum();
    let sans_porteur: f64 = (0..s.elus.len())
        .filter(|&e| s.elus[e].groupe.is_none() && !s.delegations.iter().any(|d| d.elu == e))
        .map(|e| attribution.elu(e).effectif)
        .sum();
    prop_assert!((somme + sans_porteur - m.effectif_attribue).abs() < EPS);
    prop_assert!(m.effectif_attribue <= m.effectif_total + EPS);
    // Groups: analysis = report's groups table and lettres = optimiser's « avant ».
    let analyse_groupes: BTreeMap<String, f64> = m
        .porteurs
        .iter()
        .filter_map(|c| match &c.porteur {
            Porteur::Groupe(g) => Some((g.clone(), c.effectif)),
            Porteur::Elu(_) => None,
        })
        .collect();
    for p in perimetres(s, &a) {
        let attendu = analyse_groupes.get(&p.groupe).copied().unwrap_or(0.0);
        prop_assert!(
            (p.effectif() - attendu).abs() < EPS,
            "groupe {} : rapport {} / analyse {}",
            p.groupe,
            p.effectif(),
            attendu
        );
        let somme_noeuds: f64 = p.noeuds.iter().map(|n| n.effectif).sum();
        prop_assert!((somme_noeuds - attendu).abs() < EPS);
    }
    if let Ok(d) = Donnees::depuis_scenario(s, &[], Granularite::Direction, false) {
        for (g, v) in d.groupes.iter().zip(effectifs_groupes(s, &d)) {
            let attendu = analyse_groupes.get(&g.id).copied().unwrap_or(0.0);
            prop_assert!(
                (v - attendu).abs() < EPS,
                "groupe {} : optimiseur {v}",
                g.id
            );
        }
    }
    // Élu·es: analysis = indemnités weights.
    for r in responsabilites(s) {
        let e = m.elu(&r.id).expect("élu·e in the analysis");
        prop_assert!(
            (r.effectif_pilote - e.effectif_pilote).abs() < EPS,
            "élu·e {} : indemnités {} / analyse {}",
            r.id,
            r.effectif_pilote,
            e.effectif_pilote
        );
        prop_assert!((r.effectif_appui - e.effectif_appui).abs() < EPS);
        prop_assert_eq!(r.services_pilotes, e.services);
    }
    // One lead per group, the same for the analysis and the indemnités.
    let chefs = s.chefs();
    for r in responsabilites(s) {
        let e = m.elu(&r.id).expect("élu·e");
        prop_assert_eq!(r.anime_groupe.is_some(), e.chef_de_file);
        prop_assert_eq!(
            e.chef_de_file,
            chefs.contains_key(&s.find_elu(&r.id).expect("id"))
        );
    }
    Ok(())
}

fn charger_genere(taille: Taille, graine: u64) -> Scenario {
    let dir = tempfile::tempdir().expect("tempdir");
    for (nom, octets) in generer(taille, graine).liste() {
        std::fs::write(dir.path().join(nom), octets).expect("write");
    }
    load_scenario(dir.path())
        .expect("generated city loads")
        .scenario
}

#[test]
fn the_example_gives_one_figure_per_group_and_elu() {
    let c = load_scenario(&root().join("data/exemple")).expect("example");
    memes_chiffres(&c.scenario).expect("same figures");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Generated cities (two sizes, any seed): every output gives the same figure.
    #[test]
    fn generated_cities_give_one_figure(graine in 1u64..10_000, grande in any::<bool>()) {
        let taille = if grande { Taille::Annecy } else { Taille::Petite };
        memes_chiffres(&charger_genere(taille, graine))?;
    }

    /// The Gini the report's card shows (rates of the délégué·es) is the Gini of the Lorenz
    /// chart (their monthly amounts) to the printed precision.
    #[test]
    fn gini_card_and_lorenz_chart_agree(graine in 1u64..10_000) {
        let s = charger_genere(Taille::Petite, graine);
        let d = preparer(&s).expect("prepared");
        let Ok(a) = allouer_donnees(&s, &d) else { return Ok(()) };
        let Some(disp) = &a.dispersion else { return Ok(()) };
        let montants: Vec<f64> = a
            .lignes
            .iter()
            .filter(|l| d.beneficiaires.iter().any(|b| b.delegue && b.id == l.id))
            .map(|l| collegia::optimise::indemnites::en_f64(l.mensuel_eur))
            .collect();
        let lorenz = collegia::analyse::gini(&montants);
        let carte = collegia::optimise::indemnites::en_f64(disp.gini);
        prop_assert!((lorenz - carte).abs() < 5e-4, "Lorenz {lorenz} / carte {carte}");
    }
}

/// Parses a French number as the CSV tables write it (« 1 234,5 »).
fn nombre(v: &str) -> f64 {
    v.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€')
        .collect::<String>()
        .replace(',', ".")
        .parse()
        .unwrap_or_else(|_| panic!("a number: {v:?}"))
}

use crate::commun::lignes_csv as lignes;

/// Through the binary: the groups table and the coverage table of the written report give each
/// group the same « ETP pilotés ».
#[test]
fn the_written_report_tables_agree() {
    let sortie = tempfile::tempdir().expect("tempdir");
    collegia()
        .args(["rapport", "data/exemple", "--sortie"])
        .arg(sortie.path())
        .current_dir(root())
        .assert()
        .success();
    let t = sortie.path().join("tableaux");
    let groupes = lignes(&std::fs::read(t.join("groupes.csv")).expect("groupes.csv"));
    let couverture = lignes(&std::fs::read(t.join("couverture.csv")).expect("couverture.csv"));
    let col = |l: &BTreeMap<String, String>, debut: &str| -> String {
        l.iter()
            .find(|(k, _)| k.starts_with(debut))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("column {debut} in {:?}", l.keys()))
    };
    let mut par_groupe: BTreeMap<String, f64> = BTreeMap::new();
    for l in &couverture {
        *par_groupe.entry(col(l, "porteur")).or_default() += nombre(&col(l, "ETP"));
    }
    assert!(!groupes.is_empty());
    for l in &groupes {
        let g = col(l, "groupe");
        let v = nombre(&col(l, "ETP"));
        let c = par_groupe.get(&g).copied().unwrap_or(0.0);
        // Each CSV cell is rounded to 0,1: the sum of the pôle cells may drift by 0,05 a cell.
        assert!(
            (v - c).abs() < 0.3,
            "groupe {g} : groupes.csv {v} / couverture.csv {c}"
        );
    }
}

/// A plain conseiller·e paid today (3 %) and not in the proposal is a row of the comparison
/// and is named, in the terminal and in the report, never only in the list of non-indemnisé·es.
#[test]
fn an_elu_who_loses_their_indemnite_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["scenario.toml", "organigramme.csv", "delegations.csv"] {
        std::fs::copy(root().join("data/exemple").join(f), dir.path().join(f)).expect("copy");
    }
    let elus = std::fs::read_to_string(root().join("data/exemple/elus.csv")).expect("elus");
    let elus = elus.replace(
        "E42;Dubois;Kévin;M;conseiller;;;majorite;Écologistes;;;;;",
        "E42;Dubois;Kévin;M;conseiller;;;majorite;Écologistes;;;;3;",
    );
    assert!(elus.contains(";;;;3;"));
    std::fs::write(dir.path().join("elus.csv"), elus).expect("write");
    let sortie = tempfile::tempdir().expect("tempdir");
    let out = collegia()
        .arg("indemnites")
        .arg(dir.path())
        .arg("--sortie")
        .arg(sortie.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let texte = String::from_utf8(out).expect("utf-8");
    assert!(
        texte.contains(
            "1 élu·e(s) indemnisé·e(s) aujourd'hui ne le seraient plus : Kévin Dubois (E42)"
        ),
        "{texte}"
    );
    let rapport = tempfile::tempdir().expect("tempdir");
    collegia()
        .arg("rapport")
        .arg(dir.path())
        .arg("--sortie")
        .arg(rapport.path())
        .assert()
        .success();
    let evolution = lignes(
        &std::fs::read(rapport.path().join("tableaux/indemnites-evolution.csv"))
            .expect("indemnites-evolution.csv"),
    );
    let e42 = evolution
        .iter()
        .find(|l| l.get("id").map(String::as_str) == Some("E42"))
        .expect("E42 in the comparison");
    assert!(
        e42["observation"].starts_with("perd son indemnité"),
        "{e42:?}"
    );
    let html = std::fs::read_to_string(rapport.path().join("index.html")).expect("index.html");
    assert!(html.contains("ne le seraient plus dans la proposition : Kévin Dubois"));
}
