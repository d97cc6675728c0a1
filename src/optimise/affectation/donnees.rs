//! Scenario + wishes → [`Instance`]: the groups, who is fixed in them, who may move, what each
//! movable élu·e wished and the rules in force. Plain data, so that tests write tiny instances by
//! hand.
//!
//! Choices (documented in `docs/affectation.md`):
//! - **Groups**: every value of `groupe` in `elus.csv` with an adjoint·e neither de quartier nor
//!   maire délégué·e; the one of lowest rank leads it and stays.
//! - **Movable** (`Personne`): every conseiller·e délégué·e and adjoint·e de quartier, with or
//!   without a group today. Everyone else in a group (its leader, a second adjoint·e, a maire
//!   délégué·e…) is fixed there ([`Fixe`]) and counts for its size, sexes and components.
//! - **Ranks**: a group wished at rank r costs r; a group not wished costs 6
//!   ([`RANG_SANS_VOEU`]). An élu·e without any wish is indifferent: their rank does not count,
//!   only the rules and the fewest moves place them.

use crate::model::{Fonction, RANG_SANS_VOEU, Scenario, Sexe, Voeu};
use std::collections::BTreeSet;

/// A member who stays in their group (its leader, or anyone whose group is not chosen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixe {
    /// Identifier of the élu·e.
    pub id: String,
    /// Sex.
    pub sexe: Sexe,
    /// Component of the majority, if given.
    pub composante: Option<String>,
}

/// A group led by an adjoint·e.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groupe {
    /// Identifier (`groupe` column of `elus.csv`).
    pub id: String,
    /// Members who stay, its leader first.
    pub fixes: Vec<Fixe>,
}

/// An élu·e whose group is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Personne {
    /// Index in [`Scenario::elus`] (`usize::MAX` in hand-written instances).
    pub elu: usize,
    /// Identifier.
    pub id: String,
    /// "Prénom Nom".
    pub nom: String,
    /// Sex.
    pub sexe: Sexe,
    /// Component of the majority, if given.
    pub composante: Option<String>,
    /// Group today (index in [`Instance::groupes`]), if any.
    pub actuel: Option<usize>,
    /// An adjoint·e de quartier.
    pub quartier: bool,
    /// For an adjoint·e de quartier linked today to some group's thematic adjoint·e: the groups
    /// whose thematic adjoint·es pilot a node their délégations touch ([`crate::model::lien`]);
    /// `None` when the quartier rule puts no limit on them.
    pub lies: Option<Vec<usize>>,
    /// Wishes: (group index, rank 1–5), sorted by rank.
    pub voeux: Vec<(usize, u8)>,
}

/// Rules in force. The optional ones come from `[groupes]` of `scenario.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regles {
    /// Smallest group size, leader included.
    pub taille_min: u32,
    /// Largest group size, leader included.
    pub taille_max: u32,
    /// An adjoint·e de quartier linked to a thematic adjoint·e stays linked: they join a group
    /// whose thematic adjoint·e pilots a node one of their délégations touches (the one
    /// definition, [`crate::model::lien`]; never a new D010).
    pub quartier: bool,
    /// The fewest single-sex groups possible.
    pub parite: bool,
    /// The most (component, group) pairs possible.
    pub composantes: bool,
    /// The most groups a component may be present in.
    pub max_groupes_par_composante: Option<u32>,
    /// `taille_min` and `taille_max` were written in `[groupes]` (a declared size never
    /// yields); hand-built instances default to declared. An undeclared default size yields,
    /// group by group, when it cannot hold ([`super::lever_tailles`]).
    pub tailles_declarees: (bool, bool),
    /// Default sizes lifted on this input: `(TailleMin | TailleMax, group)`, said in the
    /// summary; their rows are not written and the checker skips them.
    pub tailles_levees: Vec<(super::Famille, usize)>,
}

impl Regles {
    /// True unless the size rule `f` of group `g` was lifted on this input.
    pub fn taille_en_vigueur(&self, f: super::Famille, g: usize) -> bool {
        !self.tailles_levees.contains(&(f, g))
    }
}

impl Default for Regles {
    fn default() -> Self {
        Regles {
            taille_min: 2,
            taille_max: 4,
            quartier: true,
            parite: false,
            composantes: false,
            max_groupes_par_composante: None,
            tailles_declarees: (true, true),
            tailles_levees: Vec::new(),
        }
    }
}

/// Everything the assignment needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// The groups, by id.
    pub groupes: Vec<Groupe>,
    /// The movable élu·es, in the order of `elus.csv`.
    pub personnes: Vec<Personne>,
    /// The rules.
    pub regles: Regles,
    /// What was left aside (French), e.g. a wish for a group without leader.
    pub avertissements: Vec<String>,
    /// What resolving the wishes decided: node wishes, wishes merged (printed).
    pub notes_voeux: Vec<crate::optimise::voeux::NoteVoeu>,
}

