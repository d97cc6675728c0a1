//! The grouping model: which group leads each unit, and (with `--regrouper`) which group each
//! conseiller·e délégué·e and adjoint·e de quartier joins.
//!
//! Notation: units `u ∈ U` (staff `c_u`, DGA `d(u)`, current group `a(u)`), groups `g ∈ G`, DGA
//! `d ∈ D`, members `e ∈ E`, mean load `m = Σ_u c_u / |G|`.
//!
//! Variables: `x[u,g] ∈ {0,1}` (g leads u), `y[g,d] ∈ {0,1}` (g spans DGA d), `z[e,g] ∈ {0,1}`
//! (e belongs to g), `r[e,u] ∈ {0,1}` (member e's pilote délégations inside u become appui; only
//! with `[groupes] retrait_appui`, the default), `l_ab ∈ [0,1]` (the functionally linked units
//! a and b are led by different groups), `ε_g ≥ 0` (relative deviation of g's load from the
//! mean).
//!
//! Objective (weights of `[groupes]`), the weighted sum of the named criteria declared once in
//! [`super::criteres`] (which also gives each criterion's value for a plan, read by `evaluer`
//! and the front):
//!
//! ```text
//! min  w_disp Σ_{g,d} y[g,d]                       spread: DGA spanned by each non-transversal group
//!    + w_chg  Σ_{u: a(u) exists} (1 − x[u,a(u)])     units moved from the proposal
//!    + w_pref Σ_{e mobile: a(e) exists} (1 − z[e,a(e)])  members moved from their group
//!    + w_ret  Σ_{e, u ∈ P(e)} r[e,u]                 members' pilote délégations made appui
//!    + w_lien Σ_{(a,b) linked} l_ab                   secondary links across groups (D002)
//!    + w_eq   Σ_g ε_g                                 balance (mean absolute deviation, in means)
//!    + w_ht   Σ_{u, g ≠ a(u): hors thème} x[u,g]      moves and adoptions into a group sharing
//!                                                     none of the unit's domains
//! ```
//!
//! « Hors thème » ([`Donnees::hors_theme`]): the unit and the group both have domains
//! (`crate::model::domaine`) and share none, neither the same nor a close one. `w_ht` is
//! `[groupes] poids_hors_theme` (25 by default: more than a pôle spanned, so an orphan goes to
//! a group sharing its domain whenever the rules allow one).
//!
//! The perimeter rule `PerimetreMembre(e,u,g)` reads `z[e,g] − x[u,g] − r[e,u] ≤ 0`: a member
//! who pilots inside `u` is in the group leading `u`, or their délégation there becomes an appui
//! (the fix the analyser suggests for a double rattachement, D001). Its mirror
//! `RetraitHorsGroupe(e,u,g)`, `x[u,g] − z[e,g] − r[e,u] ≤ 0`, adds nothing to the integer plans
//! and closes the LP relaxation's escape (a member spread thinly over every group). Without `r` (retrait_appui =
//! false), two members of different fixed groups piloting inside one unit make the model
//! infeasible, and the rule fixes `x[u,a(e)] = 1` before building.
//!
//! Formulation choices, each measured (README, « Modèle de regroupement »): the linking is the
//! tight, disaggregated `x[u,g] ≤ y[g,d(u)]` (one row per existing `x`), not the aggregated
//! `Σ_u x[u,g] ≤ |U_d| y[g,d]`, whose LP relaxation lets `y` be tiny; balance is a mean absolute
//! deviation (two rows per group), not a min-max, whose relaxation is flat; every variable that a
//! rule determines before solving (locks, perimeters of members whose group is known, transversal
//! groups keeping only their own units, adjoint·es de quartier kept out of transversal groups) is
//! fixed or not created at all, and the rule is kept as a key ([`Modele::fixations`]) so that the
//! diagnosis and the LP export still name it. Nothing is pruned by heuristics: every `x[u,g]`
//! that the rules allow exists, so « optimal » means optimal for the stated rules.
//!
//! This file is the driver: it creates the variables, then calls each rule family's builder
//! ([`super::regles`], one file per family, each beside its check of a plan) in a fixed order,
//! then declares the criteria.

use super::donnees::Donnees;
use super::modele::{Cle, Famille, Modele};
use super::nom_lp;
use super::regles::{
    dga, domaines, equilibre, liens, membre_unique, perimetre_membre, pilote_unique, quartier,
    tailles, une_unite,
};
use super::verification::Plan;
use std::collections::BTreeSet;

