//! The séminaire live: a scenario edited in memory, one change at a time, with its history.
//!
//! In: a loaded scenario ([`crate::ingest::Chargement`]) and changes ([`Modification`]). Out: the
//! state every browser shows ([`Etat`]: findings, groups and their staff, indemnités), the journal
//! of changes with their effect, the séminaire's compte rendu (Markdown and HTML) and scenario
//! variants (only what changed, `base` pointing at the input).
//!
//! Each change clones the scenario, applies the change ([`modification::appliquer`]), then reruns
//! the whole pipeline: [`crate::analyse::analyser`], the one attribution
//! ([`crate::analyse::Attribution`]) and the indemnités allocation
//! ([`crate::optimise::indemnites::preparer`] + [`crate::optimise::indemnites::allouer_donnees`]).
//! A change whose allocation is infeasible is refused and changes nothing.
//!
//! This module is plain data and pure functions; the web server that exposes it (axum on tokio)
//! lives in [`serveur`], compiled only with the `seminaire` cargo feature (on by default), so the
//! library builds without an async stack.

pub mod compte_rendu;
pub mod effet;
pub mod etat;
pub mod modification;
pub mod seance;
#[cfg(feature = "seminaire")]
pub mod serveur;
pub mod session;

use crate::erreur::Erreur;
pub use etat::{Etat, Evaluation, evaluer};
pub use modification::{Modification, appliquer};
pub use session::{
    Apercu, CheminReorganisation, DemandeFront, DemandeReorganisation, EntreeJournal, Front,
    Session,
};

