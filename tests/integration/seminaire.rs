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
    // Each event announces a state by its séance and revision; the state itself is read
    // from `GET /api/etat` (gzipped once per state, not sent whole to every follower).
    assert_eq!(donnees[0]["version"], 0);
    assert_eq!(donnees[1]["version"], 1);
    assert_eq!(donnees[0]["seance"], donnees[1]["seance"]);
    assert!(donnees[1]["revision"].as_u64() > donnees[0]["revision"].as_u64());
    let (_, e) = requete(a, "GET", "/api/etat", None, "");
    let e = json(&e);
    assert_eq!(e["revision"], donnees[1]["revision"]);
    assert_eq!(pilotes(&e, "DIR-PROPRETE"), ["E14"]);
}

/// One raw HTTP/1.1 exchange (the request as given); returns everything the server sent
/// before closing. Panics when the server keeps the connection open past the client's own
/// 60 s guard: the server must close it.
fn brut(a: SocketAddr, requete: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(a).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    s.write_all(requete).expect("sends");
    let mut r = Vec::new();
    match s.read_to_end(&mut r) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the server did not close the connection: {e}"),
    }
    r
}

fn statut(r: &[u8]) -> u16 {
    String::from_utf8_lossy(r)
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Issue 25 item 6: a forged `Host` (DNS rebinding) or a foreign `Origin` is refused; the
/// loopback, `localhost` and a name given with `--hote` are answered.
#[test]
fn a_forged_host_or_origin_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |c| {
        c.hotes = vec!["salle-du-conseil.local".into()];
    });
    let p = a.port();
    let get = |hote: &str, origine: Option<&str>| {
        let o = origine
            .map(|o| format!("Origin: {o}\r\n"))
            .unwrap_or_default();
        brut(
            a,
            format!("GET /api/etat HTTP/1.1\r\nHost: {hote}\r\n{o}Connection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    for h in [
        format!("127.0.0.1:{p}"),
        format!("localhost:{p}"),
        "Salle-du-Conseil.local".to_string(),
    ] {
        assert_eq!(statut(&get(&h, None)), 200, "{h}");
    }
    assert_eq!(
        statut(&get("localhost", Some(&format!("http://127.0.0.1:{p}")))),
        200
    );
    for (h, o) in [
        ("evil.example", None),
        ("192.0.2.7", None),
        ("localhost.evil.example", None),
        ("localhost", Some("http://evil.example")),
        ("localhost", Some("null")),
    ] {
        let r = get(h, o);
        assert_eq!(statut(&r), 403, "{h} {o:?}");
        let corps = String::from_utf8_lossy(&r);
        assert!(corps.contains("S025"), "{corps}");
    }
    // Editing is refused the same way, before the token is even looked at.
    let r = brut(
        a,
        format!("POST /api/annuler HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer {JETON}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(statut(&r), 403);
}

/// A request whose headers, or whose body, stop half-way is closed by the server after its
/// read timeout (set short here): the connection ends, whatever the time it took.
#[test]
fn a_half_sent_request_is_closed() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |c| {
        c.delai_lecture = Duration::from_millis(300);
    });
    // Headers never finished: the server closes without answering.
    let r = brut(a, b"GET /api/etat HTTP/1.1\r\nHost: localhost\r\n");
    assert!(
        r.is_empty() || statut(&r) == 408,
        "{}",
        String::from_utf8_lossy(&r)
    );
    // A body shorter than announced: refused, and the connection closed.
    let r = brut(
        a,
        format!("POST /api/modifications HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {JETON}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{{\"type\"").as_bytes(),
    );
    assert!(
        r.is_empty() || statut(&r) >= 400,
        "{}",
        String::from_utf8_lossy(&r)
    );
    // Many half-sent requests at once do not stop the server for the room.
    let bloques: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = TcpStream::connect(a).expect("connects");
            s.write_all(b"GET / HTTP/1.1\r\nHost: local")
                .expect("sends");
            s
        })
        .collect();
    let (st, _) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(st, 200);
    for mut s in bloques {
        s.set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let mut r = Vec::new();
        if let Err(e) = s.read_to_end(&mut r) {
            assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}");
        }
    }
    // The edit was not applied.
    let (_, e) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(json(&e)["version"], 0);
}

