//! Loading fixtures: valid files from Excel/LibreOffice, every coded invalid case, real data.

use collegia::ingest::{Code, load_scenario};
use collegia::model::{Fonction, Niveau, Role};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn minimal_scenario_loads() {
    let c = load_scenario(&fixture("minimal")).expect("minimal is valid");
    let s = &c.scenario;
    assert_eq!(s.organigramme.len(), 10);
    assert_eq!(s.elus.len(), 6);
    assert_eq!(s.delegations.len(), 5);
    assert_eq!(s.params.population_totale, 12450);
    let rh = s.organigramme.find("DIR-RH").expect("DIR-RH");
    assert_eq!(s.organigramme.noeud(rh).budget, 610000.5);
    assert_eq!(s.organigramme.noeud(rh).niveau, Niveau::Direction);
    assert_eq!(s.elus[1].fonction, Fonction::Adjoint);
    assert_eq!(s.delegations[4].role, Role::Appui);
    assert_eq!(s.groupes().len(), 2);
    assert!(c.avertissements.is_empty());
    assert_eq!(c.fichiers.len(), 4);
}

/// The Windows-1252 + `;` + decimal comma + thousands-space variant must load to the very same
/// organigramme and élu·es as the UTF-8 original.
#[test]
fn windows_1252_excel_export_loads_identically() {
    let base = load_scenario(&fixture("minimal")).expect("minimal");
    let win = load_scenario(&fixture("windows-1252")).expect("windows-1252 is valid");
    assert_eq!(win.scenario.params.nom, "Windows-1252");
    assert_eq!(
        win.scenario.organigramme.noeuds,
        base.scenario.organigramme.noeuds
    );
    let e = &win.scenario.elus[4];
    assert_eq!(e.prenom, "Élise");
    assert_eq!(e.taux_actuel, Some(6.0));
    // delegations.csv comes from the base folder.
    assert!(
        win.fichiers
            .iter()
            .any(|p| p.ends_with("minimal/delegations.csv"))
    );
}

#[test]
fn bom_and_comma_separator_load_identically() {
    let base = load_scenario(&fixture("minimal")).expect("minimal");
    let bom = load_scenario(&fixture("bom-virgule")).expect("BOM file is valid");
    assert_eq!(
        bom.scenario.organigramme.noeuds,
        base.scenario.organigramme.noeuds
    );
}

/// Every `E0xx-*` fixture yields exactly the diagnostics listed in its `attendu.csv` (code, file
/// name, line), and every diagnostic has a French message and advice.
#[test]
fn each_invalid_fixture_gives_its_coded_error_with_file_and_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("attendu.csv").exists())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "expected ≥ 20 invalid cases, got {}",
        cases.len()
    );
    for case in cases {
        let err = match load_scenario(&case) {
            Ok(_) => panic!("{} should fail", case.display()),
            Err(e) => e,
        };
        let mut got: Vec<String> = err
            .diagnostics
            .iter()
            .map(|d| {
                let file = Path::new(&d.fichier)
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default();
                format!(
                    "{};{};{}",
                    d.code,
                    file,
                    d.ligne.map(|l| l.to_string()).unwrap_or_default()
                )
            })
            .collect();
        let attendu = std::fs::read_to_string(case.join("attendu.csv")).expect("attendu.csv");
        let mut want: Vec<String> = attendu.lines().skip(1).map(str::to_string).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "case {}", case.display());
        for d in &err.diagnostics {
            assert!(!d.message.is_empty() && !d.aide.is_empty(), "{d}");
            assert!(
                d.fichier.starts_with(&case.display().to_string()),
                "{}: the file must be the variant's own: {}",
                case.display(),
                d.fichier
            );
        }
        // Diagnostics are sorted by file, in the order the files depend on one another (the
        // cause first), then by line.
        let rang = |f: &str| {
            [
                "scenario.toml",
                "organigramme.csv",
                "elus.csv",
                "delegations.csv",
            ]
            .iter()
            .position(|n| f.ends_with(n))
            .unwrap_or(4)
        };
        let keys: Vec<(usize, String, usize)> = err
            .diagnostics
            .iter()
            .map(|d| (rang(&d.fichier), d.fichier.clone(), d.ligne.unwrap_or(0)))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }
}

