//! `collegia seminaire`: the JSON API on an in-process server (127.0.0.1, ephemeral port):
//! a change, undo and redo, saving a variant that `verifier` loads, malformed requests, a
//! request without the token, the body and rate bounds, the live events and the front of
//! compromises (`GET /api/front`, `appliquer_point_front`).

use crate::commun::{collegia, root};
use collegia::seminaire::Session;
use collegia::seminaire::serveur::{Config, Partage, demarrer_en_arriere_plan};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

const JETON: &str = "0123456789abcdef0123456789abcdef";

/// A server on the example, variants written under `sortie`.
fn serveur(sortie: &Path, reglage: impl FnOnce(&mut Config)) -> SocketAddr {
    serveur_sur("data/exemple", sortie, reglage)
}

/// A server on the scenario folder `scenario` (relative to the crate).
fn serveur_sur(scenario: &str, sortie: &Path, reglage: impl FnOnce(&mut Config)) -> SocketAddr {
    let dossier = root().join(scenario);
    let c = collegia::ingest::load_scenario(&dossier).expect("the example loads");
    let session = Session::ouvrir(c, &dossier, Vec::new()).expect("opens");
    let mut config = Config::new(JETON.into(), sortie.to_path_buf());
    reglage(&mut config);
    demarrer_en_arriere_plan(
        "127.0.0.1:0".parse().expect("address"),
        Partage::new(session, config),
    )
    .expect("server starts")
}

/// One HTTP/1.1 request; returns the status and the body.
fn requete(
    a: SocketAddr,
    methode: &str,
    chemin: &str,
    jeton: Option<&str>,
    corps: &str,
) -> (u16, String) {
    let mut s = TcpStream::connect(a).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let auth = jeton
        .map(|j| format!("Authorization: Bearer {j}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{methode} {chemin} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{corps}",
        corps.len()
    )
    .expect("sends");
    let mut r = Vec::new();
    s.read_to_end(&mut r).expect("reads");
    let r = String::from_utf8_lossy(&r).to_string();
    let statut = r
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let (entetes, corps) = r.split_once("\r\n\r\n").expect("headers end");
    let corps = if entetes
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunker(corps)
    } else {
        corps.to_string()
    };
    (statut, corps)
}

fn dechunker(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((taille, reste)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(taille.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&reste[..n]);
        s = &reste[n + 2..];
    }
    out
}

fn json(corps: &str) -> serde_json::Value {
    serde_json::from_str(corps).unwrap_or_else(|e| panic!("JSON ({e}): {corps}"))
}

const DEPLACER: &str =
    r#"{"type": "deplacer_unite", "unite": "DIR-PROPRETE", "groupe": "G09-espaces-publics"}"#;

