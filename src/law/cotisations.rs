//! What an indemnité de fonction costs the budget and what the élu·e receives: employer and
//! élu·e contributions, as dated, cited rates (issue 27 item 7).
//!
//! In: a date, the monthly gross indemnité (majorations included), whether the élu·e is
//! subject to social-security contributions ([`assujettissement`]) and the size of the
//! commune's staff (FNAL). Out: a [`CoutIndemnite`] (each contribution with its rate, base,
//! amount, article, status and M57 budget account; the employer's cost and the élu·e's net).
//!
//! Rules (CSS = code de la sécurité sociale):
//! - **CSG and CRDS** (9,20 % + 0,50 %) on the whole gross indemnité, without the 1,75 %
//!   abatement, always (URSSAF, « cotisations des élus locaux »);
//! - **IRCANTEC** (compulsory for every paid élu·e, CGCT L2123-28): tranche A up to the
//!   monthly plafond de la sécurité sociale, tranche B above it;
//! - **social-security contributions** (maladie, vieillesse, allocations familiales, FNAL) only
//!   when the élu·e's indemnités from all mandates exceed half the annual plafond (CSS L382-31,
//!   D382-34), then from the first euro; or from the first euro for a maire, or an adjoint·e of
//!   a commune of 10 000 inhabitants or more, who stopped all professional activity for the
//!   mandate (CSS L382-31, second paragraph);
//! - **DIF élu·es** (1 % withheld from the élu·e, CGCT L2123-12-1, D1621-12: base = gross
//!   indemnités including the L2123-22 majorations).
//!
//! Left out, and said where the cost is shown: the accidents du travail contribution (the
//! rate of the commune's non-titulaire agents, which collegia does not know), the versement
//! mobilité (only some communes), the voluntary opt-in of CSS L382-31 (since 1/9/2023), and
//! the income tax withheld at source (the net is before income tax).
//!
//! Each contribution is rounded half-up to the cent; net = gross − the élu·e's contributions;
//! cost = gross + the employer's contributions.

use super::{LawError, Statut, arrondi_centime, date};
use crate::model::Fonction;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

/// Which part of the gross amount a rate applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assiette {
    /// The whole gross amount.
    Totalite,
    /// The part up to the monthly plafond de la sécurité sociale (tranche A).
    TrancheA,
    /// The part above the monthly plafond (tranche B).
    TrancheB,
}

/// When a contribution is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exigibilite {
    /// On every paid indemnité.
    Toujours,
    /// Only when the élu·e is subject to social-security contributions (CSS L382-31).
    Assujetti,
    /// Subject, employer with fewer than 50 agents (FNAL 0,10 % up to the plafond).
    AssujettiMoins50,
    /// Subject, employer with 50 agents or more (FNAL 0,50 % on the whole).
    Assujetti50EtPlus,
}

/// One contribution of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TauxCotisation {
    /// Short code (`csg`, `ircantec_a`…), stable in the CSV and JSON outputs.
    pub code: &'static str,
    /// French label.
    pub libelle: &'static str,
    /// Élu·e's rate, in % of the base.
    pub elu_pct: Decimal,
    /// Employer's rate, in % of the base.
    pub employeur_pct: Decimal,
    /// Base.
    pub assiette: Assiette,
    /// When it is due.
    pub exigibilite: Exigibilite,
    /// Text that sets it.
    pub texte: &'static str,
    /// Status of the rate.
    pub statut: Statut,
    /// M57 budget account of the employer's part (none for a part withheld from the élu·e).
    pub compte: Option<&'static str>,
}

/// The contributions in force from a date on, with the plafond de la sécurité sociale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BaremeCotisations {
    /// First day the row applies.
    pub depuis: NaiveDate,
    /// Annual plafond de la sécurité sociale (PASS), € (CSS L241-3, D242-17).
    pub pass_annuel: Decimal,
    /// Text that sets the PASS.
    pub pass_texte: &'static str,
    /// Status of the PASS.
    pub pass_statut: Statut,
    /// The contributions.
    pub taux: &'static [TauxCotisation],
}

