//! Scenario parameters (`scenario.toml`) and the assembled scenario.

use super::{Delegation, DelegationSansService, Elu, Fonction, Organigramme};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A transversal axis of the pacte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Axe {
    /// Identifier used in `elus.csv` (`axe`) and `organigramme.csv` (`axes`).
    pub id: String,
    /// French label.
    pub libelle: String,
}

/// The pacte's four transversal axes: (id, label). Used when `scenario.toml` names none, and to
/// label the known ids when it does.
pub const DEFAULT_AXES: [(&str, &str); 4] = [
    ("democratie", "Démocratie et pouvoir d'agir"),
    ("transition", "Transition écologique"),
    ("ville_pour_toutes", "Ville pour tou·tes"),
    ("solidarites", "Justice sociale et solidarités"),
];

/// Majorations of indemnités a commune may be entitled to (CGCT L2123-22, R2123-23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Majoration {
    /// Chef-lieu de département (L2123-22 1°, R2123-23 1°: 25 %).
    ChefLieuDepartement,
    /// Chef-lieu d'arrondissement (L2123-22 1°, R2123-23 1°: 20 %).
    ChefLieuArrondissement,
    /// Bureau centralisateur de canton or former chef-lieu de canton (R2123-23 1°: 15 %).
    BureauCentralisateurCanton,
    /// Station classée de tourisme (L2123-22 3°, R2123-23: 50 % below 5 000 inhabitants, 25 % above).
    StationTourisme,
    /// Commune sinistrée (L2123-22 2°: % of damaged buildings, see `taux_sinistre`).
    CommuneSinistree,
    /// Attributaire of the DSU (L2123-22 5°: rates of the next stratum).
    Dsu,
}

impl Majoration {
    /// Identifier as written in `scenario.toml`.
    pub fn code(self) -> &'static str {
        match self {
            Majoration::ChefLieuDepartement => "chef_lieu_departement",
            Majoration::ChefLieuArrondissement => "chef_lieu_arrondissement",
            Majoration::BureauCentralisateurCanton => "bureau_centralisateur_canton",
            Majoration::StationTourisme => "station_tourisme",
            Majoration::CommuneSinistree => "commune_sinistree",
            Majoration::Dsu => "dsu",
        }
    }

    /// French label.
    pub fn libelle(self) -> &'static str {
        match self {
            Majoration::ChefLieuDepartement => "chef-lieu de département",
            Majoration::ChefLieuArrondissement => "chef-lieu d'arrondissement",
            Majoration::BureauCentralisateurCanton => "bureau centralisateur de canton",
            Majoration::StationTourisme => "station classée de tourisme",
            Majoration::CommuneSinistree => "commune sinistrée",
            Majoration::Dsu => "attributaire de la DSU",
        }
    }
}

/// A commune déléguée of a commune nouvelle (its maire délégué·e is paid on its population,
/// CGCT L2113-19).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommuneDeleguee {
    /// Identifier used in `elus.csv` (`commune_deleguee`).
    pub id: String,
    /// Name.
    pub nom: String,
    /// Population of the commune déléguée.
    pub population: u32,
}

/// Identity and history of the commune in `scenario.toml` (issue 16): its INSEE code (Paris,
/// Lyon and Marseille follow the PLM rules, CGCT L2511-1 and following) and, for a commune
/// nouvelle, its creation date and the sizes of the former councils (enlarged council, CGCT
/// L2113-7, L2113-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CommuneParams {
    /// The commune's name (`commune`), e.g. `"Belleroche-en-Val"`: signs the arrêtés and the
    /// letters (« Fait à Belleroche-en-Val »); `None` leaves « \[commune\] » to fill in.
    pub nom: Option<String>,
    /// INSEE code (`code_insee`), e.g. `"13055"` for Marseille.
    pub code_insee: Option<String>,
    /// Creation date of the commune nouvelle (`date_creation`).
    pub date_creation: Option<NaiveDate>,
    /// Number of seats of each former council at the creation (`conseils_anciens`).
    pub conseils_anciens: Vec<u32>,
    /// Who the indemnity cap of an enlarged council covers (`plafond_l2113_8`, a reading).
    pub plafond_l2113_8: LecturePlafondL2113_8,
    /// Whether a maire délégué·e elected adjoint·e counts in the 30 % (`maire_delegue_adjoint`,
    /// a reading).
    pub maire_delegue_adjoint: LectureMaireDelegueAdjoint,
    /// The council has created adjoint·es de quartier posts beyond the 30 % (L2122-2-1), said
    /// by the key `adjoints_quartier_crees`; `None` = inferred from the élu·es (posts beyond
    /// the 30 % actually filled).
    pub adjoints_quartier_crees: Option<bool>,
    /// The amounts in € of `taux_actuel` include the majorations (L2123-22) the commune
    /// votes, as published amounts often do (key `montants_avec_majorations`).
    pub montants_avec_majorations: bool,
}

