//! `collegia reorganiser` (issue 29): which directions sit under which DGA — existing ones, or
//! a few new ones for the majority's priorities — reached in stages, one per séminaire, so that
//! no stage moves more agents than the services can absorb and no stage is less coherent than
//! the one before.
//!
//! ```text
//!  Scenario + [reorganisation] ──► Donnees ──► construire ──► Modele ──► lp::resoudre
//!                                     │                        └──► lp::export (--exporter-modele)
//!                                     ▼
//!                 verifier(plan), mesurer(stage) ◄── plan (solver, or today's organigramme)
//! ```
//!
//! - [`donnees`]: directions, DGA (existing and candidate new ones), priorities resolved
//!   through the domain table, links, locks, stage dates.
//! - [`modele`]: the keys ([`Cle`]) and the model, one function per family of rules.
//! - [`verification`]: the independent checker and the measures, recomputed from the plan.
//!
//! The solver never has the last word: its plan is re-checked by [`verifier`] before use. An
//! infeasible model comes back as data ([`Infaisabilite`], the families and rules in conflict,
//! found by [`crate::lp::conflit`]).

pub mod donnees;
pub mod modele;
pub mod verification;

pub use donnees::{Dga, Direction, Domaines, Donnees, PREFIXE_NOUVELLE_DGA, PrioriteR};
pub use modele::{
    Cle, Exclusions, Famille, Modele, ModeleReorg, candidates_interchangeables, canonique,
    construire, construire_avec, permuter,
};
pub use verification::{Mesures, Plan, Violation, interlocuteurs, mesurer, objectif, verifier};

use crate::lp::{EchecSolveur, Options, Statut, resoudre};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// A solved staged plan.
#[derive(Debug, Clone)]
pub struct Resultat {
    /// The plan (verified).
    pub plan: Plan,
    /// How good it is known to be.
    pub statut: Statut,
    /// Objective of the plan ([`objectif`]), recomputed from the plan.
    pub objectif: f64,
    /// Measures of each stage, today first.
    pub mesures: Vec<Mesures>,
    /// The model solved (for `--exporter-modele`): the path model (final state fixed) of the
    /// two-phase solve, or the whole multi-period model when it fell back to it.
    pub modele: Modele,
    /// True when [`Resultat::modele`] is the whole multi-period model (the two-phase solve
    /// fell back to it), false when it is the path model.
    pub modele_complet: bool,
    /// The final-state model (phase 1) of the two-phase solve, when it was built.
    pub modele_etat_final: Option<Modele>,
    /// Wall-clock time of the whole call (never in a report).
    pub duree: Duration,
}

/// Why no plan (the one diagnosis type of the LP layer).
pub type Echec = crate::lp::Echec<Famille, Cle>;

/// Diagnosis of an infeasible model (the one diagnosis type of the LP layer).
pub type Infaisabilite = crate::lp::Infaisabilite<Famille, Cle>;

/// Solves the staged plan with the data's caps.
pub fn reorganiser(d: &Donnees, o: &Options) -> Result<Resultat, Echec> {
    resoudre_avec(d, o, None)
}

/// How many final states the two-phase solve tries (each later one with the earlier ones set
/// aside) before it settles for the best path using some of the last one's moves.
const ESSAIS_ETAT_FINAL: usize = 2;

