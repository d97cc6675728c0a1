//! The séminaire's web server (axum on tokio): the page, its assets (embedded in the binary, no
//! CDN), the JSON API of `docs/seminaire.md` and the live events (server-sent events) every
//! browser follows.
//!
//! In: a [`Session`] and a [`Config`]. Out: HTTP. Editing calls need the facilitator token
//! (`Authorization: Bearer <jeton>`); bodies and request rates are bounded; every error is JSON
//! `{"code": "S0xx", "message": "…"}` in French with a 4xx status, and changes nothing.
//!
//! Hardening: a request is answered only when its `Host` (and `Origin`, when sent) is
//! `localhost`, a loopback address, the address of this machine the connection came in on, or
//! a name given with `--hote` (a page of another site cannot read the state through DNS
//! rebinding); headers and bodies must arrive within [`Config::delai_lecture`] (a half-sent
//! request is closed, so a flood of them cannot hold the server); followers are bounded in all
//! and per client address; answers are gzipped (the state once per state, not per follower).

use super::{ErreurSeminaire, Modification, Session};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// The page, its script and its style sheet, embedded in the binary.
const PAGE: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/seminaire.js");
const STYLE: &str = include_str!("page/seminaire.css");

/// Settings of a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The facilitator token.
    pub jeton: String,
    /// Folder under which variants are written (`seminaire/` by default).
    pub sortie: PathBuf,
    /// Largest request body accepted, in bytes.
    pub limite_corps: usize,
    /// Requests per second allowed per client address (sustained).
    pub requetes_par_seconde: f64,
    /// Burst of requests allowed per client address.
    pub rafale: f64,
    /// Most browsers following the live events at once.
    pub max_suiveurs: usize,
    /// Most browsers following the live events from one client address.
    pub max_suiveurs_par_client: usize,
    /// Longest wait for a request's headers, then for its body: past it the connection is
    /// closed.
    pub delai_lecture: Duration,
    /// Host names (besides `localhost` and this machine's addresses) the server answers to
    /// (`--hote`).
    pub hotes: Vec<String>,
    /// The address the room types (`http://<hôte>:<port>/`), shown on the page as a QR code
    /// (`GET /salle.svg`, `GET /api/salle`); `None` when the server listens on this machine only.
    pub salle: Option<String>,
}

impl Config {
    /// Defaults for a token and an output folder: 16 KiB bodies, 20 requests per second with
    /// bursts of 60 per address, 200 followers of whom 20 per address, 10 s to send a request's
    /// headers and as much for its body.
    pub fn new(jeton: String, sortie: PathBuf) -> Config {
        Config {
            jeton,
            sortie,
            limite_corps: 16 * 1024,
            requetes_par_seconde: 20.0,
            rafale: 60.0,
            max_suiveurs: 200,
            max_suiveurs_par_client: 20,
            delai_lecture: Duration::from_secs(10),
            hotes: Vec::new(),
            salle: None,
        }
    }
}

/// A random facilitator token: 32 hexadecimal digits from the operating system's generator.
pub fn jeton_aleatoire() -> String {
    use rand::RngCore;
    let mut octets = [0u8; 16];
    rand::rng().fill_bytes(&mut octets);
    octets.iter().map(|b| format!("{b:02x}")).collect()
}

/// What every handler shares.
#[derive(Debug)]
pub struct Partage {
    session: Mutex<Session>,
    config: Config,
    /// The current state (what `GET /api/etat` answers).
    etat: RwLock<Arc<EtatPublie>>,
    /// Live events: the current state's `{"version", "seance", "revision"}`.
    diffusion: broadcast::Sender<Arc<str>>,
    seaux: Mutex<HashMap<IpAddr, (f64, Instant)>>,
    suiveurs: AtomicUsize,
    suiveurs_par_client: Mutex<HashMap<IpAddr, usize>>,
}

/// One state as served: its JSON, the same gzipped (once per state, whatever the number of
/// followers) and its live event.
#[derive(Debug)]
struct EtatPublie {
    json: Arc<str>,
    gzip: Option<Bytes>,
    evenement: Arc<str>,
}

