//! The report and the deck on real screens: headless Chromium, driven over its DevTools
//! protocol, opens `index.html` and every slide of `diaporama.html` at 1 024 × 768 and
//! 1 920 × 1 080 and measures what a reader would see: no horizontal scroll, no table running
//! past the window, no chart text under 14 px, no console error; the deck answers the keyboard.
//! No slide scrolls (its content fits its height), on the example and on a generated city; the
//! deck prints one slide per landscape page and the report printed to PDF holds its long tables
//! (text extracted with `pdftotext`, Debian `poppler-utils`).
//! Ignored by default (needs Chromium); `tests/navigateur.sh` runs it, with `COLLEGIA_CAPTURE`
//! set to a folder where the screenshots go.

use crate::cdp::Navigateur;
use crate::commun::{collegia, root};
use serde_json::{Value, json as j};
use std::path::Path;
use std::time::{Duration, Instant};

// What this test adds to the shared DevTools client: a page at a given window size, loaded,
// and screenshots written to a folder.
impl Navigateur {
    /// Shows `url` in a window of `largeur` × `hauteur` CSS pixels, once loaded.
    fn ouvrir(&mut self, url: &str, largeur: u32, hauteur: u32) {
        self.appel(
            "Emulation.setDeviceMetricsOverride",
            j!({"width": largeur, "height": hauteur, "deviceScaleFactor": 1, "mobile": false}),
        );
        self.appel("Page.navigate", j!({"url": url}));
        let debut = Instant::now();
        while self.eval(&format!(
            "document.readyState === 'complete' && location.href.split('#')[0] === {}",
            j!(url)
        )) != Value::Bool(true)
        {
            assert!(
                debut.elapsed() < Duration::from_secs(30),
                "{url} not loaded"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The page printed to PDF at its own `@page` size, as bytes.
    fn pdf(&mut self) -> Vec<u8> {
        let r = self.appel(
            "Page.printToPDF",
            j!({"preferCSSPageSize": true, "printBackground": true}),
        );
        let octets = crate::cdp::base64(r["data"].as_str().expect("pdf"));
        assert!(octets.starts_with(b"%PDF"), "a PDF");
        octets
    }

    /// A PNG of the window, written to `$COLLEGIA_CAPTURE/<nom>.png` when that is set.
    fn capture(&mut self, nom: &str) {
        let Ok(dossier) = std::env::var("COLLEGIA_CAPTURE") else {
            return;
        };
        let octets = self.png();
        std::fs::create_dir_all(&dossier).expect("capture folder");
        std::fs::write(Path::new(&dossier).join(format!("{nom}.png")), octets)
            .expect("writes the screenshot");
    }
}

/// What the reader would find wrong in the window as shown (every `<details>` opened first):
/// a horizontal scroll, a table or an element running past the window's right edge, chart text
/// under 14 px once the SVG is scaled to its box. Only what is displayed counts.
const MESURE: &str = r#"(() => {
  const pb = [];
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const W = document.documentElement.clientWidth;
  const de = document.documentElement;
  if (de.scrollWidth > innerWidth) pb.push('défilement horizontal de la page : ' + de.scrollWidth + ' > ' + innerWidth);
  document.querySelectorAll('.diapo.active').forEach(d => {
    if (d.scrollWidth > d.clientWidth) pb.push('défilement horizontal de la diapositive : ' + d.scrollWidth + ' > ' + d.clientWidth);
    if (d.scrollHeight > d.clientHeight + 1) pb.push('la diapositive défile : ' + d.scrollHeight + ' > ' + d.clientHeight + ' px (' + d.getAttribute('aria-label') + ')');
  });
  document.querySelectorAll('table, th, td, figure, svg, pre').forEach(t => {
    const r = t.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1) pb.push('coupé à droite (' + Math.round(r.right) + ' > ' + W + ') : ' + t.tagName + ' ' + t.textContent.trim().slice(0, 50));
  });
  document.querySelectorAll('svg').forEach(s => {
    const r = s.getBoundingClientRect();
    const vb = s.viewBox && s.viewBox.baseVal;
    if (!r.width || !vb || !vb.width) return;
    // The chart is drawn at the smaller of its box's two ratios (preserveAspectRatio meet).
    const k = Math.min(r.width / vb.width, r.height / vb.height);
    s.querySelectorAll('text').forEach(t => {
      if (!t.textContent.trim()) return;
      const px = parseFloat(getComputedStyle(t).fontSize) * k;
      if (px < 14) pb.push('texte de ' + px.toFixed(1) + ' px : « ' + t.textContent.trim().slice(0, 40) + ' »');
    });
  });
  return pb.slice(0, 20);
})()"#;

const ECRANS: [(u32, u32); 2] = [(1024, 768), (1920, 1080)];

fn rapport(dir: &Path) -> std::path::PathBuf {
    rapport_de(dir, "data/exemple")
}