impl BaremeCotisations {
    /// Monthly plafond: PASS / 12 (4 005 € in 2026).
    pub fn plafond_mensuel(&self) -> Decimal {
        self.pass_annuel / dec!(12)
    }

    /// Threshold of CSS L382-31 / D382-34: half the annual PASS (24 030 € in 2026).
    pub fn seuil_annuel(&self) -> Decimal {
        self.pass_annuel / Decimal::TWO
    }
}

/// M57 account of the indemnités themselves (gross amounts, majorations included).
pub const COMPTE_INDEMNITES: &str = "6531";
/// M57 account of the employer's retirement contributions (IRCANTEC).
pub const COMPTE_RETRAITE: &str = "6533";
/// M57 account of the employer's social-security contributions.
pub const COMPTE_SECURITE_SOCIALE: &str = "6534";
/// M57 account of the élu·es' training (L2123-14).
pub const COMPTE_FORMATION: &str = "6535";
/// Status of the M57 account numbers (instruction budgétaire et comptable M57, chapitre 65,
/// article 653): not read in the instruction itself, from memory of the M14 / M57 plans.
pub const STATUT_COMPTES: Statut = Statut::NonVerifie;

/// Contributions that do not change between 2024 and 2026.
macro_rules! taux {
    ($code:expr, $lib:expr, $elu:expr, $emp:expr, $ass:expr, $exi:expr, $texte:expr, $st:expr, $cpt:expr) => {
        TauxCotisation {
            code: $code,
            libelle: $lib,
            elu_pct: $elu,
            employeur_pct: $emp,
            assiette: $ass,
            exigibilite: $exi,
            texte: $texte,
            statut: $st,
            compte: $cpt,
        }
    };
}

use Assiette::{Totalite, TrancheA, TrancheB};
use Exigibilite::{Assujetti, Assujetti50EtPlus, AssujettiMoins50, Toujours};

/// CSG 9,20 % (6,80 % deductible + 2,40 %) and CRDS 0,50 % on 100 % of the indemnités, no
/// abatement: URSSAF official page (reference §10, YES official).
const CSG: TauxCotisation = taux!(
    "csg",
    "CSG",
    dec!(9.20),
    Decimal::ZERO,
    Totalite,
    Toujours,
    "CSS L136-1-1, L136-8 ; URSSAF (sans abattement de 1,75 %)",
    Statut::Verifie,
    None
);
const CRDS: TauxCotisation = taux!(
    "crds",
    "CRDS",
    dec!(0.50),
    Decimal::ZERO,
    Totalite,
    Toujours,
    "ordonnance n° 96-50 art. 14 ; URSSAF (sans abattement de 1,75 %)",
    Statut::Verifie,
    None
);
/// DIF élu·es: 1 % of the gross indemnités, majorations included (CGCT L2123-12-1; the rate
/// read in the regulatory text of décret n° 2021-1708 and the base in D1621-12).
const DIF: TauxCotisation = taux!(
    "dif",
    "Droit individuel à la formation des élu·es",
    dec!(1),
    Decimal::ZERO,
    Totalite,
    Toujours,
    "CGCT L2123-12-1, D1621-12 ; décret n° 2021-1708",
    Statut::Verifie,
    None
);
/// Maladie, maternité, invalidité, décès 13 % + CSA 0,30 %: URSSAF élus page 2024 (official);
/// 13 % + 0,30 % unchanged in 2026 (two payroll sources, January 2026).
const MALADIE: TauxCotisation = taux!(
    "maladie",
    "Maladie, maternité, invalidité, décès et CSA",
    Decimal::ZERO,
    dec!(13.30),
    Totalite,
    Assujetti,
    "CSS L241-2, D242-3 ; CASF L14-10-4 (CSA) ; URSSAF élus",
    Statut::Verifie,
    Some(COMPTE_SECURITE_SOCIALE)
);
/// Vieillesse plafonnée 6,90 % / 8,55 %: CSS D242-4 (text read for 2026).
const VIEILLESSE_PLAFONNEE: TauxCotisation = taux!(
    "vieillesse_plafonnee",
    "Vieillesse plafonnée",
    dec!(6.90),
    dec!(8.55),
    TrancheA,
    Assujetti,
    "CSS D242-4",
    Statut::Verifie,
    Some(COMPTE_SECURITE_SOCIALE)
);
/// Allocations familiales 5,25 % (no reduced rate on the URSSAF élus page).
const FAMILLE: TauxCotisation = taux!(
    "allocations_familiales",
    "Allocations familiales",
    Decimal::ZERO,
    dec!(5.25),
    Totalite,
    Assujetti,
    "CSS L241-6, D241-3-1 ; URSSAF élus",
    Statut::Verifie,
    Some(COMPTE_SECURITE_SOCIALE)
);
/// FNAL: 0,10 % up to the plafond under 50 agents, 0,50 % on the whole from 50 (URSSAF élus
/// 2024 only: PARTIAL for 2025–2026).
const FNAL_MOINS_50: TauxCotisation = taux!(
    "fnal",
    "FNAL (moins de 50 agents)",
    Decimal::ZERO,
    dec!(0.10),
    TrancheA,
    AssujettiMoins50,
    "CSS L834-1 ; URSSAF élus (2024)",
    Statut::Partiel,
    Some(COMPTE_SECURITE_SOCIALE)
);
const FNAL_50: TauxCotisation = taux!(
    "fnal",
    "FNAL (50 agents et plus)",
    Decimal::ZERO,
    dec!(0.50),
    Totalite,
    Assujetti50EtPlus,
    "CSS L834-1 ; URSSAF élus (2024)",
    Statut::Partiel,
    Some(COMPTE_SECURITE_SOCIALE)
);

