//! The keys of the grouping model: each row of [`Modele`] (an [`crate::lp::Probleme`]) carries the
//! [`Cle`] of the rule it encodes, and each key its [`Famille`]: diagnoses and reports use the
//! key, never the solver's row numbers. The LP layer ([`crate::lp`]) solves the model and writes
//! it as CPLEX LP text for `--exporter-modele`, rows named by [`NomLp`].

use crate::lp::{NomLp, Probleme};
pub use crate::lp::{Sens, nom_lp};

/// The grouping model: an LP problem whose rows are keyed by [`Cle`].
pub type Modele = Probleme<Cle>;

/// Family of rules a key belongs to; infeasibility diagnoses relax whole families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Famille {
    /// Every unit is led by exactly one group.
    UnPiloteParUnite,
    /// Every non-transversal group leads at least one unit.
    UneUniteParGroupe,
    /// A transversal group keeps only the units it leads today.
    AxeTransversal,
    /// A member's pilote perimeter lies inside their group's.
    PerimetreMembre,
    /// Without `--regrouper` (or for non-mobile members), groups are those of `elus.csv`.
    GroupeFixe,
    /// Every member belongs to exactly one group.
    MembreUnique,
    /// An adjoint·e de quartier stays linked to a thematic adjoint·e (`model::quartier`).
    AdjointQuartier,
    /// Group size at least `taille_min`.
    TailleMin,
    /// Group size at most `taille_max`.
    TailleMax,
    /// Locks of `verrous.csv`.
    Verrou,
    /// Linking of unit choices to the DGA a group spans (objective support, never relaxed).
    Dispersion,
    /// Linearised deviation of each group's load from the mean (objective support).
    Equilibre,
    /// Functional links between units led by different groups (objective support).
    Liens,
    /// A group keeps its cœur: the units its own adjoint·e pilots in the input.
    Coeur,
    /// Bounds of the front of compromises (ε-constraint): structure and agents affected.
    Compromis,
    /// The wishes of `voeux.csv`, solved first (`optimise::voeux`), kept ahead of the
    /// organigramme terms.
    Voeux,
}

impl Famille {
    /// Families an infeasibility diagnosis may relax (the others define the objective or the
    /// very decision).
    pub const RELAXABLES: [Famille; 9] = [
        Famille::Verrou,
        Famille::Coeur,
        Famille::PerimetreMembre,
        Famille::GroupeFixe,
        Famille::AdjointQuartier,
        Famille::TailleMin,
        Famille::TailleMax,
        Famille::UneUniteParGroupe,
        Famille::AxeTransversal,
    ];

    /// French name of the rule family.
    pub fn libelle(self) -> &'static str {
        match self {
            Famille::UnPiloteParUnite => "chaque unité est pilotée par un seul groupe",
            Famille::UneUniteParGroupe => "chaque groupe thématique pilote au moins une unité",
            Famille::AxeTransversal => {
                "un groupe transversal ne garde que les unités qu'il pilote déjà"
            }
            Famille::PerimetreMembre => {
                "le périmètre piloté par un·e conseiller·e délégué·e est dans celui de son groupe"
            }
            Famille::GroupeFixe => "les groupes sont ceux de elus.csv (sans --regrouper)",
            Famille::MembreUnique => "chaque conseiller·e délégué·e appartient à un seul groupe",
            Famille::AdjointQuartier => {
                "chaque adjoint·e de quartier reste lié·e à un groupe thématique"
            }
            Famille::TailleMin => "taille minimale des groupes (taille_min)",
            Famille::TailleMax => "taille maximale des groupes (taille_max)",
            Famille::Verrou => "verrous de verrous.csv",
            Famille::Dispersion => "pôles (DGA) couverts par chaque groupe",
            Famille::Equilibre => "écart de charge de chaque groupe à la moyenne",
            Famille::Liens => "rattachements secondaires entre unités de groupes différents",
            Famille::Coeur => {
                "chaque groupe garde son cœur : les unités que son adjoint·e pilote aujourd'hui"
            }
            Famille::Compromis => "bornes du front de compromis (structure, agents concernés)",
            Famille::Voeux => "vœux de voeux.csv : pire rang, puis le plus d'élu·es à chaque rang",
        }
    }
}

