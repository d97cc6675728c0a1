//! `collegia rapport`: the files a séminaire needs, byte-identical reruns, golden charts, inert
//! hostile values, nothing written into an input folder.

use super::commun::{collegia, contenu, root};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn rapport(scenario: &str, sortie: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    collegia()
        .current_dir(root())
        .args(["rapport", scenario, "--sortie"])
        .arg(sortie)
        .args(extra)
        .assert()
}

#[test]
fn example_report_has_every_part_and_reruns_byte_identical() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    rapport("data/exemple", &a, &["--balayage"])
        .success()
        .stdout(predicate::str::contains("Rapport écrit dans"));
    rapport("data/exemple", &b, &["--balayage"]).success();
    let fa = contenu(&a);
    let fb = contenu(&b);
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between two runs");
    }
    for f in [
        "index.html",
        "collegia.xlsx",
        "graphiques/couverture-poles-groupes.svg",
        "graphiques/couverture-poles-groupes.png",
        "graphiques/charge-par-groupe.svg",
        "graphiques/indemnites-plafonds.svg",
        "graphiques/indemnites-lorenz.png",
        "graphiques/indemnites-sexe-composante.svg",
        "graphiques/indemnites-arbitrage.svg",
        "tableaux/constats.csv",
        "tableaux/couverture.csv",
        "tableaux/indemnites.csv",
        "tableaux/tableau-annexe.csv",
        "lettres/feuille-de-route-g01-education.md",
        "lettres/feuille-de-route-g16-solidarites.docx",
        // The maire, a maire délégué·e, an adjoint·e: each gets a letter.
        "lettres/lettre-e01-claire-amrani.md",
        "lettres/lettre-e01-claire-amrani.docx",
        "lettres/lettre-e03-nadia-benali.docx",
        "lettres/projet-arrete-e03-nadia-benali.docx",
    ] {
        assert!(fa.contains_key(f), "{f} missing");
    }
    assert_eq!(
        fa.keys()
            .filter(|k| k.starts_with("lettres/feuille-de-route-") && k.ends_with(".md"))
            .count(),
        16
    );
    // One letter per élu·e holding a délégation or a function that carries one (maire, maires
    // délégué·es, adjoint·es, conseiller·es délégué·es), each in Markdown and Word.
    let elus = std::fs::read_to_string(root().join("data/exemple/elus.csv")).expect("elus");
    let delegations =
        std::fs::read_to_string(root().join("data/exemple/delegations.csv")).expect("delegations");
    let attendues = elus
        .lines()
        .skip(1)
        .filter(|l| {
            let c: Vec<&str> = l.split(';').collect();
            c[4] != "conseiller"
                || delegations
                    .lines()
                    .any(|d| d.split(';').next() == Some(c[0]))
        })
        .count();
    for ext in [".md", ".docx"] {
        assert_eq!(
            fa.keys()
                .filter(|k| k.starts_with("lettres/lettre-") && k.ends_with(ext))
                .count(),
            attendues,
            "letters in {ext}"
        );
    }
    // Every .docx is a Word package: content types, document, styles; text escaped XML.
    for (k, v) in fa.iter().filter(|(k, _)| k.ends_with(".docx")) {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(v.clone())).expect(k);
        for part in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
        ] {
            assert!(z.by_name(part).is_ok(), "{k} lacks {part}");
        }
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut z.by_name("word/document.xml").expect("doc"), &mut doc)
            .expect("read");
        assert!(
            doc.starts_with("<?xml") && doc.trim_end().ends_with("</w:document>"),
            "{k}"
        );
    }
    let lettre = String::from_utf8(fa["lettres/lettre-e03-nadia-benali.md"].clone()).expect("md");
    assert!(
        lettre.contains("# Lettre de mission — Nadia Benali, 2e adjointe"),
        "{lettre}"
    );
    assert!(lettre.contains("## Calendrier") && lettre.contains("## Organisation"));
    // Clean Markdown: no backslash before hyphens, dots or parentheses.
    let tout_md: String = fa
        .iter()
        .filter(|(k, _)| k.ends_with(".md"))
        .map(|(_, v)| String::from_utf8_lossy(v).to_string())
        .collect();
    for sale in ["\\-", "\\(", "\\.", "\\'"] {
        assert!(!tout_md.contains(sale), "Markdown escapes {sale}");
    }
    let arrete =
        String::from_utf8(fa["lettres/projet-arrete-e03-nadia-benali.md"].clone()).expect("md");
    assert!(
        arrete.contains("PROJET") && arrete.contains("L2122-18"),
        "{arrete}"
    );
    let html = String::from_utf8(fa["index.html"].clone()).expect("utf-8");
    for attendu in [
        "<html lang=\"fr\">",
        "Synthèse",
        "SRV-EDU-PERISCO",
        "Feuille de route — groupe G01-education",
        "Tableau annexe de la délibération (CGCT L2123-20-1)",
        "Points de droit à confirmer",
        "<svg",
        "role=\"img\"",
        "<th scope=\"col\">",
    ] {
        assert!(html.contains(attendu), "index.html lacks {attendu}");
    }
    // Self-contained: no script, no external asset.
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    // The paths of this machine never leak into the outputs.
    let tmp_s = tmp.path().to_string_lossy().to_string();
    for (k, v) in &fa {
        assert!(
            !String::from_utf8_lossy(v).contains(&tmp_s),
            "{k} contains the output path"
        );
    }
    let annexe = String::from_utf8(fa["tableaux/tableau-annexe.csv"].clone()).expect("utf-8");
    assert!(
        annexe.starts_with("\u{feff}rang;nom;fonction;")
            && annexe.contains("\r\n;Claire Amrani;Maire;110,00;4521,58;"),
        "{annexe}"
    );
}

