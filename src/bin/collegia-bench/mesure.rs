//! Measures of the séminaire for the benchmark (`collegia-bench --seminaire`; a module of the
//! benchmark, not of the library): the latency of one
//! change on the example (the whole pipeline), and a load test on loopback: `suiveurs` browsers
//! following the live events while the facilitator makes `changements` changes through the API.
//!
//! In: the example scenario folder. Out: a Markdown table of latency percentiles. Loopback only,
//! every loop bounded (a follower gives up after 60 s).

use collegia::seminaire::serveur::{Config, Partage, demarrer_en_arriere_plan};
use collegia::seminaire::{Modification, Session};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Units and groups the load test moves: the directions of the scenario and its groups that
/// have a chef·fe de file (so that any city works, the example or a generated one).
struct Cibles {
    unites: Vec<String>,
    groupes: Vec<String>,
}

impl Cibles {
    fn de(s: &collegia::model::Scenario) -> Result<Cibles, String> {
        let unites: Vec<String> = s
            .organigramme
            .noeuds
            .iter()
            .filter(|n| n.niveau == collegia::model::Niveau::Direction)
            .map(|n| n.id.clone())
            .collect();
        let groupes: Vec<String> = s
            .groupes_detail()
            .into_iter()
            .filter(|g| g.chef.is_some())
            .map(|g| g.id)
            .collect();
        if unites.is_empty() || groupes.is_empty() {
            return Err(
                "il faut au moins une direction et un groupe avec un·e chef·fe de file".into(),
            );
        }
        Ok(Cibles { unites, groupes })
    }
}

/// The `i`-th change of the load test: a unit moved, then policies, in turn.
fn changement(c: &Cibles, i: usize) -> Modification {
    match i % 3 {
        0 => Modification::DeplacerUnite {
            unite: c.unites[(i / 3) % c.unites.len()].clone(),
            groupe: c.groupes[(i / 3 + i / 7) % c.groupes.len()].clone(),
        },
        1 => Modification::PolitiqueIndemnites {
            alpha: Some(0.3 + 0.1 * (i % 5) as f64),
            plancher: None,
            ratio_max: None,
            politique: None,
        },
        _ => Modification::PolitiqueIndemnites {
            alpha: None,
            plancher: Some(8.0 + (i % 4) as f64),
            ratio_max: None,
            politique: None,
        },
    }
}

fn centile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let k = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
    v[k.min(v.len() - 1)]
}

fn ligne(nom: &str, v: &[f64]) -> String {
    format!(
        "| {nom} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
        v.len(),
        centile(v, 50.0),
        centile(v, 90.0),
        centile(v, 95.0),
        centile(v, 99.0),
        centile(v, 100.0)
    )
}

/// Resident memory of this process, in MiB (Linux; `None` elsewhere).
fn memoire_mio() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let l = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kio: f64 = l.split_whitespace().nth(1)?.parse().ok()?;
    Some(kio / 1024.0)
}

/// One GET on loopback; returns the body's bytes as sent (gzipped when `gzip`).
fn lire_corps(a: SocketAddr, chemin: &str, gzip: bool) -> Result<usize, String> {
    let mut s = TcpStream::connect(a).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let enc = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    write!(
        s,
        "GET {chemin} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n{enc}\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut r = Vec::new();
    s.read_to_end(&mut r).map_err(|e| e.to_string())?;
    let fin = r
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("réponse illisible")?;
    Ok(r.len() - fin - 4)
}

/// One POST on loopback; returns the status.
fn poster(a: SocketAddr, chemin: &str, jeton: &str, corps: &str) -> Result<u16, String> {
    let mut s = TcpStream::connect(a).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    write!(
        s,
        "POST {chemin} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nAuthorization: Bearer {jeton}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{corps}",
        corps.len()
    )
    .map_err(|e| e.to_string())?;
    let mut r = Vec::new();
    s.read_to_end(&mut r).map_err(|e| e.to_string())?;
    String::from_utf8_lossy(&r)
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| "réponse illisible".to_string())
}

