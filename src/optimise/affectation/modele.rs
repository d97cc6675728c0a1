//! The assignment MILP, one function per rule family, each constraint keyed by its rule ([`Cle`]),
//! written as an LP-layer problem ([`crate::lp::Probleme`]).
//!
//! Variables: `x[p,g] ∈ {0,1}`, person `p` joins group `g`; it exists only when the rules allow
//! the pair (quartier rule) and, from the worst-rank stage on, when `rang(p,g) ≤ k`. Auxiliary
//! binaries: `m[g]` (group `g` is mixed), `y[c,g]` (component `c` is present in `g`, lower
//! indicator) and `u[c,g]` (upper indicator, for the maximum of groups per component). Sizes
//! count the fixed members `f_g` (leader included).

use super::donnees::Instance;
use crate::lp::Probleme;
pub use crate::lp::Sens;
use crate::model::Sexe;

/// Family of rules; a rule's cost in wishes is measured by solving again without its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Famille {
    /// Every movable élu·e joins exactly one group.
    MembreUnique,
    /// Group size at least `taille_min`.
    TailleMin,
    /// Group size at most `taille_max`.
    TailleMax,
    /// An adjoint·e de quartier joins a thematic group.
    AdjointQuartier,
    /// The fewest single-sex groups possible (`parite`).
    Parite,
    /// The most (component, group) pairs possible (`composantes`).
    Composantes,
    /// At most `max_groupes_par_composante` groups per component.
    MaxGroupesComposante,
    /// Lexicographic stages on the wishes (worst rank, then counts per rank).
    Voeux,
}

impl Famille {
    /// French name of the rule.
    pub fn libelle(self) -> &'static str {
        match self {
            Famille::MembreUnique => "chaque élu·e rejoint un seul groupe",
            Famille::TailleMin => "taille minimale des groupes (taille_min)",
            Famille::TailleMax => "taille maximale des groupes (taille_max)",
            Famille::AdjointQuartier => {
                "un·e adjoint·e de quartier reste en lien avec un·e adjoint·e thématique : son groupe pilote un service où il ou elle a une délégation (pas de nouvelle D010)"
            }
            Famille::Parite => "parité : le moins possible de groupes d'un seul sexe (parite)",
            Famille::Composantes => {
                "chaque composante présente dans le plus de groupes possible (composantes)"
            }
            Famille::MaxGroupesComposante => {
                "nombre maximal de groupes par composante (max_groupes_par_composante)"
            }
            Famille::Voeux => "critères des vœux (pire rang, puis nombre d'élu·es à chaque rang)",
        }
    }
}

/// Key of one constraint: the rule it encodes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cle {
    /// `Σ_g x[p,g] = 1`.
    MembreUnique {
        /// Élu·e id.
        elu: String,
    },
    /// `f_g + Σ_p x[p,g] ≥ taille_min`.
    TailleMin {
        /// Group id.
        groupe: String,
    },
    /// `f_g + Σ_p x[p,g] ≤ taille_max`.
    TailleMax {
        /// Group id.
        groupe: String,
    },
    /// `m[g] − Σ_{p of sex s} x[p,g] ≤ f_{g,s}`: a mixed group has a member of sex `s`.
    Mixite {
        /// Group id.
        groupe: String,
        /// The sex required.
        sexe: Sexe,
    },
    /// `Σ_g m[g] ≥ M*`, `M*` the most mixed groups possible.
    Parite,
    /// `y[c,g] − Σ_{p in c} x[p,g] ≤ 0`: `c` counts as present only with a member there.
    Presence {
        /// Component.
        composante: String,
        /// Group id.
        groupe: String,
    },
    /// `Σ_{c,g} y[c,g] ≥ P*`, `P*` the most (component, group) pairs possible.
    Composantes,
    /// `x[p,g] − u[c,g] ≤ 0`, `c` the component of `p`.
    PresenceMax {
        /// Component.
        composante: String,
        /// Group id.
        groupe: String,
        /// Élu·e id.
        elu: String,
    },
    /// `Σ_g u[c,g] ≤ max − (groups where c is already fixed)`.
    MaxGroupesComposante {
        /// Component.
        composante: String,
    },
    /// `Σ_{(p,g): rang(p,g)=r} x[p,g] ≥ n_r*`: the rank-maximal stage for rank `r`.
    RangMaximal {
        /// Rank.
        rang: u8,
    },
}

