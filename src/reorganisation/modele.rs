//! The multi-period model of the DGA perimeters, on the one LP layer ([`crate::lp`]): every row
//! keyed by the rule it encodes ([`Cle`]), one function per family of rules.
//!
//! Notation: directions `d` (agents `c_d`, DGA today `k0(d)`), DGA `k` (existing, or new for
//! a priority), stages `t = 1..T` (stage 0 is today, a constant), political groups `g`,
//! priorities `p`, functional links `(x, y)`, today's mean span `c̄`.
//!
//! Variables (binary): `a[d,k,t]` (d under k at t), `s[k,t]` (side of the span deviation).
//! Continuous, each determined by the `a` through rows above *and* below, so that a stage's
//! measure is the true one and the monotone rows cannot be met by inflating a measure:
//! `mv[d,t]` (d moves at t; only bounded below: it is never worth inflating), `o[k,t]` (new
//! DGA k open), `y[g,k,t]` (g faces k), `v[p,k,t]` (p has a direction under k), `e[k,t]`
//! (|directions of k − c̄·o|), `l[i,t]` (link i across two DGA).
//!
//! ```text
//! J_t = w_int Σ y + w_prio Σ_p (Σ_k v − 1) + w_eq Σ e + w_lien Σ l      (coherence of stage t)
//! min Σ_t J_t + w_agents Σ_{d,t} c_d mv[d,t]                            (area under the path)
//! J_t ≤ J_{t−1}                                                        (monotone path)
//! ```

// Stages, directions and DGA index several parallel arrays at once (variables, expressions,
// data): index loops say so more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

use super::donnees::Donnees;
use super::verification::Plan;
use crate::lp::{Critere, NomLp, Probleme, Sens, nom_lp};
use crate::model::Monotonie;
use std::collections::BTreeSet;

/// The model: an LP problem whose rows are keyed by [`Cle`].
pub type Modele = Probleme<Cle>;

/// Family of rules; a diagnosis relaxes whole families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Famille {
    /// Every direction under exactly one DGA at each stage.
    UneDga,
    /// Definition of a move (support).
    Mouvement,
    /// A direction moves at most `deplacements_max` times.
    Deplacements,
    /// Agents moved per stage at most `agents_par_etape`.
    CapEtape,
    /// Agents moved over the plan at most `agents_mandat`.
    CapMandat,
    /// A new DGA is open when it holds a direction (support).
    Ouverture,
    /// At most `nouvelles_dga` new DGA, never abolished once created.
    NouvellesDga,
    /// `directions_min`.
    DirectionsMin,
    /// `directions_max`.
    DirectionsMax,
    /// `effectif_min`.
    EffectifMin,
    /// `effectif_max`.
    EffectifMax,
    /// Locks of `[[reorganisation.verrous]]`.
    Verrou,
    /// Linked directions under one DGA today move together.
    LienFonctionnel,
    /// No stage worse than the previous.
    Monotonie,
    /// Measures' definitions (support).
    Mesure,
    /// Final states set aside by the two-phase solve: no valid path reaches them (support).
    Ecarte,
    /// Order among interchangeable candidate new DGA (symmetry breaking, support).
    Symetrie,
    /// Interlocutors that directions shared between groups impose (valid rows, support).
    Connexite,
}

impl Famille {
    /// Families a diagnosis may relax.
    pub const RELAXABLES: [Famille; 11] = [
        Famille::Verrou,
        Famille::CapEtape,
        Famille::CapMandat,
        Famille::Deplacements,
        Famille::DirectionsMin,
        Famille::DirectionsMax,
        Famille::EffectifMin,
        Famille::EffectifMax,
        Famille::NouvellesDga,
        Famille::LienFonctionnel,
        Famille::Monotonie,
    ];

    /// French name.
    pub fn libelle(self) -> &'static str {
        match self {
            Famille::UneDga => "chaque direction est sous une et une seule DGA à chaque étape",
            Famille::Mouvement => "définition d'un changement de DGA",
            Famille::Deplacements => "une direction change de DGA au plus deplacements_max fois",
            Famille::CapEtape => "agents changeant de DGA par étape (agents_par_etape)",
            Famille::CapMandat => "agents changeant de DGA sur le mandat (agents_mandat)",
            Famille::Ouverture => "une nouvelle DGA est créée quand elle reçoit une direction",
            Famille::NouvellesDga => {
                "nombre de nouvelles DGA (nouvelles_dga), jamais supprimées une fois créées"
            }
            Famille::DirectionsMin => "directions par DGA, au moins (directions_min)",
            Famille::DirectionsMax => "directions par DGA, au plus (directions_max)",
            Famille::EffectifMin => "agents par DGA, au moins (effectif_min)",
            Famille::EffectifMax => "agents par DGA, au plus (effectif_max)",
            Famille::Verrou => "verrous de [[reorganisation.verrous]]",
            Famille::LienFonctionnel => {
                "directions liées par un rattachement secondaire, sous une même DGA aujourd'hui, déplacées ensemble (liens_separables = false)"
            }
            Famille::Monotonie => "aucune étape moins cohérente que la précédente (monotonie)",
            Famille::Mesure => "définition des mesures de cohérence",
            Famille::Ecarte => "état final écarté : aucun chemin valide n'y mène",
            Famille::Symetrie => "ordre entre nouvelles DGA interchangeables",
            Famille::Connexite => {
                "interlocuteurs qu'imposent les directions partagées entre groupes (inégalité valide)"
            }
        }
    }
}

