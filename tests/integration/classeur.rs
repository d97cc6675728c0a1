//! The workbook both ways: `collegia classeur` writes a scenario as `.xlsx`, every command reads
//! it back in place of the folder with the same analysis, and a bad cell gets the CSV reader's
//! coded error naming the sheet and the cell.

use crate::commun::{collegia, root};
use collegia::ingest::classeur::{FEUILLES, feuilles_entree};
use collegia::report::tableaux::xlsx_avec_entrees;

fn sortie(args: &[&str]) -> String {
    let o = collegia()
        .current_dir(root())
        .args(args)
        .output()
        .expect("runs");
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf8")
}

#[test]
fn csv_to_workbook_to_scenario_gives_the_same_analysis() {
    let dir = tempfile::tempdir().expect("tmp");
    let xlsx = dir.path().join("exemple.xlsx");
    let x = xlsx.to_str().expect("utf8 path");
    collegia()
        .current_dir(root())
        .args(["classeur", "data/exemple", x])
        .assert()
        .success();
    // A second run refuses to replace it without --force.
    collegia()
        .current_dir(root())
        .args(["classeur", "data/exemple", x])
        .assert()
        .failure();
    for cmd in [
        vec!["analyser", "--format", "csv"],
        vec!["analyser", "--format", "json"],
        vec!["indemnites", "--format", "csv"],
    ] {
        // `indemnites` writes its tableau annexe: into the temporary folder, never the repository.
        let (sa, sb) = (dir.path().join("ia"), dir.path().join("ib"));
        let mut a = cmd.clone();
        a.insert(1, "data/exemple");
        let mut b = cmd.clone();
        b.insert(1, x);
        if cmd[0] == "indemnites" {
            a.extend(["--sortie", sa.to_str().expect("utf8 path")]);
            b.extend(["--sortie", sb.to_str().expect("utf8 path")]);
        }
        assert_eq!(sortie(&a), sortie(&b), "{cmd:?}");
    }
    // The variant (base = "../exemple") becomes one complete workbook too.
    let v = dir.path().join("variante.xlsx");
    let v = v.to_str().expect("utf8 path");
    collegia()
        .current_dir(root())
        .args(["classeur", "data/exemple-variante", v])
        .assert()
        .success();
    assert_eq!(
        sortie(&["analyser", "data/exemple-variante", "--format", "csv"]),
        sortie(&["analyser", v, "--format", "csv"])
    );
}

#[test]
fn a_bad_cell_is_named_by_sheet_and_cell() {
    let (mut feuilles, _) = feuilles_entree(&root().join("data/exemple")).expect("reads");
    assert_eq!(
        feuilles.iter().map(|f| f.nom.as_str()).collect::<Vec<_>>(),
        FEUILLES
    );
    // Row 5 of the organigramme sheet (header on row 1): a staff that is not a number.
    let org = &mut feuilles[0];
    let col = org.lignes[0]
        .iter()
        .position(|c| c == "effectif")
        .expect("effectif column");
    org.lignes[4][col] = "beaucoup".into();
    let dir = tempfile::tempdir().expect("tmp");
    let chemin = dir.path().join("casse.xlsx");
    std::fs::write(&chemin, xlsx_avec_entrees(&feuilles, &[]).expect("xlsx")).expect("writes");
    let o = collegia()
        .args(["verifier"])
        .arg(&chemin)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    // Issue 26: the sheet and the cell, not a CSV file and line (the sheet is written from
    // column A, so the header's index is the column's letter).
    let cellule = format!("{}5", char::from(b'A' + col as u8));
    assert!(
        err.contains(&format!(
            "casse.xlsx, feuille organigramme, cellule {cellule}"
        )),
        "{cellule}: {err}"
    );
    assert!(!err.contains("› organigramme, ligne"), "{err}");
    assert!(err.contains("effectif"), "{err}");
    assert!(err.contains("beaucoup"), "{err}");
}

