//! Wishes against a plan: a wish naming a node (`voeux.csv`, `choix` = a node id) means « the
//! group that leads that node in the plan », so it is resolved after units are decided; two
//! wishes of one élu·e resolving to one group count once, at the better rank.
//!
//! In: the wishes as read ([`Voeu`], `groupe` resolved against the scenario as it stands) and
//! which group leads each node in the plan. Out: one wish per (élu·e, group), and what the
//! resolution decided, in [`NoteVoeu`]s the outputs print (« said plainly, not an error »).
//! `affecter` resolves against the units as they are; `optimiser --regrouper` against the
//! units it decides.

use crate::model::{NodeIx, Scenario, Voeu};
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