/// Pilotes of a node in a state.
fn pilotes(etat: &serde_json::Value, noeud: &str) -> Vec<String> {
    etat["delegations"]
        .as_array()
        .expect("délégations")
        .iter()
        .filter(|d| d["noeud"] == noeud && d["role"] == "pilote")
        .map(|d| d["elu"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn etat_lists_findings_groups_and_indemnites() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |_| {});
    let (st, corps) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(st, 200);
    let e = json(&corps);
    let constats = e["constats"].as_array().expect("constats");
    assert!(constats.iter().any(|c| c["code"] == "D001"), "{corps}");
    let g09 = e["groupes"]
        .as_array()
        .expect("groupes")
        .iter()
        .find(|g| g["id"] == "G09-espaces-publics")
        .expect("G09");
    assert!(g09["effectif"].as_f64().expect("ETP") > 0.0);
    assert!(e["indemnites"]["totaux"]["annuel_eur"].is_string());
    assert_eq!(e["version"], 0);
}

#[test]
fn a_change_is_applied_undone_redone_and_saved_as_a_variant_verifier_loads() {
    let dir = tempfile::tempdir().expect("tmp");
    let sortie = dir.path().join("seminaire");
    let a = serveur(&sortie, |_| {});
    let (_, avant) = requete(a, "GET", "/api/etat", None, "");
    let avant = json(&avant);
    let (st, corps) = requete(a, "POST", "/api/modifications", Some(JETON), DEPLACER);
    assert_eq!(st, 200, "{corps}");
    let apres = json(&corps);
    assert_eq!(apres["version"], 1);
    assert_eq!(
        pilotes(&apres, "DIR-PROPRETE"),
        ["E14"],
        "G09's chef·fe de file"
    );
    assert_ne!(pilotes(&avant, "DIR-PROPRETE"), ["E14"]);
    // GET follows.
    let (_, e) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(json(&e)["version"], 1);
    // Undo restores the input's délégations and findings; redo brings the change back.
    let (st, corps) = requete(a, "POST", "/api/annuler", Some(JETON), "");
    assert_eq!(st, 200, "{corps}");
    let annule = json(&corps);
    assert_eq!(annule["delegations"], avant["delegations"]);
    assert_eq!(annule["constats"], avant["constats"]);
    let (st, corps) = requete(a, "POST", "/api/retablir", Some(JETON), "");
    assert_eq!(st, 200, "{corps}");
    assert_eq!(json(&corps)["delegations"], apres["delegations"]);
    // The journal has the three steps, with findings and cost before and after.
    let (_, j) = requete(a, "GET", "/api/journal", None, "");
    let j = json(&j);
    assert_eq!(j.as_array().expect("journal").len(), 3);
    assert_eq!(j[0]["action"], "modification");
    assert!(j[0]["avant"]["annuel_eur"].is_string());
    let (st, md) = requete(a, "GET", "/api/compte-rendu.md", None, "");
    assert_eq!(st, 200);
    assert!(md.contains("# Compte rendu du séminaire"), "{md}");
    assert!(md.contains("confiée au groupe G09-espaces-publics"), "{md}");
    // Save: a variant with only what changed, `base` pointing at the input.
    let (st, corps) = requete(
        a,
        "POST",
        "/api/enregistrer",
        Some(JETON),
        r#"{"nom": "Propreté à G09"}"#,
    );
    assert_eq!(st, 200, "{corps}");
    let dossier = json(&corps)["dossier"]
        .as_str()
        .expect("folder")
        .to_string();
    assert!(Path::new(&dossier).starts_with(&sortie), "{dossier}");
    let toml = std::fs::read_to_string(Path::new(&dossier).join("scenario.toml")).expect("toml");
    assert!(toml.contains("base = "), "{toml}");
    assert!(Path::new(&dossier).join("delegations.csv").is_file());
    assert!(
        !Path::new(&dossier).join("elus.csv").exists(),
        "elus.csv did not change"
    );
    assert!(!Path::new(&dossier).join("organigramme.csv").exists());
    collegia()
        .args(["verifier", &dossier])
        .assert()
        .success()
        .stdout(predicates::str::contains("Le scénario est valide."));
    // Saving twice under one name is refused; the first variant stays.
    let (st, corps) = requete(
        a,
        "POST",
        "/api/enregistrer",
        Some(JETON),
        r#"{"nom": "Propreté à G09"}"#,
    );
    assert_eq!(st, 409, "{corps}");
    assert_eq!(json(&corps)["code"], "S007");
}

#[test]
fn editing_without_the_token_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |_| {});
    for (chemin, corps) in [
        ("/api/modifications", DEPLACER),
        ("/api/annuler", ""),
        ("/api/enregistrer", r#"{"nom": "x"}"#),
    ] {
        for jeton in [None, Some("faux"), Some("")] {
            let (st, r) = requete(a, "POST", chemin, jeton, corps);
            assert_eq!(st, 401, "{chemin} {jeton:?}: {r}");
            assert_eq!(json(&r)["code"], "S002");
            assert!(json(&r)["message"].as_str().expect("msg").contains("jeton"));
        }
    }
    let (_, e) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(json(&e)["version"], 0);
    assert!(!dir.path().join("seminaire").exists(), "nothing written");
}