/// One client address cannot take every follower slot.
#[test]
fn followers_are_bounded_per_client() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |c| {
        c.max_suiveurs_par_client = 2;
    });
    let ouvrir = || {
        let mut s = TcpStream::connect(a).expect("connects");
        s.set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        write!(
            s,
            "GET /api/evenements HTTP/1.1\r\nHost: {a}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("sends");
        let mut l = BufReader::new(s);
        let mut ligne = String::new();
        l.read_line(&mut ligne).expect("status line");
        (ligne, l)
    };
    let (l1, _f1) = ouvrir();
    let (l2, _f2) = ouvrir();
    let (l3, _f3) = ouvrir();
    assert!(l1.contains(" 200 ") && l2.contains(" 200 "), "{l1}{l2}");
    assert!(l3.contains(" 429 "), "{l3}");
    drop((_f1, _f2));
    // Slots are given back when a follower leaves.
    let mut essais = 0;
    loop {
        let (l4, _f4) = ouvrir();
        if l4.contains(" 200 ") {
            break;
        }
        essais += 1;
        assert!(essais < 100, "{l4}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The state is gzipped for a client that accepts it, and is the same JSON.
#[test]
fn the_state_is_compressed() {
    use flate2::read::GzDecoder;
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |_| {});
    let r = brut(
        a,
        b"GET /api/etat HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n",
    );
    let fin = r
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let entetes = String::from_utf8_lossy(&r[..fin]).to_ascii_lowercase();
    assert!(entetes.contains("content-encoding: gzip"), "{entetes}");
    let mut texte = String::new();
    GzDecoder::new(&r[fin + 4..])
        .read_to_string(&mut texte)
        .expect("gzip");
    let (_, clair) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(json(&texte), json(&clair));
    assert!(r.len() - fin < clair.len() / 3, "compressed");
    // The page and its script too (tower-http's layer).
    let r = brut(
        a,
        b"GET /seminaire.js HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    );
    assert!(
        String::from_utf8_lossy(&r)
            .to_ascii_lowercase()
            .contains("content-encoding: gzip")
    );
}

/// Issue 31 item 3: each finding of the state carries its guide link, and the séminaire serves
/// that page of the guide (offline) with the code's anchor; only the guide's own pages, behind
/// the same Host check and compression as the rest.
#[test]
fn each_finding_links_to_its_guide_entry_served_by_the_seminaire() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur(&dir.path().join("seminaire"), |_| {});
    let (_, corps) = requete(a, "GET", "/api/etat", None, "");
    let e = json(&corps);
    let constats = e["constats"].as_array().expect("constats");
    assert!(!constats.is_empty());
    let mut vus = std::collections::BTreeSet::new();
    for c in constats {
        let code = c["code"].as_str().expect("code");
        let lien = c["guide"].as_str().expect("guide link");
        if !vus.insert(lien.to_string()) {
            continue;
        }
        let (chemin, ancre) = lien.split_once('#').expect("an anchor");
        assert_eq!(ancre, code, "{lien}");
        let nom = chemin
            .strip_prefix("guide/")
            .and_then(|f| f.strip_suffix(".html"))
            .expect("guide/<page>.html");
        // The Markdown source of that page (read here from the repository) holds the anchor.
        let md = std::fs::read_to_string(root().join(format!("docs/guide/{nom}.md")))
            .expect("the page's Markdown");
        assert!(
            md.contains(&format!("id=\"{code}\"")),
            "{nom}.md lacks {code}"
        );
        let titre = md
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .expect("a title");
        let (st, html) = requete(a, "GET", &format!("/{chemin}"), None, "");
        assert_eq!(st, 200, "{lien}");
        assert!(
            html.contains(&format!("id=\"{code}\"")),
            "{lien}: no anchor"
        );
        assert!(
            html.contains(&format!("<title>{titre}")),
            "{lien}: another page"
        );
    }
    assert!(vus.iter().any(|l| l.starts_with("guide/constats.html#D")));
    // The page builds each code's link from that field.
    let (_, js) = requete(a, "GET", "/seminaire.js", None, "");
    assert!(js.contains("c.guide"));
    // Only the guide's pages: anything else is a French 404.
    for chemin in [
        "/guide/inconnue.html",
        "/guide/constats.md",
        "/guide/constats",
        "/guide/..%2FCargo.toml",
        "/guide/",
    ] {
        let (st, corps) = requete(a, "GET", chemin, None, "");
        assert_eq!(st, 404, "{chemin}");
        let j = json(&corps);
        assert_eq!(j["code"], "S022", "{chemin}");
        assert!(j["message"].as_str().expect("message").contains("inconnue"));
    }
    // Same Host check and compression as every other route.
    let r = brut(
        a,
        b"GET /guide/constats.html HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(statut(&r), 403);
    let r = brut(
        a,
        b"GET /guide/constats.html HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    );
    let fin = r
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let entetes = String::from_utf8_lossy(&r[..fin]).to_ascii_lowercase();
    assert!(entetes.contains("content-encoding: gzip"), "{entetes}");
    // Its inline style is allowed there, and nothing else loads.
    assert!(
        entetes.contains("content-security-policy: default-src 'none'; style-src 'unsafe-inline'"),
        "{entetes}"
    );
    // The compte rendu, a self-contained page with its style inline, keeps its layout in the
    // browser under the same policy (the page's own policy forbids inline style).
    let r = brut(
        a,
        b"GET /api/compte-rendu.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    let texte = String::from_utf8_lossy(&r).to_string();
    let (entetes, corps) = texte.split_once("\r\n\r\n").expect("headers end");
    assert!(entetes.starts_with("HTTP/1.1 200"), "{entetes}");
    assert!(
        corps.contains("<style"),
        "the compte rendu's style is inline"
    );
    assert!(
        entetes
            .to_ascii_lowercase()
            .contains("content-security-policy: default-src 'none'; style-src 'unsafe-inline'"),
        "{entetes}"
    );
}

/// The command, as a facilitator runs it: prints the address and the token.
struct Lance {
    enfant: std::process::Child,
    adresse: SocketAddr,
    jeton: String,
    sortie: String,
}

fn lancer(scenario: &Path, sortie: &Path, plus: &[&str]) -> Lance {
    let mut enfant = std::process::Command::new(assert_cmd::cargo::cargo_bin("collegia"))
        .args(["seminaire", scenario.to_str().expect("utf-8"), "--sortie"])
        .arg(sortie)
        .args(if plus.contains(&"--port") {
            &[][..]
        } else {
            &["--port", "0"][..]
        })
        .args(plus)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let mut lignes = BufReader::new(enfant.stdout.take().expect("stdout"));
    let (mut adresse, mut jeton, mut sortie_lue) = (None, None, String::new());
    let mut ligne = String::new();
    while adresse.is_none() || jeton.is_none() {
        ligne.clear();
        if lignes.read_line(&mut ligne).expect("reads") == 0 {
            let mut e = String::new();
            let _ = enfant.stderr.take().expect("stderr").read_to_string(&mut e);
            panic!("the server stopped: {sortie_lue}{e}");
        }
        sortie_lue.push_str(&ligne);
        if let Some(u) = ligne.trim().strip_prefix("Séminaire ouvert : http://") {
            adresse = u.trim_end_matches('/').parse().ok();
        }
        if let Some(j) = ligne.trim().strip_prefix("jeton : ") {
            jeton = Some(j.to_string());
        }
    }
    // Keep reading what the server prints (a closed pipe would stop it at its next line).
    std::thread::spawn(move || {
        let mut reste = String::new();
        let _ = lignes.read_to_string(&mut reste);
    });
    Lance {
        enfant,
        adresse: adresse.expect("address"),
        jeton: jeton.expect("token"),
        sortie: sortie_lue,
    }
}

/// Issue 25 « done when »: a séance of ten changes on the example survives a `kill -9` of the
/// server and comes back whole, with undo; the facilitator's token still works.
#[test]
fn a_seance_survives_kill_9_with_its_undo_history() {
    let dir = tempfile::tempdir().expect("tmp");
    let sortie = dir.path().join("seminaire");
    let exemple = root().join("data/exemple");
    let mut l = lancer(&exemple, &sortie, &[]);
    assert!(l.sortie.contains("Nouvelle séance"), "{}", l.sortie);
    let changements: Vec<String> = (0..9)
        .map(|k| {
            format!(
                r#"{{"type": "politique_indemnites", "alpha": {}}}"#,
                0.3 + 0.05 * k as f64
            )
        })
        .chain([DEPLACER.to_string()])
        .collect();
    let mut etats = vec![json(&requete(l.adresse, "GET", "/api/etat", None, "").1)];
    for c in &changements {
        let (st, r) = requete(l.adresse, "POST", "/api/modifications", Some(&l.jeton), c);
        assert_eq!(st, 200, "{r}");
        etats.push(json(&r));
    }
    let (_, avant) = requete(l.adresse, "GET", "/api/etat", None, "");
    let (_, journal_avant) = requete(l.adresse, "GET", "/api/journal", None, "");
    let jeton = l.jeton.clone();
    l.enfant.kill().expect("kill -9");
    let _ = l.enfant.wait();
    let mut r = lancer(&exemple, &sortie, &[]);
    assert!(
        r.sortie.contains("Séance reprise : 10 événement(s)"),
        "{}",
        r.sortie
    );
    assert_eq!(
        r.jeton, jeton,
        "the facilitator's token is kept with the séance"
    );
    let (_, apres) = requete(r.adresse, "GET", "/api/etat", None, "");
    let sans_duree = |e: &str| {
        let mut v = json(e);
        v["duree_ms"] = serde_json::Value::Null;
        v
    };
    assert_eq!(sans_duree(&apres), sans_duree(&avant));
    let (_, journal_apres) = requete(r.adresse, "GET", "/api/journal", None, "");
    assert_eq!(json(&journal_apres), json(&journal_avant));
    // Undo goes back through every state, down to the input.
    for attendu in etats.iter().rev().skip(1) {
        let (st, e) = requete(r.adresse, "POST", "/api/annuler", Some(&r.jeton), "");
        assert_eq!(st, 200, "{e}");
        let e = json(&e);
        assert_eq!(e["delegations"], attendu["delegations"]);
        assert_eq!(e["indemnites"], attendu["indemnites"]);
        assert_eq!(e["version"], attendu["version"]);
    }
    let (st, _) = requete(r.adresse, "POST", "/api/annuler", Some(&r.jeton), "");
    assert_eq!(st, 409);
    let _ = r.enfant.kill();
    let _ = r.enfant.wait();
    // `--nouvelle` starts from the input again, a new séance with a new id.
    let mut n = lancer(&exemple, &sortie, &["--nouvelle"]);
    assert!(
        n.sortie.contains("Séance précédente conservée dans"),
        "{}",
        n.sortie
    );
    let (_, e) = requete(n.adresse, "GET", "/api/etat", None, "");
    let e = json(&e);
    assert_eq!(e["version"], 0);
    assert_ne!(e["seance"], json(&avant)["seance"]);
    let _ = n.enfant.kill();
    let _ = n.enfant.wait();
}

/// A workbook is accepted as the séminaire's scenario, as by every other read command.
#[test]
fn a_workbook_is_accepted_as_the_scenario() {
    let dir = tempfile::tempdir().expect("tmp");
    let xlsx = dir.path().join("exemple.xlsx");
    collegia()
        .args(["classeur", "data/exemple"])
        .arg(&xlsx)
        .assert()
        .success();
    let mut l = lancer(&xlsx, &dir.path().join("seminaire"), &[]);
    let (st, r) = requete(
        l.adresse,
        "POST",
        "/api/modifications",
        Some(&l.jeton),
        DEPLACER,
    );
    assert_eq!(st, 200, "{r}");
    let _ = l.enfant.kill();
    let _ = l.enfant.wait();
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

/// Issue 29 item 4 through the API: the path of the input's `[reorganisation]` is open to the
/// room, a stage applies like a point of the front (token required, S034 outside the path),
/// and the path then says which stage is applied; a scenario without the table says so in its
/// state.
#[test]
fn a_stage_of_the_reorganisation_applies_through_the_api() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = serveur_sur(
        "tests/fixtures/seminaire-reorganisation",
        &dir.path().join("seminaire"),
        |_| {},
    );
    let (_, e) = requete(a, "GET", "/api/etat", None, "");
    assert_eq!(json(&e)["reorganisation"], true);
    let (st, c) = requete(a, "GET", "/api/reorganisation", None, "");
    assert_eq!(st, 200, "{c}");
    let c = json(&c);
    let etapes = c["etapes"].as_array().expect("stages");
    assert_eq!(etapes.len(), 1);
    assert_eq!(c["statut"], "optimal (prouvé)");
    for e in etapes {
        assert!(e["agents"].as_f64().expect("agents") <= 60.0 + 1e-9);
        assert_eq!(e["appliquee"], false);
    }
    // The report's charts of the path, for the page.
    let (st, svg) = requete(a, "GET", "/api/reorganisation/calendrier.svg", None, "");
    assert_eq!(st, 200);
    assert!(svg.starts_with("<svg") && svg.contains("plafond : 60 par étape"));
    let (st, svg) = requete(a, "GET", "/api/reorganisation/flux.svg", None, "");
    assert_eq!(st, 200);
    assert!(svg.starts_with("<svg") && svg.contains("reste sous la DGA"));
    let (st, r) = requete(a, "GET", "/api/reorganisation/autre.svg", None, "");
    assert_eq!(st, 404);
    assert_eq!(json(&r)["code"], "S022");
    let un = r#"{"type": "appliquer_etape_reorganisation", "etape": 1}"#;
    let (st, r) = requete(a, "POST", "/api/modifications", None, un);
    assert_eq!(st, 401, "{r}");
    for (chemin, corps) in [
        (
            "/api/modifications",
            r#"{"type": "appliquer_etape_reorganisation", "etape": 2}"#,
        ),
        ("/api/apercu?etape=2", ""),
    ] {
        let m = if corps.is_empty() { "GET" } else { "POST" };
        let (st, r) = requete(a, m, chemin, Some(JETON), corps);
        assert_eq!(st, 400, "{chemin}: {r}");
        assert_eq!(json(&r)["code"], "S034");
    }
    let (st, r) = requete(a, "GET", "/api/apercu?etape=1", None, "");
    assert_eq!(st, 200, "{r}");
    let apercu = json(&r);
    let description = apercu["description"]
        .as_str()
        .expect("description")
        .to_string();
    assert!(
        description.starts_with("appliquer l'étape 1 de la réorganisation (01/10/2026) : "),
        "{description}"
    );
    let (st, r) = requete(a, "POST", "/api/modifications", Some(JETON), un);
    assert_eq!(st, 200, "{r}");
    assert_eq!(json(&r)["version"], 1);
    let (_, j) = requete(a, "GET", "/api/journal", None, "");
    assert_eq!(json(&j)[0]["description"], description.as_str());
    assert_eq!(
        json(&j)[0]["effet"]["mouvements"],
        apercu["effet"]["mouvements"]
    );
    let (_, c) = requete(a, "GET", "/api/reorganisation", None, "");
    let c = json(&c);
    assert_eq!(c["etapes"][0]["appliquee"], true);
    // The example has no [reorganisation] table: the page does not show the path unasked.
    let b = serveur(&dir.path().join("autre"), |_| {});
    let (_, e) = requete(b, "GET", "/api/etat", None, "");
    assert_eq!(json(&e)["reorganisation"], false);
}

/// A council whose `elus.csv` names no group (an RNE import, tests/fixtures/droit-marseille-2020):
/// the séminaire forms one group per adjoint·e who may lead one, as `optimiser` does, says so in
/// the terminal, and the optimiser's proposal then exists. Before, the room's « Proposition de
/// l'optimiseur » answered that the model had no plan.
#[test]
fn a_council_without_groups_gets_implicit_groups_in_the_room() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut l = lancer(
        &root().join("tests/fixtures/droit-marseille-2020"),
        &dir.path().join("seminaire"),
        &[],
    );
    let a = l.adresse;
    let (st, corps) = requete(a, "GET", "/api/etat", None, "");
    let (st_apercu, apercu) = requete(a, "GET", "/api/apercu", None, "");
    let _ = l.enfant.kill();
    let sortie = l.sortie.clone();
    assert_eq!(st, 200, "{corps}");
    assert_eq!(st_apercu, 200, "{apercu}");
    assert!(
        json(&apercu)["description"]
            .as_str()
            .expect("description")
            .starts_with("proposition de l'optimiseur"),
        "{apercu}"
    );
    assert!(sortie.contains("Aucun groupe dans elus.csv"), "{sortie}");
    let groupes = json(&corps)["groupes"].as_array().expect("groupes").len();
    assert_eq!(groupes, 30, "{corps}");
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
    fn a_facilitator_and_two_followers_follow_a_change_made_in_the_page_and_the_variant_loads() {
        let dir = tempfile::tempdir().expect("tmp");
        let sortie = dir.path().join("seminaire");
        let a = serveur(&sortie, |_| {});
        let mut animation = ouvrir(&format!("http://{a}/#jeton={JETON}"));
        let mut salle = ouvrir(&format!("http://{a}/"));
        let mut salle2 = ouvrir(&format!("http://{a}/"));
        let pret = "document.body.dataset.version === '0' && document.querySelectorAll('#constats li').length > 0";
        for n in [&mut animation, &mut salle, &mut salle2] {
            n.attendre(pret);
        }
        // The room reads; only the facilitator sees the editing controls.
        assert_eq!(
            salle.eval("document.getElementById('outils').hidden"),
            Value::Bool(true)
        );
        assert_eq!(
            animation.eval("document.getElementById('outils').hidden"),
            Value::Bool(false)
        );
        // The organigramme is drawn as boxes, each with its TOTAL staff (its subtree's).
        let total = animation
            .eval("document.querySelector('.boite[data-noeud=\"DIR-PROPRETE\"] .etp').textContent");
        let etat = json(&requete(a, "GET", "/api/etat", None, "").1);
        // The subtree's staff, summed here from the parent links of the state.
        let noeuds = etat["organigramme"].as_array().expect("nodes");
        let mut dedans = vec!["DIR-PROPRETE".to_string()];
        let mut k = 0;
        while k < dedans.len() {
            let p = dedans[k].clone();
            dedans.extend(
                noeuds
                    .iter()
                    .filter(|n| n["parent"] == p.as_str())
                    .map(|n| n["id"].as_str().unwrap_or("").to_string()),
            );
            k += 1;
        }
        let somme: f64 = noeuds
            .iter()
            .filter(|n| dedans.iter().any(|d| n["id"] == d.as_str()))
            .map(|n| n["effectif"].as_f64().unwrap_or(0.0))
            .sum();
        let attendu = format!("{} ETP au total", collegia::format::nombre(somme, 1));
        assert_eq!(
            total.as_str().map(|t| t.replace('\u{202f}', " ")),
            Some(attendu.replace('\u{202f}', " ")),
            "{total}"
        );
        let constats = "Array.from(document.querySelectorAll('#constats li')).map(l => l.textContent).join('\\n')";
        let avant = animation.eval(constats);
        // Select the box with the keyboard, choose G09 in « confier à… », press the arrow keys
        // on the menu: nothing is reassigned until the button confirms.
        animation
            .eval("document.querySelector('.boite[data-noeud=\"DIR-PROPRETE\"]').focus(), true");
        animation.appel(
            "Input.dispatchKeyEvent",
            j!({"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}),
        );
        animation.appel(
            "Input.dispatchKeyEvent",
            j!({"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}),
        );
        animation.attendre("!document.getElementById('details').hidden && document.getElementById('confier-groupe') !== null");
        animation.eval("document.getElementById('confier-groupe').focus(), true");
        for _ in 0..3 {
            animation.appel("Input.dispatchKeyEvent", j!({"type": "keyDown", "key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40}));
            animation.appel("Input.dispatchKeyEvent", j!({"type": "keyUp", "key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40}));
        }
        std::thread::sleep(Duration::from_millis(500));
        let (_, e) = requete(a, "GET", "/api/etat", None, "");
        assert_eq!(json(&e)["version"], 0, "arrow keys changed nothing");
        animation.eval("(() => { const s = document.getElementById('confier-groupe'); s.value = 'G09-espaces-publics'; document.getElementById('b-confier').focus(); document.getElementById('b-confier').click(); return true; })()");
        let change = "document.body.dataset.version === '1' && document.querySelector('.boite[data-noeud=\"DIR-PROPRETE\"] .porteur').textContent === 'groupe G09-espaces-publics'";
        animation.attendre(change);
        assert_ne!(animation.eval(constats), avant, "the findings updated");
        // Focus and the open details survive the update.
        assert_eq!(
            animation.eval("document.activeElement && document.activeElement.dataset.cle"),
            Value::from("confier")
        );
        // The followers follow live, without reloading, and each state renders once.
        for n in [&mut salle, &mut salle2] {
            n.attendre(change);
            assert_eq!(n.eval(constats), animation.eval(constats));
        }
        // « Dernière modification » at the top of every page: what moved, in words.
        let panneau = "document.getElementById('derniere-mouvements').textContent";
        for n in [&mut animation, &mut salle, &mut salle2] {
            n.attendre("document.getElementById('derniere-mouvements').textContent.includes('(DIR-PROPRETE)')");
            let t = n.eval(panneau);
            assert!(
                t.as_str()
                    .is_some_and(|t| t.contains("G09-espaces-publics")),
                "{t}"
            );
            assert_eq!(
                n.eval("document.body.dataset.rendus"),
                Value::from("2"),
                "each state rendered once"
            );
        }
        // A decision note, carried to every page and into the compte rendu.
        animation.eval("(() => { document.getElementById('note').value = 'Arbitrage : la propreté va à G09.'; document.getElementById('f-note').requestSubmit(); return true; })()");
        for n in [&mut animation, &mut salle] {
            n.attendre("document.getElementById('derniere-note').textContent === 'Décision : Arbitrage : la propreté va à G09.'");
        }
        let (_, cr) = requete(a, "GET", "/api/compte-rendu.md", None, "");
        assert!(
            cr.contains("Décision : Arbitrage : la propreté va à G09."),
            "{cr}"
        );
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
        // Undo, then compare the current state with the saved variant, in the page.
        animation.eval("document.getElementById('b-annuler').click(), true");
        animation.attendre("document.body.dataset.version === '0'");
        animation.attendre("Array.from(document.getElementById('variante-choix').options).some(o => o.value === 'essai-navigateur')");
        animation.eval("(() => { document.getElementById('variante-choix').value = 'essai-navigateur'; document.getElementById('b-comparer').click(); return true; })()");
        animation.attendre("Array.from(document.querySelectorAll('#comparaison td')).some(td => td.textContent === 'DIR-PROPRETE')");
        assert_eq!(
            animation.eval("Array.from(document.querySelectorAll('#comparaison th')).map(t => t.textContent).slice(0, 3).join('|')"),
            Value::from("indicateur|état actuel|essai-navigateur")
        );
        animation.eval("window.scrollTo(0, 0), document.activeElement.blur(), true");
        if let Ok(capture) = std::env::var("COLLEGIA_CAPTURE") {
            std::fs::write(&capture, animation.png()).expect("writes the screenshot");
        }
        for n in [&animation, &salle, &salle2] {
            assert!(n.erreurs().is_empty(), "{:?}", n.erreurs());
        }
    }

    /// Projector mode at 1 024 × 768: no horizontal scroll, a header of at most 15 % of the
    /// height (a refusal included), type of 20 px at least, every finding without inner scroll.
    #[test]
    #[ignore = "needs Chromium: run by .ci/run"]
    fn the_projector_mode_is_readable_at_1024_by_768() {
        let dir = tempfile::tempdir().expect("tmp");
        let a = serveur(&dir.path().join("seminaire"), |_| {});
        let mut n = ouvrir(&format!("http://{a}/?projecteur#jeton={JETON}"));
        n.attendre("document.body.dataset.version === '0' && document.body.classList.contains('projecteur')");
        // A change, so that the panel is full, then a refusal in plain French.
        n.eval("(() => { document.querySelector('.boite[data-noeud=\"DIR-PROPRETE\"]').click(); document.getElementById('confier-groupe').value = 'G09-espaces-publics'; document.getElementById('b-confier').click(); return true; })()");
        n.attendre("document.body.dataset.version === '1'");
        n.eval("document.getElementById('b-retablir').disabled = false, document.getElementById('b-retablir').click(), true");
        n.attendre(
            "document.getElementById('message').textContent.startsWith('Refusé : rien à rétablir')",
        );
        assert_eq!(
            n.eval("document.documentElement.scrollWidth <= window.innerWidth"),
            Value::Bool(true),
            "no horizontal scroll"
        );
        let h = n.eval(
            "document.querySelector('header').getBoundingClientRect().height / window.innerHeight",
        );
        assert!(h.as_f64().is_some_and(|h| h <= 0.15), "header {h}");
        // Every visible text outside the charts: 20 px at least.
        let petits = n.eval(r#"(() => {
            const out = [];
            const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (w.nextNode()) {
                const t = w.currentNode;
                if (!t.textContent.trim()) continue;
                const e = t.parentElement;
                if (!e || e.closest('svg')) continue;
                if (!e.getClientRects().length || e.closest('[hidden]')) continue;
                const px = parseFloat(getComputedStyle(e).fontSize);
                if (px < 20) out.push(e.tagName + ' ' + px + ' ' + t.textContent.trim().slice(0, 30));
            }
            return out.slice(0, 10);
        })()"#);
        assert_eq!(petits, j!([]), "type under 20 px");
        // Findings: no inner scroll box, all of them laid out.
        assert_eq!(
            n.eval("(() => { const c = document.getElementById('constats'); return c.scrollHeight <= c.clientHeight + 1 && getComputedStyle(c).overflowY !== 'auto'; })()"),
            Value::Bool(true)
        );
        if let Ok(capture) = std::env::var("COLLEGIA_CAPTURE_PROJECTEUR") {
            std::fs::write(&capture, n.png()).expect("writes the screenshot");
        }
        // Printing keeps every finding and the organigramme.
        n.appel("Emulation.setEmulatedMedia", j!({"media": "print"}));
        assert_eq!(
            n.eval("(() => { const l = Array.from(document.querySelectorAll('#constats li')); return l.length > 0 && l.every(x => x.getClientRects().length > 0) && document.querySelector('.boite[data-noeud=\"DGS\"]').getClientRects().length > 0; })()"),
            Value::Bool(true)
        );
    }

    /// A restart in mid-séance: the pages reconnect; the facilitator's page keeps editing
    /// after a `kill -9` and a resume; a new séance (`--nouvelle`) makes the pages reload.
    #[test]
    #[ignore = "needs Chromium: run by .ci/run"]
    fn a_restart_in_mid_seance_keeps_the_pages_working() {
        let dir = tempfile::tempdir().expect("tmp");
        let sortie = dir.path().join("seminaire");
        let exemple = root().join("data/exemple");
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            l.local_addr().expect("address").port().to_string()
        };
        let mut l = lancer(&exemple, &sortie, &["--port", &port]);
        let mut animation = ouvrir(&format!("http://{}/#jeton={}", l.adresse, l.jeton));
        let mut salle = ouvrir(&format!("http://{}/", l.adresse));
        for n in [&mut animation, &mut salle] {
            n.attendre("document.body.dataset.version === '0'");
        }
        animation.eval(r#"fetch('/api/modifications', {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + sessionStorage.getItem('collegia-jeton')}, body: JSON.stringify({type: 'politique_indemnites', alpha: 0.4})}).then(r => r.status)"#);
        for n in [&mut animation, &mut salle] {
            n.attendre("document.body.dataset.version === '1'");
        }
        let seance = salle.eval("document.body.dataset.seance");
        l.enfant.kill().expect("kill -9");
        let _ = l.enfant.wait();
        let mut r = lancer(&exemple, &sortie, &["--port", &port]);
        // The facilitator's page edits again with the token it had: undo from the page.
        animation.attendre("document.getElementById('message').className !== 'erreur'");
        animation.eval("document.getElementById('b-annuler').click(), true");
        for n in [&mut animation, &mut salle] {
            n.attendre(
                "document.body.dataset.version === '0' && document.body.dataset.revision === '2'",
            );
            assert_eq!(n.eval("document.body.dataset.seance"), seance);
        }
        r.enfant.kill().expect("kill -9");
        let _ = r.enfant.wait();
        let mut nouvelle = lancer(&exemple, &sortie, &["--port", &port, "--nouvelle"]);
        for n in [&mut animation, &mut salle] {
            n.attendre(&format!(
                "document.body.dataset.seance !== undefined && document.body.dataset.seance !== {seance} && document.body.dataset.revision === '0'"
            ));
        }
        let _ = nouvelle.enfant.kill();
        let _ = nouvelle.enfant.wait();
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
        let boutons = "Array.from(document.querySelectorAll('#front-points button.animation')).filter(b => b.offsetParent !== null).length";
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
            "document.querySelector('#front-points tr[data-point=\"2\"] button.animation').click(), true",
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

    #[test]
    #[ignore = "needs Chromium: run by .ci/run"]
    fn the_room_sees_the_reorganisation_and_the_facilitator_applies_a_stage() {
        let dir = tempfile::tempdir().expect("tmp");
        let a = serveur_sur(
            "tests/fixtures/seminaire-reorganisation",
            &dir.path().join("seminaire"),
            |_| {},
        );
        let mut animation = ouvrir(&format!("http://{a}/#jeton={JETON}"));
        let mut salle = ouvrir(&format!("http://{a}/"));
        // The input has a [reorganisation] table: the path shows without being asked.
        let chemin = "!document.getElementById('s-reorganisation').hidden && document.querySelectorAll('#reorganisation-etapes > li').length === 1";
        animation.attendre(chemin);
        salle.attendre(chemin);
        // The timeline and the flow, drawn by the report's charts, load as images.
        let images = "['reorganisation-calendrier', 'reorganisation-flux'].every(id => { const i = document.getElementById(id); return !i.hidden && i.complete && i.naturalWidth === 1000; })";
        animation.attendre(images);
        salle.attendre(images);
        let boutons = "Array.from(document.querySelectorAll('#reorganisation-etapes button.animation')).filter(b => b.offsetParent !== null).length";
        assert_eq!(salle.eval(boutons), Value::from(0));
        assert_eq!(animation.eval(boutons), Value::from(1));
        assert_eq!(
            animation.eval("document.documentElement.scrollWidth <= 1024"),
            Value::Bool(true)
        );
        if let Ok(capture) = std::env::var("COLLEGIA_CAPTURE_REORGANISATION") {
            std::fs::write(&capture, animation.png()).expect("writes the screenshot");
        }
        animation.eval(
            "document.querySelector('#reorganisation-etapes li[data-etape=\"1\"] button.animation').click(), true",
        );
        let applique = "document.body.dataset.version === '1'";
        animation.attendre(applique);
        salle.attendre(applique);
        // Both pages ask for the path again: stage 1 is marked applied.
        let marquee = "document.querySelector('#reorganisation-etapes li[data-etape=\"1\"]').className === 'appliquee'";
        animation.attendre(marquee);
        salle.attendre(marquee);
        let journal =
            animation.eval("fetch('/api/journal').then(r => r.json()).then(j => j[0].description)");
        assert!(
            journal
                .as_str()
                .is_some_and(|d| d.starts_with("appliquer l'étape 1 de la réorganisation")),
            "{journal}"
        );
        assert!(animation.erreurs().is_empty(), "{:?}", animation.erreurs());
        assert!(salle.erreurs().is_empty(), "{:?}", salle.erreurs());
    }
}

/// The room's address: `null` when the server listens on this machine only (the page then hides
/// its « Rejoindre (QR) » button; no QR drawing), else given as JSON and drawn as an SVG QR code.
#[test]
fn the_room_address_is_served_as_a_qr_code_only_when_there_is_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = serveur(&tmp.path().join("seul"), |_| {});
    let (statut, corps) = requete(a, "GET", "/api/salle", None, "");
    assert_eq!((statut, json(&corps)["adresse"].is_null()), (200, true));
    assert_eq!(requete(a, "GET", "/salle.svg", None, "").0, 404);
    let url = "http://192.168.1.20:8080/";
    let a = serveur(&tmp.path().join("salle"), |c| c.salle = Some(url.into()));
    let (statut, corps) = requete(a, "GET", "/api/salle", None, "");
    assert_eq!(statut, 200);
    assert_eq!(json(&corps)["adresse"], url);
    let (statut, svg) = requete(a, "GET", "/salle.svg", None, "");
    assert_eq!(statut, 200);
    assert!(svg.contains("<svg") && svg.contains("</svg>"), "{svg}");
    // The same address gives the same drawing; another address another one.
    let b = serveur(&tmp.path().join("autre"), |c| {
        c.salle = Some("http://10.0.0.7:8080/".into())
    });
    assert_eq!(requete(a, "GET", "/salle.svg", None, "").1, svg);
    assert_ne!(requete(b, "GET", "/salle.svg", None, "").1, svg);
}