/// Key of one constraint (or of one variable fixing done before building): the rule it encodes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cle {
    /// `Σ_g x[u,g] = 1`.
    UnPiloteParUnite {
        /// Unit id.
        unite: String,
    },
    /// `Σ_u x[u,g] ≥ 1`.
    UneUniteParGroupe {
        /// Group id.
        groupe: String,
    },
    /// `x[u,g]` does not exist: transversal group `g` did not lead `u`.
    AxeTransversal {
        /// Unit id.
        unite: String,
        /// Group id.
        groupe: String,
    },
    /// `z[e,g] ≤ x[u,g]` (or `x[u,g] = 1` when `e`'s group is known before solving).
    PerimetreMembre {
        /// Member's id.
        elu: String,
        /// Unit id.
        unite: String,
        /// Group id.
        groupe: String,
    },
    /// `x[u,g] − z[e,g] − r[e,u] ≤ 0`: if `g` leads `u` and the member who pilots inside `u` is
    /// not in `g`, their délégation there becomes an appui. Implied by [`Cle::PerimetreMembre`]
    /// for whole plans; written because it tightens the LP relaxation (`regles/perimetre_membre.rs`).
    RetraitHorsGroupe {
        /// Member's id.
        elu: String,
        /// Unit id.
        unite: String,
        /// Group id.
        groupe: String,
    },
    /// `z[e,g] = 1` for the group of `elus.csv`.
    GroupeFixe {
        /// Member's id.
        elu: String,
    },
    /// `Σ_g z[e,g] = 1`.
    MembreUnique {
        /// Member's id.
        elu: String,
    },
    /// `z[e,g]` does not exist for a group `g` the adjoint·e de quartier `e` would not be linked
    /// to (`model::quartier`).
    AdjointQuartier {
        /// Member's id.
        elu: String,
    },
    /// `1 + Σ_e z[e,g] ≥ taille_min`.
    TailleMin {
        /// Group id.
        groupe: String,
    },
    /// `1 + Σ_e z[e,g] ≤ taille_max`.
    TailleMax {
        /// Group id.
        groupe: String,
    },
    /// `x[u,g] = 1` from `verrous.csv`.
    VerrouUnite {
        /// Line in `verrous.csv`.
        ligne: usize,
        /// Unit id.
        unite: String,
        /// Group id.
        groupe: String,
    },
    /// `z[e,g] = 1` from `verrous.csv`.
    VerrouElu {
        /// Line in `verrous.csv`.
        ligne: usize,
        /// Member's id.
        elu: String,
        /// Group id.
        groupe: String,
    },
    /// `x[u,g] ≤ y[g,d]`, `d` the DGA of `u`.
    DgaTouchee {
        /// Group id.
        groupe: String,
        /// DGA id.
        dga: String,
        /// Unit id.
        unite: String,
    },
    /// `Σ_d y[g,d] ≥ 1`: a valid inequality (a group leading a unit spans a DGA) that lifts
    /// the LP bound.
    UnPoleAuMoins {
        /// Group id.
        groupe: String,
    },
    /// `Σ_u (c_u/m) x[u,g] − e_g ≤ 1`.
    EcartHaut {
        /// Group id.
        groupe: String,
    },
    /// `−Σ_u (c_u/m) x[u,g] − e_g ≤ −1`.
    EcartBas {
        /// Group id.
        groupe: String,
    },
    /// `Σ_{u ∈ d} (c_u/m) x[u,g] − min(1, A_gd) y[g,d] − e_g ≤ 0`: the load a group takes from
    /// one pôle fits in one mean plus its deviation, and only if it spans that pôle. Implied by
    /// [`Cle::DgaTouchee`] and [`Cle::EcartHaut`] for whole plans; written because it tightens
    /// the LP relaxation (coupes.rs).
    CapacitePole {
        /// Group id.
        groupe: String,
        /// DGA id.
        dga: String,
    },
    /// `Σ_{u ∈ T(e)} x[u,g] ≥ 1`: the adjoint·e de quartier `e` of group `g` keeps a délégation
    /// touching a unit their group leads (no new D010).
    LienQuartier {
        /// Member's id.
        elu: String,
        /// Group id.
        groupe: String,
    },
    /// `Σ y + Σ l ≤ s`: the structure (pôles spanned by thematic groups, plus functional links
    /// across groups) of a point of the front of compromises is at most `s`.
    BorneStructure,
    /// `Σ_u c_u (1 − x[u,a(u)]) ≤ a`: the agents whose chain of command changes are at most `a`.
    BorneAgents,
    /// The wish optimum (`optimise::voeux`): with `elu`, `Σ_{g: rang(e,g) ≤ rang} z[e,g] = 1`
    /// (nobody beyond the worst rank); without, `Σ_{e,g: rang(e,g) ≤ rang} z[e,g] ≥ n` (at
    /// least the optimum's count at rank `rang` or better).
    Voeux {
        /// Member's id, for the worst-rank row.
        elu: Option<String>,
        /// Rank.
        rang: u8,
    },
    /// `x[u,g] = 1`: `u` is in the cœur of `g` (its adjoint·e pilots it in the input).
    Coeur {
        /// Unit id.
        unite: String,
        /// Group id.
        groupe: String,
    },
    /// `x[a,g] − x[b,g] − l_ab ≤ 0`: `l_ab = 1` when the linked units `a` and `b` are led by
    /// different groups.
    LienSecondaire {
        /// Unit holding the node with the link.
        unite: String,
        /// Unit holding the linked node.
        liee: String,
        /// Group id.
        groupe: String,
    },
}