/// Runs both measures on the scenario in `dossier`; returns a Markdown table.
pub fn mesurer(
    dossier: &Path,
    changements: usize,
    suiveurs: usize,
    memoire: usize,
) -> Result<String, String> {
    let charger = || collegia::ingest::load_scenario(dossier).map_err(|e| e.to_string());
    let c0 = charger()?;
    let cibles = Cibles::de(&c0.scenario)?;
    // 1. In process: one change = clone, apply, analyse, attribution, indemnités; then the
    //    memory after `memoire` changes (the history is bounded: old states keep only their
    //    change).
    let rss_debut = memoire_mio();
    let mut session = Session::ouvrir(c0, dossier, Vec::new()).map_err(|e| e.to_string())?;
    let mut direct = Vec::with_capacity(changements);
    let mut rss = Vec::new();
    for i in 0..changements.max(memoire) {
        let t = Instant::now();
        session
            .modifier(changement(&cibles, i))
            .map_err(|e| e.to_string())?;
        if i < changements {
            direct.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if (i + 1) % 100 == 0 {
            rss.push((i + 1, memoire_mio()));
        }
    }
    // Undo all the way back: every state is rebuilt from its change.
    let t = Instant::now();
    let mut annulations = 0;
    while session.annuler().is_ok() {
        annulations += 1;
    }
    let duree_annulations = t.elapsed().as_secs_f64();
    drop(session);
    // 2. Over HTTP, with followers.
    let jeton = collegia::seminaire::serveur::jeton_aleatoire();
    let sortie = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut config = Config::new(jeton.clone(), sortie.path().join("seminaire"));
    config.requetes_par_seconde = 1000.0;
    config.rafale = 1000.0;
    // Every follower of the benchmark comes from the loopback.
    config.max_suiveurs_par_client = suiveurs.max(1);
    config.max_suiveurs_par_client = config.max_suiveurs_par_client.max(suiveurs);
    let session = Session::ouvrir(charger()?, dossier, Vec::new()).map_err(|e| e.to_string())?;
    let a = demarrer_en_arriere_plan(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Partage::new(session, config),
    )
    .map_err(|e| e.to_string())?;
    let recus: Arc<Mutex<Vec<(usize, u64, Instant)>>> = Arc::new(Mutex::new(Vec::new()));
    let mut fils = Vec::new();
    let prets = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for f in 0..suiveurs {
        let (recus, prets) = (recus.clone(), prets.clone());
        let mut s = TcpStream::connect(a).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(60)))
            .map_err(|e| e.to_string())?;
        write!(
            s,
            "GET /api/evenements HTTP/1.1\r\nHost: {a}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .map_err(|e| e.to_string())?;
        let dernier = changements as u64;
        fils.push(std::thread::spawn(move || {
            let mut l = BufReader::new(s);
            let mut ligne = String::new();
            loop {
                ligne.clear();
                match l.read_line(&mut ligne) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let Some(d) = ligne.strip_prefix("data: {\"version\":") else {
                    continue;
                };
                let v: u64 = d
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                if v == 0 {
                    prets.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                if let Ok(mut r) = recus.lock() {
                    r.push((f, v, Instant::now()));
                }
                if v >= dernier {
                    return;
                }
            }
        }));
    }
    let debut = Instant::now();
    while prets.load(std::sync::atomic::Ordering::SeqCst) < suiveurs {
        if debut.elapsed() > Duration::from_secs(60) {
            return Err("les suiveurs ne reçoivent pas l'état initial".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut envois = Vec::with_capacity(changements);
    let mut reponses = Vec::with_capacity(changements);
    for i in 0..changements {
        let corps = serde_json::to_string(&changement(&cibles, i)).map_err(|e| e.to_string())?;
        let t = Instant::now();
        envois.push(t);
        let st = poster(a, "/api/modifications", &jeton, &corps)?;
        if st != 200 {
            return Err(format!("modification {i} refusée (statut {st})"));
        }
        reponses.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    for f in fils {
        let _ = f.join();
    }
    let (clair, gz) = (
        lire_corps(a, "/api/etat", false)?,
        lire_corps(a, "/api/etat", true)?,
    );
    let recus = recus.lock().map_err(|e| e.to_string())?;
    let propagation: Vec<f64> = recus
        .iter()
        .filter(|(_, v, _)| *v >= 1)
        .filter_map(|&(_, v, t)| {
            let envoi = envois.get(v as usize - 1)?;
            Some(t.saturating_duration_since(*envoi).as_secs_f64() * 1000.0)
        })
        .collect();
    let attendus = changements * suiveurs;
    Ok([
        format!(
            "Séminaire sur {} : {changements} modifications, {suiveurs} navigateurs qui suivent (boucle locale). Temps en ms.\n",
            dossier.display()
        ),
        "| mesure | n | p50 | p90 | p95 | p99 | max |".into(),
        "|---|---:|---:|---:|---:|---:|---:|".into(),
        ligne(
            "une modification en mémoire (analyse, attribution, indemnités)",
            &direct,
        ),
        ligne("POST /api/modifications, réponse comprise", &reponses),
        ligne(
            &format!(
                "reçue par chaque suiveur (SSE), {} sur {attendus}",
                propagation.len()
            ),
            &propagation,
        ),
        String::new(),
        format!(
            "État envoyé à un navigateur : {} Kio en JSON, {} Kio compressé (gzip).",
            clair / 1024,
            gz / 1024
        ),
        format!(
            "Mémoire résidente (Mio) : {} au départ ; {} ; {annulations} annulations jusqu'à l'entrée en {:.1} s.",
            rss_debut.map(|m| format!("{m:.0}")).unwrap_or("?".into()),
            rss.iter()
                .map(|(n, m)| format!(
                    "{} après {n}",
                    m.map(|m| format!("{m:.0}")).unwrap_or("?".into())
                ))
                .collect::<Vec<_>>()
                .join(", "),
            duree_annulations
        ),
    ]
    .join("\n"))
}
