//! The allocation linear program: one function per constraint family, each row keyed by the
//! rule it encodes ([`Cle`]), the objective in small named terms.
//!
//! In: [`Donnees`] and the families to include (all of them for an allocation; one at a time in
//! the unit tests; all but one, relaxed, in the diagnosis). Out: an LP-layer [`Probleme`] whose
//! first `n` variables are the rates `x_i` (in % of the terme de référence) of the `n`
//! beneficiaries, in order.

use super::donnees::Donnees;
use crate::law::Perimetre;
use crate::lp::{Critere, Probleme, Sens};
use crate::model::Fonction;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

/// Identifier of an élu·e in a key.
pub type EluId = String;

/// The rule a row encodes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Cle {
    /// Σ inside the enveloppe ≤ enveloppe (L2123-24 II).
    Enveloppe,
    /// Σ inside the enveloppe + shortfall = requested share (policy).
    PartEnveloppe,
    /// Individual legal cap (L2123-23, L2123-24 IV, L2123-24-1 I/II/V, L2113-19).
    PlafondIndividuel(EluId),
    /// Adjoint·e ≤ the maire's rate (L2123-24 IV, strict reading).
    AdjointSousMaire(EluId),
    /// Écrêtement cap (L2123-20 II).
    Ecretement(EluId),
    /// Σ adjoint·es + maires délégué·es ≤ separate cap (L2113-19).
    PlafondCommuneNouvelle,
    /// With the maire's +40 %: Σ every member ≤ total of the maxima (L2123-23 last al.).
    MajorationMaire,
    /// Rate imposed by the law or the policy (maire, maires délégué·es, conseiller·es).
    TauxImpose(EluId),
    /// Floor of a délégué·e (policy).
    PlancherDelegue(EluId),
    /// `z_max ≤ ratio × z_min` (policy).
    RatioMax,
    /// `x_i ≤ z_max` (definition of the highest rate).
    RatioPlusHaut(EluId),
    /// `x_i ≥ z_min` (definition of the lowest rate).
    RatioPlusBas(EluId),
    /// Every member of a tier gets the tier's rate.
    Palier(usize, EluId),
    /// Tier `t` ≥ tier `t + 1` + gap.
    OrdrePaliers(usize),
    /// Definition of the deviation from the target (objective, never relaxed).
    Ecart(EluId),
    /// Definition of the largest deviation (tie-break, never relaxed).
    EcartMax(EluId),
    /// Second stage: the first stage's optimum is kept (never relaxed).
    OptimumPremierTemps,
    /// Second stage: `|x_i − cible_i| ≤ u · cible_i` (never relaxed).
    EcartRelatif(EluId),
    /// Second stage: two délégué·es in the same position (same target, caps, function and
    /// tier) get the same rate (never relaxed).
    MemeRang(EluId, EluId),
}

/// A family of rows: what the diagnosis relaxes one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Famille {
    /// L2123-24 II.
    Enveloppe,
    /// Individual caps.
    PlafondIndividuel,
    /// L2123-24 IV.
    AdjointSousMaire,
    /// L2123-20 II.
    Ecretement,
    /// L2113-19.
    PlafondCommuneNouvelle,
    /// Share of the enveloppe.
    PartEnveloppe,
    /// Imposed rates.
    TauxImposes,
    /// Floors.
    Plancher,
    /// Ratio.
    RatioMax,
    /// Tiers.
    Paliers,
}

impl Famille {
    /// Every family, legal ones first.
    pub const TOUTES: [Famille; 10] = [
        Famille::Enveloppe,
        Famille::PlafondIndividuel,
        Famille::AdjointSousMaire,
        Famille::Ecretement,
        Famille::PlafondCommuneNouvelle,
        Famille::PartEnveloppe,
        Famille::TauxImposes,
        Famille::Plancher,
        Famille::RatioMax,
        Famille::Paliers,
    ];

    /// True for a rule of the CGCT (cannot be relaxed by a vote); false for a policy choice.
    pub fn est_legale(self) -> bool {
        matches!(
            self,
            Famille::Enveloppe
                | Famille::PlafondIndividuel
                | Famille::AdjointSousMaire
                | Famille::Ecretement
                | Famille::PlafondCommuneNouvelle
        )
    }