fn rapport_de(dir: &Path, scenario: &str) -> std::path::PathBuf {
    let sortie = dir.join("rapport");
    collegia()
        .current_dir(root())
        .args(["rapport", scenario, "--balayage", "--optimiser", "--sortie"])
        .arg(&sortie)
        .assert()
        .success();
    sortie
}

/// Every slide of a deck at both screen sizes: what [`MESURE`] finds wrong (a slide that scrolls
/// included), one line each.
fn diapositives(nav: &mut Navigateur, deck: &str, nom: &str) -> (u64, Vec<String>) {
    let mut problemes = Vec::new();
    let mut n = 0;
    for (w, h) in ECRANS {
        nav.ouvrir(deck, w, h);
        n = nav
            .eval("document.querySelectorAll('.diapo').length")
            .as_u64()
            .expect("slides");
        for k in 1..=n {
            nav.eval(&format!("location.hash = '#{k}'; void 0"));
            nav.eval(&format!(
                "new Promise(r => {{ const f = () => document.getElementById('numero').textContent === '{k} / {n}' ? r(true) : setTimeout(f, 20); f(); }})"
            ));
            nav.capture(&format!("{nom}-{w}-{k:02}"));
            for p in nav.eval(MESURE).as_array().expect("list") {
                problemes.push(format!(
                    "{nom}, diapositive {k} à {w} × {h} : {}",
                    p.as_str().unwrap_or("")
                ));
            }
        }
    }
    (n, problemes)
}

/// Text of a PDF (`pdftotext`), one form feed between pages.
fn texte_pdf(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("x.pdf");
    std::fs::write(&f, pdf).expect("pdf written");
    let out = std::process::Command::new("pdftotext")
        .arg(&f)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) installed");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[ignore = "needs Chromium: run by tests/navigateur.sh"]
fn ecran_no_slide_scrolls_on_a_generated_city_and_prints_read_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let ville = dir.path().join("ville");
    collegia()
        .args(["generer", "paris", "--graine", "2", "--intrusions", "3"])
        .arg(&ville)
        .assert()
        .success();
    let sortie = rapport_de(dir.path(), ville.to_str().expect("utf-8"));
    let mut nav = Navigateur::lancer(&["--hide-scrollbars"]);
    let deck = format!("file://{}", sortie.join("diaporama.html").display());
    let (n, problemes) = diapositives(&mut nav, &deck, "ville");
    assert!(problemes.is_empty(), "{}", problemes.join("\n"));
    // The report of a Paris-size city at both screen sizes: its charts (the coverage map has one
    // column per group and one row per pôle) stay readable.
    let page = format!("file://{}", sortie.join("index.html").display());
    let mut problemes = Vec::new();
    for (w, h) in ECRANS {
        nav.ouvrir(&page, w, h);
        for p in nav.eval(MESURE).as_array().expect("list") {
            problemes.push(format!("{w} px : {}", p.as_str().unwrap_or_default()));
        }
    }
    assert!(problemes.is_empty(), "{}", problemes.join("\n"));
    // One slide per landscape page.
    nav.ouvrir(&deck, 1024, 768);
    let pdf = nav.pdf();
    let pages = texte_pdf(&pdf).matches('\u{c}').count() as u64;
    assert_eq!(pages, n, "{n} slides, {pages} pages");
    // The report printed: the folded tables print unfolded, the indemnités and the tableau
    // annexe among them.
    nav.ouvrir(
        &format!("file://{}", sortie.join("index.html").display()),
        1024,
        768,
    );
    let texte = texte_pdf(&nav.pdf())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // Column headers found only inside the tables (their folded titles do not count): the
    // indemnités table, the tableau annexe, the responsabilités.
    for attendu in ["règles qui lient", "total brut mensuel", "ETP en appui"] {
        assert!(texte.contains(attendu), "« {attendu} » absent du PDF");
    }
    // Every élu·e of the indemnités table is printed, the last one included.
    let csv = std::fs::read_to_string(sortie.join("tableaux/indemnites.csv")).expect("csv");
    let derniere = csv.lines().last().expect("rows");
    let id = derniere
        .trim_start_matches('\u{feff}')
        .split(';')
        .next()
        .expect("id");
    assert!(texte.contains(id), "{id} absent du PDF");
    let erreurs = nav.erreurs();
    assert!(erreurs.is_empty(), "{erreurs:?}");
}

