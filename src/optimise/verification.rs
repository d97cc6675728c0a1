//! An independent check of a plan: every hard rule recomputed from [`Donnees`] alone, without
//! the model or the solver, and the objective recomputed term by term.
//!
//! [`verify`] runs after every solve (and on the fallback plan): a plan the solver returns is
//! only written if it passes. [`evaluer`] is the reference objective the tests compare the MILP
//! with.

use super::donnees::Donnees;
use super::modele::Cle;
use std::collections::BTreeSet;

/// A plan: the group leading each unit and the group of each member (indices in
/// [`Donnees::groupes`]); `None` means no group (never in a valid plan). `retraits` lists the
/// members' pilote délégations turned into appui: `(member, unit)` pairs, the unit in the
/// member's perimeter and led by another group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plan {
    /// Group per unit of [`Donnees::unites`].
    pub unites: Vec<Option<usize>>,
    /// Group per member of [`Donnees::membres`].
    pub membres: Vec<Option<usize>>,
    /// `(member, unit)`: the member's pilote délégations inside the unit become appui.
    pub retraits: BTreeSet<(usize, usize)>,
}

impl Plan {
    /// The proposal as it stands: each unit with its current group, each member in their group,
    /// no délégation changed.
    pub fn actuel(d: &Donnees) -> Plan {
        Plan {
            unites: d.unites.iter().map(|u| u.actuel).collect(),
            membres: d.membres.iter().map(|m| m.actuel).collect(),
            retraits: BTreeSet::new(),
        }
    }

    /// A plan from its units and members, with exactly the retraits it needs: when
    /// `[groupes] retrait_appui` allows them, every `(member, unit)` of a member's perimeter that
    /// another group leads. This is also the cheapest choice of retraits for these units and
    /// members (each costs `poids_retraits ≥ 0` and none is needed elsewhere), so the solver's
    /// own values of `r` need not be read.
    pub fn avec_retraits(
        d: &Donnees,
        unites: Vec<Option<usize>>,
        membres: Vec<Option<usize>>,
    ) -> Plan {
        let mut retraits = BTreeSet::new();
        if d.params.retrait_appui {
            for (e, m) in d.membres.iter().enumerate() {
                for &u in &m.perimetre {
                    let g = membres.get(e).copied().flatten();
                    if g.is_some() && unites.get(u).copied().flatten() != g {
                        retraits.insert((e, u));
                    }
                }
            }
        }
        Plan {
            unites,
            membres,
            retraits,
        }
    }
}

/// A hard rule a plan breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub cle: Cle,
    /// What is wrong, in French.
    pub message: String,
}

