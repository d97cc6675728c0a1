//! Wishes against a plan: a wish naming a node (`voeux.csv`, `choix` = a node id) means « the
//! group that leads that node in the plan », so it is resolved after units are decided; two
//! wishes of one élu·e resolving to one group count once, at the better rank.
//!
//! In: the wishes as read ([`Voeu`], `groupe` resolved against the scenario as it stands) and
//! which group leads each node in the plan. Out: one wish per (élu·e, group), and what the
//! resolution decided, in [`NoteVoeu`]s the outputs print (« said plainly, not an error »).
//! `affecter` resolves against the units as they are. `optimiser --regrouper` resolves a node
//! wish on the plan it chooses, inside the model: the wish is met when the member's group leads
//! the unit holding the node (for a node above the units, one of the units under it), linearised
//! with the model's own `x` and `z` ([`lignes`]); its wish stages are then solved on the joint
//! model itself ([`criteres`]), so that their optimum counts the units that move. A node wish
//! whose node lies in no unit of the model (a reserved subtree: the cabinet, a mairie déléguée)
//! keeps the group that leads it today.

use crate::model::{NodeIx, RANG_SANS_VOEU, Scenario, Voeu};
use crate::optimise::{Cle, Donnees, ModeleGroupes, Plan, Sens, Violation};
use std::collections::BTreeMap;

/// A node wish the joint model resolves on its own units.
#[derive(Debug, Clone, PartialEq)]
pub struct VoeuNoeud {
    /// Rank of the wish.
    pub rang: u8,
    /// `choix` as written (the node id).
    pub choix: String,
    /// Line in `voeux.csv`.
    pub ligne: usize,
    /// The node.
    pub noeud: NodeIx,
    /// Units (indices in [`Donnees::unites`]) whose group meets the wish: the unit holding the
    /// node, or, for a node above the units, every unit under it.
    pub unites: Vec<usize>,
}

/// Units of `d` that meet a wish naming node `n`: the unit at or above `n`, else the units under
/// it; empty when `n` lies in no unit (a reserved subtree).
pub fn unites_du_noeud(s: &Scenario, d: &Donnees, n: NodeIx) -> Vec<usize> {
    let chemin: Vec<NodeIx> = std::iter::once(n)
        .chain(s.organigramme.ancetres(n))
        .collect();
    let dessus: Vec<usize> = (0..d.unites.len())
        .filter(|&u| d.unites[u].noeud.is_some_and(|x| chemin.contains(&x)))
        .collect();
    if !dessus.is_empty() {
        return dessus;
    }
    (0..d.unites.len())
        .filter(|&u| {
            d.unites[u]
                .noeud
                .is_some_and(|x| s.organigramme.ancetres(x).any(|a| a == n))
        })
        .collect()
}

/// What resolving the wishes decided, for the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteVoeu {
    /// A node wish resolves to the élu·e's own group today: it asks to stay.
    NoeudDeSonGroupe {
        /// Élu·e index.
        elu: usize,
        /// The node as written.
        noeud: String,
        /// Their group, which leads it.
        groupe: String,
        /// Rank of the wish.
        rang: u8,
    },
    /// A node wish no group leads in the plan: it names no group, and does not count.
    NoeudSansGroupe {
        /// Élu·e index.
        elu: usize,
        /// The node as written.
        noeud: String,
        /// Rank of the wish.
        rang: u8,
    },
    /// The plan moved the node: the wish names the group leading it in the plan, not the one
    /// leading it in the input.
    NoeudDeplace {
        /// Élu·e index.
        elu: usize,
        /// The node as written.
        noeud: String,
        /// Rank of the wish.
        rang: u8,
        /// Group leading it in the input (`None`: nobody).
        entree: Option<String>,
        /// Group leading it in the plan.
        plan: String,
    },
    /// Several wishes resolve to one group: the best rank counts.
    Fusion {
        /// Élu·e index.
        elu: usize,
        /// The group.
        groupe: String,
        /// The wish kept: (rank, choix as written, line).
        garde: (u8, String, usize),
        /// The wishes it absorbs: (rank, choix, line).
        ecartes: Vec<(u8, String, usize)>,
    },
}