impl Cle {
    /// The family of the rule.
    pub fn famille(&self) -> Famille {
        match self {
            Cle::MembreUnique { .. } => Famille::MembreUnique,
            Cle::TailleMin { .. } => Famille::TailleMin,
            Cle::TailleMax { .. } => Famille::TailleMax,
            Cle::Mixite { .. } | Cle::Parite => Famille::Parite,
            Cle::Presence { .. } | Cle::Composantes => Famille::Composantes,
            Cle::PresenceMax { .. } | Cle::MaxGroupesComposante { .. } => {
                Famille::MaxGroupesComposante
            }
            Cle::RangMaximal { .. } => Famille::Voeux,
        }
    }
}

/// The MILP of one stage, solver-independent (all variables are binary).
pub type Programme = Probleme<Cle>;

/// Adds a binary variable (named like `x[E28,G05]`, for messages and tests).
fn binaire(pg: &mut Programme, nom: String) -> usize {
    pg.var(nom, 0.0, 1.0, true)
}

/// Optimum values fixed by earlier stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Seuils {
    /// Fewest mixed groups required (parity stage), if in force.
    pub mixtes: Option<usize>,
    /// Fewest (component, group) pairs required (components stage), if in force.
    pub presences: Option<usize>,
    /// Worst rank allowed to élu·es who made wishes (6 = any group).
    pub pire: u8,
    /// Counts required at ranks 1, 2, … (rank-maximal stages done so far).
    pub par_rang: [Option<usize>; 6],
}

impl Seuils {
    /// No stage done yet: every group allowed.
    pub fn aucun() -> Seuils {
        Seuils {
            pire: crate::model::RANG_SANS_VOEU,
            ..Seuils::default()
        }
    }
}

/// A built model and where its variables are.
#[derive(Debug, Clone, PartialEq)]
pub struct Construit {
    /// The MILP.
    pub programme: Programme,
    /// `x[p][g]`.
    pub x: Vec<Vec<Option<usize>>>,
    /// `m[g]` (parity rule only; `None` for a group already mixed by its fixed members).
    pub m: Vec<Option<usize>>,
    /// `y[c][g]` (components rule only; `None` where the component is already fixed there).
    pub y: Vec<Vec<Option<usize>>>,
    /// The components, in the order of `y`.
    pub composantes: Vec<String>,
}

/// Builds the model of `inst` under the thresholds of the earlier stages.
pub fn construire(inst: &Instance, seuils: &Seuils) -> Construit {
    let mut pg = Programme::default();
    let x = variables_affectation(&mut pg, inst, seuils.pire);
    membre_unique(&mut pg, inst, &x);
    tailles(&mut pg, inst, &x);
    let m = if inst.regles.parite {
        mixite(&mut pg, inst, &x, seuils.mixtes)
    } else {
        Vec::new()
    };
    let composantes = inst.composantes();
    let y = if inst.regles.composantes {
        presences(&mut pg, inst, &x, &composantes, seuils.presences)
    } else {
        Vec::new()
    };
    if let Some(max) = inst.regles.max_groupes_par_composante {
        max_groupes_composante(&mut pg, inst, &x, &composantes, max);
    }
    rangs_maximaux(&mut pg, inst, &x, &seuils.par_rang);
    Construit {
        programme: pg,
        x,
        m,
        y,
        composantes,
    }
}

/// `x[p,g]` for every allowed pair: the quartier rule (an adjoint·e de quartier linked today
/// never joins a group they would not be linked to: the variable does not exist) and the worst-rank stage (`rang(p,g) ≤ pire`
/// for an élu·e who made wishes) remove the others.
pub fn variables_affectation(
    pg: &mut Programme,
    inst: &Instance,
    pire: u8,
) -> Vec<Vec<Option<usize>>> {
    (0..inst.personnes.len())
        .map(|p| {
            (0..inst.groupes.len())
                .map(|g| {
                    let rang_ok = inst.rang(p, g).is_none_or(|r| r <= pire);
                    (inst.permis(p, g) && rang_ok).then(|| {
                        binaire(
                            pg,
                            format!("x[{},{}]", inst.personnes[p].id, inst.groupes[g].id),
                        )
                    })
                })
                .collect()
        })
        .collect()
}