/// Rules left out of a build (to diagnose an infeasibility by relaxing them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions {
    /// Whole families left out.
    pub familles: BTreeSet<Famille>,
    /// Single rules left out.
    pub cles: BTreeSet<Cle>,
}

impl Exclusions {
    /// True if the rule is in force.
    pub fn actif(&self, c: &Cle) -> bool {
        !self.familles.contains(&c.famille()) && !self.cles.contains(c)
    }
}

/// A rule conflict found while building (before any solve): the keys that cannot hold together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflit {
    /// The rules in conflict.
    pub cles: Vec<Cle>,
}

/// The built model and the index of each decision variable.
#[derive(Debug, Clone)]
pub struct ModeleGroupes {
    /// Variables, rows, objective.
    pub modele: Modele,
    /// `x[u][g]`: variable index, if it exists.
    pub x: Vec<Vec<Option<usize>>>,
    /// `y[g][d]`.
    pub y: Vec<Vec<Option<usize>>>,
    /// `z[e][g]`.
    pub z: Vec<Vec<Option<usize>>>,
    /// `r[e][k]`: retrait of member e in the k-th unit of their perimeter.
    pub r: Vec<Vec<Option<usize>>>,
    /// `l[k]`: link k of [`Donnees::liens`] crosses groups (in every model with an objective:
    /// the front's structure counts it even when `poids_liens = 0`).
    pub l: Vec<Option<usize>>,
    /// `ε_g`, when balance is weighted.
    pub ecart: Vec<Option<usize>>,
}

/// Builds the model. `avec_objectif = false` gives a pure feasibility model (used by the
/// infeasibility diagnosis).
pub fn construire(
    d: &Donnees,
    ex: &Exclusions,
    avec_objectif: bool,
) -> Result<ModeleGroupes, Conflit> {
    let dm = domaines::permis_membres(d, ex)?;
    let du = domaines::permis_unites(d, ex, &dm)?;
    let ng = d.groupes.len();
    let mut mg = ModeleGroupes {
        modele: Modele::default(),
        x: vec![vec![None; ng]; d.unites.len()],
        y: vec![vec![None; d.dgas.len()]; ng],
        z: vec![vec![None; ng]; d.membres.len()],
        r: d.membres
            .iter()
            .map(|m| vec![None; m.perimetre.len()])
            .collect(),
        l: vec![None; d.liens.len()],
        ecart: vec![None; ng],
    };
    let mut noms = BTreeSet::new();
    let mut unique = |base: String| -> String {
        let mut nom = base.clone();
        let mut k = 2;
        while !noms.insert(nom.clone()) {
            nom = format!("{base}.{k}");
            k += 1;
        }
        nom
    };
    let m = &mut mg.modele;
    for (u, dom) in du.iter().enumerate() {
        let fixe = !dom.fixe_par.is_empty();
        for &g in &dom.groupes {
            let nom = unique(format!(
                "x.{}.{}",
                nom_lp(&d.unites[u].id),
                nom_lp(&d.groupes[g].id)
            ));
            mg.x[u][g] = Some(m.var(nom, if fixe { 1.0 } else { 0.0 }, 1.0, true));
        }
        m.fixations.extend(dom.retire_par.iter().cloned());
    }
    for (e, dom) in dm.iter().enumerate() {
        let fixe = !dom.fixe_par.is_empty();
        for &g in &dom.groupes {
            let nom = unique(format!(
                "z.{}.{}",
                nom_lp(&d.membres[e].id),
                nom_lp(&d.groupes[g].id)
            ));
            mg.z[e][g] = Some(m.var(nom, if fixe { 1.0 } else { 0.0 }, 1.0, true));
        }
        m.fixations.extend(dom.retire_par.iter().cloned());
    }
    if d.params.retrait_appui {
        for (e, mb) in d.membres.iter().enumerate() {
            for (k, &u) in mb.perimetre.iter().enumerate() {
                let nom = unique(format!("r.{}.{}", nom_lp(&mb.id), nom_lp(&d.unites[u].id)));
                mg.r[e][k] = Some(m.var(nom, 0.0, 1.0, true));
            }
        }
    }
    // Transversal groups reach across by design: their spread is not counted (counting it
    // would reward emptying them), so they get no `y`.
    for g in (0..ng).filter(|&g| !d.groupes[g].transversal) {
        for dga in 0..d.dgas.len() {
            if (0..d.unites.len()).any(|u| d.unites[u].dga == Some(dga) && mg.x[u][g].is_some()) {
                let nom = unique(format!(
                    "y.{}.{}",
                    nom_lp(&d.groupes[g].id),
                    nom_lp(&d.dgas[dga].id)
                ));
                mg.y[g][dga] = Some(m.var(nom, 0.0, 1.0, true));
            }
        }
    }
    // Links exist whatever their weight: they are part of the front's structure criterion
    // (`poids_liens = 0` only takes them out of the weighted objective).
    if avec_objectif {
        for (k, lien) in d.liens.iter().enumerate() {
            let nom = unique(format!(
                "lien.{}.{}",
                nom_lp(&d.unites[lien.a].id),
                nom_lp(&d.unites[lien.b].id)
            ));
            mg.l[k] = Some(m.var(nom, 0.0, 1.0, false));
        }
    }
    let moyenne = d.charge_moyenne();
    let equilibre = avec_objectif && d.params.poids_equilibre > 0.0 && moyenne > 0.0;
    if equilibre {
        for g in 0..ng {
            let nom = unique(format!("ecart.{}", nom_lp(&d.groupes[g].id)));
            mg.ecart[g] = Some(m.var(nom, 0.0, f64::INFINITY, false));
        }
    }

    domaines::fixations_en_lignes(&mut mg, &du, &dm);
    pilote_unique::construire(d, &mut mg)?;
    dga::construire(d, &mut mg);
    une_unite::construire(d, ex, &mut mg)?;
    perimetre_membre::construire(d, ex, &dm, &mut mg)?;
    membre_unique::construire(d, &mut mg)?;
    quartier::construire(d, ex, &dm, &mut mg)?;
    if d.regrouper {
        tailles::construire(d, ex, &mut mg)?;
    }
    super::voeux::lignes(d, &mut mg);
    if equilibre {
        equilibre::construire(d, moyenne, &mut mg);
    }
    liens::construire(d, &mut mg);
    if avec_objectif {
        mg.modele.criteres = super::criteres::du_modele(d, &mg);
    }
    Ok(mg)
}

