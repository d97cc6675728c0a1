//! Paris, Lyon and Marseille (CGCT L2511-1 and following): the communes whose council and
//! indemnités follow their own rules, identified by their INSEE code.
//!
//! In: the `code_insee` of `scenario.toml`. Out: the council size, and the caps of the maire,
//! the adjoint·es and the conseiller·es that replace the ordinary barèmes, and the caps of the
//! maires and adjoint·es d'arrondissement or de secteur (L2511-35, unverified).

use super::Statut;
use super::bareme::Regime;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

/// One of the three communes of the PLM regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Plm {
    /// Paris (INSEE 75056): the Ville de Paris, conseil de Paris (loi 2017-257).
    Paris,
    /// Lyon (INSEE 69123).
    Lyon,
    /// Marseille (INSEE 13055).
    Marseille,
}

impl Plm {
    /// The PLM commune of an INSEE code (`75056`, `69123`, `13055`), `None` for any other.
    pub fn depuis_code_insee(code: &str) -> Option<Plm> {
        match code.trim() {
            "75056" => Some(Plm::Paris),
            "69123" => Some(Plm::Lyon),
            "13055" => Some(Plm::Marseille),
            _ => None,
        }
    }

    /// Name.
    pub fn nom(self) -> &'static str {
        match self {
            Plm::Paris => "Paris",
            Plm::Lyon => "Lyon",
            Plm::Marseille => "Marseille",
        }
    }

    /// Council size: Paris 163, Marseille 101, Lyon 73 (CGCT L2511-1 and following; code
    /// électoral L260 and its tableau n° 2; reference §6.1, YES text), instead of the L2121-2
    /// table.
    pub fn effectif(self) -> u32 {
        match self {
            Plm::Paris => 163,
            Plm::Marseille => 101,
            Plm::Lyon => 73,
        }
    }

    /// Maire's maximal rate in %: Paris 192,5 % (CGCT L2511-34-1 al. 1, loi 2017-257 art. 5,
    /// text read); Lyon and Marseille follow L2123-23 (145 % for 100 000 and more).
    pub fn taux_maire(self, ordinaire: Decimal) -> Decimal {
        match self {
            Plm::Paris => dec!(192.5),
            Plm::Lyon | Plm::Marseille => ordinaire,
        }
    }

    /// Adjoint·e's maximal rate in %: Lyon and Marseille 72,5 % (CGCT L2511-34 al. 1), Paris
    /// 128,5 % (L2511-34-1 al. 2). "Au maximum égales à": a hard cap, even inside the
    /// enveloppe (reading, reference §13 (B); the ordinary L2123-24 II lets an adjoint·e go
    /// above the L2123-24 I barème).
    pub fn taux_adjoint(self) -> Decimal {
        match self {
            Plm::Paris => dec!(128.5),
            Plm::Lyon | Plm::Marseille => dec!(72.5),
        }
    }

    /// Conseiller·e municipal·e's maximal rate in %: Lyon and Marseille 34,5 % (CGCT L2511-34
    /// al. 2), Paris 90,5 % (L2511-34-1 al. 3), instead of the 6 % of L2123-24-1 I.
    pub fn taux_conseiller(self) -> Decimal {
        match self {
            Plm::Paris => dec!(90.5),
            Plm::Lyon | Plm::Marseille => dec!(34.5),
        }
    }

    /// Maire d'arrondissement's (Marseille: maire de secteur) maximal rate in %: 72,5 %.
    /// CGCT L2511-34, L2511-35: their own cap, outside the enveloppe, not cumulated with the
    /// indemnité of conseiller·e municipal·e. The figure is the one Marseille's délibération
    /// 2020-0168 voted its eight maires de secteur (reference §14); the consolidated text of
    /// L2511-35 was not read: [`Statut::NonVerifie`].
    pub fn taux_maire_arrondissement(self) -> Decimal {
        dec!(72.5)
    }

    /// Adjoint·e d'arrondissement's maximal rate in %: 34,5 % (CGCT L2511-35; not read, best
    /// belief: the conseiller·e rate of Lyon and Marseille, [`Statut::NonVerifie`]).
    pub fn taux_adjoint_arrondissement(self) -> Decimal {
        dec!(34.5)
    }

    /// Article of the caps of maires and adjoint·es d'arrondissement.
    pub const ARTICLE_ARRONDISSEMENT: &'static str = "CGCT L2511-34, L2511-35";

    /// Article of the adjoint·e and conseiller·e caps.
    pub fn article(self) -> &'static str {
        match self {
            Plm::Paris => "CGCT L2511-34-1",
            Plm::Lyon | Plm::Marseille => "CGCT L2511-34",
        }
    }

    /// Status of the rates: the text of L2511-34 (Lyon, Marseille) and L2511-34-1 (Paris, loi
    /// 2017-257 art. 5) was read; the regime (2019 or 2025 barèmes) does not change them.
    pub fn statut(self, _regime: Regime) -> Statut {
        Statut::Verifie
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insee_codes() {
        assert_eq!(Plm::depuis_code_insee("13055"), Some(Plm::Marseille));
        assert_eq!(Plm::depuis_code_insee(" 69123 "), Some(Plm::Lyon));
        assert_eq!(Plm::depuis_code_insee("75056"), Some(Plm::Paris));
        // 13001 is Aix-en-Provence, 75101 a Paris arrondissement: ordinary rules
        assert_eq!(Plm::depuis_code_insee("13001"), None);
        assert_eq!(Plm::depuis_code_insee("75101"), None);
    }

    #[test]
    fn marseille_2020_deliberation_rates() {
        // délibération 2020-0168 (reference §13): 101 seats, adjoint·es 72,5 %, conseiller·es
        // 34,5 %, maire 145 %
        let m = Plm::Marseille;
        assert_eq!(m.effectif(), 101);
        assert_eq!(m.taux_adjoint(), dec!(72.5));
        assert_eq!(m.taux_conseiller(), dec!(34.5));
        assert_eq!(m.taux_maire(dec!(145)), dec!(145));
        assert_eq!(Plm::Paris.taux_maire(dec!(145)), dec!(192.5));
        assert_eq!(Plm::Lyon.effectif(), 73);
        assert_eq!(Plm::Paris.effectif(), 163);
    }
}