/// Solves with a per-stage cap `cap_etape` (the front), `None` = the data's.
///
/// Two phases, lexicographic (see docs/reorganisation.md, « Le modèle »):
/// 1. **the final state**: the one-stage model ([`donnees_cible`]: the whole plan's cap,
///    directions larger than the per-stage cap kept where they are) gives the final
///    organigramme of least weighted measure plus agents moved;
/// 2. **the path**: the multi-period model with that final state fixed
///    ([`construire_avec`]) orders the moves over the stages (caps, bounds at each stage,
///    monotone path), least area under the path.
///
/// A final state that no valid path reaches is set aside by a no-good row ([`Cle::Ecarte`])
/// and phase 1 solved again. After `ESSAIS_ETAT_FINAL` (2) such states, or when the path model
/// gives no solution in half the time left, the path model keeps
/// each direction under today's DGA or its last final one without requiring the move (always
/// feasible when today's organigramme is valid): the plan is then a fallback, not proved.
/// When phase 1 gives no final state at all, the whole multi-period model is solved as before
/// (`resoudre_complet`).
pub fn resoudre_avec(d: &Donnees, o: &Options, cap_etape: Option<f64>) -> Result<Resultat, Echec> {
    let debut = Instant::now();
    let mut dd = d.clone();
    if let Some(c) = cap_etape {
        dd.cap_etape = c;
    }
    let nt = dd.nb_etapes();
    if nt == 0 {
        return resoudre_complet(d, o, cap_etape, debut, None);
    }
    let reste = |debut: Instant| (o.limite_temps - debut.elapsed().as_secs_f64()).max(0.1);
    let cd = donnees_cible(&dd);
    let immobile1 = Plan::immobile(&cd);
    let mut ecartes: Vec<Vec<usize>> = Vec::new();
    let mut dernier_m1 = None;
    for essai in 0..ESSAIS_ETAT_FINAL {
        // Phase 1: the final state.
        let mut m1 = construire(&cd, &Exclusions::default(), None);
        for (n, f) in ecartes.iter().enumerate() {
            m1.ecarter(&cd, f, n + 1);
        }
        // Warm start: today's organigramme improved by local search (the search proves; a
        // good first plan lets it prune from the start).
        let depart = (essai == 0 && verifier(&cd, &immobile1).is_empty()).then(|| {
            // The symmetry rows want the candidates in their canonical order.
            canonique(
                &cd,
                &Plan {
                    etapes: vec![
                        immobile1.etapes[0].clone(),
                        descente(&cd, &immobile1.etapes[1]),
                    ],
                },
            )
        });
        let initial = depart.as_ref().map(|p| m1.valeurs(&cd, p));
        let o1 = Options {
            limite_temps: reste(debut) / 2.0,
            ..*o
        };
        dernier_m1 = Some(m1.modele.clone());
        let (f, statut1) = match resoudre(&m1.modele, initial.as_deref(), &o1, true) {
            Ok(s) => (m1.plan(&cd, &s.valeurs).etapes[1].clone(), s.statut),
            Err(EchecSolveur::Infaisable) if essai == 0 => {
                // No final state at all: the whole model is infeasible too (phase 1 only
                // drops rules of the intermediate stages).
                return Err(Echec::Infaisable(diagnostiquer(d, o, cap_etape)));
            }
            // No solution from the solver in its time (a large city: its LP root alone can
            // take it), but the local search's final state is valid: the path goes there,
            // labelled a fallback.
            Err(e) => match &depart {
                Some(p) if p.etapes[1] != immobile1.etapes[1] => (
                    p.etapes[1].clone(),
                    Statut::Repli {
                        raison: format!("{} ; l'état final de la recherche locale", e.raison()),
                    },
                ),
                _ => break,
            },
        };
        // Phase 2: the path to it (on the last try, to as many of its moves as fit).
        let dernier = essai + 1 == ESSAIS_ETAT_FINAL;
        let chemin = |fixe: bool| {
            let m2 = construire_avec(&dd, &Exclusions::default(), cap_etape, Some((&f, fixe)));
            let glouton = ordonnancer(&dd, &f);
            let glouton = ((!fixe || glouton.etapes[nt] == f)
                && verifier(&dd, &glouton).is_empty())
            .then_some(glouton);
            let initial = glouton.as_ref().map(|p| m2.valeurs(&dd, p));
            // The fixed path gets half of what is left: the path to part of the moves, its
            // fallback, needs time too.
            let o2 = Options {
                limite_temps: if fixe {
                    reste(debut) / 2.0
                } else {
                    reste(debut)
                },
                ..*o
            };
            let r = match resoudre(&m2.modele, initial.as_deref(), &o2, true) {
                Ok(s) => Ok((m2.plan(&dd, &s.valeurs), s.statut)),
                Err(EchecSolveur::Infaisable) => Err(true),
                Err(e) => match glouton {
                    Some(p) => Ok((
                        p,
                        Statut::Repli {
                            raison: format!(
                                "{} ; l'état final, échelonné sous les plafonds",
                                e.raison()
                            ),
                        },
                    )),
                    None => Err(false),
                },
            };
            (r, m2.modele)
        };
        let (r, m2) = match chemin(true) {
            (Err(true), _) if !dernier => {
                ecartes.push(f);
                continue;
            }
            (Err(infaisable), _) => match chemin(false) {
                (Ok((plan, _)), m) => {
                    let raison = if infaisable {
                        format!(
                            "aucun chemin valide n'atteint l'état final de la première phase ({ESSAIS_ETAT_FINAL} essais) ; le plan fait, au mieux, ceux de ses changements de DGA que les règles permettent"
                        )
                    } else {
                        "pas de chemin complet vers l'état final de la première phase dans le temps imparti ; le plan fait ceux de ses changements de DGA que les règles permettent".into()
                    };
                    (Ok((plan, Statut::Repli { raison })), m)
                }
                autre => autre,
            },
            autre => autre,
        };
        let Ok((plan, statut2)) = r else { break };
        // The status says how far the final state (phase 1) is from proved, else how far the
        // path (phase 2, whose objective is the plan's) is.
        let statut = match (statut1, &statut2) {
            (_, Statut::Repli { .. }) | (Statut::Optimal, _) => statut2,
            (s @ Statut::Repli { .. }, _) => s,
            (s, _) => avec_borne(s, None),
        };
        return fini(d, &dd, plan, statut, (m2, true), Some(m1.modele), debut);
    }
    // The whole model needs time of its own (its warm start solves a one-stage model too):
    // with less than a quarter of the limit left, today's organigramme is the answer.
    if reste(debut) < o.limite_temps / 4.0 && verifier(&dd, &Plan::immobile(d)).is_empty() {
        let m = construire(d, &Exclusions::default(), cap_etape).modele;
        return fini(
            d,
            &dd,
            Plan::immobile(d),
            Statut::Repli {
                raison: format!(
                    "{} ; l'organigramme d'aujourd'hui",
                    EchecSolveur::LimiteTemps.raison()
                ),
            },
            (m, false),
            dernier_m1,
            debut,
        );
    }
    resoudre_complet(d, o, cap_etape, debut, dernier_m1)
}

