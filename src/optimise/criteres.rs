//! The criteria of the grouping model, each defined once, under its name: its linear expression
//! over the model's variables ([`du_modele`], the solver's objective is their weighted sum) and
//! its value for a plan recomputed from the data alone ([`d_un_plan`], read by [`super::evaluer`],
//! the reports and the front). A test on generated cities checks that both readings agree on
//! every plan (`each_criterion_of_the_model_equals_evaluer_on_generated_cities`).
//!
//! | name | weight (`[groupes]`) | model | plan |
//! |---|---|---|---|
//! | `dispersion` | `poids_dispersion` | `Σ_{g,d} y[g,d]` | pôles spanned by thematic groups |
//! | `changements` | `poids_changements` | `Σ_{u: a(u)} w_u (1 − x[u,a(u)])` | `Σ w_u` over units moved |
//! | `deplacements` | `poids_preferences` | `Σ_{e mobile: a(e)} (1 − z[e,a(e)])` | members moved |
//! | `retraits` | `poids_retraits` | `Σ r[e,u]` | délégations made appui |
//! | `liens` | `poids_liens` | `Σ_k w_k l_k` | `Σ w_k` over links across groups |
//! | `ecart` | `poids_equilibre` | `Σ_g ε_g` | `Σ_g |L_g/m − 1|` |
//! | `hors_theme` | `poids_hors_theme` | `Σ_{hors thème} x[u,g]` | units « hors thème » |
//! | `agents_deplaces` | 0 (the front's `A`) | `Σ_{u: a(u)} c_u (1 − x[u,a(u)])` | staff of units moved |
//! | `structure` | 0 (the front's `S`) | `Σ y + Σ_k l_k + Σ_{hors thème} x` | pôles + links + hors thème |
//!
//! `w_u` is [`Donnees::poids_unite`], `w_k` [`Donnees::poids_lien`], `c_u` the unit's staff.
//! The supporting variables exist only where the model needs them: `l` and `ε` only when their
//! weight is positive (and the model has an objective).

use super::donnees::Donnees;
use super::groupes::ModeleGroupes;
use super::verification::{Plan, charges, liens_croises, poles_par_groupe};
use crate::lp::Critere;
use crate::model::GroupesParams;

/// Pôles (DGA) spanned by thematic groups.
pub const DISPERSION: &str = "dispersion";
/// Units moved from their group, weighted by their staff.
pub const CHANGEMENTS: &str = "changements";
/// Mobile members moved from their group.
pub const DEPLACEMENTS: &str = "deplacements";
/// Members' pilote délégations made appui.
pub const RETRAITS: &str = "retraits";
/// Functional links across groups, weighted by their staff.
pub const LIENS: &str = "liens";
/// Deviation of the groups' loads from the mean.
pub const ECART: &str = "ecart";
/// Units moved to, or adopted by, a group sharing none of their domains.
pub const HORS_THEME: &str = "hors_theme";
/// Agents whose chain of command changes (the front's `A`).
pub const AGENTS_DEPLACES: &str = "agents_deplaces";
/// Pôles + links across groups + units « hors thème » (the front's `S`).
pub const STRUCTURE: &str = "structure";

/// Number of criteria.
pub const NB: usize = 9;

/// Every criterion, in the order of the objective.
pub const NOMS: [&str; NB] = [
    DISPERSION,
    CHANGEMENTS,
    DEPLACEMENTS,
    RETRAITS,
    LIENS,
    ECART,
    HORS_THEME,
    AGENTS_DEPLACES,
    STRUCTURE,
];

/// Weight of criterion `nom` in the objective.
pub fn poids(nom: &str, p: &GroupesParams) -> f64 {
    match nom {
        DISPERSION => p.poids_dispersion,
        CHANGEMENTS => p.poids_changements,
        DEPLACEMENTS => p.poids_preferences,
        RETRAITS => p.poids_retraits,
        LIENS => p.poids_liens,
        ECART => p.poids_equilibre,
        HORS_THEME => p.poids_hors_theme,
        _ => 0.0,
    }
}

/// The `x` of moves and adoptions « hors thème », unit by unit.
fn x_hors_theme(d: &Donnees, mg: &ModeleGroupes) -> Vec<usize> {
    (0..d.unites.len())
        .flat_map(|u| (0..d.groupes.len()).map(move |g| (u, g)))
        .filter(|&(u, g)| d.cout_hors_theme(u, g))
        .filter_map(|(u, g)| mg.x[u][g])
        .collect()
}

/// `Σ_{u: a(u)} w(u) (1 − x[u,a(u)])` as (terms, constant).
fn unites_deplacees(
    d: &Donnees,
    mg: &ModeleGroupes,
    w: impl Fn(usize) -> f64,
) -> (Vec<(usize, f64)>, f64) {
    let mut termes = Vec::new();
    let mut constante = 0.0;
    for (u, un) in d.unites.iter().enumerate() {
        if let Some(a) = un.actuel {
            constante += w(u);
            if let Some(x) = mg.x[u][a] {
                termes.push((x, -w(u)));
            }
        }
    }
    (termes, constante)
}