/// IRCANTEC 2,80 % / 4,20 % (tranche A), 6,95 % / 12,55 % (tranche B): IRCANTEC's page
/// « Le calcul des cotisations » for 2025 (official); unchanged since 2017; 2026 not read.
macro_rules! ircantec {
    ($statut:expr) => {
        [
            taux!(
                "ircantec_a",
                "IRCANTEC tranche A",
                dec!(2.80),
                dec!(4.20),
                TrancheA,
                Toujours,
                "CGCT L2123-28 ; décret n° 70-1277 ; IRCANTEC, taux d'appel",
                $statut,
                Some(COMPTE_RETRAITE)
            ),
            taux!(
                "ircantec_b",
                "IRCANTEC tranche B",
                dec!(6.95),
                dec!(12.55),
                TrancheB,
                Toujours,
                "CGCT L2123-28 ; décret n° 70-1277 ; IRCANTEC, taux d'appel",
                $statut,
                Some(COMPTE_RETRAITE)
            ),
        ]
    };
}

const fn deplafonnee(employeur: Decimal, texte: &'static str) -> TauxCotisation {
    taux!(
        "vieillesse_deplafonnee",
        "Vieillesse déplafonnée",
        dec!(0.40),
        employeur,
        Totalite,
        Assujetti,
        texte,
        Statut::Verifie,
        Some(COMPTE_SECURITE_SOCIALE)
    )
}

const IRCANTEC_2025: [TauxCotisation; 2] = ircantec!(Statut::Verifie);
const IRCANTEC_2026: [TauxCotisation; 2] = ircantec!(Statut::Partiel);

const TAUX_2024: [TauxCotisation; 11] = [
    CSG,
    CRDS,
    DIF,
    IRCANTEC_2025[0],
    IRCANTEC_2025[1],
    MALADIE,
    VIEILLESSE_PLAFONNEE,
    // 2,02 % employer since 1/1/2024 (URSSAF élus 2024; payroll tables of 1/1/2025).
    deplafonnee(dec!(2.02), "CSS D242-4 ; URSSAF élus (2024)"),
    FAMILLE,
    FNAL_MOINS_50,
    FNAL_50,
];