/// The same status with its bound replaced (`None`: the gap stands as the solver gave it).
fn avec_borne(s: Statut, b: Option<f64>) -> Statut {
    match s {
        Statut::LimiteTemps { ecart, .. } => Statut::LimiteTemps { borne: b, ecart },
        Statut::LimiteNoeuds { ecart, .. } => Statut::LimiteNoeuds { borne: b, ecart },
        Statut::EcartAtteint { ecart, .. } => Statut::EcartAtteint { borne: b, ecart },
        Statut::Interrompu { ecart, .. } => Statut::Interrompu { borne: b, ecart },
        s => s,
    }
}

/// The plan with its interchangeable candidate new DGA renamed (the same permutation at every
/// stage, so the same measures and the same verdict of the checker) so that the documented
/// ids hold: `DGA-NOUV-<p>` holds the directions of priority `p` when a candidate gathers them.
/// Candidates are matched to the priorities whose directions they hold most (ties: lower
/// candidate, then lower priority); the others keep the remaining ids in index order.
pub fn nommer_candidates(d: &Donnees, plan: &Plan) -> Plan {
    let ks = candidates_interchangeables(d);
    let Some(fin) = plan.etapes.last() else {
        return plan.clone();
    };
    let mut paires: Vec<(usize, usize, usize)> = Vec::new();
    for &k in &ks {
        for (q, pr) in d.priorites.iter().enumerate() {
            let Some(kq) = ks.iter().copied().find(|&x| d.dgas[x].priorite == Some(q)) else {
                continue;
            };
            let n = pr.directions.iter().filter(|&&i| fin[i] == k).count();
            if n > 0 {
                paires.push((n, k, kq));
            }
        }
    }
    paires.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut de, mut vers) = (Vec::new(), Vec::new());
    for (_, k, kq) in paires {
        if !de.contains(&k) && !vers.contains(&kq) {
            de.push(k);
            vers.push(kq);
        }
    }
    let libres: Vec<usize> = ks.iter().copied().filter(|k| !vers.contains(k)).collect();
    let restes: Vec<usize> = ks.iter().copied().filter(|k| !de.contains(k)).collect();
    // Used candidates first, so that they take the lower free ids.
    let (mut utilisees, vides): (Vec<usize>, Vec<usize>) =
        restes.into_iter().partition(|&k| fin.contains(&k));
    utilisees.extend(vides);
    de.extend(utilisees);
    vers.extend(libres);
    permuter(plan, &de, &vers)
}

/// A plan checked, measured and labelled: the result, or the checker's first objection.
fn fini(
    d: &Donnees,
    dd: &Donnees,
    plan: Plan,
    statut: Statut,
    (modele, chemin): (Modele, bool),
    modele_etat_final: Option<Modele>,
    debut: Instant,
) -> Result<Resultat, Echec> {
    let plan = nommer_candidates(d, &plan);
    if let Some(v) = verifier(dd, &plan).first() {
        return Err(Echec::Solveur(format!(
            "le plan rendu par le solveur enfreint une règle ({}) : {}",
            v.famille.libelle(),
            v.message
        )));
    }
    let obj = objectif(d, &plan);
    let statut = statut.ecart_pour(obj);
    Ok(Resultat {
        modele_complet: !chemin,
        mesures: plan.etapes.iter().map(|e| mesurer(d, e)).collect(),
        objectif: obj,
        plan,
        statut,
        modele,
        modele_etat_final,
        duree: debut.elapsed(),
    })
}