impl NoteVoeu {
    /// The note in one French sentence (the élu·e named by id and name).
    pub fn texte(&self, s: &Scenario) -> String {
        let nom = |e: usize| format!("{} {}", s.elus[e].id, s.elus[e].nom_complet());
        match self {
            NoteVoeu::NoeudDeSonGroupe {
                elu,
                noeud,
                groupe,
                rang,
            } => format!(
                "{} : son vœu n° {rang}, « {noeud} », est piloté par son propre groupe {groupe} : ce vœu demande de rester dans {groupe}",
                nom(*elu)
            ),
            NoteVoeu::NoeudSansGroupe { elu, noeud, rang } => format!(
                "{} : son vœu n° {rang}, « {noeud} », n'est piloté par aucun groupe dans ce plan : il ne compte pas",
                nom(*elu)
            ),
            NoteVoeu::NoeudDeplace {
                elu,
                noeud,
                rang,
                entree,
                plan,
            } => format!(
                "{} : son vœu n° {rang}, « {noeud} », désignait {} dans l'organigramme d'entrée ; dans ce plan {noeud} est piloté par {plan}, et c'est {plan} qui compte pour ce vœu",
                nom(*elu),
                entree.as_deref().unwrap_or("aucun groupe")
            ),
            NoteVoeu::Fusion {
                elu,
                groupe,
                garde,
                ecartes,
            } => {
                let autres: Vec<String> = ecartes
                    .iter()
                    .map(|(r, c, l)| format!("n° {r} « {c} » (ligne {l})"))
                    .collect();
                format!(
                    "{} : ses vœux n° {} « {} » (ligne {}) et {} désignent le même groupe {groupe} : le meilleur rang, {}, compte",
                    nom(*elu),
                    garde.0,
                    garde.1,
                    garde.2,
                    autres.join(", "),
                    garde.0
                )
            }
        }
    }
}

/// Resolves `voeux` against a plan: `groupe_du_noeud(n)` is the group leading node `n` in the
/// plan (`None`: no group leads it, the wish is dropped and noted). Returns one wish per
/// (élu·e, group), the better rank kept (its row as written), in the input order, and the notes.
/// A node wish resolving to the élu·e's group today is kept (it asks to stay) and noted.
pub fn resoudre(
    s: &Scenario,
    voeux: &[Voeu],
    groupe_du_noeud: impl Fn(NodeIx) -> Option<String>,
) -> (Vec<Voeu>, Vec<NoteVoeu>) {
    let mut notes = Vec::new();
    let mut resolus: Vec<Voeu> = Vec::new();
    for v in voeux {
        let mut w = v.clone();
        if let Some(n) = v.noeud {
            match groupe_du_noeud(n) {
                Some(g) => w.groupe = g,
                None => {
                    notes.push(NoteVoeu::NoeudSansGroupe {
                        elu: v.elu,
                        noeud: v.choix.clone(),
                        rang: v.rang,
                    });
                    continue;
                }
            }
            if s.elus[v.elu].groupe.as_deref() == Some(w.groupe.as_str()) {
                notes.push(NoteVoeu::NoeudDeSonGroupe {
                    elu: v.elu,
                    noeud: v.choix.clone(),
                    groupe: w.groupe.clone(),
                    rang: v.rang,
                });
            }
        }
        resolus.push(w);
    }
    // Group the wishes by (élu·e, group); keep the best rank.
    let mut par_cle: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (i, v) in resolus.iter().enumerate() {
        par_cle
            .entry((v.elu, v.groupe.clone()))
            .or_default()
            .push(i);
    }
    let mut garder = vec![true; resolus.len()];
    for ((elu, groupe), mut ix) in par_cle {
        if ix.len() < 2 {
            continue;
        }
        ix.sort_by_key(|&i| (resolus[i].rang, resolus[i].ligne));
        let g = &resolus[ix[0]];
        let ecartes = ix[1..]
            .iter()
            .map(|&i| {
                garder[i] = false;
                let v = &resolus[i];
                (v.rang, v.choix.clone(), v.ligne)
            })
            .collect();
        notes.push(NoteVoeu::Fusion {
            elu,
            groupe,
            garde: (g.rang, g.choix.clone(), g.ligne),
            ecartes,
        });
    }
    let out = resolus
        .into_iter()
        .zip(garder)
        .filter_map(|(v, k)| k.then_some(v))
        .collect();
    (out, notes)
}

/// [`resoudre`] against the scenario as it stands (units not moved): a node wish means the
/// group that leads the node today ([`crate::model::groupe_pilote`]).
pub fn resoudre_en_l_etat(s: &Scenario, voeux: &[Voeu]) -> (Vec<Voeu>, Vec<NoteVoeu>) {
    resoudre(s, voeux, |n| crate::model::groupe_pilote(s, n))
}