/// Who the indemnity cap of an enlarged council of a commune nouvelle covers (CGCT L2113-8
/// al. 3: « les indemnités des membres du conseil municipal »): a reading, named in the key
/// `plafond_l2113_8` of `scenario.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LecturePlafondL2113_8 {
    /// `hors_communes_deleguees` (default): the maire, the adjoint·es and the conseiller·es
    /// of the commune nouvelle; the maires délégué·es and their adjoint·es stay under their
    /// own caps (L2113-19, computed on the communes déléguées), which would otherwise be
    /// emptied of meaning by a cap computed without them.
    #[default]
    HorsCommunesDeleguees,
    /// `tous_les_membres`: the literal reading, every member of the council including the
    /// maires délégué·es and the adjoint·es au maire délégué·e.
    TousLesMembres,
}

impl LecturePlafondL2113_8 {
    /// Identifier in `scenario.toml`.
    pub fn code(self) -> &'static str {
        match self {
            LecturePlafondL2113_8::HorsCommunesDeleguees => "hors_communes_deleguees",
            LecturePlafondL2113_8::TousLesMembres => "tous_les_membres",
        }
    }
}

/// Whether a maire délégué·e elected adjoint·e of the commune nouvelle counts in the 30 % of
/// L2122-2 (key `maire_delegue_adjoint`): a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LectureMaireDelegueAdjoint {
    /// `hors_30` (default): L2113-13 makes every maire délégué·e an adjoint·e de droit of the
    /// commune nouvelle, not elected on the 30 % list; the Sénat's answer to written question
    /// n° 25598 reads it so, and an election as adjoint·e does not change the title.
    #[default]
    Hors30,
    /// `dans_30`: the elected adjoint·e takes one of the 30 % posts.
    Dans30,
}

impl LectureMaireDelegueAdjoint {
    /// Identifier in `scenario.toml`.
    pub fn code(self) -> &'static str {
        match self {
            LectureMaireDelegueAdjoint::Hors30 => "hors_30",
            LectureMaireDelegueAdjoint::Dans30 => "dans_30",
        }
    }
}

/// How the envelope is shared out (issue « indemnités »).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Politique {
    /// Same rate for every délégué·e, where caps allow.
    Egalitaire,
    /// Rates proportional to responsibility weights.
    Proportionnelle,
    /// Blend of the two by `alpha`.
    #[default]
    Mixte,
    /// Ordered tiers.
    Paliers,
}

