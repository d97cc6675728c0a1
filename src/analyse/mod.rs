//! Diagnostics of a scenario: where the proposed délégations contradict the pacte de gouvernance.
//!
//! In: a validated [`Scenario`]. Out: an [`Analyse`], plain data: coded [`Finding`]s (erreur,
//! alerte, info) and the metrics later stages reuse (coverage matrix pôle × porteur, load per
//! porteur, responsibility figures per élu·e). Nothing here prints; `report::analyse` renders.
//!
//! One file per diagnosis family, each a pure function of the model:
//! - [`graphe`]: the combined graph (organigramme, élu·es, groups) and inherited coverage;
//! - [`rattachements`]: doubles rattachements (D001, D002);
//! - [`couverture`]: orphan services (D003);
//! - [`silos`]: dispersed groups, single-group pôles, transversal axes (D004–D006);
//! - [`groupes`]: composition of groups and the place of every élu·e (D007–D011);
//! - [`equilibre`]: load per porteur and per élu·e, Gini, parity and components (metrics only).
//!
//! The legal family (CGCT) is computed by `crate::law`; its findings are converted into
//! [`Finding`]s with [`Famille::Legal`] and added with [`Analyse::ajouter`].

pub mod attribution;
pub mod couverture;
pub mod entites;
pub mod equilibre;
pub mod graphe;
pub mod groupes;
pub mod rattachements;
pub mod silos;

pub use attribution::{Attribution, Charge};
pub use equilibre::{
    CellulePole, ChargeCategorie, ChargePorteur, Metriques, ResponsabiliteElu, gini,
};
pub use graphe::{Couverture, Graphe, Lien, Porteur, Sommet, porteur_de};

use crate::model::{NodeIx, Scenario};
use serde::Serialize;

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gravite {
    /// Contradicts the pacte or the law: must be fixed before the séminaire.
    Erreur,
    /// Weakens collegiality: to be discussed.
    Alerte,
    /// For information.
    Info,
}

impl Gravite {
    /// French label.
    pub fn libelle(self) -> &'static str {
        match self {
            Gravite::Erreur => "erreur",
            Gravite::Alerte => "alerte",
            Gravite::Info => "info",
        }
    }

    /// All severities, most serious first.
    pub const ALL: [Gravite; 3] = [Gravite::Erreur, Gravite::Alerte, Gravite::Info];
}

/// Family of rules a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Famille {
    /// Doubles rattachements (hierarchy and secondary links).
    Rattachements,
    /// Coverage of the services by pilotes.
    Couverture,
    /// Silos: pôles, groups and transversal axes.
    Silos,
    /// Composition of groups, place of every élu·e.
    Groupes,
    /// Balance of loads.
    Equilibre,
    /// Legal rules (CGCT), computed by `crate::law`.
    Legal,
}

/// Stable codes of the findings produced by this module (documented in `docs/diagnostics.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    /// Double rattachement: pilotes of different porteurs on a node or its ancestors.
    D001,
    /// Double rattachement through a secondary (functional) link.
    D002,
    /// Orphan service: staff or budget, no pilote.
    D003,
    /// Group piloting in several pôles (DGA).
    D004,
    /// Pôle reached by a single group and by no transversal axis.
    D005,
    /// Transversal axis absent from a pôle where it is tagged.
    D006,
    /// Group without exactly one (non-quartier) adjoint·e.
    D007,
    /// Group of one member or above `taille_max`.
    D008,
    /// Conseiller·e délégué·e outside any group.
    D009,
    /// Adjoint·e de quartier without a thematic délégation linked to their group's adjoint·e.
    D010,
    /// Élu·e of the majority without any délégation.
    D011,
    /// Group whose lead was chosen by the default rule, not declared (`chef_de_file`).
    D012,
    /// Territorial matrix: a secteur adjoint·e piloting their territorial node inside another
    /// porteur's direction (`territoire`), reported instead of a double rattachement.
    D013,
    /// Élu·e piloting services that are not the commune's (agglomération, CCAS, mutualisé).
    D014,
}