/// The wish criteria of the joint model (`optimiser --regrouper` with `voeux.csv`): solved
/// first, lexicographically (worst rank, then the most élu·es at each rank), then kept as rows
/// of the grouping model ahead of its organigramme terms ([`lignes`]).
///
/// With group wishes only they are solved exactly as `affecter` solves them (its
/// [`lexicographique`] on the same groups, members, sizes and rules): the members' part of the
/// grouping model is `affecter`'s model (same groups, sizes, locks and quartier rule, and every
/// link from a member to the units, `PerimetreMembre`, may be met by an appui with
/// `retrait_appui`, the default), so the wish optimum of the members alone is the wish optimum
/// of the whole model. With a node wish the units matter (the wish follows the node), so the
/// stages are solved on the joint model itself ([`VoeuNoeud`], `jointes`).
///
/// [`lexicographique`]: crate::optimise::affectation::lexicographique
#[derive(Debug, Clone, PartialEq)]
pub struct CriteresVoeux {
    /// Per member of [`Donnees::membres`]: the rank of each group (index in
    /// [`Donnees::groupes`]) by its group wishes (and node wishes resolved on the input, see
    /// `noeuds`), for a member placed by wishes who made some; `None` otherwise.
    pub rangs: Vec<Option<Vec<u8>>>,
    /// Per member: the node wishes resolved on the plan's units (empty unless `jointes`).
    pub noeuds: Vec<Vec<VoeuNoeud>>,
    /// The stages were solved on the joint model (some node wish follows the plan's units).
    pub jointes: bool,
    /// The worst rank anyone who made wishes gets at the optimum (6 = a group not wished).
    pub pire: u8,
    /// Élu·es at rank ≤ r at the optimum, for r = 1…5 (index r − 1).
    pub cumul: [usize; 5],
    /// The wish stages' own assignment (member → group): a valid start for the grouping model.
    pub affectation: Vec<Option<usize>>,
    /// With joint stages, their last plan (units and members): it meets every wish row, so it
    /// is a valid start for the grouping model.
    pub plan: Option<Plan>,
    /// The stages, as `affecter` prints them.
    pub etapes: Vec<crate::optimise::affectation::Etape>,
    /// Every stage proved optimal.
    pub prouve: bool,
    /// What resolving the wishes on the current units decided.
    pub notes: Vec<NoteVoeu>,
    /// The wishes as read (to resolve them again on the plan).
    pub voeux: Vec<Voeu>,
    /// The instance the stages solved (to explain and check the result).
    pub instance: crate::optimise::affectation::Instance,
}

/// The `affecter` instance of a grouping: the groups of `d`, each with its lead and the
/// members who do not move (not mobile, or locked there) as fixed members; every other member
/// placed by wishes (resolved on the current units).
pub fn instance(
    s: &Scenario,
    voeux: &[Voeu],
    d: &Donnees,
) -> (crate::optimise::affectation::Instance, Vec<NoteVoeu>) {
    use crate::optimise::affectation::{Fixe, Groupe, Instance, Personne, Regles};
    let (voeux, notes) = resoudre_en_l_etat(s, voeux);
    let ids: Vec<String> = d.groupes.iter().map(|g| g.id.clone()).collect();
    let fixe = |e: usize| Fixe {
        id: s.elus[e].id.clone(),
        sexe: s.elus[e].sexe,
        composante: s.elus[e].composante.clone(),
    };
    let mut groupes: Vec<Groupe> = d
        .groupes
        .iter()
        .map(|g| Groupe {
            id: g.id.clone(),
            fixes: vec![fixe(g.chef)],
        })
        .collect();
    let mut personnes = Vec::new();
    for (i, m) in d.membres.iter().enumerate() {
        let verrou = d.verrous_membres.iter().find(|v| v.membre == i);
        match (m.mobile, verrou, m.actuel) {
            (true, None, _) => {}
            (true, Some(v), _) => {
                groupes[v.groupe].fixes.push(fixe(m.elu));
                continue;
            }
            (false, _, Some(g)) => {
                groupes[g].fixes.push(fixe(m.elu));
                continue;
            }
            (false, _, None) => continue,
        }
        let elu = &s.elus[m.elu];
        let mut v: Vec<(usize, u8)> = voeux
            .iter()
            .filter(|v| v.elu == m.elu)
            .filter_map(|v| ids.iter().position(|g| *g == v.groupe).map(|g| (g, v.rang)))
            .collect();
        v.sort_by_key(|&(g, r)| (r, g));
        personnes.push(Personne {
            elu: m.elu,
            id: m.id.clone(),
            nom: elu.nom_complet(),
            sexe: elu.sexe,
            composante: elu.composante.clone(),
            actuel: m.actuel,
            quartier: elu.est_adjoint_quartier(),
            lies: crate::model::groupes_lies(s, m.elu, &ids),
            voeux: v,
        });
    }
    let p = &d.params;
    let inst = Instance {
        groupes,
        personnes,
        regles: Regles {
            taille_min: p.taille_min,
            taille_max: p.taille_max,
            quartier: true,
            parite: p.parite,
            composantes: p.composantes,
            max_groupes_par_composante: p.max_groupes_par_composante,
            tailles_declarees: (p.taille_min_declaree, p.taille_max_declaree),
            tailles_levees: Vec::new(),
        },
        avertissements: Vec::new(),
        notes_voeux: notes.clone(),
    };
    (inst, notes)
}