/// Golden SVGs for two charts (rewritten only with UPDATE_GOLDEN=1).
#[test]
fn two_charts_match_their_golden_svg() {
    let tmp = tempfile::tempdir().expect("tmp");
    // A folder inside the temporary one: the report's lock file sits beside its folder.
    let out = tmp.path().join("r");
    rapport("data/exemple", &out, &[]).success();
    for nom in ["couverture-poles-groupes", "indemnites-plafonds"] {
        let obtenu =
            std::fs::read_to_string(out.join(format!("graphiques/{nom}.svg"))).expect("svg");
        let golden = root().join(format!("tests/golden/graphique-{nom}.svg"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &obtenu).expect("write golden");
        }
        let attendu = std::fs::read_to_string(&golden).expect("golden (UPDATE_GOLDEN=1 to create)");
        assert!(
            obtenu == attendu,
            "{nom}.svg changed: review, then UPDATE_GOLDEN=1 cargo test"
        );
    }
}

/// Hostile names (HTML, formulas, Markdown links) stay inert text everywhere.
#[test]
fn hostile_values_are_inert_in_html_csv_xlsx_and_markdown() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("r");
    rapport("tests/fixtures/injection", &out, &[]).success();
    let f = contenu(&out);
    let html = String::from_utf8(f["index.html"].clone()).expect("utf-8");
    assert!(!html.contains("<script"), "raw script tag in HTML");
    assert!(!html.contains("<img src=x"), "raw img tag in HTML");
    assert!(!html.contains("<b>gras"), "raw b tag in HTML");
    assert!(
        !html.contains("href=\"javascript"),
        "javascript link in HTML"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;")
            || html.contains("&lt;img src=x onerror=alert\\(1\\)&gt;")
    );
    assert!(html.contains("&lt;script&gt;"));
    for (k, v) in f.iter().filter(|(k, _)| k.ends_with(".csv")) {
        let s = String::from_utf8_lossy(v);
        for line in s.lines() {
            for cell in line.split(';') {
                let c = cell.trim_start_matches('"').trim_start_matches('\u{feff}');
                assert!(
                    !c.starts_with('=') && !c.starts_with('@') && !c.starts_with('+'),
                    "{k}: formula cell {cell}"
                );
            }
        }
    }
    let md: String = f
        .iter()
        .filter(|(k, _)| k.ends_with(".md"))
        .map(|(_, v)| String::from_utf8_lossy(v).to_string())
        .collect();
    assert!(
        !md.contains("](javascript") && !md.contains("](http"),
        "live Markdown link"
    );
    assert!(
        !md.contains("<b>") && !md.contains("<script>"),
        "raw HTML in Markdown"
    );
    // XLSX: hostile text is stored as XML-escaped shared strings, and no cell is a formula.
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(f["collegia.xlsx"].clone())).expect("zip");
    let mut lire = |nom: &str| -> String {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(nom).expect(nom), &mut s).expect("read");
        s
    };
    let partages = lire("xl/sharedStrings.xml");
    assert!(
        partages.contains("&lt;script&gt;"),
        "hostile text not in shared strings"
    );
    assert!(partages.contains("@SUM(A1)"));
    assert!(!partages.contains("<script>"));
    let feuilles: String = (1..=6)
        .filter_map(|i| {
            zip.by_name(&format!("xl/worksheets/sheet{i}.xml"))
                .ok()
                .map(|mut f| {
                    let mut s = String::new();
                    std::io::Read::read_to_string(&mut f, &mut s).expect("read");
                    s
                })
        })
        .collect();
    assert!(!feuilles.is_empty());
    assert!(!feuilles.contains("<f>"), "a cell holds a formula");
}

