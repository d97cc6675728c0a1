//! A séminaire session: the input scenario, the stack of changes applied (undo, redo) and the
//! journal of every step with its effect.
//!
//! In: a [`Chargement`], its folder and locks; then changes, undos and redos. Out: the current
//! [`Etat`], the journal ([`EntreeJournal`]), the front of compromises of the current state
//! ([`Front`], computed once per state and kept with it) and, on request, a scenario variant
//! written through [`crate::report::ecriture::Sortie`].

use super::effet::Effet;
use super::etat::{Etat, Evaluation, Nombres, evaluer};
use super::modification::{Modification, appliquer};
use super::seance::{Evenement, Instantane, LigneDelegation, Seance};
use super::{ErreurSeminaire, compte_rendu};
use crate::ingest::Chargement;
use crate::model::{Scenario, Verrou};
use crate::optimise::front::PointFront;
use crate::optimise::{Donnees, Echec, Granularite, Options};
use crate::report::ecriture::{Sortie, absolu, chemin_relatif, nom_de_fichier};
use crate::report::optimisation::{LigneFront, lignes_front};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// The front of compromises of one state, computed on the first request and kept with the
/// state (undo and redo keep it too): the front is deterministic, so the state is its only
/// source of truth.
type CacheFront = Arc<OnceLock<Result<Arc<Vec<PointFront>>, ErreurSeminaire>>>;

/// The optimiser's proposal for one state, solved once (the preview and the application then
/// show and apply the same plan).
type CacheProposition = Arc<OnceLock<Result<Arc<crate::optimise::Plan>, ErreurSeminaire>>>;

/// The staged reorganisation of the input scenario (`collegia reorganiser` on its
/// `[reorganisation]`): solved once per séance, on the first request.
#[derive(Debug)]
pub struct PlanReorganisation {
    /// The model's data.
    pub donnees: crate::reorganisation::Donnees,
    /// The verified plan.
    pub resultat: crate::reorganisation::Resultat,
}

type CacheReorganisation = Arc<OnceLock<Result<Arc<PlanReorganisation>, ErreurSeminaire>>>;

/// What solving the reorganisation needs, taken from the [`Session`] so that the solve runs
/// without holding it ([`Session::demande_reorganisation`]).
#[derive(Debug, Clone)]
pub struct DemandeReorganisation {
    base: Arc<Scenario>,
    fichier: String,
    cache: CacheReorganisation,
    /// The current state (which stage its organigramme is).
    courant: Arc<Scenario>,
}

/// One stage of the path, as `GET /api/reorganisation` answers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EtapeChemin {
    /// Stage, from 1.
    pub etape: usize,
    /// Its date (`01/10/2026`).
    pub date: String,
    /// The consultation of the comité social territorial before it, in French.
    pub consultation: String,
    /// Agents whose DGA changes at the stage.
    pub agents: f64,
    /// Each move of the stage in words (direction, agents, DGA before → after, reason).
    pub mouvements: Vec<String>,
    /// The measures before → after the stage, in words.
    pub mesures: String,
    /// The weighted coherence after the stage (lower is more coherent).
    pub coherence: f64,
    /// The current state's organigramme is this stage's.
    pub appliquee: bool,
}

/// The staged path of the DGA perimeters, as `GET /api/reorganisation` answers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheminReorganisation {
    /// How good the plan is known to be, in French.
    pub statut: String,
    /// Agents whose DGA changes per stage, at most.
    pub plafond: f64,
    /// The weighted coherence today.
    pub coherence: f64,
    /// The stages, from 1.
    pub etapes: Vec<EtapeChemin>,
    /// What became of each priority, in French.
    pub priorites: Vec<String>,
    /// The legal frame, each rule with its status (« (vérifié) », « (non vérifié) »).
    pub cadre: Vec<String>,
}

/// The options of the reorganisation's solve in the séminaire: the defaults with a 20 s time
/// limit, as the optimiser's.
fn options_reorganisation() -> crate::lp::Options {
    crate::lp::Options {
        limite_temps: 20.0,
        ..Default::default()
    }
}

/// The DGA (index of `d.dgas`) each direction of `d` sits under in `s` (its data's when the
/// direction's parent is not one of them).
fn dga_actuelles(s: &Scenario, d: &crate::reorganisation::Donnees) -> Vec<usize> {
    let org = &s.organigramme;
    d.directions
        .iter()
        .map(|dir| {
            org.find(&dir.id)
                .and_then(|x| org.noeud(x).parent)
                .and_then(|p| {
                    let id = &org.noeud(p).id;
                    d.dgas.iter().position(|k| &k.id == id)
                })
                .unwrap_or(dir.initiale)
        })
        .collect()
}

impl DemandeReorganisation {
    /// The plan: solved on the first call of the séance, then read from its cache (a failure
    /// is kept too, so that a hopeless solve is not restarted by every browser).
    pub fn plan(&self) -> Result<Arc<PlanReorganisation>, ErreurSeminaire> {
        self.cache
            .get_or_init(|| {
                let une_ligne = |t: &str| {
                    t.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let donnees =
                    crate::reorganisation::Donnees::depuis_scenario(&self.base, &self.fichier)
                        .map_err(|e| {
                            ErreurSeminaire::SansReorganisation(une_ligne(&e.to_string()))
                        })?;
                match crate::reorganisation::reorganiser(&donnees, &options_reorganisation()) {
                    Ok(resultat) => Ok(Arc::new(PlanReorganisation { donnees, resultat })),
                    Err(crate::reorganisation::Echec::Infaisable(i)) => {
                        Err(ErreurSeminaire::SansReorganisation(une_ligne(
                            &crate::report::reorganisation::infaisabilite(&i),
                        )))
                    }
                    Err(crate::reorganisation::Echec::Solveur(e)) => Err(
                        ErreurSeminaire::SansReorganisation(format!("erreur du solveur : {e}")),
                    ),
                }
            })
            .clone()
    }

    /// A chart of the path as SVG: `calendrier` (the timeline) or `flux` (the directions
    /// between DGA), the report's plotters charts.
    pub fn graphique(&self, nom: &str) -> Result<String, ErreurSeminaire> {
        let p = self.plan()?;
        let (d, res) = (&p.donnees, &p.resultat);
        let image = if nom == "flux" {
            crate::report::reorganisation::flux(&self.base, d, &res.plan)
        } else {
            crate::report::reorganisation::calendrier(&self.base, d, res)
        };
        image
            .map(|i| i.svg)
            .map_err(|e| ErreurSeminaire::SansReorganisation(e.to_string()))
    }

    /// The path as `GET /api/reorganisation` answers it.
    pub fn resoudre(&self) -> Result<CheminReorganisation, ErreurSeminaire> {
        use crate::report::rapport::reorganisation as r;
        let p = self.plan()?;
        let (d, res) = (&p.donnees, &p.resultat);
        let actuelles = dga_actuelles(&self.courant, d);
        let n = res.plan.etapes.len() - 1;
        Ok(CheminReorganisation {
            statut: crate::report::reorganisation::statut_fr(&res.statut),
            plafond: d.cap_etape,
            coherence: res.mesures.first().map_or(0.0, |m| m.total),
            etapes: (1..=n)
                .map(|t| EtapeChemin {
                    etape: t,
                    date: r::date_etape(d, t),
                    consultation: r::consultation(d, t),
                    agents: res.plan.agents(d, t),
                    mouvements: res
                        .plan
                        .mouvements(t)
                        .into_iter()
                        .map(|i| r::phrase_mouvement(d, res, t, i))
                        .collect(),
                    mesures: r::evolution(res, t),
                    coherence: res.mesures[t].total,
                    appliquee: res.plan.etapes[t] == actuelles
                        && res.plan.etapes[t] != res.plan.etapes[0],
                })
                .collect(),
            priorites: crate::reorganisation::bilan_priorites(d, &res.plan),
            cadre: crate::report::reorganisation::CADRE_JURIDIQUE
                .iter()
                .map(|(t, st)| format!("{t} ({st})"))
                .chain(crate::report::reorganisation::alertes(&self.base, d))
                .collect(),
        })
    }
}

/// What a change would do, before it is applied (`GET /api/apercu`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Apercu {
    /// Version of the state it was computed for.
    pub version: u64,
    /// The journal's line the change would write.
    pub description: String,
    /// Its effect, in words.
    pub effet: Effet,
    /// Findings that would appear (`code : message`).
    pub apparus: Vec<String>,
    /// Findings that would disappear.
    pub disparus: Vec<String>,
}

/// One state of the séminaire: how it was reached from the state below it and, while it is
/// kept in memory, its scenario and evaluation.
#[derive(Debug, Clone)]
struct Pas {
    /// The change that led here (`None` for the input).
    modification: Option<Modification>,
    /// What a solver-made change produced: replayed instead of solving again.
    instantane: Option<Arc<Instantane>>,
    description: String,
    /// The scenario, while kept in memory ([`Session::compacter`] drops old ones).
    scenario: Option<Arc<Scenario>>,
    /// Its evaluation, computed when the state is current.
    evaluation: Option<Arc<Evaluation>>,
    front: CacheFront,
    proposition: CacheProposition,
}