/// Solves the wish stages of a grouping ([`CriteresVoeux`]).
pub fn criteres(
    s: &Scenario,
    voeux: &[Voeu],
    d: &Donnees,
    o: &crate::optimise::affectation::Options,
) -> Result<CriteresVoeux, crate::optimise::affectation::Echec> {
    use crate::optimise::affectation::{lexicographique, profil};
    let (inst, notes) = instance(s, voeux, d);
    // Default sizes that cannot hold yield, as in `affecter` and the grouping's precedence.
    let inst = crate::optimise::affectation::lever_tailles(&inst, o);
    let sol = lexicographique(&inst, o)?;
    let n = profil(&sol.plan, &inst);
    let mut cumul = [0usize; 5];
    let mut acc = 0;
    for r in 0..5 {
        acc += n[r];
        cumul[r] = acc;
    }
    let mut rangs = vec![None; d.membres.len()];
    let mut affectation = vec![None; d.membres.len()];
    let mut par_voeux = vec![false; d.membres.len()];
    for (p, x) in inst.personnes.iter().enumerate() {
        let Some(i) = d.membres.iter().position(|m| m.elu == x.elu) else {
            continue;
        };
        par_voeux[i] = true;
        affectation[i] = Some(sol.plan[p]);
        rangs[i] = (0..d.groupes.len())
            .map(|g| inst.rang(p, g))
            .collect::<Option<Vec<u8>>>();
    }
    // Node wishes whose node lies in a unit of the model follow the plan's units.
    let mut noeuds: Vec<Vec<VoeuNoeud>> = vec![Vec::new(); d.membres.len()];
    for v in voeux {
        let (Some(n), Some(i)) = (v.noeud, d.membres.iter().position(|m| m.elu == v.elu)) else {
            continue;
        };
        if !par_voeux[i] {
            continue;
        }
        let unites = unites_du_noeud(s, d, n);
        if !unites.is_empty() {
            noeuds[i].push(VoeuNoeud {
                rang: v.rang,
                choix: v.choix.clone(),
                ligne: v.ligne,
                noeud: n,
                unites,
            });
        }
    }
    let mut c = CriteresVoeux {
        rangs,
        noeuds: Vec::new(),
        jointes: false,
        pire: crate::optimise::affectation::verification::pire(&sol.plan, &inst)
            .unwrap_or(RANG_SANS_VOEU),
        cumul,
        affectation,
        plan: None,
        etapes: sol.etapes,
        prouve: sol.prouve,
        notes,
        voeux: voeux.to_vec(),
        instance: inst,
    };
    if noeuds.iter().all(Vec::is_empty) {
        c.noeuds = noeuds;
        return Ok(c);
    }
    // The ranks of the group wishes (and of node wishes outside the model's units, resolved
    // on the input), the node wishes apart.
    let ids: Vec<&str> = d.groupes.iter().map(|g| g.id.as_str()).collect();
    for (i, r) in c.rangs.iter_mut().enumerate() {
        if !par_voeux[i] {
            continue;
        }
        let e = d.membres[i].elu;
        let siens: Vec<&Voeu> = voeux.iter().filter(|v| v.elu == e).collect();
        if siens.is_empty() {
            continue;
        }
        let mut t = vec![RANG_SANS_VOEU; d.groupes.len()];
        for v in &siens {
            if noeuds[i].iter().any(|w| w.ligne == v.ligne) {
                continue;
            }
            let g = match v.noeud {
                Some(n) => crate::model::groupe_pilote(s, n),
                None => Some(v.groupe.clone()),
            };
            if let Some(g) = g.and_then(|g| ids.iter().position(|x| *x == g)) {
                t[g] = t[g].min(v.rang);
            }
        }
        *r = Some(t);
    }
    c.noeuds = noeuds;
    c.jointes = true;
    etapes_jointes(d, &mut c, o)?;
    Ok(c)
}

