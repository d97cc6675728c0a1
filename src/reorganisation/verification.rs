//! The independent checker: a plan's measures recomputed from the plan alone (never from the
//! solver's auxiliary variables), and every rule checked, each violation named by its family.

use super::donnees::Donnees;
use super::modele::Famille;
use crate::model::Monotonie;
use std::collections::BTreeSet;

/// A staged plan: `etapes[t][d]` is the DGA of direction `d` at stage `t` (stage 0 is today).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// DGA of each direction, per stage, today first.
    pub etapes: Vec<Vec<usize>>,
}

impl Plan {
    /// Today's organigramme at every stage (no move).
    pub fn immobile(d: &Donnees) -> Plan {
        let actuel: Vec<usize> = d.directions.iter().map(|x| x.initiale).collect();
        Plan {
            etapes: vec![actuel; d.nb_etapes() + 1],
        }
    }

    /// Directions that change DGA between stage `t − 1` and stage `t` (`t ≥ 1`).
    pub fn mouvements(&self, t: usize) -> Vec<usize> {
        (0..self.etapes[t].len())
            .filter(|&i| self.etapes[t][i] != self.etapes[t - 1][i])
            .collect()
    }

    /// Agents whose DGA changes at stage `t`.
    pub fn agents(&self, d: &Donnees, t: usize) -> f64 {
        self.mouvements(t)
            .iter()
            .map(|&i| d.directions[i].agents)
            .sum()
    }

    /// DGA open at stage `t` (holding at least one direction, or existing).
    pub fn ouvertes(&self, d: &Donnees, t: usize) -> BTreeSet<usize> {
        (0..d.dgas.len())
            .filter(|&k| d.dgas[k].priorite.is_none() || self.etapes[t].contains(&k))
            .collect()
    }
}

/// The coherence measures of one stage.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Mesures {
    /// (political group, DGA) pairs of interlocutors.
    pub interlocuteurs: f64,
    /// Extra DGA spanned by the priorities (0 when each is under one DGA).
    pub priorites: f64,
    /// Σ over open DGA of |directions − today's mean|.
    pub equilibre: f64,
    /// Functional links between directions under different DGA.
    pub liens: f64,
    /// Weighted sum (the path's objective at that stage).
    pub total: f64,
}

