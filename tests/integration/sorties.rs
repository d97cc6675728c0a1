//! What collegia writes: the one scenario writer (read → write → read is the identity on every
//! valid fixture and on a generated city with every optional column set; a declared
//! `chef_de_file` survives `optimiser --regrouper`), and outputs that are safe by construction
//! (every command that writes files, run on the hostile fixture `tests/fixtures/injection`,
//! every file inspected: CSV cells, XML parts of `.docx`/`.xlsx` and SVG, Markdown, HTML).

use crate::commun::{collegia, contenu, lignes_csv, root};
use collegia::ingest::{Chargement, load_scenario, load_verrous, load_voeux};
use collegia::model::{Scenario, Verrou, Voeu};
use collegia::report::scenario::{fichiers_csv, toml_variante};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A scenario with every input line number set to 0: files written by collegia have no comment
/// or blank lines, so lines are the one thing a round trip may change.
fn sans_lignes(mut s: Scenario) -> Scenario {
    for e in &mut s.elus {
        e.ligne = 0;
    }
    for d in &mut s.delegations {
        d.ligne = 0;
    }
    for d in &mut s.delegations_sans_service {
        d.ligne = 0;
    }
    for n in &mut s.organigramme.noeuds {
        n.ligne = 0;
    }
    s
}

fn charger(dossier: &Path) -> Option<(Chargement, Vec<Verrou>, Vec<Voeu>)> {
    let c = load_scenario(dossier).ok()?;
    let verrous = load_verrous(dossier, &c.scenario)
        .ok()?
        .map(|(_, v)| v)
        .unwrap_or_default();
    let voeux = load_voeux(dossier, &c.scenario)
        .ok()?
        .map(|(_, v)| v)
        .unwrap_or_default();
    Some((c, verrous, voeux))
}

/// A scenario read back, its locks and wishes, and the files it was read from.
type Relu = (
    Scenario,
    Vec<Verrou>,
    Vec<Voeu>,
    Vec<(&'static str, Vec<u8>)>,
);

/// Writes `s` with the one scenario writer into `dossier`, as a variant of `base` (its
/// parameters), and reads it back.
fn aller_retour(
    s: &Scenario,
    verrous: &[Verrou],
    voeux: &[Voeu],
    base: &Path,
    dossier: &Path,
) -> Relu {
    std::fs::create_dir_all(dossier).expect("mkdir");
    let fichiers = fichiers_csv(s, verrous, voeux);
    for (nom, octets) in &fichiers {
        std::fs::write(dossier.join(nom), octets).expect("write");
    }
    let base = base.canonicalize().expect("base");
    std::fs::write(
        dossier.join("scenario.toml"),
        toml_variante("aller-retour", &base.to_string_lossy(), &s.params.nom),
    )
    .expect("toml");
    let (c, v, w) = charger(dossier).unwrap_or_else(|| {
        panic!(
            "{}: what the writer wrote does not load: {:?}",
            dossier.display(),
            load_scenario(dossier).err()
        )
    });
    (c.scenario, v, w, fichiers)
}

fn identite(dossier: &Path, tmp: &Path) {
    let (c, verrous, voeux) = charger(dossier).expect("valid");
    let a = &c.scenario;
    let (b, v2, w2, octets) = aller_retour(a, &verrous, &voeux, dossier, &tmp.join("1"));
    let nom = dossier.display();
    assert_eq!(
        sans_lignes(a.clone()).elus,
        sans_lignes(b.clone()).elus,
        "{nom}: elus"
    );
    assert_eq!(
        sans_lignes(a.clone()).delegations,
        sans_lignes(b.clone()).delegations,
        "{nom}: délégations"
    );
    assert_eq!(
        sans_lignes(a.clone()).delegations_sans_service,
        sans_lignes(b.clone()).delegations_sans_service,
        "{nom}: délégations sans service"
    );
    assert_eq!(
        sans_lignes(a.clone()).organigramme.noeuds,
        sans_lignes(b.clone()).organigramme.noeuds,
        "{nom}: organigramme"
    );
    assert_eq!(
        a.organigramme.responsables, b.organigramme.responsables,
        "{nom}: responsables"
    );
    let sans_ligne_v = |v: &[Verrou]| -> Vec<Verrou> {
        v.iter()
            .cloned()
            .map(|mut x| {
                x.ligne = 0;
                x
            })
            .collect()
    };
    let sans_ligne_w = |v: &[Voeu]| -> Vec<Voeu> {
        v.iter()
            .cloned()
            .map(|mut x| {
                x.ligne = 0;
                x
            })
            .collect()
    };
    assert_eq!(sans_ligne_v(&verrous), sans_ligne_v(&v2), "{nom}: verrous");
    assert_eq!(sans_ligne_w(&voeux), sans_ligne_w(&w2), "{nom}: voeux");
    // And a second pass writes the same bytes: the writer is a fixpoint of read ∘ write.
    let (_, _, _, octets2) = aller_retour(&b, &v2, &w2, dossier, &tmp.join("2"));
    assert_eq!(octets, octets2, "{nom}: second write differs");
}

#[test]
fn read_write_read_is_the_identity_on_every_valid_fixture() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut dossiers: Vec<PathBuf> = Vec::new();
    for parent in ["tests/fixtures", "data"] {
        for e in std::fs::read_dir(root().join(parent))
            .expect("dir")
            .flatten()
        {
            if e.path().join("scenario.toml").is_file() {
                dossiers.push(e.path());
            }
        }
    }
    dossiers.sort();
    let mut essayes = Vec::new();
    for (k, d) in dossiers.iter().enumerate() {
        if charger(d).is_none() {
            continue;
        }
        identite(d, &tmp.path().join(k.to_string()));
        essayes.push(d.file_name().map(|n| n.to_string_lossy().to_string()));
    }
    // The valid ones among them, including those with every kind of row the writer handles.
    for attendu in [
        "minimal",
        "injection",
        "exemple",
        "ville-prefecture",
        "noumea",
    ] {
        assert!(
            essayes.contains(&Some(attendu.to_string())),
            "{attendu} not tried: {essayes:?}"
        );
    }
    assert!(essayes.len() >= 20, "only {} fixtures", essayes.len());
}