/// `Σ_g x[p,g] = 1` for every movable élu·e `p`.
pub fn membre_unique(pg: &mut Programme, inst: &Instance, x: &[Vec<Option<usize>>]) {
    for (p, xp) in x.iter().enumerate() {
        let termes = xp.iter().flatten().map(|&v| (v, 1.0)).collect();
        pg.contrainte(
            Cle::MembreUnique {
                elu: inst.personnes[p].id.clone(),
            },
            termes,
            Sens::Eq,
            1.0,
        );
    }
}

/// `taille_min − f_g ≤ Σ_p x[p,g] ≤ taille_max − f_g` for every group `g`.
pub fn tailles(pg: &mut Programme, inst: &Instance, x: &[Vec<Option<usize>>]) {
    for (g, grp) in inst.groupes.iter().enumerate() {
        let termes: Vec<(usize, f64)> = x.iter().filter_map(|xp| xp[g]).map(|v| (v, 1.0)).collect();
        let f = grp.fixes.len() as f64;
        let id = grp.id.clone();
        if inst.regles.taille_en_vigueur(Famille::TailleMin, g) {
            pg.contrainte(
                Cle::TailleMin { groupe: id.clone() },
                termes.clone(),
                Sens::Ge,
                f64::from(inst.regles.taille_min) - f,
            );
        }
        if inst.regles.taille_en_vigueur(Famille::TailleMax, g) {
            pg.contrainte(
                Cle::TailleMax { groupe: id },
                termes,
                Sens::Le,
                f64::from(inst.regles.taille_max) - f,
            );
        }
    }
}

/// Parity: `m[g] − Σ_{p of sex s} x[p,g] ≤ f_{g,s}` for s ∈ {F, M} (a group counts as mixed only
/// with both sexes), and, once the parity stage is done, `Σ_g m[g] ≥ M* − (groups mixed by their
/// fixed members alone)`. Returns `m`.
pub fn mixite(
    pg: &mut Programme,
    inst: &Instance,
    x: &[Vec<Option<usize>>],
    seuil: Option<usize>,
) -> Vec<Option<usize>> {
    let mut m = Vec::new();
    let mut deja = 0usize;
    for (g, grp) in inst.groupes.iter().enumerate() {
        let (ff, fm) = (
            inst.fixes_de_sexe(g, Sexe::F),
            inst.fixes_de_sexe(g, Sexe::M),
        );
        if ff > 0 && fm > 0 {
            deja += 1;
            m.push(None);
            continue;
        }
        let v = binaire(pg, format!("m[{}]", grp.id));
        for (s, f) in [(Sexe::F, ff), (Sexe::M, fm)] {
            let mut termes = vec![(v, 1.0)];
            termes.extend(
                x.iter()
                    .enumerate()
                    .filter(|(p, _)| inst.personnes[*p].sexe == s)
                    .filter_map(|(_, xp)| xp[g])
                    .map(|w| (w, -1.0)),
            );
            pg.contrainte(
                Cle::Mixite {
                    groupe: grp.id.clone(),
                    sexe: s,
                },
                termes,
                Sens::Le,
                f as f64,
            );
        }
        m.push(Some(v));
    }
    if let Some(s) = seuil {
        let termes = m.iter().flatten().map(|&v| (v, 1.0)).collect();
        pg.contrainte(Cle::Parite, termes, Sens::Ge, s as f64 - deja as f64);
    }
    m
}

/// Components: `y[c,g] − Σ_{p in c} x[p,g] ≤ 0` (present only with a member there; a component
/// already among the fixed members is present without variable), and, once the components stage
/// is done, `Σ y[c,g] ≥ P* − (pairs present through fixed members)`. Returns `y`.
pub fn presences(
    pg: &mut Programme,
    inst: &Instance,
    x: &[Vec<Option<usize>>],
    composantes: &[String],
    seuil: Option<usize>,
) -> Vec<Vec<Option<usize>>> {
    let mut deja = 0usize;
    let mut y = Vec::new();
    for c in composantes {
        let mut yc = Vec::new();
        for (g, grp) in inst.groupes.iter().enumerate() {
            if inst.fixes_de_composante(g, c) > 0 {
                deja += 1;
                yc.push(None);
                continue;
            }
            let membres: Vec<usize> = x
                .iter()
                .enumerate()
                .filter(|(p, _)| inst.personnes[*p].composante.as_deref() == Some(c.as_str()))
                .filter_map(|(_, xp)| xp[g])
                .collect();
            if membres.is_empty() {
                yc.push(None);
                continue;
            }
            let v = binaire(pg, format!("y[{c},{}]", grp.id));
            let mut termes = vec![(v, 1.0)];
            termes.extend(membres.iter().map(|&w| (w, -1.0)));
            pg.contrainte(
                Cle::Presence {
                    composante: c.clone(),
                    groupe: grp.id.clone(),
                },
                termes,
                Sens::Le,
                0.0,
            );
            yc.push(Some(v));
        }
        y.push(yc);
    }
    if let Some(s) = seuil {
        let termes = y.iter().flatten().flatten().map(|&v| (v, 1.0)).collect();
        pg.contrainte(Cle::Composantes, termes, Sens::Ge, s as f64 - deja as f64);
    }
    y
}