/// Checks every hard rule. An empty list means the plan is valid.
pub fn verify(plan: &Plan, d: &Donnees) -> Vec<Violation> {
    let mut v = Vec::new();
    let ng = d.groupes.len();
    let gid = |g: usize| d.groupes[g].id.clone();
    if plan.unites.len() != d.unites.len() || plan.membres.len() != d.membres.len() {
        v.push(Violation {
            cle: Cle::UnPiloteParUnite {
                unite: String::new(),
            },
            message: "le plan ne correspond pas aux données (nombre d'unités ou de membres)".into(),
        });
        return v;
    }
    for (u, un) in d.unites.iter().enumerate() {
        match plan.unites[u] {
            Some(g) if g < ng => {
                if let Some(c) = un.coeur.filter(|&c| c != g) {
                    v.push(Violation {
                        cle: Cle::Coeur {
                            unite: un.id.clone(),
                            groupe: gid(c),
                        },
                        message: format!(
                            "l'unité {}, au cœur du groupe {}, passe à {}",
                            un.id,
                            gid(c),
                            gid(g)
                        ),
                    });
                }
                if !d.transversal_permis(u, g) {
                    v.push(Violation {
                        cle: Cle::AxeTransversal {
                            unite: un.id.clone(),
                            groupe: gid(g),
                        },
                        message: format!(
                            "le groupe transversal {} reçoit {}, qu'il ne pilotait pas",
                            gid(g),
                            un.id
                        ),
                    });
                }
            }
            _ => v.push(Violation {
                cle: Cle::UnPiloteParUnite {
                    unite: un.id.clone(),
                },
                message: format!("l'unité {} n'a pas de groupe pilote (orpheline)", un.id),
            }),
        }
    }
    for (g, gr) in d.groupes.iter().enumerate() {
        let regle = Cle::UneUniteParGroupe {
            groupe: gr.id.clone(),
        };
        if !gr.transversal && !plan.unites.contains(&Some(g)) && d.en_vigueur(&regle) {
            v.push(Violation {
                cle: regle,
                message: format!("le groupe {} ne pilote aucune unité", gr.id),
            });
        }
    }
    for (e, m) in d.membres.iter().enumerate() {
        let Some(g) = plan.membres[e].filter(|&g| g < ng) else {
            v.push(Violation {
                cle: Cle::MembreUnique { elu: m.id.clone() },
                message: format!("{} n'a pas de groupe", m.id),
            });
            continue;
        };
        if !m.mobile && Some(g) != m.actuel {
            v.push(Violation {
                cle: Cle::GroupeFixe { elu: m.id.clone() },
                message: format!("{} change de groupe sans --regrouper", m.id),
            });
        }
        if m.mobile
            && m.liens_quartier
                .as_ref()
                .is_some_and(|l| l[g].is_empty() && Some(g) != m.actuel)
        {
            v.push(Violation {
                cle: Cle::AdjointQuartier { elu: m.id.clone() },
                message: format!(
                    "{}, adjoint·e de quartier, est dans le groupe {}, où aucun·e adjoint·e thématique ne pilote un service de ses délégations",
                    m.id,
                    gid(g)
                ),
            });
        }
        for &u in &m.perimetre {
            let retrait = d.params.retrait_appui && plan.retraits.contains(&(e, u));
            if plan.unites[u] != Some(g) && !retrait {
                v.push(Violation {
                    cle: Cle::PerimetreMembre {
                        elu: m.id.clone(),
                        unite: d.unites[u].id.clone(),
                        groupe: gid(g),
                    },
                    message: format!(
                        "{} (groupe {}) pilote dans {}, pilotée par un autre groupe",
                        m.id,
                        gid(g),
                        d.unites[u].id
                    ),
                });
            }
        }
    }
    for &(e, u) in &plan.retraits {
        let valide =
            d.params.retrait_appui && d.membres.get(e).is_some_and(|m| m.perimetre.contains(&u));
        if !valide {
            let (elu, unite) = (
                d.membres.get(e).map(|m| m.id.clone()).unwrap_or_default(),
                d.unites.get(u).map(|x| x.id.clone()).unwrap_or_default(),
            );
            v.push(Violation {
                cle: Cle::PerimetreMembre {
                    elu: elu.clone(),
                    unite: unite.clone(),
                    groupe: String::new(),
                },
                message: if d.params.retrait_appui {
                    format!("{elu} ne pilote rien dans {unite} : pas de délégation à passer en appui")
                } else {
                    format!("{elu} passe en appui dans {unite} alors que [groupes] retrait_appui = false")
                },
            });
        }
    }
    if d.regrouper {
        for (g, gr) in d.groupes.iter().enumerate() {
            let taille = 1 + plan.membres.iter().filter(|&&x| x == Some(g)).count();
            let tmin = Cle::TailleMin {
                groupe: gr.id.clone(),
            };
            if taille < d.params.taille_min as usize && d.en_vigueur(&tmin) {
                v.push(Violation {
                    cle: Cle::TailleMin {
                        groupe: gr.id.clone(),
                    },
                    message: format!(
                        "le groupe {} compte {taille} élu·e(s), moins que {}",
                        gr.id, d.params.taille_min
                    ),
                });
            }
            let tmax = Cle::TailleMax {
                groupe: gr.id.clone(),
            };
            if taille > d.params.taille_max as usize && d.en_vigueur(&tmax) {
                v.push(Violation {
                    cle: Cle::TailleMax {
                        groupe: gr.id.clone(),
                    },
                    message: format!(
                        "le groupe {} compte {taille} élu·es, plus que {}",
                        gr.id, d.params.taille_max
                    ),
                });
            }
        }
    }
    for l in &d.verrous_unites {
        if plan.unites[l.unite] != Some(l.groupe) {
            v.push(Violation {
                cle: Cle::VerrouUnite {
                    ligne: l.ligne,
                    unite: d.unites[l.unite].id.clone(),
                    groupe: gid(l.groupe),
                },
                message: format!(
                    "verrou non respecté : {} devait être pilotée par {}",
                    d.unites[l.unite].id,
                    gid(l.groupe)
                ),
            });
        }
    }
    for l in &d.verrous_membres {
        if plan.membres[l.membre] != Some(l.groupe) {
            v.push(Violation {
                cle: Cle::VerrouElu {
                    ligne: l.ligne,
                    elu: d.membres[l.membre].id.clone(),
                    groupe: gid(l.groupe),
                },
                message: format!(
                    "verrou non respecté : {} devait être dans {}",
                    d.membres[l.membre].id,
                    gid(l.groupe)
                ),
            });
        }
    }
    for (e, m) in d.membres.iter().enumerate() {
        let Some(g) = plan.membres[e] else { continue };
        let lien = match (&m.liens_quartier, m.mobile) {
            (Some(liens), true) => &liens[g],
            _ => &m.lien_quartier,
        };
        if m.quartier && !lien.is_empty() && !lien.iter().any(|&u| plan.unites[u] == Some(g)) {
            v.push(Violation {
                cle: Cle::LienQuartier {
                    elu: m.id.clone(),
                    groupe: gid(g),
                },
                message: format!(
                    "{}, adjoint·e de quartier, n'a plus de délégation dans une unité pilotée par son groupe {} (D010)",
                    m.id,
                    gid(g)
                ),
            });
        }
    }
    // The wish criteria (`--regrouper` with voeux.csv), recounted in their own file.
    v.extend(super::voeux::verifier(plan, d));
    v
}

