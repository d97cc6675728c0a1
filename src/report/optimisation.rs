//! Renderers of `collegia optimiser`: the proposal as a scenario variant (`delegations.csv`,
//! `elus.csv`, `scenario.toml`), the list of changes (`changements.csv`), the printed summary
//! and the French wording of an infeasibility. Bytes and text out; nothing is written here.
//!
//! Every output is sorted and formatted with fixed precision: the same input gives the same
//! bytes.

use super::csv_francais::EcrivainCsv;
use super::format::{decimal_court, nombre};
use super::scenario::LigneDelegationCsv;
use crate::model::Scenario;
use crate::optimise::application::{
    ChangementDelegation, Motif, Nature, Raison, TauxAvantApres, appliquer,
    changements_delegations, effectifs_groupes, indemnites_avant_apres,
};
pub use crate::optimise::application::{LigneDelegation, delegations};
use crate::optimise::{
    Cle, Donnees, Famille, Granularite, Infaisabilite, Plan, RegleLevee, Resultat, Statut,
};
use std::fmt::Write as _;

/// `delegations.csv` of the plan, in the input format, through the one scenario writer (the
/// plan's rows keep every input row, délégations without a service included). Formula-looking
/// cells are neutralised; collegia's reader removes the `'` again, so the proposal still loads
/// with the same ids and libellés.
pub fn delegations_csv(lignes: &[LigneDelegation]) -> Vec<u8> {
    super::scenario::delegations_csv_lignes(lignes.iter().map(|l| LigneDelegationCsv {
        elu: &l.elu,
        noeud: &l.noeud,
        role: l.role,
        libelle: &l.libelle,
        domaines: &l.domaines,
    }))
}

/// `elus.csv` with the groups of the plan, or `None` when no member changes group (and the
/// groups were in the input). Written by
/// the one scenario writer: every column of the input (`chef_de_file` included) is kept.
pub fn elus_csv(s: &Scenario, d: &Donnees, plan: &Plan) -> Option<Vec<u8>> {
    let mut elus = s.elus.clone();
    let mut change = false;
    for (e, m) in d.membres.iter().enumerate() {
        match plan.membres[e] {
            Some(g) if m.actuel != Some(g) => {
                if let Some(x) = elus.get_mut(m.elu) {
                    x.groupe = Some(d.groupes[g].id.clone());
                    change = true;
                }
            }
            _ => {}
        }
    }
    // Groups collegia gave (elus.csv named none) are part of the proposal even if nobody moves.
    (change || s.params.groupes.groupes_implicites).then(|| super::scenario::elus_csv(&elus))
}

/// `scenario.toml` of the variant: its name (see [`nom_proposition`]) and `base`, the path
/// from the output folder to the input scenario folder (with `/`).
pub fn scenario_toml(nom: &str, base: &str) -> Vec<u8> {
    super::scenario::toml_variante(
        "Proposition de « collegia optimiser » : variante du scénario de base.\nVérifiez-la avec « collegia verifier <ce dossier> ».",
        base,
        nom,
    )
}

/// The `nom` of a written proposal: the scenario's name and what produced the plan (regrouping
/// allowed, cœurs freed, service granularity), so that two proposals of one scenario made under
/// different options are told apart once written (`collegia comparer` lists them by `nom`).
pub fn nom_proposition(s: &Scenario, d: &Donnees) -> String {
    let mut modes = vec!["proposition optimisée".to_string()];
    if d.regrouper {
        modes.push("regroupement permis".into());
    }
    if !d.params.coeurs {
        modes.push("cœurs libérés".into());
    } else if !d.params.coeurs_liberes.is_empty() {
        modes.push(format!(
            "cœurs libérés : {}",
            d.params.coeurs_liberes.join(", ")
        ));
    }
    if d.granularite == Granularite::Service {
        modes.push("granularité service".into());
    }
    format!("{} — {}", s.params.nom, modes.join(", "))
}

/// What a plan changes, computed once for the summary and the files: the proposed scenario,
/// every changed délégation row, and the indemnités before/after.
pub struct Detail {
    /// The scenario the plan proposes.
    pub propose: Scenario,
    /// Every changed row of `delegations.csv`, with its reason.
    pub delegations: Vec<ChangementDelegation>,
    /// Indemnités before/after under the scenario's policy (`None`: no lawful allocation).
    pub taux: Option<Vec<TauxAvantApres>>,
}

/// Computes the [`Detail`] of a plan.
pub fn detail(s: &Scenario, d: &Donnees, plan: &Plan) -> Detail {
    let propose = appliquer(s, d, plan);
    let taux = indemnites_avant_apres(s, &propose);
    Detail {
        delegations: changements_delegations(s, d, plan),
        propose,
        taux,
    }
}

/// Every file of the proposal folder (a scenario variant of the input): `delegations.csv`,
/// `changements.csv`, `scenario.toml` pointing at `base` (the input scenario, relative to the
/// proposal folder), and `elus.csv` when members change group.
pub fn fichiers_proposition(
    s: &Scenario,
    d: &Donnees,
    plan: &Plan,
    base: &str,
) -> Vec<(&'static str, Vec<u8>)> {
    fichiers_proposition_avec(s, d, plan, base, &detail(s, d, plan))
}

/// [`fichiers_proposition`] with the plan's [`Detail`] already computed.
pub fn fichiers_proposition_avec(
    s: &Scenario,
    d: &Donnees,
    plan: &Plan,
    base: &str,
    detail: &Detail,
) -> Vec<(&'static str, Vec<u8>)> {
    let mut fichiers = vec![
        ("delegations.csv", delegations_csv(&delegations(s, d, plan))),
        ("changements.csv", changements_csv_avec(s, d, plan, detail)),
        ("scenario.toml", scenario_toml(&nom_proposition(s, d), base)),
    ];
    if let Some(e) = elus_csv(s, d, plan) {
        fichiers.push(("elus.csv", e));
    }
    fichiers
}

