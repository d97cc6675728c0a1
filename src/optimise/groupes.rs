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
//! Objective (weights of `[groupes]`):
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

use super::donnees::Donnees;
use super::modele::{Cle, Famille, Modele, Sens};
use super::nom_lp;
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
    /// `l[k]`: link k of [`Donnees::liens`] crosses groups (when links are weighted).
    pub l: Vec<Option<usize>>,
    /// `ε_g`, when balance is weighted.
    pub ecart: Vec<Option<usize>>,
}

/// Allowed groups of one decision (its « domain » in the constraint-programming sense, not a
/// municipal domain) and the rules that narrowed them.
#[derive(Debug, Clone, Default)]
struct Permis {
    groupes: Vec<usize>,
    /// Rules that fix the decision to its single group, written as `v = 1` rows.
    fixe_par: Vec<Cle>,
    /// Rules that only removed groups (written as fixings).
    retire_par: Vec<Cle>,
}

/// Allowed groups of the members: `GroupeFixe`, `AdjointQuartier` and `VerrouElu`.
///
/// `z[e,g]` exists only for `g` in the domain: `{a(e)}` for a non-mobile member; for an
/// adjoint·e de quartier, non-transversal groups only; for a locked member, the lock's group.
fn permis_membres(d: &Donnees, ex: &Exclusions) -> Result<Vec<Permis>, Conflit> {
    let mut out = Vec::new();
    for (i, m) in d.membres.iter().enumerate() {
        let mut dom = Permis {
            groupes: (0..d.groupes.len()).collect(),
            ..Permis::default()
        };
        let fixe = Cle::GroupeFixe { elu: m.id.clone() };
        if !m.mobile && ex.actif(&fixe) {
            dom.groupes.retain(|&g| Some(g) == m.actuel);
            dom.fixe_par.push(fixe);
        }
        // A mobile adjoint·e de quartier joins only a group they stay linked to
        // (model::quartier, the analyser's D010 reading).
        let quartier = Cle::AdjointQuartier { elu: m.id.clone() };
        if let Some(liens) = m.liens_quartier.as_ref().filter(|_| m.mobile)
            && ex.actif(&quartier)
        {
            dom.groupes
                .retain(|&g| !liens[g].is_empty() || Some(g) == m.actuel);
            dom.retire_par.push(quartier);
        }
        for v in d.verrous_membres.iter().filter(|v| v.membre == i) {
            let cle = Cle::VerrouElu {
                ligne: v.ligne,
                elu: m.id.clone(),
                groupe: d.groupes[v.groupe].id.clone(),
            };
            if ex.actif(&cle) {
                dom.groupes.retain(|&g| g == v.groupe);
                dom.fixe_par.push(cle);
            }
        }
        if dom.groupes.is_empty() {
            let mut cles = dom.fixe_par.clone();
            cles.extend(dom.retire_par.iter().cloned());
            return Err(Conflit { cles });
        }
        out.push(dom);
    }
    Ok(out)
}