/// `[indemnites]` section of `scenario.toml`. Rates are in % of the terme de référence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndemnitesParams {
    /// Share of the enveloppe indemnitaire globale to use, in % (≤ 100).
    pub part_enveloppe: f64,
    /// Maire's rate in %; `None` = the barème (lower only at the maire's request, L2123-23).
    pub taux_maire: Option<f64>,
    /// Minimum rate of every paid délégué·e, in %.
    pub plancher: f64,
    /// Maximum ratio between the highest and the lowest paid délégué·e.
    pub ratio_max: Option<f64>,
    /// Allocation policy.
    pub politique: Politique,
    /// Blend between equal shares (0) and responsibility-proportional shares (1).
    pub alpha: f64,
    /// Pay plain conseiller·es (majority and opposition) too.
    pub conseillers: bool,
    /// Rate of plain conseiller·es when paid, in % (≤ 6 %, L2123-24-1).
    pub taux_conseillers: f64,
    /// Share of each maire délégué·e's legal maximum (maire barème of the commune déléguée's
    /// stratum, L2113-19) to pay, in % (≤ 100).
    pub part_maires_delegues: f64,
    /// Apply the écrêtement (L2123-20 II) as a per-élu·e cap, from `autres_indemnites_eur`.
    pub ecretement: bool,
    /// Raise the maire's indemnité by 40 % of the barème in a commune of 100 000 inhabitants
    /// and more (L2123-23 last paragraph: 145 % → 203 %), within the total of the maxima.
    pub majoration_maire: bool,
    /// Weight every paid délégué·e gets whatever their perimeter (the collegial base).
    pub poids_socle: f64,
    /// Weight of the staff (ETP) in the perimeter, relative to the délégué·es' mean.
    pub poids_effectif: f64,
    /// Weight of the budget in the perimeter, relative to the délégué·es' mean.
    pub poids_budget: f64,
    /// Weight of the number of services in the perimeter, relative to the délégué·es' mean.
    pub poids_services: f64,
    /// Share of a node's staff, budget and services counted for an `appui` délégation (0–1);
    /// a `pilote` délégation counts in full.
    pub part_appui: f64,
    /// Weight added for holding a transversal axis.
    pub bonus_axe: f64,
    /// Weight added for an adjoint·e de quartier.
    pub bonus_quartier: f64,
    /// Weight added for leading a group (its adjoint·e).
    pub bonus_animation: f64,
    /// Tier thresholds (politique `paliers`), in multiples of the mean weight, decreasing:
    /// `[1.5, 0.75]` makes tier 1 (weight ≥ 1,5 × mean), tier 2 (≥ 0,75 × mean) and tier 3.
    pub seuils_paliers: Vec<f64>,
    /// Minimum gap between the rates of two consecutive tiers, in points of %.
    pub ecart_paliers: f64,
    /// Politique `paliers` by protocol rank rather than by weight: the last rank of each tier of
    /// adjoint·es, increasing. `[6]` puts ranks 1–6 in tier 1 and the other adjoint·es in tier 2;
    /// conseiller·es délégué·es form the last tier. Empty = tiers by weight (`seuils_paliers`).
    pub rangs_paliers: Vec<u32>,
    /// Weight added for each délégation without a service (empty `noeud`): a fixed share, since
    /// it has no staff, budget or services to measure.
    pub poids_sans_service: f64,
}

impl Default for IndemnitesParams {
    fn default() -> Self {
        IndemnitesParams {
            part_enveloppe: 100.0,
            taux_maire: None,
            plancher: 0.0,
            ratio_max: None,
            politique: Politique::Mixte,
            alpha: 0.5,
            conseillers: false,
            taux_conseillers: 0.0,
            part_maires_delegues: 100.0,
            ecretement: true,
            majoration_maire: false,
            poids_socle: 1.0,
            poids_effectif: 1.0,
            poids_budget: 0.5,
            poids_services: 0.5,
            part_appui: 0.25,
            bonus_axe: 0.5,
            bonus_quartier: 0.5,
            bonus_animation: 0.5,
            seuils_paliers: vec![1.5, 0.75],
            ecart_paliers: 0.0,
            rangs_paliers: Vec::new(),
            poids_sans_service: 0.25,
        }
    }
}