#[test]
fn a_generated_city_with_every_optional_column_set_reads_back_identically() {
    use collegia::synthese::{Taille, generer};
    let tmp = tempfile::tempdir().expect("tmp");
    let genere = tmp.path().join("gen");
    std::fs::create_dir_all(&genere).expect("mkdir");
    let f = generer(Taille::Petite, 11);
    let mut toml = f.scenario_toml.clone();
    toml.push_str("\n[[communes_deleguees]]\nid = \"saint-aubin\"\nnom = \"Saint-Aubin\"\npopulation = 1200\n");
    std::fs::write(genere.join("scenario.toml"), toml).expect("toml");
    for (nom, octets) in [
        ("organigramme.csv", &f.organigramme),
        ("elus.csv", &f.elus),
        ("delegations.csv", &f.delegations),
    ] {
        std::fs::write(genere.join(nom), octets).expect("write");
    }
    let mut s = load_scenario(&genere)
        .expect("generated city loads")
        .scenario;
    // Every optional column of elus.csv and organigramme.csv set, with hostile text too.
    let axe = s.params.axes[0].id.clone();
    let mut chefs = std::collections::BTreeSet::new();
    for (k, e) in s.elus.iter_mut().enumerate() {
        e.composante = Some(format!("=Composante {}", k % 3));
        e.axe = Some(axe.clone());
        e.taux_actuel = Some(10.0 + k as f64 / 8.0);
        e.autres_indemnites_eur = Some(125.5 * k as f64);
        e.chef_de_file = Some(e.groupe.as_ref().is_some_and(|g| chefs.insert(g.clone())));
        e.nom = format!("-{}", e.nom);
    }
    if let Some(m) = s
        .elus
        .iter_mut()
        .find(|e| e.fonction == collegia::model::Fonction::Maire)
    {
        m.commune_deleguee = Some("saint-aubin".into());
    }
    let n = s.organigramme.noeuds.len();
    for e in s.elus.iter_mut().filter(|e| e.rang.is_some()) {
        e.quartier = Some("T0".into());
    }
    for (k, no) in s.organigramme.noeuds.iter_mut().enumerate() {
        no.estime = k % 2 == 0;
        no.territoire = (k % 2 == 1).then(|| "T0".to_string());
        no.libelle = format!("@{}", no.libelle);
        if k + 1 < n && k > 0 {
            no.secondaires = vec![k + 1];
        }
    }
    for ix in 0..n {
        s.organigramme
            .responsables
            .insert(ix, format!("+Responsable {ix}"));
    }
    let sans_service_avant = s.delegations_sans_service.len();
    let (b, _, _, octets) = aller_retour(&s, &[], &[], &genere, &tmp.path().join("ecrit"));
    assert_eq!(sans_lignes(s.clone()).elus, sans_lignes(b.clone()).elus);
    assert_eq!(
        sans_lignes(s.clone()).organigramme.noeuds,
        sans_lignes(b.clone()).organigramme.noeuds
    );
    assert_eq!(s.organigramme.responsables, b.organigramme.responsables);
    assert_eq!(
        sans_lignes(s.clone()).delegations,
        sans_lignes(b.clone()).delegations
    );
    assert_eq!(b.delegations_sans_service.len(), sans_service_avant);
    // Every optional column is in the files, none empty for every row.
    let elus = lignes_csv(&octets[1].1);
    for c in [
        "composante",
        "quartier",
        "commune_deleguee",
        "axe",
        "taux_actuel",
        "autres_indemnites_eur",
        "chef_de_file",
    ] {
        assert!(elus.iter().any(|l| !l[c].is_empty()), "elus.csv: {c} empty");
    }
    let org = lignes_csv(&octets[0].1);
    for c in [
        "rattachements_secondaires",
        "territoire",
        "estime",
        "responsable",
    ] {
        assert!(
            org.iter().any(|l| !l[c].is_empty()),
            "organigramme.csv: {c} empty"
        );
    }
}