#[test]
fn the_front_is_read_by_anyone_and_a_point_applied_by_the_facilitator() {
    let dir = tempfile::tempdir().expect("tmp");
    // The example with its cœurs freed: the example's own front has a single point.
    let a = serveur_sur(
        "tests/fixtures/seminaire-front",
        &dir.path().join("seminaire"),
        |_| {},
    );
    let (st, corps) = requete(a, "GET", "/api/front", None, "");
    assert_eq!(st, 200, "{corps}");
    let f = json(&corps);
    assert_eq!(f["version"], 0);
    let points = f["points"].as_array().expect("points");
    assert!(points.len() >= 2, "{corps}");
    assert!(f["note"].is_null(), "{corps}");
    for (k, p) in points.iter().enumerate() {
        assert_eq!(p["point"], k + 1);
        assert_eq!(
            p["structure"].as_u64(),
            Some(
                p["poles"].as_u64().expect("pôles")
                    + p["liens"].as_u64().expect("liens")
                    + p["hors_theme"].as_u64().expect("hors thème")
            )
        );
        assert!(p["nom"].as_str().expect("nom").starts_with("point-"));
        assert_eq!(p["statut"], "optimal (prouvé)");
    }
    // From the gentlest to the most structured: structure falls, agents rise, point by point.
    for w in points.windows(2) {
        assert!(
            w[1]["structure"].as_u64() < w[0]["structure"].as_u64(),
            "{corps}"
        );
        assert!(
            w[1]["agents_etp"].as_f64() > w[0]["agents_etp"].as_f64(),
            "{corps}"
        );
    }
    let deux = &points[1];
    let corps_point = r#"{"type": "appliquer_point_front", "point": 2}"#;
    // A participant (no token) reads the front but cannot apply it.
    let (st, r) = requete(a, "POST", "/api/modifications", None, corps_point);
    assert_eq!(st, 401, "{r}");
    assert_eq!(json(&r)["code"], "S002");
    let (_, e) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(json(&e)["version"], 0);
    // Out of the front: refused, nothing changes.
    let (st, r) = requete(
        a,
        "POST",
        "/api/modifications",
        Some(JETON),
        &format!(
            r#"{{"type": "appliquer_point_front", "point": {}}}"#,
            points.len() + 1
        ),
    );
    assert_eq!(st, 400, "{r}");
    assert_eq!(json(&r)["code"], "S024");
    assert!(json(&r)["message"].as_str().expect("msg").contains("front"));
    // The facilitator applies point 2: a new version, a journal line with its figures.
    let (st, r) = requete(a, "POST", "/api/modifications", Some(JETON), corps_point);
    assert_eq!(st, 200, "{r}");
    assert_eq!(json(&r)["version"], 1);
    let (_, j) = requete(a, "GET", "/api/journal", None, "");
    let j = json(&j);
    let journal = j.as_array().expect("journal");
    assert_eq!(journal.len(), 1);
    assert_eq!(
        journal[0]["description"],
        format!(
            "point 2 du front appliqué : {} pôles, {} ETP déplacés",
            deux["poles"],
            format!("{:.1}", deux["agents_etp"].as_f64().expect("ETP")).replace('.', ",")
        )
    );
    // The front now answered is the new state's.
    let (st, corps) = requete(a, "GET", "/api/front", None, "");
    assert_eq!(st, 200, "{corps}");
    let f = json(&corps);
    assert_eq!(f["version"], 1);
    assert_eq!(f["points"][0]["agents_etp"], 0.0, "{corps}");
}