/// The wish stages solved on the joint model (with node wishes): the smallest worst rank for
/// which the model has a plan, then, rank by rank, the most élu·es at that rank or better; each
/// optimum kept as a row of the next stage, as [`lignes`] writes them.
fn etapes_jointes(
    d: &Donnees,
    c: &mut CriteresVoeux,
    o: &crate::optimise::affectation::Options,
) -> Result<(), crate::optimise::affectation::Echec> {
    use crate::lp::EchecSolveur;
    use crate::optimise::affectation::{Echec, Etape};
    // `o.limite_temps` bounds the joint stages together: each gets what is left of it.
    let fin = std::time::Instant::now()
        + std::time::Duration::from_secs_f64(o.limite_temps.clamp(0.0, 1e9));
    let options = || crate::lp::Options {
        solveur: o.solveur,
        limite_temps: fin
            .saturating_duration_since(std::time::Instant::now())
            .as_secs_f64()
            .max(crate::optimise::affectation::ETAPE_MIN),
        ..crate::lp::Options::default()
    };
    let places = c.rangs.iter().filter(|r| r.is_some()).count();
    let mut dd = d.clone();
    c.etapes.clear();
    c.prouve = true;
    c.cumul = [0; 5];
    let construire = |dd: &Donnees| {
        crate::optimise::construire(dd, &crate::optimise::Exclusions::default(), false).map_err(
            |k| {
                Echec::Solveur(format!(
                    "le modèle joint des vœux est contradictoire ({})",
                    k.cles
                        .iter()
                        .map(Cle::decrire)
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ))
            },
        )
    };
    let mut dernier: Option<Plan> = None;
    // Worst rank 6 puts no row: whether the model has a plan at all is the grouping model's own
    // question (its precedence and diagnosis answer it), not a wish stage's.
    c.pire = RANG_SANS_VOEU;
    for k in 1..RANG_SANS_VOEU {
        let mut essai = c.clone();
        essai.pire = k;
        dd.voeux = Some(essai);
        let mg = construire(&dd)?;
        match crate::lp::resoudre(&mg.modele, None, &options(), false) {
            Ok(sol) => {
                c.prouve &= sol.statut == crate::lp::Statut::Optimal;
                c.pire = k;
                dernier = Some(mg.plan(&dd, &sol.valeurs));
                break;
            }
            Err(EchecSolveur::Infaisable) => {}
            // Stopped by a limit before an answer: this worst rank is not proved impossible,
            // only not found; the next one is tried and the stages say « non prouvé ».
            Err(_) => c.prouve = false,
        }
    }
    c.etapes.push(Etape {
        nom: "pire rang obtenu".into(),
        valeur: usize::from(c.pire),
    });
    let mut avant = 0;
    for r in 1..RANG_SANS_VOEU {
        let i = usize::from(r) - 1;
        if r >= c.pire {
            c.cumul[i] = places;
            continue;
        }
        dd.voeux = Some(c.clone());
        let mut mg = construire(&dd)?;
        // This stage maximises the count at rank r (a minimisation of its opposite), named
        // after it; the organigramme criteria wait for the last stage.
        mg.modele.criteres = vec![crate::lp::Critere::new(
            "voeux_rang",
            1.0,
            termes(c, &dd, &mg, &variables_rang(&mg), r, None)
                .into_iter()
                .map(|(v, k)| (v, -k))
                .collect(),
            0.0,
        )];
        let initial = dernier.as_ref().and_then(|p| mg.valeurs(&dd, p));
        let sol = match crate::lp::resoudre(&mg.modele, initial.as_deref(), &options(), true) {
            Ok(sol) => sol,
            // No plan even so (the grouping model's own solve says why), or stopped by a limit
            // before a plan: the counts found so far stay the rows.
            Err(_) => {
                c.prouve = false;
                break;
            }
        };
        c.prouve &= sol.statut == crate::lp::Statut::Optimal;
        let plan = mg.plan(&dd, &sol.valeurs);
        // Counted again from the plan, not read from the solver's objective.
        let n = (0..c.rangs.len())
            .filter(|&e| rang_plan(c, &plan, e).is_some_and(|x| x <= r))
            .count();
        c.cumul[i] = n;
        c.etapes.push(Etape {
            nom: format!("élu·es au rang {r}"),
            valeur: n - avant,
        });
        avant = n;
        dernier = Some(plan);
    }
    if let Some(p) = dernier {
        c.affectation = p.membres.clone();
        c.plan = Some(p);
    }
    Ok(())
}

/// The joint stages' last plan, when it passes the grouping model's checker: a start for the
/// grouping model's solve.
pub fn plan_de_depart(d: &Donnees) -> Option<Plan> {
    d.voeux
        .as_ref()
        .and_then(|c| c.plan.clone())
        .filter(|p| crate::optimise::verify(p, d).is_empty())
}

/// The rank member `e` gets in `plan` (`None`: not placed by wishes, or no group): the best of
/// their group wishes naming the plan's group and of their node wishes whose node that group
/// leads in the plan.
pub fn rang_plan(c: &CriteresVoeux, plan: &Plan, e: usize) -> Option<u8> {
    let g = plan.membres.get(e).copied().flatten()?;
    let mut r = c.rangs.get(e)?.as_ref()?.get(g).copied()?;
    for w in c.noeuds.get(e).into_iter().flatten() {
        if w.unites
            .iter()
            .any(|&u| plan.unites.get(u) == Some(&Some(g)))
        {
            r = r.min(w.rang);
        }
    }
    Some(r)
}

/// The group a node wish names in `plan`: the member's own group when it leads one of the wish's
/// units, else the group leading the wish's unit of most staff (first in data order on ties).
pub fn groupe_du_voeu(d: &Donnees, plan: &Plan, e: usize, w: &VoeuNoeud) -> Option<usize> {
    let g = plan.membres.get(e).copied().flatten();
    if g.is_some() && w.unites.iter().any(|&u| plan.unites[u] == g) {
        return g;
    }
    let mut best: Option<usize> = None;
    for &u in &w.unites {
        if best.is_none_or(|b| d.unites[u].charge > d.unites[b].charge) {
            best = Some(u);
        }
    }
    best.and_then(|u| plan.unites[u])
}