/// Key of one row: the rule it encodes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cle {
    /// `Σ_k a[d,k,t] = 1`.
    UneDga {
        /// Direction id.
        direction: String,
        /// Stage.
        etape: usize,
    },
    /// `a[d,k,t] − a[d,k,t−1] − mv[d,t] ≤ 0`.
    Mouvement {
        /// Direction id.
        direction: String,
        /// Stage.
        etape: usize,
    },
    /// `Σ_t mv[d,t] ≤ deplacements_max`, and (for one move) the trajectory rows: once left,
    /// today's DGA is not regained; once reached, a new DGA is kept.
    Deplacements {
        /// Direction id.
        direction: String,
    },
    /// `Σ_d c_d mv[d,t] ≤ agents_par_etape`.
    CapEtape {
        /// Stage.
        etape: usize,
    },
    /// `Σ_{d,t} c_d mv[d,t] ≤ agents_mandat`.
    CapMandat,
    /// `a ≤ o`, `o ≤ Σ a` for a new DGA.
    Ouverture {
        /// DGA id.
        dga: String,
        /// Stage.
        etape: usize,
    },
    /// `Σ_k o[k,T] ≤ nouvelles_dga`.
    NouvellesDga,
    /// `o[k,t−1] ≤ o[k,t]`.
    Perennite {
        /// DGA id.
        dga: String,
    },
    /// `Σ_d a[d,k,t] ≥ directions_min · o[k,t]`.
    DirectionsMin {
        /// DGA id.
        dga: String,
        /// Stage.
        etape: usize,
    },
    /// `Σ_d a[d,k,t] ≤ directions_max · o[k,t]`.
    DirectionsMax {
        /// DGA id.
        dga: String,
        /// Stage.
        etape: usize,
    },
    /// `Σ_d c_d a[d,k,t] ≥ effectif_min · o[k,t]`.
    EffectifMin {
        /// DGA id.
        dga: String,
        /// Stage.
        etape: usize,
    },
    /// `Σ_d c_d a[d,k,t] ≤ effectif_max · o[k,t]`.
    EffectifMax {
        /// DGA id.
        dga: String,
        /// Stage.
        etape: usize,
    },
    /// `a[d,k,t] = 1` at every stage.
    Verrou {
        /// Line in `scenario.toml`.
        ligne: Option<usize>,
        /// Direction id.
        direction: String,
        /// DGA id.
        dga: String,
    },
    /// `a[x,k,t] = a[y,k,t]`.
    LienFonctionnel {
        /// Direction holding the link.
        direction: String,
        /// Linked direction.
        liee: String,
    },
    /// `J_t ≤ J_{t−1}` (or one measure, with `monotonie = "chaque_mesure"`).
    Monotonie {
        /// Stage.
        etape: usize,
        /// Measure, or `objectif`.
        mesure: &'static str,
    },
    /// Rows defining a measure's variable from the `a` (both sides).
    Mesure {
        /// Measure name.
        mesure: &'static str,
        /// What it is about (group, priority, DGA or link).
        sujet: String,
        /// Stage.
        etape: usize,
    },
    /// `Σ_d a[d,f(d),T] ≤ directions − 1`: the final state `f` of the `essai`-th try is
    /// excluded (phase 1 of the two-phase solve, when no valid path reaches it).
    Ecarte {
        /// Try number, from 1.
        essai: usize,
    },
    /// `a[d,k',T] ≤ Σ_{d' < d} a[d',k,T]` for two interchangeable candidates `k < k'`
    /// ([`candidates_interchangeables`]): the lowest direction under `k'` comes after the
    /// lowest under `k`.
    Symetrie {
        /// The later candidate's id.
        dga: String,
        /// Direction id.
        direction: String,
    },
    /// `Σ_{g∈H} Σ_k y[g,k,t] + Σ_k e[k,t] / c̄ ≥ |H| − 1 + |S_H| / c̄` for a set `H` of groups
    /// linked through shared directions (docs/reorganisation.md, « Directions partagées entre groupes »).
    Connexite {
        /// Stage.
        etape: usize,
        /// The first group (in the data's order) of the linked component `H` comes from.
        composante: String,
        /// The group left out of the component, when `H` is the component less one group.
        sans: Option<String>,
    },
}

impl Cle {
    /// Family of the rule.
    pub fn famille(&self) -> Famille {
        match self {
            Cle::UneDga { .. } => Famille::UneDga,
            Cle::Mouvement { .. } => Famille::Mouvement,
            Cle::Deplacements { .. } => Famille::Deplacements,
            Cle::CapEtape { .. } => Famille::CapEtape,
            Cle::CapMandat => Famille::CapMandat,
            Cle::Ouverture { .. } => Famille::Ouverture,
            Cle::NouvellesDga | Cle::Perennite { .. } => Famille::NouvellesDga,
            Cle::DirectionsMin { .. } => Famille::DirectionsMin,
            Cle::DirectionsMax { .. } => Famille::DirectionsMax,
            Cle::EffectifMin { .. } => Famille::EffectifMin,
            Cle::EffectifMax { .. } => Famille::EffectifMax,
            Cle::Verrou { .. } => Famille::Verrou,
            Cle::LienFonctionnel { .. } => Famille::LienFonctionnel,
            Cle::Monotonie { .. } => Famille::Monotonie,
            Cle::Mesure { .. } => Famille::Mesure,
            Cle::Ecarte { .. } => Famille::Ecarte,
            Cle::Symetrie { .. } => Famille::Symetrie,
            Cle::Connexite { .. } => Famille::Connexite,
        }
    }

    /// French description of this very rule.
    pub fn decrire(&self) -> String {
        match self {
            Cle::UneDga { direction, etape } => {
                format!("étape {etape} : {direction} est sous une et une seule DGA")
            }
            Cle::Mouvement { direction, etape } => {
                format!("étape {etape} : changement de DGA de {direction}")
            }
            Cle::Deplacements { direction } => {
                format!("{direction} change de DGA au plus deplacements_max fois")
            }
            Cle::CapEtape { etape } => {
                format!("étape {etape} : agents changeant de DGA au plus agents_par_etape")
            }
            Cle::CapMandat => "agents changeant de DGA sur le mandat au plus agents_mandat".into(),
            Cle::Ouverture { dga, etape } => {
                format!("étape {etape} : {dga} est créée si elle reçoit une direction")
            }
            Cle::NouvellesDga => "au plus nouvelles_dga nouvelles DGA".into(),
            Cle::Perennite { dga } => format!("{dga}, une fois créée, n'est pas supprimée"),
            Cle::DirectionsMin { dga, etape } => {
                format!("étape {etape} : {dga} a au moins directions_min directions")
            }
            Cle::DirectionsMax { dga, etape } => {
                format!("étape {etape} : {dga} a au plus directions_max directions")
            }
            Cle::EffectifMin { dga, etape } => {
                format!("étape {etape} : {dga} compte au moins effectif_min agents")
            }
            Cle::EffectifMax { dga, etape } => {
                format!("étape {etape} : {dga} compte au plus effectif_max agents")
            }
            Cle::Verrou {
                ligne,
                direction,
                dga,
            } => format!(
                "scenario.toml{} : {direction} reste sous {dga} (verrou)",
                ligne.map(|l| format!(" ligne {l}")).unwrap_or_default()
            ),
            Cle::LienFonctionnel { direction, liee } => format!(
                "{direction} et {liee}, liées par un rattachement secondaire, restent sous la même DGA"
            ),
            Cle::Monotonie { etape, mesure } => {
                format!("étape {etape} : {mesure} pas pire qu'à l'étape précédente")
            }
            Cle::Mesure {
                mesure,
                sujet,
                etape,
            } => format!("étape {etape} : mesure {mesure} de {sujet}"),
            Cle::Ecarte { essai } => {
                format!("état final n° {essai} écarté : aucun chemin valide n'y mène")
            }
            Cle::Symetrie { dga, direction } => format!(
                "{dga} ne reçoit {direction} que si la nouvelle DGA précédente a une direction avant elle"
            ),
            Cle::Connexite {
                etape,
                composante,
                sans,
            } => format!(
                "étape {etape} : interlocuteurs des groupes liés à {composante} par des directions partagées{}",
                sans.as_ref()
                    .map(|g| format!(", sans {g}"))
                    .unwrap_or_default()
            ),
        }
    }
}