impl EtatPublie {
    fn de(s: &Session) -> EtatPublie {
        use std::io::Write as _;
        let e = s.etat();
        let json: Arc<str> = serde_json::to_string(&e)
            .unwrap_or_else(|_| "{}".into())
            .into();
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let gzip = z
            .write_all(json.as_bytes())
            .and_then(|()| z.finish())
            .ok()
            .map(Bytes::from);
        // Written by hand to keep `version` first (readers may match its prefix).
        let evenement = format!(
            "{{\"version\":{},\"seance\":{},\"revision\":{}}}",
            e.version,
            serde_json::Value::String(e.seance.clone()),
            e.revision
        )
        .into();
        EtatPublie {
            json,
            gzip,
            evenement,
        }
    }
}

fn verrou<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave a half-applied change (changes build a new
    // scenario before swapping it in), so a poisoned lock is still consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Partage {
    /// Shares a session under a configuration.
    pub fn new(session: Session, config: Config) -> Arc<Partage> {
        let etat = Arc::new(EtatPublie::de(&session));
        let (diffusion, _) = broadcast::channel(64);
        Arc::new(Partage {
            session: Mutex::new(session),
            config,
            etat: RwLock::new(etat),
            diffusion,
            seaux: Mutex::new(HashMap::new()),
            suiveurs: AtomicUsize::new(0),
            suiveurs_par_client: Mutex::new(HashMap::new()),
        })
    }

    /// The séance's folder on disk, if any (what Ctrl+C names).
    pub fn dossier_seance(&self) -> Option<PathBuf> {
        verrou(&self.session)
            .dossier_seance()
            .map(|d| d.to_path_buf())
    }

    fn etat_courant(&self) -> Arc<EtatPublie> {
        self.etat
            .read()
            .map(|g| g.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Takes one token from the client's bucket.
    fn autoriser(&self, ip: IpAddr) -> bool {
        let c = &self.config;
        let mut seaux = verrou(&self.seaux);
        if seaux.len() > 10_000 {
            seaux.clear();
        }
        let now = Instant::now();
        let (jetons, vu) = seaux.entry(ip).or_insert((c.rafale, now));
        *jetons = (*jetons + now.duration_since(*vu).as_secs_f64() * c.requetes_par_seconde)
            .min(c.rafale);
        *vu = now;
        if *jetons >= 1.0 {
            *jetons -= 1.0;
            true
        } else {
            false
        }
    }
}

impl IntoResponse for ErreurSeminaire {
    fn into_response(self) -> Response {
        let statut =
            StatusCode::from_u16(self.statut_http()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            statut,
            Json(serde_json::json!({ "code": self.code(), "message": self.to_string() })),
        )
            .into_response()
    }
}

/// The router of the séminaire.
pub fn routeur(p: Arc<Partage>) -> Router {
    let limite = p.config.limite_corps;
    Router::new()
        .route("/", get(page))
        .route("/seminaire.js", get(script))
        .route("/seminaire.css", get(style))
        .route("/guide/{page}", get(guide))
        .route("/salle.svg", get(salle_qr))
        .route("/api/salle", get(salle))
        .route("/api/etat", get(etat))
        .route("/api/evenements", get(evenements))
        .route("/api/journal", get(journal))
        .route("/api/front", get(front))
        .route("/api/reorganisation", get(reorganisation))
        .route(
            "/api/reorganisation/{graphique}",
            get(graphique_reorganisation),
        )
        .route("/api/apercu", get(apercu))
        .route("/api/variantes", get(variantes))
        .route("/api/comparer", get(comparer))
        .route("/api/compte-rendu.md", get(compte_rendu_md))
        .route("/api/compte-rendu.html", get(compte_rendu_html))
        .route("/api/modifications", post(modifications))
        .route("/api/annuler", post(annuler))
        .route("/api/retablir", post(retablir))
        .route("/api/note", post(note))
        .route("/api/enregistrer", post(enregistrer))
        .fallback(introuvable)
        .layer(DefaultBodyLimit::max(limite))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            p.config.delai_lecture,
        ))
        .layer(axum::middleware::from_fn_with_state(p.clone(), limiter))
        .layer(axum::middleware::from_fn_with_state(p.clone(), garde_hote))
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(axum::middleware::from_fn(entetes))
        .with_state(p)
}