#[test]
fn missing_folder_is_e024() {
    let e = load_scenario(&fixture("n-existe-pas")).expect_err("missing");
    assert!(e.has(Code::E024));
}

#[test]
fn a_variant_whose_base_loops_is_e016() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    std::fs::create_dir_all(&a).expect("a");
    std::fs::create_dir_all(&b).expect("b");
    std::fs::write(a.join("scenario.toml"), "base = \"../b\"\n").expect("write");
    std::fs::write(b.join("scenario.toml"), "base = \"../a\"\n").expect("write");
    let e = load_scenario(&a).expect_err("loop");
    assert!(e.has(Code::E016), "{e}");
}

/// The real service tree of Nouméa (2013), converted by `tests/fixtures/noumea/convertir.py`.
#[test]
fn real_noumea_service_tree_loads() {
    let c = load_scenario(&fixture("noumea")).expect("Nouméa tree is valid");
    let o = &c.scenario.organigramme;
    assert_eq!(o.len(), 166);
    assert_eq!(o.noeud(o.racine).id, "VDN");
    let dpm = o.find("DPM").expect("police municipale");
    assert_eq!(o.noeud(dpm).enfants.len(), 6);
    assert_eq!(o.noeud(dpm).niveau, Niveau::Direction);
    let max_depth = o.noeuds.iter().map(|n| n.profondeur).max().unwrap_or(0);
    assert_eq!(max_depth, 4);
}

/// When the shared real data is present, the committed conversion matches it node for node.
#[test]
fn noumea_fixture_matches_the_shared_source() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/noumea_arbre_des_services_2013.csv");
    let Ok(text) = std::fs::read_to_string(&src) else {
        eprintln!("../shared absent: comparison skipped");
        return;
    };
    let c = load_scenario(&fixture("noumea")).expect("valid");
    let o = &c.scenario.organigramme;
    let source_rows = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(o.len(), source_rows - 1, "all rows but the artificial root");
    for line in text.lines().skip(2) {
        let cols: Vec<&str> = line.split(',').collect();
        assert!(o.find(cols[2]).is_some(), "node {} missing", cols[2]);
    }
}

/// Codes, files and lines of a list of diagnostics (file name only).
fn resume(ds: &[collegia::ingest::Diagnostic]) -> Vec<(Code, String, Option<usize>)> {
    ds.iter()
        .map(|d| {
            let f = Path::new(&d.fichier)
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default();
            (d.code, f, d.ligne)
        })
        .collect()
}

/// An unknown column is never silent: a typo of `effectif` is reported with the closest known
/// name and its aliases, a notes column too, and the staff left at zero gets its own warning.
#[test]
fn unknown_columns_and_an_absent_staff_column_are_reported() {
    let c = load_scenario(&fixture("E030-colonne-inconnue")).expect("warnings only");
    let got = resume(&c.avertissements);
    assert!(
        got.contains(&(Code::E030, "organigramme.csv".into(), Some(1))),
        "{got:?}"
    );
    assert!(
        got.contains(&(Code::E035, "organigramme.csv".into(), None)),
        "{got:?}"
    );
    let typo = c
        .avertissements
        .iter()
        .find(|d| d.colonne.as_deref() == Some("Efectif"))
        .expect("the typo is reported");
    assert!(
        typo.aide.contains("« effectif »") && typo.aide.contains("etp"),
        "{typo}"
    );
    assert!(
        c.avertissements
            .iter()
            .any(|d| d.code == Code::E030 && d.colonne.as_deref() == Some("Remarque"))
    );
}