impl Cle {
    /// The family of the rule.
    pub fn famille(&self) -> Famille {
        match self {
            Cle::UnPiloteParUnite { .. } => Famille::UnPiloteParUnite,
            Cle::UneUniteParGroupe { .. } => Famille::UneUniteParGroupe,
            Cle::AxeTransversal { .. } => Famille::AxeTransversal,
            Cle::PerimetreMembre { .. } | Cle::RetraitHorsGroupe { .. } => Famille::PerimetreMembre,
            Cle::GroupeFixe { .. } => Famille::GroupeFixe,
            Cle::MembreUnique { .. } => Famille::MembreUnique,
            Cle::AdjointQuartier { .. } => Famille::AdjointQuartier,
            Cle::TailleMin { .. } => Famille::TailleMin,
            Cle::TailleMax { .. } => Famille::TailleMax,
            Cle::VerrouUnite { .. } | Cle::VerrouElu { .. } => Famille::Verrou,
            Cle::DgaTouchee { .. } | Cle::UnPoleAuMoins { .. } => Famille::Dispersion,
            Cle::EcartHaut { .. } | Cle::EcartBas { .. } | Cle::CapacitePole { .. } => {
                Famille::Equilibre
            }
            Cle::LienSecondaire { .. } => Famille::Liens,
            Cle::Coeur { .. } => Famille::Coeur,
            Cle::LienQuartier { .. } => Famille::AdjointQuartier,
            Cle::BorneStructure | Cle::BorneAgents => Famille::Compromis,
            Cle::Voeux { .. } => Famille::Voeux,
        }
    }