impl Mesures {
    /// The measures as `(name, value)`, in report order.
    pub fn liste(&self) -> [(&'static str, f64); 4] {
        [
            ("interlocuteurs", self.interlocuteurs),
            ("priorites", self.priorites),
            ("equilibre", self.equilibre),
            ("liens", self.liens),
        ]
    }
}

/// DGA each political group faces at a stage (`[g]` → sorted DGA).
pub fn interlocuteurs(d: &Donnees, etape: &[usize]) -> Vec<BTreeSet<usize>> {
    let mut out = vec![BTreeSet::new(); d.groupes.len()];
    for (i, dir) in d.directions.iter().enumerate() {
        for &g in &dir.groupes {
            out[g].insert(etape[i]);
        }
    }
    for (k, dga) in d.dgas.iter().enumerate() {
        for &g in &dga.groupes_fixes {
            out[g].insert(k);
        }
    }
    out
}

/// Measures of one stage.
pub fn mesurer(d: &Donnees, etape: &[usize]) -> Mesures {
    let p = &d.params;
    let interlocuteurs: f64 = interlocuteurs(d, etape)
        .iter()
        .map(|s| s.len() as f64)
        .sum();
    let priorites: f64 = d
        .priorites
        .iter()
        .filter(|pr| !pr.directions.is_empty())
        .map(|pr| {
            let s: BTreeSet<usize> = pr.directions.iter().map(|&i| etape[i]).collect();
            s.len() as f64 - 1.0
        })
        .sum();
    let mut equilibre = 0.0;
    for k in 0..d.dgas.len() {
        let n = etape.iter().filter(|&&x| x == k).count() as f64;
        if d.dgas[k].priorite.is_none() || n > 0.0 {
            equilibre += (n - d.cible).abs();
        }
    }
    let liens = d
        .liens
        .iter()
        .filter(|&&(a, b)| etape[a] != etape[b])
        .count() as f64;
    Mesures {
        interlocuteurs,
        priorites,
        equilibre,
        liens,
        total: p.poids_interlocuteurs * interlocuteurs
            + p.poids_priorites * priorites
            + p.poids_equilibre * equilibre
            + p.poids_liens * liens,
    }
}

/// The plan's objective: Σ over stages 1..T of the weighted measures (the area under the path:
/// coherence reached early counts at every later stage) plus the agents moved.
pub fn objectif(d: &Donnees, plan: &Plan) -> f64 {
    (1..plan.etapes.len())
        .map(|t| mesurer(d, &plan.etapes[t]).total + d.params.poids_agents * plan.agents(d, t))
        .sum()
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Family of the rule.
    pub famille: Famille,
    /// French detail.
    pub message: String,
}

const EPS: f64 = 1e-6;

/// Every rule the plan breaks (empty: the plan is valid). Recomputes everything from the plan.
pub fn verifier(d: &Donnees, plan: &Plan) -> Vec<Violation> {
    let mut v = Vec::new();
    let mut non = |famille: Famille, message: String| v.push(Violation { famille, message });
    let nd = d.directions.len();
    if plan.etapes.len() != d.nb_etapes() + 1 || plan.etapes.iter().any(|e| e.len() != nd) {
        non(Famille::UneDga, "le plan n'a pas la forme attendue".into());
        return v;
    }
    for (i, dir) in d.directions.iter().enumerate() {
        if plan.etapes[0][i] != dir.initiale {
            non(
                Famille::UneDga,
                format!("{} ne part pas de sa DGA d'aujourd'hui", dir.id),
            );
        }
        if plan.etapes.iter().any(|e| e[i] >= d.dgas.len()) {
            non(Famille::UneDga, format!("{} a une DGA inconnue", dir.id));
            return v;
        }
        let n = (1..plan.etapes.len())
            .filter(|&t| plan.etapes[t][i] != plan.etapes[t - 1][i])
            .count();
        if n > d.params.deplacements_max as usize {
            non(
                Famille::Deplacements,
                format!(
                    "{} change de DGA {n} fois (au plus {})",
                    dir.id, d.params.deplacements_max
                ),
            );
        }
    }
    let mut mandat = 0.0;
    let mut nouvelles_ouvertes = BTreeSet::new();
    for t in 1..plan.etapes.len() {
        let a = plan.agents(d, t);
        mandat += a;
        if a > d.cap_etape + EPS {
            non(
                Famille::CapEtape,
                format!(
                    "étape {t} : {a} agents changent de DGA (au plus {})",
                    d.cap_etape
                ),
            );
        }
        let ouvertes = plan.ouvertes(d, t);
        for k in nouvelles_ouvertes.iter() {
            if !ouvertes.contains(k) {
                non(
                    Famille::NouvellesDga,
                    format!(
                        "étape {t} : la DGA {} créée plus tôt est supprimée",
                        d.dgas[*k].id
                    ),
                );
            }
        }
        nouvelles_ouvertes.extend(
            ouvertes
                .iter()
                .copied()
                .filter(|&k| d.dgas[k].priorite.is_some()),
        );
        for &k in &ouvertes {
            let dirs: Vec<usize> = (0..nd).filter(|&i| plan.etapes[t][i] == k).collect();
            let n = dirs.len() as u32;
            let agents: f64 = dirs.iter().map(|&i| d.directions[i].agents).sum();
            let id = &d.dgas[k].id;
            if n < d.params.directions_min {
                non(
                    Famille::DirectionsMin,
                    format!(
                        "étape {t} : {id} a {n} direction(s) (au moins {})",
                        d.params.directions_min
                    ),
                );
            }
            if let Some(m) = d.params.directions_max
                && n > m
            {
                non(
                    Famille::DirectionsMax,
                    format!("étape {t} : {id} a {n} directions (au plus {m})"),
                );
            }
            if let Some(m) = d.params.effectif_min
                && agents < m - EPS
            {
                non(
                    Famille::EffectifMin,
                    format!("étape {t} : {id} compte {agents} agents (au moins {m})"),
                );
            }
            if let Some(m) = d.params.effectif_max
                && agents > m + EPS
            {
                non(
                    Famille::EffectifMax,
                    format!("étape {t} : {id} compte {agents} agents (au plus {m})"),
                );
            }
        }
        for vr in &d.verrous {
            if plan.etapes[t][vr.direction] != vr.dga {
                non(
                    Famille::Verrou,
                    format!(
                        "étape {t} : {} n'est pas sous {} (verrou)",
                        d.directions[vr.direction].id, d.dgas[vr.dga].id
                    ),
                );
            }
        }
        for l in 0..d.liens.len() {
            let (x, y) = d.liens[l];
            if d.lien_impose(l) && plan.etapes[t][x] != plan.etapes[t][y] {
                non(
                    Famille::LienFonctionnel,
                    format!(
                        "étape {t} : {} et {}, liées, sont séparées",
                        d.directions[x].id, d.directions[y].id
                    ),
                );
            }
        }
        let avant = mesurer(d, &plan.etapes[t - 1]);
        let apres = mesurer(d, &plan.etapes[t]);
        let pire = match d.params.monotonie {
            Monotonie::Objectif => apres.total > avant.total + EPS,
            Monotonie::ChaqueMesure => avant
                .liste()
                .iter()
                .zip(apres.liste())
                .any(|(a, b)| b.1 > a.1 + EPS),
        };
        if pire {
            non(
                Famille::Monotonie,
                format!(
                    "étape {t} : la cohérence se dégrade ({} → {})",
                    avant.total, apres.total
                ),
            );
        }
    }
    if nouvelles_ouvertes.len() > d.params.nouvelles_dga as usize {
        non(
            Famille::NouvellesDga,
            format!(
                "{} nouvelles DGA créées (au plus {})",
                nouvelles_ouvertes.len(),
                d.params.nouvelles_dga
            ),
        );
    }
    if let Some(m) = d.cap_mandat
        && mandat > m + EPS
    {
        non(
            Famille::CapMandat,
            format!("{mandat} agents changent de DGA sur le mandat (au plus {m})"),
        );
    }
    v
}