const TAUX_2026: [TauxCotisation; 11] = [
    CSG,
    CRDS,
    DIF,
    IRCANTEC_2026[0],
    IRCANTEC_2026[1],
    MALADIE,
    VIEILLESSE_PLAFONNEE,
    // 2,11 % employer from 1/1/2026 (CSS D242-4 as amended by décret n° 2025-1446, read).
    deplafonnee(dec!(2.11), "CSS D242-4 (décret n° 2025-1446)"),
    FAMILLE,
    FNAL_MOINS_50,
    FNAL_50,
];

/// The dated table. A new year (PASS, a rate) is one new row.
pub const BAREMES: [BaremeCotisations; 3] = [
    // PASS 2024 46 368 € (URSSAF élus page 2024: threshold 23 184 €; payroll tables).
    BaremeCotisations {
        depuis: date(2024, 1, 1),
        pass_annuel: dec!(46368),
        pass_texte: "CSS L241-3, D242-17 (plafond 2024)",
        pass_statut: Statut::Verifie,
        taux: &TAUX_2024,
    },
    // PASS 2025 47 100 € (two payroll sources, January 2025).
    BaremeCotisations {
        depuis: date(2025, 1, 1),
        pass_annuel: dec!(47100),
        pass_texte: "CSS L241-3, D242-17 (plafond 2025)",
        pass_statut: Statut::Verifie,
        taux: &TAUX_2024,
    },
    // PASS 2026 48 060 € (service-public.gouv.fr, reference §10: YES official).
    BaremeCotisations {
        depuis: date(2026, 1, 1),
        pass_annuel: dec!(48060),
        pass_texte: "CSS L241-3, D242-17 (plafond 2026)",
        pass_statut: Statut::Verifie,
        taux: &TAUX_2026,
    },
];

/// Last date the table is known to hold: after it the rates are kept constant and flagged.
pub const FIN_VERIFICATION: NaiveDate = date(2026, 12, 31);

/// The contributions in force at `date`. Error before 1/1/2024 (the first row).
pub fn bareme_cotisations(date: NaiveDate) -> Result<&'static BaremeCotisations, LawError> {
    BAREMES
        .iter()
        .rev()
        .find(|b| b.depuis <= date)
        .ok_or(LawError::DateAvantTable {
            date,
            table: "taux de cotisations des élu·es",
            premiere: BAREMES[0].depuis,
        })
}

/// Why an élu·e is (or is not) subject to social-security contributions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assujettissement {
    /// Indemnités of all mandates above half the PASS (CSS L382-31, D382-34): from the first
    /// euro.
    AuDelaDuSeuil,
    /// Maire, or adjoint·e of a commune of 10 000 inhabitants or more, who stopped work
    /// (CSS L382-31 second paragraph): from the first euro.
    CessationActivite,
    /// At or below the threshold: CSG, CRDS, IRCANTEC and DIF only.
    SousLeSeuil,
}

impl Assujettissement {
    /// True when the social-security contributions are due.
    pub fn assujetti(self) -> bool {
        !matches!(self, Assujettissement::SousLeSeuil)
    }

    /// French wording, with the article.
    pub fn libelle(self) -> &'static str {
        match self {
            Assujettissement::AuDelaDuSeuil => {
                "cotisations de sécurité sociale dès le premier euro : indemnités de tous mandats au-dessus de la moitié du plafond annuel (CSS L382-31, D382-34)"
            }
            Assujettissement::CessationActivite => {
                "cotisations de sécurité sociale dès le premier euro : a cessé son activité professionnelle (CSS L382-31)"
            }
            Assujettissement::SousLeSeuil => {
                "sous le seuil de la moitié du plafond annuel (CSS L382-31, D382-34) : CSG, CRDS, IRCANTEC et DIF seulement"
            }
        }
    }
}