#[test]
fn a_declared_chef_de_file_survives_optimiser_regrouper() {
    let tmp = tempfile::tempdir().expect("tmp");
    let scenario = tmp.path().join("exemple");
    std::fs::create_dir_all(&scenario).expect("mkdir");
    for e in std::fs::read_dir(root().join("data/exemple"))
        .expect("dir")
        .flatten()
    {
        if e.path().is_file() {
            std::fs::copy(e.path(), scenario.join(e.file_name())).expect("copy");
        }
    }
    // Declare the leads: E02 (oui) and E03 (non), the others unsaid.
    let elus = std::fs::read_to_string(scenario.join("elus.csv")).expect("elus");
    let elus: Vec<String> = elus
        .lines()
        .enumerate()
        .map(|(k, l)| match (k, l.split(';').next()) {
            (0, _) => format!("{l};chef_de_file"),
            (_, Some("E02")) => format!("{l};oui"),
            (_, Some("E03")) => format!("{l};non"),
            _ => format!("{l};"),
        })
        .collect();
    std::fs::write(scenario.join("elus.csv"), elus.join("\n") + "\n").expect("write");
    let sortie = tmp.path().join("proposition");
    collegia()
        .arg("optimiser")
        .arg(&scenario)
        .arg("--sortie")
        .arg(&sortie)
        .arg("--regrouper")
        .assert()
        .success();
    let ecrit = lignes_csv(&std::fs::read(sortie.join("elus.csv")).expect("elus.csv written"));
    let chef: BTreeMap<String, String> = ecrit
        .iter()
        .map(|l| (l["id"].clone(), l["chef_de_file"].clone()))
        .collect();
    assert_eq!(chef["E02"], "oui");
    assert_eq!(chef["E03"], "non");
    assert!(
        chef.iter()
            .filter(|(k, _)| *k != "E02" && *k != "E03")
            .all(|(_, v)| v.is_empty())
    );
    let a = load_scenario(&scenario).expect("input").scenario;
    let b = load_scenario(&sortie).expect("proposal loads").scenario;
    for (x, y) in a.elus.iter().zip(&b.elus) {
        assert_eq!(x.chef_de_file, y.chef_de_file, "{}", x.id);
    }
}

/// Characters XML 1.0 forbids.
fn interdit_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// `texte` parses as XML from start to end, and holds no character XML forbids.
fn xml_bien_forme(nom: &str, texte: &str) {
    assert!(
        !texte.contains(interdit_xml),
        "{nom}: forbidden XML character"
    );
    let mut r = quick_xml::Reader::from_str(texte);
    r.config_mut().check_end_names = true;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{nom}: malformed XML: {e}"),
        }
    }
}

/// A CSV cell no spreadsheet evaluates: no formula prefix, except a plain number (`-3,5`).
fn cellule_inerte(c: &str) -> bool {
    match c.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => false,
        Some('-') => {
            let n = &c[1..];
            !n.is_empty()
                && n.chars()
                    .all(|x| x.is_ascii_digit() || x == ',' || x == '.')
                && n.chars().next().is_some_and(|x| x.is_ascii_digit())
        }
        _ => true,
    }
}

