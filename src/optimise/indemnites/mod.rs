//! Indemnités: an optimal, explained and lawful allocation of the enveloppe, weighted by
//! responsibility (issue 5, `collegia indemnites`).
//!
//! In: a [`Scenario`] (its `[indemnites]` policy, its élu·es, délégations and organigramme).
//! Out: an [`Allocation`] (one line per paid élu·e: weight and components, rate, euros,
//! majorations, binding rules; totals and gaps), or an [`ErreurIndemnites::Infaisable`] with a
//! [`Diagnostic`] of the conflicting rule families.
//!
//! Pipeline: [`preparer`] (law applied at the scenario's date) → [`construire`] (one function
//! per constraint family, each row keyed by its rule) → [`resoudre`] (the one solver function)
//! → rates truncated to the hundredth → [`verifier`] (independent checker: refuses an unlawful
//! allocation) → explanations, majorations (L2123-22, applied after, on the voted rates) and
//! totals. The model and its defaults are described in `docs/indemnites.md`.

pub mod diagnostic;
pub mod donnees;
pub mod evolution;
pub mod modele;
pub mod poids;
pub mod verification;

pub use diagnostic::{Diagnostic, Relachement, diagnostiquer};
pub use donnees::{Beneficiaire, Donnees, NonIndemnise, Regles, preparer};
pub use evolution::{Evolution, evolutions};
pub use modele::{Cle, Famille, TOLERANCE_PREMIER_TEMPS, cibles, construire, second_temps};
pub use poids::{Coefficients, Poids, Responsabilite, poids, responsabilites};
pub use verification::{Violation, verifier};

use crate::law::{LawError, Perimetre, majoration};
use crate::lp::{Direction, EchecSolveur, Probleme, Solution, Statut, resoudre_good_lp};
use crate::model::{Fonction, Liste, Politique, Scenario, Sexe};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Time limit given to the solver, in seconds (the indemnités LP takes milliseconds).
pub const LIMITE_SECONDES: f64 = 60.0;

/// Solves an allocation LP (a minimisation) through the LP layer's good_lp path with microlp:
/// a continuous LP needs neither node limits nor a dual bound.
pub fn resoudre(p: &Probleme<Cle>) -> Result<Solution, EchecSolveur> {
    let o = crate::lp::Options {
        limite_temps: LIMITE_SECONDES,
        ..crate::lp::Options::default()
    };
    resoudre_good_lp(p, Direction::Minimiser, &o)
}

/// Status of an allocation as the reports state it (from the solver, never assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutSolveur {
    /// Proven optimal.
    Optimal,
    /// Stopped by the time limit with a feasible solution.
    LimiteDeTemps,
    /// Stopped within the requested gap.
    LimiteEcart,
}

impl StatutSolveur {
    /// French label.
    pub fn libelle(self) -> &'static str {
        match self {
            StatutSolveur::Optimal => "optimale (prouvée par le solveur)",
            StatutSolveur::LimiteDeTemps => "non prouvée optimale (limite de temps atteinte)",
            StatutSolveur::LimiteEcart => "non prouvée optimale (écart d'optimalité atteint)",
        }
    }
}

impl From<&Statut> for StatutSolveur {
    fn from(s: &Statut) -> Self {
        match s {
            Statut::Optimal => StatutSolveur::Optimal,
            Statut::EcartAtteint { .. } => StatutSolveur::LimiteEcart,
            // The good_lp path stops on its time limit only; the other stops (nodes, Ctrl-C,
            // fallback) belong to the grouping search and are time-like limits here.
            Statut::LimiteTemps { .. }
            | Statut::LimiteNoeuds { .. }
            | Statut::Interrompu { .. }
            | Statut::Repli { .. } => StatutSolveur::LimiteDeTemps,
        }
    }
}

/// Why no allocation came back.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErreurIndemnites {
    /// A legal table could not be applied (date before the tables…).
    #[error("règles d'indemnités inapplicables : {0}")]
    Droit(#[from] LawError),
    /// No allocation satisfies every rule: the diagnosis says which families conflict.
    #[error("aucune répartition ne respecte toutes les règles")]
    Infaisable(Diagnostic),
    /// The solver failed for another reason.
    #[error("{0}")]
    Solveur(EchecSolveur),
    /// The checker refused the solver's allocation (a bug: never expected).
    #[error("répartition refusée par le vérificateur : {}", .0.iter().map(|v| v.message.clone()).collect::<Vec<_>>().join(" ; "))]
    Refusee(Vec<Violation>),
}

