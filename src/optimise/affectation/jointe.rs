//! « Why not better » in the joint model (`optimiser --regrouper` with `voeux.csv`,
//! `--rangs-individuels`), as `affecter` explains its own plan ([`super::raison`]): for each
//! élu·e placed by wishes, the rank the plan gives them and, for their best wish above it, the
//! rule of the solved model that keeps them out: the wished group is not in their domain (a
//! fixing of the model: the quartier rule, a lock), it is full (its `TailleMax` row, with the
//! élu·es who hold its seats and ranked it as high or higher), or moving them there alone breaks
//! a row (their own group at `TailleMin`, a quartier link `LienQuartier`, a perimeter…), found by
//! the grouping model's own checker ([`crate::optimise::verify`]) on the plan with that one move.
//! A reason is printed only when its key is a row or a fixing of the model that was solved: no
//! reason the model did not use.
//!
//! A node wish names the group that leads its node in the plan ([`voeux::groupe_du_voeu`]).

use crate::model::{RANG_SANS_VOEU, Scenario};
use crate::optimise::voeux::{self, CriteresVoeux, rang_plan};
use crate::optimise::{Cle, Donnees, Modele, Plan, Violation, verify};

/// The wish an explanation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voeu {
    /// The group it names in the plan (index in [`Donnees::groupes`]).
    pub groupe: usize,
    /// Its rank.
    pub rang: u8,
    /// The node it names, when it names one (as written).
    pub noeud: Option<String>,
}

/// Why an élu·e did not get a better-ranked group in the joint plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raison {
    /// Got their first wish.
    PremierVoeu,
    /// The wished group is outside their domain in the model (a fixing: quartier rule, lock).
    Interdit {
        /// The wish.
        voeu: Voeu,
        /// The fixing's key.
        cle: Cle,
    },
    /// The wished group is at `taille_max` (its `TailleMax` row binds).
    Complet {
        /// The wish.
        voeu: Voeu,
        /// Size of the group, its leader included.
        taille: usize,
        /// Members there placed by wishes at the wished rank or better (the competing élu·es).
        avant: Vec<usize>,
    },
    /// Moving them there alone breaks this row of the model.
    Regle {
        /// The wish.
        voeu: Voeu,
        /// The row and how it breaks.
        violation: Violation,
    },
    /// No row forbids the move alone: not kept by the optimum found (proved or not).
    Arbitrage {
        /// The wish.
        voeu: Voeu,
    },
}

/// One élu·e placed by wishes: member index, rank obtained, reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangJoint {
    /// Index in [`Donnees::membres`].
    pub membre: usize,
    /// Rank obtained (6: a group not wished).
    pub rang: u8,
    /// Why not better.
    pub raison: Raison,
}

/// The wishes of member `e` better than rank `r`, best first (rank, then line), each with the
/// group it names in `plan`.
fn meilleurs(
    c: &CriteresVoeux,
    d: &Donnees,
    plan: &Plan,
    e: usize,
    r: u8,
) -> Vec<(u8, usize, Voeu)> {
    let mut v = Vec::new();
    let Some(rangs) = c.rangs[e].as_ref() else {
        return v;
    };
    // Group wishes (and node wishes resolved on the input): their line, for the order.
    for w in c.voeux.iter().filter(|w| w.elu == d.membres[e].elu) {
        if w.rang >= r || c.noeuds[e].iter().any(|n| n.ligne == w.ligne) {
            continue;
        }
        // A node wish outside the model's units names the group leading it in the input.
        if let Some(g) = rangs
            .iter()
            .enumerate()
            .find(|&(g, &k)| k == w.rang && d.groupes[g].id == w.groupe)
            .map(|(g, _)| g)
        {
            v.push((
                w.rang,
                w.ligne,
                Voeu {
                    groupe: g,
                    rang: w.rang,
                    noeud: w.noeud.map(|_| w.choix.clone()),
                },
            ));
        }
    }
    for w in c.noeuds[e].iter().filter(|w| w.rang < r) {
        if let Some(g) = voeux::groupe_du_voeu(d, plan, e, w) {
            v.push((
                w.rang,
                w.ligne,
                Voeu {
                    groupe: g,
                    rang: w.rang,
                    noeud: Some(w.choix.clone()),
                },
            ));
        }
    }
    v.sort_by_key(|(r, l, _)| (*r, *l));
    v
}