    /// French label with its article or `[indemnites]` key.
    pub fn libelle(self) -> &'static str {
        match self {
            Famille::Enveloppe => "enveloppe indemnitaire globale (L2123-24 II)",
            Famille::PlafondIndividuel => {
                "plafonds individuels (L2123-23, L2123-24 IV, L2123-24-1, L2113-19)"
            }
            Famille::AdjointSousMaire => {
                "aucun·e adjoint·e au-dessus de l'indemnité du maire (L2123-24 IV)"
            }
            Famille::Ecretement => "écrêtement (L2123-20 II)",
            Famille::PlafondCommuneNouvelle => "plafond distinct de la commune nouvelle (L2113-19)",
            Famille::PartEnveloppe => "part de l'enveloppe à utiliser (part_enveloppe)",
            Famille::TauxImposes => {
                "taux fixés (maire, maires délégué·es, conseiller·es : taux_maire, part_maires_delegues, taux_conseillers)"
            }
            Famille::Plancher => "plancher des délégué·es (plancher)",
            Famille::RatioMax => "écart maximal entre délégué·es (ratio_max)",
            Famille::Paliers => "paliers ordonnés (politique paliers, ecart_paliers)",
        }
    }
}

impl Cle {
    /// The family of a rule; `None` for the rows that define the objective.
    pub fn famille(&self) -> Option<Famille> {
        Some(match self {
            Cle::Enveloppe => Famille::Enveloppe,
            Cle::PartEnveloppe => Famille::PartEnveloppe,
            Cle::PlafondIndividuel(_) => Famille::PlafondIndividuel,
            Cle::AdjointSousMaire(_) => Famille::AdjointSousMaire,
            Cle::Ecretement(_) => Famille::Ecretement,
            Cle::PlafondCommuneNouvelle => Famille::PlafondCommuneNouvelle,
            Cle::MajorationMaire => Famille::Enveloppe,
            Cle::TauxImpose(_) => Famille::TauxImposes,
            Cle::PlancherDelegue(_) => Famille::Plancher,
            Cle::RatioMax | Cle::RatioPlusHaut(_) | Cle::RatioPlusBas(_) => Famille::RatioMax,
            Cle::Palier(..) | Cle::OrdrePaliers(_) => Famille::Paliers,
            Cle::Ecart(_)
            | Cle::EcartMax(_)
            | Cle::OptimumPremierTemps
            | Cle::EcartRelatif(_)
            | Cle::MemeRang(..) => return None,
        })
    }
}

/// Cost of one point of shortfall below the requested share. Above 1 (the cost of one point of
/// deviation), so that the share is reached whenever the caps allow: the solver never trades
/// envelope for closeness to the targets.
pub const COUT_MANQUE: f64 = 100.0;
/// Weight of the largest deviation: a tie-break that spreads a forced deviation over every
/// délégué·e instead of loading it on one (small enough not to change the main optimum).
pub const POIDS_ECART_MAX: f64 = 1e-3;

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The target rate of each beneficiary (`None` when the rate is imposed):
///
/// `T = cible_enveloppe − Σ_{imposed, inside the enveloppe} t_j` (the points left for the
/// délégué·es), `n` délégué·es of weights `w_i`, `W = Σ w_i`:
/// `cible_i = T · ((1 − α) / n + α · w_i / W)`.
pub fn cibles(d: &Donnees) -> Vec<Option<f64>> {
    let impose_dedans: f64 = d
        .beneficiaires
        .iter()
        .filter(|b| b.perimetre.perimetre == Perimetre::Enveloppe)
        .filter_map(|b| b.taux_impose.as_ref().map(|(t, _)| f(*t)))
        .sum::<f64>()
        - f(d.majoration_maire.unwrap_or_default());
    let t = (f(d.cible_enveloppe) - impose_dedans).max(0.0);
    let n = d.beneficiaires.iter().filter(|b| b.delegue).count() as f64;
    let w: f64 = d
        .beneficiaires
        .iter()
        .filter_map(|b| b.poids.as_ref().map(|p| p.total))
        .sum();
    let a = d.regles.alpha;
    d.beneficiaires
        .iter()
        .map(|b| {
            if !b.delegue {
                return None;
            }
            let wi = b.poids.as_ref().map(|p| p.total).unwrap_or(0.0);
            let prop = if w > 0.0 { wi / w } else { 1.0 / n };
            Some(t * ((1.0 - a) / n + a * prop))
        })
        .collect()
}