/// One paid élu·e.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LigneIndemnite {
    /// Identifier.
    pub id: String,
    /// "Prénom Nom".
    pub nom: String,
    /// Sex.
    pub sexe: Sexe,
    /// Function.
    pub fonction: Fonction,
    /// Group, if any.
    pub groupe: Option<String>,
    /// Component of the majority, if any.
    pub composante: Option<String>,
    /// Majority or opposition.
    pub liste: Liste,
    /// Responsibility figures.
    pub responsabilite: Responsabilite,
    /// Weight and its components (délégué·es).
    pub poids: Option<Poids>,
    /// Target rate of the policy (délégué·es), in %.
    pub cible_pct: Option<Decimal>,
    /// Tier (1 = highest), politique `paliers`.
    pub palier: Option<usize>,
    /// Rate voted, in % of the terme de référence (before majorations).
    pub taux_pct: Decimal,
    /// Monthly gross amount, € (rounded half-up to the cent).
    pub mensuel_eur: Decimal,
    /// Annual gross amount, €.
    pub annuel_eur: Decimal,
    /// Majoration rate added (L2123-22), in %.
    pub majoration_pct: Decimal,
    /// Majoration, € per month.
    pub majoration_eur: Decimal,
    /// Status of the majoration (its rate and the reading of its categories).
    pub majoration_statut: crate::law::Statut,
    /// Monthly total with majoration, €.
    pub total_mensuel_eur: Decimal,
    /// Individual legal cap, in % (barème, L2123-24 IV, L2123-24-1 V…).
    pub plafond_pct: Decimal,
    /// Article of the cap.
    pub plafond_article: &'static str,
    /// Status of the cap.
    pub plafond_statut: crate::law::Statut,
    /// Inside the enveloppe, outside it, or in the L2113-19 cap.
    pub perimetre: Perimetre,
    /// Article that sets the perimeter.
    pub article_perimetre: &'static str,
    /// Rules that bind this rate (French).
    pub regles: Vec<String>,
    /// Rate currently voted (`taux_actuel`), in %.
    pub taux_actuel_pct: Option<Decimal>,
    /// Current monthly amount when `taux_actuel` was written in euros (converted into
    /// `taux_actuel_pct` at the terme de référence of the date).
    pub taux_actuel_eur: Option<Decimal>,
    /// Contributions, cost to the budget and net of the monthly total (majorations included),
    /// at the allocation's date (`None` before the first row of the contribution table).
    pub cout: Option<crate::law::cotisations::CoutIndemnite>,
}

/// Figures of a group of élu·es (sex, component).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistique {
    /// Label.
    pub libelle: String,
    /// Number of paid élu·es.
    pub nombre: usize,
    /// Mean rate, %.
    pub taux_moyen_pct: Decimal,
    /// Total monthly amount (before majorations), €.
    pub mensuel_eur: Decimal,
}

/// Spread of the délégué·es' rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dispersion {
    /// Lowest rate, %.
    pub min_pct: Decimal,
    /// Highest rate, %.
    pub max_pct: Decimal,
    /// max / min.
    pub ratio: Decimal,
    /// Gini coefficient of the rates (0 = all equal).
    pub gini: Decimal,
}

/// Totals of an allocation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totaux {
    /// Enveloppe, in %.
    pub enveloppe_pct: Decimal,
    /// Enveloppe, € per month.
    pub enveloppe_eur: Decimal,
    /// Share requested, in % of the enveloppe.
    pub part_demandee_pct: Decimal,
    /// Points used inside the enveloppe.
    pub utilise_pct: Decimal,
    /// € per month inside the enveloppe (sum of the individual amounts).
    pub utilise_eur: Decimal,
    /// Share of the enveloppe used, in %.
    pub part_utilisee_pct: Decimal,
    /// Points outside the enveloppe (maires délégué·es, conseiller·es ≥ 100 000).
    pub hors_enveloppe_pct: Decimal,
    /// L2113-19: (used, cap) in %, for a commune nouvelle.
    pub commune_nouvelle_pct: Option<(Decimal, Decimal)>,
    /// Status of the L2113-19 cap.
    pub commune_nouvelle_statut: Option<crate::law::Statut>,
    /// Monthly total before majorations, €.
    pub mensuel_eur: Decimal,
    /// Monthly majorations, €.
    pub majorations_eur: Decimal,
    /// Annual cost with majorations, €.
    pub annuel_eur: Decimal,
    /// Cost over the six-year mandate with majorations, €.
    pub mandat_eur: Decimal,
    /// Current monthly total from `taux_actuel` (before majorations), when given.
    pub actuel_mensuel_eur: Option<Decimal>,
    /// Cost with charges, nets and the training budget (`None` before the first row of the
    /// contribution table).
    pub charges: Option<Charges>,
}