/// Why a request of the séminaire was refused. Every variant has a stable code (`S0xx`,
/// documented in `docs/seminaire.md`) and a French message; nothing changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErreurSeminaire {
    /// The body is not the expected JSON.
    #[error("requête illisible : {0}")]
    RequeteIllisible(String),
    /// Editing without the facilitator token.
    #[error(
        "jeton d'animation absent ou invalide : ajoutez l'en-tête « Authorization: Bearer <jeton> » avec le jeton affiché au lancement"
    )]
    JetonInvalide,
    /// Too many requests from one address.
    #[error("trop de requêtes : patientez une seconde puis recommencez")]
    TropDeRequetes,
    /// The body is larger than allowed.
    #[error("requête trop volumineuse (maximum {0} octets)")]
    TropVolumineux(usize),
    /// Nothing to undo.
    #[error("rien à annuler : aucune modification depuis le début du séminaire")]
    RienAAnnuler,
    /// Nothing to redo.
    #[error("rien à rétablir : aucune modification annulée")]
    RienARetablir,
    /// The variant folder exists already.
    #[error("la variante « {0} » existe déjà : choisissez un autre nom")]
    VarianteExistante(String),
    /// Writing failed.
    #[error("enregistrement impossible : {0}")]
    Ecriture(String),
    /// The variant name is empty or too long.
    #[error("nom de variante invalide « {0} » : donnez un nom de 1 à 80 caractères")]
    NomInvalide(String),
    /// Unknown node.
    #[error("nœud inconnu « {0} » : donnez l'identifiant d'une ligne de organigramme.csv")]
    NoeudInconnu(String),
    /// Unknown élu·e.
    #[error("élu·e inconnu·e « {0} » : donnez l'identifiant d'une ligne de elus.csv")]
    EluInconnu(String),
    /// Unknown group.
    #[error("groupe inconnu « {0} » : donnez un groupe de la colonne « groupe » de elus.csv")]
    GroupeInconnu(String),
    /// No pilote délégation of this élu·e on this node.
    #[error("aucune délégation pilote de « {elu} » sur « {noeud} »")]
    DelegationInconnue {
        /// Élu·e id.
        elu: String,
        /// Node id.
        noeud: String,
    },
    /// The group has no chef·fe de file to receive the unit.
    #[error(
        "le groupe « {0} » n'a pas de chef·fe de file (un·e adjoint·e thématique) pour recevoir l'unité"
    )]
    GroupeSansChef(String),
    /// A number outside the range `scenario.toml` accepts.
    #[error("{cle} = {valeur} hors des bornes admises ({min} à {max})")]
    ValeurHorsBornes {
        /// Key.
        cle: &'static str,
        /// Value given.
        valeur: f64,
        /// Minimum.
        min: f64,
        /// Maximum.
        max: f64,
    },
    /// A change that changes nothing.
    #[error("modification vide : précisez au moins une valeur à changer")]
    ModificationVide,
    /// The maire belongs to no group.
    #[error("« {0} » est la ou le maire : elle ou il n'appartient à aucun groupe")]
    MaireSansGroupe(String),
    /// A group id that would not round-trip through `elus.csv`.
    #[error(
        "identifiant de groupe invalide « {0} » : lettres, chiffres, « - », « _ » et « . » seulement (64 au plus)"
    )]
    GroupeInvalide(String),
    /// The indemnités allocation of the changed scenario is infeasible or failed (the
    /// pipeline's error, whole: its diagnosis is worded on one line).
    #[error("indemnités impossibles après cette modification : {}", .0.sur_une_ligne())]
    Indemnites(Erreur),
    /// The optimiser found no proposal (the pipeline's error, whole).
    #[error("l'optimiseur n'a pas de proposition : {}", .0.sur_une_ligne())]
    Optimiseur(Erreur),
    /// Unknown route.
    #[error("adresse inconnue « {0} » : voir docs/seminaire.md pour l'API")]
    Introuvable(String),
    /// Too many followers connected.
    #[error("trop de navigateurs connectés (maximum {0})")]
    TropDeSuiveurs(usize),
    /// The changed scenario breaks a rule of the input files (the rules `collegia verifier`
    /// applies): the diagnostic, whole.
    #[error("modification refusée : la variante ne passerait pas « collegia verifier » : {0}")]
    ModificationInvalide(String),
    /// A `Host` or `Origin` that is not this machine nor a name given with `--hote`.
    #[error(
        "adresse « {0} » refusée : le séminaire ne répond qu'à localhost, aux adresses de ce poste et aux noms donnés avec --hote"
    )]
    HoteRefuse(String),
    /// The input files changed since the séance on disk began.
    #[error(
        "la séance en cours ({dossier}) a commencé sur d'autres fichiers d'entrée : {} ont changé depuis ; remettez-les tels quels pour la reprendre, ou relancez avec --nouvelle pour repartir du scénario actuel (l'ancienne séance est conservée à côté)",
        .fichiers.join(", ")
    )]
    EntreesModifiees {
        /// The séance's folder.
        dossier: String,
        /// The files that changed, appeared or disappeared.
        fichiers: Vec<String>,
    },
    /// A line of the séance's journal cannot be read.
    #[error(
        "{fichier}, ligne {ligne} : journal de séance illisible ({message}) ; relancez avec --nouvelle pour repartir du scénario (l'ancienne séance est conservée à côté)"
    )]
    SeanceIllisible {
        /// The journal file.
        fichier: String,
        /// 1-based line.
        ligne: usize,
        /// What is wrong.
        message: String,
    },
    /// An empty, multi-line or too long decision note.
    #[error("note invalide : écrivez une seule ligne de 1 à {0} caractères")]
    NoteInvalide(usize),
    /// A note with no change to attach it to.
    #[error("rien à annoter : la note s'attache à la dernière ligne du journal, qui est vide")]
    RienANoter,
    /// Another server holds the séance.
    #[error(
        "la séance {0} est déjà ouverte par un autre « collegia seminaire » : arrêtez-le, ou donnez une autre --sortie"
    )]
    SeanceOuverte(String),
    /// No saved variant of that name.
    #[error("variante inconnue « {0} » : choisissez une variante enregistrée pendant la séance")]
    VarianteInconnue(String),
    /// A saved variant that no longer loads.
    #[error("la variante ne se charge plus : {0}")]
    VarianteIllisible(String),
    /// Too many followers from one address.
    #[error("trop de navigateurs ouverts depuis ce poste (maximum {0}) : fermez des onglets")]
    TropDeSuiveursClient(usize),
    /// A point of the front of compromises that does not exist.
    #[error(
        "point {point} du front inconnu : le front de l'état actuel compte {nombre} point(s), numérotés de 1 à {nombre} (voir GET /api/front)"
    )]
    PointInconnu {
        /// Point asked for.
        point: usize,
        /// Points of the current front.
        nombre: usize,
    },
    /// A stage of the reorganisation's path that does not exist.
    #[error(
        "étape {etape} de la réorganisation inconnue : le chemin compte {nombre} étape(s), numérotées de 1 à {nombre} (voir GET /api/reorganisation)"
    )]
    EtapeInconnue {
        /// Stage asked for.
        etape: usize,
        /// Stages of the path.
        nombre: usize,
    },
    /// No staged reorganisation: the `[reorganisation]` table cannot be read, its rules are in
    /// conflict, or the solver failed (the reason, in French, on one line).
    #[error("pas de chemin de réorganisation : {0}")]
    SansReorganisation(String),
}