/// `[groupes]` section of `scenario.toml` (issue « regroupements »).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GroupesParams {
    /// Minimum group size when regrouping.
    pub taille_min: u32,
    /// Maximum group size when regrouping.
    pub taille_max: u32,
    /// `taille_min` was written in `scenario.toml` (or its bases). A declared size never
    /// yields; the default (2: the pacte's binômes) is a derived rule that yields, group by
    /// group and said, when the élu·es whose group is decided cannot fill every group (a real
    /// préfecture with more adjoint·es than conseiller·es délégué·es): a plan with a few
    /// adjoint·es alone beats no plan (`optimise::regles`).
    pub taille_min_declaree: bool,
    /// `taille_max` was written; the default (4: groups of 3–4) yields like `taille_min`'s
    /// when there are more élu·es to place than seats.
    pub taille_max_declaree: bool,
    /// `elus.csv` names no group and collegia gave each adjoint·e able to lead one a group of
    /// their own ([`Scenario::avec_groupes_implicites`]): the variant a command writes then
    /// carries `elus.csv` with the groups, even when nobody moves.
    pub groupes_implicites: bool,
    /// Weight of the number of DGA a group spans.
    pub poids_dispersion: f64,
    /// Weight of a change from the proposed délégations.
    pub poids_changements: f64,
    /// Weight of the staff-load imbalance between groups.
    pub poids_equilibre: f64,
    /// Weight of stated preferences.
    pub poids_preferences: f64,
    /// May the optimiser turn a conseiller·e délégué·e's (or a member's) pilote délégation on a
    /// unit their group does not lead into an appui? Without it, two members of different groups
    /// piloting inside one unit make the plan infeasible (unless `--regrouper`).
    pub retrait_appui: bool,
    /// Weight of each member's pilote délégation turned into an appui (per member and unit).
    pub poids_retraits: f64,
    /// Weight of each functional link (`rattachements_secondaires`) between two units led by
    /// different groups (a double rattachement, D002), per mean unit of the staff it concerns
    /// (the smaller of its two sides): at 1 a link weighs what moving that staff would, so it
    /// never alone moves a whole unit.
    pub poids_liens: f64,
    /// Weight of each unit moved to, or adopted by, a group sharing none of its domains (« hors
    /// thème », `docs/domaines.md`): at 25 it outweighs a pôle more (10) and any realistic
    /// balance gain, so an orphan goes to a group sharing its domain whenever the rules allow one.
    pub poids_hors_theme: f64,
    /// Does every group keep its cœur (the units its own adjoint·e pilots in the input)? The
    /// pacte asks for délégations « cohérentes avec l'organigramme »: the optimiser completes
    /// and repairs a group's perimeter, it does not take its core away. `false` (or
    /// `--liberer-coeurs`) allows a deliberate reorganisation.
    pub coeurs: bool,
    /// Groups whose cœur may move (a per-group reorganisation), by id.
    pub coeurs_liberes: Vec<String>,
    /// `collegia affecter`: no single-sex group when avoidable (the fewest single-sex groups the
    /// other rules allow).
    pub parite: bool,
    /// `collegia affecter`: each component of the majority present in as many groups as
    /// possible (the most (component, group) pairs the other rules allow).
    pub composantes: bool,
    /// `collegia affecter`: the most groups in which one component may be present.
    pub max_groupes_par_composante: Option<u32>,
}

impl Default for GroupesParams {
    fn default() -> Self {
        GroupesParams {
            taille_min: 2,
            taille_max: 4,
            taille_min_declaree: false,
            taille_max_declaree: false,
            groupes_implicites: false,
            poids_dispersion: 10.0,
            poids_changements: 1.0,
            poids_equilibre: 1.0,
            poids_preferences: 1.0,
            retrait_appui: true,
            poids_retraits: 5.0,
            poids_liens: 1.0,
            poids_hors_theme: 25.0,
            coeurs: true,
            coeurs_liberes: Vec::new(),
            parite: false,
            composantes: false,
            max_groupes_par_composante: None,
        }
    }
}

/// A priority of the majority for `collegia reorganiser` (`[[reorganisation.priorites]]`):
/// the directions it gathers, named directly or through domains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priorite {
    /// Identifier (`id`), also the suffix of its new DGA's id (`DGA-NOUV-<id>`).
    pub id: String,
    /// French name (`nom`).
    pub nom: String,
    /// Direction ids (`directions`).
    pub directions: Vec<String>,
    /// Domain keys or labels (`domaines`, the table of `crate::model::domaine`).
    pub domaines: Vec<String>,
    /// May get a new DGA of its own (`nouvelle_dga`, default true).
    pub nouvelle_dga: bool,
    /// Line of its `[[reorganisation.priorites]]` header in the first file that has it.
    pub ligne: Option<usize>,
}