/// Allowed groups of the units: `AxeTransversal`, `VerrouUnite`, and `PerimetreMembre` for members
/// whose group is already known.
///
/// A unit's domain is every group, less the transversal groups that do not lead it today; a lock
/// or the perimeter of a member of known group `g` fixes it to `{g}`. Two fixings that disagree,
/// or a fixing to a removed group, is a [`Conflit`] naming every rule involved (including the
/// rules that made the member's group known).
fn permis_unites(d: &Donnees, ex: &Exclusions, membres: &[Permis]) -> Result<Vec<Permis>, Conflit> {
    let mut out = Vec::new();
    for (u, un) in d.unites.iter().enumerate() {
        let mut dom = Permis::default();
        for g in 0..d.groupes.len() {
            let cle = Cle::AxeTransversal {
                unite: un.id.clone(),
                groupe: d.groupes[g].id.clone(),
            };
            if d.transversal_permis(u, g) || !ex.actif(&cle) {
                dom.groupes.push(g);
            } else {
                dom.retire_par.push(cle);
            }
        }
        // (group imposed, rule written as a row, rules it depends on)
        let mut imposes: Vec<(usize, Cle, Vec<Cle>)> = Vec::new();
        for v in d.verrous_unites.iter().filter(|v| v.unite == u) {
            let cle = Cle::VerrouUnite {
                ligne: v.ligne,
                unite: un.id.clone(),
                groupe: d.groupes[v.groupe].id.clone(),
            };
            if ex.actif(&cle) {
                imposes.push((v.groupe, cle, Vec::new()));
            }
        }
        if let Some(g) = un.coeur {
            let cle = Cle::Coeur {
                unite: un.id.clone(),
                groupe: d.groupes[g].id.clone(),
            };
            if ex.actif(&cle) {
                imposes.push((g, cle, Vec::new()));
            }
        }
        // With retraits allowed the perimeter is a row (`perimetre_membre`), not a fixing.
        for (i, m) in d
            .membres
            .iter()
            .enumerate()
            .filter(|_| !d.params.retrait_appui)
        {
            if let ([g], true) = (&membres[i].groupes[..], m.perimetre.contains(&u)) {
                let g = *g;
                let cle = Cle::PerimetreMembre {
                    elu: m.id.clone(),
                    unite: un.id.clone(),
                    groupe: d.groupes[g].id.clone(),
                };
                if ex.actif(&cle) {
                    imposes.push((g, cle, membres[i].fixe_par.clone()));
                }
            }
        }
        for (g, cle, _) in &imposes {
            dom.groupes.retain(|x| x == g);
            dom.fixe_par.push(cle.clone());
        }
        if dom.groupes.is_empty() {
            // Name a smallest culprit: two fixings that disagree, else one fixing to a group
            // the transversal rule removed.
            let paire = imposes.iter().enumerate().find_map(|(i, a)| {
                imposes[i + 1..]
                    .iter()
                    .find(|b| b.0 != a.0)
                    .map(|b| vec![a, b])
            });
            let coupables = paire.unwrap_or_else(|| imposes.iter().take(1).collect());
            let mut cles: Vec<Cle> = Vec::new();
            for (g, cle, deps) in coupables {
                cles.push(cle.clone());
                cles.extend(deps.iter().cloned());
                cles.extend(
                    dom.retire_par
                        .iter()
                        .filter(|c| matches!(c, Cle::AxeTransversal { groupe, .. } if *groupe == d.groupes[*g].id))
                        .cloned(),
                );
            }
            cles.sort();
            cles.dedup();
            return Err(Conflit { cles });
        }
        out.push(dom);
    }
    Ok(out)
}