impl Code {
    /// The code as written in outputs (`D001`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::D001 => "D001",
            Code::D002 => "D002",
            Code::D003 => "D003",
            Code::D004 => "D004",
            Code::D005 => "D005",
            Code::D006 => "D006",
            Code::D007 => "D007",
            Code::D008 => "D008",
            Code::D009 => "D009",
            Code::D010 => "D010",
            Code::D011 => "D011",
            Code::D012 => "D012",
            Code::D013 => "D013",
            Code::D014 => "D014",
        }
    }

    /// Short French title.
    pub fn titre(self) -> &'static str {
        match self {
            Code::D001 => "double rattachement",
            Code::D002 => "double rattachement par lien secondaire",
            Code::D003 => "service orphelin",
            Code::D004 => "groupe dispersé sur plusieurs pôles",
            Code::D005 => "pôle suivi par un seul groupe, sans axe transversal",
            Code::D006 => "axe transversal absent d'un pôle",
            Code::D007 => "groupe sans exactement un·e adjoint·e",
            Code::D008 => "taille de groupe",
            Code::D009 => "conseiller·e délégué·e hors groupe",
            Code::D010 => "adjoint·e de quartier sans délégation thématique liée",
            Code::D011 => "élu·e de la majorité sans délégation",
            Code::D012 => "chef·fe de file désigné·e par la règle",
            Code::D013 => "matrice territoriale",
            Code::D014 => "service qui n'est pas celui de la commune",
        }
    }

    /// Family of the code.
    pub fn famille(self) -> Famille {
        match self {
            Code::D001 | Code::D002 | Code::D013 => Famille::Rattachements,
            Code::D003 | Code::D014 => Famille::Couverture,
            Code::D004 | Code::D005 | Code::D006 => Famille::Silos,
            Code::D007 | Code::D008 | Code::D009 | Code::D010 | Code::D011 | Code::D012 => {
                Famille::Groupes
            }
        }
    }
}

/// What a finding is about: identifiers, each list sorted and without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Sujets {
    /// Node ids of the organigramme.
    pub noeuds: Vec<String>,
    /// Élu·e ids.
    pub elus: Vec<String>,
    /// Group ids.
    pub groupes: Vec<String>,
}

impl Sujets {
    /// Builds subjects, sorting and deduplicating each list.
    pub fn new(
        noeuds: impl IntoIterator<Item = String>,
        elus: impl IntoIterator<Item = String>,
        groupes: impl IntoIterator<Item = String>,
    ) -> Sujets {
        fn trie(v: impl IntoIterator<Item = String>) -> Vec<String> {
            let mut v: Vec<String> = v.into_iter().collect();
            v.sort();
            v.dedup();
            v
        }
        Sujets {
            noeuds: trie(noeuds),
            elus: trie(elus),
            groupes: trie(groupes),
        }
    }
}

/// One diagnosis, worded in French.
///
/// `code` is text so that findings of other modules (the legal family of `crate::law`) convert
/// into this type without loss; this module's codes are the [`Code`] values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable code (`D001`…, or the legal module's codes).
    pub code: String,
    /// Severity.
    pub gravite: Gravite,
    /// Family of rules.
    pub famille: Famille,
    /// Nodes, élu·es and groups concerned (sorted).
    pub sujets: Sujets,
    /// What is wrong, in French.
    pub message: String,
    /// The pacte line or the article the rule comes from.
    pub regle: String,
    /// How to fix it, in French.
    pub suggestion: String,
    /// Staff concerned in ETP, when it measures the stake (orphan or contested staff, staff
    /// outside the main pôle).
    pub effectif: Option<f64>,
}

impl Finding {
    /// A finding of this module; the family is derived from the code.
    pub fn new(
        code: Code,
        gravite: Gravite,
        sujets: Sujets,
        message: String,
        regle: &str,
        suggestion: String,
    ) -> Finding {
        Finding {
            code: code.as_str().to_string(),
            gravite,
            famille: code.famille(),
            sujets,
            message,
            regle: regle.to_string(),
            suggestion,
            effectif: None,
        }
    }