/// States kept whole in memory below the current one; older ones keep only the change that
/// led to them and are rebuilt from it when undo reaches them.
const GARDES: usize = 12;
/// Undone states kept whole in memory (redo rebuilds the others).
const GARDES_DEFAITS: usize = 4;

/// The grouping optimiser's data for a state of the séminaire: direction level, the session's
/// locks, élu·es not regrouped (as `collegia optimiser` without `--regrouper`).
fn donnees_optimiseur(s: &Scenario, verrous: &[Verrou]) -> Result<Donnees, ErreurSeminaire> {
    Donnees::depuis_scenario(s, verrous, Granularite::Direction, false)
        .map_err(|e| ErreurSeminaire::Optimiseur(e.into()))
}

/// The optimiser's options in the séminaire: the defaults with a 20 s time limit, so that the
/// room does not wait longer.
fn options_optimiseur() -> Options {
    Options {
        limite_temps: 20.0,
        ..Options::default()
    }
}

/// An optimiser failure as a séminaire error (the pipeline's error, kept whole).
fn echec_optimiseur(e: Echec) -> ErreurSeminaire {
    ErreurSeminaire::Optimiseur(e.into())
}

/// The front of compromises of one state, as `GET /api/front` answers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Front {
    /// Version of the state it was computed for (as in [`Etat::version`]).
    pub version: u64,
    /// The points, from the gentlest (fewest agents) to the most structured, numbered from 1
    /// (the columns `collegia optimiser --front` prints).
    pub points: Vec<LigneFront>,
    /// What a front of a single point means ([`crate::report::optimisation::note_front`]),
    /// `null` otherwise.
    pub note: Option<&'static str>,
}

/// What computing the front of a state needs, taken from the [`Session`] so that the solve
/// runs without holding it ([`Session::demande_front`]).
#[derive(Debug, Clone)]
pub struct DemandeFront {
    version: u64,
    scenario: Arc<Scenario>,
    verrous: Vec<Verrou>,
    cache: CacheFront,
}

impl DemandeFront {
    /// The points of the front, with their plans: solved on the first call for the state, then
    /// read from the state's cache (a failure is kept too, so that a hopeless solve is not
    /// restarted by every browser).
    pub fn points(&self) -> Result<Arc<Vec<PointFront>>, ErreurSeminaire> {
        self.cache
            .get_or_init(|| {
                let d = donnees_optimiseur(&self.scenario, &self.verrous)?;
                crate::optimise::front::front(&d, &options_optimiseur())
                    .map(Arc::new)
                    .map_err(echec_optimiseur)
            })
            .clone()
    }

    /// The front as `GET /api/front` answers it.
    pub fn resoudre(&self) -> Result<Front, ErreurSeminaire> {
        let points = self.points()?;
        Ok(Front {
            version: self.version,
            points: lignes_front(&points),
            note: crate::report::optimisation::note_front(&points),
        })
    }
}

/// A table of `collegia comparer`, its cells written as the report writes them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableauTexte {
    /// Title.
    pub titre: String,
    /// Column headers.
    pub colonnes: Vec<String>,
    /// Rows of cells, as text (numbers in French).
    pub lignes: Vec<Vec<String>>,
}