/// Each élu·e placed by wishes, in member order: their rank in `plan` and why not better, from
/// the rows of `modele` (the model that was solved).
pub fn expliquer(d: &Donnees, plan: &Plan, modele: &Modele) -> Vec<RangJoint> {
    let Some(c) = &d.voeux else {
        return Vec::new();
    };
    let mut cles = modele.cles();
    cles.extend(modele.fixations.iter().cloned());
    let mut out = Vec::new();
    for e in 0..d.membres.len() {
        let Some(r) = rang_plan(c, plan, e) else {
            continue;
        };
        let raison = match meilleurs(c, d, plan, e, r).into_iter().next() {
            None => Raison::PremierVoeu,
            Some((_, _, voeu)) => pourquoi(d, c, plan, e, voeu, &cles),
        };
        out.push(RangJoint {
            membre: e,
            rang: r,
            raison,
        });
    }
    out
}

/// Why member `e` is not in the group of `voeu`: the plan with that one move, checked by the
/// model's checker; a full group first, then a fixing, then the first row broken.
fn pourquoi(
    d: &Donnees,
    c: &CriteresVoeux,
    plan: &Plan,
    e: usize,
    voeu: Voeu,
    cles: &std::collections::BTreeSet<Cle>,
) -> Raison {
    let h = voeu.groupe;
    let mut membres = plan.membres.clone();
    membres[e] = Some(h);
    let essai = Plan::avec_retraits(d, plan.unites.clone(), membres);
    let violations: Vec<Violation> = verify(&essai, d)
        .into_iter()
        .filter(|v| cles.contains(&v.cle))
        .collect();
    let plein = Cle::TailleMax {
        groupe: d.groupes[h].id.clone(),
    };
    if violations.iter().any(|v| v.cle == plein) {
        let taille = 1 + plan.membres.iter().filter(|&&g| g == Some(h)).count();
        let avant = (0..d.membres.len())
            .filter(|&q| q != e && plan.membres[q] == Some(h))
            .filter(|&q| rang_plan(c, plan, q).is_some_and(|x| x <= voeu.rang))
            .collect();
        return Raison::Complet {
            voeu,
            taille,
            avant,
        };
    }
    let fixation = |k: &Cle| {
        matches!(
            k,
            Cle::AdjointQuartier { .. } | Cle::VerrouElu { .. } | Cle::GroupeFixe { .. }
        )
    };
    if let Some(v) = violations.iter().find(|v| fixation(&v.cle)) {
        return Raison::Interdit {
            voeu,
            cle: v.cle.clone(),
        };
    }
    match violations.into_iter().next() {
        Some(violation) => Raison::Regle { voeu, violation },
        None => Raison::Arbitrage { voeu },
    }
}

fn rang_texte(r: u8) -> String {
    if r == RANG_SANS_VOEU {
        "hors vœux (6)".into()
    } else {
        format!("vœu n° {r}")
    }
}

fn nom(s: &Scenario, d: &Donnees, e: usize) -> String {
    s.elus
        .get(d.membres[e].elu)
        .map_or_else(|| d.membres[e].id.clone(), |x| x.nom_complet())
}

/// « son vœu n° R, G » and, for a node wish, what it named.
fn voeu_texte(d: &Donnees, v: &Voeu) -> (String, String) {
    let g = &d.groupes[v.groupe].id;
    let tete = format!("son vœu n° {}, {g}", v.rang);
    let queue = match &v.noeud {
        Some(n) => format!(" (vœu « {n} » : {g} pilote {n} dans ce plan)"),
        None => String::new(),
    };
    (tete, queue)
}