fn inspecter_csv(nom: &str, octets: &[u8]) {
    assert!(
        octets.starts_with(b"\xEF\xBB\xBF"),
        "{nom}: CSV without its BOM"
    );
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(&octets[3..]);
    let mut n = 0;
    for l in r.records() {
        let l = l.unwrap_or_else(|e| panic!("{nom}: {e}"));
        for c in l.iter() {
            assert!(cellule_inerte(c), "{nom}: live formula cell « {c} »");
            n += 1;
        }
    }
    assert!(n > 0, "{nom}: empty CSV");
    assert!(
        !octets.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'),
        "{nom}: a line not ended by CRLF"
    );
}

/// HTML text with no live hostile markup: no script, no img from the inputs, no javascript link
/// (the diaporama's own navigation script is collegia's, not the inputs').
fn html_inerte(nom: &str, html: &str) {
    for interdit in [
        "<script>alert",
        "<script>G1",
        "<img src=x",
        "onerror=alert",
        "href=\"javascript",
        "<b>gras",
        "href=\"http://evil",
    ] {
        if let Some(k) = html.find(interdit) {
            // `onerror=alert` may stand as text inside an escaped tag (`&lt;img … onerror=…&gt;`).
            let avant = &html[..k];
            let ouvre = avant.rfind('<').unwrap_or(0);
            let ferme = avant.rfind('>').map_or(0, |f| f + 1);
            assert!(
                interdit == "onerror=alert" && ferme >= ouvre,
                "{nom}: live « {interdit} »"
            );
        }
    }
    assert!(
        !html.contains(interdit_xml),
        "{nom}: control character in HTML"
    );
}

fn inspecter_md(nom: &str, texte: &str) {
    use pulldown_cmark::{Options, Parser, html::push_html};
    assert!(
        !texte.contains(interdit_xml),
        "{nom}: control character in Markdown"
    );
    let mut h = String::new();
    push_html(
        &mut h,
        Parser::new_ext(texte, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS),
    );
    html_inerte(&format!("{nom} (rendu)"), &h);
    // Markdown links to hostile targets are escaped, not links.
    assert!(!h.contains("<a href"), "{nom}: a link from the inputs");
}

fn inspecter_zip(nom: &str, octets: &[u8]) {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(octets)).expect("zip");
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let partie = f.name().to_string();
        if !(partie.ends_with(".xml") || partie.ends_with(".rels")) {
            continue;
        }
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).expect("utf-8 part");
        xml_bien_forme(&format!("{nom}:{partie}"), &s);
        if partie.starts_with("xl/worksheets/") {
            assert!(
                !s.contains("<f>") && !s.contains("<f "),
                "{nom}:{partie}: formula"
            );
        }
    }
}

fn inspecter(nom: &str, octets: &[u8]) {
    let texte = || String::from_utf8(octets.to_vec()).unwrap_or_else(|_| panic!("{nom}: utf-8"));
    match nom.rsplit('.').next().unwrap_or("") {
        "csv" => inspecter_csv(nom, octets),
        "xlsx" | "docx" => inspecter_zip(nom, octets),
        "svg" => {
            let t = texte();
            xml_bien_forme(nom, &t);
            html_inerte(nom, &t);
        }
        "html" => html_inerte(nom, &texte()),
        "md" => inspecter_md(nom, &texte()),
        "toml" => {
            let t = texte();
            assert!(t.parse::<toml::Table>().is_ok(), "{nom}: invalid TOML");
        }
        "png" => assert!(octets.starts_with(b"\x89PNG"), "{nom}: not a PNG"),
        "json" => {
            serde_json::from_slice::<serde_json::Value>(octets)
                .unwrap_or_else(|e| panic!("{nom}: {e}"));
        }
        // collegia's own markers.
        _ if nom.ends_with(".collegia") || nom.ends_with("collegia.verrou") => {}
        autre => panic!("{nom}: output of an unknown kind « {autre} », inspect it too"),
    }
}