impl NomLp for Cle {
    fn nom_lp(&self) -> String {
        let parts: Vec<String> = match self {
            Cle::UneDga { direction, etape } => {
                vec!["UneDga".into(), direction.clone(), format!("t{etape}")]
            }
            Cle::Mouvement { direction, etape } => {
                vec!["Mouvement".into(), direction.clone(), format!("t{etape}")]
            }
            Cle::Deplacements { direction } => vec!["Deplacements".into(), direction.clone()],
            Cle::CapEtape { etape } => vec!["CapEtape".into(), format!("t{etape}")],
            Cle::CapMandat => vec!["CapMandat".into()],
            Cle::Ouverture { dga, etape } => {
                vec!["Ouverture".into(), dga.clone(), format!("t{etape}")]
            }
            Cle::NouvellesDga => vec!["NouvellesDga".into()],
            Cle::Perennite { dga } => vec!["Perennite".into(), dga.clone()],
            Cle::DirectionsMin { dga, etape } => {
                vec!["DirectionsMin".into(), dga.clone(), format!("t{etape}")]
            }
            Cle::DirectionsMax { dga, etape } => {
                vec!["DirectionsMax".into(), dga.clone(), format!("t{etape}")]
            }
            Cle::EffectifMin { dga, etape } => {
                vec!["EffectifMin".into(), dga.clone(), format!("t{etape}")]
            }
            Cle::EffectifMax { dga, etape } => {
                vec!["EffectifMax".into(), dga.clone(), format!("t{etape}")]
            }
            Cle::Verrou { direction, dga, .. } => {
                vec!["Verrou".into(), direction.clone(), dga.clone()]
            }
            Cle::LienFonctionnel { direction, liee } => {
                vec!["LienFonctionnel".into(), direction.clone(), liee.clone()]
            }
            Cle::Monotonie { etape, mesure } => {
                vec!["Monotonie".into(), format!("t{etape}"), (*mesure).into()]
            }
            Cle::Mesure {
                mesure,
                sujet,
                etape,
            } => vec![
                "Mesure".into(),
                (*mesure).into(),
                sujet.clone(),
                format!("t{etape}"),
            ],
            Cle::Ecarte { essai } => vec!["Ecarte".into(), format!("{essai}")],
            Cle::Symetrie { dga, direction } => {
                vec!["Symetrie".into(), dga.clone(), direction.clone()]
            }
            Cle::Connexite {
                etape,
                composante,
                sans,
            } => {
                let mut v = vec!["Connexite".into(), composante.clone(), format!("t{etape}")];
                v.extend(sans.iter().map(|g| format!("sans_{g}")));
                v
            }
        };
        parts
            .iter()
            .map(|p| nom_lp(p))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Rules left out of a build (diagnosis) and stricter caps (front).
#[derive(Debug, Clone, Default)]
pub struct Exclusions {
    /// Whole families left out.
    pub familles: BTreeSet<Famille>,
    /// Single rules left out.
    pub cles: BTreeSet<Cle>,
}

impl Exclusions {
    /// True when the rule is in force.
    pub fn actif(&self, c: &Cle) -> bool {
        !self.familles.contains(&c.famille()) && !self.cles.contains(c)
    }
}

/// What a variable stands for: its value is a function of the plan ([`ModeleReorg::valeurs`]).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Def {
    A(usize, usize, usize),
    Mv(usize, usize),
    O(usize, usize),
    Y(usize, usize, usize),
    V(usize, usize, usize),
    E(usize, usize),
    S(usize, usize),
    L(usize, usize),
}

/// A linear expression: terms and a constant.
#[derive(Debug, Clone, Default)]
struct Expr {
    termes: Vec<(usize, f64)>,
    constante: f64,
}

impl Expr {
    fn ajouter(&mut self, autre: &Expr, coef: f64) {
        self.termes
            .extend(autre.termes.iter().map(|&(v, c)| (v, c * coef)));
        self.constante += autre.constante * coef;
    }
}

/// The built model and the meaning of each variable.
#[derive(Debug, Clone)]
pub struct ModeleReorg {
    /// Variables, rows, objective.
    pub modele: Modele,
    defs: Vec<Def>,
    /// `a[t−1][d][k]`.
    a: Vec<Vec<Vec<Av>>>,
}

/// `a[d,k,t]`: a binary variable, or a constant where the final state fixes it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Av {
    /// Never (the direction cannot be under that DGA at that stage).
    Nul,
    /// Always.
    Un,
    /// A binary variable.
    Var(usize),
    /// One minus a binary variable: a direction with two possible DGA at a stage (today's and
    /// its final one, in the path model) needs one binary, not two.
    Compl(usize),
}

struct Bati<'a> {
    d: &'a Donnees,
    ex: &'a Exclusions,
    m: Modele,
    defs: Vec<Def>,
    a: Vec<Vec<Vec<Av>>>,
    /// Agents cap per stage (the front tightens it).
    cap_etape: f64,
    /// Whether the valid rows of [`connexite`] are written (the models where the `a` are free:
    /// phase 1 and the whole model; the path model fixes them).
    coupes: bool,
}

impl Bati<'_> {
    fn var(&mut self, nom: String, max: f64, entiere: bool, def: Def) -> usize {
        self.defs.push(def);
        self.m.var(nom, 0.0, max, entiere)
    }

    fn ligne(&mut self, cle: Cle, mut e: Expr, sens: Sens, rhs: f64) {
        if !self.ex.actif(&cle) {
            return;
        }
        // One term per variable (a backend may not add repeated terms up).
        e.termes.sort_by_key(|&(v, _)| v);
        let mut termes: Vec<(usize, f64)> = Vec::with_capacity(e.termes.len());
        for (v, c) in e.termes {
            match termes.last_mut() {
                Some(last) if last.0 == v => last.1 += c,
                _ => termes.push((v, c)),
            }
        }
        termes.retain(|&(_, c)| c != 0.0);
        let rhs = rhs - e.constante;
        // A row that every value within the variables' bounds satisfies says nothing: left out
        // (the final state fixes many `a`, which empties or loosens many rows).
        let (mut bas, mut haut) = (0.0, 0.0);
        for &(v, c) in &termes {
            let x = &self.m.variables[v];
            let (p, q) = (c * x.min, c * x.max);
            bas += p.min(q);
            haut += p.max(q);
        }
        let tol = 1e-9;
        let inutile = match sens {
            Sens::Le => haut <= rhs + tol,
            Sens::Ge => bas >= rhs - tol,
            Sens::Eq => termes.is_empty() && rhs.abs() <= tol,
        };
        if !inutile {
            self.m.contrainte(cle, termes, sens, rhs);
        }
    }

    /// `a[d,k,t]` as an expression (a constant at stage 0).
    fn a(&self, t: usize, d: usize, k: usize) -> Expr {
        if t == 0 {
            return Expr {
                termes: vec![],
                constante: if self.d.directions[d].initiale == k {
                    1.0
                } else {
                    0.0
                },
            };
        }
        match self.a[t - 1][d][k] {
            Av::Nul => Expr::default(),
            Av::Un => Expr {
                termes: vec![],
                constante: 1.0,
            },
            Av::Var(v) => Expr {
                termes: vec![(v, 1.0)],
                constante: 0.0,
            },
            Av::Compl(v) => Expr {
                termes: vec![(v, -1.0)],
                constante: 1.0,
            },
        }
    }

    /// True when the measures of stage `t` must be exact from above too: the monotone row of
    /// stage `t + 1` reads them as the bound not to exceed, so a measure inflated there would
    /// let stage `t + 1` be worse than stage `t` really is. The last stage's measures are only
    /// ever bounded from above by the monotone row and priced with non-negative weights in the
    /// objective: their lower rows make them exact at any optimum, and their upper rows (with
    /// the balance's side binaries) are left out.
    fn exact_par_dessus(&self, t: usize) -> bool {
        t < self.d.nb_etapes()
    }
}