#[test]
fn report_refuses_to_write_into_an_input_folder() {
    let avant = contenu(&root().join("data/exemple"));
    collegia()
        .current_dir(root())
        .args(["rapport", "data/exemple", "--sortie", "data/exemple"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refus d'écrire"));
    collegia()
        .current_dir(root())
        .args(["rapport", "data/exemple", "--sortie", "data"])
        .assert()
        .code(1);
    assert_eq!(
        contenu(&root().join("data/exemple")),
        avant,
        "an input file changed"
    );
}

#[test]
fn infeasible_indemnites_writes_no_report_and_exits_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sortie: PathBuf = tmp.path().join("r");
    rapport("data/exemple-infaisable", &sortie, &[])
        .code(2)
        .stderr(predicate::str::contains("Aucun rapport n'a été écrit"));
    assert!(!sortie.exists());
}

/// `collegia comparer`: the variant fixes the doubles and orphans, in numbers and in files.
#[test]
fn comparer_shows_what_the_variant_changes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("cmp");
    collegia()
        .current_dir(root())
        .args(["comparer", "data/exemple", "data/exemple-variante", "data/exemple-infaisable", "--sortie"])
        .arg(&out)
        .assert()
        .success()
        // D001 only; the functional link between groups (D002) on its own line (issue 28).
        .stdout(predicate::str::is_match(r"doubles rattachements\s+2\s+0\s+2").expect("regex"))
        .stdout(predicate::str::is_match(r"liens fonctionnels entre groupes\s+1\s+0\s+1").expect("regex"))
        .stdout(predicate::str::is_match(r"services orphelins\s+3\s+0\s+3").expect("regex"))
        .stdout(predicate::str::contains("SRV-BAT-ENERGIE (Service de l'énergie des bâtiments) : G09-espaces-publics → G14-transition"))
        .stdout(predicate::str::contains("indemnités infaisables"));
    let f = contenu(&out);
    for k in [
        "index.html",
        "comparaison.xlsx",
        "tableaux/comparaison.csv",
        "graphiques/comparaison-problemes.svg",
        "graphiques/comparaison-lorenz.png",
    ] {
        assert!(f.contains_key(k), "{k} missing");
    }
    let csv = String::from_utf8_lossy(&f["tableaux/deplacements-exemple-variante.csv"]).to_string();
    assert!(
        csv.contains(
            "SRV-CIMETIERES;Service des cimetières et des affaires funéraires;aucun;G13-democratie"
        ),
        "{csv}"
    );
    collegia()
        .args(["comparer", "data/exemple"])
        .current_dir(root())
        .assert()
        .code(64);
}