/// Why not better, in one French sentence (the wording of `collegia affecter`).
pub fn raison_texte(s: &Scenario, d: &Donnees, c: &CriteresVoeux, x: &RangJoint) -> String {
    match &x.raison {
        Raison::PremierVoeu => "premier vœu obtenu".into(),
        Raison::Interdit { voeu, cle } => {
            let (t, q) = voeu_texte(d, voeu);
            format!(
                "{t}, est exclu par la règle « {} »{q}",
                cle.famille().libelle()
            )
        }
        Raison::Complet {
            voeu,
            taille,
            avant,
        } => {
            let (t, q) = voeu_texte(d, voeu);
            if avant.is_empty() {
                format!(
                    "{t}, est complet ({taille} membres) ; l'y placer ferait reculer d'autres élu·es dans le classement global{q}"
                )
            } else {
                let noms: Vec<String> = avant.iter().map(|&q| nom(s, d, q)).collect();
                let liste = match noms.len() {
                    1 => noms[0].clone(),
                    n => format!("{} et {}", noms[..n - 1].join(", "), noms[n - 1]),
                };
                format!(
                    "{t}, est complet ({taille} membres) avec {} qui l'{} classé au rang {} ou mieux ({liste}){q}",
                    if avant.len() == 1 {
                        "une personne".to_string()
                    } else {
                        format!("{} personnes", avant.len())
                    },
                    if avant.len() == 1 { "a" } else { "ont" },
                    voeu.rang
                )
            }
        }
        Raison::Regle { voeu, violation } => {
            let (t, q) = voeu_texte(d, voeu);
            format!(
                "{t}, enfreindrait la règle « {} » : {}{q}",
                violation.cle.famille().libelle(),
                violation.message
            )
        }
        Raison::Arbitrage { voeu } => {
            let (t, q) = voeu_texte(d, voeu);
            format!(
                "{t}, n'a pas été retenu par le meilleur classement trouvé ({}){q}",
                if c.prouve {
                    "aucune règle ne l'interdit à elle seule"
                } else {
                    "optimalité non prouvée"
                }
            )
        }
    }
}

/// Each élu·e's rank and reason, for the summary (`--rangs-individuels`), with the notes of the
/// node wishes resolved on the plan.
pub fn texte(s: &Scenario, d: &Donnees, plan: &Plan, x: &[RangJoint]) -> String {
    use std::fmt::Write as _;
    let Some(c) = &d.voeux else {
        return String::new();
    };
    let mut t = String::new();
    let notes = voeux::notes_plan(s, d, plan);
    if !notes.is_empty() {
        let _ = writeln!(
            t,
            "\nVœux lus (un nœud vaut le groupe qui le pilote dans le plan) :"
        );
        for n in &notes {
            let _ = writeln!(t, "  {}.", n.texte(s));
        }
    }
    let _ = writeln!(
        t,
        "\nPar élu·e placé·e selon ses vœux (groupe actuel → groupe proposé, rang, raison) :"
    );
    let gid = |g: Option<usize>| g.map_or("—".to_string(), |g| d.groupes[g].id.clone());
    for r in x {
        let m = &d.membres[r.membre];
        let _ = writeln!(
            t,
            "  {} {} : {} → {}, {} — {}.",
            m.id,
            nom(s, d, r.membre),
            gid(m.actuel),
            gid(plan.membres[r.membre]),
            rang_texte(r.rang),
            raison_texte(s, d, c, r)
        );
    }
    t
}

/// `affectation.csv` of the proposal (`--rangs-individuels` only): the columns of
/// `collegia affecter --rangs-individuels` (elu, nom, sexe, composante, groupe_actuel, groupe,
/// rang, raison), one row per élu·e placed by wishes.
pub fn affectation_csv(s: &Scenario, d: &Donnees, plan: &Plan, x: &[RangJoint]) -> Vec<u8> {
    let mut w = crate::report::csv_francais::EcrivainCsv::new();
    w.ligne([
        "elu",
        "nom",
        "sexe",
        "composante",
        "groupe_actuel",
        "groupe",
        "rang",
        "raison",
    ]);
    let Some(c) = &d.voeux else {
        return w.octets();
    };
    let gid = |g: Option<usize>| g.map(|g| d.groupes[g].id.clone()).unwrap_or_default();
    for r in x {
        let m = &d.membres[r.membre];
        let elu = s.elus.get(m.elu);
        w.ligne([
            m.id.clone(),
            nom(s, d, r.membre),
            elu.map(|x| x.sexe.code().to_string()).unwrap_or_default(),
            elu.and_then(|x| x.composante.clone()).unwrap_or_default(),
            gid(m.actuel),
            gid(plan.membres[r.membre]),
            r.rang.to_string(),
            raison_texte(s, d, c, r),
        ]);
    }
    w.octets()
}
