//! The report and the deck on real screens: headless Chromium, driven over its DevTools
//! protocol, opens `index.html` and every slide of `diaporama.html` at 1 024 × 768 and
//! 1 920 × 1 080 and measures what a reader would see: no horizontal scroll, no table running
//! past the window, no chart text under 14 px, no console error; the deck answers the keyboard.
//! Ignored by default (needs Chromium); `tests/navigateur.sh` runs it, with `COLLEGIA_CAPTURE`
//! set to a folder where the screenshots go.

use crate::commun::{collegia, root};
use serde_json::{Value, json as j};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One Chromium and the page it shows, over the DevTools WebSocket.
struct Navigateur {
    processus: Child,
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    session: String,
    suivant: u64,
    evenements: Vec<Value>,
    _profil: tempfile::TempDir,
}

impl Drop for Navigateur {
    fn drop(&mut self) {
        let _ = self.processus.kill();
        let _ = self.processus.wait();
    }
}

impl Navigateur {
    fn lancer() -> Navigateur {
        let profil = tempfile::tempdir().expect("profile");
        let exe = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
        let mut processus = Command::new(&exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profil.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{exe} introuvable ({e}) : installez Chromium"));
        let mut stderr = BufReader::new(processus.stderr.take().expect("stderr"));
        let mut ligne = String::new();
        let ws_url = loop {
            ligne.clear();
            assert!(
                stderr.read_line(&mut ligne).expect("stderr") > 0,
                "Chromium stopped"
            );
            if let Some(u) = ligne.trim().strip_prefix("DevTools listening on ") {
                break u.to_string();
            }
        };
        std::thread::spawn(move || {
            let mut poubelle = String::new();
            while stderr
                .read_line(&mut poubelle)
                .map(|n| n > 0)
                .unwrap_or(false)
            {
                poubelle.clear();
            }
        });
        let (ws, _) = tungstenite::connect(ws_url.as_str()).expect("DevTools WebSocket");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(60)))
                .expect("timeout");
        }
        let mut n = Navigateur {
            processus,
            ws,
            session: String::new(),
            suivant: 0,
            evenements: Vec::new(),
            _profil: profil,
        };
        let cible = n.appel("Target.createTarget", j!({"url": "about:blank"}));
        let id = cible["targetId"].as_str().expect("target").to_string();
        let s = n.appel(
            "Target.attachToTarget",
            j!({"targetId": id, "flatten": true}),
        );
        n.session = s["sessionId"].as_str().expect("session").to_string();
        n.appel("Runtime.enable", j!({}));
        n.appel("Log.enable", j!({}));
        n.appel("Page.enable", j!({}));
        n
    }

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

    fn appel(&mut self, methode: &str, params: Value) -> Value {
        self.suivant += 1;
        let id = self.suivant;
        let mut m = j!({"id": id, "method": methode, "params": params});
        if !self.session.is_empty() {
            m["sessionId"] = j!(self.session);
        }
        self.ws
            .send(tungstenite::Message::text(m.to_string()))
            .expect("sends");
        loop {
            let msg = self.ws.read().expect("DevTools answer");
            let Ok(texte) = msg.to_text() else { continue };
            let v: Value = serde_json::from_str(texte).expect("DevTools JSON");
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{methode}: {v}");
                return v["result"].clone();
            }
            self.evenements.push(v);
        }
    }

    fn eval(&mut self, expression: &str) -> Value {
        let r = self.appel(
            "Runtime.evaluate",
            j!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }

    fn erreurs(&self) -> Vec<String> {
        self.evenements
            .iter()
            .filter(|v| {
                v["method"] == "Runtime.exceptionThrown"
                    || (v["method"] == "Log.entryAdded" && v["params"]["entry"]["level"] == "error")
                    || (v["method"] == "Runtime.consoleAPICalled" && v["params"]["type"] == "error")
            })
            .map(|v| v.to_string())
            .collect()
    }

    /// A PNG of the window, written to `$COLLEGIA_CAPTURE/<nom>.png` when that is set.
    fn capture(&mut self, nom: &str) {
        let Ok(dossier) = std::env::var("COLLEGIA_CAPTURE") else {
            return;
        };
        let png = self.appel("Page.captureScreenshot", j!({"format": "png"}));
        let octets = base64(png["data"].as_str().expect("png"));
        assert!(octets.starts_with(b"\x89PNG"), "a PNG");
        std::fs::create_dir_all(&dossier).expect("capture folder");
        std::fs::write(Path::new(&dossier).join(format!("{nom}.png")), octets)
            .expect("writes the screenshot");
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let bits: Vec<u8> = s.bytes().filter_map(val).collect();
    bits.chunks(4)
        .flat_map(|c| {
            let n = c.iter().fold(0u32, |a, &b| (a << 6) | b as u32) << (6 * (4 - c.len()));
            let octets = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            octets[..c.len().saturating_sub(1)].to_vec()
        })
        .collect()
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
  document.querySelectorAll('.diapo.active').forEach(d => { if (d.scrollWidth > d.clientWidth) pb.push('défilement horizontal de la diapositive : ' + d.scrollWidth + ' > ' + d.clientWidth); });
  document.querySelectorAll('table, th, td, figure, svg, pre').forEach(t => {
    const r = t.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1) pb.push('coupé à droite (' + Math.round(r.right) + ' > ' + W + ') : ' + t.tagName + ' ' + t.textContent.trim().slice(0, 50));
  });
  document.querySelectorAll('svg').forEach(s => {
    const r = s.getBoundingClientRect();
    const vb = s.viewBox && s.viewBox.baseVal;
    if (!r.width || !vb || !vb.width) return;
    const k = r.width / vb.width;
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
    let sortie = dir.join("rapport");
    collegia()
        .current_dir(root())
        .args([
            "rapport",
            "data/exemple",
            "--balayage",
            "--optimiser",
            "--sortie",
        ])
        .arg(&sortie)
        .assert()
        .success();
    sortie
}

#[test]
#[ignore = "needs Chromium: run by tests/navigateur.sh"]
fn ecran_report_and_deck_fit_1024_and_1920_with_readable_charts() {
    let dir = tempfile::tempdir().expect("tmp");
    let sortie = rapport(dir.path());
    let mut nav = Navigateur::lancer();
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
    assert!(problemes.is_empty(), "{}", problemes.join("\n"));
    let erreurs = nav.erreurs();
    assert!(erreurs.is_empty(), "{erreurs:?}");
}