/// Relative tolerance on the first stage's optimum kept in the second stage (solver noise).
pub const TOLERANCE_PREMIER_TEMPS: f64 = 1e-7;

/// The second, lexicographic stage of the allocation (`docs/indemnites.md`): among the
/// allocations that reach the first stage's optimum `optimum` (the same total deviation and
/// shortfall), the one whose largest *relative* gap to target is smallest:
///
/// `min u` s.t. every row of `premier`, `objectif_premier(x) ≤ optimum · (1 + ε) + ε`,
/// `x_i − cible_i · u ≤ cible_i` and `x_i + cible_i · u ≥ cible_i` for every délégué·e of
/// positive target, and `x_i = x_j` for two délégué·es in the same position (same target,
/// function, perimeter, caps and tier).
///
/// When a cap binds, the points it frees are thus shared in proportion to the targets instead of
/// going to one élu·e the solver happens to pick; the equalities make the tie-break explicit
/// (they cost nothing: swapping two such élu·es keeps every row, and the LP is convex, so their
/// average is optimal too).
pub fn second_temps(d: &Donnees, premier: &Probleme<Cle>, optimum: f64) -> Probleme<Cle> {
    let mut p = premier.clone();
    p.contrainte(
        Cle::OptimumPremierTemps,
        premier.objectif(),
        Sens::Le,
        optimum * (1.0 + TOLERANCE_PREMIER_TEMPS) + TOLERANCE_PREMIER_TEMPS,
    );
    let u = p.positive("ecart_relatif_max");
    let cibles = cibles(d);
    for (i, (b, c)) in d.beneficiaires.iter().zip(&cibles).enumerate() {
        let Some(c) = *c else { continue };
        if c <= 0.0 {
            continue;
        }
        p.contrainte(
            Cle::EcartRelatif(b.id.clone()),
            vec![(i, 1.0), (u, -c)],
            Sens::Le,
            c,
        );
        p.contrainte(
            Cle::EcartRelatif(b.id.clone()),
            vec![(i, 1.0), (u, c)],
            Sens::Ge,
            c,
        );
    }
    // Same position: same function, perimeter, caps, tier and target (to 1e-9).
    let position = |k: usize| {
        let b = &d.beneficiaires[k];
        (
            b.fonction,
            b.perimetre.perimetre,
            b.plafond.taux,
            b.plafond_ecretement,
            b.palier,
            cibles[k].map(|c| (c * 1e9).round() as i64),
        )
    };
    let delegues: Vec<usize> = (0..d.beneficiaires.len())
        .filter(|&k| d.beneficiaires[k].delegue && d.beneficiaires[k].taux_impose.is_none())
        .collect();
    for (a, &i) in delegues.iter().enumerate() {
        if let Some(&j) = delegues[a + 1..]
            .iter()
            .find(|&&j| position(j) == position(i))
        {
            p.contrainte(
                Cle::MemeRang(d.beneficiaires[i].id.clone(), d.beneficiaires[j].id.clone()),
                vec![(i, 1.0), (j, -1.0)],
                Sens::Eq,
                0.0,
            );
        }
    }
    p.criteres = vec![Critere::new("ecart_relatif_max", 1.0, vec![(u, 1.0)], 0.0)];
    p
}