/// A lock of `collegia reorganiser` (`[[reorganisation.verrous]]`): the direction stays under
/// the DGA at every stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerrouDga {
    /// Direction id.
    pub direction: String,
    /// DGA id (an existing DGA, or `DGA-NOUV-<priorité>`).
    pub dga: String,
    /// Line of its `[[reorganisation.verrous]]` header.
    pub ligne: Option<usize>,
}

/// Which measures may never get worse from one stage to the next (`monotonie`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Monotonie {
    /// `objectif` (default): the weighted sum of the coherence measures.
    #[default]
    Objectif,
    /// `chaque_mesure`: each measure on its own.
    ChaqueMesure,
}

/// `[reorganisation]` section of `scenario.toml` (issue 29): the staged plan of the DGA
/// perimeters. Every key is optional; defaults are documented in `docs/formats.md`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReorganisationParams {
    /// Priorities of the majority.
    pub priorites: Vec<Priorite>,
    /// Number of stages (`etapes`, default 6: one per séminaire over three years).
    pub etapes: u32,
    /// Date of the first stage (`premier_seminaire`; `None` = `date` + `intervalle_mois`).
    pub premier_seminaire: Option<NaiveDate>,
    /// Months between two stages (`intervalle_mois`, default 6, the pacte's séminaires).
    pub intervalle_mois: u32,
    /// Agents whose DGA changes at one stage, at most (`agents_par_etape`; `None` = 10 % of
    /// the staff of the directions under a DGA).
    pub agents_par_etape: Option<f64>,
    /// Agents whose DGA changes over the whole plan, at most (`agents_mandat`; `None` = no cap).
    pub agents_mandat: Option<f64>,
    /// Directions per DGA, at least (`directions_min`, default 1).
    pub directions_min: u32,
    /// Directions per DGA, at most (`directions_max`; `None` = no bound).
    pub directions_max: Option<u32>,
    /// Staff per DGA, at least (`effectif_min`; `None` = no bound).
    pub effectif_min: Option<f64>,
    /// Staff per DGA, at most (`effectif_max`; `None` = no bound).
    pub effectif_max: Option<f64>,
    /// New DGA allowed (`nouvelles_dga`, default 0).
    pub nouvelles_dga: u32,
    /// Moves of one direction over the plan, at most (`deplacements_max`, default 1).
    pub deplacements_max: u32,
    /// Directions tied by a functional link may be separated, at a cost (`liens_separables`,
    /// default false: they move together).
    pub liens_separables: bool,
    /// What may never get worse (`monotonie`).
    pub monotonie: Monotonie,
    /// Weight of each (political group, DGA) pair of interlocutors (`poids_interlocuteurs`).
    pub poids_interlocuteurs: f64,
    /// Weight of each extra DGA a priority spans (`poids_priorites`).
    pub poids_priorites: f64,
    /// Weight of the spans' deviation from the mean, in directions (`poids_equilibre`).
    pub poids_equilibre: f64,
    /// Weight of each functional link across two DGA (`poids_liens`).
    pub poids_liens: f64,
    /// Weight of each agent whose DGA changes (`poids_agents`).
    pub poids_agents: f64,
    /// Locks.
    pub verrous: Vec<VerrouDga>,
}

impl Default for ReorganisationParams {
    fn default() -> Self {
        ReorganisationParams {
            priorites: Vec::new(),
            etapes: 6,
            premier_seminaire: None,
            intervalle_mois: 6,
            agents_par_etape: None,
            agents_mandat: None,
            directions_min: 1,
            directions_max: None,
            effectif_min: None,
            effectif_max: None,
            nouvelles_dga: 0,
            deplacements_max: 1,
            liens_separables: false,
            monotonie: Monotonie::Objectif,
            poids_interlocuteurs: 1.0,
            poids_priorites: 2.0,
            poids_equilibre: 0.25,
            poids_liens: 0.5,
            poids_agents: 0.001,
            verrous: Vec::new(),
        }
    }
}