/// What the allocation costs the budget, with charges (issue 27 item 7): today's terme de
/// référence and contribution rates held constant over the mandate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Charges {
    /// Monthly gross with majorations, €.
    pub brut_mensuel_eur: Decimal,
    /// Employer's contributions, € per month.
    pub cotisations_employeur_eur: Decimal,
    /// Élu·es' contributions, € per month.
    pub cotisations_elus_eur: Decimal,
    /// Cost with charges, € per month (gross + employer's contributions).
    pub cout_mensuel_eur: Decimal,
    /// Cost with charges over a year, €.
    pub cout_annuel_eur: Decimal,
    /// Cost with charges over the six-year mandate, €.
    pub cout_mandat_eur: Decimal,
    /// Sum of the élu·es' nets before income tax, € per month.
    pub net_mensuel_eur: Decimal,
    /// Annual amounts by M57 budget account (6531 indemnités, 6533 retraite, 6534 sécurité
    /// sociale), with the training budget's floor on 6535.
    pub par_compte: Vec<LigneCompte>,
    /// Training budget (L2123-14).
    pub formation: crate::law::cotisations::BudgetFormation,
    /// The commune employs 50 agents or more (from the organigramme's staff: FNAL rate).
    pub cinquante_agents: bool,
    /// The contribution rates applied (the row of the dated table in force at the date).
    pub bareme: &'static crate::law::cotisations::BaremeCotisations,
    /// Weakest status of the rates used.
    pub statut: crate::law::Statut,
    /// Hypotheses and what is left out (French).
    pub hypotheses: Vec<String>,
}

/// One M57 budget account and its annual amount.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LigneCompte {
    /// Account number (M57, article 653).
    pub compte: &'static str,
    /// French label.
    pub libelle: &'static str,
    /// Annual amount, €.
    pub annuel_eur: Decimal,
    /// Status of the account number.
    pub statut: crate::law::Statut,
}

/// The allocation of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    /// Scenario name.
    pub scenario: String,
    /// Date.
    pub date: chrono::NaiveDate,
    /// Legal regime label.
    pub regime: &'static str,
    /// Terme de référence, € per month (rounded, display only).
    pub terme_reference_eur: Decimal,
    /// Texts of the terme de référence (L2123-20 I and the décret of the point).
    pub terme_reference_textes: String,
    /// Status of the terme de référence (partial after the last verified date).
    pub terme_reference_statut: crate::law::Statut,
    /// How the enveloppe was counted (French) and its article.
    pub enveloppe_note: String,
    /// Article of the enveloppe.
    pub enveloppe_article: &'static str,
    /// Status of the enveloppe (its rule, barème and terme de référence).
    pub enveloppe_statut: crate::law::Statut,
    /// What unverified readings add to the enveloppe (said in red in the report).
    pub enveloppe_ajout_non_verifie: Option<crate::law::AjoutNonVerifie>,
    /// Policy applied.
    pub politique: Politique,
    /// Effective alpha.
    pub alpha: f64,
    /// Floor, %.
    pub plancher_pct: Decimal,
    /// Ratio, if any.
    pub ratio_max: Option<Decimal>,
    /// Paid élu·es, in input order.
    pub lignes: Vec<LigneIndemnite>,
    /// Unpaid élu·es and why.
    pub non_indemnises: Vec<NonIndemnise>,
    /// Totals.
    pub totaux: Totaux,
    /// Spread of the délégué·es' rates.
    pub dispersion: Option<Dispersion>,
    /// Délégué·es by sex.
    pub par_sexe: Vec<Statistique>,
    /// Délégué·es of the majority by component (the same base as `par_sexe`).
    pub par_composante: Vec<Statistique>,
    /// Global remarks (share not reached, enveloppe reached, open legal points).
    pub remarques: Vec<String>,
    /// Solver status, from the solver.
    pub statut: StatutSolveur,
    /// Backend.
    pub solveur: &'static str,
    /// Solve time (not serialised: outputs stay byte-stable).
    #[serde(skip)]
    pub duree: Duration,
}

fn dec(x: f64) -> Decimal {
    Decimal::from_f64(x).unwrap_or(Decimal::ZERO)
}