/// The model with the chosen families.
pub fn construire(d: &Donnees, familles: &[Famille]) -> Probleme<Cle> {
    let mut p = Probleme::default();
    for b in &d.beneficiaires {
        p.positive(format!("taux_{}", b.id));
    }
    let a = |fam: Famille| familles.contains(&fam);
    let manque = p.positive("manque");
    objectif(&mut p, d, manque);
    if a(Famille::Enveloppe) {
        enveloppe(&mut p, d);
    }
    if a(Famille::PartEnveloppe) {
        part_enveloppe(&mut p, d, manque);
    }
    if a(Famille::PlafondIndividuel) {
        plafonds_individuels(&mut p, d);
    }
    if a(Famille::AdjointSousMaire) {
        adjoints_sous_maire(&mut p, d);
    }
    if a(Famille::Ecretement) {
        ecretement(&mut p, d);
    }
    if a(Famille::PlafondCommuneNouvelle) {
        plafond_commune_nouvelle(&mut p, d);
    }
    if a(Famille::TauxImposes) {
        taux_imposes(&mut p, d);
    }
    if a(Famille::Plancher) {
        planchers(&mut p, d);
    }
    if a(Famille::RatioMax) {
        ratio_max(&mut p, d);
    }
    if a(Famille::Paliers) {
        paliers(&mut p, d);
    }
    p
}

/// Objective: `min Σ_i (d⁺_i + d⁻_i) + COUT_MANQUE · manque + POIDS_ECART_MAX · u` with
/// `x_i − d⁺_i + d⁻_i = cible_i` (the L1 deviation, linearised) and `d⁺_i + d⁻_i ≤ u`, as three
/// named criteria: `manque`, `ecart_max` and `ecarts_cible`.
fn objectif(p: &mut Probleme<Cle>, d: &Donnees, manque: usize) {
    let u = p.positive("ecart_max");
    let mut ecarts = Vec::new();
    for (i, (b, c)) in d.beneficiaires.iter().zip(cibles(d)).enumerate() {
        let Some(c) = c else { continue };
        let plus = p.positive(format!("ecart_plus_{}", b.id));
        let moins = p.positive(format!("ecart_moins_{}", b.id));
        p.contrainte(
            Cle::Ecart(b.id.clone()),
            vec![(i, 1.0), (plus, -1.0), (moins, 1.0)],
            Sens::Eq,
            c,
        );
        p.contrainte(
            Cle::EcartMax(b.id.clone()),
            vec![(plus, 1.0), (moins, 1.0), (u, -1.0)],
            Sens::Le,
            0.0,
        );
        ecarts.push((plus, 1.0));
        ecarts.push((moins, 1.0));
    }
    p.criteres = vec![
        Critere::new("manque", COUT_MANQUE, vec![(manque, 1.0)], 0.0),
        Critere::new("ecart_max", POIDS_ECART_MAX, vec![(u, 1.0)], 0.0),
        Critere::new("ecarts_cible", 1.0, ecarts, 0.0),
    ];
}

fn dans_enveloppe(d: &Donnees) -> Vec<(usize, f64)> {
    d.beneficiaires
        .iter()
        .enumerate()
        .filter(|(_, b)| b.perimetre.perimetre == Perimetre::Enveloppe)
        .map(|(i, _)| (i, 1.0))
        .collect()
}

/// L2123-24 II: `Σ_{i inside} x_i ≤ E + m` (maire, adjoint·es, conseiller·es délégué·es, and
/// plain conseiller·es below 100 000 inhabitants; before majorations), `m` the maire's raise of
/// L2123-23 last paragraph, which is outside the enveloppe. With the raise, also
/// `Σ_{i inside or outside the enveloppe} x_i ≤ maxima_conseil` (the total of the maxima
/// without the raise): the members the law's check L017 counts, on both sides — maires
/// délégué·es and their adjoint·es, under their own caps (L2113-19), are in neither.
fn enveloppe(p: &mut Probleme<Cle>, d: &Donnees) {
    let t = dans_enveloppe(d);
    let m = d.majoration_maire.unwrap_or_default();
    p.contrainte(Cle::Enveloppe, t, Sens::Le, f(d.enveloppe.taux_total + m));
    if d.majoration_maire.is_some() {
        let conseil: Vec<(usize, f64)> = d
            .beneficiaires
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                matches!(
                    b.perimetre.perimetre,
                    Perimetre::Enveloppe | Perimetre::HorsEnveloppe
                )
            })
            .map(|(i, _)| (i, 1.0))
            .collect();
        p.contrainte(Cle::MajorationMaire, conseil, Sens::Le, f(d.maxima_conseil));
    }
}