/// The whole multi-period model in one solve (every stage free), warm-started by
/// [`echelonner`]: the fallback of the two-phase solve.
fn resoudre_complet(
    d: &Donnees,
    o: &Options,
    cap_etape: Option<f64>,
    debut: Instant,
    modele_etat_final: Option<Modele>,
) -> Result<Resultat, Echec> {
    let mr = construire(d, &Exclusions::default(), cap_etape);
    let mut dd = d.clone();
    if let Some(c) = cap_etape {
        dd.cap_etape = c;
    }
    let immobile = if verifier(&dd, &Plan::immobile(d)).is_empty() {
        echelonner(&dd, o)
    } else {
        Plan::immobile(d)
    };
    let repli_valide = verifier(&dd, &immobile).is_empty();
    let initial = repli_valide.then(|| mr.valeurs(d, &canonique(d, &immobile)));
    // The main solve gets what is left of the time limit: `--limite-temps` bounds the whole
    // search, the warm start's included.
    let principal = Options {
        limite_temps: (o.limite_temps - debut.elapsed().as_secs_f64()).max(0.1),
        ..*o
    };
    match resoudre(&mr.modele, initial.as_deref(), &principal, true) {
        Ok(s) => {
            let plan = mr.plan(d, &s.valeurs);
            // A search stopped before its proof never proposes worse than standing still.
            let plan = if s.statut != Statut::Optimal
                && repli_valide
                && objectif(d, &immobile) < objectif(d, &plan) - 1e-9
            {
                immobile
            } else {
                plan
            };
            fini(
                d,
                &dd,
                plan,
                s.statut,
                (mr.modele, false),
                modele_etat_final,
                debut,
            )
        }
        Err(EchecSolveur::Infaisable) => Err(Echec::Infaisable(diagnostiquer(d, o, cap_etape))),
        Err(e) if repli_valide => fini(
            d,
            &dd,
            immobile,
            Statut::Repli {
                raison: format!(
                    "{} ; la cible à une étape, échelonnée sous les plafonds",
                    e.raison()
                ),
            },
            (mr.modele, false),
            modele_etat_final,
            debut,
        ),
        Err(e) => Err(Echec::Solveur(e.raison())),
    }
}

/// Classes of directions tied by imposed links (they move together), each sorted.
fn classes_liees(d: &Donnees) -> Vec<Vec<usize>> {
    let nd = d.directions.len();
    let mut classe: Vec<usize> = (0..nd).collect();
    fn racine(c: &mut [usize], i: usize) -> usize {
        if c[i] != i {
            let r = racine(c, c[i]);
            c[i] = r;
        }
        c[i]
    }
    for l in (0..d.liens.len()).filter(|&l| d.lien_impose(l)) {
        let (a, b) = d.liens[l];
        let (ra, rb) = (racine(&mut classe, a), racine(&mut classe, b));
        classe[ra] = rb;
    }
    let mut paquets: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..nd {
        let r = racine(&mut classe, i);
        paquets.entry(r).or_default().push(i);
    }
    paquets.into_values().collect()
}