/// Whether the élu·e pays social-security contributions: `brut_mensuel_eur` is this
/// commune's indemnité (majorations included), `autres_mensuel_eur` the indemnités of their
/// other mandates (`autres_indemnites_eur` of `elus.csv`), `cessation_activite` the
/// `elus.csv` column. The stopped-work rule covers the maire and the adjoint·es of communes
/// of 10 000 inhabitants or more (read on the population totale, the population of the
/// CGCT's indemnity strata); for any other function the column has no effect.
pub fn assujettissement(
    bareme: &BaremeCotisations,
    fonction: Fonction,
    population_totale: u32,
    brut_mensuel_eur: Decimal,
    autres_mensuel_eur: Decimal,
    cessation_activite: bool,
) -> Assujettissement {
    let vise = fonction == Fonction::Maire
        || (fonction == Fonction::Adjoint && population_totale >= 10_000);
    if cessation_activite && vise {
        return Assujettissement::CessationActivite;
    }
    if (brut_mensuel_eur + autres_mensuel_eur) * dec!(12) > bareme.seuil_annuel() {
        Assujettissement::AuDelaDuSeuil
    } else {
        Assujettissement::SousLeSeuil
    }
}

/// One contribution applied to one indemnité.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Code of the rate.
    pub code: &'static str,
    /// French label.
    pub libelle: &'static str,
    /// Rate, %.
    pub taux_pct: Decimal,
    /// Base, € per month.
    pub assiette_eur: Decimal,
    /// Amount, € per month (rounded half-up to the cent).
    pub montant_eur: Decimal,
    /// Text.
    pub texte: &'static str,
    /// Status.
    pub statut: Statut,
    /// M57 account (employer's parts).
    pub compte: Option<&'static str>,
}

/// The cost of one monthly indemnité and what the élu·e receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoutIndemnite {
    /// Monthly gross, majorations included, €.
    pub brut_mensuel_eur: Decimal,
    /// Social-security status.
    pub assujettissement: Assujettissement,
    /// Employer's contributions.
    pub employeur: Vec<Part>,
    /// Élu·e's contributions.
    pub elu: Vec<Part>,
    /// Sum of the employer's contributions, € per month.
    pub cotisations_employeur_eur: Decimal,
    /// Sum of the élu·e's contributions, € per month.
    pub cotisations_elu_eur: Decimal,
    /// Net before income tax = gross − the élu·e's contributions, € per month.
    pub net_mensuel_eur: Decimal,
    /// Cost to the budget = gross + the employer's contributions, € per month.
    pub cout_mensuel_eur: Decimal,
    /// Weakest status of the rates and PASS used (partial after [`FIN_VERIFICATION`]).
    pub statut: Statut,
}

fn part(t: &TauxCotisation, taux: Decimal, assiette: Decimal) -> Part {
    Part {
        code: t.code,
        libelle: t.libelle,
        taux_pct: taux,
        assiette_eur: assiette,
        montant_eur: arrondi_centime(assiette * taux / Decimal::ONE_HUNDRED),
        texte: t.texte,
        statut: t.statut,
        compte: t.compte,
    }
}