/// Policy: `Σ_{i inside} x_i + manque = part · E` (the share is used unless the caps prevent
/// it; `manque ≥ 0` is what is left, costed in the objective).
fn part_enveloppe(p: &mut Probleme<Cle>, d: &Donnees, manque: usize) {
    let mut t = dans_enveloppe(d);
    t.push((manque, 1.0));
    let m = d.majoration_maire.unwrap_or_default();
    p.contrainte(Cle::PartEnveloppe, t, Sens::Eq, f(d.cible_enveloppe + m));
}

/// `x_i ≤ plafond_i` (law: maire barème L2123-23; adjoint·e the maire's maximum L2123-24 IV;
/// conseiller·e délégué·e the maire's maximum L2123-24-1 V; plain conseiller·e 6 %
/// L2123-24-1 I/II; maire délégué·e the maire barème of the commune déléguée's stratum L2113-19).
fn plafonds_individuels(p: &mut Probleme<Cle>, d: &Donnees) {
    for (i, b) in d.beneficiaires.iter().enumerate() {
        p.contrainte(
            Cle::PlafondIndividuel(b.id.clone()),
            vec![(i, 1.0)],
            Sens::Le,
            f(b.plafond.taux),
        );
    }
}

/// L2123-24 IV, strict reading (open point L105): `x_adjoint − x_maire ≤ 0`.
fn adjoints_sous_maire(p: &mut Probleme<Cle>, d: &Donnees) {
    let Some(m) = d.maire else { return };
    for (i, b) in d.beneficiaires.iter().enumerate() {
        if b.fonction == Fonction::Adjoint {
            p.contrainte(
                Cle::AdjointSousMaire(b.id.clone()),
                vec![(i, 1.0), (m, -1.0)],
                Sens::Le,
                0.0,
            );
        }
    }
}

/// L2123-20 II: `x_i ≤ (8 897,93 € − autres indemnités) / B`, for the élu·es who declare other
/// indemnities (option `ecretement`).
fn ecretement(p: &mut Probleme<Cle>, d: &Donnees) {
    for (i, b) in d.beneficiaires.iter().enumerate() {
        if let Some(c) = b.plafond_ecretement {
            p.contrainte(
                Cle::Ecretement(b.id.clone()),
                vec![(i, 1.0)],
                Sens::Le,
                f(c),
            );
        }
    }
}

/// L2113-19: `Σ_{adjoint·es + maires délégué·es} x_i ≤ nb_adjoints · adjoint max + Σ maire max
/// of each commune déléguée's stratum`.
fn plafond_commune_nouvelle(p: &mut Probleme<Cle>, d: &Donnees) {
    let Some(cap) = &d.plafond_cn else { return };
    let t: Vec<(usize, f64)> = d
        .beneficiaires
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b.fonction, Fonction::Adjoint | Fonction::MaireDelegue))
        .map(|(i, _)| (i, 1.0))
        .collect();
    p.contrainte(Cle::PlafondCommuneNouvelle, t, Sens::Le, f(cap.taux_total));
}

/// `x_i = t_i` for the rates the law or the policy fixes (maire: barème or `taux_maire`;
/// maires délégué·es: `part_maires_delegues` of their cap; conseiller·es: `taux_conseillers`).
fn taux_imposes(p: &mut Probleme<Cle>, d: &Donnees) {
    for (i, b) in d.beneficiaires.iter().enumerate() {
        if let Some((t, _)) = &b.taux_impose {
            p.contrainte(
                Cle::TauxImpose(b.id.clone()),
                vec![(i, 1.0)],
                Sens::Eq,
                f(*t),
            );
        }
    }
}

/// Policy: `x_i ≥ plancher` for every délégué·e.
fn planchers(p: &mut Probleme<Cle>, d: &Donnees) {
    if d.regles.plancher <= Decimal::ZERO {
        return;
    }
    for (i, b) in d.beneficiaires.iter().enumerate() {
        if b.delegue {
            p.contrainte(
                Cle::PlancherDelegue(b.id.clone()),
                vec![(i, 1.0)],
                Sens::Ge,
                f(d.regles.plancher),
            );
        }
    }
}

