//! A small Chrome DevTools Protocol client shared by the browser tests (`ecran`, `seminaire`):
//! one headless Chromium, one page attached over the DevTools WebSocket, commands answered in
//! order while the events seen meanwhile are kept (console errors, exceptions).

use serde_json::{Value, json as j};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One Chromium process and the page it shows, driven over its DevTools WebSocket.
pub struct Navigateur {
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
    /// Starts headless Chromium (`$CHROMIUM`, else `chromium`) with a fresh profile and
    /// `extra` added to the common flags, attaches to a new blank page and enables the
    /// Runtime, Log and Page domains.
    pub fn lancer(extra: &[&str]) -> Navigateur {
        let profil = tempfile::tempdir().expect("profile");
        let exe = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
        let mut processus = Command::new(&exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .args(extra)
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
        // Keep draining stderr so that Chromium never blocks on a full pipe.
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

    /// Sends one DevTools command (to the page once attached) and returns its result; the
    /// events read while waiting for the answer are kept.
    pub fn appel(&mut self, methode: &str, params: Value) -> Value {
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

    /// Evaluates an expression in the page and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.appel(
            "Runtime.evaluate",
            j!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }

    /// Waits (at most 30 s) until an expression is true.
    // Only the séminaire test uses it, and that test needs the `seminaire` feature.
    #[cfg_attr(not(feature = "seminaire"), allow(dead_code))]
    pub fn attendre(&mut self, expression: &str) {
        let debut = Instant::now();
        // While the page loads, the expression may throw (`document.body` still null, an element
        // not yet drawn): that is « not yet », not a failure.
        let protegee = format!(
            "(() => {{ try {{ return Boolean({expression}); }} catch (e) {{ return false; }} }})()"
        );
        while self.eval(&protegee) != Value::Bool(true) {
            assert!(
                debut.elapsed() < Duration::from_secs(30),
                "toujours faux après 30 s : {expression}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Console errors and uncaught exceptions seen so far.
    pub fn erreurs(&self) -> Vec<String> {
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

    /// A PNG screenshot of the page, as bytes.
    pub fn png(&mut self) -> Vec<u8> {
        let png = self.appel("Page.captureScreenshot", j!({"format": "png"}));
        let octets = base64(png["data"].as_str().expect("png"));
        assert!(octets.starts_with(b"\x89PNG"), "a PNG");
        octets
    }
}

/// Decodes standard base64 (the screenshot data); padding and other bytes are skipped.
pub(crate) fn base64(s: &str) -> Vec<u8> {
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