/// The contributions on a monthly gross indemnité `brut_mensuel_eur` (majorations included)
/// at `date`; `cinquante_agents`: the commune employs 50 agents or more (FNAL).
pub fn cout_indemnite(
    date: NaiveDate,
    brut_mensuel_eur: Decimal,
    assujettissement: Assujettissement,
    cinquante_agents: bool,
) -> Result<CoutIndemnite, LawError> {
    let b = bareme_cotisations(date)?;
    let brut = brut_mensuel_eur.max(Decimal::ZERO);
    let plafond = b.plafond_mensuel();
    let (mut employeur, mut elu) = (Vec::new(), Vec::new());
    let mut statut = b.pass_statut;
    for t in b.taux {
        let du = match t.exigibilite {
            Exigibilite::Toujours => true,
            Exigibilite::Assujetti => assujettissement.assujetti(),
            Exigibilite::AssujettiMoins50 => assujettissement.assujetti() && !cinquante_agents,
            Exigibilite::Assujetti50EtPlus => assujettissement.assujetti() && cinquante_agents,
        };
        if !du {
            continue;
        }
        let assiette = match t.assiette {
            Assiette::Totalite => brut,
            Assiette::TrancheA => brut.min(plafond),
            Assiette::TrancheB => (brut - plafond).max(Decimal::ZERO),
        };
        if assiette.is_zero() {
            continue;
        }
        statut = statut.max(t.statut);
        if t.elu_pct > Decimal::ZERO {
            elu.push(part(t, t.elu_pct, assiette));
        }
        if t.employeur_pct > Decimal::ZERO {
            employeur.push(part(t, t.employeur_pct, assiette));
        }
    }
    if date > FIN_VERIFICATION {
        statut = statut.max(Statut::Partiel);
    }
    let cotisations_employeur_eur: Decimal = employeur.iter().map(|p| p.montant_eur).sum();
    let cotisations_elu_eur: Decimal = elu.iter().map(|p| p.montant_eur).sum();
    Ok(CoutIndemnite {
        brut_mensuel_eur: brut,
        assujettissement,
        employeur,
        elu,
        cotisations_employeur_eur,
        cotisations_elu_eur,
        net_mensuel_eur: brut - cotisations_elu_eur,
        cout_mensuel_eur: brut + cotisations_employeur_eur,
        statut,
    })
}

/// The contributions on élu·e `e`'s monthly gross indemnité in scenario `s` (majorations
/// included), with their social-security status read from `elus.csv` (`cessation_activite`,
/// `autres_indemnites_eur`) and the FNAL rate from the organigramme's staff: the one function
/// `indemnites` and the lettres de mission use. `None` before the first row of the table.
pub fn cout_elu(
    s: &crate::model::Scenario,
    e: &crate::model::Elu,
    brut_mensuel_eur: Decimal,
) -> Option<CoutIndemnite> {
    use rust_decimal::prelude::FromPrimitive;
    let date = s.params.date;
    let bareme = bareme_cotisations(date).ok()?;
    let autres = e
        .autres_indemnites_eur
        .and_then(Decimal::from_f64)
        .unwrap_or_default();
    let a = assujettissement(
        bareme,
        e.fonction,
        s.params.population_totale,
        brut_mensuel_eur,
        autres,
        e.cessation_activite == Some(true),
    );
    cout_indemnite(date, brut_mensuel_eur, a, cinquante_agents(s)).ok()
}

/// Whether the commune employs 50 agents or more, read on the organigramme's total staff (ETP):
/// the FNAL rate (a reading: the URSSAF counts employees, the organigramme ETP).
pub fn cinquante_agents(s: &crate::model::Scenario) -> bool {
    s.organigramme.effectif_total(s.organigramme.racine) >= 50.0
}

/// The élu·e's monthly net before income tax for a gross indemnité (majorations included):
/// the function the lettres de mission call. `assujetti`: social-security contributions due
/// (see [`assujettissement`]).
pub fn net_mensuel(
    date: NaiveDate,
    brut_mensuel_eur: Decimal,
    assujetti: bool,
) -> Result<Decimal, LawError> {
    let a = if assujetti {
        Assujettissement::AuDelaDuSeuil
    } else {
        Assujettissement::SousLeSeuil
    };
    // FNAL is an employer's contribution: the net does not depend on the staff size.
    cout_indemnite(date, brut_mensuel_eur, a, true).map(|c| c.net_mensuel_eur)
}

/// The training budget of the council (CGCT L2123-14): a floor of 2 % and a ceiling of 20 %
/// of the total of the indemnités de fonction the members could receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetFormation {
    /// Annual base, €: the maximum enveloppe over a year (L2123-23, L2123-24) with the
    /// majorations voted (L2123-22 « le cas échéant »).
    pub base_annuelle_eur: Decimal,
    /// Floor: 2 % of the base, € per year.
    pub plancher_eur: Decimal,
    /// Ceiling: 20 % of the base, € per year.
    pub plafond_eur: Decimal,
    /// Status: the 2 % and 20 % are verified (Sénat written question n° 26646 quoting
    /// L2123-14; a second source for 20 %), the base (which indemnités count) is a reading.
    pub statut: Statut,
}