#[test]
#[ignore = "needs Chromium: run by tests/navigateur.sh"]
fn ecran_report_and_deck_fit_1024_and_1920_with_readable_charts() {
    let dir = tempfile::tempdir().expect("tmp");
    let sortie = rapport(dir.path());
    let mut nav = Navigateur::lancer(&["--hide-scrollbars"]);
    let index = format!("file://{}", sortie.join("index.html").display());
    let deck = format!("file://{}", sortie.join("diaporama.html").display());
    let mut problemes = Vec::new();
    for (w, h) in ECRANS {
        nav.ouvrir(&index, w, h);
        nav.capture(&format!("rapport-{w}"));
        for p in nav.eval(MESURE).as_array().expect("list") {
            problemes.push(format!("rapport {w} × {h} : {}", p.as_str().unwrap_or("")));
        }
        nav.ouvrir(&deck, w, h);
        let n = nav
            .eval("document.querySelectorAll('.diapo').length")
            .as_u64()
            .expect("slides");
        assert!(n >= 7, "{n} slides");
        assert_eq!(
            nav.eval("document.getElementById('numero').textContent"),
            j!(format!("1 / {n}"))
        );
        for k in 1..=n {
            assert_eq!(
                nav.eval("document.querySelectorAll('.diapo.active').length"),
                j!(1),
                "one slide shown"
            );
            nav.capture(&format!("diaporama-{w}-{k:02}"));
            for p in nav.eval(MESURE).as_array().expect("list") {
                problemes.push(format!(
                    "diapositive {k} à {w} × {h} : {}",
                    p.as_str().unwrap_or("")
                ));
            }
            nav.appel(
                "Input.dispatchKeyEvent",
                j!({"type": "keyDown", "key": "ArrowRight", "code": "ArrowRight", "windowsVirtualKeyCode": 39}),
            );
        }
        // Past the last slide, the last stays; Home, PageDown and End move as they should.
        assert_eq!(
            nav.eval("document.getElementById('numero').textContent"),
            j!(format!("{n} / {n}"))
        );
        for (touche, code, attendu) in [
            ("Home", 36, 1),
            ("PageDown", 34, 2),
            ("End", 35, n),
            ("PageUp", 33, n - 1),
            ("ArrowLeft", 37, n - 2),
        ] {
            nav.appel(
                "Input.dispatchKeyEvent",
                j!({"type": "keyDown", "key": touche, "code": touche, "windowsVirtualKeyCode": code}),
            );
            assert_eq!(
                nav.eval("document.getElementById('numero').textContent"),
                j!(format!("{attendu} / {n}")),
                "{touche}"
            );
        }
        // The front de compromis slot is there, marked.
        assert_eq!(
            nav.eval("document.querySelectorAll('[data-emplacement=\"front-compromis\"]').length"),
            j!(1)
        );
    }
    let (_, defilent) = diapositives(&mut nav, &deck, "exemple");
    problemes.extend(defilent);
    assert!(problemes.is_empty(), "{}", problemes.join("\n"));
    let erreurs = nav.erreurs();
    assert!(erreurs.is_empty(), "{erreurs:?}");
}

/// `rapport --reorganiser` on the bundled reorganisation example: its section fits 1 024 and
/// 1 920 px with chart text of 14 px at least, and no slide of the path (the overview, one per
/// stage, the flow cut « (k/n) ») scrolls. `COLLEGIA_ECRAN_REORGANISATION=<scénario>` runs it on
/// another scenario with a `[reorganisation]` table (a sweep over generated cities).
#[test]
#[ignore = "needs Chromium: run by tests/navigateur.sh"]
fn ecran_the_reorganisation_section_and_slides_fit() {
    let dir = tempfile::tempdir().expect("tmp");
    let sortie = dir.path().join("rapport");
    let scenario = std::env::var("COLLEGIA_ECRAN_REORGANISATION")
        .unwrap_or_else(|_| "data/exemple-reorganisation".into());
    collegia()
        .current_dir(root())
        .args([
            "rapport",
            &scenario,
            "--reorganiser",
            "--limite-temps",
            "20",
            "--sortie",
        ])
        .arg(&sortie)
        .assert()
        .success();
    let mut nav = Navigateur::lancer(&["--hide-scrollbars"]);
    let index = format!("file://{}", sortie.join("index.html").display());
    let mut problemes = Vec::new();
    for (w, h) in ECRANS {
        nav.ouvrir(&index, w, h);
        nav.capture(&format!("reorganisation-rapport-{w}"));
        for p in nav.eval(MESURE).as_array().expect("list") {
            problemes.push(format!("rapport {w} × {h} : {}", p.as_str().unwrap_or("")));
        }
    }
    // Printed: the section is in the PDF, stage by stage, with its legal frame.
    nav.ouvrir(&index, 1024, 768);
    let texte = texte_pdf(&nav.pdf())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for attendu in ["Réorganisation des DGA", "Étape 1 —", "décret n° 87-1101"] {
        assert!(texte.contains(attendu), "« {attendu} » absent du PDF");
    }
    let deck = format!("file://{}", sortie.join("diaporama.html").display());
    let (_, defilent) = diapositives(&mut nav, &deck, "reorganisation");
    problemes.extend(defilent);
    assert!(problemes.is_empty(), "{}", problemes.join("\n"));
    let erreurs = nav.erreurs();
    assert!(erreurs.is_empty(), "{erreurs:?}");
}
