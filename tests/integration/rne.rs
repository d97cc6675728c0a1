//! `collegia importer-rne` on real (pseudonymised) RNE rows.

use assert_cmd::Command;
use collegia::ingest::{Code, lire_rne, load_scenario, ouvrir_rne};
use collegia::model::Fonction;
use predicates::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

fn rne() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rne/rne-extrait.csv")
}

fn collegia() -> Command {
    Command::cargo_bin("collegia").expect("binary")
}

#[test]
fn nantes_gives_the_maire_and_26_adjoints_in_rank_order() {
    let f = ouvrir_rne(&rne()).expect("open");
    let imp = lire_rne(f, "rne.csv", "44109").expect("Nantes");
    assert_eq!(imp.commune, "Nantes");
    assert_eq!(imp.lignes_lues, 149);
    assert_eq!(imp.elus.len(), 66);
    assert_eq!(imp.elus[0].fonction, Fonction::Maire);
    let rangs: Vec<u32> = imp.elus[1..27]
        .iter()
        .map(|e| e.rang.unwrap_or(0))
        .collect();
    assert_eq!(rangs, (1..=26).collect::<Vec<u32>>());
    assert!(
        imp.elus[1..27]
            .iter()
            .all(|e| e.fonction == Fonction::Adjoint)
    );
    assert!(
        imp.elus[27..]
            .iter()
            .all(|e| e.fonction == Fonction::Conseiller)
    );
}

/// The imported file loads as the `elus.csv` of a scenario.
#[test]
fn cli_import_writes_a_loadable_elus_csv() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("nantes");
    collegia()
        .args([
            "importer-rne",
            rne().to_str().expect("utf8"),
            "--commune",
            "44109",
            "--population",
            "292718",
            "--sortie",
        ])
        .arg(dir.join("elus.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Nantes (44109) : 66 élu·es importé·es",
        ))
        .stdout(predicate::str::contains("1 maire, 26 adjoint·es"))
        .stdout(predicate::str::contains(
            "effectif légal pour 292\u{202f}718 habitant·es : 65",
        ))
        .stdout(predicate::str::contains("À compléter"));
    std::fs::write(
        dir.join("scenario.toml"),
        "date = \"2026-04-01\"\npopulation_totale = 292718\n",
    )
    .expect("toml");
    std::fs::write(
        dir.join("organigramme.csv"),
        "id;libelle;parent\nDGS;DGS;\n",
    )
    .expect("org");
    std::fs::write(dir.join("delegations.csv"), "elu;noeud\nE02;DGS\n").expect("del");
    let c = load_scenario(&dir).expect("the imported elus.csv loads");
    assert_eq!(c.scenario.elus.len(), 66);
    assert_eq!(c.scenario.elus[1].rang, Some(1));
    // No overwrite without --force, and the existing file is left intact.
    let before = std::fs::read(dir.join("elus.csv")).expect("read");
    collegia()
        .args([
            "importer-rne",
            rne().to_str().expect("utf8"),
            "--commune",
            "32013",
            "--sortie",
        ])
        .arg(dir.join("elus.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("existe déjà (ajoutez --force"));
    assert_eq!(std::fs::read(dir.join("elus.csv")).expect("read"), before);
    collegia()
        .args([
            "importer-rne",
            rne().to_str().expect("utf8"),
            "--commune",
            "32013",
            "--force",
            "--sortie",
        ])
        .arg(dir.join("elus.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Auch (32013)"));
}

#[test]
fn unknown_commune_writes_nothing_and_exits_1() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("x/elus.csv");
    collegia()
        .args([
            "importer-rne",
            rne().to_str().expect("utf8"),
            "--commune",
            "75056",
            "--sortie",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("[E026]"))
        .stderr(predicate::str::contains(
            "aucun·e élu·e pour la commune de code INSEE 75056",
        ));
    assert!(!out.exists());
    assert!(!tmp.path().join("x").exists());
}

/// 2026 files use ISO dates; files may come gzip-compressed. Both give the same council.
#[test]
fn iso_dates_and_gzip_give_the_same_council() {
    let text = std::fs::read_to_string(rne()).expect("read");
    let iso: String = text
        .lines()
        .map(|l| {
            l.split(';')
                .map(|c| match collegia::ingest::parse_date_rne(c) {
                    Some(d) if c.contains('/') => d.format("%Y-%m-%d").to_string(),
                    _ => c.to_string(),
                })
                .collect::<Vec<_>>()
                .join(";")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    assert!(iso.contains("2020-05-28"));
    let tmp = tempfile::tempdir().expect("tmp");
    let gz = tmp.path().join("rne.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("create"),
        flate2::Compression::default(),
    );
    enc.write_all(iso.as_bytes()).expect("gz");
    enc.finish().expect("finish");
    let a = lire_rne(ouvrir_rne(&rne()).expect("open"), "a", "44109").expect("dd/mm");
    let b = lire_rne(ouvrir_rne(&gz).expect("open gz"), "b", "44109").expect("iso gz");
    assert_eq!(a.elus.len(), b.elus.len());
    for (x, y) in a.elus.iter().zip(&b.elus) {
        assert_eq!(
            (&x.nom, x.fonction, x.rang, x.debut),
            (&y.nom, y.fonction, y.rang, y.debut)
        );
    }
}

#[test]
fn malformed_rows_are_reported_with_their_line() {
    let text = std::fs::read_to_string(rne()).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[10] = "44;Loire-Atlantique;;;44109;Nantes;X".to_string();
    lines[20] = lines[20]
        .replacen(";F;", ";Z;", 1)
        .replacen(";M;", ";Z;", 1);
    let bad = lines.join("\n") + "\n";
    let e = lire_rne(bad.as_bytes(), "rne.csv", "44109").expect_err("malformed");
    let got: Vec<(Code, Option<usize>)> = e.diagnostics.iter().map(|d| (d.code, d.ligne)).collect();
    assert!(got.contains(&(Code::E017, Some(11))), "{got:?}");
    if lines[20].contains(";44109;") {
        assert!(got.contains(&(Code::E011, Some(21))), "{got:?}");
    }
}