/// Builds the model. `cap_etape` overrides the per-stage cap (the front), `None` = the data's.
pub fn construire(d: &Donnees, ex: &Exclusions, cap_etape: Option<f64>) -> ModeleReorg {
    construire_avec(d, ex, cap_etape, None)
}

/// Builds the model; with `cible = Some((f, fixe))`, the path model of the two-phase solve
/// towards the final state `f` (`f[d]` = DGA of direction `d` at the last stage): fixed at the
/// last stage when `fixe`, else each direction ends under today's DGA or `f[d]`. With one move
/// per direction, a direction is under today's DGA or its final one at every stage, so most
/// `a` are constants (0 or 1) and the model keeps one binary per direction and stage at most.
pub fn construire_avec(
    d: &Donnees,
    ex: &Exclusions,
    cap_etape: Option<f64>,
    cible: Option<(&[usize], bool)>,
) -> ModeleReorg {
    let nt = d.nb_etapes();
    let nd = d.directions.len();
    let nk = d.dgas.len();
    let mut b = Bati {
        d,
        ex,
        m: Modele::default(),
        defs: Vec::new(),
        a: Vec::new(),
        cap_etape: cap_etape.unwrap_or(d.cap_etape),
        coupes: cible.is_none(),
    };
    for t in 1..=nt {
        let mut at = Vec::new();
        for (i, dir) in d.directions.iter().enumerate() {
            let permis: Vec<bool> = (0..nk)
                .map(|k| match cible {
                    None => true,
                    Some((f, true)) if t == nt => k == f[i],
                    Some((f, _)) => {
                        d.params.deplacements_max != 1 || k == dir.initiale || k == f[i]
                    }
                })
                .collect();
            let nb = permis.iter().filter(|&&x| x).count();
            let mut ak = Vec::new();
            for k in 0..nk {
                ak.push(if !permis[k] {
                    Av::Nul
                } else if nb == 1 {
                    Av::Un
                } else if nb == 2 && k == dir.initiale {
                    // Filled in below from the other DGA's binary.
                    Av::Nul
                } else {
                    Av::Var(b.var(
                        format!("a_{}_{}_t{t}", nom_lp(&dir.id), nom_lp(&d.dgas[k].id)),
                        1.0,
                        true,
                        Def::A(t, i, k),
                    ))
                });
            }
            if nb == 2 && permis[dir.initiale] {
                let autre = (0..nk)
                    .find(|&k| permis[k] && k != dir.initiale)
                    .expect("two DGA");
                if let Av::Var(v) = ak[autre] {
                    ak[dir.initiale] = Av::Compl(v);
                }
            }
            at.push(ak);
        }
        b.a.push(at);
    }
    une_dga(&mut b);
    let mv = mouvements(&mut b);
    caps(&mut b, &mv);
    let o = ouverture(&mut b);
    bornes(&mut b, &o);
    verrous(&mut b);
    liens_imposes(&mut b);
    if cible.is_none() {
        symetrie(&mut b);
    }
    let j = mesures(&mut b, &o);
    monotonie(&mut b, &j);
    // Objective: the area under the path, plus the agents moved.
    let mut obj = Expr::default();
    for jt in j.iter().skip(1) {
        obj.ajouter(&jt.4, 1.0);
    }
    for (i, dir) in d.directions.iter().enumerate() {
        for mvt in &mv {
            obj.ajouter(&mvt[i], d.params.poids_agents * dir.agents);
        }
    }
    let _ = nd;
    obj.termes.sort_by_key(|&(v, _)| v);
    let mut termes: Vec<(usize, f64)> = Vec::new();
    for (v, c) in obj.termes {
        match termes.last_mut() {
            Some(last) if last.0 == v => last.1 += c,
            _ => termes.push((v, c)),
        }
    }
    let termes = termes.into_iter().filter(|&(_, c)| c != 0.0).collect();
    b.m.criteres = vec![Critere::new("objectif", 1.0, termes, obj.constante)];
    ModeleReorg {
        modele: b.m,
        defs: b.defs,
        a: b.a,
    }
}

fn une_dga(b: &mut Bati) {
    for t in 1..=b.d.nb_etapes() {
        for (i, dir) in b.d.directions.iter().enumerate() {
            let mut e = Expr::default();
            for k in 0..b.d.dgas.len() {
                e.ajouter(&b.a(t, i, k), 1.0);
            }
            b.ligne(
                Cle::UneDga {
                    direction: dir.id.clone(),
                    etape: t,
                },
                e,
                Sens::Eq,
                1.0,
            );
        }
    }
}

