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
    let c = super::charger(&a.scenario)?;
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
    let partage = Partage::new(session, config);
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
            outln!(
                "La salle peut suivre à l'adresse de ce poste sur le port {} (lecture seule sans le jeton).",
                local.port()
            );
        }
        outln!(
            "Variantes enregistrées sous {} ; Ctrl+C pour arrêter.",
            a.sortie.display()
        );
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