fn gid(d: &Donnees, g: Option<usize>) -> String {
    g.map(|g| d.groupes[g].id.clone()).unwrap_or_default()
}

/// One change a plan makes to the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changement {
    /// A unit whose leading group changes (an orphan adopted included).
    Unite(usize),
    /// A member who changes group.
    Membre(usize),
    /// `(member, unit)`: the member's pilote délégations in the unit become appui.
    Retrait(usize, usize),
}

/// Every change of a plan, in the order every output lists them: units (organigramme order),
/// members, then délégations made appui.
pub fn changements(d: &Donnees, plan: &Plan) -> Vec<Changement> {
    let unites = (0..d.unites.len())
        .filter(|&u| d.unites[u].actuel != plan.unites[u])
        .map(Changement::Unite);
    let membres = (0..d.membres.len())
        .filter(|&e| d.membres[e].actuel != plan.membres[e])
        .map(Changement::Membre);
    let retraits = plan
        .retraits
        .iter()
        .map(|&(e, u)| Changement::Retrait(e, u));
    unites.chain(membres).chain(retraits).collect()
}

/// `changements.csv`: every change of the plan, one row each, with its reason:
/// - `unite`: a unit whose leading group changes (`avant` empty for an orphan adopted);
/// - `elu`: a member who changes group;
/// - `appui`: a member's pilote délégations in a unit become appui (`avant` the member's group,
///   `apres` the group that leads the unit);
/// - `delegation`: every row of `delegations.csv` that differs (`id` the élu·e, `noeud`, `nature`
///   « pilote ajoutée », « pilote retirée », « pilote → appui »…);
/// - `indemnite`: every élu·e whose rate under the scenario's policy changes, or whose
///   délégations change (`taux_avant_pct`, `taux_apres_pct`, empty when not paid).
pub fn changements_csv(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<u8> {
    changements_csv_avec(s, d, plan, &detail(s, d, plan))
}

/// [`changements_csv`] with the plan's [`Detail`] already computed.
pub fn changements_csv_avec(s: &Scenario, d: &Donnees, plan: &Plan, detail: &Detail) -> Vec<u8> {
    let mut w = EcrivainCsv::new();
    w.ligne([
        "type",
        "id",
        "libelle",
        "dga",
        "charge_etp",
        "avant",
        "apres",
        "noeud",
        "nature",
        "raison",
        "taux_avant_pct",
        "taux_apres_pct",
    ]);
    let vide = String::new;
    let entree = crate::optimise::application::DoublesEntree::de(s);
    for c in changements(d, plan) {
        let unite = |u: usize| {
            let un = &d.unites[u];
            (
                un.dga.map(|x| d.dgas[x].id.clone()).unwrap_or_default(),
                format!("{:.1}", un.charge).replace('.', ","),
            )
        };
        let ligne = match c {
            Changement::Unite(u) => {
                let (dga, charge) = unite(u);
                let un = &d.unites[u];
                let r = raison_unite(d, plan, u, &entree);
                [
                    "unite".to_string(),
                    un.id.clone(),
                    un.libelle.clone(),
                    dga,
                    charge,
                    gid(d, un.actuel),
                    gid(d, plan.unites[u]),
                    vide(),
                    vide(),
                    r,
                    vide(),
                    vide(),
                ]
            }
            Changement::Membre(e) => [
                "elu".to_string(),
                d.membres[e].id.clone(),
                String::new(),
                String::new(),
                String::new(),
                gid(d, d.membres[e].actuel),
                gid(d, plan.membres[e]),
                vide(),
                vide(),
                vide(),
                vide(),
                vide(),
            ],
            Changement::Retrait(e, u) => {
                let (dga, charge) = unite(u);
                let un = &d.unites[u];
                [
                    "appui".to_string(),
                    d.membres[e].id.clone(),
                    format!("{} — {}", un.id, un.libelle),
                    dga,
                    charge,
                    gid(d, plan.membres[e]),
                    gid(d, plan.unites[u]),
                    vide(),
                    vide(),
                    vide(),
                    vide(),
                    vide(),
                ]
            }
        };
        w.ligne(ligne);
    }
    let delegs = &detail.delegations;
    let org = &s.organigramme;
    for c in delegs {
        w.ligne([
            "delegation".to_string(),
            s.elus[c.elu].id.clone(),
            c.libelle.clone(),
            org.dga_de(c.noeud)
                .map(|x| org.noeud(x).id.clone())
                .unwrap_or_default(),
            vide(),
            vide(),
            vide(),
            org.noeud(c.noeud).id.clone(),
            nature(c.nature).to_string(),
            raison(d, &c.raison),
            vide(),
            vide(),
        ]);
    }
    let pc = |t: Option<rust_decimal::Decimal>| {
        t.map(|x| crate::law::format_decimal(x, Some(4)))
            .unwrap_or_default()
    };
    if let Some(taux) = &detail.taux {
        for x in taux
            .iter()
            .filter(|x| x.avant != x.apres || delegs.iter().any(|c| c.elu == x.elu))
        {
            w.ligne([
                "indemnite".to_string(),
                s.elus[x.elu].id.clone(),
                s.elus[x.elu].nom_complet(),
                vide(),
                vide(),
                vide(),
                vide(),
                vide(),
                vide(),
                vide(),
                pc(x.avant),
                pc(x.apres),
            ]);
        }
    }
    w.octets()
}

/// French status line: proved optimal, or the gap and the bound.
pub fn statut(r: &Resultat) -> String {
    let pc = |e: Option<f64>| {
        e.map(|x| format!("{} %", decimal_court(100.0 * x, 2)))
            .unwrap_or_else(|| "inconnu".into())
    };
    let b = |x: Option<f64>| x.map(|v| nombre(v, 3)).unwrap_or_else(|| "inconnue".into());
    match &r.statut {
        Statut::Optimal => "plan optimal (optimalité prouvée)".to_string(),
        Statut::EcartAtteint { borne, ecart } => format!(
            "plan à l'écart demandé de l'optimum : écart {}, borne inférieure {}",
            pc(*ecart),
            b(*borne)
        ),
        Statut::LimiteTemps { borne, ecart } => format!(
            "arrêt par la limite de temps (--limite-temps), optimalité NON prouvée : écart {}, borne inférieure {} ; la limite de temps dépend de la machine : une autre exécution peut donner un autre plan (--limite-noeuds donne un arrêt reproductible)",
            pc(*ecart),
            b(*borne)
        ),
        Statut::LimiteNoeuds { borne, ecart } => format!(
            "arrêt par la limite de nœuds (--limite-noeuds, reproductible), optimalité NON prouvée : écart {}, borne inférieure {}",
            pc(*ecart),
            b(*borne)
        ),
        Statut::Interrompu { borne, ecart } => format!(
            "recherche interrompue (Ctrl-C) : meilleur plan trouvé, optimalité NON prouvée : écart {}, borne inférieure {}",
            pc(*ecart),
            b(*borne)
        ),
        Statut::Repli { raison } => format!(
            "pas de solution du solveur ({raison}) : plan de repli (la proposition réparée), qualité inconnue"
        ),
    }
}

/// The summary printed after a solve: status, objective before/after, units moved, DGA per
/// group and load per group before/after.
pub fn resume(s: &Scenario, d: &Donnees, r: &Resultat) -> String {
    resume_avec(s, d, r, &detail(s, d, &r.plan))
}

/// [`resume`] with the plan's [`Detail`] already computed.
pub fn resume_avec(s: &Scenario, d: &Donnees, r: &Resultat, detail: &Detail) -> String {
    let mut o = String::new();
    let avant = Plan::actuel(d);
    let _ = writeln!(o, "Résultat : {}.", statut(r));
    for l in regles_levees(&r.levees) {
        let _ = writeln!(o, "{l}");
    }
    let _ = writeln!(
        o,
        "Objectif : {} avant → {} après (pôles couverts {} → {}, unités déplacées {}, élu·es déplacé·es {}, délégations passées en appui {}, liens fonctionnels entre groupes {} → {}, écart de charge {} → {}).",
        nombre(r.avant.total, 3),
        nombre(r.cout.total, 3),
        r.avant.dispersion,
        r.cout.dispersion,
        r.cout.changements,
        r.cout.deplacements,
        r.cout.retraits,
        r.avant.liens,
        r.cout.liens,
        nombre(r.avant.ecart, 3),
        nombre(r.cout.ecart, 3),
    );
    // A rule lifted on this input (said above) is no breach of the input plan either.
    let infractions: Vec<_> = crate::optimise::verify(&avant, d)
        .into_iter()
        .filter(|v| !r.levees.iter().any(|l| l.regle == v.cle))
        .collect();
    if !infractions.is_empty() {
        let mut familles: Vec<&str> = infractions
            .iter()
            .map(|v| v.cle.famille().libelle())
            .collect();
        familles.sort_unstable();
        familles.dedup();
        let _ = writeln!(
            o,
            "Le plan d'entrée n'est pas un plan admissible : il enfreint {} règle(s) ({}), son objectif n'est donc pas comparable à celui de la proposition.",
            infractions.len(),
            familles.join(", ")
        );
    }
    // Groups left without a unit: transversal ones by design, thematic ones only where « every
    // thematic group leads a unit » was lifted (said above, with why).
    let sans_unite = |transversal: bool| -> Vec<&str> {
        (0..d.groupes.len())
            .filter(|&g| d.groupes[g].transversal == transversal)
            .filter(|&g| !r.plan.unites.contains(&Some(g)))
            .map(|g| d.groupes[g].id.as_str())
            .collect()
    };
    let (thematiques, transversaux) = (sans_unite(false), sans_unite(true));
    if !transversaux.is_empty() {
        let _ = writeln!(
            o,
            "Groupe(s) transversal(aux) sans unité pilotée dans la proposition : {} (à discuter : un groupe transversal agit par ses appuis).",
            transversaux.join(", ")
        );
    }
    if !thematiques.is_empty() {
        let _ = writeln!(
            o,
            "Groupe(s) thématique(s) sans unité pilotée dans la proposition : {} (règle levée, voir ci-dessus : à discuter en séminaire).",
            thematiques.join(", ")
        );
    }
    if r.cout.liens > 0 {
        let _ = writeln!(
            o,
            "Liens fonctionnels laissés entre deux groupes (D002, rattachements secondaires) : {} ; les lever demanderait de déplacer plus d’agents que le lien n’en concerne, de prendre une unité au cœur d’un groupe ou d’en donner une à un groupe transversal : à arbitrer en séminaire.",
            r.cout.liens
        );
    }
    let _ = writeln!(
        o,
        "Agents dont la chaîne hiérarchique change : {} ETP.",
        nombre(r.cout.agents_deplaces, 1)
    );
    let ht = crate::optimise::verification::hors_theme(&r.plan, d);
    if ht.is_empty() {
        let _ = writeln!(
            o,
            "Unités hors thème (reçues par un groupe qui ne partage aucun de leurs domaines) : aucune."
        );
    } else {
        let _ = writeln!(
            o,
            "Unités hors thème (reçues par un groupe qui ne partage aucun de leurs domaines) : {} ({}), coût {} ([groupes] poids_hors_theme = {} chacune) : à discuter en séminaire.",
            ht.len(),
            ht.iter()
                .map(|&(u, g)| format!("{} → {}", d.unites[u].id, d.groupes[g].id))
                .collect::<Vec<_>>()
                .join(", "),
            nombre(d.params.poids_hors_theme * ht.len() as f64, 3),
            nombre(d.params.poids_hors_theme, 3)
        );
    }
    for &n in &d.au_maire {
        let _ = writeln!(
            o,
            "Unité {} ({}) : orpheline (D003) du cabinet du maire, réservée au ou à la maire : aucun groupe d'adjoint·e ne l'adopte ; au ou à la maire de la déléguer.",
            s.organigramme.noeud(n).id,
            s.organigramme.noeud(n).libelle
        );
    }
    let orphelines = avant.unites.iter().filter(|g| g.is_none()).count();
    if orphelines > 0 {
        let _ = writeln!(
            o,
            "Unités sans groupe pilote dans la proposition : {orphelines} ; après : 0."
        );
    }
    let _ = writeln!(o, "\nChangements :");
    let phrases = super::redaction::decrire_changements(s, d, &r.plan);
    for p in &phrases {
        let _ = writeln!(o, "  - {p}.");
    }
    if phrases.is_empty() {
        let _ = writeln!(o, "  aucun");
    }
    let reps = crate::optimise::application::reparations(s, d, &r.plan);
    if !reps.is_empty() {
        let _ = writeln!(
            o,
            "\nRéparations des doubles rattachements — la délégation qui empiète devient un appui avant qu'une unité ne bouge (choix et coût) :"
        );
        for x in &reps {
            let _ = writeln!(o, "  {}", reparation(s, d, x));
        }
    }
    o.push_str(&detail_delegations(
        s,
        d,
        &detail.delegations,
        detail.taux.as_deref(),
    ));
    // Pôles by the one definition (D004's, `analyse::silos::poles_des_groupes`), on the input
    // and on the proposed scenario.
    let (pa, pp) = poles_avant_apres(s, &detail.propose, d);
    let ca = effectifs_groupes(s, d);
    let cp = effectifs_groupes(&detail.propose, d);
    let _ = writeln!(
        o,
        "\n{:<28} {:>12} {:>12} {:>14} {:>14}",
        "Groupe", "pôles avant", "pôles après", "ETP avant", "ETP après"
    );
    for (g, gr) in d.groupes.iter().enumerate() {
        let _ = writeln!(
            o,
            "{:<28} {:>12} {:>12} {:>14} {:>14}",
            gr.id,
            pa[g],
            pp[g],
            nombre(ca[g], 1),
            nombre(cp[g], 1)
        );
    }
    let _ = writeln!(
        o,
        "ETP pilotés : effectif attribué à chaque groupe, règle unique du pilote le plus proche (docs/diagnostics.md)."
    );
    o
}

/// Number of pôles of each group of `d` (in its order) in the input `s` and in the proposed
/// scenario, by the one definition of a group's pôles (`analyse::silos::poles_des_groupes`,
/// D004's), so that `optimiser`, the report and `analyser` agree.
pub fn poles_avant_apres(
    s: &Scenario,
    propose: &Scenario,
    d: &Donnees,
) -> (Vec<usize>, Vec<usize>) {
    let compte = |sc: &Scenario| {
        let p = crate::analyse::silos::poles_des_groupes(sc);
        d.groupes
            .iter()
            .map(|g| p.get(&g.id).map_or(0, |x| x.len()))
            .collect::<Vec<usize>>()
    };
    (compte(s), compte(propose))
}

/// A lifted rule, worded as the rule that no longer holds.
fn regle_levee(c: &Cle) -> String {
    match c {
        Cle::Coeur { unite, groupe } => format!("l'unité {unite} reste au cœur du groupe {groupe}"),
        Cle::LienQuartier { elu, groupe } => format!(
            "{elu}, adjoint·e de quartier, garde une délégation dans une unité pilotée par son groupe {groupe}"
        ),
        Cle::AxeTransversal { unite, groupe } => format!(
            "le groupe transversal {groupe} ne prend pas l'unité {unite}, qu'il ne pilote pas aujourd'hui"
        ),
        Cle::UneUniteParGroupe { groupe } => {
            format!("le groupe thématique {groupe} pilote au moins une unité")
        }
        Cle::TailleMin { groupe } => format!(
            "le groupe {groupe} compte au moins deux élu·es (taille_min par défaut, le binôme)"
        ),
        Cle::TailleMax { groupe } => {
            format!("le groupe {groupe} compte au plus quatre élu·es (taille_max par défaut)")
        }
        Cle::AdjointQuartier { elu } => format!(
            "{elu}, adjoint·e de quartier, ne rejoint qu'un groupe avec lequel il ou elle reste en lien (il ou elle peut rejoindre tout groupe)"
        ),
        c => c.decrire(),
    }
}

/// A rule that wins over a lifted one, worded as a short cause.
fn cause(c: &Cle) -> String {
    match c {
        Cle::Coeur { unite, groupe } => format!("{unite} est au cœur de {groupe}"),
        Cle::VerrouUnite {
            ligne,
            unite,
            groupe,
        } => format!("verrous.csv ligne {ligne} donne {unite} à {groupe}"),
        Cle::PerimetreMembre { elu, unite, groupe } => format!(
            "{elu} (groupe {groupe}) pilote dans {unite} et [groupes] retrait_appui = false"
        ),
        Cle::UneUniteParGroupe { groupe } => {
            format!("{groupe} doit aussi piloter une unité et n'en a pas d'autre possible")
        }
        Cle::LienQuartier { elu, groupe } => {
            format!("{elu}, adjoint·e de quartier, garde son lien avec {groupe}")
        }
        Cle::AxeTransversal { unite, groupe } => {
            format!("le groupe transversal {groupe} ne prend pas {unite}")
        }
        c => c.decrire(),
    }
}

/// Most causes named for one lifted rule; the others are counted.
const CAUSES_MAX: usize = 6;

/// Units of one group's cœur, as a cause: « D01-01 est au cœur de G01 », « D01-02, D02-01 et
/// D02-02 sont au cœur de G02 » (at most [`CAUSES_MAX`] units named, the others counted).
fn coeurs(groupe: &str, unites: &[&str]) -> String {
    let mut noms: Vec<String> = unites
        .iter()
        .take(CAUSES_MAX)
        .map(|u| u.to_string())
        .collect();
    if unites.len() > CAUSES_MAX {
        noms.push(format!("{} autre(s)", unites.len() - CAUSES_MAX));
    }
    match noms.split_last() {
        Some((dernier, [])) => format!("{dernier} est au cœur de {groupe}"),
        Some((dernier, debut)) => {
            format!("{} et {dernier} sont au cœur de {groupe}", debut.join(", "))
        }
        None => String::new(),
    }
}

/// One line per derived rule lifted on this input (« Règle levée : … parce que … »): which rule
/// yields and the stronger rules that win (precedence in docs/developpement.md, « Grouping model »).
pub fn regles_levees(levees: &[RegleLevee]) -> Vec<String> {
    // The default sizes lifted for several groups read as one line per bound.
    let taille = |l: &&RegleLevee, min: bool| {
        l.causes.is_empty()
            && matches!(
                (&l.regle, min),
                (Cle::TailleMin { .. }, true) | (Cle::TailleMax { .. }, false)
            )
    };
    let mut lignes = Vec::new();
    for (min, borne, parce_que) in [
        (
            true,
            "au moins deux élu·es (taille_min par défaut, le binôme)",
            "les élu·es dont le groupe se décide ne suffisent pas à compléter chaque groupe avec les règles plus fortes",
        ),
        (
            false,
            "au plus quatre élu·es (taille_max par défaut)",
            "les élu·es dont le groupe se décide sont trop nombreux·ses pour les places des groupes avec les règles plus fortes",
        ),
    ] {
        let groupes: Vec<&str> = levees
            .iter()
            .filter(|l| taille(l, min))
            .filter_map(|l| match &l.regle {
                Cle::TailleMin { groupe } | Cle::TailleMax { groupe } => Some(groupe.as_str()),
                _ => None,
            })
            .collect();
        let cle = if min { "taille_min" } else { "taille_max" };
        lignes.extend(super::redaction::taille_levee(
            &groupes, borne, parce_que, cle,
        ));
    }
    lignes.extend(levees
        .iter()
        .filter(|l| !taille(l, true) && !taille(l, false))
        .map(|l| {
            // The cœurs of one group read as one cause; every other cause as itself.
            let mut par_groupe: Vec<(&str, Vec<&str>)> = Vec::new();
            let mut autres = Vec::new();
            for c in &l.causes {
                match c {
                    Cle::Coeur { unite, groupe } => {
                        match par_groupe.iter_mut().find(|(g, _)| g == groupe) {
                            Some((_, us)) => us.push(unite),
                            None => par_groupe.push((groupe, vec![unite])),
                        }
                    }
                    c => autres.push(cause(c)),
                }
            }
            par_groupe.sort_by(|a, b| a.0.cmp(b.0));
            let toutes: Vec<String> = autres
                .into_iter()
                .chain(par_groupe.iter().map(|(g, us)| coeurs(g, us)))
                .collect();
            let mut causes: Vec<String> = toutes.iter().take(CAUSES_MAX).cloned().collect();
            if toutes.len() > CAUSES_MAX {
                causes.push(format!("et {} autre(s)", toutes.len() - CAUSES_MAX));
            }
            let parce_que = if causes.is_empty() {
                "parce qu'elle contredit des règles plus fortes (ordre de priorité : règles déclarées, cœurs, liens de quartier, groupes transversaux, une unité par groupe)".to_string()
            } else {
                format!("parce que {}", causes.join(" ; "))
            };
            format!("Règle levée : {}, {parce_que}.", regle_levee(&l.regle))
        }));
    lignes
}

/// French diagnosis of an infeasible model: what conflicts, and how to lift it. What was written
/// is the command's to say (`rapport --optimiser` writes its report even then).
pub fn infaisabilite(inf: &Infaisabilite) -> String {
    let mut o =
        String::from("Aucun plan ne respecte toutes les règles : le problème est infaisable.\n");
    if inf.familles.is_empty() {
        o.push_str("Aucune famille de règles, relâchée seule ou par paire, ne le rend faisable.\n");
    } else {
        o.push_str(
            "Familles de règles en conflit (relâcher l'une d'elles rend le problème faisable) :\n",
        );
        for f in &inf.familles {
            let _ = writeln!(o, "  - {}", f.libelle());
        }
    }
    if !inf.cles.is_empty() {
        o.push_str("Règles incompatibles entre elles :\n");
        for c in &inf.cles {
            let _ = writeln!(o, "  - {}", c.decrire());
        }
    }
    if inf.familles.contains(&Famille::GroupeFixe) {
        o.push_str("Piste : « collegia optimiser --regrouper » laisse collegia changer les conseiller·es délégué·es de groupe.\n");
    }
    if inf.familles.contains(&Famille::Verrou) {
        o.push_str("Piste : corrigez ou retirez les lignes de verrous.csv citées.\n");
    }
    if !inf.complet {
        o.push_str(
            "(Recherche écourtée par la limite de temps : les listes peuvent être incomplètes.)\n",
        );
    }
    o
}

/// French label of a délégation change.
pub fn nature(n: Nature) -> &'static str {
    match n {
        Nature::PiloteAjoutee => "pilote ajoutée",
        Nature::PiloteRetiree => "pilote retirée",
        Nature::PiloteVersAppui => "pilote → appui",
        Nature::AppuiRetiree => "appui retiré",
        Nature::AppuiAjoutee => "appui ajouté",
    }
}