/// Maximum of groups per component: `x[p,g] − u[c,g] ≤ 0` for `p` of component `c` (where `c` is
/// not already fixed in `g`), and `Σ_g u[c,g] ≤ max − (groups where c is fixed)`.
pub fn max_groupes_composante(
    pg: &mut Programme,
    inst: &Instance,
    x: &[Vec<Option<usize>>],
    composantes: &[String],
    max: u32,
) {
    for c in composantes {
        let mut fixes = 0usize;
        let mut u = Vec::new();
        for (g, grp) in inst.groupes.iter().enumerate() {
            if inst.fixes_de_composante(g, c) > 0 {
                fixes += 1;
                continue;
            }
            let membres: Vec<(usize, usize)> = x
                .iter()
                .enumerate()
                .filter(|(p, _)| inst.personnes[*p].composante.as_deref() == Some(c.as_str()))
                .filter_map(|(p, xp)| xp[g].map(|v| (p, v)))
                .collect();
            if membres.is_empty() {
                continue;
            }
            let v = binaire(pg, format!("u[{c},{}]", grp.id));
            for (p, w) in membres {
                pg.contrainte(
                    Cle::PresenceMax {
                        composante: c.clone(),
                        groupe: grp.id.clone(),
                        elu: inst.personnes[p].id.clone(),
                    },
                    vec![(w, 1.0), (v, -1.0)],
                    Sens::Le,
                    0.0,
                );
            }
            u.push(v);
        }
        pg.contrainte(
            Cle::MaxGroupesComposante {
                composante: c.clone(),
            },
            u.iter().map(|&v| (v, 1.0)).collect(),
            Sens::Le,
            f64::from(max) - fixes as f64,
        );
    }
}

/// The terms `x[p,g]` with `rang(p,g) = r` (élu·es who made wishes only).
pub fn termes_rang(inst: &Instance, x: &[Vec<Option<usize>>], r: u8) -> Vec<(usize, f64)> {
    let mut t = Vec::new();
    for (p, xp) in x.iter().enumerate() {
        for (g, v) in xp.iter().enumerate() {
            if let Some(v) = v
                && inst.rang(p, g) == Some(r)
            {
                t.push((*v, 1.0));
            }
        }
    }
    t
}

/// Rank-maximal stages done so far: `Σ_{rang(p,g)=r} x[p,g] ≥ n_r*` for each fixed rank `r`.
pub fn rangs_maximaux(
    pg: &mut Programme,
    inst: &Instance,
    x: &[Vec<Option<usize>>],
    par_rang: &[Option<usize>; 6],
) {
    for (i, n) in par_rang.iter().enumerate() {
        if let Some(n) = n {
            let r = i as u8 + 1;
            pg.contrainte(
                Cle::RangMaximal { rang: r },
                termes_rang(inst, x, r),
                Sens::Ge,
                *n as f64,
            );
        }
    }
}

/// Objective of the last stage (to minimise): the number of élu·es placed away from their
/// current group.
pub fn deplacements(inst: &Instance, x: &[Vec<Option<usize>>]) -> Vec<(usize, f64)> {
    let mut t = Vec::new();
    for (p, xp) in x.iter().enumerate() {
        if let Some(a) = inst.personnes[p].actuel {
            for (g, v) in xp.iter().enumerate() {
                if let Some(v) = v
                    && g != a
                {
                    t.push((*v, 1.0));
                }
            }
        }
    }
    t
}