/// The address of this machine a connection came in on (a request extension).
#[derive(Debug, Clone, Copy)]
struct AdresseLocale(IpAddr);

/// Serves the séminaire on a listener until the process is stopped: HTTP/1.1, each connection
/// with a timer, so that headers not sent within [`Config::delai_lecture`] close it (axum's
/// own `serve` sets no such timeout).
pub async fn servir(listener: tokio::net::TcpListener, p: Arc<Partage>) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;
    let delai = p.config.delai_lecture;
    let routeur = routeur(p);
    loop {
        let (flux, distant) = match listener.accept().await {
            Ok(c) => c,
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let local = flux.local_addr().map(|a| a.ip()).ok();
        let service = routeur.clone().map_request(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(distant));
                if let Some(l) = local {
                    req.extensions_mut().insert(AdresseLocale(l));
                }
                req.map(axum::body::Body::new)
            },
        );
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(delai)
                .serve_connection(
                    TokioIo::new(flux),
                    hyper_util::service::TowerToHyperService::new(service),
                )
                .await;
        });
    }
}

/// The host part of a `Host` value or of an `Origin`'s authority (`[::1]:8080` → `::1`),
/// lower-cased.
fn hote_seul(v: &str) -> String {
    let v = v.trim();
    let h = if let Some(reste) = v.strip_prefix('[') {
        reste.split(']').next().unwrap_or("")
    } else {
        match v.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => v,
        }
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// True when a host name is one the séminaire answers to: `localhost`, a loopback address,
/// the address of this machine the connection came in on, or a name given with `--hote`.
fn hote_admis(hote: &str, local: Option<IpAddr>, noms: &[String]) -> bool {
    if hote == "localhost" || noms.iter().any(|n| hote_seul(n) == hote) {
        return true;
    }
    match hote.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || Some(ip) == local,
        Err(_) => false,
    }
}

/// Refuses a request whose `Host`, or `Origin` when sent, is not one the séminaire answers
/// to (DNS rebinding: a page of another site resolving its name to this machine).
async fn garde_hote(State(p): State<Arc<Partage>>, req: Request, next: Next) -> Response {
    let local = req.extensions().get::<AdresseLocale>().map(|a| a.0);
    let noms = &p.config.hotes;
    let hote = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !hote_admis(&hote_seul(hote), local, noms) {
        let montre: String = hote.chars().take(100).collect();
        return ErreurSeminaire::HoteRefuse(montre).into_response();
    }
    if let Some(o) = req.headers().get(header::ORIGIN) {
        let o = o.to_str().unwrap_or("");
        let autorite = o
            .split_once("://")
            .map(|(_, a)| a.split('/').next().unwrap_or(""))
            .unwrap_or("");
        if !hote_admis(&hote_seul(autorite), local, noms) {
            let montre: String = o.chars().take(100).collect();
            return ErreurSeminaire::HoteRefuse(montre).into_response();
        }
    }
    next.run(req).await
}

/// Bounds the request rate per client address.
async fn limiter(State(p): State<Arc<Partage>>, req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !p.autoriser(ip) {
        return ErreurSeminaire::TropDeRequetes.into_response();
    }
    next.run(req).await
}

/// Content-Security-Policy of a self-contained page served as is (the guide's pages, the compte
/// rendu): its style is inline and it has no script, so only inline style is allowed and nothing
/// else loads.
const POLITIQUE_PAGE_AUTONOME: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Security headers on every answer: no external resource, no inline script, no framing.
async fn entetes(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    // A handler may set a stricter policy of its own (the guide's pages).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn avec_type(ty: &'static str, corps: impl IntoResponse) -> Response {
    ([(header::CONTENT_TYPE, ty)], corps).into_response()
}

/// The room's address (`{"adresse": …}`), `null` when the server listens on this machine only
/// (a 200 either way: the page asks on every load, and a 404 is a console error).
async fn salle(State(p): State<Arc<Partage>>) -> Response {
    Json(serde_json::json!({ "adresse": p.config.salle })).into_response()
}