/// `Effectif (ETP)` and `Budget en euros` are the effectif and budget columns: units in
/// parentheses and unit words are ignored, and the figures equal the original's.
#[test]
fn headers_with_units_are_their_column() {
    let base = load_scenario(&fixture("minimal")).expect("minimal");
    let c = load_scenario(&fixture("alias-unites")).expect("valid");
    assert!(c.avertissements.is_empty(), "{:?}", c.avertissements);
    assert_eq!(
        c.scenario.organigramme.noeuds,
        base.scenario.organigramme.noeuds
    );
}

/// A file read as Windows-1252 says so (a warning the CLI prints), naming the file.
#[test]
fn windows_1252_is_announced() {
    let c = load_scenario(&fixture("windows-1252")).expect("valid");
    let got = resume(&c.avertissements);
    assert!(
        got.contains(&(Code::E034, "organigramme.csv".into(), None)),
        "{got:?}"
    );
    assert!(
        got.contains(&(Code::E034, "elus.csv".into(), None)),
        "{got:?}"
    );
}

/// A device or a FIFO is refused without being read (their size is 0 in the metadata), and a
/// file given where a folder is expected says so.
#[cfg(unix)]
#[test]
fn devices_fifos_and_files_are_refused_with_a_reason() {
    let tmp = tempfile::tempdir().expect("tmp");
    for f in ["scenario.toml", "elus.csv", "delegations.csv"] {
        std::fs::copy(fixture("minimal").join(f), tmp.path().join(f)).expect("copy");
    }
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join("organigramme.csv")).expect("link");
    let e = load_scenario(tmp.path()).expect_err("device");
    assert!(e.has(Code::E001), "{e}");
    assert!(e.to_string().contains("fichier ordinaire"), "{e}");
    std::fs::remove_file(tmp.path().join("organigramme.csv")).expect("rm");
    let fifo = tmp.path().join("organigramme.csv");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        // Opening a FIFO without a writer would block forever: this must return.
        let e = load_scenario(tmp.path()).expect_err("fifo");
        assert!(e.has(Code::E001), "{e}");
    }
    let e = load_scenario(&fixture("minimal").join("elus.csv")).expect_err("a file");
    assert!(e.has(Code::E024));
    assert!(e.to_string().contains("c'est un fichier"), "{e}");
}

/// The one diagnostic of a failing fixture with this code.
fn seul(cas: &str, code: Code) -> collegia::ingest::Diagnostic {
    let e = load_scenario(&fixture(cas)).expect_err("invalid fixture");
    let mut ds = e.diagnostics.into_iter().filter(|d| d.code == code);
    let d = ds.next().expect("the code is reported");
    assert!(ds.next().is_none(), "{cas}: one {code} only");
    d
}

