//! The domain model of a scenario: the organigramme of the city's services (a petgraph tree with
//! secondary links), the élu·es, their délégations and the scenario parameters.
//!
//! Everything here is plain validated data: the ingest stage builds it from files, every later
//! stage (law, analyse, optimise, report) reads it. No I/O happens in this module.

pub mod domaine;
mod elus;
mod groupe;
mod organigramme;
mod quartier;
mod scenario;
mod verrous;
mod voeux;

pub use elus::{Delegation, DelegationSansService, Elu, Fonction, Liste, Role, Sexe};
pub use groupe::{ChoixChef, Groupe, REGLE_CHEF, peut_animer};
pub use organigramme::{Entite, Niveau, NodeIx, Noeud, Organigramme};
pub use quartier::{
    Lien, adjoints_thematiques, delegation_territoriale, groupes_lies, lien, lien_au_groupe,
    perimetre_thematique,
};
pub use scenario::{
    Axe, CommuneDeleguee, CommuneParams, DEFAULT_AXES, GroupesParams, IndemnitesParams,
    LectureMaireDelegueAdjoint, LecturePlafondL2113_8, Majoration, Monotonie, Politique, Priorite,
    ReorganisationParams, Scenario, ScenarioParams, VerrouDga,
};
pub use verrous::{SujetVerrou, Verrou};
pub use voeux::{RANG_SANS_VOEU, RANGS_VOEUX, Voeu, est_mobile, groupe_pilote, groupes_menes};