/// Validated content of `scenario.toml` (after merging a variant over its base).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioParams {
    /// Scenario name.
    pub nom: String,
    /// Date the plan applies at; selects the legal regime.
    pub date: NaiveDate,
    /// Population totale (indemnity strata).
    pub population_totale: u32,
    /// Population municipale (council size).
    pub population_municipale: u32,
    /// Council size when it differs from the law's (e.g. L2121-2-1 small councils).
    pub effectif_conseil: Option<u32>,
    /// INSEE code, creation date and former councils of a commune nouvelle.
    pub commune: CommuneParams,
    /// True for a commune nouvelle with communes déléguées.
    pub commune_nouvelle: bool,
    /// Communes déléguées (commune nouvelle only).
    pub communes_deleguees: Vec<CommuneDeleguee>,
    /// Majorations the commune is entitled to.
    pub majorations: Vec<Majoration>,
    /// Share of damaged buildings in %, for `commune_sinistree`.
    pub taux_sinistre: Option<f64>,
    /// Transversal axes.
    pub axes: Vec<Axe>,
    /// `[indemnites]`.
    pub indemnites: IndemnitesParams,
    /// `[groupes]`.
    pub groupes: GroupesParams,
    /// `[reorganisation]` (`collegia reorganiser`).
    pub reorganisation: ReorganisationParams,
}

/// A loaded and validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Parameters.
    pub params: ScenarioParams,
    /// Tree of services.
    pub organigramme: Organigramme,
    /// Élu·es in input order.
    pub elus: Vec<Elu>,
    /// Délégations on a node, in input order.
    pub delegations: Vec<Delegation>,
    /// Délégations that name no service (empty `noeud`), in input order. Kept apart from
    /// [`Scenario::delegations`] so that every rule on nodes (coverage, orphans, doubles, the
    /// optimiser's units) keeps reading only délégations that have one.
    pub delegations_sans_service: Vec<DelegationSansService>,
}

impl Scenario {
    /// Index of an élu·e by id.
    pub fn find_elu(&self, id: &str) -> Option<usize> {
        self.elus.iter().position(|e| e.id == id)
    }

    /// Groups (binômes, groups of 3–4) by id, with the indices of their members in input order.
    pub fn groupes(&self) -> BTreeMap<String, Vec<usize>> {
        let mut g: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.elus.iter().enumerate() {
            if let Some(id) = &e.groupe {
                g.entry(id.clone()).or_default().push(i);
            }
        }
        g
    }

    /// Délégations without a service of élu·e `e`, in input order.
    pub fn sans_service_de(&self, e: usize) -> impl Iterator<Item = &DelegationSansService> + '_ {
        self.delegations_sans_service
            .iter()
            .filter(move |d| d.elu == e)
    }

    /// True when élu·e `e` holds at least one délégation, with or without a service.
    pub fn a_une_delegation(&self, e: usize) -> bool {
        self.delegations.iter().any(|d| d.elu == e) || self.sans_service_de(e).next().is_some()
    }

    /// Élu·es holding at least one délégation, with or without a service (the right to an
    /// indemnité of adjoint·es and conseiller·es délégué·es, L2123-24, L2123-24-1 III).
    pub fn elus_delegues(&self) -> std::collections::BTreeSet<usize> {
        self.delegations
            .iter()
            .map(|d| d.elu)
            .chain(self.delegations_sans_service.iter().map(|d| d.elu))
            .collect()
    }

    /// Number of élu·es per function, in the order of the tableau.
    pub fn compte_par_fonction(&self) -> Vec<(Fonction, usize)> {
        Fonction::ALL
            .iter()
            .map(|&f| (f, self.elus.iter().filter(|e| e.fonction == f).count()))
            .collect()
    }

    /// Label of an axis id (the id itself if unknown).
    pub fn libelle_axe<'a>(&'a self, id: &'a str) -> &'a str {
        self.params
            .axes
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.libelle.as_str())
            .unwrap_or(id)
    }
}