/// The room's address as a QR code (SVG, dark modules on white), for phones to scan.
async fn salle_qr(State(p): State<Arc<Partage>>) -> Response {
    let code = p
        .config
        .salle
        .as_deref()
        .and_then(|a| qrcode::QrCode::new(a.as_bytes()).ok());
    match code {
        Some(c) => avec_type(
            "image/svg+xml",
            c.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(240, 240)
                .build(),
        ),
        None => ErreurSeminaire::Introuvable("/salle.svg".into()).into_response(),
    }
}

async fn page() -> Response {
    avec_type("text/html; charset=utf-8", PAGE)
}

async fn script() -> Response {
    avec_type("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> Response {
    avec_type("text/css; charset=utf-8", STYLE)
}

/// A page of the user guide (`/guide/constats.html`), rendered as the reports write it, so that
/// each finding on the page links to its entry offline; only the guide's own pages.
async fn guide(axum::extract::Path(fichier): axum::extract::Path<String>) -> Response {
    let page = fichier
        .strip_suffix(".html")
        .and_then(|nom| crate::guide::PAGES.iter().find(|p| p.nom == nom));
    let Some(page) = page else {
        let chemin: String = format!("/guide/{fichier}").chars().take(200).collect();
        return ErreurSeminaire::Introuvable(chemin).into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The guide's page carries its style inline and has no script: nothing else loads.
            (header::CONTENT_SECURITY_POLICY, POLITIQUE_PAGE_AUTONOME),
        ],
        crate::guide::page_html(page),
    )
        .into_response()
}

async fn introuvable(uri: axum::http::Uri) -> Response {
    let chemin: String = uri.path().chars().take(200).collect();
    ErreurSeminaire::Introuvable(chemin).into_response()
}

/// The current state, gzipped once per state when the client accepts it.
async fn etat(State(p): State<Arc<Partage>>, h: HeaderMap) -> Response {
    let e = p.etat_courant();
    let gzip = h
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|x| x.split(';').next().is_some_and(|c| c.trim() == "gzip"))
        });
    match (&e.gzip, gzip) {
        (Some(z), true) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CONTENT_ENCODING, "gzip"),
                (header::VARY, "accept-encoding"),
            ],
            z.clone(),
        )
            .into_response(),
        _ => avec_type("application/json", e.json.to_string()),
    }
}

async fn journal(State(p): State<Arc<Partage>>) -> Response {
    let s = verrou(&p.session);
    Json(s.journal().to_vec()).into_response()
}

/// The front of compromises of the current state: solved off the async threads and without
/// holding the session (edits go on meanwhile), once per state (the state keeps it).
async fn front(State(p): State<Arc<Partage>>) -> Response {
    let demande = verrou(&p.session).demande_front();
    match tokio::task::spawn_blocking(move || demande.resoudre()).await {
        Ok(Ok(f)) => Json(f).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ErreurSeminaire::Optimiseur(crate::erreur::Erreur::Optimisation(
            crate::optimise::Echec::Solveur("tâche interrompue".into()),
        ))
        .into_response(),
    }
}

/// The staged reorganisation of the DGA perimeters (`[reorganisation]` of the input): solved
/// off the async threads and without holding the session, once per séance; each stage says
/// whether the current state's organigramme is that stage's.
async fn reorganisation(State(p): State<Arc<Partage>>) -> Response {
    let demande = verrou(&p.session).demande_reorganisation();
    match tokio::task::spawn_blocking(move || demande.resoudre()).await {
        Ok(Ok(c)) => Json(c).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ErreurSeminaire::SansReorganisation("tâche interrompue".into()).into_response(),
    }
}