/// Policy: `x_i ≤ z_max`, `x_i ≥ z_min` for every délégué·e and `z_max − r · z_min ≤ 0`.
fn ratio_max(p: &mut Probleme<Cle>, d: &Donnees) {
    let Some(r) = d.regles.ratio_max else { return };
    let haut = p.positive("taux_plus_haut");
    let bas = p.positive("taux_plus_bas");
    for (i, b) in d.beneficiaires.iter().enumerate() {
        if b.delegue {
            p.contrainte(
                Cle::RatioPlusHaut(b.id.clone()),
                vec![(i, 1.0), (haut, -1.0)],
                Sens::Le,
                0.0,
            );
            p.contrainte(
                Cle::RatioPlusBas(b.id.clone()),
                vec![(i, 1.0), (bas, -1.0)],
                Sens::Ge,
                0.0,
            );
        }
    }
    p.contrainte(
        Cle::RatioMax,
        vec![(haut, 1.0), (bas, -f(r))],
        Sens::Le,
        0.0,
    );
}

/// Politique `paliers`: one rate `y_t` per tier, `x_i = y_t` for its members and
/// `y_t − y_{t+1} ≥ ecart_paliers` (tier 1 ≥ tier 2 ≥ …).
fn paliers(p: &mut Probleme<Cle>, d: &Donnees) {
    let nb = d
        .beneficiaires
        .iter()
        .filter_map(|b| b.palier)
        .max()
        .map(|m| m + 1)
        .unwrap_or(0);
    if nb == 0 {
        return;
    }
    let y: Vec<usize> = (0..nb)
        .map(|t| p.positive(format!("palier_{}", t + 1)))
        .collect();
    for (i, b) in d.beneficiaires.iter().enumerate() {
        if let Some(t) = b.palier {
            p.contrainte(
                Cle::Palier(t, b.id.clone()),
                vec![(i, 1.0), (y[t], -1.0)],
                Sens::Eq,
                0.0,
            );
        }
    }
    // Only tiers that have members are ordered (an empty tier has no rate to compare).
    let occupes: Vec<usize> = (0..nb)
        .filter(|&t| d.beneficiaires.iter().any(|b| b.palier == Some(t)))
        .collect();
    for w in occupes.windows(2) {
        p.contrainte(
            Cle::OrdrePaliers(w[0]),
            vec![(y[w[0]], 1.0), (y[w[1]], -1.0)],
            Sens::Ge,
            f(d.regles.ecart_paliers),
        );
    }
}

impl Cle {
    /// French wording of a rule, for reports and diagnoses.
    pub fn libelle(&self) -> String {
        match self {
            Cle::Enveloppe => "enveloppe (L2123-24 II)".into(),
            Cle::PartEnveloppe => "part de l'enveloppe".into(),
            Cle::PlafondIndividuel(e) => format!("plafond individuel de {e}"),
            Cle::AdjointSousMaire(e) => format!("{e} sous l'indemnité du maire (L2123-24 IV)"),
            Cle::Ecretement(e) => format!("écrêtement de {e} (L2123-20 II)"),
            Cle::PlafondCommuneNouvelle => "plafond L2113-19".into(),
            Cle::MajorationMaire => {
                "total des indemnités maximales (majoration du maire, L2123-23)".into()
            }
            Cle::TauxImpose(e) => format!("taux fixé de {e}"),
            Cle::PlancherDelegue(e) => format!("plancher de {e}"),
            Cle::RatioMax => "ratio maximal".into(),
            Cle::RatioPlusHaut(e) | Cle::RatioPlusBas(e) => format!("ratio (taux de {e})"),
            Cle::Palier(t, e) => format!("palier {} de {e}", t + 1),
            Cle::OrdrePaliers(t) => format!("ordre des paliers {} et suivant", t + 1),
            Cle::Ecart(e) | Cle::EcartMax(e) => format!("écart à la cible de {e}"),
            Cle::OptimumPremierTemps => "optimum du premier temps conservé".into(),
            Cle::EcartRelatif(e) => format!("écart relatif à la cible de {e}"),
            Cle::MemeRang(a, b) => format!("même taux pour {a} et {b} (même position)"),
        }
    }
}