/// Floor of L2123-14, in % of the maximum indemnités.
pub const FORMATION_PLANCHER_PCT: Decimal = dec!(2);
/// Ceiling of L2123-14, in % of the maximum indemnités.
pub const FORMATION_PLAFOND_PCT: Decimal = dec!(20);

/// The training budget on an annual base of maximum indemnités.
pub fn budget_formation(base_annuelle_eur: Decimal) -> BudgetFormation {
    BudgetFormation {
        base_annuelle_eur,
        plancher_eur: arrondi_centime(base_annuelle_eur * FORMATION_PLANCHER_PCT / dec!(100)),
        plafond_eur: arrondi_centime(base_annuelle_eur * FORMATION_PLAFOND_PCT / dec!(100)),
        statut: Statut::Partiel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        date(y, m, j)
    }

    #[test]
    fn threshold_2026_is_half_the_pass() {
        let b = bareme_cotisations(d(2026, 4, 1)).expect("covered");
        // reference §10: PASS 48 060 €, threshold 24 030 € a year, 2 002,50 € a month
        assert_eq!(b.seuil_annuel(), dec!(24030));
        assert_eq!(b.seuil_annuel() / dec!(12), dec!(2002.5));
        assert_eq!(b.plafond_mensuel(), dec!(4005));
        let f = |brut, autres, cessation, fonction, pop| {
            assujettissement(b, fonction, pop, brut, autres, cessation)
        };
        assert_eq!(
            f(dec!(2002.50), dec!(0), false, Fonction::Adjoint, 50_000),
            Assujettissement::SousLeSeuil
        );
        assert_eq!(
            f(dec!(2002.51), dec!(0), false, Fonction::Adjoint, 50_000),
            Assujettissement::AuDelaDuSeuil
        );
        // other mandates count towards the threshold
        assert_eq!(
            f(dec!(1000), dec!(1100), false, Fonction::Conseiller, 50_000),
            Assujettissement::AuDelaDuSeuil
        );
        // stopped work: maire always, adjoint·e only from 10 000 inhabitants
        assert_eq!(
            f(dec!(500), dec!(0), true, Fonction::Maire, 800),
            Assujettissement::CessationActivite
        );
        assert_eq!(
            f(dec!(500), dec!(0), true, Fonction::Adjoint, 9_999),
            Assujettissement::SousLeSeuil
        );
        assert_eq!(
            f(dec!(500), dec!(0), true, Fonction::Adjoint, 10_000),
            Assujettissement::CessationActivite
        );
        assert_eq!(
            f(
                dec!(500),
                dec!(0),
                true,
                Fonction::ConseillerDelegue,
                90_000
            ),
            Assujettissement::SousLeSeuil
        );
    }

    #[test]
    fn below_the_threshold_only_csg_crds_ircantec_and_dif() {
        // 1 000 € gross in 2026: CSG 92, CRDS 5, DIF 10, IRCANTEC A 28 (élu·e) / 42 (employer)
        let c = cout_indemnite(
            d(2026, 4, 1),
            dec!(1000),
            Assujettissement::SousLeSeuil,
            true,
        )
        .expect("covered");
        assert_eq!(c.cotisations_elu_eur, dec!(135));
        assert_eq!(c.net_mensuel_eur, dec!(865));
        assert_eq!(c.cotisations_employeur_eur, dec!(42));
        assert_eq!(c.cout_mensuel_eur, dec!(1042));
        assert!(
            c.employeur
                .iter()
                .all(|p| p.compte == Some(COMPTE_RETRAITE))
        );
    }

    #[test]
    fn above_the_threshold_every_contribution_from_the_first_euro() {
        // 5 000 € gross in 2026, 50 agents or more. Plafond 4 005 €, tranche B 995 €.
        let c = cout_indemnite(
            d(2026, 4, 1),
            dec!(5000),
            Assujettissement::AuDelaDuSeuil,
            true,
        )
        .expect("covered");
        // élu·e: CSG 460 + CRDS 25 + DIF 50 + IRCANTEC A 112,14 + B 69,15 + vieillesse
        // plafonnée 276,35 + déplafonnée 20 = 1 012,64
        assert_eq!(c.cotisations_elu_eur, dec!(1012.64));
        // employer: IRCANTEC A 168,21 + B 124,87 + maladie 665 + plafonnée 342,43 +
        // déplafonnée 105,50 + AF 262,50 + FNAL 25 = 1 693,51
        assert_eq!(c.cotisations_employeur_eur, dec!(1693.51));
        assert_eq!(c.net_mensuel_eur, dec!(3987.36));
        assert_eq!(c.cout_mensuel_eur, dec!(6693.51));
    }

    #[test]
    fn the_2026_deplafonnee_rate_changed_and_fnal_follows_the_staff() {
        let cout = |date, cinquante| {
            cout_indemnite(date, dec!(3000), Assujettissement::AuDelaDuSeuil, cinquante)
                .expect("covered")
                .cotisations_employeur_eur
        };
        // 0,09 point on 3 000 € = 2,70 €
        assert_eq!(
            cout(d(2026, 1, 1), true) - cout(d(2025, 12, 31), true),
            dec!(2.70)
        );
        // FNAL 0,50 % of 3 000 = 15 against 0,10 % = 3
        assert_eq!(
            cout(d(2026, 1, 1), true) - cout(d(2026, 1, 1), false),
            dec!(12)
        );
    }

    #[test]
    fn before_2024_is_an_error_and_after_2026_is_flagged() {
        assert!(matches!(
            cout_indemnite(
                d(2023, 12, 31),
                dec!(1000),
                Assujettissement::SousLeSeuil,
                true
            ),
            Err(LawError::DateAvantTable { .. })
        ));
        let c = cout_indemnite(
            d(2027, 1, 1),
            dec!(1000),
            Assujettissement::SousLeSeuil,
            true,
        )
        .expect("covered");
        assert_eq!(c.statut, Statut::Partiel);
    }

    #[test]
    fn training_budget_is_2_and_20_percent() {
        let f = budget_formation(dec!(100000));
        assert_eq!(f.plancher_eur, dec!(2000));
        assert_eq!(f.plafond_eur, dec!(20000));
    }

    proptest! {
        #[test]
        fn net_below_gross_below_cost(
            cents in 100u64..3_000_000,
            regime in 0usize..3,
            cinquante in any::<bool>(),
            jour in 0i64..1200,
        ) {
            let brut = Decimal::from(cents) / dec!(100);
            let a = [
                Assujettissement::SousLeSeuil,
                Assujettissement::AuDelaDuSeuil,
                Assujettissement::CessationActivite,
            ][regime];
            let date = d(2024, 1, 1) + chrono::Duration::days(jour);
            let c = cout_indemnite(date, brut, a, cinquante).expect("covered");
            prop_assert!(c.net_mensuel_eur < brut);
            prop_assert!(c.cout_mensuel_eur > brut);
            prop_assert_eq!(
                c.net_mensuel_eur + c.elu.iter().map(|p| p.montant_eur).sum::<Decimal>(),
                brut
            );
            prop_assert_eq!(
                c.cout_mensuel_eur - c.employeur.iter().map(|p| p.montant_eur).sum::<Decimal>(),
                brut
            );
            // subject to social security costs more and pays less
            if a.assujetti() {
                let s = cout_indemnite(date, brut, Assujettissement::SousLeSeuil, cinquante)
                    .expect("covered");
                prop_assert!(c.cout_mensuel_eur >= s.cout_mensuel_eur);
                prop_assert!(c.net_mensuel_eur <= s.net_mensuel_eur);
            }
            prop_assert_eq!(
                net_mensuel(date, brut, a.assujetti()).expect("covered"),
                c.net_mensuel_eur
            );
        }
    }
}