/// The objective of a plan, term by term.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cout {
    /// Σ over non-transversal groups of the number of DGA spanned.
    pub dispersion: usize,
    /// Units whose group differs from the proposal's (orphans given a group do not count).
    pub changements: usize,
    /// Mobile members whose group differs from `elus.csv`.
    pub deplacements: usize,
    /// Members' pilote délégations turned into appui (`(member, unit)` pairs).
    pub retraits: usize,
    /// Functional links between units led by different groups.
    pub liens: usize,
    /// Agents whose chain of command changes: the staff (ETP) of the units moved from their
    /// group (orphans given a group do not count).
    pub agents_deplaces: f64,
    /// Σ over groups of |load / mean − 1|.
    pub ecart: f64,
    /// Units moved to, or adopted by, a group sharing none of their domains (« hors thème »).
    pub hors_theme: usize,
    /// Weighted total (the model's objective).
    pub total: f64,
}

/// Number of DGA each group spans in a plan.
pub fn poles_par_groupe(plan: &Plan, d: &Donnees) -> Vec<usize> {
    (0..d.groupes.len())
        .map(|g| {
            (0..d.unites.len())
                .filter(|&u| plan.unites[u] == Some(g))
                .filter_map(|u| d.unites[u].dga)
                .collect::<BTreeSet<_>>()
                .len()
        })
        .collect()
}

/// Staff load of each group in a plan.
pub fn charges(plan: &Plan, d: &Donnees) -> Vec<f64> {
    (0..d.groupes.len())
        .map(|g| {
            (0..d.unites.len())
                .filter(|&u| plan.unites[u] == Some(g))
                .map(|u| d.unites[u].charge)
                .sum()
        })
        .collect()
}

/// Recomputes the objective of a plan from the data alone.
pub fn evaluer(plan: &Plan, d: &Donnees) -> Cout {
    let p = &d.params;
    let dispersion: usize = poles_par_groupe(plan, d)
        .iter()
        .zip(&d.groupes)
        .filter(|(_, g)| !g.transversal)
        .map(|(n, _)| n)
        .sum();
    let changements = d
        .unites
        .iter()
        .zip(&plan.unites)
        .filter(|(u, g)| u.actuel.is_some() && u.actuel != **g)
        .count();
    let deplacements = d
        .membres
        .iter()
        .zip(&plan.membres)
        .filter(|(m, g)| m.mobile && m.actuel.is_some() && m.actuel != **g)
        .count();
    let moyenne = d.charge_moyenne();
    let ecart = if moyenne > 0.0 && p.poids_equilibre > 0.0 {
        charges(plan, d)
            .iter()
            .map(|c| (c / moyenne - 1.0).abs())
            .sum()
    } else {
        0.0
    };
    let retraits = plan.retraits.len();
    let liens = liens_croises(plan, d);
    let deplacees: Vec<usize> = (0..d.unites.len())
        .filter(|&u| d.unites[u].actuel.is_some() && d.unites[u].actuel != plan.unites[u])
        .collect();
    let agents_deplaces: f64 = deplacees.iter().map(|&u| d.unites[u].charge).sum::<f64>() + 0.0;
    let cout_changements: f64 = deplacees.iter().map(|&u| d.poids_unite(u)).sum();
    let cout_liens: f64 = (0..d.liens.len())
        .filter(|&k| plan.unites.get(d.liens[k].a) != plan.unites.get(d.liens[k].b))
        .map(|k| d.poids_lien(k))
        .sum();
    let hors_theme = hors_theme(plan, d).len();
    let total = p.poids_dispersion * dispersion as f64
        + p.poids_changements * cout_changements
        + p.poids_preferences * deplacements as f64
        + p.poids_retraits * retraits as f64
        + p.poids_liens * cout_liens
        + p.poids_equilibre * ecart
        + p.poids_hors_theme * hors_theme as f64;
    Cout {
        dispersion,
        changements,
        deplacements,
        retraits,
        liens,
        agents_deplaces,
        ecart,
        hors_theme,
        total,
    }
}

/// The units a plan moves to, or gives as orphans to, a group sharing none of their domains
/// ([`Donnees::cout_hors_theme`]), in unit order, each with its group.
pub fn hors_theme(plan: &Plan, d: &Donnees) -> Vec<(usize, usize)> {
    (0..d.unites.len())
        .filter_map(|u| {
            let g = plan.unites.get(u).copied().flatten()?;
            (g < d.groupes.len() && d.cout_hors_theme(u, g)).then_some((u, g))
        })
        .collect()
}

/// Number of functional links between units led by different groups in a plan.
pub fn liens_croises(plan: &Plan, d: &Donnees) -> usize {
    d.liens
        .iter()
        .filter(|l| plan.unites.get(l.a) != plan.unites.get(l.b))
        .count()
}