/// Builds the model. `avec_objectif = false` gives a pure feasibility model (used by the
/// infeasibility diagnosis).
pub fn construire(
    d: &Donnees,
    ex: &Exclusions,
    avec_objectif: bool,
) -> Result<ModeleGroupes, Conflit> {
    let dm = permis_membres(d, ex)?;
    let du = permis_unites(d, ex, &dm)?;
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
    if avec_objectif && d.params.poids_liens > 0.0 {
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

    fixings_as_rows(&mut mg, &du, &dm);
    un_pilote_par_unite(d, &mut mg)?;
    dga_touchee(d, &mut mg);
    une_unite_par_groupe(d, ex, &mut mg)?;
    perimetre_membre(d, ex, &dm, &mut mg)?;
    membre_unique(d, &mut mg)?;
    lien_quartier(d, ex, &dm, &mut mg)?;
    if d.regrouper {
        tailles(d, ex, &mut mg)?;
    }
    super::voeux::lignes(d, &mut mg);
    if equilibre {
        ecarts(d, moyenne, &mut mg);
    }
    liens(d, &mut mg);
    if avec_objectif {
        objectif(d, &mut mg);
    }
    Ok(mg)
}

/// Rules that fixed a decision before building (`VerrouUnite`, `PerimetreMembre` of a member of
/// known group, `GroupeFixe`, `VerrouElu`) are also written as rows `v = 1`, so that the LP
/// export names them and any solver re-checks them.
fn fixings_as_rows(mg: &mut ModeleGroupes, du: &[Permis], dm: &[Permis]) {
    for (u, dom) in du.iter().enumerate() {
        if let Some(v) = singleton(&dom.groupes).and_then(|g| mg.x[u][g]) {
            for cle in &dom.fixe_par {
                mg.modele
                    .contrainte(cle.clone(), vec![(v, 1.0)], Sens::Eq, 1.0);
            }
        }
    }
    for (e, dom) in dm.iter().enumerate() {
        if let Some(v) = singleton(&dom.groupes).and_then(|g| mg.z[e][g]) {
            for cle in &dom.fixe_par {
                mg.modele
                    .contrainte(cle.clone(), vec![(v, 1.0)], Sens::Eq, 1.0);
            }
        }
    }
}

fn singleton(v: &[usize]) -> Option<usize> {
    match v {
        [g] => Some(*g),
        _ => None,
    }
}

/// A row without variables cannot be sent to a solver: check it here.
fn constante(cle: Cle, sens: Sens, rhs: f64) -> Result<(), Conflit> {
    let ok = match sens {
        Sens::Le => 0.0 <= rhs,
        Sens::Ge => 0.0 >= rhs,
        Sens::Eq => rhs == 0.0,
    };
    if ok {
        Ok(())
    } else {
        Err(Conflit { cles: vec![cle] })
    }
}

fn ligne(
    mg: &mut ModeleGroupes,
    cle: Cle,
    termes: Vec<(usize, f64)>,
    sens: Sens,
    rhs: f64,
) -> Result<(), Conflit> {
    if termes.is_empty() {
        constante(cle, sens, rhs)
    } else {
        mg.modele.contrainte(cle, termes, sens, rhs);
        Ok(())
    }
}

/// `UnPiloteParUnite(u)`: `Σ_g x[u,g] = 1` — no orphan, no double rattachement, by construction.
fn un_pilote_par_unite(d: &Donnees, mg: &mut ModeleGroupes) -> Result<(), Conflit> {
    for (u, un) in d.unites.iter().enumerate() {
        let termes = mg.x[u].iter().flatten().map(|&v| (v, 1.0)).collect();
        ligne(
            mg,
            Cle::UnPiloteParUnite {
                unite: un.id.clone(),
            },
            termes,
            Sens::Eq,
            1.0,
        )?;
    }
    Ok(())
}

/// `DgaTouchee(g,d,u)`: `x[u,g] − y[g,d(u)] ≤ 0` for every existing `x[u,g]` with a DGA — the
/// tight (disaggregated) linking; and `UnPoleAuMoins(g)`: `Σ_d y[g,d] ≥ 1` for every group that
/// must lead a unit in a DGA (valid, lifts the LP bound).
fn dga_touchee(d: &Donnees, mg: &mut ModeleGroupes) {
    for (u, un) in d.unites.iter().enumerate() {
        let Some(dga) = un.dga else { continue };
        for g in 0..d.groupes.len() {
            if let (Some(x), Some(y)) = (mg.x[u][g], mg.y[g][dga]) {
                mg.modele.contrainte(
                    Cle::DgaTouchee {
                        groupe: d.groupes[g].id.clone(),
                        dga: d.dgas[dga].id.clone(),
                        unite: un.id.clone(),
                    },
                    vec![(x, 1.0), (y, -1.0)],
                    Sens::Le,
                    0.0,
                );
            }
        }
    }
}

/// `UneUniteParGroupe(g)`: `Σ_u x[u,g] ≥ 1` for every non-transversal group (an adjoint·e
/// animates a group to lead something). When every unit a group may lead has a DGA, also
/// `UnPoleAuMoins(g)`: `Σ_d y[g,d] ≥ 1`.
fn une_unite_par_groupe(
    d: &Donnees,
    ex: &Exclusions,
    mg: &mut ModeleGroupes,
) -> Result<(), Conflit> {
    for (g, gr) in d.groupes.iter().enumerate() {
        let cle = Cle::UneUniteParGroupe {
            groupe: gr.id.clone(),
        };
        if gr.transversal || !ex.actif(&cle) || !d.en_vigueur(&cle) {
            continue;
        }
        let termes: Vec<(usize, f64)> = (0..d.unites.len())
            .filter_map(|u| mg.x[u][g].map(|v| (v, 1.0)))
            .collect();
        let tous_dans_un_pole = (0..d.unites.len())
            .filter(|&u| mg.x[u][g].is_some())
            .all(|u| d.unites[u].dga.is_some());
        ligne(mg, cle, termes, Sens::Ge, 1.0)?;
        let ys: Vec<(usize, f64)> = mg.y[g].iter().flatten().map(|&v| (v, 1.0)).collect();
        if tous_dans_un_pole && !ys.is_empty() {
            mg.modele.contrainte(
                Cle::UnPoleAuMoins {
                    groupe: gr.id.clone(),
                },
                ys,
                Sens::Ge,
                1.0,
            );
        }
    }
    Ok(())
}

/// `PerimetreMembre(e,u,g)`: `z[e,g] − x[u,g] − r[e,u] ≤ 0` for every unit `u` the member pilots
/// and every group `g` the member may join (without `x` when `g` may not lead `u`, without `r`
/// when retraits are not allowed). Without retraits, members whose group is known were handled
/// as fixings.
///
/// With retraits, also `RetraitHorsGroupe(e,u,g)`: `x[u,g] − z[e,g] − r[e,u] ≤ 0` for every group
/// `g` that may lead `u` (without `z` when `e` may not join `g`). Together the two give
/// `r[e,u] ≥ |z[e,g] − x[u,g]|`. The first alone lets the LP relaxation spread a member over
/// every group at `1/|G|` each and pay `1/|G|` of a retrait. Measured on `paris` split seed 1
/// `--regrouper` (README, « Performance »): 107 rows more, the root LP bound rises from 691,77 to
/// 714,38 (optimum 714,65), and microlp proves the optimum in 0,14 s where it stopped at 60 s
/// with a 10 % gap.
fn perimetre_membre(
    d: &Donnees,
    ex: &Exclusions,
    dm: &[Permis],
    mg: &mut ModeleGroupes,
) -> Result<(), Conflit> {
    for (e, m) in d.membres.iter().enumerate() {
        if dm[e].groupes.len() == 1 && !d.params.retrait_appui {
            continue;
        }
        for (k, &u) in m.perimetre.iter().enumerate() {
            for &g in &dm[e].groupes {
                let cle = Cle::PerimetreMembre {
                    elu: m.id.clone(),
                    unite: d.unites[u].id.clone(),
                    groupe: d.groupes[g].id.clone(),
                };
                if !ex.actif(&cle) {
                    continue;
                }
                let Some(z) = mg.z[e][g] else { continue };
                let mut termes = vec![(z, 1.0)];
                if let Some(x) = mg.x[u][g] {
                    termes.push((x, -1.0));
                }
                if let Some(r) = mg.r[e][k] {
                    termes.push((r, -1.0));
                }
                ligne(mg, cle, termes, Sens::Le, 0.0)?;
            }
            let Some(r) = mg.r[e][k] else { continue };
            for g in 0..d.groupes.len() {
                let Some(x) = mg.x[u][g] else { continue };
                let cle = Cle::RetraitHorsGroupe {
                    elu: m.id.clone(),
                    unite: d.unites[u].id.clone(),
                    groupe: d.groupes[g].id.clone(),
                };
                if !ex.actif(&cle) {
                    continue;
                }
                let mut termes = vec![(x, 1.0), (r, -1.0)];
                if let Some(z) = mg.z[e][g] {
                    termes.push((z, -1.0));
                }
                ligne(mg, cle, termes, Sens::Le, 0.0)?;
            }
        }
    }
    Ok(())
}

/// `LienQuartier(e,g)`: `Σ_{u ∈ T(e)} x[u,g] ≥ 1` for the adjoint·e de quartier `e` of fixed
/// group `g` linked today ([`crate::optimise::Membre::lien_quartier`]): the plan keeps one of
/// the units their délégations touch with their thematic group, so it never creates a D010.
fn lien_quartier(
    d: &Donnees,
    ex: &Exclusions,
    dm: &[Permis],
    mg: &mut ModeleGroupes,
) -> Result<(), Conflit> {
    for (e, m) in d.membres.iter().enumerate() {
        // A mobile adjoint·e de quartier: `Σ_{u ∈ T(e,g)} x[u,g] − z[e,g] ≥ 0` for every group
        // they may join (T(e,g): [`crate::optimise::Membre::liens_quartier`]).
        if let (Some(liens), true) = (&m.liens_quartier, m.mobile) {
            for &g in &dm[e].groupes {
                let cle = Cle::LienQuartier {
                    elu: m.id.clone(),
                    groupe: d.groupes[g].id.clone(),
                };
                let Some(z) = mg.z[e][g] else { continue };
                // Staying in a group they are not linked to creates no new D010: no row.
                if !ex.actif(&cle) || liens[g].is_empty() {
                    continue;
                }
                let mut termes: Vec<(usize, f64)> = liens[g]
                    .iter()
                    .filter_map(|&u| mg.x[u][g].map(|x| (x, 1.0)))
                    .collect();
                termes.push((z, -1.0));
                ligne(mg, cle, termes, Sens::Ge, 0.0)?;
            }
            continue;
        }
        let [g] = dm[e].groupes[..] else { continue };
        if m.lien_quartier.is_empty() {
            continue;
        }
        let cle = Cle::LienQuartier {
            elu: m.id.clone(),
            groupe: d.groupes[g].id.clone(),
        };
        if !ex.actif(&cle) {
            continue;
        }
        let termes = m
            .lien_quartier
            .iter()
            .filter_map(|&u| mg.x[u][g].map(|x| (x, 1.0)))
            .collect();
        ligne(mg, cle, termes, Sens::Ge, 1.0)?;
    }
    Ok(())
}

/// `MembreUnique(e)`: `Σ_g z[e,g] = 1`.
fn membre_unique(d: &Donnees, mg: &mut ModeleGroupes) -> Result<(), Conflit> {
    for (e, m) in d.membres.iter().enumerate() {
        let termes = mg.z[e].iter().flatten().map(|&v| (v, 1.0)).collect();
        ligne(
            mg,
            Cle::MembreUnique { elu: m.id.clone() },
            termes,
            Sens::Eq,
            1.0,
        )?;
    }
    Ok(())
}

/// `TailleMin(g)`: `1 + Σ_e z[e,g] ≥ taille_min`; `TailleMax(g)`: `1 + Σ_e z[e,g] ≤ taille_max`
/// (the leader counts for 1). Only with `--regrouper`.
fn tailles(d: &Donnees, ex: &Exclusions, mg: &mut ModeleGroupes) -> Result<(), Conflit> {
    let tmin = f64::from(d.params.taille_min);
    let tmax = f64::from(d.params.taille_max);
    for (g, gr) in d.groupes.iter().enumerate() {
        let termes: Vec<(usize, f64)> = (0..d.membres.len())
            .filter_map(|e| mg.z[e][g].map(|v| (v, 1.0)))
            .collect();
        let cle = Cle::TailleMin {
            groupe: gr.id.clone(),
        };
        if ex.actif(&cle) && d.en_vigueur(&cle) {
            ligne(mg, cle, termes.clone(), Sens::Ge, tmin - 1.0)?;
        }
        let cle = Cle::TailleMax {
            groupe: gr.id.clone(),
        };
        if ex.actif(&cle) && d.en_vigueur(&cle) {
            ligne(mg, cle, termes, Sens::Le, tmax - 1.0)?;
        }
    }
    Ok(())
}

/// `EcartHaut(g)`: `Σ_u (c_u/m) x[u,g] − ε_g ≤ 1` and `EcartBas(g)`: `−Σ_u (c_u/m) x[u,g] − ε_g ≤
/// −1`: at the optimum `ε_g = |L_g/m − 1|`, the deviation of g's load from the mean, in means.
fn ecarts(d: &Donnees, moyenne: f64, mg: &mut ModeleGroupes) {
    for (g, gr) in d.groupes.iter().enumerate() {
        let Some(e) = mg.ecart[g] else { continue };
        let charge: Vec<(usize, f64)> = (0..d.unites.len())
            .filter_map(|u| mg.x[u][g].map(|v| (v, d.unites[u].charge / moyenne)))
            .filter(|&(_, c)| c != 0.0)
            .collect();
        let mut haut = charge.clone();
        haut.push((e, -1.0));
        mg.modele.contrainte(
            Cle::EcartHaut {
                groupe: gr.id.clone(),
            },
            haut,
            Sens::Le,
            1.0,
        );
        let mut bas: Vec<(usize, f64)> = charge.iter().map(|&(v, c)| (v, -c)).collect();
        bas.push((e, -1.0));
        mg.modele.contrainte(
            Cle::EcartBas {
                groupe: gr.id.clone(),
            },
            bas,
            Sens::Le,
            -1.0,
        );
    }
}

/// `LienSecondaire(a,b,g)`: `x[a,g] − x[b,g] − l_ab ≤ 0` for every group that may lead `a`:
/// since each unit has exactly one group, `l_ab` is forced to 1 exactly when `a` and `b` are
/// led by different groups, and the objective keeps it at 0 otherwise. `l_ab` may be
/// continuous: the rows have 0/1 coefficients on binary `x`.
fn liens(d: &Donnees, mg: &mut ModeleGroupes) {
    for (k, lien) in d.liens.iter().enumerate() {
        let Some(l) = mg.l[k] else { continue };
        for g in 0..d.groupes.len() {
            let Some(xa) = mg.x[lien.a][g] else { continue };
            let mut termes = vec![(xa, 1.0), (l, -1.0)];
            if let Some(xb) = mg.x[lien.b][g] {
                termes.push((xb, -1.0));
            }
            mg.modele.contrainte(
                Cle::LienSecondaire {
                    unite: d.unites[lien.a].id.clone(),
                    liee: d.unites[lien.b].id.clone(),
                    groupe: d.groupes[g].id.clone(),
                },
                termes,
                Sens::Le,
                0.0,
            );
        }
    }
}

/// The objective: spread, changes, member moves, retraits, links, balance (module docs).
fn objectif(d: &Donnees, mg: &mut ModeleGroupes) {
    let p = &d.params;
    let m = &mut mg.modele;
    for row in &mg.y {
        for &y in row.iter().flatten() {
            m.objectif.push((y, p.poids_dispersion));
        }
    }
    for (u, un) in d.unites.iter().enumerate() {
        if let Some(a) = un.actuel {
            let w = p.poids_changements * d.poids_unite(u);
            m.constante += w;
            if let Some(x) = mg.x[u][a] {
                m.objectif.push((x, -w));
            }
        }
    }
    for (e, mb) in d.membres.iter().enumerate() {
        if let (true, Some(a)) = (mb.mobile, mb.actuel) {
            m.constante += p.poids_preferences;
            if let Some(z) = mg.z[e][a] {
                m.objectif.push((z, -p.poids_preferences));
            }
        }
    }
    for &r in mg.r.iter().flatten().flatten() {
        m.objectif.push((r, p.poids_retraits));
    }
    for (k, l) in mg.l.iter().enumerate() {
        if let Some(l) = l {
            m.objectif.push((*l, p.poids_liens * d.poids_lien(k)));
        }
    }
    for &e in mg.ecart.iter().flatten() {
        m.objectif.push((e, p.poids_equilibre));
    }
    if p.poids_hors_theme > 0.0 {
        for u in 0..d.unites.len() {
            for g in 0..d.groupes.len() {
                if let (Some(x), true) = (mg.x[u][g], d.cout_hors_theme(u, g)) {
                    m.objectif.push((x, p.poids_hors_theme));
                }
            }
        }
    }
    m.objectif.retain(|&(_, c)| c != 0.0);
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