/// French reason of a unit-level decision (« why each change »).
pub fn motif(d: &Donnees, m: Motif, vers: usize) -> String {
    let g = &d.groupes[vers].id;
    match m {
        Motif::Double => {
            format!("sinon le double rattachement (D001) de l'entrée subsiste : {g} y pilote déjà")
        }
        Motif::Lien(v) => format!(
            "lien fonctionnel (D002) avec {} ({}), que {g} pilote",
            d.unites[v].id, d.unites[v].libelle
        ),
        Motif::Pole => format!("{g} pilote déjà ce pôle, que l'ancien groupe quitte"),
        Motif::Equilibre => "équilibre des effectifs entre groupes".into(),
        Motif::Verrou(ligne) => format!("verrous.csv ligne {ligne} la donne à {g}"),
    }
}

/// One repair, in French: who becomes appui where, its cost, and the other choice.
pub fn reparation(
    s: &Scenario,
    d: &Donnees,
    x: &crate::optimise::application::Reparation,
) -> String {
    let un = &d.unites[x.unite];
    let elus: Vec<&str> = x.elus.iter().map(|&e| s.elus[e].id.as_str()).collect();
    format!(
        "{} ({}) : les délégations pilotes de {} ({}) deviennent des appuis — coût {} ; l'autre choix, donner {} à {}, {}",
        un.id,
        un.libelle,
        d.groupes[x.groupe].id,
        elus.join(", "),
        nombre(x.cout, 3),
        un.id,
        d.groupes[x.groupe].id,
        match &x.alternative {
            Ok(delta) => format!("coûterait {} de plus", nombre(delta.max(0.0), 3)),
            Err(regle) => format!("enfreindrait une règle ({regle})"),
        }
    )
}