impl TableauTexte {
    fn de(t: &crate::report::tableaux::Tableau) -> TableauTexte {
        use crate::report::format::{euros, nombre, pourcent};
        use crate::report::tableaux::Cellule;
        TableauTexte {
            titre: t.titre.clone(),
            colonnes: t.colonnes.clone(),
            lignes: t
                .lignes
                .iter()
                .map(|l| {
                    l.iter()
                        .map(|c| match c {
                            Cellule::Texte(s) => s.clone(),
                            Cellule::Nombre(v, d) => nombre(*v, *d),
                            Cellule::Euros(v) => euros(*v),
                            Cellule::Pourcent(v) => pourcent(*v),
                            Cellule::Vide => String::new(),
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// The current state beside a saved variant (`GET /api/comparer`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparaison {
    /// The variant's name.
    pub variante: String,
    /// The tables of `collegia comparer`: side by side, findings by code, nodes that change
    /// porteur, élu·es whose role or indemnité changes.
    pub tableaux: Vec<TableauTexte>,
}

/// Findings and cost of one state, for the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bilan {
    /// Findings by severity.
    pub nombres: Nombres,
    /// Annual cost of the indemnités with majorations, €.
    pub annuel_eur: rust_decimal::Decimal,
}

impl Bilan {
    fn de(ev: &Evaluation) -> Bilan {
        Bilan {
            nombres: Nombres::de(&ev.analyse),
            annuel_eur: ev.allocation.totaux.annuel_eur,
        }
    }
}

/// One line of the journal: a change, an undo or a redo, and its effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntreeJournal {
    /// 1-based number.
    pub numero: usize,
    /// `modification`, `annulation` or `retablissement`.
    pub action: String,
    /// What was done, in French.
    pub description: String,
    /// Findings and cost before.
    pub avant: Bilan,
    /// Findings and cost after.
    pub apres: Bilan,
    /// Findings that appeared (`code : message`).
    pub apparus: Vec<String>,
    /// Findings that disappeared (`code : message`).
    pub disparus: Vec<String>,
    /// What the step did, in words (what moved, who gains and loses, the cost).
    #[serde(default)]
    pub effet: Effet,
    /// The facilitator's decision note on this line, if any (one line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Time the change took (pipeline included), in milliseconds; not in the compte rendu nor
    /// in the séance's journal.
    #[serde(skip)]
    pub duree_ms: f64,
}

/// The séminaire: every state since the start and the journal.
#[derive(Debug)]
pub struct Session {
    dossier: PathBuf,
    fichiers: Vec<PathBuf>,
    verrous: Vec<Verrou>,
    /// The input (index 0) then every change applied; the last is the current state.
    pile: Vec<Pas>,
    /// Changes undone, the most recent last.
    defaits: Vec<Pas>,
    journal: Vec<EntreeJournal>,
    /// The séance's id (a random one without a séance on disk).
    id: String,
    /// Events since the start of the séance: never goes back, even through undo or a restart.
    revision: u64,
    /// The séance on disk, when there is one.
    seance: Option<Seance>,
    /// The staged reorganisation of the input, solved once per séance.
    reorganisation: CacheReorganisation,
}

/// Longest decision note, in characters.
pub const NOTE_MAX: usize = 200;

fn libelles(ev: &Evaluation) -> Vec<String> {
    ev.analyse
        .constats
        .iter()
        .map(|f| format!("{} : {}", f.code, f.message))
        .collect()
}

/// Items of `a` not in `b`, as multisets, in `a`'s order.
fn difference(a: &[String], b: &[String]) -> Vec<String> {
    let mut reste: Vec<&String> = b.iter().collect();
    a.iter()
        .filter(|x| {
            if let Some(i) = reste.iter().position(|y| y == x) {
                reste.swap_remove(i);
                false
            } else {
                true
            }
        })
        .cloned()
        .collect()
}

/// What a solver-made scenario kept for replay: its délégations and groups.
fn instantane(s: &Scenario) -> Instantane {
    Instantane {
        delegations: s
            .delegations
            .iter()
            .map(|d| LigneDelegation {
                elu: s.elus[d.elu].id.clone(),
                noeud: s.organigramme.noeud(d.noeud).id.clone(),
                role: d.role.code().to_string(),
                libelle: d.libelle.clone(),
                domaines: d.domaines.clone(),
            })
            .collect(),
        groupes: s.elus.iter().map(|e| e.groupe.clone()).collect(),
        reorganisation: None,
    }
}

/// The scenario an [`Instantane`] describes, over the scenario it was made from (`base`, the
/// input, gives the organigramme an applied stage of the reorganisation starts from).
fn depuis_instantane(
    base: &Scenario,
    s: &Scenario,
    i: &Instantane,
) -> Result<Scenario, ErreurSeminaire> {
    let mut out = s.clone();
    if let Some(r) = &i.reorganisation {
        out.organigramme =
            crate::report::reorganisation::appliquer_rattachements(&base.organigramme, r)
                .map_err(|e| ErreurSeminaire::Ecriture(format!("séance illisible : {e}")))?;
    }
    if i.groupes.len() != out.elus.len() {
        return Err(ErreurSeminaire::Ecriture(
            "séance illisible : le nombre d'élu·es a changé".into(),
        ));
    }
    for (e, g) in out.elus.iter_mut().zip(&i.groupes) {
        e.groupe = g.clone();
    }
    let mut delegations = Vec::with_capacity(i.delegations.len());
    for (k, d) in i.delegations.iter().enumerate() {
        let elu = s
            .find_elu(&d.elu)
            .ok_or_else(|| ErreurSeminaire::EluInconnu(d.elu.clone()))?;
        let noeud = out
            .organigramme
            .find(&d.noeud)
            .ok_or_else(|| ErreurSeminaire::NoeudInconnu(d.noeud.clone()))?;
        let role = crate::ingest::parse_role(&d.role).ok_or_else(|| {
            ErreurSeminaire::RequeteIllisible(format!("rôle inconnu « {} »", d.role))
        })?;
        delegations.push(crate::model::Delegation {
            elu,
            noeud,
            role,
            libelle: d.libelle.clone(),
            ligne: k + 2,
            domaines: d.domaines.clone(),
        });
    }
    out.delegations = delegations;
    Ok(out)
}

/// The state a [`Pas`] reaches from the scenario below it (`base`: the input).
fn refaire(base: &Scenario, dessous: &Scenario, p: &Pas) -> Result<Scenario, ErreurSeminaire> {
    match (&p.instantane, &p.modification) {
        (Some(i), _) => depuis_instantane(base, dessous, i),
        (None, Some(m)) => appliquer(dessous, m),
        (None, None) => Ok(dessous.clone()),
    }
}

impl Session {
    /// Opens a séminaire on a loaded scenario (`dossier` is its folder, `verrous` the locks the
    /// optimiser honours). Fails when the input's indemnités are infeasible.
    pub fn ouvrir(
        c: Chargement,
        dossier: &Path,
        verrous: Vec<Verrou>,
    ) -> Result<Session, ErreurSeminaire> {
        let evaluation = evaluer(&c.scenario)?;
        Ok(Session {
            dossier: dossier.to_path_buf(),
            fichiers: c.fichiers,
            verrous,
            pile: vec![Pas {
                modification: None,
                instantane: None,
                description: "scénario d'entrée".into(),
                scenario: Some(Arc::new(c.scenario)),
                evaluation: Some(Arc::new(evaluation)),
                front: CacheFront::default(),
                proposition: CacheProposition::default(),
            }],
            defaits: Vec::new(),
            journal: Vec::new(),
            // A séance on disk gives its own id ([`Session::reprendre`]).
            id: {
                use rand::RngCore;
                let mut o = [0u8; 8];
                rand::rng().fill_bytes(&mut o);
                o.iter().map(|b| format!("{b:02x}")).collect()
            },
            revision: 0,
            seance: None,
            reorganisation: CacheReorganisation::default(),
        })
    }

    /// The input files of the scenario.
    pub fn fichiers(&self) -> &[PathBuf] {
        &self.fichiers
    }

    /// Replays the events of a séance on disk (the states, the undo history and the journal
    /// come back as they were), then writes every new event to it. The evaluation is run for
    /// the current state only: the journal lines are read, not recomputed.
    pub fn reprendre(
        &mut self,
        seance: Seance,
        evenements: Vec<Evenement>,
    ) -> Result<(), ErreurSeminaire> {
        for e in evenements {
            self.revision += 1;
            match e {
                Evenement::Modification {
                    modification,
                    instantane,
                    entree,
                } => {
                    let mut p = Pas {
                        modification: Some(modification),
                        instantane: instantane.map(Arc::new),
                        description: String::new(),
                        scenario: None,
                        evaluation: None,
                        front: CacheFront::default(),
                        proposition: CacheProposition::default(),
                    };
                    let dessous = self.scenario_de(self.pile.len() - 1)?;
                    p.scenario = Some(Arc::new(refaire(self.base(), &dessous, &p)?));
                    p.description = entree.description.clone();
                    self.pile.push(p);
                    self.defaits.clear();
                    self.journal.push(entree);
                }
                Evenement::Annulation { entree } => {
                    if self.pile.len() <= 1 {
                        return Err(ErreurSeminaire::RienAAnnuler);
                    }
                    if let Some(p) = self.pile.pop() {
                        self.defaits.push(p);
                    }
                    self.journal.push(entree);
                }
                Evenement::Retablissement { entree } => {
                    let p = self.defaits.pop().ok_or(ErreurSeminaire::RienARetablir)?;
                    self.pile.push(p);
                    self.journal.push(entree);
                }
                Evenement::Note { texte } => {
                    if let Some(j) = self.journal.last_mut() {
                        j.note = Some(texte);
                    }
                }
            }
            self.compacter();
        }
        self.materialiser()?;
        self.id = seance.id().to_string();
        self.seance = Some(seance);
        Ok(())
    }

    /// The séance's folder on disk, if any.
    pub fn dossier_seance(&self) -> Option<&Path> {
        self.seance.as_ref().map(|s| s.dossier())
    }

    /// The scenario of state `i` of the pile: kept, or rebuilt from the nearest kept state
    /// below it (the input is always kept).
    fn scenario_de(&mut self, i: usize) -> Result<Arc<Scenario>, ErreurSeminaire> {
        if let Some(s) = &self.pile[i].scenario {
            return Ok(s.clone());
        }
        let mut j = i;
        while self.pile[j].scenario.is_none() {
            j -= 1;
        }
        let mut s = self.pile[j].scenario.clone().unwrap_or_else(|| {
            // Unreachable: the loop stops on a kept state.
            Arc::new(self.base().clone())
        });
        let base = self.base_arc();
        for k in j + 1..=i {
            let t = Arc::new(refaire(&base, &s, &self.pile[k])?);
            // Keep the window below the current state whole, as `compacter` would.
            if k + GARDES >= i {
                self.pile[k].scenario = Some(t.clone());
            }
            s = t;
        }
        Ok(s)
    }

    /// Makes the current state whole: its scenario and its evaluation.
    fn materialiser(&mut self) -> Result<(), ErreurSeminaire> {
        let i = self.pile.len() - 1;
        let s = self.scenario_de(i)?;
        if self.pile[i].evaluation.is_none() {
            self.pile[i].evaluation = Some(Arc::new(evaluer(&s)?));
        }
        Ok(())
    }

    /// Bounds the memory of the history: only the current state, the input and the
    /// [`GARDES`] states below the current one keep their scenario; evaluations are kept for
    /// the current state and the input only (an undo recomputes one); undone states keep
    /// theirs for the last [`GARDES_DEFAITS`].
    fn compacter(&mut self) {
        let n = self.pile.len();
        for (k, p) in self.pile.iter_mut().enumerate() {
            if k == 0 || k + 1 == n {
                continue;
            }
            p.evaluation = None;
            if k + 1 + GARDES < n {
                p.scenario = None;
                p.front = CacheFront::default();
                p.proposition = CacheProposition::default();
            }
        }
        let m = self.defaits.len();
        for (k, p) in self.defaits.iter_mut().enumerate() {
            if k + GARDES_DEFAITS < m {
                p.scenario = None;
                p.evaluation = None;
                p.front = CacheFront::default();
                p.proposition = CacheProposition::default();
            }
        }
    }

    fn courant(&self) -> &Pas {
        // `pile` is never empty: `ouvrir` pushes the input and `annuler` never pops it.
        &self.pile[self.pile.len() - 1]
    }

    fn evaluation(&self) -> &Evaluation {
        // The current state is whole between calls (`materialiser`).
        self.courant()
            .evaluation
            .as_deref()
            .or(self.pile[0].evaluation.as_deref())
            .unwrap_or_else(|| unreachable!("the input keeps its evaluation"))
    }

    fn base_arc(&self) -> Arc<Scenario> {
        self.pile[0]
            .scenario
            .clone()
            .unwrap_or_else(|| unreachable!("the input keeps its scenario"))
    }

    /// The input scenario.
    pub fn base(&self) -> &Scenario {
        self.pile[0]
            .scenario
            .as_deref()
            .unwrap_or_else(|| unreachable!("the input keeps its scenario"))
    }

    /// The current scenario.
    pub fn scenario(&self) -> &Scenario {
        self.courant().scenario.as_deref().unwrap_or(self.base())
    }

    /// The journal, oldest first.
    pub fn journal(&self) -> &[EntreeJournal] {
        &self.journal
    }

    /// The séance's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The current state.
    pub fn etat(&self) -> Etat {
        let mut e = Etat::construire(self.scenario(), self.evaluation());
        e.version = (self.pile.len() - 1) as u64;
        e.seance = self.id.clone();
        e.revision = self.revision;
        e.peut_annuler = self.pile.len() > 1;
        e.peut_retablir = !self.defaits.is_empty();
        e.journal = self.journal.len();
        e.derniere = self.journal.last().cloned();
        e.reorganisation =
            self.base().params.reorganisation != crate::model::ReorganisationParams::default();
        e
    }

    #[allow(clippy::too_many_arguments)]
    fn entree(
        &self,
        action: &'static str,
        description: String,
        (sa, avant): (&Scenario, &Evaluation),
        (sb, apres): (&Scenario, &Evaluation),
        phrases: Option<Vec<String>>,
        debut: Instant,
    ) -> EntreeJournal {
        let (la, lb) = (libelles(avant), libelles(apres));
        EntreeJournal {
            effet: super::effet::effet(sa, avant, sb, apres, phrases),
            numero: self.journal.len() + 1,
            action: action.to_string(),
            description,
            avant: Bilan::de(avant),
            apres: Bilan::de(apres),
            apparus: difference(&lb, &la),
            disparus: difference(&la, &lb),
            note: None,
            duree_ms: debut.elapsed().as_secs_f64() * 1000.0,
        }
    }

    /// Writes an event to the séance on disk (nothing without one).
    fn consigner(&mut self, e: &Evenement) -> Result<(), ErreurSeminaire> {
        if let Some(s) = &mut self.seance {
            s.ajouter(e)?;
        }
        self.revision += 1;
        Ok(())
    }

    /// What computing the front of the current state needs; [`DemandeFront::resoudre`] then
    /// solves it (once per state) without borrowing the session.
    pub fn demande_front(&self) -> DemandeFront {
        let p = self.courant();
        DemandeFront {
            version: (self.pile.len() - 1) as u64,
            scenario: p
                .scenario
                .clone()
                .unwrap_or_else(|| Arc::new(self.base().clone())),
            verrous: self.verrous.clone(),
            cache: p.front.clone(),
        }
    }

    /// What solving the staged reorganisation needs ([`DemandeReorganisation::resoudre`] then
    /// solves it once per séance, on the input scenario, without borrowing the session).
    pub fn demande_reorganisation(&self) -> DemandeReorganisation {
        DemandeReorganisation {
            base: self.base_arc(),
            fichier: self
                .fichiers
                .iter()
                .find(|f| f.ends_with("scenario.toml"))
                .map(|f| f.display().to_string())
                .unwrap_or_else(|| "scenario.toml".into()),
            cache: self.reorganisation.clone(),
            courant: self
                .courant()
                .scenario
                .clone()
                .unwrap_or_else(|| self.base_arc()),
        }
    }

    /// The organigramme of stage `etape` of the reorganisation by ids, checked against the
    /// path.
    fn rattachements_etape(
        &self,
        etape: usize,
    ) -> Result<
        (
            Arc<PlanReorganisation>,
            crate::report::reorganisation::Rattachements,
        ),
        ErreurSeminaire,
    > {
        let p = self.demande_reorganisation().plan()?;
        let n = p.resultat.plan.etapes.len() - 1;
        if etape == 0 || etape > n {
            return Err(ErreurSeminaire::EtapeInconnue { etape, nombre: n });
        }
        let r = crate::report::reorganisation::rattachements(&p.donnees, &p.resultat.plan, etape);
        Ok((p, r))
    }

    /// The front of compromises of the current state (computed on the first call).
    pub fn front(&self) -> Result<Front, ErreurSeminaire> {
        self.demande_front().resoudre()
    }

    /// The scenario a change leads to (the optimiser's proposal for
    /// [`Modification::AppliquerProposition`], a point of the front for
    /// [`Modification::AppliquerPointFront`]) and the journal's line for it.
    pub fn scenario_apres(
        &self,
        m: &Modification,
    ) -> Result<(Scenario, String, Option<Vec<String>>), ErreurSeminaire> {
        let s = self.scenario();
        match m {
            Modification::AppliquerProposition => {
                let d = donnees_optimiseur(s, &self.verrous)?;
                let plan = self
                    .courant()
                    .proposition
                    .get_or_init(|| {
                        crate::optimise::optimiser(&d, &options_optimiseur())
                            .map(|r| Arc::new(r.plan))
                            .map_err(echec_optimiseur)
                    })
                    .clone()?;
                let phrases = crate::report::redaction::decrire_changements(s, &d, &plan);
                Ok((
                    crate::optimise::application::appliquer(s, &d, &plan),
                    m.decrire(s),
                    Some(phrases),
                ))
            }
            Modification::AppliquerPointFront { point } => {
                let points = self.demande_front().points()?;
                let p = point.checked_sub(1).and_then(|k| points.get(k)).ok_or(
                    ErreurSeminaire::PointInconnu {
                        point: *point,
                        nombre: points.len(),
                    },
                )?;
                let d = donnees_optimiseur(s, &self.verrous)?;
                let description = format!(
                    "point {point} du front appliqué : {} {}, {} ETP déplacés",
                    p.cout.dispersion,
                    if p.cout.dispersion > 1 {
                        "pôles"
                    } else {
                        "pôle"
                    },
                    crate::format::nombre(p.agents, 1)
                );
                let phrases = crate::report::redaction::decrire_changements(s, &d, &p.plan);
                Ok((
                    crate::optimise::application::appliquer(s, &d, &p.plan),
                    description,
                    Some(phrases),
                ))
            }
            Modification::AppliquerEtapeReorganisation { etape } => {
                let (p, r) = self.rattachements_etape(*etape)?;
                let org = crate::report::reorganisation::appliquer_rattachements(
                    &self.base().organigramme,
                    &r,
                )
                .map_err(ErreurSeminaire::SansReorganisation)?;
                // Every délégation keeps its node (new DGA are added at the end): one held on a
                // new DGA the stage does not open would lose it, and is refused.
                for d in &s.delegations {
                    let id = &s.organigramme.noeud(d.noeud).id;
                    if org.noeuds.get(d.noeud).map(|n| &n.id) != Some(id) {
                        return Err(ErreurSeminaire::ModificationInvalide(format!(
                            "une délégation porte sur « {id} », absente de l'organigramme de l'étape {etape}"
                        )));
                    }
                }
                let mut out = s.clone();
                out.organigramme = org;
                let avant = dga_actuelles(s, &p.donnees);
                let (ligne, phrases) = crate::report::redaction::etape_reorganisation(
                    &p.donnees,
                    &p.resultat.plan,
                    *etape,
                    &avant,
                );
                Ok((out, ligne, Some(phrases)))
            }
            m => Ok((appliquer(s, m)?, m.decrire(s), None)),
        }
    }

    /// What a change would do, without applying it: the journal's line, the effect in words
    /// (the optimiser's proposal and a point of the front in the words of the terminal and the
    /// deck) and the findings it would resolve or raise. The proposal is solved once per state:
    /// applying it afterwards applies the plan previewed.
    pub fn apercu(&self, m: &Modification) -> Result<Apercu, ErreurSeminaire> {
        let (scenario, description, phrases) = self.scenario_apres(m)?;
        super::modification::valider(self.scenario(), &scenario)?;
        let ev = evaluer(&scenario)?;
        let (la, lb) = (libelles(self.evaluation()), libelles(&ev));
        Ok(Apercu {
            version: (self.pile.len() - 1) as u64,
            description,
            effet: super::effet::effet(self.scenario(), self.evaluation(), &scenario, &ev, phrases),
            apparus: difference(&lb, &la),
            disparus: difference(&la, &lb),
        })
    }

    /// Applies a change, reruns the pipeline and records the step (on disk first, when the
    /// séance has a journal); a refused change changes nothing. Redo is no longer possible
    /// after a new change.
    pub fn modifier(&mut self, m: Modification) -> Result<Etat, ErreurSeminaire> {
        let debut = Instant::now();
        let (scenario, description, phrases) = self.scenario_apres(&m)?;
        super::modification::valider(self.scenario(), &scenario)?;
        let evaluation = evaluer(&scenario)?;
        let entree = self.entree(
            "modification",
            description.clone(),
            (self.scenario(), self.evaluation()),
            (&scenario, &evaluation),
            phrases,
            debut,
        );
        let mut instantane = matches!(
            m,
            Modification::AppliquerProposition
                | Modification::AppliquerPointFront { .. }
                | Modification::AppliquerEtapeReorganisation { .. }
        )
        .then(|| instantane(&scenario));
        // An applied stage keeps its organigramme by ids: replayed without solving again.
        if let (Some(i), Modification::AppliquerEtapeReorganisation { etape }) =
            (instantane.as_mut(), &m)
        {
            i.reorganisation = Some(self.rattachements_etape(*etape)?.1);
        }
        self.consigner(&Evenement::Modification {
            modification: m.clone(),
            instantane: instantane.clone(),
            entree: entree.clone(),
        })?;
        self.pile.push(Pas {
            modification: Some(m),
            instantane: instantane.map(Arc::new),
            description,
            scenario: Some(Arc::new(scenario)),
            evaluation: Some(Arc::new(evaluation)),
            front: CacheFront::default(),
            proposition: CacheProposition::default(),
        });
        self.defaits.clear();
        self.journal.push(entree);
        self.compacter();
        Ok(self.etat())
    }

    /// Undoes the last change.
    pub fn annuler(&mut self) -> Result<Etat, ErreurSeminaire> {
        let debut = Instant::now();
        if self.pile.len() <= 1 {
            return Err(ErreurSeminaire::RienAAnnuler);
        }
        let n = self.pile.len();
        // The state below, whole, before anything changes.
        let s = self.scenario_de(n - 2)?;
        let ev = match &self.pile[n - 2].evaluation {
            Some(e) => e.clone(),
            None => Arc::new(evaluer(&s)?),
        };
        let p = &self.pile[n - 1];
        let description = format!("annulation : {}", p.description);
        let entree = self.entree(
            "annulation",
            description,
            (self.scenario(), self.evaluation()),
            (&s, &ev),
            None,
            debut,
        );
        self.consigner(&Evenement::Annulation {
            entree: entree.clone(),
        })?;
        let Some(p) = self.pile.pop() else {
            return Err(ErreurSeminaire::RienAAnnuler);
        };
        self.defaits.push(p);
        self.pile[n - 2].evaluation = Some(ev);
        self.journal.push(entree);
        self.compacter();
        Ok(self.etat())
    }

    /// Redoes the last undone change.
    pub fn retablir(&mut self) -> Result<Etat, ErreurSeminaire> {
        let debut = Instant::now();
        let Some(mut p) = self.defaits.last().cloned() else {
            return Err(ErreurSeminaire::RienARetablir);
        };
        let s = match &p.scenario {
            Some(s) => s.clone(),
            None => Arc::new(refaire(self.base(), self.scenario(), &p)?),
        };
        let ev = match &p.evaluation {
            Some(e) => e.clone(),
            None => Arc::new(evaluer(&s)?),
        };
        let description = format!("rétablissement : {}", p.description);
        let entree = self.entree(
            "retablissement",
            description,
            (self.scenario(), self.evaluation()),
            (&s, &ev),
            None,
            debut,
        );
        self.consigner(&Evenement::Retablissement {
            entree: entree.clone(),
        })?;
        self.defaits.pop();
        p.scenario = Some(s);
        p.evaluation = Some(ev);
        self.pile.push(p);
        self.journal.push(entree);
        self.compacter();
        Ok(self.etat())
    }

    /// Attaches a one-line decision note to the last line of the journal (replacing its
    /// note); the compte rendu carries it.
    pub fn noter(&mut self, texte: &str) -> Result<Etat, ErreurSeminaire> {
        let texte = texte.trim();
        if texte.is_empty()
            || texte.chars().count() > NOTE_MAX
            || texte.chars().any(|c| c.is_control())
        {
            return Err(ErreurSeminaire::NoteInvalide(NOTE_MAX));
        }
        if self.journal.is_empty() {
            return Err(ErreurSeminaire::RienANoter);
        }
        self.consigner(&Evenement::Note {
            texte: texte.to_string(),
        })?;
        if let Some(j) = self.journal.last_mut() {
            j.note = Some(texte.to_string());
        }
        Ok(self.etat())
    }

    /// The changes that lead from the input to the current state, in order.
    pub fn modifications(&self) -> Vec<&Modification> {
        self.pile
            .iter()
            .filter_map(|p| p.modification.as_ref())
            .collect()
    }

    /// The variants saved under `racine` (folders holding a `scenario.toml`; the séance's own
    /// folders are not variants), by name.
    pub fn variantes(racine: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(racine)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("scenario.toml").is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| !n.starts_with(super::seance::DOSSIER_SEANCE))
            .collect();
        v.sort();
        v
    }

    /// The current state beside a saved variant (`<racine>/<nom>`): the tables of
    /// `collegia comparer` (scenarios side by side, findings by code, what moved).
    pub fn comparer(&self, racine: &Path, nom: &str) -> Result<Comparaison, ErreurSeminaire> {
        use crate::report::comparaison::{Colonne, differences, par_code, synthese};
        if !Session::variantes(racine).iter().any(|v| v == nom) {
            return Err(ErreurSeminaire::VarianteInconnue(
                nom.chars().take(80).collect(),
            ));
        }
        let dossier = racine.join(nom);
        let c = crate::ingest::load_scenario(&dossier)
            .map_err(|e| ErreurSeminaire::VarianteIllisible(e.to_string()))?;
        let ev = evaluer(&c.scenario)?;
        let cols = [
            Colonne {
                nom: "état actuel".into(),
                scenario: self.scenario(),
                analyse: &self.evaluation().analyse,
                allocation: Ok(&self.evaluation().allocation),
            },
            Colonne {
                nom: nom.to_string(),
                scenario: &c.scenario,
                analyse: &ev.analyse,
                allocation: Ok(&ev.allocation),
            },
        ];
        let mut tableaux = vec![synthese(&cols), par_code(&cols)];
        tableaux.extend(differences(&cols));
        Ok(Comparaison {
            variante: nom.to_string(),
            tableaux: tableaux.iter().map(TableauTexte::de).collect(),
        })
    }

    /// The compte rendu of the séminaire in Markdown.
    pub fn compte_rendu_markdown(&self) -> String {
        compte_rendu::markdown(self)
    }

    /// The compte rendu of the séminaire as an HTML page.
    pub fn compte_rendu_html(&self) -> String {
        compte_rendu::html(&compte_rendu::markdown(self))
    }

    /// The files of the variant of the current state: `scenario.toml` (its `base` and name, and
    /// the `[indemnites]` keys that changed), `delegations.csv` and `elus.csv` when they changed,
    /// and the compte rendu.
    pub fn fichiers_variante(&self, nom: &str, base: &str) -> Vec<(&'static str, Vec<u8>)> {
        let (b, s) = (self.base(), self.scenario());
        let q = |v: &str| toml::Value::String(v.to_string()).to_string();
        let f = |x: f64| toml::Value::Float(x).to_string();
        let mut toml = String::from_utf8_lossy(&crate::report::scenario::toml_variante(
            "Variante enregistrée pendant le séminaire (collegia seminaire).\nVérifiez-la avec « collegia verifier <ce dossier> ».",
            base,
            &format!("{} — séminaire : {nom}", b.params.nom),
        ))
        .into_owned();
        let (pb, ps) = (&b.params.indemnites, &s.params.indemnites);
        let mut ind = String::new();
        if pb.politique != ps.politique {
            ind += &format!(
                "politique = {}\n",
                q(super::modification::politique_code(ps.politique))
            );
        }
        if pb.alpha != ps.alpha {
            ind += &format!("alpha = {}\n", f(ps.alpha));
        }
        if pb.plancher != ps.plancher {
            ind += &format!("plancher = {}\n", f(ps.plancher));
        }
        if pb.ratio_max != ps.ratio_max
            && let Some(r) = ps.ratio_max
        {
            ind += &format!("ratio_max = {}\n", f(r));
        }
        if !ind.is_empty() {
            toml += &format!("\n[indemnites]\n{ind}");
        }
        let mut fichiers = vec![("scenario.toml", toml.into_bytes())];
        let lignes = |x: &Scenario| -> Vec<(String, String, &'static str, String)> {
            x.delegations
                .iter()
                .map(|d| {
                    (
                        x.elus[d.elu].id.clone(),
                        x.organigramme.noeud(d.noeud).id.clone(),
                        d.role.code(),
                        d.libelle.clone(),
                    )
                })
                .collect()
        };
        if lignes(b) != lignes(s) {
            fichiers.push((
                "delegations.csv",
                crate::report::scenario::delegations_csv(
                    &s.delegations,
                    &s.delegations_sans_service,
                    &s.elus,
                    &s.organigramme,
                ),
            ));
        }
        if b.elus != s.elus {
            fichiers.push(("elus.csv", crate::report::scenario::elus_csv(&s.elus)));
        }
        // An applied stage of the reorganisation: the organigramme with its new DGA parents.
        let rattachements = |x: &Scenario| -> Vec<(String, Option<String>)> {
            x.organigramme
                .noeuds
                .iter()
                .map(|n| {
                    (
                        n.id.clone(),
                        n.parent.map(|p| x.organigramme.noeud(p).id.clone()),
                    )
                })
                .collect()
        };
        if rattachements(b) != rattachements(s) {
            fichiers.push((
                "organigramme.csv",
                crate::report::scenario::organigramme_csv(&s.organigramme),
            ));
        }
        fichiers.push(("compte-rendu.md", self.compte_rendu_markdown().into_bytes()));
        fichiers.push(("compte-rendu.html", self.compte_rendu_html().into_bytes()));
        fichiers
    }

    /// Saves the current state as a variant folder `<racine>/<nom>` (the name made safe), its
    /// `base` pointing at the input folder. Refuses an existing folder and any folder of the
    /// input; returns the folder.
    pub fn enregistrer(&self, racine: &Path, nom: &str) -> Result<PathBuf, ErreurSeminaire> {
        let nom = nom.trim();
        if nom.is_empty() || nom.chars().count() > 80 {
            return Err(ErreurSeminaire::NomInvalide(nom.chars().take(80).collect()));
        }
        let dossier = racine.join(nom_de_fichier(nom));
        if dossier.exists() {
            return Err(ErreurSeminaire::VarianteExistante(
                dossier.display().to_string(),
            ));
        }
        let sortie = Sortie::new(&dossier, &self.fichiers)
            .map_err(|e| ErreurSeminaire::Ecriture(e.to_string()))?;
        let base = chemin_relatif(&absolu(&dossier), &absolu(&self.dossier)).ok_or_else(|| {
            ErreurSeminaire::Ecriture(
                "impossible d'exprimer le chemin du scénario depuis le dossier de la variante"
                    .into(),
            )
        })?;
        let mut fichiers: Vec<(String, Vec<u8>)> = self
            .fichiers_variante(nom, &base)
            .into_iter()
            .map(|(n, o)| (n.to_string(), o))
            .collect();
        // A variant's base cannot be a workbook: over one, the variant is written complete.
        if crate::ingest::classeur::est_classeur(&self.dossier) && self.dossier.is_file() {
            crate::ingest::classeur::completer_variante(&self.dossier, &mut fichiers, "")
                .map_err(|e| ErreurSeminaire::Ecriture(e.to_string()))?;
        }
        sortie
            .ecrire_tout(fichiers.iter().map(|(n, o)| (n.as_str(), o.as_slice())))
            .map_err(|e| ErreurSeminaire::Ecriture(e.to_string()))?;
        Ok(dossier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let d = Path::new("data/exemple");
        let c = crate::ingest::load_scenario(d).expect("the example loads");
        Session::ouvrir(c, d, Vec::new()).expect("opens")
    }

    /// Issue 26 item 5: a séminaire opened on a workbook saves variants that load on their own
    /// (a base cannot be a workbook), with the change made.
    #[test]
    fn a_variant_saved_over_a_workbook_loads_alone() {
        let tmp = tempfile::tempdir().expect("tmp");
        let xlsx = tmp.path().join("exemple.xlsx");
        let (feuilles, _) =
            crate::ingest::classeur::feuilles_entree(Path::new("data/exemple")).expect("sheets");
        let octets = crate::report::tableaux::xlsx_avec_entrees(&feuilles, &[]).expect("xlsx");
        std::fs::write(&xlsx, octets).expect("write");
        let c = crate::ingest::load_scenario(&xlsx).expect("the workbook loads");
        let mut s = Session::ouvrir(c, &xlsx, Vec::new()).expect("opens");
        s.modifier(deplacer()).expect("applies");
        let v = s
            .enregistrer(&tmp.path().join("seminaire"), "après")
            .expect("saved");
        let relu = crate::ingest::load_scenario(&v).expect("the variant loads alone");
        let cles = |sc: &Scenario| {
            let mut v: Vec<(String, String, String)> = sc
                .delegations
                .iter()
                .map(|d| {
                    (
                        sc.elus[d.elu].id.clone(),
                        sc.organigramme.noeud(d.noeud).id.clone(),
                        format!("{:?}", d.role),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(cles(&relu.scenario), cles(s.scenario()));
        assert_ne!(
            cles(&relu.scenario),
            cles(&crate::ingest::load_scenario(&xlsx).expect("loads").scenario),
            "the change is in the variant"
        );
    }

    fn deplacer() -> Modification {
        Modification::DeplacerUnite {
            unite: "DIR-PROPRETE".into(),
            groupe: "G09-espaces-publics".into(),
        }
    }

    /// A session on `tests/fixtures/seminaire-front`: the example with its groups' cœurs freed,
    /// whose front has four points (the example's own front has one).
    fn session_front() -> Session {
        let d = Path::new("tests/fixtures/seminaire-front");
        let c = crate::ingest::load_scenario(d).expect("the fixture loads");
        Session::ouvrir(c, d, Vec::new()).expect("opens")
    }

    /// Issue 26 item 6: a save that fails on a full disk frees its name: the same name saves
    /// once the disk has room (it was refused as « existante » forever).
    #[test]
    fn a_failed_save_frees_its_name() {
        use crate::report::ecriture::{Operation, injecter_panne};
        let s = session();
        let d = tempfile::tempdir().expect("tmp");
        {
            let _panne = injecter_panne(|op, _| {
                (op == Operation::Ecrire)
                    .then(|| std::io::Error::from(std::io::ErrorKind::StorageFull))
            });
            assert!(matches!(
                s.enregistrer(d.path(), "Plan B"),
                Err(ErreurSeminaire::Ecriture(_))
            ));
        }
        let v = s.enregistrer(d.path(), "Plan B").expect("the name is free");
        assert!(v.join("scenario.toml").is_file());
    }

    #[test]
    fn applying_a_point_of_the_front_gives_the_scenario_of_its_plan() {
        let mut s = session_front();
        let points = s.demande_front().points().expect("a front");
        assert!(points.len() >= 2, "{} point(s)", points.len());
        let d = donnees_optimiseur(s.scenario(), &[]).expect("data");
        let attendu = crate::optimise::application::appliquer(s.scenario(), &d, &points[1].plan);
        assert_ne!(attendu.delegations, s.scenario().delegations);
        let e = s
            .modifier(Modification::AppliquerPointFront { point: 2 })
            .expect("applies");
        assert_eq!(e.version, 1);
        assert_eq!(s.scenario().delegations, attendu.delegations);
        assert_eq!(s.scenario().elus, attendu.elus);
        assert_eq!(s.scenario().params, attendu.params);
        assert_eq!(
            s.journal()[0].description,
            "point 2 du front appliqué : 14 pôles, 11,0 ETP déplacés"
        );
        // The new state has its own front, numbered for it.
        let f = s.front().expect("a front");
        assert_eq!(f.version, 1);
        assert_eq!(f.points[0].agents_etp, 0.0);
    }

    #[test]
    fn a_point_out_of_the_front_is_refused_and_changes_nothing() {
        let mut s = session_front();
        let n = s.front().expect("a front").points.len();
        let avant = s.etat();
        for k in [0, n + 1] {
            let e = s
                .modifier(Modification::AppliquerPointFront { point: k })
                .expect_err("out of range");
            assert_eq!(e.code(), "S024");
            assert_eq!(
                e,
                ErreurSeminaire::PointInconnu {
                    point: k,
                    nombre: n
                }
            );
        }
        assert_eq!(s.etat(), avant);
        assert!(s.journal().is_empty());
    }

    #[test]
    fn the_front_is_solved_once_per_state_and_kept_through_undo() {
        let mut s = session_front();
        let f0 = s.demande_front().points().expect("a front");
        assert!(Arc::ptr_eq(
            &f0,
            &s.demande_front().points().expect("cached")
        ));
        s.modifier(deplacer()).expect("applies");
        let f1 = s.demande_front().points().expect("a front");
        assert!(!Arc::ptr_eq(&f0, &f1));
        s.annuler().expect("undo");
        assert!(Arc::ptr_eq(&f0, &s.demande_front().points().expect("kept")));
        s.retablir().expect("redo");
        assert!(Arc::ptr_eq(&f1, &s.demande_front().points().expect("kept")));
    }

    #[test]
    fn a_change_then_undo_and_redo_restore_the_states() {
        let mut s = session();
        let e0 = s.etat();
        let e1 = s.modifier(deplacer()).expect("applies");
        assert_eq!(e1.version, 1);
        assert!(e1.peut_annuler);
        assert_ne!(e0.delegations, e1.delegations);
        let e2 = s.annuler().expect("undo");
        assert_eq!(e2.delegations, e0.delegations);
        assert_eq!(e2.constats, e0.constats);
        assert!(e2.peut_retablir);
        let e3 = s.retablir().expect("redo");
        assert_eq!(e3.delegations, e1.delegations);
        assert_eq!(s.journal().len(), 3);
        assert_eq!(s.journal()[1].action, "annulation");
        assert!(matches!(s.retablir(), Err(ErreurSeminaire::RienARetablir)));
    }

    #[test]
    fn nothing_to_undo_at_the_start() {
        let mut s = session();
        assert_eq!(s.annuler().expect_err("empty").code(), "S005");
    }

    #[test]
    fn a_refused_change_changes_nothing() {
        let mut s = session();
        let avant = s.etat();
        let e = s
            .modifier(Modification::DeplacerElu {
                elu: "INCONNU".into(),
                groupe: None,
            })
            .expect_err("unknown");
        assert_eq!(e.code(), "S011");
        assert_eq!(s.etat(), avant);
        assert!(s.journal().is_empty());
    }

    #[test]
    fn the_variant_holds_only_what_changed() {
        let mut s = session();
        s.modifier(Modification::PolitiqueIndemnites {
            alpha: Some(0.75),
            plancher: None,
            ratio_max: None,
            politique: None,
        })
        .expect("applies");
        let f = s.fichiers_variante("essai", "../exemple");
        let noms: Vec<&str> = f.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            noms,
            ["scenario.toml", "compte-rendu.md", "compte-rendu.html"]
        );
        let toml = String::from_utf8_lossy(&f[0].1);
        assert!(toml.contains("base = \"../exemple\""), "{toml}");
        assert!(toml.contains("[indemnites]\nalpha = 0.75\n"), "{toml}");
        s.modifier(deplacer()).expect("applies");
        let noms: Vec<&str> = s
            .fichiers_variante("essai", "../exemple")
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert!(noms.contains(&"delegations.csv"));
        assert!(!noms.contains(&"elus.csv"));
    }

    /// A séance on disk under `sortie` for the scenario folder `d`, resumed when it exists.
    fn session_sur_disque(d: &str, sortie: &Path) -> Session {
        let d = Path::new(d);
        let c = crate::ingest::load_scenario(d).expect("the scenario loads");
        let e = super::super::seance::empreintes(&c.fichiers).expect("hashes");
        let o = super::super::seance::ouvrir(sortie, d, e, false, "jeton".into()).expect("opens");
        let mut s = Session::ouvrir(c, d, Vec::new()).expect("opens");
        s.reprendre(o.seance, o.evenements).expect("replays");
        s
    }

    /// A state without its timing (the only field a replay does not give back).
    fn sans_duree(mut e: Etat) -> Etat {
        e.duree_ms = 0.0;
        if let Some(d) = &mut e.derniere {
            d.duree_ms = 0.0;
        }
        e
    }

    fn journal_sans_duree(s: &Session) -> Vec<EntreeJournal> {
        s.journal()
            .iter()
            .cloned()
            .map(|mut e| {
                e.duree_ms = 0.0;
                e
            })
            .collect()
    }

    fn alpha(a: f64) -> Modification {
        Modification::PolitiqueIndemnites {
            alpha: Some(a),
            plancher: None,
            ratio_max: None,
            politique: None,
        }
    }

    /// Issue 25 « done when »: ten changes (a solver-made one among them), undo, redo and a
    /// note survive the loss of the process: the séance replayed from disk gives the same
    /// state, journal and undo history, and goes on.
    #[test]
    fn a_seance_replayed_from_disk_comes_back_whole_with_its_undo_history() {
        let tmp = tempfile::tempdir().expect("tmp");
        let sortie = tmp.path().join("seminaire");
        let mut s = session_sur_disque("tests/fixtures/seminaire-front", &sortie);
        let mut etats = vec![sans_duree(s.etat())];
        s.modifier(Modification::AppliquerPointFront { point: 2 })
            .expect("applies");
        etats.push(sans_duree(s.etat()));
        for k in 0..8 {
            s.modifier(alpha(0.5 + 0.05 * k as f64)).expect("applies");
            etats.push(sans_duree(s.etat()));
        }
        s.modifier(deplacer()).expect("applies");
        s.annuler().expect("undo");
        s.noter("On garde la propreté chez G05.").expect("note");
        let avant = sans_duree(s.etat());
        let journal = journal_sans_duree(&s);
        let id = s.id().to_string();
        drop(s);
        let mut r = session_sur_disque("tests/fixtures/seminaire-front", &sortie);
        assert_eq!(r.id(), id);
        assert_eq!(sans_duree(r.etat()), avant);
        assert_eq!(journal_sans_duree(&r), journal);
        assert_eq!(
            r.journal().last().and_then(|e| e.note.as_deref()),
            Some("On garde la propreté chez G05.")
        );
        // Redo then undo every change: each state is the one first reached.
        r.retablir().expect("redo");
        r.annuler().expect("undo");
        for attendu in etats.iter().rev().skip(1) {
            let e = sans_duree(r.annuler().expect("undo"));
            assert_eq!(e.delegations, attendu.delegations);
            assert_eq!(e.indemnites, attendu.indemnites);
            assert_eq!(e.constats, attendu.constats);
        }
        assert!(r.annuler().is_err());
        assert!(
            r.etat().revision > avant.revision,
            "the revision never goes back"
        );
    }

    /// The DGA id of each node that has a parent, by node id.
    fn parents(s: &Scenario) -> Vec<(String, String)> {
        let o = &s.organigramme;
        o.noeuds
            .iter()
            .filter_map(|n| n.parent.map(|p| (n.id.clone(), o.noeud(p).id.clone())))
            .collect()
    }

    /// Issue 29 item 4: a stage of the reorganisation applies like a point of the front: its
    /// organigramme (the one of its `etape-NN/` variant) becomes the working state's, in one
    /// change of the journal worded by `report::redaction`; undo gives today's back; a stage
    /// outside the path is refused (S034) and changes nothing; the séance replayed from disk
    /// comes back whole without solving again; a saved variant carries the organigramme.
    #[test]
    fn a_stage_of_the_reorganisation_applies_undoes_and_replays_without_solving() {
        let tmp = tempfile::tempdir().expect("tmp");
        let sortie = tmp.path().join("seminaire");
        let fixture = "tests/fixtures/seminaire-reorganisation";
        let mut s = session_sur_disque(fixture, &sortie);
        assert!(
            s.etat().reorganisation,
            "the input has a [reorganisation] table"
        );
        let chemin = s.demande_reorganisation().resoudre().expect("a path");
        assert_eq!(chemin.statut, "optimal (prouvé)");
        assert_eq!(chemin.etapes.len(), 1);
        assert!(chemin.etapes.iter().all(|e| !e.appliquee));
        assert!(chemin.etapes.iter().all(|e| e.agents <= 60.0 + 1e-9));
        let p = s.demande_reorganisation().plan().expect("solved");
        let attendu = crate::report::reorganisation::organigramme_etape(
            s.base(),
            &p.donnees,
            &p.resultat.plan,
            1,
        );
        assert_ne!(parents(s.base()), {
            let mut x = s.base().clone();
            x.organigramme = attendu.clone();
            parents(&x)
        });
        let avant = sans_duree(s.etat());
        for k in [0, 2] {
            let e = s
                .modifier(Modification::AppliquerEtapeReorganisation { etape: k })
                .expect_err("out of the path");
            assert_eq!(
                e,
                ErreurSeminaire::EtapeInconnue {
                    etape: k,
                    nombre: 1
                }
            );
            assert_eq!(e.code(), "S034");
        }
        assert_eq!(sans_duree(s.etat()), avant);
        let delegations = s.scenario().delegations.clone();
        s.modifier(Modification::AppliquerEtapeReorganisation { etape: 1 })
            .expect("applies");
        let mut x = s.base().clone();
        x.organigramme = attendu;
        assert_eq!(parents(s.scenario()), parents(&x));
        assert_eq!(
            s.scenario().delegations,
            delegations,
            "délégations unchanged"
        );
        let j = &s.journal()[0];
        let (ligne, phrases) = crate::report::redaction::etape_reorganisation(
            &p.donnees,
            &p.resultat.plan,
            1,
            &dga_actuelles(s.base(), &p.donnees),
        );
        assert_eq!(j.description, ligne);
        assert!(
            ligne.starts_with("appliquer l'étape 1 de la réorganisation (01/10/2026) : "),
            "{ligne}"
        );
        assert_eq!(j.effet.mouvements, phrases);
        assert!(!phrases.is_empty());
        let chemin = s.demande_reorganisation().resoudre().expect("a path");
        assert!(chemin.etapes[0].appliquee);
        // A saved variant carries the stage's organigramme.
        let f = s.fichiers_variante("etape", "../x");
        assert!(f.iter().any(|(n, _)| *n == "organigramme.csv"));
        let apres = sans_duree(s.etat());
        let journal = journal_sans_duree(&s);
        drop(s);
        // Replayed from disk: the same state, and the plan was never solved again.
        let mut r = session_sur_disque(fixture, &sortie);
        assert!(r.reorganisation.get().is_none(), "replayed without solving");
        assert_eq!(sans_duree(r.etat()), apres);
        assert_eq!(journal_sans_duree(&r), journal);
        assert_eq!(parents(r.scenario()), parents(&x));
        r.annuler().expect("undo");
        assert_eq!(parents(r.scenario()), parents(r.base()));
        r.retablir().expect("redo");
        assert_eq!(parents(r.scenario()), parents(&x));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

        /// Any sequence of changes, refusals, undos, redos and notes replays from disk to the
        /// same state, journal and undo depth.
        #[test]
        fn any_seance_replays_to_the_same_state(
            ops in proptest::collection::vec(0u8..6, 1..10),
        ) {
            let tmp = tempfile::tempdir().expect("tmp");
            let sortie = tmp.path().join("seminaire");
            let mut s = session_sur_disque("data/exemple", &sortie);
            for (k, op) in ops.iter().enumerate() {
                let _ = match op {
                    0 => s.modifier(alpha(0.2 + 0.07 * k as f64)).map(|_| ()),
                    1 => s.modifier(deplacer()).map(|_| ()),
                    2 => s
                        .modifier(Modification::DeplacerElu {
                            elu: "E41".into(),
                            groupe: Some("G09-espaces-publics".into()),
                        })
                        .map(|_| ()),
                    3 => s.annuler().map(|_| ()),
                    4 => s.retablir().map(|_| ()),
                    _ => s.noter(&format!("décision {k}")).map(|_| ()),
                };
            }
            let (etat, journal) = (sans_duree(s.etat()), journal_sans_duree(&s));
            let profondeur = s.pile.len();
            drop(s);
            let r = session_sur_disque("data/exemple", &sortie);
            proptest::prop_assert_eq!(sans_duree(r.etat()), etat);
            proptest::prop_assert_eq!(journal_sans_duree(&r), journal);
            proptest::prop_assert_eq!(r.pile.len(), profondeur);
        }
    }

    /// A line torn by a crash mid-write is dropped; the séance goes on after it.
    #[test]
    fn a_torn_last_line_is_dropped() {
        let tmp = tempfile::tempdir().expect("tmp");
        let sortie = tmp.path().join("seminaire");
        let mut s = session_sur_disque("data/exemple", &sortie);
        s.modifier(alpha(0.6)).expect("applies");
        let attendu = sans_duree(s.etat());
        drop(s);
        let f = sortie.join("seance").join("journal.jsonl");
        let mut o = std::fs::read(&f).expect("reads");
        o.extend_from_slice(b"{\"evenement\":\"annul");
        std::fs::write(&f, o).expect("writes");
        let mut r = session_sur_disque("data/exemple", &sortie);
        assert_eq!(sans_duree(r.etat()), attendu);
        r.modifier(alpha(0.7)).expect("applies");
        drop(r);
        let r = session_sur_disque("data/exemple", &sortie);
        assert_eq!(r.journal().len(), 2);
    }

    /// The current state beside a saved variant: the tables of `comparer`, the variant's
    /// changes undone in the current state showing as what moved.
    #[test]
    fn the_current_state_compares_with_a_saved_variant() {
        let tmp = tempfile::tempdir().expect("tmp");
        let racine = tmp.path().join("seminaire");
        let mut s = session();
        s.modifier(deplacer()).expect("applies");
        s.enregistrer(&racine, "propreté G09").expect("saved");
        assert_eq!(Session::variantes(&racine), ["proprete-g09"]);
        s.annuler().expect("undo");
        let c = s.comparer(&racine, "proprete-g09").expect("compares");
        assert_eq!(
            c.tableaux[0].colonnes,
            ["indicateur", "état actuel", "proprete-g09"]
        );
        let deplaces = c
            .tableaux
            .iter()
            .find(|t| t.titre.starts_with("Nœuds qui changent de porteur"))
            .expect("the moves");
        assert!(
            deplaces.lignes.iter().any(|l| l[0] == "DIR-PROPRETE"),
            "{deplaces:?}"
        );
        assert_eq!(
            s.comparer(&racine, "../etc")
                .expect_err("not a variant")
                .code(),
            "S031"
        );
    }

    /// The preview of a point of the front says, in the words of the terminal and the deck,
    /// what applying it then does: the same sentences, findings and cost.
    #[test]
    fn the_preview_of_a_front_point_is_what_applying_it_does() {
        let mut s = session_front();
        let m = Modification::AppliquerPointFront { point: 2 };
        let a = s.apercu(&m).expect("a preview");
        let points = s.demande_front().points().expect("a front");
        let d = donnees_optimiseur(s.scenario(), &[]).expect("data");
        let attendu =
            crate::report::redaction::decrire_changements(s.scenario(), &d, &points[1].plan);
        assert!(!attendu.is_empty());
        assert_eq!(a.effet.mouvements, attendu);
        assert_eq!(s.journal().len(), 0, "a preview changes nothing");
        let e = s.modifier(m).expect("applies");
        let derniere = e.derniere.expect("the panel's line");
        assert_eq!(derniere.effet, a.effet);
        assert_eq!(derniere.apparus, a.apparus);
        assert_eq!(derniere.disparus, a.disparus);
        assert_eq!(derniere.description, a.description);
    }

    /// A séance whose input files changed is not resumed; the message names the file.
    #[test]
    fn a_seance_over_changed_inputs_is_refused_naming_the_file() {
        let tmp = tempfile::tempdir().expect("tmp");
        let entree = tmp.path().join("ville");
        std::fs::create_dir(&entree).expect("mkdir");
        for f in [
            "scenario.toml",
            "organigramme.csv",
            "elus.csv",
            "delegations.csv",
        ] {
            std::fs::copy(Path::new("data/exemple").join(f), entree.join(f)).expect("copies");
        }
        let sortie = tmp.path().join("seminaire");
        let d = entree.to_str().expect("utf-8");
        let mut s = session_sur_disque(d, &sortie);
        s.modifier(alpha(0.6)).expect("applies");
        drop(s);
        let mut elus = std::fs::read_to_string(entree.join("elus.csv")).expect("reads");
        elus = elus.replace("Amrani", "Amrani-Durand");
        std::fs::write(entree.join("elus.csv"), elus).expect("writes");
        let c = crate::ingest::load_scenario(&entree).expect("loads");
        let e = super::super::seance::empreintes(&c.fichiers).expect("hashes");
        let err = super::super::seance::ouvrir(&sortie, &entree, e.clone(), false, "j".into())
            .expect_err("refused");
        assert_eq!(err.code(), "S026");
        let m = err.to_string();
        assert!(
            m.contains("elus.csv") && !m.contains("organigramme.csv"),
            "{m}"
        );
        // `--nouvelle` starts afresh and keeps the old séance aside.
        let o = super::super::seance::ouvrir(&sortie, &entree, e, true, "j".into())
            .expect("a new séance");
        assert!(o.evenements.is_empty() && !o.reprise);
        assert!(
            o.archivee
                .is_some_and(|a| a.join("journal.jsonl").is_file())
        );
    }

    /// A second server on the same séance is refused while the first holds it.
    #[cfg(unix)]
    #[test]
    fn a_seance_open_elsewhere_is_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let sortie = tmp.path().join("seminaire");
        let s = session_sur_disque("data/exemple", &sortie);
        let d = Path::new("data/exemple");
        let c = crate::ingest::load_scenario(d).expect("loads");
        let e = super::super::seance::empreintes(&c.fichiers).expect("hashes");
        for nouvelle in [false, true] {
            let err = super::super::seance::ouvrir(&sortie, d, e.clone(), nouvelle, "j".into())
                .expect_err("held");
            assert_eq!(err.code(), "S033");
        }
        drop(s);
        super::super::seance::ouvrir(&sortie, d, e, false, "j".into()).expect("free again");
    }

    /// The token file is readable by its owner only.
    #[cfg(unix)]
    #[test]
    fn the_token_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tmp");
        let sortie = tmp.path().join("seminaire");
        let _s = session_sur_disque("data/exemple", &sortie);
        let m = std::fs::metadata(sortie.join("seance").join("jeton")).expect("the token file");
        assert_eq!(m.permissions().mode() & 0o777, 0o600);
    }

    /// A change the saved variant would fail `verifier` with is refused before it is applied,
    /// with the input rule's own wording (E043: `g09-…` beside `G09-…`).
    #[test]
    fn a_change_breaking_an_input_rule_is_refused_with_its_wording() {
        let mut s = session();
        let avant = s.etat();
        let e = s
            .modifier(Modification::DeplacerElu {
                elu: "E02".into(),
                groupe: Some("g09-espaces-publics".into()),
            })
            .expect_err("E043");
        assert_eq!(e.code(), "S019");
        let m = e.to_string();
        assert!(m.contains("E043") && m.contains("confondu avec"), "{m}");
        assert_eq!(s.etat(), avant);
        // A genuinely new group is still accepted.
        s.modifier(Modification::DeplacerElu {
            elu: "E02".into(),
            groupe: Some("G20-nouveau".into()),
        })
        .expect("a new group");
    }

    /// Memory is bounded: past [`GARDES`] changes, older states keep only their change, and
    /// undo rebuilds them exactly.
    #[test]
    fn old_states_are_dropped_from_memory_and_rebuilt_on_undo() {
        let mut s = session();
        let mut etats = vec![sans_duree(s.etat())];
        for k in 0..(GARDES + 6) {
            s.modifier(alpha(0.3 + 0.02 * k as f64)).expect("applies");
            etats.push(sans_duree(s.etat()));
        }
        let gardes = s.pile.iter().filter(|p| p.scenario.is_some()).count();
        assert_eq!(
            gardes,
            GARDES + 2,
            "the input, the window and the current state"
        );
        assert_eq!(s.pile.iter().filter(|p| p.evaluation.is_some()).count(), 2);
        for attendu in etats.iter().rev().skip(1) {
            let mut e = sans_duree(s.annuler().expect("undo"));
            e.peut_retablir = attendu.peut_retablir;
            e.journal = attendu.journal;
            e.revision = attendu.revision;
            e.derniere = attendu.derniere.clone();
            assert_eq!(e, *attendu);
        }
    }
}