/// `rapport --optimiser`: the proposal's section (status, changes, groups before/after), its
/// tables, and the proposal itself as a loadable variant in `proposition/`, identical to what
/// `collegia optimiser` writes; byte-identical reruns.
#[test]
fn report_with_the_optimised_proposal() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    rapport("data/exemple", &a, &["--optimiser"]).success();
    rapport("data/exemple", &b, &["--optimiser"]).success();
    let fa = contenu(&a);
    assert_eq!(fa, contenu(&b), "two runs differ");
    let html = String::from_utf8(fa["index.html"].clone()).expect("utf-8");
    assert!(html.contains(r#"<h2 id="h-proposition">Proposition optimisée</h2>"#));
    assert!(html.contains("plan optimal (optimalité prouvée)"));
    // Every group keeps its cœur: nothing moves, the orphans are adopted and the doubles
    // become appuis.
    assert!(html.contains("pôles couverts par les groupes 14 → 14"));
    assert!(html.contains("0 unité(s) changent de groupe, 2 unité(s) orpheline(s) adoptée(s)"));
    let changements =
        String::from_utf8(fa["tableaux/proposition-changements.csv"].clone()).expect("utf-8");
    assert!(!changements.contains("unité déplacée;"), "{changements}");
    assert!(
        changements.contains("orpheline adoptée;SRV-ARCHIVES;"),
        "{changements}"
    );
    assert!(fa.contains_key("tableaux/proposition-groupes.csv"));
    // The front of compromises is in the report (chart and table) and in the deck's slot.
    assert!(fa.contains_key("graphiques/front-compromis.svg"));
    assert!(fa.contains_key("tableaux/proposition-front.csv"));
    assert!(html.contains("Front de compromis"));
    let golden = std::fs::read(root().join("tests/golden/optimiser-exemple-delegations.csv"))
        .expect("golden");
    assert_eq!(fa["proposition/delegations.csv"], golden);
    collegia()
        .arg("verifier")
        .arg(a.join("proposition"))
        .assert()
        .success();

    // An infeasible grouping (contradictory locks): exit 2, and the whole report all the same,
    // with the diagnosis in its « Proposition optimisée » section (issue 23) and no proposal.
    let c = tmp.path().join("c");
    rapport(
        "tests/fixtures/optimiser-verrous-contradictoires",
        &c,
        &["--optimiser"],
    )
    .code(2)
    .stderr(predicate::str::contains("le problème est infaisable"))
    .stderr(predicate::str::contains(
        "Le rapport est écrit sans proposition optimisée",
    ))
    // The report is written: nothing may say otherwise, on the terminal or in the report.
    .stderr(predicate::str::contains("Aucun fichier n'a été écrit").not());
    let html = std::fs::read_to_string(c.join("index.html")).expect("the report is written");
    assert!(!html.contains("Aucun fichier n'a été écrit"));
    let section = html
        .split("id=\"h-proposition\"")
        .nth(1)
        .expect("a « Proposition optimisée » section");
    assert!(section.contains("Aucune proposition"), "{section}");
    assert!(section.contains("infaisable"), "{section}");
    assert!(c.join("lettres").is_dir() && c.join("collegia.xlsx").is_file());
    assert!(!c.join("proposition").exists());
    let deck = std::fs::read_to_string(c.join("diaporama.html")).expect("deck");
    assert!(deck.contains("Aucune proposition"));
}

/// A délégation without a service (empty `noeud`, issue 20) is in its élu·e's letter, named as
/// such.
#[test]
fn a_delegation_without_a_service_is_in_the_letter() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sortie = tmp.path().join("r");
    rapport("data/ville-prefecture", &sortie, &[]).success();
    let lettres: Vec<String> = std::fs::read_dir(sortie.join("lettres"))
        .expect("lettres/")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()).expect("read"))
        .collect();
    assert!(
        lettres
            .iter()
            .any(|l| l.contains("Délégation sans service de rattachement")
                && l.contains("Migrations")),
        "no letter names the délégation without a service"
    );
}