#[test]
fn a_workbook_without_its_sheets_says_which_are_missing() {
    let (feuilles, _) = feuilles_entree(&root().join("data/exemple")).expect("reads");
    let dir = tempfile::tempdir().expect("tmp");
    let chemin = dir.path().join("incomplet.xlsx");
    std::fs::write(
        &chemin,
        xlsx_avec_entrees(&feuilles[..2], &[]).expect("xlsx"),
    )
    .expect("writes");
    let o = collegia()
        .arg("verifier")
        .arg(&chemin)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("E001"), "{err}");
    assert!(err.contains("feuille « délégations » introuvable"), "{err}");
    assert!(err.contains("feuille « paramètres » introuvable"), "{err}");
}

#[test]
fn the_workbook_is_never_written_over_an_input() {
    let avant = std::fs::read(root().join("data/exemple/elus.csv")).expect("reads");
    collegia()
        .current_dir(root())
        .args([
            "classeur",
            "data/exemple",
            "data/exemple/elus.csv",
            "--force",
        ])
        .assert()
        .failure();
    assert_eq!(
        std::fs::read(root().join("data/exemple/elus.csv")).expect("reads"),
        avant
    );
}

#[test]
fn the_report_workbook_holds_the_inputs_and_reads_back_as_the_scenario() {
    let dir = tempfile::tempdir().expect("tmp");
    let r = dir.path().join("rapport");
    collegia()
        .current_dir(root())
        .args(["rapport", "data/exemple", "--sortie"])
        .arg(&r)
        .assert()
        .success();
    let x = r.join("collegia.xlsx");
    let x = x.to_str().expect("utf8 path");
    assert_eq!(
        sortie(&["analyser", "data/exemple", "--format", "csv"]),
        sortie(&["analyser", x, "--format", "csv"])
    );
}

/// Issue 17, item 6: a workbook saved by LibreOffice (`.ods`, and `.xlsx` written back by
/// LibreOffice) reads as the workbook collegia wrote, for the analysis and the indemnités.
#[test]
fn workbooks_saved_by_libreoffice_read_as_the_original() {
    let dir = tempfile::tempdir().expect("tmp");
    let fixture = |f: &str| format!("tests/fixtures/classeur-libreoffice/{f}");
    let lire = |f: &str, cmd: &str, k: usize| {
        let mut args = vec![cmd.to_string(), fixture(f), "--format".into(), "csv".into()];
        if cmd == "indemnites" {
            let s = dir.path().join(format!("i{k}"));
            args.extend(["--sortie".into(), s.to_str().expect("utf8 path").into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        sortie(&args)
    };
    for cmd in ["analyser", "indemnites"] {
        let reference = lire("collegia.xlsx", cmd, 0);
        assert!(reference.lines().count() > 10, "{reference}");
        for (k, f) in ["libreoffice.ods", "libreoffice.xlsx"].iter().enumerate() {
            assert_eq!(lire(f, cmd, k + 1), reference, "{cmd} {f}");
        }
    }
}

/// Issue 26: a 1 KB `.xlsx` with one cell at `XFD1048576` made collegia ask for 512 GiB and
/// abort (exit 134, core dump). It is a coded error naming the sheet and the cell, exit 1.
#[test]
fn a_far_off_cell_is_a_coded_error_not_an_abort() {
    use std::io::Write;
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let membres = [
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{ns}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="élu·es" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<worksheet xmlns="{ns}"><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#
            ),
        ),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (nom, contenu) in &membres {
        z.start_file(*nom, zip::write::SimpleFileOptions::default())
            .expect("zip member");
        z.write_all(contenu.as_bytes()).expect("zip write");
    }
    let octets = z.finish().expect("zip").into_inner();
    let dir = tempfile::tempdir().expect("tmp");
    let chemin = dir.path().join("bombe.xlsx");
    std::fs::write(&chemin, &octets).expect("writes");
    let o = collegia()
        .arg("verifier")
        .arg(&chemin)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("[E046]"), "{err}");
    assert!(
        err.contains("bombe.xlsx, feuille élu·es, cellule XFD1048576"),
        "{err}"
    );
    // The input is never modified.
    assert_eq!(std::fs::read(&chemin).expect("reads"), octets);
}