/// Local search on a one-stage plan (phase 1's data), from `depart` and from a few other
/// deterministic starts (each priority gathered under its candidate new DGA, or under the DGA
/// of its first direction): the best plan found. Each descent takes, as long as one improves
/// the objective and the plan stays valid, the best of these moves: one class of linked
/// directions ([`classes_liees`]) to another DGA; all the directions of one political group,
/// or of one priority, to one DGA; and when none of them improves, the best swap of two
/// classes between their DGA. Deterministic (classes, groups and DGA in index order, ties kept
/// first).
fn descente(d: &Donnees, depart: &[usize]) -> Vec<usize> {
    let initial: Vec<usize> = d.directions.iter().map(|x| x.initiale).collect();
    let un = |e: &[usize]| Plan {
        etapes: vec![initial.clone(), e.to_vec()],
    };
    if d.nb_etapes() != 1 || !verifier(d, &un(depart)).is_empty() {
        return depart.to_vec();
    }
    let classes = classes_liees(d);
    let classe_de = |i: usize| {
        classes
            .iter()
            .position(|c| c.contains(&i))
            .expect("every direction has a class")
    };
    // Sets of classes moved together to one DGA: each class, each group's, each priority's.
    let mut ensembles: Vec<Vec<usize>> = (0..classes.len()).map(|c| vec![c]).collect();
    let mut autres: Vec<Vec<usize>> = Vec::new();
    for g in 0..d.groupes.len() {
        autres.push(
            (0..d.directions.len())
                .filter(|&i| d.directions[i].groupes.contains(&g))
                .map(classe_de)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        );
    }
    for pr in &d.priorites {
        autres.push(
            pr.directions
                .iter()
                .map(|&i| classe_de(i))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        );
    }
    for e in autres {
        if e.len() > 1 && !ensembles.contains(&e) {
            ensembles.push(e);
        }
    }
    let descendre = |depart: Vec<usize>| -> (f64, Vec<usize>) {
        let mut cur = depart;
        let mut valeur = objectif(d, &un(&cur));
        loop {
            let mut meilleur: Option<(f64, Vec<usize>)> = None;
            let essayer = |essai: Vec<usize>, meilleur: &mut Option<(f64, Vec<usize>)>| {
                let v = objectif(d, &un(&essai));
                if v < valeur - 1e-9
                    && meilleur.as_ref().is_none_or(|(m, _)| v < *m - 1e-12)
                    && verifier(d, &un(&essai)).is_empty()
                {
                    *meilleur = Some((v, essai));
                }
            };
            for e in &ensembles {
                for k in 0..d.dgas.len() {
                    if e.iter().all(|&c| classes[c].iter().all(|&i| cur[i] == k)) {
                        continue;
                    }
                    let mut essai = cur.clone();
                    for &c in e {
                        for &i in &classes[c] {
                            essai[i] = k;
                        }
                    }
                    essayer(essai, &mut meilleur);
                }
            }
            if meilleur.is_none() {
                for (x, cx) in classes.iter().enumerate() {
                    for cy in &classes[x + 1..] {
                        let (kx, ky) = (cur[cx[0]], cur[cy[0]]);
                        if kx == ky {
                            continue;
                        }
                        let mut essai = cur.clone();
                        for &i in cx {
                            essai[i] = ky;
                        }
                        for &i in cy {
                            essai[i] = kx;
                        }
                        essayer(essai, &mut meilleur);
                    }
                }
            }
            match meilleur {
                Some((v, p)) => {
                    valeur = v;
                    cur = p;
                }
                None => return (valeur, cur),
            }
        }
    };
    // Starts: `depart`, then each priority gathered under its candidate new DGA, then under
    // the DGA of its first direction (starts the checker refuses are skipped).
    let mut departs = vec![depart.to_vec()];
    for candidate in [true, false] {
        let mut e = depart.to_vec();
        for (q, pr) in d.priorites.iter().enumerate() {
            let k = if candidate {
                d.dgas.iter().position(|k| k.priorite == Some(q))
            } else {
                pr.directions.first().map(|&i| depart[i])
            };
            if let Some(k) = k {
                for &i in &pr.directions {
                    for &j in &classes[classe_de(i)] {
                        e[j] = k;
                    }
                }
            }
        }
        if !departs.contains(&e) && verifier(d, &un(&e)).is_empty() {
            departs.push(e);
        }
    }
    let mut meilleur: Option<(f64, Vec<usize>)> = None;
    for e in departs {
        let (v, e) = descendre(e);
        if meilleur.as_ref().is_none_or(|(m, _)| v < *m - 1e-12) {
            meilleur = Some((v, e));
        }
    }
    meilleur.map_or_else(|| depart.to_vec(), |(_, e)| e)
}

/// The one-stage data of phase 1: the whole plan's cap (`min(agents_mandat, étapes ×
/// agents_par_etape)`) on its one stage, and the directions larger than the per-stage cap
/// locked under today's DGA (they can never move).
pub fn donnees_cible(d: &Donnees) -> Donnees {
    let nt = d.nb_etapes();
    let mut cible = d.clone();
    cible.dates.truncate(1);
    let total = d.cap_etape * nt as f64;
    cible.cap_etape = d.cap_mandat.map_or(total, |m| m.min(total));
    cible.cap_mandat = None;
    for (i, dir) in d.directions.iter().enumerate() {
        if dir.agents > d.cap_etape + 1e-9 && !cible.verrous.iter().any(|v| v.direction == i) {
            cible.verrous.push(donnees::Verrou {
                direction: i,
                dga: dir.initiale,
                ligne: None,
            });
        }
    }
    cible
}

/// A good valid plan found fast, used as the warm start and the fallback (never as an answer
/// of its own: the exact model gets the last word when it finds better). Two steps:
/// 1. the target: the one-stage model (exact, small) with the whole plan's cap
///    (`min(agents_mandat, étapes × agents_par_etape)`), directions larger than the per-stage
///    cap kept where they are;
/// 2. the schedule: stage by stage, the moves towards the target (linked directions that must
///    move together as one move) added greedily, best improvement first, as long as the stage
///    stays valid for [`verifier`] (cap, bounds, monotone path).
///
/// Returns today's organigramme at every stage when nothing better is found.
pub fn echelonner(d: &Donnees, o: &Options) -> Plan {
    if d.nb_etapes() == 0 {
        return Plan::immobile(d);
    }
    // 1. Target.
    let cible = donnees_cible(d);
    let mr = construire(&cible, &Exclusions::default(), None);
    let o1 = Options {
        limite_temps: (o.limite_temps / 4.0).max(0.5),
        ..*o
    };
    let Ok(s) = resoudre(&mr.modele, None, &o1, true) else {
        return Plan::immobile(d);
    };
    let but = mr.plan(&cible, &s.valeurs).etapes[1].clone();
    let plan = ordonnancer(d, &but);
    if verifier(d, &plan).is_empty() && objectif(d, &plan) < objectif(d, &Plan::immobile(d)) {
        plan
    } else {
        Plan::immobile(d)
    }
}

