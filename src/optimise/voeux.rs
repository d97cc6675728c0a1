//! Wishes against a plan: a wish naming a node (`voeux.csv`, `choix` = a node id) means « the
//! group that leads that node in the plan », so it is resolved after units are decided; two
//! wishes of one élu·e resolving to one group count once, at the better rank.
//!
//! In: the wishes as read ([`Voeu`], `groupe` resolved against the scenario as it stands) and
//! which group leads each node in the plan. Out: one wish per (élu·e, group), and what the
//! resolution decided, in [`NoteVoeu`]s the outputs print (« said plainly, not an error »).
//! `affecter` resolves against the units as they are; so does `optimiser --regrouper`, whose
//! wish stages ([`criteres`]) are solved before the units move ([`resoudre`] takes any plan's
//! leading groups, but the joint model does not yet re-resolve node wishes on its own units).

use crate::model::{NodeIx, RANG_SANS_VOEU, Scenario, Voeu};
use crate::optimise::{Cle, Donnees, ModeleGroupes, Plan, Sens, Violation};
use std::collections::BTreeMap;

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
/// first, lexicographically, exactly as `affecter` solves them (its [`lexicographique`] on the
/// same groups, members, sizes and rules), then kept as rows of the grouping model ahead of its
/// organigramme terms ([`lignes`]). The members' part of the grouping model is `affecter`'s
/// model: members choose among the same groups under the same sizes, locks and quartier rule,
/// and every link from a member to the units (`PerimetreMembre`) may be met by an appui
/// (`retrait_appui`, the default), so the wish optimum of the members alone is the wish optimum
/// of the whole model.
///
/// [`lexicographique`]: crate::optimise::affectation::lexicographique
#[derive(Debug, Clone, PartialEq)]
pub struct CriteresVoeux {
    /// Per member of [`Donnees::membres`]: the rank of each group (index in
    /// [`Donnees::groupes`]), for a member placed by wishes who made some; `None` otherwise.
    pub rangs: Vec<Option<Vec<u8>>>,
    /// The worst rank anyone who made wishes gets at the optimum (6 = a group not wished).
    pub pire: u8,
    /// Élu·es at rank ≤ r at the optimum, for r = 1…5 (index r − 1).
    pub cumul: [usize; 5],
    /// The wish stages' own assignment (member → group): a valid start for the grouping model.
    pub affectation: Vec<Option<usize>>,
    /// The stages, as `affecter` prints them.
    pub etapes: Vec<crate::optimise::affectation::Etape>,
    /// Every stage proved optimal.
    pub prouve: bool,
    /// What resolving the wishes on the current units decided.
    pub notes: Vec<NoteVoeu>,
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
    for (p, x) in inst.personnes.iter().enumerate() {
        let Some(i) = d.membres.iter().position(|m| m.elu == x.elu) else {
            continue;
        };
        affectation[i] = Some(sol.plan[p]);
        rangs[i] = (0..d.groupes.len())
            .map(|g| inst.rang(p, g))
            .collect::<Option<Vec<u8>>>();
    }
    Ok(CriteresVoeux {
        rangs,
        pire: crate::optimise::affectation::verification::pire(&sol.plan, &inst)
            .unwrap_or(RANG_SANS_VOEU),
        cumul,
        affectation,
        etapes: sol.etapes,
        prouve: sol.prouve,
        notes,
        instance: inst,
    })
}

/// Terms `Σ z[e,g]` over the (member, group) pairs at rank ≤ `r`.
fn termes(c: &CriteresVoeux, mg: &ModeleGroupes, r: u8, seul: Option<usize>) -> Vec<(usize, f64)> {
    let mut t = Vec::new();
    for (e, rangs) in c.rangs.iter().enumerate() {
        let Some(rangs) = rangs else { continue };
        if seul.is_some_and(|s| s != e) {
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

/// The wish criteria as rows of the grouping model, ahead of its organigramme terms: nobody
/// who made wishes beyond the worst rank of the optimum (`Voeux { elu, rang }`), and at least
/// as many élu·es at rank ≤ r as the optimum, for each r (`Voeux { elu: None, rang }`). With
/// the worst rank they say the profile is the lexicographic optimum: a plan meeting them is
/// rank-maximal (by induction on r, no count can exceed the optimum's).
pub fn lignes(d: &Donnees, mg: &mut ModeleGroupes) {
    let Some(c) = &d.voeux else { return };
    if c.pire < RANG_SANS_VOEU {
        for (e, r) in c.rangs.iter().enumerate() {
            if r.is_none() {
                continue;
            }
            let t = termes(c, mg, c.pire, Some(e));
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
        let t = termes(c, mg, r, None);
        mg.modele
            .contrainte(Cle::Voeux { elu: None, rang: r }, t, Sens::Ge, n as f64);
    }
}

/// Independent check of a plan against the wish criteria, recounted from the plan's members.
pub fn verifier(plan: &Plan, d: &Donnees) -> Vec<Violation> {
    let mut v = Vec::new();
    let Some(c) = &d.voeux else { return v };
    let rang = |e: usize| -> Option<u8> {
        let g = plan.membres.get(e).copied().flatten()?;
        c.rangs[e].as_ref().map(|r| r[g])
    };
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
    for (e, r) in c.rangs.iter().enumerate() {
        let (Some(r), Some(g)) = (r, plan.membres.get(e).copied().flatten()) else {
            continue;
        };
        n[usize::from(r[g]) - 1] += 1;
        pire = pire.max(r[g]);
    }
    let mut t = String::from(
        "\nVœux (voeux.csv), critères placés avant l'organigramme, résolus comme « collegia affecter » :\n",
    );
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
    // here (`collegia affecter --rangs-individuels` gives them).
    let _ = s;
    if !c.notes.is_empty() {
        t.push_str(&format!(
            "  {} remarque(s) sur des vœux par nœud (détail : collegia affecter --rangs-individuels).\n",
            c.notes.len()
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
