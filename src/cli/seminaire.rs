//! `collegia seminaire`: loads the scenario, opens a séminaire session and serves it on the
//! local network (axum on tokio) until interrupted. Prints the address and the facilitator
//! token.

use super::args::SeminaireArgs;
#[cfg(feature = "seminaire")]
use super::{EXIT_ENTREE, EXIT_OK};
use super::{Resultat, code};

/// Runs the command and returns the exit code.
#[cfg(feature = "seminaire")]
pub(crate) fn run(a: &SeminaireArgs) -> Resultat {
    use collegia::seminaire::Session;
    use collegia::seminaire::serveur::{Config, Partage, jeton_aleatoire, servir};
    // A council with no group (an RNE import) gets one per adjoint·e who may lead one, as for
    // `optimiser`: otherwise the room's « Proposition de l'optimiseur » has nothing to place
    // people in. Deterministic from the input, so a séance's journal replays on the same state.
    let c = super::charger_avec_groupes(&a.scenario)?;
    let verrous = collegia::ingest::load_verrous(&a.scenario, &c.scenario)?
        .map(|(_, v)| v)
        .unwrap_or_default();
    // The variants folder must not be an input folder: checked now, not at the first save.
    if let Err(e) = collegia::report::ecriture::Sortie::new(&a.sortie, &c.fichiers) {
        eprintln!("Erreur : {e}");
        return code(EXIT_ENTREE);
    }
    let empreintes = match collegia::seminaire::seance::empreintes(&c.fichiers) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("Erreur {} : {e}", e.code());
            return code(EXIT_ENTREE);
        }
    };
    let mut session = match Session::ouvrir(c, &a.scenario, verrous) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Erreur {} : {e}", e.code());
            return code(EXIT_ENTREE);
        }
    };
    let ouverture = match collegia::seminaire::seance::ouvrir(
        &a.sortie,
        &a.scenario,
        empreintes,
        a.nouvelle,
        jeton_aleatoire(),
    ) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("Erreur {} : {e}", e.code());
            return code(EXIT_ENTREE);
        }
    };
    let jeton = ouverture.jeton.clone();
    let (reprise, n) = (ouverture.reprise, ouverture.evenements.len());
    if let Some(d) = &ouverture.archivee {
        outln!("Séance précédente conservée dans {}.", d.display());
    }
    if let Err(e) = session.reprendre(ouverture.seance, ouverture.evenements) {
        eprintln!("Erreur {} : {e}", e.code());
        return code(EXIT_ENTREE);
    }
    let dossier_seance = session
        .dossier_seance()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    if reprise {
        outln!(
            "Séance reprise : {n} événement(s) relu(s) depuis {dossier_seance} ({} modification(s) en vigueur) ; « --nouvelle » pour repartir du scénario.",
            session.modifications().len()
        );
    } else {
        outln!("Nouvelle séance, conservée dans {dossier_seance}.");
    }
    let mut config = Config::new(jeton.clone(), a.sortie.clone());
    config.hotes = a.hote.clone();
    config.delai_lecture = std::time::Duration::from_secs(a.delai_lecture);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!(
                "Erreur : démarrage impossible du serveur : {}",
                collegia::ingest::message_io(&e)
            );
            return code(EXIT_ENTREE);
        }
    };
    let adresse = std::net::SocketAddr::new(a.ecouter, a.port);
    code(rt.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(adresse).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!(
                    "Erreur : impossible d'écouter sur {adresse} : {} (essayez un autre --port)",
                    collegia::ingest::message_io(&e)
                );
                return EXIT_ENTREE;
            }
        };
        let local = listener.local_addr().unwrap_or(adresse);
        let hote = if local.ip().is_unspecified() {
            std::net::SocketAddr::new(std::net::IpAddr::from([127, 0, 0, 1]), local.port())
        } else {
            local
        };
        outln!("Séminaire ouvert : http://{hote}/");
        outln!("jeton : {jeton}");
        outln!("Animation (ce poste) : http://{hote}/#jeton={jeton}");
        if !a.ecouter.is_loopback() {
            // A name given with --hote is what the room types; else this machine's address.
            let salle = match a.hote.first() {
                Some(nom) => Some(format!("{nom}:{}", local.port())),
                None => adresse_salle(local).map(|a| a.to_string()),
            };
            match salle {
                Some(salle) => {
                    let url = format!("http://{salle}/");
                    // The page shows it as a QR code too (« Rejoindre (QR) »).
                    config.salle = Some(url.clone());
                    outln!(
                        "La salle suit à l'adresse {url} (lecture seule sans le jeton) ; les téléphones peuvent scanner :"
                    );
                    if let Some(qr) = qr_terminal(&url) {
                        out!("{qr}");
                    }
                }
                None => outln!(
                    "La salle peut suivre à l'adresse de ce poste sur le port {} (lecture seule sans le jeton).",
                    local.port()
                ),
            }
        }
        outln!(
            "Variantes enregistrées sous {} ; Ctrl+C pour arrêter.",
            a.sortie.display()
        );
        let partage = Partage::new(session, config);
        tokio::select! {
            r = servir(listener, partage) => {
                if let Err(e) = r {
                    eprintln!("Erreur du serveur : {}", collegia::ingest::message_io(&e));
                    return EXIT_ENTREE;
                }
                EXIT_OK
            }
            _ = tokio::signal::ctrl_c() => {
                outln!(
                    "Séminaire arrêté. La séance est conservée dans {dossier_seance} : relancez la même commande pour la reprendre (avec l'annulation), ou ajoutez --nouvelle pour repartir du scénario."
                );
                EXIT_OK
            }
        }
    }))
}