    /// Sets the staff concerned.
    pub fn avec_effectif(mut self, effectif: f64) -> Finding {
        self.effectif = Some(effectif);
        self
    }
}

/// Pacte lines the rules come from, quoted in findings.
pub mod regles {
    /// Délégations coherent with the organigramme, no double rattachement.
    pub const COHERENCE: &str = "Pacte : « la nouvelle répartition des délégations devra être cohérente avec l'organigramme des services (et éviter les doubles rattachements) »";
    /// Every service answers to someone.
    pub const COUVERTURE: &str = "Pacte : « la nouvelle répartition des délégations devra être cohérente avec l'organigramme des services » (chaque service a un·e élu·e pilote)";
    /// Transversal axes against silos.
    pub const SILOS: &str = "Pacte : les adjoint·es transversaux·ales doivent réduire « les effets négatifs des silos »";
    /// Groups of one adjoint·e and one or more conseiller·es délégué·es.
    pub const GROUPES: &str = "Pacte : groupes composés d'« un·e adjoint·e et un·e ou plusieurs conseiller·e délégué·es »";
    /// Adjoint·es de quartier also hold a thematic délégation.
    pub const QUARTIER: &str = "Pacte : chaque adjoint·e de quartier porte aussi une délégation « en lien avec un adjoint thématique »";
    /// Everyone has a place and a role.
    pub const PLACE: &str = "Pacte : « chacun·e a une place et un rôle »";
}

/// The result of [`analyser`]: findings and metrics, sorted and deterministic.
#[derive(Debug, Clone, Serialize)]
pub struct Analyse {
    /// Scenario name.
    pub scenario: String,
    /// Findings, most serious first, then by code and subjects.
    pub constats: Vec<Finding>,
    /// Metrics reused by the indemnités and optimiser stages.
    pub metriques: Metriques,
    /// Staff whose figure is an estimate (`estime` in `organigramme.csv`): (estimated ETP, total
    /// ETP); `None` when no node is estimated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effectif_estime: Option<(f64, f64)>,
    /// What each direction and service is about ([`crate::model::domaine`]), in organigramme
    /// order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domaines: Vec<DomainesNoeud>,
}

/// The domains of one node, as `analyser` shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainesNoeud {
    /// Node id.
    pub noeud: String,
    /// Node libellé.
    pub libelle: String,
    /// Domain keys (`etat_civil`, `cimetieres`…).
    pub domaines: Vec<String>,
    /// « déclaré » (column `domaine`), « inféré » (from the libellé or a parent node), or empty.
    pub origine: String,
}

/// The domains of every direction and service of a scenario, in organigramme order.
pub fn domaines_noeuds(s: &Scenario) -> Vec<DomainesNoeud> {
    use crate::model::Niveau;
    use crate::model::domaine::{TableDomaines, domaines_noeud};
    let t = TableDomaines::integree();
    let org = &s.organigramme;
    (0..org.len())
        .filter(|&n| matches!(org.noeud(n).niveau, Niveau::Direction | Niveau::Service))
        .map(|n| {
            let d = domaines_noeud(s, n);
            DomainesNoeud {
                noeud: org.noeud(n).id.clone(),
                libelle: org.noeud(n).libelle.clone(),
                domaines: d
                    .domaines
                    .iter()
                    .map(|&x| t.domaine(x).cle.clone())
                    .collect(),
                origine: d.origine.libelle().to_string(),
            }
        })
        .collect()
}

impl Analyse {
    /// Adds findings (e.g. the legal family) and restores the canonical order.
    pub fn ajouter(&mut self, constats: impl IntoIterator<Item = Finding>) {
        self.constats.extend(constats);
        trier(&mut self.constats);
    }

    /// Number of findings of a severity.
    pub fn nombre(&self, gravite: Gravite) -> usize {
        self.constats
            .iter()
            .filter(|f| f.gravite == gravite)
            .count()
    }

    /// True when at least one erreur was found (`--strict` fails then).
    pub fn a_des_erreurs(&self) -> bool {
        self.nombre(Gravite::Erreur) > 0
    }

    /// Findings with a given code.
    pub fn de_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.constats.iter().filter(move |f| f.code == code)
    }
}