impl Instance {
    /// Builds the instance of a scenario and its wishes; the units are fixed, so a node wish
    /// means the group that leads the node today ([`crate::optimise::voeux`]).
    pub fn depuis_scenario(s: &Scenario, voeux: &[Voeu]) -> Instance {
        let (voeux, notes_voeux) = crate::optimise::voeux::resoudre_en_l_etat(s, voeux);
        let voeux = &voeux[..];
        let g = &s.params.groupes;
        let regles = Regles {
            taille_min: g.taille_min,
            taille_max: g.taille_max,
            quartier: true,
            parite: g.parite,
            composantes: g.composantes,
            max_groupes_par_composante: g.max_groupes_par_composante,
            tailles_declarees: (g.taille_min_declaree, g.taille_max_declaree),
            tailles_levees: Vec::new(),
        };
        let menes = crate::model::groupes_menes(s);
        let ids: Vec<String> = menes.iter().cloned().collect();
        let index = |id: &str| ids.iter().position(|g| g == id);
        let mobile = |e: usize| crate::model::est_mobile(s, e);
        let mut avertissements = Vec::new();
        let mut groupes: Vec<Groupe> = ids
            .iter()
            .map(|id| Groupe {
                id: id.clone(),
                fixes: Vec::new(),
            })
            .collect();
        for (gi, grp) in groupes.iter_mut().enumerate() {
            let mut membres: Vec<usize> = (0..s.elus.len())
                .filter(|&e| s.elus[e].groupe.as_deref() == Some(ids[gi].as_str()))
                .filter(|&e| !mobile(e))
                .collect();
            // The leader (lowest-ranked adjoint·e able to lead) first.
            let chef = membres
                .iter()
                .copied()
                .filter(|&e| {
                    let x = &s.elus[e];
                    x.fonction == Fonction::Adjoint
                        && x.quartier.is_none()
                        && x.commune_deleguee.is_none()
                })
                .min_by_key(|&e| (s.elus[e].rang.unwrap_or(u32::MAX), e));
            if let Some(c) = chef {
                membres.retain(|&e| e != c);
                membres.insert(0, c);
            }
            grp.fixes = membres
                .iter()
                .map(|&e| Fixe {
                    id: s.elus[e].id.clone(),
                    sexe: s.elus[e].sexe,
                    composante: s.elus[e].composante.clone(),
                })
                .collect();
        }
        let mut personnes = Vec::new();
        for (e, elu) in s.elus.iter().enumerate() {
            if !mobile(e) {
                continue;
            }
            let actuel = elu.groupe.as_deref().and_then(index);
            if let (Some(g), None) = (&elu.groupe, actuel) {
                avertissements.push(format!(
                    "{} est dans le groupe {g}, qu'aucun·e adjoint·e n'anime : son groupe actuel est ignoré",
                    elu.id
                ));
            }
            let mut v: Vec<(usize, u8)> = voeux
                .iter()
                .filter(|v| v.elu == e)
                .filter_map(|v| index(&v.groupe).map(|g| (g, v.rang)))
                .collect();
            v.sort_by_key(|&(g, r)| (r, g));
            personnes.push(Personne {
                elu: e,
                id: elu.id.clone(),
                nom: elu.nom_complet(),
                sexe: elu.sexe,
                composante: elu.composante.clone(),
                actuel,
                quartier: elu.est_adjoint_quartier(),
                lies: crate::model::groupes_lies(s, e, &ids),
                voeux: v,
            });
        }
        Instance {
            groupes,
            personnes,
            regles,
            avertissements,
            notes_voeux,
        }
    }

    /// Rank of group `g` for person `p`: `None` when `p` made no wish (indifferent), else the
    /// wish's rank, or [`RANG_SANS_VOEU`] for a group not wished.
    pub fn rang(&self, p: usize, g: usize) -> Option<u8> {
        let v = &self.personnes[p].voeux;
        if v.is_empty() {
            return None;
        }
        Some(
            v.iter()
                .find(|&&(h, _)| h == g)
                .map_or(RANG_SANS_VOEU, |&(_, r)| r),
        )
    }

    /// True when the quartier rule (if in force) lets `p` join `g`.
    pub fn permis(&self, p: usize, g: usize) -> bool {
        !(self.regles.quartier
            && self.personnes[p]
                .lies
                .as_ref()
                .is_some_and(|l| !l.contains(&g)))
    }

    /// The components present among fixed members and movable élu·es, sorted.
    pub fn composantes(&self) -> Vec<String> {
        let mut c: BTreeSet<String> = BTreeSet::new();
        for g in &self.groupes {
            c.extend(g.fixes.iter().filter_map(|f| f.composante.clone()));
        }
        c.extend(self.personnes.iter().filter_map(|p| p.composante.clone()));
        c.into_iter().collect()
    }

    /// Number of fixed members of `g` of sex `s`.
    pub fn fixes_de_sexe(&self, g: usize, s: Sexe) -> usize {
        self.groupes[g].fixes.iter().filter(|f| f.sexe == s).count()
    }

    /// Number of fixed members of `g` of component `c`.
    pub fn fixes_de_composante(&self, g: usize, c: &str) -> usize {
        self.groupes[g]
            .fixes
            .iter()
            .filter(|f| f.composante.as_deref() == Some(c))
            .count()
    }
}