    /// French description of this very rule.
    pub fn decrire(&self) -> String {
        match self {
            Cle::UnPiloteParUnite { unite } => {
                format!("l'unité {unite} a un et un seul groupe pilote")
            }
            Cle::UneUniteParGroupe { groupe } => {
                format!("le groupe {groupe} pilote au moins une unité")
            }
            Cle::AxeTransversal { unite, groupe } => format!(
                "le groupe transversal {groupe} ne peut pas prendre l'unité {unite}, qu'il ne pilote pas aujourd'hui"
            ),
            Cle::PerimetreMembre { elu, unite, groupe } => format!(
                "{elu} pilote dans l'unité {unite} : si {elu} est dans le groupe {groupe}, {unite} doit être pilotée par {groupe}"
            ),
            Cle::RetraitHorsGroupe { elu, unite, groupe } => format!(
                "si {groupe} pilote l'unité {unite} et que {elu}, qui y pilote, n'est pas dans {groupe}, la délégation de {elu} dans {unite} passe en appui"
            ),
            Cle::GroupeFixe { elu } => format!("{elu} reste dans son groupe de elus.csv"),
            Cle::Voeux {
                elu: Some(elu),
                rang,
            } => format!("{elu} obtient un groupe de rang {rang} ou mieux dans ses vœux"),
            Cle::Voeux { elu: None, rang } => format!(
                "autant d'élu·es qu'à l'optimum des vœux obtiennent leur vœu n° {rang} ou mieux"
            ),
            Cle::BorneStructure => "structure du point du front au plus égale à sa borne".into(),
            Cle::BorneAgents => {
                "agents dont la chaîne hiérarchique change au plus égaux à leur borne".into()
            }
            Cle::LienQuartier { elu, groupe } => format!(
                "{elu}, adjoint·e de quartier, garde une délégation dans une unité pilotée par son groupe {groupe} (lien avec l'adjoint·e thématique, D010)"
            ),
            Cle::Coeur { unite, groupe } => format!(
                "l'unité {unite} est au cœur du groupe {groupe} (son adjoint·e la pilote aujourd'hui) : elle y reste"
            ),
            Cle::MembreUnique { elu } => format!("{elu} appartient à un et un seul groupe"),
            Cle::AdjointQuartier { elu } => {
                format!(
                    "{elu}, adjoint·e de quartier, ne rejoint qu'un groupe dont un·e adjoint·e thématique pilote un service de ses délégations (D010)"
                )
            }
            Cle::TailleMin { groupe } => {
                format!("le groupe {groupe} compte au moins taille_min élu·es")
            }
            Cle::TailleMax { groupe } => {
                format!("le groupe {groupe} compte au plus taille_max élu·es")
            }
            Cle::VerrouUnite {
                ligne,
                unite,
                groupe,
            } => {
                format!("verrous.csv ligne {ligne} : l'unité {unite} est pilotée par {groupe}")
            }
            Cle::VerrouElu { ligne, elu, groupe } => {
                format!("verrous.csv ligne {ligne} : {elu} est dans le groupe {groupe}")
            }
            Cle::DgaTouchee { groupe, dga, unite } => {
                format!("si {groupe} pilote {unite}, {groupe} couvre le pôle {dga}")
            }
            Cle::UnPoleAuMoins { groupe } => format!("le groupe {groupe} couvre au moins un pôle"),
            Cle::EcartHaut { groupe } | Cle::EcartBas { groupe } => {
                format!("écart de charge du groupe {groupe} à la moyenne")
            }
            Cle::CapacitePole { groupe, dga } => format!(
                "la charge que le groupe {groupe} prend au pôle {dga} tient dans une charge moyenne plus son écart, et seulement s'il couvre ce pôle"
            ),
            Cle::LienSecondaire {
                unite,
                liee,
                groupe,
            } => format!(
                "si {groupe} pilote {unite} sans piloter {liee}, son rattachement secondaire vers {liee} compte comme un lien fonctionnel entre groupes (D002)"
            ),
        }
    }
}