/// French reason of a unit whose group changes in `plan` (an orphan adopted included): the
/// motif of a move, or « orpheline (D003) adoptée », then what the receiving group shares with
/// it ([`theme`]); for an adoption, the runner-up receiver and what it would have cost. Empty
/// when the unit keeps its group.
pub fn raison_unite(
    d: &Donnees,
    plan: &Plan,
    u: usize,
    entree: &crate::optimise::application::DoublesEntree,
) -> String {
    let un = &d.unites[u];
    match (un.actuel, plan.unites[u]) {
        (Some(a), Some(b)) if a != b => {
            let m = motif(
                d,
                crate::optimise::application::motif(d, plan, u, a, b, entree),
                b,
            );
            match theme(d, plan, u, b) {
                t if t.is_empty() => m,
                t => format!("{m} ; {t}"),
            }
        }
        (None, Some(b)) => {
            let th = theme(d, plan, u, b);
            let mut t = if un.domaines.is_empty() {
                format!(
                    "orpheline (D003) adoptée par {} : aucun domaine connu pour cette unité (déclarez-le dans la colonne domaine)",
                    d.groupes[b].id
                )
            } else if th.is_empty() {
                format!("orpheline (D003) adoptée par {}", d.groupes[b].id)
            } else {
                format!("orpheline (D003) adoptée : {th}")
            };
            match crate::optimise::application::second_receveur(d, plan, u) {
                Some((h, delta)) => {
                    let _ = write!(
                        t,
                        " ; à défaut {}, qui aurait coûté {} de plus",
                        d.groupes[h].id,
                        nombre(delta.max(0.0), 3)
                    );
                }
                None => t.push_str(" ; aucun autre groupe ne pouvait la prendre"),
            }
            t
        }
        _ => String::new(),
    }
}