/// The criteria of a built model, in the order of [`NOMS`], each with its weight.
pub fn du_modele(d: &Donnees, mg: &ModeleGroupes) -> Vec<Critere> {
    let p = &d.params;
    let critere = |nom: &'static str, termes: Vec<(usize, f64)>, constante: f64| {
        Critere::new(nom, poids(nom, p), termes, constante)
    };
    let y: Vec<(usize, f64)> = mg.y.iter().flatten().flatten().map(|&v| (v, 1.0)).collect();
    let (changements, constante_changements) = unites_deplacees(d, mg, |u| d.poids_unite(u));
    let mut deplacements = Vec::new();
    let mut constante_deplacements = 0.0;
    for (e, mb) in d.membres.iter().enumerate() {
        if let (true, Some(a)) = (mb.mobile, mb.actuel) {
            constante_deplacements += 1.0;
            if let Some(z) = mg.z[e][a] {
                deplacements.push((z, -1.0));
            }
        }
    }
    let retraits = mg.r.iter().flatten().flatten().map(|&r| (r, 1.0)).collect();
    let liens =
        mg.l.iter()
            .enumerate()
            .filter_map(|(k, l)| l.map(|l| (l, d.poids_lien(k))))
            .collect();
    let ecart = mg.ecart.iter().flatten().map(|&e| (e, 1.0)).collect();
    let hors_theme: Vec<(usize, f64)> = x_hors_theme(d, mg).into_iter().map(|x| (x, 1.0)).collect();
    let (agents, constante_agents) = unites_deplacees(d, mg, |u| d.unites[u].charge);
    let structure = y
        .iter()
        .copied()
        .chain(mg.l.iter().flatten().map(|&l| (l, 1.0)))
        .chain(hors_theme.iter().copied())
        .collect();
    vec![
        critere(DISPERSION, y, 0.0),
        critere(CHANGEMENTS, changements, constante_changements),
        critere(DEPLACEMENTS, deplacements, constante_deplacements),
        critere(RETRAITS, retraits, 0.0),
        critere(LIENS, liens, 0.0),
        critere(ECART, ecart, 0.0),
        critere(HORS_THEME, hors_theme, 0.0),
        critere(AGENTS_DEPLACES, agents, constante_agents),
        critere(STRUCTURE, structure, 0.0),
    ]
}

/// The value of each criterion for a plan, in the order of [`NOMS`], from the data alone.
pub fn d_un_plan(plan: &Plan, d: &Donnees) -> [f64; NB] {
    let p = &d.params;
    let dispersion: usize = poles_par_groupe(plan, d)
        .iter()
        .zip(&d.groupes)
        .filter(|(_, g)| !g.transversal)
        .map(|(n, _)| n)
        .sum();
    let deplacees: Vec<usize> = (0..d.unites.len())
        .filter(|&u| d.unites[u].actuel.is_some() && d.unites[u].actuel != plan.unites[u])
        .collect();
    let changements: f64 = deplacees.iter().map(|&u| d.poids_unite(u)).sum();
    let deplacements = d
        .membres
        .iter()
        .zip(&plan.membres)
        .filter(|(m, g)| m.mobile && m.actuel.is_some() && m.actuel != **g)
        .count();
    let liens: f64 = (0..d.liens.len())
        .filter(|&k| plan.unites.get(d.liens[k].a) != plan.unites.get(d.liens[k].b))
        .map(|k| d.poids_lien(k))
        .sum();
    let moyenne = d.charge_moyenne();
    let ecart = if moyenne > 0.0 && p.poids_equilibre > 0.0 {
        charges(plan, d)
            .iter()
            .map(|c| (c / moyenne - 1.0).abs())
            .sum()
    } else {
        0.0
    };
    let hors_theme = super::verification::hors_theme(plan, d).len();
    let agents: f64 = deplacees.iter().map(|&u| d.unites[u].charge).sum::<f64>() + 0.0;
    let structure = dispersion + liens_croises(plan, d) + hors_theme;
    [
        dispersion as f64,
        changements,
        deplacements as f64,
        plan.retraits.len() as f64,
        liens,
        ecart,
        hors_theme as f64,
        agents,
        structure as f64,
    ]
}

/// The weighted total `Σ poids · critère` of a plan's criteria.
pub fn total(valeurs: &[f64; NB], p: &GroupesParams) -> f64 {
    NOMS.iter()
        .zip(valeurs)
        .filter(|(nom, _)| poids(nom, p) != 0.0)
        .map(|(nom, v)| poids(nom, p) * v)
        .sum()
}
