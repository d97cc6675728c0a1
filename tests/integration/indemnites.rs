//! `collegia indemnites`: the example's allocation as a golden file, the tableau annexe written
//! in the output folder, and infeasible policies diagnosed with exit code 2.

use assert_cmd::Command;
use collegia::optimise::indemnites::{ErreurIndemnites, Famille, allouer};
use collegia::report::indemnites::render_table;
use predicates::prelude::*;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn collegia() -> Command {
    Command::cargo_bin("collegia").expect("binary built")
}

fn charger(dossier: &str) -> collegia::model::Scenario {
    collegia::ingest::load_scenario(&root().join(dossier))
        .expect("valid scenario")
        .scenario
}

#[test]
fn example_allocation_matches_the_golden_file() {
    let a = allouer(&charger("data/exemple")).expect("feasible");
    let texte = render_table(&a);
    let golden = root().join("tests/golden/indemnites-exemple.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &texte).expect("write golden");
    }
    let attendu =
        std::fs::read_to_string(&golden).expect("golden file (UPDATE_GOLDEN=1 to create)");
    assert_eq!(
        texte, attendu,
        "rerun with UPDATE_GOLDEN=1 if the change is intended"
    );
}

#[test]
fn example_allocation_is_lawful_and_uses_the_requested_share() {
    let a = allouer(&charger("data/exemple")).expect("feasible");
    let t = &a.totaux;
    assert_eq!(t.enveloppe_pct.to_string(), "1531");
    // 95 % of 1 531 = 1 454,45 points; rates are truncated to the hundredth
    assert!(t.utilise_pct <= "1454.45".parse().expect("dec"));
    assert!(t.utilise_pct >= "1454.00".parse().expect("dec"));
    let maire = a.lignes.iter().find(|l| l.id == "E01").expect("maire");
    assert_eq!(
        maire.taux_pct.to_string(),
        "110.00",
        "taux_maire = 110 at the maire's request"
    );
    assert!(
        a.lignes.iter().all(|l| l.id != "E42"),
        "no délégation, not paid"
    );
}

#[test]
fn cli_writes_the_tableau_annexe_in_the_output_folder() {
    let d = tempfile::tempdir().expect("tmp");
    let sortie = d.path().join("rapports");
    collegia()
        .current_dir(root())
        .args(["allowances", "data/exemple", "--format", "csv", "--sortie"])
        .arg(&sortie)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("\u{feff}id;nom;fonction;"))
        .stdout(predicate::str::contains("E01;Claire Amrani;maire;"));
    let annexe =
        std::fs::read_to_string(sortie.join("indemnites-tableau-annexe.csv")).expect("annexe");
    // One tableau annexe format: the report's (BOM, CRLF, ranks, the fonction as written).
    assert!(annexe.starts_with("\u{feff}rang;nom;fonction;taux (% de l'indice brut terminal);"));
    assert!(
        annexe.contains("\r\n;Claire Amrani;Maire;110,00;4521,58;"),
        "{annexe}"
    );
    assert!(
        annexe.contains("\r\n1;Julien Moreau;1er adjoint;"),
        "{annexe}"
    );
    assert!(
        annexe.contains("\r\n2;Nadia Benali;2e adjointe;"),
        "{annexe}"
    );
}

#[test]
fn cli_refuses_to_write_into_the_input_folder() {
    collegia()
        .current_dir(root())
        .args(["indemnites", "data/exemple", "--sortie", "data/exemple"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("dossier ou un fichier d'entrée"));
}

#[test]
fn cli_sweep_prints_21_steps() {
    collegia()
        .current_dir(root())
        .args([
            "indemnites",
            "tests/fixtures/minimal",
            "--balayage",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("\u{feff}alpha;taux_min_pct;"))
        .stdout(predicate::function(|s: &str| s.lines().count() == 22));
}

#[test]
fn infeasible_fixture_is_diagnosed_and_exits_2() {
    let s = charger("tests/fixtures/indemnites-infaisable");
    match allouer(&s) {
        Err(ErreurIndemnites::Infaisable(d)) => {
            let p = d
                .en_conflit()
                .into_iter()
                .find(|r| r.famille == Famille::Plancher)
                .expect("floor in conflict");
            assert_eq!(p.ecart_points.map(|x| x.to_string()), Some("2.6".into()));
        }
        autre => panic!("expected infeasible, got {autre:?}"),
    }
    let d = tempfile::tempdir().expect("tmp");
    collegia()
        .current_dir(root())
        .args(["indemnites", "tests/fixtures/indemnites-infaisable", "--sortie"])
        .arg(d.path().join("out"))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "Aucune répartition ne respecte à la fois toutes les règles de droit",
        ))
        .stderr(predicate::str::contains(
            "plancher des délégué·es (plancher) : il faudrait la relâcher de 2,6 points d'indice au total (106,87\u{202f}€ par mois)",
        ))
        .stderr(predicate::str::contains("Rien n'a été écrit."));
    assert!(
        !d.path().join("out").exists(),
        "nothing written when infeasible"
    );
}

#[test]
fn infeasible_example_variant_exits_2() {
    collegia()
        .current_dir(root())
        .args([
            "indemnites",
            "data/exemple-infaisable",
            "--sortie",
            "/nonexistent/never",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("185,55 points"));
}