/// A file that fails to load does not make the files that depend on it fail: a missing `id`
/// column in `elus.csv` gave every délégation of a shared node a false « délégation en double »
/// (E023), a TOML syntax error every commune déléguée of `elus.csv` an E020. The checks are
/// skipped and the output says which and why (E055), after the real error.
#[test]
fn checks_that_depend_on_an_unreadable_file_are_skipped_and_said() {
    use predicates::prelude::*;
    for (cas, cause) in [
        ("E055-elus-sans-colonne-id", "elus.csv"),
        ("E055-toml-illisible", "scenario.toml"),
    ] {
        let e = load_scenario(&fixture(cas)).expect_err("invalid");
        assert!(!e.has(Code::E023) && !e.has(Code::E020) && !e.has(Code::E008));
        let info = e
            .diagnostics
            .iter()
            .find(|d| d.code == Code::E055)
            .expect("the skipped checks are said");
        assert!(
            info.message
                .contains(&format!("{cause} » n'a pas pu être chargé")),
            "{info}"
        );
        // Counted apart from the errors, and said after them in one line.
        let texte = e.to_string();
        let lignes: Vec<&str> = texte.lines().filter(|l| !l.starts_with(' ')).collect();
        assert_eq!(lignes.len(), 3, "{texte}");
        assert_eq!(lignes[0], "1 erreur dans les données d'entrée :");
        assert!(lignes[1].starts_with("[E0") && !lignes[1].starts_with("[E055]"));
        assert!(lignes[2].starts_with("Information : [E055]"), "{texte}");
    }
    // The CLI says it in one information line.
    crate::commun::collegia()
        .args(["verifier"])
        .arg(fixture("E055-elus-sans-colonne-id"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("Information : [E055]"))
        .stderr(predicates::str::contains("E023").not());
}

/// Title rows above the header: one E003 naming every missing column and the line where the
/// header seems to be.
#[test]
fn title_rows_above_the_header_give_one_error_naming_the_header_line() {
    let d = seul("E003-lignes-de-titre", Code::E003);
    assert_eq!(
        d.message,
        "3 colonnes obligatoires absentes : « id », « libelle », « parent »"
    );
    assert!(
        d.aide
            .starts_with("la ligne d'en-tête semble être la ligne 4"),
        "{d}"
    );
}

/// A separator collegia does not read (`|`): one E003 naming it.
#[test]
fn a_wrong_separator_gives_one_error_naming_it() {
    let d = seul("E003-separateur-inconnu", Code::E003);
    assert!(
        d.message.starts_with("5 colonnes obligatoires absentes"),
        "{d}"
    );
    assert!(
        d.aide.starts_with("le fichier semble séparé par « | »"),
        "{d}"
    );
}

/// Merged parent cells: one E007 with the count, the first lines and the merged-cells hint,
/// instead of one per line each repeating the whole list.
#[test]
fn merged_cells_give_one_error_with_count_lines_and_hint() {
    let d = seul("E007-cellules-fusionnees", Code::E007);
    assert_eq!(d.ligne, Some(4));
    assert!(d.message.ends_with("(5 lignes : 4, 6, 8, 10, 11)"), "{d}");
    assert!(
        d.aide
            .starts_with("des cellules fusionnées dans le tableur ?"),
        "{d}"
    );
}

/// « Vouliez-vous dire … ? » for a misspelt node id and a header that names a column differently.
#[test]
fn unknown_ids_and_headers_suggest_the_closest_known_one() {
    let d = seul("E009-vouliez-vous-dire", Code::E009);
    assert!(
        d.aide.starts_with("vouliez-vous dire « SRV-RESTO » ?"),
        "{d}"
    );
    let d = seul("E003-rattache-a", Code::E003);
    assert_eq!(d.colonne.as_deref(), Some("parent"));
    assert!(
        d.aide.starts_with("vouliez-vous dire « Rattaché à » ?"),
        "{d}"
    );
}

/// Plausible but wrong values are alertes: the scenario loads, `verifier` shows them and exits 0.
#[test]
fn fractions_of_rates_and_budgets_in_keur_are_alertes_that_do_not_block() {
    let c = load_scenario(&fixture("E056-taux-fraction")).expect("loads");
    assert_eq!(
        resume(&c.avertissements),
        vec![(Code::E056, "elus.csv".into(), Some(2))]
    );
    assert!(
        c.avertissements[0]
            .message
            .ends_with("(5 lignes : 2, 3, 4, 5, 6)")
    );
    let c = load_scenario(&fixture("E057-budgets-keur")).expect("loads");
    assert_eq!(
        resume(&c.avertissements),
        vec![(Code::E057, "organigramme.csv".into(), Some(1))]
    );
    for (cas, code) in [
        ("E056-taux-fraction", "[E056]"),
        ("E057-budgets-keur", "[E057]"),
    ] {
        crate::commun::collegia()
            .arg("verifier")
            .arg(fixture(cas))
            .assert()
            .success()
            .stderr(predicates::str::contains(format!("Avertissement : {code}")));
    }
}