/// The documents of the example's report, by file name.
fn lettres_exemple(sortie: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(sortie.join("lettres"))
        .expect("lettres/")
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Letters that can be signed (issue 28, item 4): the indemnité (rate and € gross per month, the
/// net and the cost with charges)
/// of the allocation, a transversal adjoint·e's interlocutors in every pôle of their appuis, no
/// reference to a section the letter lacks, the commune's name (`commune` of scenario.toml),
/// no paraphrase of the pacte between quotation marks.
#[test]
fn letters_state_the_indemnite_the_appui_interlocutors_and_the_commune() {
    use collegia::optimise::indemnites::{allouer, en_f64};
    let tmp = tempfile::tempdir().expect("tmp");
    let sortie = tmp.path().join("r");
    rapport("data/exemple", &sortie, &[]).success();
    let docs = lettres_exemple(&sortie);
    let texte = |nom: &str| String::from_utf8(docs[nom].clone()).expect("utf-8");
    let s = collegia::ingest::load_scenario(&root().join("data/exemple"))
        .expect("example")
        .scenario;
    let al = allouer(&s).expect("allocation");
    let org = &s.organigramme;
    let mut transversaux = 0;
    for i in collegia::report::rapport::lettres::elus_avec_lettre(&s) {
        let e = &s.elus[i];
        let nom = format!("{}.md", collegia::report::rapport::lettres::nom_elu(e));
        let l = texte(&format!("lettre-{nom}"));
        assert!(l.contains("Fait à Belleroche-en-Val, le"), "{nom}");
        // The indemnité, as the allocation gives it.
        match al.lignes.iter().find(|x| x.id == e.id) {
            Some(x) => {
                let taux = collegia::report::format::pourcent(en_f64(x.taux_pct));
                let brut = collegia::report::format::euros(en_f64(x.mensuel_eur));
                assert!(
                    l.contains(&format!("{taux} de l'indice brut terminal")),
                    "{nom}: {taux}"
                );
                assert!(
                    l.contains(&format!("{brut} brut par mois")),
                    "{nom}: {brut}"
                );
                // The net and the cost with charges, as law::cotisations computes them.
                let c = x
                    .cout
                    .as_ref()
                    .expect("the example's allocation has its cost");
                let net = collegia::report::format::euros(en_f64(c.net_mensuel_eur));
                let cout = collegia::report::format::euros(en_f64(c.cout_mensuel_eur));
                assert!(
                    l.contains(&format!("Net estimé : {net} par mois")),
                    "{nom}: {net}"
                );
                assert!(
                    l.contains(&format!("charges comprises : {cout} par mois")),
                    "{nom}"
                );
                assert!(
                    c.net_mensuel_eur < c.brut_mensuel_eur
                        && c.brut_mensuel_eur < c.cout_mensuel_eur
                );
            }
            None => assert!(l.contains("Aucune indemnité dans la proposition"), "{nom}"),
        }
        // « axes ci-dessus » only under an axes section.
        if l.contains("(axes ci-dessus)") {
            assert!(l.contains("## Axes transversaux"), "{nom}");
        }
        // Every pôle where they work en appui has its interlocutor.
        if e.axe.is_some() {
            transversaux += 1;
            let inter = l
                .split("## Interlocuteurs dans l'administration")
                .nth(1)
                .and_then(|x| x.split("\n## ").next())
                .expect("interlocutors section");
            for d in s
                .delegations
                .iter()
                .filter(|d| d.elu == i && d.role == collegia::model::Role::Appui)
            {
                if let Some(p) = org.dga_de(d.noeud) {
                    let id = &org.noeud(p).id;
                    assert!(inter.contains(&format!("**{id}**")), "{nom}: {id}");
                }
            }
        }
    }
    assert!(
        transversaux >= 4,
        "the example has four transversal adjoint·es"
    );
    for (nom, octets) in &docs {
        if nom.ends_with(".md") {
            let l = String::from_utf8(octets.clone()).expect("utf-8");
            // Markdown escapes the brackets (« \[commune\] »): look for the opening only.
            assert!(!l.contains("[commune"), "{nom}");
            assert!(
                !l.contains("Pacte de gouvernance : « chaque binôme"),
                "{nom}"
            );
            assert!(!l.contains("prévoit « des lettres"), "{nom}");
            if nom.starts_with("projet-arrete-") {
                assert!(l.contains("Fait à Belleroche-en-Val"), "{nom}");
            }
        }
    }
}

/// Every `.docx` is a zip whose parts are well-formed XML, with the parts Word needs.
#[test]
fn every_docx_is_valid_xml_with_its_parts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sortie = tmp.path().join("r");
    rapport("data/exemple", &sortie, &[]).success();
    let mut n = 0;
    for (nom, octets) in lettres_exemple(&sortie) {
        if !nom.ends_with(".docx") {
            continue;
        }
        n += 1;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(octets)).expect("a zip");
        let parties: Vec<String> = z.file_names().map(String::from).collect();
        for attendue in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
        ] {
            assert!(
                parties.iter().any(|p| p == attendue),
                "{nom}: {attendue} missing"
            );
        }
        for p in parties
            .iter()
            .filter(|p| p.ends_with(".xml") || p.ends_with(".rels"))
        {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut z.by_name(p).expect("part"), &mut xml)
                .expect("utf-8");
            let mut r = quick_xml::Reader::from_str(&xml);
            let mut profondeur = 0i64;
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::Start(_)) => profondeur += 1,
                    Ok(quick_xml::events::Event::End(_)) => profondeur -= 1,
                    Ok(_) => {}
                    Err(e) => panic!("{nom} {p}: {e}"),
                }
            }
            assert_eq!(profondeur, 0, "{nom} {p}: unbalanced");
        }
        let mut doc = String::new();
        std::io::Read::read_to_string(
            &mut z.by_name("word/document.xml").expect("document"),
            &mut doc,
        )
        .expect("utf-8");
        assert!(doc.contains("<w:body>"), "{nom}");
    }
    assert!(n > 40, "{n} docx");
}

/// Every CSV collegia writes (report, proposal, assignment) starts with the UTF-8 BOM, so that a
/// spreadsheet opens its accents right.
#[test]
fn every_csv_written_starts_with_a_bom() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sortie = tmp.path().join("r");
    rapport("data/exemple", &sortie, &["--optimiser"]).success();
    let aff = tmp.path().join("a");
    collegia()
        .current_dir(root())
        .args(["affecter", "data/exemple", "--sortie"])
        .arg(&aff)
        .assert()
        .success();
    let mut n = 0;
    for dossier in [&sortie, &aff] {
        for (nom, octets) in contenu(dossier) {
            if nom.ends_with(".csv") {
                n += 1;
                assert!(octets.starts_with(b"\xEF\xBB\xBF"), "{nom} has no BOM");
            }
        }
    }
    assert!(n >= 15, "{n} CSV files");
}