/// The moves and their rules; returns `mv[t−1][d]` as expressions. With one move per
/// direction (`deplacements_max = 1`, the default) a move is leaving today's DGA, so
/// `mv[d,t] = a[d,k0,t−1] − a[d,k0,t]` exactly, with no variable: the trajectory rows keep
/// `a[d,k0,·]` non-increasing and every other `a[d,k,·]` non-decreasing (once reached, a DGA
/// is kept), which also bounds the moves to one (the sum telescopes). Otherwise `mv[d,t]` is a
/// variable with `a[d,k,t] − a[d,k,t−1] ≤ mv[d,t]` for every `k` and `Σ_t mv ≤ deplacements_max`.
fn mouvements(b: &mut Bati) -> Vec<Vec<Expr>> {
    let d = b.d;
    let nt = d.nb_etapes();
    let mut mv = vec![Vec::new(); nt];
    if d.params.deplacements_max == 1 {
        for (i, dir) in d.directions.iter().enumerate() {
            let cle = Cle::Deplacements {
                direction: dir.id.clone(),
            };
            for t in 1..=nt {
                let mut e = b.a(t - 1, i, dir.initiale);
                e.ajouter(&b.a(t, i, dir.initiale), -1.0);
                mv[t - 1].push(e);
                for k in 0..d.dgas.len() {
                    let e = if k == dir.initiale {
                        let mut e = b.a(t, i, k);
                        e.ajouter(&b.a(t - 1, i, k), -1.0);
                        e
                    } else {
                        let mut e = b.a(t - 1, i, k);
                        e.ajouter(&b.a(t, i, k), -1.0);
                        e
                    };
                    b.ligne(cle.clone(), e, Sens::Le, 0.0);
                }
            }
        }
        return mv;
    }
    for t in 1..=nt {
        for (i, dir) in d.directions.iter().enumerate() {
            let v = b.var(
                format!("mv_{}_t{t}", nom_lp(&dir.id)),
                1.0,
                false,
                Def::Mv(t, i),
            );
            mv[t - 1].push(Expr {
                termes: vec![(v, 1.0)],
                constante: 0.0,
            });
            for k in 0..d.dgas.len() {
                let mut e = b.a(t, i, k);
                e.ajouter(&b.a(t - 1, i, k), -1.0);
                e.termes.push((v, -1.0));
                b.ligne(
                    Cle::Mouvement {
                        direction: dir.id.clone(),
                        etape: t,
                    },
                    e,
                    Sens::Le,
                    0.0,
                );
            }
        }
    }
    for (i, dir) in d.directions.iter().enumerate() {
        let mut e = Expr::default();
        for mvt in &mv {
            e.ajouter(&mvt[i], 1.0);
        }
        b.ligne(
            Cle::Deplacements {
                direction: dir.id.clone(),
            },
            e,
            Sens::Le,
            d.params.deplacements_max as f64,
        );
    }
    mv
}

fn caps(b: &mut Bati, mv: &[Vec<Expr>]) {
    let d = b.d;
    let mut total = Expr::default();
    for (t, mvt) in mv.iter().enumerate() {
        let mut e = Expr::default();
        for (i, m) in mvt.iter().enumerate() {
            e.ajouter(m, d.directions[i].agents);
        }
        total.ajouter(&e, 1.0);
        let cap = b.cap_etape;
        b.ligne(Cle::CapEtape { etape: t + 1 }, e, Sens::Le, cap);
        // A direction larger than the cap can never move, at this stage or any: said as its
        // own row (same key), which the LP relaxation cannot blur into a fractional move.
        for (i, dir) in d.directions.iter().enumerate() {
            if dir.agents > cap + 1e-9 {
                let e = b.a(t + 1, i, dir.initiale);
                b.ligne(Cle::CapEtape { etape: t + 1 }, e, Sens::Eq, 1.0);
            }
        }
    }
    if let Some(m) = d.cap_mandat {
        b.ligne(Cle::CapMandat, total, Sens::Le, m);
    }
}

/// `o[k,t]` as expressions (`1` for an existing DGA); returns `o[t][k]` for `t = 0..=T`.
fn ouverture(b: &mut Bati) -> Vec<Vec<Expr>> {
    let d = b.d;
    let nt = d.nb_etapes();
    let mut o = vec![Vec::new(); nt + 1];
    for k in 0..d.dgas.len() {
        let un = Expr {
            termes: vec![],
            constante: 1.0,
        };
        o[0].push(if d.dgas[k].priorite.is_none() {
            un.clone()
        } else {
            Expr::default()
        });
        for t in 1..=nt {
            if d.dgas[k].priorite.is_none() {
                o[t].push(un.clone());
                continue;
            }
            let v = b.var(
                format!("o_{}_t{t}", nom_lp(&d.dgas[k].id)),
                1.0,
                false,
                Def::O(t, k),
            );
            let cle = Cle::Ouverture {
                dga: d.dgas[k].id.clone(),
                etape: t,
            };
            let mut somme = Expr {
                termes: vec![(v, 1.0)],
                constante: 0.0,
            };
            for i in 0..d.directions.len() {
                let mut e = b.a(t, i, k);
                e.termes.push((v, -1.0));
                b.ligne(cle.clone(), e, Sens::Le, 0.0);
                somme.ajouter(&b.a(t, i, k), -1.0);
            }
            b.ligne(cle, somme, Sens::Le, 0.0);
            o[t].push(Expr {
                termes: vec![(v, 1.0)],
                constante: 0.0,
            });
        }
    }
    let mut nouvelles = Expr::default();
    for k in (0..d.dgas.len()).filter(|&k| d.dgas[k].priorite.is_some()) {
        for t in 2..=nt {
            let mut e = o[t - 1][k].clone();
            e.ajouter(&o[t][k], -1.0);
            b.ligne(
                Cle::Perennite {
                    dga: d.dgas[k].id.clone(),
                },
                e,
                Sens::Le,
                0.0,
            );
        }
        nouvelles.ajouter(&o[nt][k], 1.0);
    }
    if !nouvelles.termes.is_empty() {
        b.ligne(
            Cle::NouvellesDga,
            nouvelles,
            Sens::Le,
            d.params.nouvelles_dga as f64,
        );
    }
    o
}

fn bornes(b: &mut Bati, o: &[Vec<Expr>]) {
    let d = b.d;
    let p = &d.params;
    for t in 1..=d.nb_etapes() {
        for k in 0..d.dgas.len() {
            let mut n = Expr::default();
            let mut c = Expr::default();
            for (i, dir) in d.directions.iter().enumerate() {
                n.ajouter(&b.a(t, i, k), 1.0);
                c.ajouter(&b.a(t, i, k), dir.agents);
            }
            let dga = d.dgas[k].id.clone();
            let borne = |e: &Expr, coef: f64| {
                let mut e = e.clone();
                e.ajouter(&o[t][k], -coef);
                e
            };
            if p.directions_min > 0 {
                let e = borne(&n, p.directions_min as f64);
                b.ligne(
                    Cle::DirectionsMin {
                        dga: dga.clone(),
                        etape: t,
                    },
                    e,
                    Sens::Ge,
                    0.0,
                );
            }
            if let Some(m) = p.directions_max {
                let e = borne(&n, m as f64);
                b.ligne(
                    Cle::DirectionsMax {
                        dga: dga.clone(),
                        etape: t,
                    },
                    e,
                    Sens::Le,
                    0.0,
                );
            }
            if let Some(m) = p.effectif_min {
                let e = borne(&c, m);
                b.ligne(
                    Cle::EffectifMin {
                        dga: dga.clone(),
                        etape: t,
                    },
                    e,
                    Sens::Ge,
                    0.0,
                );
            }
            if let Some(m) = p.effectif_max {
                let e = borne(&c, m);
                b.ligne(Cle::EffectifMax { dga, etape: t }, e, Sens::Le, 0.0);
            }
        }
    }
}