/// Without the `seminaire` feature the command only says how to get it.
#[cfg(not(feature = "seminaire"))]
pub(crate) fn run(_a: &SeminaireArgs) -> Resultat {
    eprintln!(
        "Erreur d'utilisation : ce binaire a été compilé sans le séminaire ; recompilez avec la fonctionnalité par défaut « seminaire » (cargo build --release)."
    );
    super::code(super::EXIT_USAGE)
}

/// The address the room reaches this machine at: the one the server listens on, or, listening
/// on every interface (`--ecouter 0.0.0.0`), the local address of the route to an outside
/// address (a UDP « connect » sends nothing: it only asks the kernel which interface it would
/// use). `None` without such a route (no network): the message then names the port only.
fn adresse_salle(local: std::net::SocketAddr) -> Option<std::net::SocketAddr> {
    if !local.ip().is_unspecified() {
        return Some(local);
    }
    let sonde = std::net::UdpSocket::bind(("0.0.0.0", 0)).ok()?;
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed, never answered.
    sonde.connect(("192.0.2.1", 9)).ok()?;
    let ip = sonde.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then(|| std::net::SocketAddr::new(ip, local.port()))
}

/// `url` as a QR code drawn with Unicode half blocks (two modules per character, with its quiet
/// zone), for a terminal.
fn qr_terminal(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .build()
            + "\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_room_address_is_never_unspecified_nor_loopback() {
        let tout = std::net::SocketAddr::from(([0, 0, 0, 0], 8080));
        if let Some(a) = adresse_salle(tout) {
            assert!(!a.ip().is_unspecified() && !a.ip().is_loopback(), "{a}");
            assert_eq!(a.port(), 8080);
        }
        let precise = std::net::SocketAddr::from(([10, 1, 2, 3], 9000));
        assert_eq!(adresse_salle(precise), Some(precise));
    }

    #[test]
    fn the_qr_code_is_square_with_its_quiet_zone() {
        let qr = qr_terminal("http://192.168.1.20:8080/").expect("encodable");
        let lignes: Vec<&str> = qr.lines().collect();
        let largeur = lignes[0].chars().count();
        // Version 2 (25 modules) + 4 modules of quiet zone each side = 33 wide, 17 lines of
        // two modules (the last one half used).
        assert_eq!(largeur, 33);
        assert_eq!(lignes.len(), 17);
        assert!(lignes.iter().all(|l| l.chars().count() == largeur));
    }
}
