//! The `collegia` binary: exit codes, French messages on stdout/stderr.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn collegia() -> Command {
    Command::cargo_bin("collegia").expect("binary built")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn verifier_on_a_valid_scenario_prints_a_summary_and_exits_0() {
    collegia()
        .current_dir(root())
        .args(["verifier", "tests/fixtures/minimal"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Scénario « Minimale »"))
        .stdout(predicate::str::contains("10 nœuds"))
        .stdout(predicate::str::contains("2 adjoint·es"))
        .stdout(predicate::str::contains("Le scénario est valide."));
}

#[test]
fn check_alias_works() {
    collegia()
        .current_dir(root())
        .args(["check", "tests/fixtures/minimal"])
        .assert()
        .success();
}

#[test]
fn verifier_on_invalid_input_lists_every_error_and_exits_1() {
    collegia()
        .current_dir(root())
        .args(["verifier", "tests/fixtures/plusieurs-erreurs"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("3 erreurs dans les données d'entrée"))
        .stderr(predicate::str::contains("[E005] tests/fixtures/plusieurs-erreurs/organigramme.csv, ligne 10, colonne « parent »"))
        .stderr(predicate::str::contains("[E011] tests/fixtures/plusieurs-erreurs/elus.csv, ligne 7"))
        .stderr(predicate::str::contains("valeur lue : « -42 »"));
}

#[test]
fn usage_errors_are_french_and_exit_64() {
    collegia()
        .args(["verfier", "x"])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("commande inconnue « verfier »"))
        .stderr(predicate::str::contains("vouliez-vous dire « verifier »"));
    collegia()
        .args(["verifier"])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("argument obligatoire manquant"));
}

#[test]
fn help_is_french() {
    collegia()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Utilisation : collegia <COMMANDE>",
        ))
        .stdout(predicate::str::contains("Codes de sortie"));
}

#[test]
fn verifier_on_the_bundled_example_succeeds() {
    collegia()
        .current_dir(root())
        .args(["verifier", "data/exemple"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Le scénario est valide."));
    collegia()
        .current_dir(root())
        .args(["verifier", "data/exemple-variante"])
        .assert()
        .success();
}

#[test]
fn bareme_prints_the_legal_sheet_with_articles() {
    collegia()
        .args([
            "bareme",
            "--population",
            "130000",
            "--date",
            "2026-04-01",
            "--majoration",
            "chef_lieu_departement",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("loi 2025-1249"))
        .stdout(predicate::str::contains("5\u{202f}960,26\u{202f}€"))
        .stdout(predicate::str::contains("2\u{202f}712,95\u{202f}€"))
        .stdout(predicate::str::contains("CGCT L2123-24 II"))
        .stdout(predicate::str::contains("49\u{202f}367,39\u{202f}€"));
    // The 2024 official table: adjoint 3 500–9 999 = 904,32 €.
    collegia()
        .args([
            "scale",
            "--population",
            "5000",
            "--date",
            "2024-06-01",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("904,32"));
    let out = collegia()
        .args([
            "bareme",
            "--population",
            "5000",
            "--date",
            "2026-01-15",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert!(v.is_object());
    collegia()
        .args(["bareme", "--population", "5000", "--date", "1990-01-01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Erreur"));
    collegia()
        .args(["bareme", "--population", "5000", "--majoration", "capitale"])
        .assert()
        .code(1);
}

/// `generer` writes a loadable scenario, the same bytes for the same seed, and refuses to
/// overwrite without --force.
#[test]
fn generer_is_deterministic_and_loadable() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    for d in [&a, &b] {
        collegia()
            .args(["generer", "annecy"])
            .arg(d)
            .args(["--graine", "42"])
            .assert()
            .success();
    }
    for f in [
        "scenario.toml",
        "organigramme.csv",
        "elus.csv",
        "delegations.csv",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).expect("a"),
            std::fs::read(b.join(f)).expect("b"),
            "{f}"
        );
    }
    collegia().arg("verifier").arg(&a).assert().success();
    collegia()
        .args(["generate", "petite"])
        .arg(&a)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("existe déjà"));
}

/// `comparer` with one scenario says what it needs, not only "ligne de commande invalide".
#[test]
fn comparer_with_one_scenario_explains_it_needs_two() {
    collegia()
        .current_dir(root())
        .args(["comparer", "data/exemple"])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("au moins deux scénarios"))
        .stderr(predicate::str::contains("ligne de commande invalide").not());
}

/// A file given where a scenario folder is expected is named as a file, with the folder to give.
#[test]
fn a_file_given_for_a_folder_says_so() {
    collegia()
        .current_dir(root())
        .args(["verifier", "tests/fixtures/minimal/elus.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("[E024]"))
        .stderr(predicate::str::contains("c'est un fichier"))
        .stderr(predicate::str::contains("tests/fixtures/minimal"));
}

/// `--solveur highs` on a build without HiGHS is refused before anything is solved or written.
#[cfg(not(feature = "highs"))]
#[test]
fn highs_without_highs_is_refused_before_solving() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sortie = tmp.path().join("plan");
    collegia()
        .current_dir(root())
        .args([
            "optimiser",
            "data/exemple",
            "--solveur",
            "highs",
            "--sortie",
        ])
        .arg(&sortie)
        .assert()
        .code(64)
        .stderr(predicate::str::contains("HiGHS n'est pas compilé"));
    assert!(!sortie.exists());
}

/// `indemnites --balayage --sortie D` writes the sweep in D and says so.
#[test]
fn the_sweep_is_written_where_asked() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sortie = tmp.path().join("bal");
    collegia()
        .current_dir(root())
        .args(["indemnites", "data/exemple", "--balayage", "--sortie"])
        .arg(&sortie)
        .assert()
        .success()
        .stderr(predicate::str::contains("balayage.csv"));
    let csv = std::fs::read_to_string(sortie.join("balayage.csv")).expect("sweep written");
    assert!(csv.lines().count() > 2, "{csv}");
}

/// Warnings (unknown column, encoding) are printed by `verifier`, which still succeeds.
#[test]
fn verifier_prints_the_ingest_warnings() {
    collegia()
        .current_dir(root())
        .args(["verifier", "tests/fixtures/E030-colonne-inconnue"])
        .assert()
        .success()
        .stderr(predicate::str::contains("[E030]"))
        .stderr(predicate::str::contains("« Efectif »"));
}