/// A chart of the reorganisation's path (`calendrier.svg`, `flux.svg`): the report's plotters
/// charts, for the page's `<img>` (an SVG shown as an image runs nothing).
async fn graphique_reorganisation(
    State(p): State<Arc<Partage>>,
    axum::extract::Path(fichier): axum::extract::Path<String>,
) -> Response {
    let Some(nom) = fichier
        .strip_suffix(".svg")
        .filter(|n| matches!(*n, "calendrier" | "flux"))
        .map(str::to_string)
    else {
        let chemin: String = format!("/api/reorganisation/{fichier}")
            .chars()
            .take(200)
            .collect();
        return ErreurSeminaire::Introuvable(chemin).into_response();
    };
    let demande = verrou(&p.session).demande_reorganisation();
    match tokio::task::spawn_blocking(move || demande.graphique(&nom)).await {
        Ok(Ok(svg)) => avec_type("image/svg+xml", svg),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ErreurSeminaire::SansReorganisation("tâche interrompue".into()).into_response(),
    }
}

/// Query of `GET /api/apercu`: a point of the front, a stage of the reorganisation, or none
/// for the optimiser's proposal.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemandeApercu {
    point: Option<usize>,
    etape: Option<usize>,
}

/// What the optimiser's proposal (`GET /api/apercu`) or point K of the front
/// (`GET /api/apercu?point=K`) would do, in words, before it is applied. Open to the room, as
/// the front is; the proposal is solved once per state.
async fn apercu(
    State(p): State<Arc<Partage>>,
    q: Result<axum::extract::Query<DemandeApercu>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let m = match q {
        Ok(axum::extract::Query(DemandeApercu {
            point: Some(point),
            etape: None,
        })) => Modification::AppliquerPointFront { point },
        Ok(axum::extract::Query(DemandeApercu {
            point: None,
            etape: Some(etape),
        })) => Modification::AppliquerEtapeReorganisation { etape },
        Ok(axum::extract::Query(DemandeApercu {
            point: None,
            etape: None,
        })) => Modification::AppliquerProposition,
        _ => {
            return ErreurSeminaire::RequeteIllisible(
                "paramètre attendu : « point » ou « etape » (un nombre à partir de 1), ou aucun pour la proposition de l'optimiseur".into(),
            )
            .into_response();
        }
    };
    // The reorganisation's solve too (once per séance).
    if let Modification::AppliquerEtapeReorganisation { .. } = m {
        let demande = verrou(&p.session).demande_reorganisation();
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || demande.plan()).await {
            return e.into_response();
        }
    }
    // The front's solve happens off the session's lock, as for `GET /api/front`.
    if let Modification::AppliquerPointFront { .. } = m {
        let demande = verrou(&p.session).demande_front();
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || demande.points()).await {
            return e.into_response();
        }
    }
    let q = p.clone();
    match tokio::task::spawn_blocking(move || verrou(&q.session).apercu(&m)).await {
        Ok(Ok(a)) => Json(a).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ErreurSeminaire::Ecriture("tâche interrompue".into()).into_response(),
    }
}

/// The variants saved so far (names under `--sortie`).
async fn variantes(State(p): State<Arc<Partage>>) -> Response {
    let racine = p.config.sortie.clone();
    match tokio::task::spawn_blocking(move || Session::variantes(&racine)).await {
        Ok(v) => Json(v).into_response(),
        Err(_) => ErreurSeminaire::Ecriture("tâche interrompue".into()).into_response(),
    }
}

/// Query of `GET /api/comparer`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemandeComparaison {
    variante: String,
}

/// The current state beside a saved variant: the tables of `collegia comparer`.
async fn comparer(
    State(p): State<Arc<Partage>>,
    q: Result<axum::extract::Query<DemandeComparaison>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(axum::extract::Query(q)) = q else {
        return ErreurSeminaire::RequeteIllisible(
            "paramètre attendu : « variante » (le nom d'une variante enregistrée)".into(),
        )
        .into_response();
    };
    let r = p.clone();
    match tokio::task::spawn_blocking(move || {
        verrou(&r.session).comparer(&r.config.sortie, &q.variante)
    })
    .await
    {
        Ok(Ok(c)) => Json(c).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ErreurSeminaire::Ecriture("tâche interrompue".into()).into_response(),
    }
}

async fn compte_rendu_md(State(p): State<Arc<Partage>>) -> Response {
    let md = verrou(&p.session).compte_rendu_markdown();
    (
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"compte-rendu.md\"",
            ),
        ],
        md,
    )
        .into_response()
}