impl ModeleGroupes {
    /// Reads a plan from variable values (binary read as `> 0.5`); the retraits are the ones the
    /// units and members need ([`Plan::avec_retraits`]).
    pub fn plan(&self, d: &Donnees, valeurs: &[f64]) -> Plan {
        let pick =
            |row: &Vec<Option<usize>>| row.iter().position(|v| v.is_some_and(|i| valeurs[i] > 0.5));
        Plan::avec_retraits(
            d,
            self.x.iter().map(pick).collect(),
            self.z.iter().map(pick).collect(),
        )
    }

    /// Variable values of a plan (an initial solution for the solver), `None` if the plan uses
    /// a variable the model does not have.
    pub fn valeurs(&self, d: &Donnees, plan: &Plan) -> Option<Vec<f64>> {
        let mut v = vec![0.0; self.modele.variables.len()];
        for (u, g) in plan.unites.iter().enumerate() {
            let g = (*g)?;
            v[self.x[u][g]?] = 1.0;
            if let Some(y) = d.unites[u].dga.and_then(|dga| self.y[g][dga]) {
                v[y] = 1.0;
            }
        }
        for (e, g) in plan.membres.iter().enumerate() {
            v[self.z[e][(*g)?]?] = 1.0;
        }
        for &(e, u) in &plan.retraits {
            let k = d.membres[e].perimetre.iter().position(|&x| x == u)?;
            v[self.r[e][k]?] = 1.0;
        }
        for (k, lien) in d.liens.iter().enumerate() {
            if let Some(l) = self.l[k] {
                v[l] = if plan.unites[lien.a] == plan.unites[lien.b] {
                    0.0
                } else {
                    1.0
                };
            }
        }
        let moyenne = d.charge_moyenne();
        for (g, e) in self.ecart.iter().enumerate() {
            if let Some(e) = e {
                let charge: f64 = (0..d.unites.len())
                    .filter(|&u| plan.unites[u] == Some(g))
                    .map(|u| d.unites[u].charge)
                    .sum();
                v[*e] = (charge / moyenne - 1.0).abs();
            }
        }
        Some(v)
    }
}