/// What group `g` shares with unit `u` in `plan`, in French: « cimetières et pompes funèbres →
/// G06, qui pilote déjà « état civil et affaires civiles » dans la même direction (SRV-EC) »;
/// « hors thème : … » when it shares nothing; empty when the unit or the group has no domain.
pub fn theme(d: &Donnees, plan: &Plan, u: usize, g: usize) -> String {
    use crate::optimise::application::{Lieu, theme as calcul};
    let table = crate::model::domaine::TableDomaines::integree();
    let nom = |x: usize| table.domaine(x).libelle.to_lowercase();
    let t = calcul(d, plan, u, g);
    let gid = &d.groupes[g].id;
    if t.hors_theme {
        let autres = crate::optimise::application::receveurs_dans_le_theme(d, plan, u);
        return format!(
            "hors thème : {gid} ne partage aucun de ses domaines ({}) ; {}",
            table.libelles(&d.unites[u].domaines),
            if autres.is_empty() {
                "aucun groupe qui en partage un ne pouvait la prendre sans enfreindre une règle"
                    .to_string()
            } else {
                format!(
                    "{} en partage(nt) un et pouvai(en)t la prendre",
                    autres
                        .iter()
                        .map(|&h| d.groupes[h].id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    let Some((a, b)) = t.partage else {
        return String::new();
    };
    match t.deja {
        Some((v, lieu)) => format!(
            "{} → {gid}, qui pilote déjà « {} »{} ({})",
            nom(a),
            nom(b),
            match lieu {
                Lieu::MemeDirection => " dans la même direction",
                Lieu::MemePole => " dans le même pôle",
                Lieu::Ailleurs => "",
            },
            d.unites[v].id
        ),
        None => format!(
            "{} → {gid}, dont les délégations portent déjà sur « {} »",
            nom(a),
            nom(b)
        ),
    }
}

/// French reason of a délégation change.
pub fn raison(d: &Donnees, r: &Raison) -> String {
    match *r {
        Raison::Orpheline { unite, groupe } => format!(
            "{} était orpheline (D003) : {} l'adopte",
            d.unites[unite].id, d.groupes[groupe].id
        ),
        Raison::UniteDeplacee {
            unite,
            de,
            vers,
            motif: m,
        } => format!(
            "{} passe de {} à {} : {}",
            d.unites[unite].id,
            d.groupes[de].id,
            d.groupes[vers].id,
            motif(d, m, vers)
        ),
        Raison::Retrait { unite, groupe } => format!(
            "{} est pilotée par {} : la délégation devient un appui pour lever le double rattachement (D001)",
            d.unites[unite].id, d.groupes[groupe].id
        ),
        Raison::Regroupement { membre } => {
            format!("{} change de groupe", d.membres[membre].id)
        }
        Raison::Completion { unite, groupe } => format!(
            "{} : ce nœud n'avait pas de pilote (D003) ; {}, qui pilote déjà l'unité, la reçoit entière",
            d.unites[unite].id, d.groupes[groupe].id
        ),
        Raison::Fusion { noeud } => format!(
            "réécrite avec les autres lignes de même intitulé de l'élu·e en une seule ligne pilote sur {} (même élu·e, même rôle, même intitulé)",
            d.unites
                .iter()
                .find(|u| u.noeud == Some(noeud) || u.couverture.contains(&noeud))
                .map(|u| u.id.clone())
                .unwrap_or_else(|| "le nœud au-dessus".into())
        ),
        Raison::Reecriture => {
            "même périmètre, écrit unité par unité (aucun service ne change de groupe)".into()
        }
        Raison::Perimetre { gagnes, perdus } => format!(
            "aucun service ne change de groupe, mais le périmètre piloté par l'élu·e change : {gagnes} nœud(s) gagné(s), {perdus} nœud(s) perdu(s)"
        ),
    }
}

fn pct_opt(t: Option<rust_decimal::Decimal>) -> String {
    t.map(|x| format!("{} %", crate::law::format_decimal(x, Some(2))))
        .unwrap_or_else(|| "non indemnisé·e".into())
}

/// The délégation rows that change and the indemnités before/after, as printed lines.
pub fn detail_delegations(
    s: &Scenario,
    d: &Donnees,
    liste: &[ChangementDelegation],
    taux: Option<&[TauxAvantApres]>,
) -> String {
    let org = &s.organigramme;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nDélégations modifiées ({}) — chaque ligne de delegations.csv qui change, et pourquoi :",
        liste.len()
    );
    for c in liste {
        let _ = writeln!(
            o,
            "  {} {} — {} ({}) : {} ; {}",
            s.elus[c.elu].id,
            s.elus[c.elu].nom_complet(),
            org.noeud(c.noeud).id,
            org.noeud(c.noeud).libelle,
            nature(c.nature),
            raison(d, &c.raison)
        );
    }
    if liste.is_empty() {
        let _ = writeln!(o, "  aucune");
    }
    match taux {
        Some(t) => {
            let changent: Vec<&TauxAvantApres> = t
                .iter()
                .filter(|x| x.avant != x.apres || liste.iter().any(|c| c.elu == x.elu))
                .collect();
            let _ = writeln!(
                o,
                "\nIndemnités sous la politique du scénario, avant → après ({} élu·es concerné·es) :",
                changent.len()
            );
            for x in changent {
                let _ = writeln!(
                    o,
                    "  {} {} : {} → {}",
                    s.elus[x.elu].id,
                    s.elus[x.elu].nom_complet(),
                    pct_opt(x.avant),
                    pct_opt(x.apres)
                );
            }
        }
        None => {
            let _ = writeln!(
                o,
                "\nIndemnités avant → après : la politique [indemnites] n'a pas d'allocation légale sur l'un des deux scénarios (voir « collegia indemnites »)."
            );
        }
    }
    o
}

/// Folder name of the `k`-th point (from 1) of the front: distinct, sorted, readable.
pub fn nom_point(k: usize, p: &crate::optimise::front::PointFront) -> String {
    format!(
        "point-{k:02}-structure-{}-agents-{}",
        p.structure,
        format!("{:.1}", p.agents).replace('.', "_")
    )
}

/// The front of compromises as files under `front/`: `front.csv` (one row per point), the chart
/// `front-compromis.svg` / `.png`, and one loadable variant folder per point (the same files as
/// the proposal, with `base` given relative to the point's folder and a distinct `nom`), so that
/// `collegia comparer` can set them side by side.
pub fn fichiers_front(
    s: &Scenario,
    d: &Donnees,
    points: &[crate::optimise::front::PointFront],
    base_depuis_point: &str,
) -> Result<Vec<(String, Vec<u8>)>, crate::report::graphiques::GraphiqueError> {
    let mut out = Vec::new();
    let mut w = EcrivainCsv::new();
    w.ligne([
        "point",
        "dossier",
        "structure",
        "poles",
        "liens_entre_groupes",
        "agents_etp",
        "unites_deplacees",
        "delegations_en_appui",
        "ecart_de_charge",
        "statut",
    ]);
    for (k, p) in points.iter().enumerate() {
        let nom = nom_point(k + 1, p);
        w.ligne([
            (k + 1).to_string(),
            nom.clone(),
            p.structure.to_string(),
            p.cout.dispersion.to_string(),
            p.cout.liens.to_string(),
            format!("{:.1}", p.agents).replace('.', ","),
            p.cout.changements.to_string(),
            p.cout.retraits.to_string(),
            format!("{:.3}", p.cout.ecart).replace('.', ","),
            statut_point(&p.statut),
        ]);
        for (f, octets) in fichiers_proposition(s, d, &p.plan, base_depuis_point) {
            let octets = if f == "scenario.toml" {
                super::scenario::toml_variante(
                    &format!(
                        "Point {} du front de compromis de « collegia optimiser --front » : variante du scénario de base.",
                        k + 1
                    ),
                    base_depuis_point,
                    &format!(
                        "{} — front, point {} : structure {}, {} ETP concernés",
                        s.params.nom,
                        k + 1,
                        p.structure,
                        nombre(p.agents, 1)
                    ),
                )
            } else {
                octets
            };
            out.push((format!("front/{nom}/{f}"), octets));
        }
    }
    out.push(("front/front.csv".into(), w.octets()));
    let img = graphique_front(s, points)?;
    out.push(("front/front-compromis.svg".into(), img.svg.into_bytes()));
    out.push(("front/front-compromis.png".into(), img.png));
    Ok(out)
}

/// The chart of the front of compromises (`front-compromis`): agents against structure, one
/// point per proposal.
pub fn graphique_front(
    s: &Scenario,
    points: &[crate::optimise::front::PointFront],
) -> Result<crate::report::graphiques::Image, crate::report::graphiques::GraphiqueError> {
    use crate::report::graphiques::{Courbe, rendre};
    let courbe = Courbe {
        titre: "Front de compromis : structure et agents concernés".into(),
        source: format!("{} — collegia optimiser --front", s.params.nom),
        x: "agents dont la chaîne hiérarchique change (ETP)".into(),
        y: "structure (pôles couverts + liens entre groupes + unités hors thème)".into(),
        series: vec![(
            "propositions (chacune optimale)".into(),
            points
                .iter()
                .map(|p| (p.agents, p.structure as f64))
                .collect(),
        )],
        // Alternatives, not a continuum: no line between them; the structure is a count.
        points_seuls: true,
        y_entier: true,
    };
    rendre(
        &courbe,
        "front-compromis",
        "Front de compromis : structure et agents concernés",
        &format!(
            "Chaque point est une proposition prouvée optimale : pour un nombre d'agents concernés, la structure la plus simple possible ; {} point(s), du plus doux ({} ETP, structure {}) au plus structuré ({} ETP, structure {}).",
            points.len(),
            points.first().map_or("0".into(), |p| nombre(p.agents, 1)),
            points.first().map_or(0, |p| p.structure),
            points.last().map_or("0".into(), |p| nombre(p.agents, 1)),
            points.last().map_or(0, |p| p.structure),
        ),
    )
}

/// One point of the front as the terminal (`collegia optimiser --front`) and the séminaire
/// (`GET /api/front`) show it: the same columns, built once.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LigneFront {
    /// 1-based number of the point, from the gentlest to the most structured.
    pub point: usize,
    /// Its name ([`nom_point`], the folder `collegia optimiser --front` writes it to).
    pub nom: String,
    /// Structure: pôles spanned, functional links between groups and units « hors thème ».
    pub structure: usize,
    /// Pôles spanned by the thematic groups.
    pub poles: usize,
    /// Functional links left between two groups.
    pub liens: usize,
    /// Units moved to, or adopted by, a group sharing none of their domains (`docs/domaines.md`).
    pub hors_theme: usize,
    /// Agents (ETP) whose chain of command changes, rounded to the hundredth.
    pub agents_etp: f64,
    /// Units moved to another group.
    pub unites: usize,
    /// `optimal (prouvé)`, `non prouvé, écart x %` or `repli`.
    pub statut: String,
}

/// How good a point of the front is known to be, in French.
pub fn statut_point(s: &Statut) -> String {
    match s {
        Statut::Optimal => "optimal (prouvé)".to_string(),
        Statut::EcartAtteint { ecart, .. }
        | Statut::LimiteTemps { ecart, .. }
        | Statut::LimiteNoeuds { ecart, .. }
        | Statut::Interrompu { ecart, .. } => format!(
            "non prouvé, écart {}",
            ecart
                .map(|e| format!("{} %", decimal_court(100.0 * e, 2)))
                .unwrap_or_else(|| "inconnu".into())
        ),
        Statut::Repli { .. } => "repli".to_string(),
    }
}

/// The rows of the front, numbered from 1.
pub fn lignes_front(points: &[crate::optimise::front::PointFront]) -> Vec<LigneFront> {
    points
        .iter()
        .enumerate()
        .map(|(k, p)| LigneFront {
            point: k + 1,
            nom: nom_point(k + 1, p),
            structure: p.structure,
            poles: p.cout.dispersion,
            liens: p.cout.liens,
            hors_theme: p.cout.hors_theme,
            // Staff figures have at most two decimals: the sum is printed without float noise.
            agents_etp: (p.agents * 100.0).round() / 100.0,
            unites: p.cout.changements,
            statut: statut_point(&p.statut),
        })
        .collect()
}

/// What a front of a single point means, said where the front is shown: under the rules in
/// force (cœurs, transversal groups, locks) no plan trades agents moved for less structure, and
/// freeing cœurs is how to explore a reorganisation. `None` for a front of several points.
pub fn note_front(points: &[crate::optimise::front::PointFront]) -> Option<&'static str> {
    (points.len() == 1).then_some(
        "Le front n'a qu'un point : sous les règles en vigueur (cœurs des groupes, groupes transversaux, verrous), aucun plan n'a une structure plus simple, même en déplaçant plus d'agents. Pour explorer une réorganisation, libérez des cœurs (« collegia optimiser --liberer-coeurs », ou [groupes] coeurs_liberes pour quelques groupes).",
    )
}

/// The front as printed lines.
pub fn resume_front(points: &[crate::optimise::front::PointFront]) -> String {
    let mut o = String::from(
        "\nFront de compromis (chaque point est optimal pour sa borne ; du plus doux au plus structuré) :\n",
    );
    let _ = writeln!(
        o,
        "  {:<6} {:>10} {:>7} {:>6} {:>11} {:>14} {:>8}  statut",
        "point", "structure", "pôles", "liens", "hors thème", "agents (ETP)", "unités"
    );
    for l in lignes_front(points) {
        let _ = writeln!(
            o,
            "  {:<6} {:>10} {:>7} {:>6} {:>11} {:>14} {:>8}  {}",
            l.point,
            l.structure,
            l.poles,
            l.liens,
            l.hors_theme,
            nombre(l.agents_etp, 1),
            l.unites,
            l.statut
        );
    }
    if let Some(n) = note_front(points) {
        let _ = writeln!(o, "  {n}");
    }
    o
}

/// Each point of the front in words (« Point 2 en clair : … »), by the one wording of changes
/// ([`super::redaction::decrire_changements`]) the report, the deck and the séminaire use.
pub fn front_en_clair(
    s: &Scenario,
    d: &Donnees,
    points: &[crate::optimise::front::PointFront],
) -> String {
    let mut o = String::new();
    for (k, p) in points.iter().enumerate() {
        let phrases = super::redaction::decrire_changements(s, d, &p.plan);
        let _ = writeln!(o, "\nPoint {} en clair :", k + 1);
        if phrases.is_empty() {
            let _ = writeln!(o, "  - aucun changement : c'est l'organisation actuelle.");
        }
        for ph in phrases {
            let _ = writeln!(o, "  - {ph}.");
        }
    }
    o
}