async fn compte_rendu_html(State(p): State<Arc<Partage>>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The compte rendu carries its style inline, as a saved file must, and has no
            // script: the page's policy would strip its layout; nothing else may load.
            (header::CONTENT_SECURITY_POLICY, POLITIQUE_PAGE_AUTONOME),
        ],
        verrou(&p.session).compte_rendu_html(),
    )
        .into_response()
}

/// Live events: at once, then for every new state, an `etat` event
/// `{"version", "seance", "revision"}`; the page then reads `GET /api/etat` (gzipped).
async fn evenements(State(p): State<Arc<Partage>>, req: Request) -> Response {
    use tokio_stream::StreamExt as _;
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let max = p.config.max_suiveurs;
    let max_client = p.config.max_suiveurs_par_client;
    {
        let mut par = verrou(&p.suiveurs_par_client);
        let n = par.entry(ip).or_insert(0);
        if *n >= max_client {
            return ErreurSeminaire::TropDeSuiveursClient(max_client).into_response();
        }
        if p.suiveurs.fetch_add(1, Ordering::SeqCst) >= max {
            p.suiveurs.fetch_sub(1, Ordering::SeqCst);
            return ErreurSeminaire::TropDeSuiveurs(max).into_response();
        }
        *n += 1;
    }
    /// Counts a follower while its stream lives.
    struct Suiveur(Arc<Partage>, IpAddr);
    impl Drop for Suiveur {
        fn drop(&mut self) {
            self.0.suiveurs.fetch_sub(1, Ordering::SeqCst);
            let mut par = verrou(&self.0.suiveurs_par_client);
            if let Some(n) = par.get_mut(&self.1) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    par.remove(&self.1);
                }
            }
        }
    }
    let rx = p.diffusion.subscribe();
    let premier = p.etat_courant().evenement.clone();
    let garde = Suiveur(p, ip);
    let suite = tokio_stream::wrappers::BroadcastStream::new(rx).filter_map(move |m| {
        let _ = &garde;
        // A follower too slow to read every state skips to the next one: each carries it all.
        m.ok()
    });
    let flux = tokio_stream::once(premier).chain(suite).map(|json| {
        Ok::<Event, std::convert::Infallible>(Event::default().event("etat").data(&*json))
    });
    Sse::new(flux)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Refuses an editing call without the facilitator token (compared in constant time).
fn verifier_jeton(h: &HeaderMap, p: &Partage) -> Result<(), ErreurSeminaire> {
    let donne = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    let attendu = p.config.jeton.as_bytes();
    let ok = donne.len() == attendu.len()
        && donne
            .bytes()
            .zip(attendu)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if ok && !attendu.is_empty() {
        Ok(())
    } else {
        Err(ErreurSeminaire::JetonInvalide)
    }
}

/// Parses a JSON body, in French when it fails.
fn lire<T: serde::de::DeserializeOwned>(
    corps: Result<Bytes, BytesRejection>,
    limite: usize,
) -> Result<T, ErreurSeminaire> {
    let corps = corps.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ErreurSeminaire::TropVolumineux(limite)
        } else {
            ErreurSeminaire::RequeteIllisible("corps de la requête illisible".into())
        }
    })?;
    serde_json::from_slice(&corps).map_err(|e| {
        ErreurSeminaire::RequeteIllisible(format!(
            "JSON attendu, par exemple {{\"type\": \"deplacer_unite\", \"unite\": \"…\", \"groupe\": \"…\"}} (ligne {}, colonne {} : {})",
            e.line(),
            e.column(),
            match e.classify() {
                serde_json::error::Category::Syntax => "syntaxe invalide",
                serde_json::error::Category::Eof => "texte tronqué",
                serde_json::error::Category::Data => "champ manquant, inconnu ou de mauvais type",
                serde_json::error::Category::Io => "lecture impossible",
            }
        ))
    })
}