#[test]
fn every_output_of_every_command_on_a_hostile_fixture_is_inert() {
    let tmp = tempfile::tempdir().expect("tmp");
    let t = tmp.path();
    let f = "tests/fixtures/injection";
    let lancer = |args: &[&str]| -> Vec<u8> {
        let out = collegia()
            .current_dir(root())
            .args(args)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let d = |x: &str| t.join(x).to_string_lossy().to_string();
    lancer(&["rapport", f, "--sortie", &d("rapport"), "--optimiser"]);
    lancer(&[
        "optimiser",
        f,
        "--regrouper",
        "--front",
        "--sortie",
        &d("optimiser"),
    ]);
    lancer(&["affecter", f, "--sortie", &d("affecter")]);
    lancer(&[
        "comparer",
        f,
        "tests/fixtures/minimal",
        "--sortie",
        &d("comparer"),
    ]);
    lancer(&["classeur", f, &d("classeur.xlsx")]);
    lancer(&["generer", "petite", &d("generer"), "--voeux"]);
    // The same hostile scenario as a workbook: a variant written over a workbook holds the
    // workbook's sheets as CSV files, through the same writer.
    let classeur = tempfile::tempdir().expect("tmp");
    let xlsx = classeur.path().join("injection.xlsx");
    lancer(&["classeur", f, &xlsx.to_string_lossy()]);
    let x = xlsx.to_string_lossy().to_string();
    lancer(&[
        "optimiser",
        &x,
        "--regrouper",
        "--sortie",
        &d("optimiser-classeur"),
    ]);
    lancer(&["affecter", &x, "--sortie", &d("affecter-classeur")]);
    // An RNE extract with hostile names, imported as an elus.csv.
    let entree = tempfile::tempdir().expect("tmp");
    let rne = std::fs::read_to_string(root().join("tests/fixtures/rne/rne-extrait.csv"))
        .expect("rne")
        .replace("ELU32013_001;PRENOM", "=HYPERLINK(\"x\");@Prénom\u{b}")
        .replace("ELU32013_002;PRENOM", "-cmd|' /C calc'!A0;+Ana");
    let rne_hostile = entree.path().join("rne.csv");
    std::fs::write(&rne_hostile, rne).expect("write");
    lancer(&[
        "importer-rne",
        &rne_hostile.to_string_lossy(),
        "--commune",
        "32013",
        "--population",
        "22000",
        "--sortie",
        &d("rne/elus.csv"),
    ]);
    let imprimes = [
        (
            "indemnites.csv",
            lancer(&[
                "indemnites",
                f,
                "--format",
                "csv",
                "--balayage",
                "--sortie",
                &d("indemnites"),
            ]),
        ),
        ("analyser.csv", lancer(&["analyser", f, "--format", "csv"])),
        (
            "analyser.json",
            lancer(&["analyser", f, "--format", "json"]),
        ),
        (
            "bareme.csv",
            lancer(&["bareme", "--population", "5000", "--format", "csv"]),
        ),
    ];
    let mut fichiers = contenu(t);
    for (nom, octets) in imprimes {
        fichiers.insert(format!("(sortie standard) {nom}"), octets);
    }
    let mut par_genre: BTreeMap<String, usize> = BTreeMap::new();
    for (nom, octets) in &fichiers {
        inspecter(nom, octets);
        *par_genre
            .entry(nom.rsplit('.').next().unwrap_or("").to_string())
            .or_default() += 1;
    }
    // Every kind of output was produced and inspected.
    for genre in [
        "csv", "xlsx", "docx", "svg", "html", "md", "toml", "png", "json",
    ] {
        assert!(
            par_genre.contains_key(genre),
            "no {genre} written: {par_genre:?}"
        );
    }
    // The hostile values did reach the outputs (the test inspects them, not their absence).
    let tout: String = fichiers
        .iter()
        .filter(|(k, _)| k.ends_with(".csv"))
        .map(|(_, v)| String::from_utf8_lossy(v).to_string())
        .collect();
    for present in [
        "'=HYPERLINK(",
        "'-cmd|' /C calc'!A0",
        "'@SUM(A1)",
        "'+Élise",
    ] {
        assert!(tout.contains(present), "« {present} » not in any CSV");
    }
    // And the proposals read back with the hostile names intact.
    let relu = load_scenario(&t.join("affecter"))
        .expect("affectation loads")
        .scenario;
    assert!(
        relu.elus
            .iter()
            .any(|e| e.nom == "-cmd|' /C calc'!A0" && e.prenom == "+Élise")
    );
    assert!(
        relu.elus
            .iter()
            .any(|e| e.nom == "=HYPERLINK(\"http://evil.example\",\"clic\")")
    );
    let rne = lignes_csv(&fichiers["rne/elus.csv"]);
    assert!(
        rne.iter().any(|l| l["nom"] == "'=HYPERLINK(\"x\")"),
        "{rne:?}"
    );
}