impl ErreurSeminaire {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ErreurSeminaire::RequeteIllisible(_) => "S001",
            ErreurSeminaire::JetonInvalide => "S002",
            ErreurSeminaire::TropDeRequetes => "S003",
            ErreurSeminaire::TropVolumineux(_) => "S004",
            ErreurSeminaire::RienAAnnuler => "S005",
            ErreurSeminaire::RienARetablir => "S006",
            ErreurSeminaire::VarianteExistante(_) => "S007",
            ErreurSeminaire::Ecriture(_) => "S008",
            ErreurSeminaire::NomInvalide(_) => "S009",
            ErreurSeminaire::NoeudInconnu(_) => "S010",
            ErreurSeminaire::EluInconnu(_) => "S011",
            ErreurSeminaire::GroupeInconnu(_) => "S012",
            ErreurSeminaire::DelegationInconnue { .. } => "S013",
            ErreurSeminaire::GroupeSansChef(_) => "S014",
            ErreurSeminaire::ValeurHorsBornes { .. } => "S015",
            ErreurSeminaire::ModificationVide => "S016",
            ErreurSeminaire::MaireSansGroupe(_) => "S017",
            ErreurSeminaire::GroupeInvalide(_) => "S018",
            ErreurSeminaire::Indemnites(_) => "S020",
            ErreurSeminaire::Optimiseur(_) => "S021",
            ErreurSeminaire::Introuvable(_) => "S022",
            ErreurSeminaire::TropDeSuiveurs(_) => "S023",
            ErreurSeminaire::PointInconnu { .. } => "S024",
            ErreurSeminaire::ModificationInvalide(_) => "S019",
            ErreurSeminaire::HoteRefuse(_) => "S025",
            ErreurSeminaire::EntreesModifiees { .. } => "S026",
            ErreurSeminaire::SeanceIllisible { .. } => "S027",
            ErreurSeminaire::NoteInvalide(_) => "S028",
            ErreurSeminaire::RienANoter => "S029",
            ErreurSeminaire::TropDeSuiveursClient(_) => "S030",
            ErreurSeminaire::VarianteInconnue(_) => "S031",
            ErreurSeminaire::VarianteIllisible(_) => "S032",
            ErreurSeminaire::SeanceOuverte(_) => "S033",
            ErreurSeminaire::EtapeInconnue { .. } => "S034",
            ErreurSeminaire::SansReorganisation(_) => "S035",
        }
    }

    /// HTTP status of the error (always 4xx, except a failed write, 500). A pipeline error
    /// answers with the pipeline's own status ([`Erreur::statut_http`]), so that the séminaire
    /// and the command line never disagree on which failure is bad input (400) and which is a
    /// refusal of the computation (422).
    pub fn statut_http(&self) -> u16 {
        match self {
            ErreurSeminaire::JetonInvalide => 401,
            ErreurSeminaire::TropDeRequetes | ErreurSeminaire::TropDeSuiveursClient(_) => 429,
            ErreurSeminaire::HoteRefuse(_) => 403,
            ErreurSeminaire::RienANoter => 409,
            ErreurSeminaire::TropVolumineux(_) => 413,
            ErreurSeminaire::RienAAnnuler
            | ErreurSeminaire::RienARetablir
            | ErreurSeminaire::VarianteExistante(_) => 409,
            ErreurSeminaire::Ecriture(_)
            | ErreurSeminaire::EntreesModifiees { .. }
            | ErreurSeminaire::SeanceIllisible { .. }
            | ErreurSeminaire::SeanceOuverte(_) => 500,
            ErreurSeminaire::Introuvable(_) | ErreurSeminaire::VarianteInconnue(_) => 404,
            ErreurSeminaire::VarianteIllisible(_) | ErreurSeminaire::SansReorganisation(_) => 422,
            ErreurSeminaire::TropDeSuiveurs(_) => 503,
            ErreurSeminaire::Indemnites(e) | ErreurSeminaire::Optimiseur(e) => e.statut_http(),
            _ => 400,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::{Echec, ErreurDonnees};

    #[test]
    fn a_pipeline_error_answers_with_the_pipeline_status() {
        let cas = [
            Erreur::from(Echec::Infaisable(Default::default())),
            Erreur::from(Echec::Solveur("limite".into())),
            Erreur::from(ErreurDonnees("verrou".into())),
        ];
        for e in cas {
            let attendu = e.statut_http();
            assert_eq!(
                ErreurSeminaire::Optimiseur(e.clone()).statut_http(),
                attendu
            );
            assert_eq!(ErreurSeminaire::Indemnites(e).statut_http(), attendu);
        }
        // A lock that names nothing usable is bad input, not a refused computation.
        assert_eq!(
            ErreurSeminaire::Optimiseur(ErreurDonnees("verrou".into()).into()).statut_http(),
            400
        );
    }
}