/// Truncates a solver rate to the hundredth, after a 1e-6 allowance for floating-point noise:
/// every bound of the model has at most two decimals, so the truncated rates respect them all
/// and their sum never exceeds a total the solver respected.
pub fn tronquer(x: f64) -> Decimal {
    dec(x.max(0.0) + 1e-6).round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

/// The allocation of a scenario under its `[indemnites]` policy.
pub fn allouer(s: &Scenario) -> Result<Allocation, ErreurIndemnites> {
    let d = preparer(s)?;
    allouer_donnees(s, &d)
}

/// The allocation from prepared data (for callers that adjust the data, e.g. the sweep).
pub fn allouer_donnees(s: &Scenario, d: &Donnees) -> Result<Allocation, ErreurIndemnites> {
    let modele = construire(d, &Famille::TOUTES);
    let premier = match resoudre(&modele) {
        Ok(sol) => sol,
        Err(EchecSolveur::Infaisable) => {
            return Err(ErreurIndemnites::Infaisable(diagnostiquer(d)));
        }
        Err(e) => return Err(ErreurIndemnites::Solveur(e)),
    };
    // Second, lexicographic stage: the same optimum, the smallest largest relative gap to
    // target. It cannot be infeasible (the first solution satisfies it); should the solver
    // still fail on it, the first stage's allocation stands (it is lawful and optimal too).
    let sol = match resoudre(&second_temps(d, &modele, premier.objectif)) {
        Ok(mut s2) => {
            s2.duree += premier.duree;
            s2
        }
        Err(_) => premier,
    };
    let taux: Vec<Decimal> = (0..d.beneficiaires.len())
        .map(|i| tronquer(sol.valeurs[i]))
        .collect();
    let par_id: BTreeMap<String, Decimal> = d
        .beneficiaires
        .iter()
        .zip(&taux)
        .map(|(b, t)| (b.id.clone(), *t))
        .collect();
    let violations = verifier(s, &par_id)?;
    // A legal violation is refused; so is a policy one (the model should never produce it).
    if !violations.is_empty() {
        return Err(ErreurIndemnites::Refusee(violations));
    }
    assembler(
        s,
        d,
        &taux,
        StatutSolveur::from(&sol.statut),
        sol.solveur,
        sol.duree,
    )
}

fn assembler(
    s: &Scenario,
    d: &Donnees,
    taux: &[Decimal],
    statut: StatutSolveur,
    solveur: &'static str,
    duree: Duration,
) -> Result<Allocation, ErreurIndemnites> {
    let b = &d.reference;
    let cibles = cibles(d);
    let maire = d.maire.map(|m| taux[m]);
    let delegues: Vec<Decimal> = d
        .beneficiaires
        .iter()
        .zip(taux)
        .filter(|(b, _)| b.delegue)
        .map(|(_, t)| *t)
        .collect();
    let (dmin, dmax) = (
        delegues.iter().min().copied(),
        delegues.iter().max().copied(),
    );
    let cinquante = crate::law::cotisations::cinquante_agents(s);
    let mut lignes = Vec::new();
    for (k, (bf, &t)) in d.beneficiaires.iter().zip(taux).enumerate() {
        let e = &s.elus[bf.elu];
        let maj = majoration(&d.commune, bf.fonction, t, bf.population_strate)?;
        let mensuel = b.montant(t);
        let cout = crate::law::cotisations::cout_elu(s, e, mensuel + maj.montant_total_eur);
        let mut regles = Vec::new();
        if let Some((_, motif)) = &bf.taux_impose {
            regles.push(format!("taux fixé : {motif}"));
        }
        if t == bf.plafond.taux {
            regles.push(format!(
                "plafond {} atteint ({})",
                bf.plafond.article.trim_start_matches("CGCT "),
                bf.plafond.libelle
            ));
        }
        if bf.fonction == Fonction::Adjoint && Some(t) == maire && t < bf.plafond.taux {
            regles.push("égal à l'indemnité du maire (L2123-24 IV)".into());
        }
        if let Some(c) = bf.plafond_ecretement
            && t >= c
        {
            regles.push("plafond d'écrêtement L2123-20 II atteint (majorations comprises)".into());
        }
        if bf.delegue {
            if d.regles.plancher > Decimal::ZERO && t == d.regles.plancher {
                regles.push(format!(
                    "plancher de {} atteint",
                    crate::law::format_taux(d.regles.plancher)
                ));
            }
            if let (Some(r), Some(lo), Some(hi)) = (d.regles.ratio_max, dmin, dmax)
                && hi >= r * lo - verification::TOLERANCE_POLITIQUE * r
            {
                if t == hi {
                    regles.push(format!(
                        "ratio maximal {} atteint (plus haut taux)",
                        r.normalize()
                    ));
                } else if t == lo {
                    regles.push(format!(
                        "ratio maximal {} atteint (plus bas taux)",
                        r.normalize()
                    ));
                }
            }
            if let Some(p) = bf.palier {
                regles.push(format!("palier {}", p + 1));
            }
        }
        lignes.push(LigneIndemnite {
            id: e.id.clone(),
            nom: e.nom_complet(),
            sexe: e.sexe,
            fonction: e.fonction,
            groupe: e.groupe.clone(),
            composante: e.composante.clone(),
            liste: e.liste,
            responsabilite: bf.responsabilite.clone(),
            poids: bf.poids.clone(),
            cible_pct: cibles[k].map(|c| dec(c).round_dp(2)),
            palier: bf.palier.map(|p| p + 1),
            taux_pct: t,
            mensuel_eur: mensuel,
            annuel_eur: mensuel * Decimal::from(12),
            majoration_pct: maj.taux_total.round_dp(4).normalize(),
            majoration_eur: maj.montant_total_eur,
            majoration_statut: maj.statut,
            total_mensuel_eur: mensuel + maj.montant_total_eur,
            plafond_pct: bf.plafond.taux,
            plafond_article: bf.plafond.article,
            plafond_statut: bf.plafond.statut,
            perimetre: bf.perimetre.perimetre,
            article_perimetre: bf.perimetre.article,
            regles,
            taux_actuel_pct: e
                .taux_actuel
                .and_then(Decimal::from_f64)
                .map(|x| x.round_dp(4).normalize()),
            taux_actuel_eur: e
                .taux_actuel_eur
                .and_then(Decimal::from_f64)
                .map(|x| x.round_dp(2).normalize()),
            cout,
        });
    }

    // Totals.
    let env = &d.enveloppe;
    let somme = |f: &dyn Fn(&LigneIndemnite) -> bool,
                 g: &dyn Fn(&LigneIndemnite) -> Decimal|
     -> Decimal { lignes.iter().filter(|l| f(l)).map(g).sum() };
    let dedans = |l: &LigneIndemnite| l.perimetre == Perimetre::Enveloppe;
    // The maire's raise (L2123-23 last paragraph) is outside the enveloppe.
    let utilise_pct = somme(&dedans, &|l| l.taux_pct) - d.majoration_maire.unwrap_or_default();
    let mensuel = somme(&|_| true, &|l| l.mensuel_eur);
    let majorations = somme(&|_| true, &|l| l.majoration_eur);
    let annuel = (mensuel + majorations) * Decimal::from(12);
    let actuel: Vec<Decimal> = s
        .elus
        .iter()
        .filter_map(|e| e.taux_actuel.and_then(Decimal::from_f64))
        .map(|t| b.montant(t.round_dp(4)))
        .collect();
    let commune_nouvelle_pct = d.plafond_cn.as_ref().map(|cap| {
        (
            somme(
                &|l| matches!(l.fonction, Fonction::Adjoint | Fonction::MaireDelegue),
                &|l| l.taux_pct,
            ),
            cap.taux_total,
        )
    });
    let totaux = Totaux {
        enveloppe_pct: env.taux_total,
        enveloppe_eur: env.montant_eur,
        part_demandee_pct: d.regles.part_enveloppe,
        utilise_pct,
        utilise_eur: somme(&dedans, &|l| l.mensuel_eur),
        part_utilisee_pct: if env.taux_total > Decimal::ZERO {
            (utilise_pct * Decimal::ONE_HUNDRED / env.taux_total).round_dp(2)
        } else {
            Decimal::ZERO
        },
        hors_enveloppe_pct: somme(&|l| !dedans(l), &|l| l.taux_pct),
        commune_nouvelle_pct,
        commune_nouvelle_statut: d.plafond_cn.as_ref().map(|c| c.statut),
        mensuel_eur: mensuel,
        majorations_eur: majorations,
        annuel_eur: annuel,
        mandat_eur: annuel * Decimal::from(6),
        actuel_mensuel_eur: if actuel.is_empty() {
            None
        } else {
            Some(actuel.iter().copied().sum())
        },
        charges: charges(
            d.commune.date,
            &lignes,
            env.montant_eur,
            majorations,
            cinquante,
        ),
    };

    let dispersion = dispersion(&delegues);
    let stat = |libelle: String, ls: Vec<&LigneIndemnite>| -> Statistique {
        let n = ls.len();
        let tot: Decimal = ls.iter().map(|l| l.taux_pct).sum();
        Statistique {
            libelle,
            nombre: n,
            taux_moyen_pct: if n > 0 {
                (tot / Decimal::from(n)).round_dp(2)
            } else {
                Decimal::ZERO
            },
            mensuel_eur: ls.iter().map(|l| l.mensuel_eur).sum(),
        }
    };
    let delegue_ids: Vec<&str> = d
        .beneficiaires
        .iter()
        .filter(|b| b.delegue)
        .map(|b| b.id.as_str())
        .collect();
    let par_sexe = [(Sexe::F, "femmes"), (Sexe::M, "hommes")]
        .into_iter()
        .map(|(sx, lib)| {
            stat(
                format!("délégué·es {lib}"),
                lignes
                    .iter()
                    .filter(|l| l.sexe == sx && delegue_ids.contains(&l.id.as_str()))
                    .collect(),
            )
        })
        .collect();
    let mut composantes: BTreeMap<String, Vec<&LigneIndemnite>> = BTreeMap::new();
    // The same base as `par_sexe` (délégué·es only: the maire and the maires délégué·es are
    // paid by function, not by the allocation's weights), so that a gap between two rows is a
    // gap between people in the same position, never a base effect.
    for l in lignes
        .iter()
        .filter(|l| l.liste == Liste::Majorite && delegue_ids.contains(&l.id.as_str()))
    {
        composantes
            .entry(format!(
                "délégué·es {}",
                l.composante.as_deref().unwrap_or("(sans composante)")
            ))
            .or_default()
            .push(l);
    }
    let par_composante = composantes.into_iter().map(|(c, ls)| stat(c, ls)).collect();

    let mut remarques = composition(s);
    remarques.extend(d.remarques.iter().cloned());
    let conversions: Vec<String> = lignes
        .iter()
        .filter_map(|l| {
            Some(format!(
                "{} {} = {}",
                l.id,
                crate::law::format_euros(l.taux_actuel_eur?),
                crate::law::format_taux(l.taux_actuel_pct?)
            ))
        })
        .collect();
    if !conversions.is_empty() {
        remarques.push(format!(
            "Taux actuels donnés en euros, convertis au terme de référence du {} ({} pour 100 %, CGCT L2123-20 I) : {}.",
            crate::format::date(d.commune.date),
            crate::law::format_euros(d.reference.base_arrondie()),
            conversions.join(" ; ")
        ));
    }
    if let Some(m) = d.majoration_maire {
        remarques.push(format!(
            "Majoration de 40 % du barème du maire (+{} points, L2123-23 dernier alinéa) : hors enveloppe, dans la limite du total des indemnités maximales du conseil ({}) ; assiette et périmètre selon la lecture L121, non vérifiée.",
            crate::law::format_decimal(m, None),
            crate::law::format_taux(d.maxima_conseil)
        ));
    }
    if utilise_pct < d.cible_enveloppe {
        let manque = d.cible_enveloppe - utilise_pct;
        if manque > Decimal::from(lignes.len()) / Decimal::ONE_HUNDRED {
            remarques.push(format!(
                "La part demandée ({} de l'enveloppe, soit {} points) n'est pas atteinte : les plafonds et les taux fixés ne permettent d'utiliser que {} points ({} de l'enveloppe).",
                crate::law::format_taux(d.regles.part_enveloppe),
                crate::law::format_decimal(d.cible_enveloppe, None),
                crate::law::format_decimal(utilise_pct, None),
                crate::law::format_taux(totaux.part_utilisee_pct)
            ));
        } else {
            remarques.push(format!(
                "Part demandée atteinte à l'arrondi près : {} points non attribués (taux tronqués au centième de point).",
                crate::law::format_decimal(manque, None)
            ));
        }
    } else {
        remarques.push("Part demandée de l'enveloppe atteinte.".into());
    }
    if d.regles.politique != Politique::Egalitaire {
        remarques.push(
            "Point de droit : les critères de répartition doivent être objectifs, liés aux fonctions exercées (source unique) ; les poids de collegia en sont une proposition documentée."
                .into(),
        );
    }
    if d.beneficiaires
        .iter()
        .any(|b| b.fonction == Fonction::AdjointMaireDelegue)
    {
        remarques.push(
            "Adjoint·es au maire délégué·e : chacun·e plafonné·e au barème des adjoint·es de la strate de sa commune déléguée (L2113-19), hors enveloppe et hors plafond distinct de L2113-19 (lecture, point ouvert L123).".into(),
        );
    }
    if d.beneficiaires
        .iter()
        .any(|b| b.fonction == Fonction::Adjoint)
        && d.maire.is_some()
    {
        remarques.push(
            "L2123-24 IV appliqué en lecture stricte : aucun·e adjoint·e au-dessus de l'indemnité votée du maire (point ouvert L105).".into(),
        );
    }
    Ok(Allocation {
        scenario: d.nom.clone(),
        date: d.commune.date,
        regime: env.regime.libelle(),
        terme_reference_eur: d.reference.base_arrondie(),
        terme_reference_textes: d.reference.textes.clone(),
        terme_reference_statut: d.reference.statut,
        enveloppe_note: env.note.clone(),
        enveloppe_article: env.article,
        enveloppe_statut: env.statut,
        enveloppe_ajout_non_verifie: env.ajout_non_verifie.clone(),
        politique: d.regles.politique,
        alpha: d.regles.alpha,
        plancher_pct: d.regles.plancher,
        ratio_max: d.regles.ratio_max,
        lignes,
        non_indemnises: d.non_indemnises.clone(),
        totaux,
        dispersion,
        par_sexe,
        par_composante,
        remarques,
        statut,
        solveur,
        duree,
    })
}

/// The totals with charges, by budget account, and the training budget; `None` when a line
/// has no cost (date before the contribution table).
fn charges(
    date: chrono::NaiveDate,
    lignes: &[LigneIndemnite],
    enveloppe_eur: Decimal,
    majorations_eur: Decimal,
    cinquante: bool,
) -> Option<Charges> {
    use crate::law::cotisations::{
        COMPTE_FORMATION, COMPTE_INDEMNITES, COMPTE_RETRAITE, COMPTE_SECURITE_SOCIALE,
        STATUT_COMPTES, bareme_cotisations, budget_formation,
    };
    let bareme = bareme_cotisations(date).ok()?;
    let couts: Vec<&crate::law::cotisations::CoutIndemnite> = lignes
        .iter()
        .map(|l| l.cout.as_ref())
        .collect::<Option<_>>()?;
    let douze = Decimal::from(12);
    let brut: Decimal = couts.iter().map(|c| c.brut_mensuel_eur).sum();
    let employeur: Decimal = couts.iter().map(|c| c.cotisations_employeur_eur).sum();
    let elus: Decimal = couts.iter().map(|c| c.cotisations_elu_eur).sum();
    let cout: Decimal = couts.iter().map(|c| c.cout_mensuel_eur).sum();
    let net: Decimal = couts.iter().map(|c| c.net_mensuel_eur).sum();
    let compte = |n: &str| -> Decimal {
        couts
            .iter()
            .flat_map(|c| &c.employeur)
            .filter(|p| p.compte == Some(n))
            .map(|p| p.montant_eur)
            .sum::<Decimal>()
            * douze
    };
    // L2123-14: the maximum indemnités (the enveloppe) with the majorations voted.
    let formation = budget_formation((enveloppe_eur + majorations_eur) * douze);
    let par_compte = vec![
        LigneCompte {
            compte: COMPTE_INDEMNITES,
            libelle: "Indemnités des élu·es (brut, majorations comprises)",
            annuel_eur: brut * douze,
            statut: STATUT_COMPTES,
        },
        LigneCompte {
            compte: COMPTE_RETRAITE,
            libelle: "Cotisations de retraite (IRCANTEC, part employeur)",
            annuel_eur: compte(COMPTE_RETRAITE),
            statut: STATUT_COMPTES,
        },
        LigneCompte {
            compte: COMPTE_SECURITE_SOCIALE,
            libelle: "Cotisations de sécurité sociale (part employeur)",
            annuel_eur: compte(COMPTE_SECURITE_SOCIALE),
            statut: STATUT_COMPTES,
        },
        LigneCompte {
            compte: COMPTE_FORMATION,
            libelle: "Formation des élu·es (plancher L2123-14)",
            annuel_eur: formation.plancher_eur,
            statut: STATUT_COMPTES,
        },
    ];
    let statut = couts
        .iter()
        .map(|c| c.statut)
        .max()
        .unwrap_or(crate::law::Statut::Verifie);
    let hypotheses = vec![
        "Terme de référence et taux de cotisation d'aujourd'hui tenus constants sur les six ans du mandat.".to_string(),
        "Net avant impôt sur le revenu (prélèvement à la source non déduit) : brut moins CSG, CRDS, IRCANTEC, DIF et, le cas échéant, cotisations de sécurité sociale.".to_string(),
        "Non compris : la cotisation accidents du travail (taux des agents non titulaires de la collectivité), le versement mobilité, l'assujettissement volontaire (CSS L382-31).".to_string(),
        format!(
            "FNAL au taux des employeurs de {} (effectif de l'organigramme).",
            if cinquante { "50 agents et plus" } else { "moins de 50 agents" }
        ),
    ];
    Some(Charges {
        brut_mensuel_eur: brut,
        cotisations_employeur_eur: employeur,
        cotisations_elus_eur: elus,
        cout_mensuel_eur: cout,
        cout_annuel_eur: cout * douze,
        cout_mandat_eur: cout * douze * Decimal::from(6),
        net_mensuel_eur: net,
        par_compte,
        formation,
        cinquante_agents: cinquante,
        bareme,
        statut,
        hypotheses,
    })
}

/// The composition erreurs of the council (L001, L002, L003, L012) as remarks of the
/// allocation: the enveloppe depends on the number of adjoint·es and on the effectif, so a
/// proposal on an unlawful council must say so (issue 16 §5).
fn composition(s: &Scenario) -> Vec<String> {
    crate::law::verifier_composition(s)
        .into_iter()
        .filter(|f| {
            f.gravite == crate::law::Gravite::Erreur
                && matches!(f.code, "L001" | "L002" | "L003" | "L012")
        })
        .map(|f| {
            format!(
                "Erreur de composition {} ({}) : {} L'enveloppe en dépend : corrigez la composition avant de voter cette répartition.",
                f.code, f.article, f.message
            )
        })
        .collect()
}

/// Spread of a list of rates: min, max, max/min and the Gini coefficient
/// `Σ_i Σ_j |x_i − x_j| / (2 n² · moyenne)`.
pub fn dispersion(taux: &[Decimal]) -> Option<Dispersion> {
    let min = taux.iter().min().copied()?;
    let max = taux.iter().max().copied()?;
    let n = Decimal::from(taux.len());
    let total: Decimal = taux.iter().copied().sum();
    let mut diff = Decimal::ZERO;
    for a in taux {
        for b in taux {
            diff += (*a - *b).abs();
        }
    }
    let gini = if total > Decimal::ZERO {
        (diff / (Decimal::TWO * n * total)).round_dp(4)
    } else {
        Decimal::ZERO
    };
    Some(Dispersion {
        min_pct: min,
        max_pct: max,
        ratio: if min > Decimal::ZERO {
            (max / min).round_dp(2)
        } else {
            Decimal::ZERO
        },
        gini,
    })
}

/// One step of the alpha sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointBalayage {
    /// Alpha (0 = equal shares, 1 = responsibility shares).
    pub alpha: Decimal,
    /// Spread of the délégué·es' rates, or `None` when this alpha is infeasible.
    pub dispersion: Option<Dispersion>,
    /// Share of the enveloppe used, in %.
    pub part_utilisee_pct: Option<Decimal>,
}

/// Runs the allocation for alpha = 0, 0,05, …, 1 (21 steps), politique `mixte` (or `paliers`
/// when chosen), and returns the spread at each step: the trade-off a séminaire debates.
pub fn balayage(s: &Scenario) -> Result<Vec<PointBalayage>, ErreurIndemnites> {
    let mut d = preparer(s)?;
    if d.regles.politique != Politique::Paliers {
        d.regles.politique = Politique::Mixte;
    }
    let mut out = Vec::new();
    for k in 0..=20u32 {
        d.regles.alpha = f64::from(k) / 20.0;
        let alpha = Decimal::from(k) / Decimal::from(20);
        match allouer_donnees(s, &d) {
            Ok(a) => out.push(PointBalayage {
                alpha,
                dispersion: a.dispersion,
                part_utilisee_pct: Some(a.totaux.part_utilisee_pct),
            }),
            Err(ErreurIndemnites::Infaisable(_)) => out.push(PointBalayage {
                alpha,
                dispersion: None,
                part_utilisee_pct: None,
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Rate as `f64`, for tests and properties.
pub fn en_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

#[cfg(test)]
mod tests;