#[test]
fn the_example_front_starts_from_the_input() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |_| {});
    let (st, corps) = requete(a, "GET", "/api/front", None, "");
    assert_eq!(st, 200, "{corps}");
    let f = json(&corps);
    let points = f["points"].as_array().expect("points");
    assert!(!points.is_empty(), "{corps}");
    // The gentlest point moves nobody: on the example, the cœurs keep every direction.
    assert_eq!(points[0]["agents_etp"], 0.0, "{corps}");
    assert_eq!(points[0]["unites"], 0, "{corps}");
    // With every cœur kept the example's front is one point, explained as in the terminal and
    // the report (the fixture with the cœurs freed has several points and no note).
    assert_eq!(points.len(), 1, "{corps}");
    let note = f["note"].as_str().expect("a one-point front has its note");
    assert!(note.contains("--liberer-coeurs"), "{note}");
}

#[test]
fn malformed_requests_get_a_french_4xx_and_change_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |_| {});
    let cas: [(&str, &str, u16, &str); 8] = [
        ("/api/modifications", "{\"type\": ", 400, "S001"),
        ("/api/modifications", "pas du JSON", 400, "S001"),
        ("/api/modifications", r#"{"type": "inventee"}"#, 400, "S001"),
        (
            "/api/modifications",
            r#"{"type": "deplacer_unite", "unite": "DIR-PROPRETE"}"#,
            400,
            "S001",
        ),
        (
            "/api/modifications",
            r#"{"type": "deplacer_unite", "unite": "NULLE-PART", "groupe": "G09-espaces-publics"}"#,
            400,
            "S010",
        ),
        (
            "/api/modifications",
            r#"{"type": "politique_indemnites", "alpha": 7}"#,
            400,
            "S015",
        ),
        ("/api/annuler", "", 409, "S005"),
        ("/api/enregistrer", r#"{"nom": "   "}"#, 400, "S009"),
    ];
    for (chemin, corps, statut, code) in cas {
        let (st, r) = requete(a, "POST", chemin, Some(JETON), corps);
        assert_eq!(st, statut, "{chemin} {corps}: {r}");
        assert_eq!(json(&r)["code"], code, "{corps}: {r}");
    }
    let (st, r) = requete(a, "GET", "/api/inexistante", None, "");
    assert_eq!(st, 404);
    assert_eq!(json(&r)["code"], "S022");
    let (_, e) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(json(&e)["version"], 0);
    assert_eq!(json(&e)["journal"], 0);
}

#[test]
fn bodies_and_rates_are_bounded() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |c| {
        c.limite_corps = 1024;
        c.rafale = 5.0;
        c.requetes_par_seconde = 0.5;
    });
    let gros = format!(r#"{{"nom": "{}"}}"#, "x".repeat(4096));
    let (st, r) = requete(a, "POST", "/api/enregistrer", Some(JETON), &gros);
    assert_eq!(st, 413, "{r}");
    assert_eq!(json(&r)["code"], "S004");
    let statuts: Vec<u16> = (0..8)
        .map(|_| requete(a, "GET", "/api/etat", None, "").0)
        .collect();
    assert!(statuts.contains(&429), "{statuts:?}");
    let (st, r) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(st, 429);
    assert_eq!(json(&r)["code"], "S003");
}

#[test]
fn followers_receive_every_change_live() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |_| {});
    let mut s = TcpStream::connect(a).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    write!(
        s,
        "GET /api/evenements HTTP/1.1\r\nHost: {a}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("sends");
    let mut lignes = BufReader::new(s);
    let mut donnees = Vec::new();
    let mut ligne = String::new();
    let mut change = false;
    while donnees.len() < 2 {
        ligne.clear();
        if lignes.read_line(&mut ligne).expect("reads") == 0 {
            break;
        }
        if let Some(d) = ligne.trim_end().strip_prefix("data: ") {
            donnees.push(json(d));
            if !change {
                change = true;
                let (st, r) = requete(a, "POST", "/api/modifications", Some(JETON), DEPLACER);
                assert_eq!(st, 200, "{r}");
            }
        }
    }
    assert_eq!(donnees.len(), 2);
    assert_eq!(donnees[0]["version"], 0);
    assert_eq!(donnees[1]["version"], 1);
    assert_eq!(pilotes(&donnees[1], "DIR-PROPRETE"), ["E14"]);
}