impl NomLp for Cle {
    fn nom_lp(&self) -> String {
        let parts: Vec<String> = match self {
            Cle::UnPiloteParUnite { unite } => vec!["UnPiloteParUnite".into(), unite.clone()],
            Cle::UneUniteParGroupe { groupe } => vec!["UneUniteParGroupe".into(), groupe.clone()],
            Cle::AxeTransversal { unite, groupe } => {
                vec!["AxeTransversal".into(), unite.clone(), groupe.clone()]
            }
            Cle::PerimetreMembre { elu, unite, groupe } => vec![
                "PerimetreMembre".into(),
                elu.clone(),
                unite.clone(),
                groupe.clone(),
            ],
            Cle::RetraitHorsGroupe { elu, unite, groupe } => vec![
                "RetraitHorsGroupe".into(),
                elu.clone(),
                unite.clone(),
                groupe.clone(),
            ],
            Cle::GroupeFixe { elu } => vec!["GroupeFixe".into(), elu.clone()],
            Cle::Coeur { unite, groupe } => {
                vec!["Coeur".into(), unite.clone(), groupe.clone()]
            }
            Cle::LienQuartier { elu, groupe } => {
                vec!["LienQuartier".into(), elu.clone(), groupe.clone()]
            }
            Cle::BorneStructure => vec!["BorneStructure".into()],
            Cle::Voeux { elu, rang } => {
                let mut v = vec!["Voeux".into(), format!("r{rang}")];
                v.extend(elu.clone());
                v
            }
            Cle::BorneAgents => vec!["BorneAgents".into()],
            Cle::MembreUnique { elu } => vec!["MembreUnique".into(), elu.clone()],
            Cle::AdjointQuartier { elu } => vec!["AdjointQuartier".into(), elu.clone()],
            Cle::TailleMin { groupe } => vec!["TailleMin".into(), groupe.clone()],
            Cle::TailleMax { groupe } => vec!["TailleMax".into(), groupe.clone()],
            Cle::VerrouUnite { ligne, unite, .. } => {
                vec!["VerrouUnite".into(), format!("l{ligne}"), unite.clone()]
            }
            Cle::VerrouElu { ligne, elu, .. } => {
                vec!["VerrouElu".into(), format!("l{ligne}"), elu.clone()]
            }
            Cle::DgaTouchee { groupe, dga, unite } => vec![
                "DgaTouchee".into(),
                groupe.clone(),
                dga.clone(),
                unite.clone(),
            ],
            Cle::UnPoleAuMoins { groupe } => vec!["UnPoleAuMoins".into(), groupe.clone()],
            Cle::EcartHaut { groupe } => vec!["EcartHaut".into(), groupe.clone()],
            Cle::EcartBas { groupe } => vec!["EcartBas".into(), groupe.clone()],
            Cle::CapacitePole { groupe, dga } => {
                vec!["CapacitePole".into(), groupe.clone(), dga.clone()]
            }
            Cle::LienSecondaire {
                unite,
                liee,
                groupe,
            } => vec![
                "LienSecondaire".into(),
                unite.clone(),
                liee.clone(),
                groupe.clone(),
            ],
        };
        parts
            .iter()
            .map(|p| nom_lp(p))
            .collect::<Vec<_>>()
            .join(".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lp_names_are_ascii_and_rows_named_after_keys() {
        let mut m = Modele::default();
        let x = m.var("x_DIR_EDU_G01".into(), 0.0, 1.0, true);
        let y = m.var("y_G01_DGA".into(), 0.0, 1.0, true);
        m.criteres.push(crate::lp::Critere::new(
            "dispersion",
            10.0,
            vec![(y, 1.0)],
            0.0,
        ));
        m.contrainte(
            Cle::DgaTouchee {
                groupe: "G01-éducation".into(),
                dga: "DGA".into(),
                unite: "DIR-EDU".into(),
            },
            vec![(x, 1.0), (y, -1.0)],
            Sens::Le,
            0.0,
        );
        let lp = m.lp("test");
        assert!(
            lp.contains(
                " DgaTouchee.G01_education.DGA.DIR_EDU: 1 x_DIR_EDU_G01 - 1 y_G01_DGA <= 0"
            )
        );
        assert!(lp.contains("General\n x_DIR_EDU_G01 y_G01_DGA\n"));
        assert!(lp.is_ascii() || lp.lines().all(|l| l.starts_with('\\') || l.is_ascii()));
    }
}