/// The candidate new DGA that are interchangeable, in index order: no lock names them (they
/// have no fixed groups and no staff of their own). Any plan stays valid, with the same
/// measures, when the candidates' contents are permuted among them at every stage: the rows
/// and the objective treat them alike; only their ids differ, and the ids are given back after
/// the solve ([`crate::reorganisation::nommer_candidates`]).
pub fn candidates_interchangeables(d: &Donnees) -> Vec<usize> {
    (0..d.dgas.len())
        .filter(|&k| {
            d.dgas[k].priorite.is_some()
                && d.dgas[k].groupes_fixes.is_empty()
                && !d.verrous.iter().any(|v| v.dga == k)
        })
        .collect()
}

/// Symmetry breaking among interchangeable candidates `k < k'` (consecutive), at the last
/// stage: `a[d,k',T] ≤ Σ_{d' < d} a[d',k,T]`, the candidates ordered by the lowest direction
/// they hold (an empty one after every open one). Valid up to relabelling: from any plan,
/// giving the candidates' contents to the candidates in that order ([`canonique`]) is a plan
/// with the same measures that meets these rows. Without them, the search meets every final
/// state as many times as the candidates can be permuted.
fn symetrie(b: &mut Bati) {
    let d = b.d;
    let nt = d.nb_etapes();
    if nt == 0 {
        return;
    }
    let ks = candidates_interchangeables(d);
    for w in ks.windows(2) {
        let (k, k2) = (w[0], w[1]);
        let mut avant = Expr::default();
        for i in 0..d.directions.len() {
            let mut e = b.a(nt, i, k2);
            e.ajouter(&avant, -1.0);
            b.ligne(
                Cle::Symetrie {
                    dga: d.dgas[k2].id.clone(),
                    direction: d.directions[i].id.clone(),
                },
                e,
                Sens::Le,
                0.0,
            );
            avant.ajouter(&b.a(nt, i, k), 1.0);
        }
    }
}

/// The plan with the interchangeable candidates' contents permuted (the same permutation at
/// every stage) so that they are ordered by the lowest direction they hold at the last stage,
/// empty ones last: the representative that meets the [`Cle::Symetrie`] rows. Same measures,
/// same verdict of the checker.
pub fn canonique(d: &Donnees, plan: &Plan) -> Plan {
    let ks = candidates_interchangeables(d);
    let Some(fin) = plan.etapes.last() else {
        return plan.clone();
    };
    let mut ordre = ks.clone();
    let premiere = |k: usize| fin.iter().position(|&x| x == k).unwrap_or(usize::MAX);
    ordre.sort_by_key(|&k| (premiere(k), k));
    permuter(plan, &ordre, &ks)
}

/// `plan` with the contents of DGA `de[j]` given to DGA `vers[j]`, at every stage.
pub fn permuter(plan: &Plan, de: &[usize], vers: &[usize]) -> Plan {
    let mut p = plan.clone();
    for e in p.etapes.iter_mut() {
        for x in e.iter_mut() {
            if let Some(j) = de.iter().position(|k| k == x) {
                *x = vers[j];
            }
        }
    }
    p
}

fn verrous(b: &mut Bati) {
    let d = b.d;
    for v in &d.verrous {
        let cle = Cle::Verrou {
            ligne: v.ligne,
            direction: d.directions[v.direction].id.clone(),
            dga: d.dgas[v.dga].id.clone(),
        };
        for t in 1..=d.nb_etapes() {
            let e = b.a(t, v.direction, v.dga);
            b.ligne(cle.clone(), e, Sens::Eq, 1.0);
        }
    }
}

fn liens_imposes(b: &mut Bati) {
    let d = b.d;
    for l in (0..d.liens.len()).filter(|&l| d.lien_impose(l)) {
        let (x, y) = d.liens[l];
        let cle = Cle::LienFonctionnel {
            direction: d.directions[x].id.clone(),
            liee: d.directions[y].id.clone(),
        };
        for t in 1..=d.nb_etapes() {
            for k in 0..d.dgas.len() {
                let mut e = b.a(t, x, k);
                e.ajouter(&b.a(t, y, k), -1.0);
                b.ligne(cle.clone(), e, Sens::Eq, 0.0);
            }
        }
    }
}

/// An OR `z = max_{d ∈ ds} a[d,k,t]`, exact through `a ≤ z` and (where the stage needs it,
/// [`Bati::exact_par_dessus`]) `z ≤ Σ a`; a constant when one of the `a` is (1) or all are
/// (0), and the `a` itself when only one can be 1.
fn ou(b: &mut Bati, t: usize, k: usize, ds: &[usize], nom: String, def: Def, cle: Cle) -> Expr {
    let mut vars = Vec::new();
    for &i in ds {
        let e = b.a(t, i, k);
        if e.termes.is_empty() && e.constante >= 1.0 - 1e-9 {
            return Expr {
                termes: vec![],
                constante: 1.0,
            };
        }
        if !e.termes.is_empty() {
            vars.push(e);
        }
    }
    match vars.len() {
        0 => return Expr::default(),
        1 => return vars.pop().expect("one"),
        _ => {}
    }
    let z = b.var(nom, 1.0, false, def);
    let mut somme = Expr {
        termes: vec![(z, 1.0)],
        constante: 0.0,
    };
    for a in &vars {
        let mut e = a.clone();
        e.termes.push((z, -1.0));
        b.ligne(cle.clone(), e, Sens::Le, 0.0);
        somme.ajouter(a, -1.0);
    }
    if b.exact_par_dessus(t) {
        b.ligne(cle, somme, Sens::Le, 0.0);
    }
    Expr {
        termes: vec![(z, 1.0)],
        constante: 0.0,
    }
}

/// The four measures of each stage `t = 0..=T`: (interlocutors, priorities, balance, links,
/// weighted total J_t) as expressions.
type MesuresExpr = (Expr, Expr, Expr, Expr);