#[test]
fn the_page_sets_text_never_markup_and_loads_no_external_asset() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |_| {});
    let (st, page) = requete(a, "GET", "/", None, "");
    assert_eq!(st, 200);
    assert!(page.contains("<html lang=\"fr\">"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no CDN"
    );
    let (st, js) = requete(a, "GET", "/seminaire.js", None, "");
    assert_eq!(st, 200);
    // Scenario text reaches the page through textContent only.
    assert!(!js.contains("innerHTML") && !js.contains("insertAdjacentHTML"));
    assert!(!js.contains("https://"), "no CDN");
}

#[test]
fn the_command_refuses_a_broken_scenario() {
    collegia()
        .args([
            "seminaire",
            "tests/fixtures/absent-pour-seminaire",
            "--port",
            "0",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("Le séminaire n'a pas démarré"));
}

/// The séminaire in two real browsers (headless Chromium driven through the DevTools protocol):
/// the facilitator moves a unit in the page, the findings update, a second browser sees the
/// change live, the facilitator saves a variant and `collegia verifier` loads it. Ignored by
/// `cargo test` (it needs Chromium); `.ci/run` runs it after installing Chromium. With
/// `COLLEGIA_CAPTURE=<file.png>` it also writes a 1 024 × 768 screenshot of the page.
mod navigateur {
    use super::*;
    use crate::cdp::Navigateur;
    use serde_json::{Value, json as j};

    /// A Chromium at 1 024 × 768 showing `url` (the page may still be loading).
    fn ouvrir(url: &str) -> Navigateur {
        let mut n = Navigateur::lancer(&["--window-size=1024,768"]);
        n.appel(
            "Emulation.setDeviceMetricsOverride",
            j!({"width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": false}),
        );
        n.appel("Page.navigate", j!({"url": url}));
        n
    }

    #[test]
    #[ignore = "needs Chromium: run by .ci/run"]
    fn two_browsers_follow_a_change_made_in_the_page_and_the_variant_loads() {
        let dir = tempfile::tempdir().expect("tmp");
        let sortie = dir.path().join("seminaire");
        let a = serveur(&sortie, |_| {});
        let mut animation = ouvrir(&format!("http://{a}/#jeton={JETON}"));
        let mut salle = ouvrir(&format!("http://{a}/"));
        let pret = "document.body.dataset.version === '0' && document.querySelectorAll('#constats li').length > 0";
        animation.attendre(pret);
        salle.attendre(pret);
        // The room reads; only the facilitator sees the editing controls.
        assert_eq!(
            salle.eval("document.getElementById('outils').hidden"),
            Value::Bool(true)
        );
        assert_eq!(
            animation.eval("document.getElementById('outils').hidden"),
            Value::Bool(false)
        );
        let constats = "Array.from(document.querySelectorAll('#constats li')).map(l => l.textContent).join('\\n')";
        let avant = animation.eval(constats);
        // A change made in the UI: DIR-PROPRETE entrusted to G09 through its menu.
        animation.eval(
            "(() => { const s = document.querySelector('li[data-noeud=\"DIR-PROPRETE\"] > select'); s.value = 'G09-espaces-publics'; s.dispatchEvent(new Event('change')); return true; })()",
        );
        let change = "document.body.dataset.version === '1' && document.querySelector('li[data-noeud=\"DIR-PROPRETE\"] > .porteur').textContent === 'G09-espaces-publics'";
        animation.attendre(change);
        assert_ne!(animation.eval(constats), avant, "the findings updated");
        // The second browser follows live, without reloading.
        salle.attendre(change);
        assert_eq!(salle.eval(constats), animation.eval(constats));
        // Save a variant from the page, then load it with `collegia verifier`.
        animation.eval(
            "(() => { document.getElementById('nom-variante').value = 'Essai navigateur'; document.getElementById('f-enregistrer').requestSubmit(); return true; })()",
        );
        animation.attendre("document.body.dataset.variante !== undefined");
        let dossier = animation.eval("document.body.dataset.variante");
        let dossier = dossier.as_str().expect("folder");
        assert!(Path::new(dossier).starts_with(&sortie), "{dossier}");
        collegia()
            .args(["verifier", dossier])
            .assert()
            .success()
            .stdout(predicates::str::contains("Le scénario est valide."));
        if let Ok(capture) = std::env::var("COLLEGIA_CAPTURE") {
            std::fs::write(&capture, animation.png()).expect("writes the screenshot");
        }
        assert!(animation.erreurs().is_empty(), "{:?}", animation.erreurs());
        assert!(salle.erreurs().is_empty(), "{:?}", salle.erreurs());
    }

    #[test]
    #[ignore = "needs Chromium: run by .ci/run"]
    fn the_room_sees_the_front_and_the_facilitator_applies_a_point_from_the_page() {
        let dir = tempfile::tempdir().expect("tmp");
        let a = serveur_sur(
            "tests/fixtures/seminaire-front",
            &dir.path().join("seminaire"),
            |_| {},
        );
        let mut animation = ouvrir(&format!("http://{a}/#jeton={JETON}"));
        let mut salle = ouvrir(&format!("http://{a}/"));
        let pret = "document.body.dataset.version === '0' && document.querySelectorAll('#constats li').length > 0";
        animation.attendre(pret);
        salle.attendre(pret);
        // Everyone may ask for the front; it shows as a table of at least two points.
        let rangees = "document.querySelectorAll('#front-points tr').length >= 2 && !document.getElementById('s-front').hidden";
        for n in [&mut animation, &mut salle] {
            assert_eq!(
                n.eval("document.getElementById('b-front').offsetParent !== null"),
                Value::Bool(true)
            );
            n.eval("document.getElementById('b-front').click(), true");
            n.attendre(rangees);
        }
        // Only the facilitator sees the « Appliquer » buttons.
        let boutons = "Array.from(document.querySelectorAll('#front-points button')).filter(b => b.offsetParent !== null).length";
        assert_eq!(salle.eval(boutons), Value::from(0));
        assert_eq!(
            animation.eval(boutons),
            animation.eval("document.querySelectorAll('#front-points tr').length")
        );
        // Readable at 1 024 × 768: nothing wider than the window.
        assert_eq!(
            animation.eval("document.documentElement.scrollWidth <= 1024"),
            Value::Bool(true)
        );
        if let Ok(capture) = std::env::var("COLLEGIA_CAPTURE_FRONT") {
            std::fs::write(&capture, animation.png()).expect("writes the screenshot");
        }
        animation.eval(
            "document.querySelector('#front-points tr[data-point=\"2\"] button').click(), true",
        );
        let applique = "document.body.dataset.version === '1'";
        animation.attendre(applique);
        salle.attendre(applique);
        // The table is now the previous state's: said so, and its points cannot be applied.
        for n in [&mut animation, &mut salle] {
            n.attendre(r#"document.getElementById('front-aide').textContent.startsWith("L'état a changé")"#);
        }
        assert_eq!(
            animation.eval("Array.from(document.querySelectorAll('#front-points button')).every(b => b.disabled)"),
            Value::Bool(true)
        );
        let journal =
            animation.eval("fetch('/api/journal').then(r => r.json()).then(j => j[0].description)");
        assert!(
            journal
                .as_str()
                .is_some_and(|d| d.starts_with("point 2 du front appliqué : ")),
            "{journal}"
        );
        assert!(animation.erreurs().is_empty(), "{:?}", animation.erreurs());
        assert!(salle.erreurs().is_empty(), "{:?}", salle.erreurs());
    }
}