/// Runs an editing step on the session off the async threads, then publishes the new state.
async fn editer(
    p: Arc<Partage>,
    f: impl FnOnce(&mut Session) -> Result<(), ErreurSeminaire> + Send + 'static,
) -> Response {
    let q = p.clone();
    let r = tokio::task::spawn_blocking(move || {
        let mut s = verrou(&q.session);
        f(&mut s)?;
        let e = Arc::new(EtatPublie::de(&s));
        match q.etat.write() {
            Ok(mut g) => *g = e.clone(),
            Err(x) => *x.into_inner() = e.clone(),
        }
        // Sent while the session is locked, so followers see the states in order; no
        // follower is not an error.
        let _ = q.diffusion.send(e.evenement.clone());
        Ok::<Arc<str>, ErreurSeminaire>(e.json.clone())
    })
    .await;
    match r {
        Ok(Ok(json)) => avec_type("application/json", json.to_string()),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ErreurSeminaire::Ecriture("tâche interrompue".into()).into_response(),
    }
}

async fn modifications(
    State(p): State<Arc<Partage>>,
    h: HeaderMap,
    corps: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(e) = verifier_jeton(&h, &p) {
        return e.into_response();
    }
    let m: Modification = match lire(corps, p.config.limite_corps) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    // The reorganisation's solve (once per séance) off the session's lock.
    if let Modification::AppliquerEtapeReorganisation { .. } = m {
        let demande = verrou(&p.session).demande_reorganisation();
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || demande.plan()).await {
            return e.into_response();
        }
    }
    editer(p, move |s| s.modifier(m).map(|_| ())).await
}

async fn annuler(State(p): State<Arc<Partage>>, h: HeaderMap) -> Response {
    if let Err(e) = verifier_jeton(&h, &p) {
        return e.into_response();
    }
    editer(p, |s| s.annuler().map(|_| ())).await
}

async fn retablir(State(p): State<Arc<Partage>>, h: HeaderMap) -> Response {
    if let Err(e) = verifier_jeton(&h, &p) {
        return e.into_response();
    }
    editer(p, |s| s.retablir().map(|_| ())).await
}

/// Body of `POST /api/note`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Note {
    texte: String,
}

/// A one-line decision note attached to the last line of the journal.
async fn note(
    State(p): State<Arc<Partage>>,
    h: HeaderMap,
    corps: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(e) = verifier_jeton(&h, &p) {
        return e.into_response();
    }
    let n: Note = match lire(corps, p.config.limite_corps) {
        Ok(n) => n,
        Err(e) => return e.into_response(),
    };
    editer(p, move |s| s.noter(&n.texte).map(|_| ())).await
}

/// Body of `POST /api/enregistrer`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Enregistrement {
    nom: String,
}

async fn enregistrer(
    State(p): State<Arc<Partage>>,
    h: HeaderMap,
    corps: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(e) = verifier_jeton(&h, &p) {
        return e.into_response();
    }
    let e: Enregistrement = match lire(corps, p.config.limite_corps) {
        Ok(e) => e,
        Err(e) => return e.into_response(),
    };
    let q = p.clone();
    let r = tokio::task::spawn_blocking(move || {
        let s = verrou(&q.session);
        s.enregistrer(&q.config.sortie, &e.nom)
    })
    .await;
    match r {
        Ok(Ok(dossier)) => {
            Json(serde_json::json!({ "dossier": dossier.display().to_string() })).into_response()
        }
        Ok(Err(e)) => e.into_response(),
        Err(_) => ErreurSeminaire::Ecriture("tâche interrompue".into()).into_response(),
    }
}

/// Starts a server on `adresse` (port 0: an ephemeral port) in a thread of its own with its own
/// runtime, and returns the address it listens on. For tests, the benchmark and the browser
/// check; the server lives until the process ends.
pub fn demarrer_en_arriere_plan(
    adresse: SocketAddr,
    p: Arc<Partage>,
) -> std::io::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind(adresse)?;
    listener.set_nonblocking(true)?;
    let local = listener.local_addr()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("collegia-seminaire".into())
        .spawn(move || {
            rt.block_on(async move {
                if let Ok(l) = tokio::net::TcpListener::from_std(listener) {
                    let _ = servir(l, p).await;
                }
            })
        })?;
    Ok(local)
}