/// The notes of the node wishes resolved on `plan` (joint stages only): a node whose leading
/// group differs from the input's, and wishes that name one group twice.
pub fn notes_plan(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<NoteVoeu> {
    let Some(c) = &d.voeux else {
        return Vec::new();
    };
    if !c.jointes {
        return c.notes.clone();
    }
    let mut notes = Vec::new();
    let mut voeux = c.voeux.clone();
    for v in &mut voeux {
        let Some(e) = d.membres.iter().position(|m| m.elu == v.elu) else {
            continue;
        };
        let Some(w) = c.noeuds[e].iter().find(|w| w.ligne == v.ligne) else {
            continue;
        };
        let Some(g) = groupe_du_voeu(d, plan, e, w) else {
            continue;
        };
        let id = d.groupes[g].id.clone();
        let entree = w.noeud_entree(s);
        if entree.as_deref() != Some(id.as_str()) {
            notes.push(NoteVoeu::NoeudDeplace {
                elu: v.elu,
                noeud: v.choix.clone(),
                rang: v.rang,
                entree,
                plan: id.clone(),
            });
        }
        v.groupe = id;
        // Resolved: `resoudre` below only merges.
        v.noeud = None;
    }
    let (_, fusions) = resoudre(s, &voeux, |n| crate::model::groupe_pilote(s, n));
    notes.extend(fusions);
    notes
}

impl VoeuNoeud {
    /// The group leading the node in the input.
    pub fn noeud_entree(&self, s: &Scenario) -> Option<String> {
        crate::model::groupe_pilote(s, self.noeud)
    }
}

/// The variables `s[e,k]` (`voeu_rang.<élu>.r<k>`) [`lignes`] wrote, per member: `s[e,k] = 1` only
/// when member `e` gets rank `k` or better.
fn variables_rang(mg: &ModeleGroupes) -> BTreeMap<String, usize> {
    mg.modele
        .variables
        .iter()
        .enumerate()
        .filter(|(_, v)| v.nom.starts_with("voeu_rang."))
        .map(|(i, v)| (v.nom.clone(), i))
        .collect()
}

fn nom_rang(id: &str, k: u8) -> String {
    format!("voeu_rang.{}.r{k}", crate::optimise::nom_lp(id))
}

/// Terms of « élu·es at rank ≤ `r` »: `Σ z[e,g]` over the groups of rank ≤ `r` of a member with
/// group wishes only, `s[e,r]` for a member with node wishes.
fn termes(
    c: &CriteresVoeux,
    d: &Donnees,
    mg: &ModeleGroupes,
    s_vars: &BTreeMap<String, usize>,
    r: u8,
    seul: Option<usize>,
) -> Vec<(usize, f64)> {
    let mut t = Vec::new();
    for (e, rangs) in c.rangs.iter().enumerate() {
        let Some(rangs) = rangs else { continue };
        if seul.is_some_and(|s| s != e) {
            continue;
        }
        if !c.noeuds.get(e).is_none_or(Vec::is_empty) {
            if let Some(&v) = s_vars.get(&nom_rang(&d.membres[e].id, r)) {
                t.push((v, 1.0));
            }
            continue;
        }
        for (g, &rg) in rangs.iter().enumerate() {
            if rg <= r
                && let Some(v) = mg.z[e][g]
            {
                t.push((v, 1.0));
            }
        }
    }
    t
}

/// The node wishes as rows (joint stages only): for member `e`'s node wish `w` and each group
/// `g` they may join, `a[e,w,g] ≤ z[e,g]` and `a[e,w,g] ≤ Σ_{u ∈ U(w)} x[u,g]` (the wish is met
/// when their group leads a unit of the node); then `s[e,k] ≤ Σ_{rang(g) ≤ k} z[e,g] +
/// Σ_{rang(w) ≤ k} Σ_g a[e,w,g]` for k = 1…5, so that `s[e,k] = 1` only when `e` gets rank `k`
/// or better (exact at integer `x`, `z`: `s` and `a` need not be integer). All keyed
/// `Voeux { elu, rang }`.
fn lignes_noeuds(d: &Donnees, c: &CriteresVoeux, mg: &mut ModeleGroupes) {
    for (e, ws) in c.noeuds.iter().enumerate() {
        let Some(rangs) = c.rangs[e].as_ref().filter(|_| !ws.is_empty()) else {
            continue;
        };
        let id = d.membres[e].id.clone();
        let nom = crate::optimise::nom_lp(&id);
        let mut a: Vec<(u8, usize)> = Vec::new();
        for w in ws {
            for g in 0..d.groupes.len() {
                let Some(z) = mg.z[e][g] else { continue };
                let xs: Vec<(usize, f64)> = w
                    .unites
                    .iter()
                    .filter_map(|&u| mg.x[u][g].map(|x| (x, -1.0)))
                    .collect();
                if xs.is_empty() {
                    continue;
                }
                let v = mg.modele.var(
                    format!(
                        "voeu_noeud.{nom}.l{}.{}",
                        w.ligne,
                        crate::optimise::nom_lp(&d.groupes[g].id)
                    ),
                    0.0,
                    1.0,
                    false,
                );
                let cle = Cle::Voeux {
                    elu: Some(id.clone()),
                    rang: w.rang,
                };
                mg.modele
                    .contrainte(cle.clone(), vec![(v, 1.0), (z, -1.0)], Sens::Le, 0.0);
                let mut t = vec![(v, 1.0)];
                t.extend(xs);
                mg.modele.contrainte(cle, t, Sens::Le, 0.0);
                a.push((w.rang, v));
            }
        }
        for k in 1..RANG_SANS_VOEU {
            let s = mg.modele.var(nom_rang(&id, k), 0.0, 1.0, false);
            let mut t = vec![(s, 1.0)];
            for (g, &rg) in rangs.iter().enumerate() {
                if rg <= k
                    && let Some(z) = mg.z[e][g]
                {
                    t.push((z, -1.0));
                }
            }
            t.extend(a.iter().filter(|(r, _)| *r <= k).map(|&(_, v)| (v, -1.0)));
            mg.modele.contrainte(
                Cle::Voeux {
                    elu: Some(id.clone()),
                    rang: k,
                },
                t,
                Sens::Le,
                0.0,
            );
        }
    }
}

/// The wish criteria as rows of the grouping model, ahead of its organigramme terms: nobody
/// who made wishes beyond the worst rank of the optimum (`Voeux { elu, rang }`), and at least
/// as many élu·es at rank ≤ r as the optimum, for each r (`Voeux { elu: None, rang }`). With
/// the worst rank they say the profile is the lexicographic optimum: a plan meeting them is
/// rank-maximal (by induction on r, no count can exceed the optimum's).
pub fn lignes(d: &Donnees, mg: &mut ModeleGroupes) {
    let Some(c) = &d.voeux else { return };
    lignes_noeuds(d, c, mg);
    let s_vars = variables_rang(mg);
    if c.pire < RANG_SANS_VOEU {
        for (e, r) in c.rangs.iter().enumerate() {
            if r.is_none() {
                continue;
            }
            let t = termes(c, d, mg, &s_vars, c.pire, Some(e));
            mg.modele.contrainte(
                Cle::Voeux {
                    elu: Some(d.membres[e].id.clone()),
                    rang: c.pire,
                },
                t,
                Sens::Eq,
                1.0,
            );
        }
    }
    for r in 1..RANG_SANS_VOEU {
        let n = c.cumul[usize::from(r) - 1];
        if n == 0 {
            continue;
        }
        let t = termes(c, d, mg, &s_vars, r, None);
        mg.modele
            .contrainte(Cle::Voeux { elu: None, rang: r }, t, Sens::Ge, n as f64);
    }
}

/// Independent check of a plan against the wish criteria, recounted from the plan's members
/// (and, for node wishes, from the groups leading the plan's units).
pub fn verifier(plan: &Plan, d: &Donnees) -> Vec<Violation> {
    let mut v = Vec::new();
    let Some(c) = &d.voeux else { return v };
    let rang = |e: usize| rang_plan(c, plan, e);
    for e in 0..c.rangs.len() {
        if let Some(r) = rang(e)
            && r > c.pire
        {
            v.push(Violation {
                cle: Cle::Voeux {
                    elu: Some(d.membres[e].id.clone()),
                    rang: c.pire,
                },
                message: format!(
                    "{} obtient le rang {r}, au-delà du pire rang de l'optimum des vœux ({})",
                    d.membres[e].id, c.pire
                ),
            });
        }
    }
    for r in 1..RANG_SANS_VOEU {
        let n = (0..c.rangs.len())
            .filter(|&e| rang(e).is_some_and(|x| x <= r))
            .count();
        let attendu = c.cumul[usize::from(r) - 1];
        if n < attendu {
            v.push(Violation {
                cle: Cle::Voeux { elu: None, rang: r },
                message: format!(
                    "{n} élu·es au rang {r} ou mieux, moins que l'optimum des vœux ({attendu})"
                ),
            });
        }
    }
    v
}

/// The wishes' outcome of a grouping plan, in French, as aggregates: the stages, how many at
/// each rank, the worst rank; `None` without wishes. Personal ranks are not printed here.
pub fn bilan(s: &Scenario, d: &Donnees, plan: &Plan) -> Option<String> {
    let c = d.voeux.as_ref()?;
    let mut n = [0usize; RANG_SANS_VOEU as usize];
    let mut pire = 0;
    for e in 0..c.rangs.len() {
        let Some(r) = rang_plan(c, plan, e) else {
            continue;
        };
        n[usize::from(r) - 1] += 1;
        pire = pire.max(r);
    }
    let mut t = if c.jointes {
        String::from(
            "\nVœux (voeux.csv), critères placés avant l'organigramme, résolus sur le modèle joint (un vœu par nœud désigne le groupe qui pilote ce nœud dans le plan) :\n",
        )
    } else {
        String::from(
            "\nVœux (voeux.csv), critères placés avant l'organigramme, résolus comme « collegia affecter » :\n",
        )
    };
    for (i, e) in c.etapes.iter().enumerate() {
        t.push_str(&format!("  {}. {} : {}\n", i + 1, e.nom, e.valeur));
    }
    let profil: Vec<String> = n
        .iter()
        .enumerate()
        .filter(|&(_, &k)| k > 0)
        .map(|(r, k)| {
            if r + 1 == usize::from(RANG_SANS_VOEU) {
                format!("{k} hors vœux")
            } else {
                format!("{k} au vœu n° {}", r + 1)
            }
        })
        .collect();
    t.push_str(&format!(
        "  Classement obtenu : {} ; pire rang : {} ({}).\n",
        if profil.is_empty() {
            "personne n'a exprimé de vœu".to_string()
        } else {
            profil.join(", ")
        },
        pire,
        if c.prouve {
            "optimum lexicographique prouvé"
        } else {
            "optimalité des vœux NON prouvée"
        }
    ));
    // Wishes are personal: the notes name élu·es and ranks, so only their number is printed
    // here (`--rangs-individuels` gives them).
    let notes = notes_plan(s, d, plan);
    if !notes.is_empty() {
        t.push_str(&format!(
            "  {} remarque(s) sur des vœux par nœud (détail avec --rangs-individuels).\n",
            notes.len()
        ));
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Source;
    use std::path::Path;

    fn exemple() -> Scenario {
        let dossier = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple");
        crate::ingest::load_scenario(&dossier)
            .expect("example loads")
            .scenario
    }

    fn lire(s: &Scenario, texte: &str) -> Vec<Voeu> {
        crate::ingest::parse_voeux(&Source::texte("voeux.csv", texte), s).expect("valid")
    }

    #[test]
    fn a_node_and_a_group_naming_one_group_count_once_at_the_better_rank() {
        let s = exemple();
        // DIR-EDU is piloted by E03, lead of G01-education.
        let v = lire(
            &s,
            "elu;choix;rang\nE41;DIR-EDU;1\nE41;G05-culture;2\nE41;G01-education;3\n",
        );
        let (r, notes) = resoudre_en_l_etat(&s, &v);
        let g: Vec<(&str, u8)> = r.iter().map(|v| (v.groupe.as_str(), v.rang)).collect();
        assert_eq!(g, [("G01-education", 1), ("G05-culture", 2)]);
        assert_eq!(notes.len(), 1);
        let t = notes[0].texte(&s);
        assert!(t.contains("le meilleur rang, 1, compte"), "{t}");
        assert!(t.contains("« G01-education » (ligne 4)"), "{t}");
    }

    #[test]
    fn a_node_led_by_ones_own_group_is_said_plainly() {
        let s = exemple();
        // E28 is in G01-education, which leads DIR-EDU.
        let v = lire(&s, "elu;choix;rang\nE28;DIR-EDU;1\nE28;G05-culture;2\n");
        let (r, notes) = resoudre_en_l_etat(&s, &v);
        assert_eq!(r.len(), 2);
        assert!(matches!(
            &notes[..],
            [NoteVoeu::NoeudDeSonGroupe { groupe, rang: 1, .. }] if groupe == "G01-education"
        ));
        assert!(
            notes[0]
                .texte(&s)
                .contains("son propre groupe G01-education")
        );
    }

    #[test]
    fn a_node_wish_follows_the_plan() {
        let s = exemple();
        let v = lire(&s, "elu;choix;rang\nE41;DIR-EDU;1\nE41;G05-culture;2\n");
        // In a plan where G05-culture leads DIR-EDU, both wishes name G05: rank 1 counts.
        let (r, notes) = resoudre(&s, &v, |_| Some("G05-culture".into()));
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].groupe.as_str(), r[0].rang), ("G05-culture", 1));
        assert_eq!(notes.len(), 1);
        // A node no group leads in the plan is no wish, and that is said.
        let (r, notes) = resoudre(&s, &v, |_| None);
        assert_eq!(r.len(), 1);
        assert!(matches!(
            &notes[..],
            [NoteVoeu::NoeudSansGroupe { rang: 1, .. }]
        ));
        assert_eq!(r[0].choix, "G05-culture");
    }
}
