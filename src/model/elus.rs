//! Élu·es of the council and their délégations.

use super::NodeIx;
use serde::Serialize;

/// Sex as recorded in the tableau du conseil (used for the parity rules of L2122-7-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Sexe {
    /// Femme.
    F,
    /// Homme.
    M,
}

impl Sexe {
    /// Code as written in files.
    pub fn code(self) -> &'static str {
        match self {
            Sexe::F => "F",
            Sexe::M => "M",
        }
    }
}

/// Function of an élu·e in the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fonction {
    /// Maire.
    Maire,
    /// Adjoint·e au maire (thematic, transversal or de quartier).
    Adjoint,
    /// Maire délégué·e of a commune déléguée (commune nouvelle, CGCT L2113-13).
    MaireDelegue,
    /// Adjoint·e au maire délégué·e of a commune déléguée (CGCT L2113-13): not an adjoint·e of
    /// the commune nouvelle; paid on the adjoint barème of the commune déléguée's stratum
    /// (L2113-19).
    AdjointMaireDelegue,
    /// Maire d'arrondissement (Paris, Lyon) or de secteur (Marseille), a conseiller·e
    /// municipal·e elected by the conseil d'arrondissement (CGCT L2511-25): own cap
    /// (L2511-34, L2511-34-1 and L2511-35), outside the enveloppe.
    MaireArrondissement,
    /// Adjoint·e au maire d'arrondissement or de secteur (CGCT L2511-28): own cap, outside the
    /// enveloppe, not counted in the 30 % of the municipal council.
    AdjointArrondissement,
    /// Conseiller·e municipal·e délégué·e (holds a délégation by arrêté, L2122-18).
    ConseillerDelegue,
    /// Conseiller·e municipal·e without délégation.
    Conseiller,
}

impl Fonction {
    /// Identifier as written in `elus.csv`.
    pub fn code(self) -> &'static str {
        match self {
            Fonction::Maire => "maire",
            Fonction::Adjoint => "adjoint",
            Fonction::MaireDelegue => "maire_delegue",
            Fonction::AdjointMaireDelegue => "adjoint_maire_delegue",
            Fonction::MaireArrondissement => "maire_arrondissement",
            Fonction::AdjointArrondissement => "adjoint_arrondissement",
            Fonction::ConseillerDelegue => "conseiller_delegue",
            Fonction::Conseiller => "conseiller",
        }
    }

    /// French label, inclusive spelling.
    pub fn libelle(self) -> &'static str {
        match self {
            Fonction::Maire => "maire",
            Fonction::Adjoint => "adjoint·e",
            Fonction::MaireDelegue => "maire délégué·e",
            Fonction::AdjointMaireDelegue => "adjoint·e au maire délégué·e",
            Fonction::MaireArrondissement => "maire d'arrondissement ou de secteur",
            Fonction::AdjointArrondissement => "adjoint·e d'arrondissement ou de secteur",
            Fonction::ConseillerDelegue => "conseiller·e délégué·e",
            Fonction::Conseiller => "conseiller·e municipal·e",
        }
    }

    /// Plural French label, inclusive spelling.
    pub fn libelle_pluriel(self) -> &'static str {
        match self {
            Fonction::Maire => "maire",
            Fonction::Adjoint => "adjoint·es",
            Fonction::MaireDelegue => "maires délégué·es",
            Fonction::AdjointMaireDelegue => "adjoint·es au maire délégué·e",
            Fonction::MaireArrondissement => "maires d'arrondissement ou de secteur",
            Fonction::AdjointArrondissement => "adjoint·es d'arrondissement ou de secteur",
            Fonction::ConseillerDelegue => "conseiller·es délégué·es",
            Fonction::Conseiller => "conseiller·es municipaux·ales",
        }
    }

    /// All functions in the order of the tableau.
    pub const ALL: [Fonction; 8] = [
        Fonction::Maire,
        Fonction::Adjoint,
        Fonction::MaireDelegue,
        Fonction::AdjointMaireDelegue,
        Fonction::MaireArrondissement,
        Fonction::AdjointArrondissement,
        Fonction::ConseillerDelegue,
        Fonction::Conseiller,
    ];
}

/// Side of the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Liste {
    /// Member of the majority.
    Majorite,
    /// Member of the opposition.
    Opposition,
}

impl Liste {
    /// Identifier as written in files.
    pub fn code(self) -> &'static str {
        match self {
            Liste::Majorite => "majorite",
            Liste::Opposition => "opposition",
        }
    }
}