/// The greedy schedule towards a final state `but`: stage by stage, the moves added best
/// improvement per agent first, as long as the stage stays valid (cap, bounds, monotone path).
/// A move is a class of directions tied by imposed links (`classes_liees`). When no single
/// move keeps the stage valid or improves it — a move that worsens the coherence on its own
/// and needs a partner, a new DGA that needs `directions_min` directions at once — bundles of
/// moves are tried in the same stage: every pair of moves, all the moves towards one DGA, all
/// the moves of one priority. The plan may stop short of `but`. Deterministic (moves in index
/// order, ties kept first).
pub fn ordonnancer(d: &Donnees, but: &[usize]) -> Plan {
    let mut plan = Plan::immobile(d);
    let nt = d.nb_etapes();
    let mut restants: Vec<Vec<usize>> = classes_liees(d)
        .into_iter()
        .map(|c| {
            c.into_iter()
                .filter(|&i| but[i] != d.directions[i].initiale)
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
        .collect();
    for t in 1..=nt {
        plan.etapes[t] = plan.etapes[t - 1].clone();
        while !restants.is_empty() {
            let base = mesurer(d, &plan.etapes[t]).total;
            // Score of a bundle of moves (indices into `restants`): gain per agent moved, when
            // the stage stays valid with it.
            let score = |js: &[usize]| -> Option<f64> {
                let mut essai = plan.clone();
                let mut agents = 0.0;
                for &j in js {
                    for &i in &restants[j] {
                        agents += d.directions[i].agents;
                        for e in essai.etapes.iter_mut().skip(t) {
                            e[i] = but[i];
                        }
                    }
                }
                if !etape_valide(d, &essai, t) {
                    return None;
                }
                Some((base - mesurer(d, &essai.etapes[t]).total) / f64::max(agents, 1.0))
            };
            let mut meilleur: Option<(f64, Vec<usize>)> = None;
            let garder = |meilleur: &mut Option<(f64, Vec<usize>)>, s: Option<f64>, js| {
                if let Some(s) = s
                    && meilleur.as_ref().is_none_or(|(m, _)| s > *m + 1e-12)
                {
                    *meilleur = Some((s, js));
                }
            };
            for j in 0..restants.len() {
                garder(&mut meilleur, score(&[j]), vec![j]);
            }
            if meilleur.as_ref().is_none_or(|(s, _)| *s <= 1e-12) {
                // Bundles: all the moves towards one DGA, all the moves of one priority, then
                // every pair.
                let mut paquets: Vec<Vec<usize>> = Vec::new();
                for k in 0..d.dgas.len() {
                    paquets.push(
                        (0..restants.len())
                            .filter(|&j| restants[j].iter().any(|&i| but[i] == k))
                            .collect(),
                    );
                }
                for pr in &d.priorites {
                    paquets.push(
                        (0..restants.len())
                            .filter(|&j| restants[j].iter().any(|i| pr.directions.contains(i)))
                            .collect(),
                    );
                }
                for j in 0..restants.len() {
                    for l in j + 1..restants.len() {
                        paquets.push(vec![j, l]);
                    }
                }
                let mut vus = BTreeSet::new();
                for p in paquets {
                    if p.len() >= 2 && vus.insert(p.clone()) {
                        garder(&mut meilleur, score(&p), p);
                    }
                }
            }
            let Some((_, js)) = meilleur else { break };
            for &j in &js {
                for &i in &restants[j] {
                    for e in plan.etapes.iter_mut().skip(t) {
                        e[i] = but[i];
                    }
                }
            }
            let mut j = 0;
            restants.retain(|_| {
                j += 1;
                !js.contains(&(j - 1))
            });
        }
    }
    plan
}

/// Stage `t` of a plan built by [`ordonnancer`] (moves from today's DGA to a target that
/// respects locks and links) against the rules the schedule can break: the caps, the bounds
/// of the open DGA, the monotone path.
fn etape_valide(d: &Donnees, plan: &Plan, t: usize) -> bool {
    let eps = 1e-6;
    if plan.agents(d, t) > d.cap_etape + eps {
        return false;
    }
    if let Some(m) = d.cap_mandat
        && (1..=t).map(|u| plan.agents(d, u)).sum::<f64>() > m + eps
    {
        return false;
    }
    let p = &d.params;
    for k in plan.ouvertes(d, t) {
        let (mut n, mut c) = (0u32, 0.0);
        for (i, dir) in d.directions.iter().enumerate() {
            if plan.etapes[t][i] == k {
                n += 1;
                c += dir.agents;
            }
        }
        if n < p.directions_min
            || p.directions_max.is_some_and(|m| n > m)
            || p.effectif_min.is_some_and(|m| c < m - eps)
            || p.effectif_max.is_some_and(|m| c > m + eps)
        {
            return false;
        }
    }
    let (a, b) = (mesurer(d, &plan.etapes[t - 1]), mesurer(d, &plan.etapes[t]));
    match p.monotonie {
        crate::model::Monotonie::Objectif => b.total <= a.total + eps,
        crate::model::Monotonie::ChaqueMesure => a
            .liste()
            .iter()
            .zip(b.liste())
            .all(|(x, y)| y.1 <= x.1 + eps),
    }
}

fn faisable(d: &Donnees, ex: &Exclusions, o: &Options, cap: Option<f64>) -> Option<bool> {
    let mr = construire(d, ex, cap);
    match resoudre(&mr.modele, None, o, false) {
        Ok(_) => Some(true),
        Err(EchecSolveur::Infaisable) => Some(false),
        Err(_) => None,
    }
}

/// Which families, then which rules, cannot hold together ([`crate::lp::conflit`]).
pub fn diagnostiquer(d: &Donnees, o: &Options, cap: Option<f64>) -> Infaisabilite {
    let debut = Instant::now();
    let budget = Duration::from_secs_f64(o.limite_temps.max(1.0));
    let o = Options {
        limite_temps: (o.limite_temps / 4.0).max(1.0),
        ..*o
    };
    let sans = |fs: &[Famille]| Exclusions {
        familles: fs.iter().copied().collect(),
        cles: BTreeSet::new(),
    };
    let r = crate::lp::relaxer_familles(&Famille::RELAXABLES, true, debut, budget, |fs| {
        faisable(d, &sans(fs), &o, cap)
    });
    let mut complet = r.complet;
    let candidats: Vec<Cle> = construire(d, &Exclusions::default(), cap)
        .modele
        .cles()
        .into_iter()
        .filter(|c| r.familles.contains(&c.famille()))
        .collect();
    let (cles, fini) = crate::lp::filtre_de_suppression(candidats, 400, debut, budget, |ex| {
        let e = Exclusions {
            familles: BTreeSet::new(),
            cles: ex.clone(),
        };
        faisable(d, &e, &o, cap)
    });
    complet &= fini;
    Infaisabilite {
        familles: r.familles,
        cles,
        complet,
    }
}

/// One point of the front between the pace of change and the final coherence.
#[derive(Debug, Clone, PartialEq)]
pub struct PointFront {
    /// Share of `agents_par_etape` allowed (0–1).
    pub part: f64,
    /// Per-stage cap used.
    pub cap_etape: f64,
    /// The plan, or why none.
    pub resultat: Result<(Plan, Statut), String>,
    /// Final stage's measures.
    pub final_: Option<Mesures>,
    /// Agents moved over the plan.
    pub agents: f64,
}

/// The front: the plan solved with a quarter, half, three quarters and all of the per-stage
/// cap. A slower pace reaches less coherence by the last stage.
pub fn front(d: &Donnees, o: &Options) -> Vec<PointFront> {
    [0.25, 0.5, 0.75, 1.0]
        .iter()
        .map(|&part| {
            let cap = (d.cap_etape * part).floor();
            match resoudre_avec(d, o, Some(cap)) {
                Ok(r) => PointFront {
                    part,
                    cap_etape: cap,
                    final_: r.mesures.last().copied(),
                    agents: (1..r.plan.etapes.len()).map(|t| r.plan.agents(d, t)).sum(),
                    resultat: Ok((r.plan, r.statut)),
                },
                Err(Echec::Infaisable(_)) => PointFront {
                    part,
                    cap_etape: cap,
                    resultat: Err("aucun plan ne respecte les règles à ce rythme".into()),
                    final_: None,
                    agents: 0.0,
                },
                Err(Echec::Solveur(e)) => PointFront {
                    part,
                    cap_etape: cap,
                    resultat: Err(e),
                    final_: None,
                    agents: 0.0,
                },
            }
        })
        .collect()
}

/// Why direction `i` moves at stage `t`: the measures its move alone improves, in French.
pub fn raison(d: &Donnees, plan: &Plan, t: usize, i: usize) -> String {
    let avant = &plan.etapes[t - 1];
    let mut seul = avant.clone();
    seul[i] = plan.etapes[t][i];
    let a = mesurer(d, avant);
    let b = mesurer(d, &seul);
    let mut r = Vec::new();
    let k = plan.etapes[t][i];
    for (q, pr) in d.priorites.iter().enumerate() {
        if pr.directions.contains(&i) {
            let n = |e: &[usize]| {
                pr.directions
                    .iter()
                    .map(|&x| e[x])
                    .collect::<BTreeSet<_>>()
                    .len()
            };
            if n(&seul) < n(avant) || d.dgas[k].priorite == Some(q) {
                r.push(format!("rassemble la priorité « {} »", pr.nom));
            }
        }
    }
    if b.interlocuteurs < a.interlocuteurs {
        let ia = interlocuteurs(d, avant);
        let ib = interlocuteurs(d, &seul);
        let gs: Vec<&str> = (0..d.groupes.len())
            .filter(|&g| ib[g].len() < ia[g].len())
            .map(|g| d.groupes[g].as_str())
            .collect();
        r.push(format!(
            "réduit le nombre de DGA interlocutrices de {}",
            gs.join(", ")
        ));
    }
    if b.liens < a.liens {
        r.push("rapproche des directions liées par un rattachement secondaire".into());
    }
    if b.equilibre < a.equilibre {
        r.push("équilibre le nombre de directions par DGA".into());
    }
    if r.is_empty() {
        let liees: Vec<&str> = d
            .liens
            .iter()
            .filter_map(|&(x, y)| {
                (x == i && plan.etapes[t][y] == k && avant[y] != k)
                    .then_some(y)
                    .or((y == i && plan.etapes[t][x] == k && avant[x] != k).then_some(x))
            })
            .map(|j| d.directions[j].id.as_str())
            .collect();
        if liees.is_empty() {
            r.push("effet conjoint avec les autres mouvements de l'étape".into());
        } else {
            r.push(format!(
                "suit {} (rattachement secondaire), avec qui elle fait système",
                liees.join(", ")
            ));
        }
    }
    r.join(" ; ")
}

/// What became of each priority by the last stage: its DGA, or why it is still split.
pub fn bilan_priorites(d: &Donnees, plan: &Plan) -> Vec<String> {
    let fin = plan.etapes.last().expect("stage 0 always exists");
    let mut out = Vec::new();
    for pr in &d.priorites {
        if pr.directions.is_empty() {
            out.push(format!("« {} » : aucune direction désignée", pr.nom));
            continue;
        }
        let dgas: BTreeSet<usize> = pr.directions.iter().map(|&i| fin[i]).collect();
        if dgas.len() == 1 {
            let k = *dgas.iter().next().expect("one");
            // The first stage from which it stays under its final DGA.
            let t = (0..plan.etapes.len())
                .find(|&t| {
                    plan.etapes[t..]
                        .iter()
                        .all(|e| pr.directions.iter().all(|&i| e[i] == k))
                })
                .unwrap_or(0);
            out.push(format!(
                "« {} » : rassemblée sous {} ({}){}",
                pr.nom,
                d.dgas[k].id,
                d.dgas[k].libelle,
                if t == 0 {
                    " dès aujourd'hui".to_string()
                } else {
                    format!(" à l'étape {t}")
                }
            ));
            continue;
        }
        // The fewest agents that would gather it under one DGA, and what stops it.
        let mut meilleur: Option<(f64, usize)> = None;
        for k in 0..d.dgas.len() {
            let bloque = pr
                .directions
                .iter()
                .any(|&i| d.verrous.iter().any(|v| v.direction == i && v.dga != k));
            if bloque {
                continue;
            }
            let agents: f64 = pr
                .directions
                .iter()
                .filter(|&&i| d.directions[i].initiale != k)
                .map(|&i| d.directions[i].agents)
                .sum();
            if meilleur.is_none_or(|(a, _)| agents < a) {
                meilleur = Some((agents, k));
            }
        }
        let pourquoi = match meilleur {
            None => "des verrous gardent ses directions sous des DGA différentes".to_string(),
            Some((agents, k)) => {
                let plafond = d.cap_etape * d.nb_etapes() as f64;
                let plus_grande = pr
                    .directions
                    .iter()
                    .filter(|&&i| d.directions[i].initiale != k)
                    .map(|&i| d.directions[i].agents)
                    .fold(0.0, f64::max);
                if plus_grande > d.cap_etape {
                    format!(
                        "la rassembler sous {} déplacerait une direction de {} agents, plus que le plafond par étape ({})",
                        d.dgas[k].id,
                        crate::report::format::nombre(plus_grande, 1),
                        crate::report::format::nombre(d.cap_etape, 0)
                    )
                } else if agents > plafond || d.cap_mandat.is_some_and(|m| agents > m) {
                    format!(
                        "la rassembler sous {} déplacerait au moins {} agents, plus que les plafonds (par étape × étapes, ou sur le mandat) ne le permettent",
                        d.dgas[k].id,
                        crate::report::format::nombre(agents, 1)
                    )
                } else {
                    format!(
                        "la rassembler (au moins {} agents, sous {}) coûterait plus qu'elle ne rapporte avec les poids choisis (interlocuteurs, liens, équilibre, plafonds partagés avec les autres mouvements, monotonie) : augmentez poids_priorites ou ajoutez un verrou",
                        crate::report::format::nombre(agents, 1),
                        d.dgas[k].id
                    )
                }
            }
        };
        out.push(format!(
            "« {} » : encore répartie sur {} DGA ({}) — {pourquoi}",
            pr.nom,
            dgas.len(),
            dgas.iter()
                .map(|&k| d.dgas[k].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests;