/// Canonical order of findings: severity, code, subjects, message.
fn trier(v: &mut [Finding]) {
    v.sort_by(|a, b| {
        (a.gravite, &a.code, &a.sujets, &a.message)
            .cmp(&(b.gravite, &b.code, &b.sujets, &b.message))
    });
}

impl From<crate::law::LegalFinding> for Finding {
    /// A legal finding of the law module (`L0xx` breaches, `L1xx` open legal points) in the
    /// analyser's shape: the article becomes the rule, the élu·es the subjects.
    fn from(l: crate::law::LegalFinding) -> Finding {
        let gravite = match l.gravite {
            crate::law::Gravite::Erreur => Gravite::Erreur,
            crate::law::Gravite::Alerte => Gravite::Alerte,
            crate::law::Gravite::Info => Gravite::Info,
        };
        let mut elus = l.sujets;
        elus.sort();
        elus.dedup();
        Finding {
            code: l.code.to_string(),
            gravite,
            famille: Famille::Legal,
            sujets: Sujets {
                noeuds: Vec::new(),
                elus,
                groupes: Vec::new(),
            },
            message: l.message,
            regle: format!("CGCT {}", l.article.trim_start_matches("CGCT ")),
            suggestion: l.suggestion,
            effectif: None,
        }
    }
}

/// Runs every diagnosis of this module on a scenario.
///
/// The legal family is not included: convert `crate::law` findings and add them with
/// [`Analyse::ajouter`].
pub fn analyser(s: &Scenario) -> Analyse {
    let graphe = Graphe::construire(s);
    let cov = Couverture::calculer(s, &graphe);
    let mut constats = Vec::new();
    constats.extend(rattachements::diagnostiquer(s, &cov));
    constats.extend(couverture::diagnostiquer(s, &cov));
    constats.extend(silos::diagnostiquer(s, &cov));
    constats.extend(groupes::diagnostiquer(s));
    constats.extend(entites::diagnostiquer(s, &Attribution::calculer(s, &cov)));
    constats.extend(
        crate::law::verifier_composition(s)
            .into_iter()
            .map(Finding::from),
    );
    marquer_estimations(s, &mut constats);
    trier(&mut constats);
    let (estime, total) = s.organigramme.effectif_estime();
    Analyse {
        scenario: s.params.nom.clone(),
        constats,
        metriques: equilibre::metriques(s, &cov),
        effectif_estime: (estime > 0.0).then_some((estime, total)),
        domaines: domaines_noeuds(s),
    }
}

/// The words a finding resting on an estimated staff figure ends with.
pub const MENTION_ESTIMATION: &str =
    "(effectif estimé : au moins un nœud concerné a estime = oui dans organigramme.csv)";

/// Says so in every finding whose staff figure rests on an estimate: a finding with a staff
/// figure (`effectif`) one of whose nodes has an estimated node in its subtree.
fn marquer_estimations(s: &Scenario, constats: &mut [Finding]) {
    let org = &s.organigramme;
    for f in constats.iter_mut().filter(|f| f.effectif.is_some()) {
        let estime = f
            .sujets
            .noeuds
            .iter()
            .filter_map(|id| org.find(id))
            .any(|n| org.repose_sur_estimation(n));
        if estime {
            f.message.push(' ');
            f.message.push_str(MENTION_ESTIMATION);
        }
    }
}

/// "« ID » (Libellé)": how findings name a node.
pub(crate) fn nom_noeud(s: &Scenario, n: NodeIx) -> String {
    let x = s.organigramme.noeud(n);
    format!("« {} » ({})", x.id, x.libelle)
}

/// "Prénom Nom (ID)": how findings name an élu·e.
pub(crate) fn nom_elu(s: &Scenario, e: usize) -> String {
    let x = &s.elus[e];
    format!("{} ({})", x.nom_complet(), x.id)
}

/// French enumeration: "a", "a et b", "a, b et c".
pub(crate) fn enumerer(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [debut @ .., fin] => format!("{} et {fin}", debut.join(", ")),
    }
}