/// One élu·e.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Elu {
    /// Unique identifier.
    pub id: String,
    /// Family name.
    pub nom: String,
    /// First name.
    pub prenom: String,
    /// Sex.
    pub sexe: Sexe,
    /// Function in the council.
    pub fonction: Fonction,
    /// Rank in the order of the tableau (adjoint·es: 1 = premier·e adjoint·e).
    pub rang: Option<u32>,
    /// Binôme / group identifier.
    pub groupe: Option<String>,
    /// Majority or opposition.
    pub liste: Liste,
    /// Component of the majority (party, collective), if given.
    pub composante: Option<String>,
    /// Quartier, for an adjoint·e de quartier.
    pub quartier: Option<String>,
    /// Commune déléguée (id), for a maire délégué·e or an adjoint·e au maire délégué·e (required
    /// for the latter: E044).
    pub commune_deleguee: Option<String>,
    /// Transversal axis held (id), if any.
    pub axe: Option<String>,
    /// Rate currently voted, in % of the terme de référence (converted from
    /// [`Elu::taux_actuel_eur`] at the scenario's date when the file gives euros).
    pub taux_actuel: Option<f64>,
    /// Current monthly gross amount as written in euros in `taux_actuel` (« 2 380 € »), when the
    /// file gives an amount rather than a rate.
    pub taux_actuel_eur: Option<f64>,
    /// Declared lead of their group (`chef_de_file`: `Some(true)` = oui, `Some(false)` = non,
    /// `None` = not said); read by [`crate::model::Scenario::groupes_detail`].
    pub chef_de_file: Option<bool>,
    /// Monthly gross amount received from other mandates, in euros (for the écrêtement).
    pub autres_indemnites_eur: Option<f64>,
    /// 1-based line in `elus.csv`.
    pub ligne: usize,
}

impl Elu {
    /// "Prénom Nom".
    pub fn nom_complet(&self) -> String {
        format!("{} {}", self.prenom, self.nom)
    }

    /// True for an adjoint·e de quartier.
    pub fn est_adjoint_quartier(&self) -> bool {
        self.fonction == Fonction::Adjoint && self.quartier.is_some()
    }

    /// True for a function of a commune déléguée (maire délégué·e, adjoint·e au maire
    /// délégué·e): paid on the commune déléguée's stratum (L2113-19), outside the enveloppe.
    pub fn est_de_commune_deleguee(&self) -> bool {
        matches!(
            self.fonction,
            Fonction::MaireDelegue | Fonction::AdjointMaireDelegue
        )
    }

    /// True for the holder of a transversal axis.
    pub fn est_transversal(&self) -> bool {
        self.axe.is_some()
    }
}

/// Whether an élu·e leads a node or supports its lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Leads the node: the services answer to this élu·e.
    Pilote,
    /// Supports the pilote, without authority over the services.
    Appui,
}

impl Role {
    /// Identifier as written in files.
    pub fn code(self) -> &'static str {
        match self {
            Role::Pilote => "pilote",
            Role::Appui => "appui",
        }
    }
}

/// A délégation that names no service (a row of `delegations.csv` with an empty `noeud`):
/// « migrations », « temps de la ville », a délégation exercised at the intercommunalité or the
/// CCAS. It is a real délégation (the élu·e holds it, letters and indemnités show it) but it
/// covers no node, so no coverage, orphan or double rattachement rule ever sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DelegationSansService {
    /// Index of the élu·e in [`crate::model::Scenario::elus`].
    pub elu: usize,
    /// Pilote or appui.
    pub role: Role,
    /// Wording of the délégation (required: it is all the délégation says).
    pub libelle: String,
    /// 1-based line in `delegations.csv`.
    pub ligne: usize,
    /// Domains declared in the `domaine` column (keys of [`crate::model::domaine`]); empty:
    /// inferred from the wording.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domaines: Vec<String>,
}

/// Attachment of an élu·e to a node of the organigramme; it covers the node's whole subtree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delegation {
    /// Index of the élu·e in [`crate::model::Scenario::elus`].
    pub elu: usize,
    /// Node delegated.
    pub noeud: NodeIx,
    /// Pilote or appui.
    pub role: Role,
    /// Wording of the délégation ("Éducation et petite enfance").
    pub libelle: String,
    /// 1-based line in `delegations.csv`.
    pub ligne: usize,
    /// Domains declared in the `domaine` column (keys of [`crate::model::domaine`]); empty:
    /// inferred ([`crate::model::domaine::domaines_delegation`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domaines: Vec<String>,
}
