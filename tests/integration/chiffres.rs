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

/// Rows of a CSV written by collegia (`;`, BOM), header included.
fn lire_csv(chemin: &std::path::Path) -> Vec<Vec<String>> {
    let octets = std::fs::read(chemin).unwrap_or_else(|e| panic!("{}: {e}", chemin.display()));
    let texte = String::from_utf8(octets).expect("utf-8");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(texte.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|l| l.expect("csv row").iter().map(String::from).collect())
        .collect()
}

/// The value of a figure card (`<dt>titre</dt><dd>valeur</dd>`) of an HTML page.
fn carte(html: &str, titre: &str) -> String {
    let debut = format!("<dt>{titre}</dt><dd>");
    let i = html
        .find(&debut)
        .unwrap_or_else(|| panic!("card « {titre} » missing"))
        + debut.len();
    html[i..].split("</dd>").next().expect("dd").to_string()
}

/// The Gini written in a Lorenz chart's legend (« … (Gini 0,181) »), per series.
fn ginis_legende(svg: &str) -> Vec<String> {
    svg.split("(Gini ")
        .skip(1)
        .map(|x| x.split(')').next().expect("gini").trim().to_string())
        .collect()
}

/// One definition per count (issue 28, item 3): doubles rattachements (D001), liens fonctionnels
/// entre groupes (D002), pôles per group and the Gini of the délégué·es read the same in
/// `analyser`, the report (page, deck, tables, charts), `optimiser` and `comparer`.
fn memes_comptes(scenario: &std::path::Path) {
    let tmp = tempfile::tempdir().expect("tmp");
    let analyse = collegia()
        .arg("analyser")
        .arg(scenario)
        .args(["--format", "csv"])
        .output()
        .expect("analyser");
    let f = tmp.path().join("constats.csv");
    std::fs::write(&f, &analyse.stdout).expect("written");
    let constats = lire_csv(&f);
    let nb = |code: &str| constats.iter().filter(|l| l[0] == code).count();
    let (d001, d002) = (nb("D001").to_string(), nb("D002").to_string());
    // D004: « Le groupe G pilote des nœuds dans N pôles ».
    let d004: BTreeMap<String, usize> = constats
        .iter()
        .filter(|l| l[0] == "D004")
        .map(|l| {
            let n = l[7]
                .split(" dans ")
                .nth(1)
                .and_then(|x| x.split(' ').next())
                .and_then(|x| x.parse().ok())
                .expect("N pôles");
            (l[5].clone(), n)
        })
        .collect();

    let r = tmp.path().join("rapport");
    collegia()
        .arg("rapport")
        .arg(scenario)
        .args(["--optimiser", "--sortie"])
        .arg(&r)
        .assert()
        .success();
    let index = std::fs::read_to_string(r.join("index.html")).expect("index");
    let deck = std::fs::read_to_string(r.join("diaporama.html")).expect("deck");
    for page in [&index, &deck] {
        assert_eq!(carte(page, "Doubles rattachements"), d001);
        assert_eq!(carte(page, "Liens fonctionnels entre groupes"), d002);
    }
    // Pôles per group: the report's table = D004 = the optimiser's « pôles avant ».
    let groupes: BTreeMap<String, usize> = lire_csv(&r.join("tableaux/groupes.csv"))
        .into_iter()
        .skip(1)
        .map(|l| (l[0].clone(), l[3].split_whitespace().count()))
        .collect();
    for (g, n) in &groupes {
        match d004.get(g) {
            Some(m) => assert_eq!(n, m, "pôles de {g}"),
            None => assert!(*n <= 1, "{g}: {n} pôles without D004"),
        }
    }
    for l in lire_csv(&r.join("tableaux/proposition-groupes.csv"))
        .into_iter()
        .skip(1)
    {
        assert_eq!(l[2], groupes[&l[0]].to_string(), "pôles avant de {}", l[0]);
    }
    // The report's Lorenz legend reads the card's Gini of the délégué·es.
    if let Ok(svg) = std::fs::read_to_string(r.join("graphiques/indemnites-lorenz.svg")) {
        assert_eq!(
            ginis_legende(&svg),
            vec![carte(&index, "Gini des taux des délégué·es")]
        );
    }
    // comparer: the same counts and mean pôles, its Lorenz legend = its table.
    let c = tmp.path().join("comparaison");
    collegia()
        .arg("comparer")
        .arg(scenario)
        .arg(r.join("proposition"))
        .arg("--sortie")
        .arg(&c)
        .assert()
        .success();
    let table = lire_csv(&c.join("tableaux/comparaison.csv"));
    let ligne = |nom: &str| {
        table
            .iter()
            .find(|l| l[0] == nom)
            .unwrap_or_else(|| panic!("row « {nom} »"))
            .clone()
    };
    assert_eq!(ligne("doubles rattachements")[1], d001);
    assert_eq!(ligne("liens fonctionnels entre groupes")[1], d002);
    let moyenne = groupes.values().sum::<usize>() as f64 / groupes.len() as f64;
    assert_eq!(
        ligne("pôles par groupe (moyenne)")[1],
        format!("{moyenne:.2}").replace('.', ",")
    );
    let gini = ligne("Gini des taux des délégué·es");
    let svg = std::fs::read_to_string(c.join("graphiques/comparaison-lorenz.svg")).expect("svg");
    assert_eq!(ginis_legende(&svg), gini[1..].to_vec());
}

#[test]
fn every_output_counts_doubles_links_poles_and_gini_alike_on_the_example() {
    memes_comptes(&root().join("data/exemple"));
}

#[test]
fn every_output_counts_doubles_links_poles_and_gini_alike_on_a_generated_city() {
    let tmp = tempfile::tempdir().expect("tmp");
    let ville = tmp.path().join("ville");
    collegia()
        .args(["generer", "annecy", "--graine", "7", "--intrusions", "2"])
        .arg(&ville)
        .assert()
        .success();
    memes_comptes(&ville);
}