fn mesures(b: &mut Bati, o: &[Vec<Expr>]) -> Vec<(Expr, Expr, Expr, Expr, Expr)> {
    let d = b.d;
    let p = d.params.clone();
    let nd = d.directions.len();
    let mut out = Vec::new();
    for t in 0..=d.nb_etapes() {
        let mut m: MesuresExpr = Default::default();
        // Interlocutors, also per group (for [`connexite`]).
        let mut par_groupe = vec![Expr::default(); d.groupes.len()];
        for (g, gid) in d.groupes.iter().enumerate() {
            let ds: Vec<usize> = (0..nd)
                .filter(|&i| d.directions[i].groupes.contains(&g))
                .collect();
            for k in 0..d.dgas.len() {
                if d.dgas[k].groupes_fixes.contains(&g) {
                    m.0.constante += 1.0;
                    par_groupe[g].constante += 1.0;
                    continue;
                }
                let cle = Cle::Mesure {
                    mesure: "interlocuteurs",
                    sujet: format!("{gid}/{}", d.dgas[k].id),
                    etape: t,
                };
                let nom = format!("y_{}_{}_t{t}", nom_lp(gid), nom_lp(&d.dgas[k].id));
                let e = ou(b, t, k, &ds, nom, Def::Y(t, g, k), cle);
                m.0.ajouter(&e, 1.0);
                par_groupe[g].ajouter(&e, 1.0);
            }
        }
        // Priorities.
        for (q, pr) in d.priorites.iter().enumerate() {
            if pr.directions.is_empty() {
                continue;
            }
            m.1.constante -= 1.0;
            for k in 0..d.dgas.len() {
                let cle = Cle::Mesure {
                    mesure: "priorites",
                    sujet: format!("{}/{}", pr.id, d.dgas[k].id),
                    etape: t,
                };
                let nom = format!("v_{}_{}_t{t}", nom_lp(&pr.id), nom_lp(&d.dgas[k].id));
                let e = ou(b, t, k, &pr.directions, nom, Def::V(t, q, k), cle);
                m.1.ajouter(&e, 1.0);
            }
        }
        // Balance: e = |n − c̄·o|, exact through the side binary s.
        let equilibre = p.poids_equilibre > 0.0 || p.monotonie == Monotonie::ChaqueMesure;
        if equilibre {
            let grand = nd as f64 + d.cible;
            for k in 0..d.dgas.len() {
                let mut ecart = Expr::default();
                for i in 0..nd {
                    ecart.ajouter(&b.a(t, i, k), 1.0);
                }
                ecart.ajouter(&o[t][k], -d.cible);
                if ecart.termes.is_empty() {
                    m.2.constante += ecart.constante.abs();
                    continue;
                }
                let id = d.dgas[k].id.clone();
                let e = b.var(
                    format!("e_{}_t{t}", nom_lp(&id)),
                    f64::INFINITY,
                    false,
                    Def::E(t, k),
                );
                let cle = Cle::Mesure {
                    mesure: "equilibre",
                    sujet: id.clone(),
                    etape: t,
                };
                let mut haut = ecart.clone();
                haut.termes.push((e, -1.0));
                b.ligne(cle.clone(), haut, Sens::Le, 0.0);
                let mut bas = Expr::default();
                bas.ajouter(&ecart, -1.0);
                bas.termes.push((e, -1.0));
                b.ligne(cle.clone(), bas, Sens::Le, 0.0);
                // Integer rounding: an open DGA holds a whole number of directions, so its
                // deviation from the non-integer mean c̄ is at least c̄'s distance δ to the
                // nearest integer: e ≥ δ·o (a closed candidate holds none: e ≥ 0). Valid for
                // every plan; the LP relaxation, which spreads directions fractionally, would
                // otherwise balance every DGA exactly.
                let delta = (d.cible - d.cible.round()).abs();
                if delta > 1e-9 {
                    let mut r = Expr::default();
                    r.ajouter(&o[t][k], delta);
                    r.termes.push((e, -1.0));
                    b.ligne(cle.clone(), r, Sens::Le, 0.0);
                }
                m.2.termes.push((e, 1.0));
                if !b.exact_par_dessus(t) {
                    continue;
                }
                let s = b.var(format!("s_{}_t{t}", nom_lp(&id)), 1.0, true, Def::S(t, k));
                // e ≤ ecart + M(1 − s), e ≤ −ecart + M s.
                let mut x = Expr::default();
                x.ajouter(&ecart, -1.0);
                x.termes.push((e, 1.0));
                x.termes.push((s, grand));
                b.ligne(cle.clone(), x, Sens::Le, grand);
                let mut y = ecart.clone();
                y.termes.push((e, 1.0));
                y.termes.push((s, -grand));
                b.ligne(cle, y, Sens::Le, 0.0);
            }
        }
        if equilibre && t > 0 && b.coupes {
            connexite(b, t, &par_groupe, &m.2);
        }
        // Links across two DGA: l ≥ a[x,k] − a[y,k] (both ways), l ≤ 2 − a[x,k] − a[y,k].
        for (l, &(x, y)) in d.liens.iter().enumerate() {
            // Both directions fixed (stage 0, or by the final state): a constant.
            let fixe = |u: usize| {
                (0..d.dgas.len()).find(|&k| {
                    let e = b.a(t, u, k);
                    e.termes.is_empty() && e.constante >= 1.0 - 1e-9
                })
            };
            if let (Some(kx), Some(ky)) = (fixe(x), fixe(y)) {
                if kx != ky {
                    m.3.constante += 1.0;
                }
                continue;
            }
            let v = b.var(
                format!(
                    "l_{}_{}_t{t}",
                    nom_lp(&d.directions[x].id),
                    nom_lp(&d.directions[y].id)
                ),
                1.0,
                false,
                Def::L(t, l),
            );
            let cle = Cle::Mesure {
                mesure: "liens",
                sujet: format!("{}/{}", d.directions[x].id, d.directions[y].id),
                etape: t,
            };
            for k in 0..d.dgas.len() {
                for (u, w) in [(x, y), (y, x)] {
                    let mut e = b.a(t, u, k);
                    e.ajouter(&b.a(t, w, k), -1.0);
                    e.termes.push((v, -1.0));
                    b.ligne(cle.clone(), e, Sens::Le, 0.0);
                }
                if b.exact_par_dessus(t) {
                    let mut e = b.a(t, x, k);
                    e.ajouter(&b.a(t, y, k), 1.0);
                    e.termes.push((v, 1.0));
                    b.ligne(cle.clone(), e, Sens::Le, 2.0);
                }
            }
            m.3.termes.push((v, 1.0));
        }
        let mut j = Expr::default();
        j.ajouter(&m.0, p.poids_interlocuteurs);
        j.ajouter(&m.1, p.poids_priorites);
        j.ajouter(&m.2, p.poids_equilibre);
        j.ajouter(&m.3, p.poids_liens);
        out.push((m.0, m.1, m.2, m.3, j));
    }
    out
}

/// Valid rows on the interlocutors: directions shared between groups tie the groups together,
/// and the balance keeps any DGA near the mean `c̄`, so a large set of linked groups cannot all
/// face one DGA. The LP relaxation ignores it: it spreads every direction evenly over the DGA,
/// so that each group « faces » one DGA in total and every DGA is balanced (annecy seed 1:
/// root 19,3 against an optimum of 31,1).
///
/// For a set `H` of groups linked through shared directions (connected: any two are joined by
/// a chain of groups sharing a direction), covering the directions `S_H`, at stage `t`:
///
/// ```text
/// Σ_{g∈H} Σ_k y[g,k,t] + (1/c̄) Σ_k e[k,t] ≥ |H| − 1 + |S_H| / c̄
/// ```
///
/// Valid for every plan: let `p` be the number of DGA holding a direction of `S_H`. (1) Each
/// such DGA `k` holds at most `n_k ≤ c̄·o_k + e_k` directions, so `|S_H| ≤ c̄·p + Σ_k e_k`.
/// (2) Contract each DGA to a point: the groups of `H` still connect the `p` points, and a
/// group facing `r_g` DGA joins `r_g` of them, so `Σ_{g∈H} (r_g − 1) ≥ p − 1`; `Σ_k y[g,k] ≥
/// r_g` (fixed interlocutors only add). Together: `Σ_g Σ_k y ≥ |H| − 1 + p ≥ |H| − 1 +
/// (|S_H| − Σ_k e_k)/c̄`. Written for each component of linked groups and each component less
/// one group that stays connected; on annecy seed 1 (12 stages, phase 1) the root bound goes
/// from 19,3 to 24,2 (HiGHS on the exported model; its optimum unchanged).
fn connexite(b: &mut Bati, t: usize, par_groupe: &[Expr], ecarts: &Expr) {
    let d = b.d;
    let cbar = d.cible;
    if cbar.is_nan() || cbar <= 0.0 {
        return;
    }
    let ng = d.groupes.len();
    let mut dirs: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); ng];
    for (i, dir) in d.directions.iter().enumerate() {
        for &g in &dir.groupes {
            if g < ng {
                dirs[g].insert(i);
            }
        }
    }
    // The groups of `h` reachable from its first one through shared directions.
    let relies = |h: &[usize]| -> BTreeSet<usize> {
        let mut vus = BTreeSet::new();
        let mut pile: Vec<usize> = h.first().copied().into_iter().collect();
        while let Some(g) = pile.pop() {
            if vus.insert(g) {
                pile.extend(
                    h.iter()
                        .copied()
                        .filter(|&x| !vus.contains(&x) && !dirs[g].is_disjoint(&dirs[x])),
                );
            }
        }
        vus
    };
    let mut restants: Vec<usize> = (0..ng).filter(|&g| !dirs[g].is_empty()).collect();
    while !restants.is_empty() {
        let composante: Vec<usize> = relies(&restants).into_iter().collect();
        restants.retain(|g| !composante.contains(g));
        let id = d.groupes[composante[0]].clone();
        let mut ensembles = vec![(composante.clone(), None)];
        if composante.len() > 2 {
            for &sans in &composante {
                let h: Vec<usize> = composante.iter().copied().filter(|&g| g != sans).collect();
                if relies(&h).len() == h.len() {
                    ensembles.push((h, Some(d.groupes[sans].clone())));
                }
            }
        }
        for (h, sans) in ensembles {
            let couvertes: BTreeSet<usize> =
                h.iter().flat_map(|&g| dirs[g].iter().copied()).collect();
            let mut e = Expr::default();
            for &g in &h {
                e.ajouter(&par_groupe[g], 1.0);
            }
            e.ajouter(ecarts, 1.0 / cbar);
            let rhs = (h.len() - 1) as f64 + couvertes.len() as f64 / cbar;
            let cle = Cle::Connexite {
                etape: t,
                composante: id.clone(),
                sans,
            };
            b.ligne(cle, e, Sens::Ge, rhs);
        }
    }
}

fn monotonie(b: &mut Bati, j: &[(Expr, Expr, Expr, Expr, Expr)]) {
    let d = b.d;
    for t in 1..=d.nb_etapes() {
        let paires: Vec<(&'static str, &Expr, &Expr)> = match d.params.monotonie {
            Monotonie::Objectif => vec![("objectif", &j[t].4, &j[t - 1].4)],
            Monotonie::ChaqueMesure => vec![
                ("interlocuteurs", &j[t].0, &j[t - 1].0),
                ("priorites", &j[t].1, &j[t - 1].1),
                ("equilibre", &j[t].2, &j[t - 1].2),
                ("liens", &j[t].3, &j[t - 1].3),
            ],
        };
        for (mesure, apres, avant) in paires {
            let mut e = apres.clone();
            e.ajouter(avant, -1.0);
            b.ligne(Cle::Monotonie { etape: t, mesure }, e, Sens::Le, 1e-6);
        }
    }
}

impl ModeleReorg {
    /// Excludes the final state `f` (`f[d]` = DGA of direction `d` at the last stage): a
    /// no-good row keyed [`Cle::Ecarte`] with the try number `essai`.
    pub fn ecarter(&mut self, d: &Donnees, f: &[usize], essai: usize) {
        let Some(der) = self.a.last() else { return };
        let mut termes = Vec::new();
        let mut fixes = 0.0;
        for i in 0..d.directions.len() {
            match der[i][f[i]] {
                Av::Var(v) => termes.push((v, 1.0)),
                Av::Compl(v) => {
                    termes.push((v, -1.0));
                    fixes += 1.0;
                }
                Av::Un => fixes += 1.0,
                Av::Nul => {}
            }
        }
        let rhs = d.directions.len() as f64 - 1.0 - fixes;
        self.modele
            .contrainte(Cle::Ecarte { essai }, termes, Sens::Le, rhs);
    }

    /// The plan of a solution's values.
    pub fn plan(&self, d: &Donnees, valeurs: &[f64]) -> Plan {
        let mut p = Plan::immobile(d);
        for (t, at) in self.a.iter().enumerate() {
            for (i, ak) in at.iter().enumerate() {
                let mut best = (f64::NEG_INFINITY, d.directions[i].initiale);
                for (k, v) in ak.iter().enumerate() {
                    let x = match v {
                        Av::Nul => continue,
                        Av::Un => 2.0,
                        Av::Var(v) => valeurs.get(*v).copied().unwrap_or(0.0),
                        Av::Compl(v) => 1.0 - valeurs.get(*v).copied().unwrap_or(0.0),
                    };
                    if x > best.0 + 1e-9 {
                        best = (x, k);
                    }
                }
                p.etapes[t + 1][i] = best.1;
            }
        }
        p
    }

    /// Every variable's value for a plan (a warm start): each is a function of the plan.
    pub fn valeurs(&self, d: &Donnees, plan: &Plan) -> Vec<f64> {
        let e = &plan.etapes;
        let n = |t: usize, k: usize| e[t].iter().filter(|&&x| x == k).count() as f64;
        let ouverte = |t: usize, k: usize| d.dgas[k].priorite.is_none() || e[t].contains(&k);
        let ecart = |t: usize, k: usize| n(t, k) - if ouverte(t, k) { d.cible } else { 0.0 };
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        self.defs
            .iter()
            .map(|def| match *def {
                Def::A(t, i, k) => b(e[t][i] == k),
                Def::Mv(t, i) => b(e[t][i] != e[t - 1][i]),
                Def::O(t, k) => b(ouverte(t, k)),
                Def::Y(t, g, k) => b(d
                    .directions
                    .iter()
                    .enumerate()
                    .any(|(i, x)| x.groupes.contains(&g) && e[t][i] == k)),
                Def::V(t, q, k) => b(d.priorites[q].directions.iter().any(|&i| e[t][i] == k)),
                Def::E(t, k) => ecart(t, k).abs(),
                Def::S(t, k) => b(ecart(t, k) >= 0.0),
                Def::L(t, l) => b(e[t][d.liens[l].0] != e[t][d.liens[l].1]),
            })
            .collect()
    }
}
