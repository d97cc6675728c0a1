//! The one error of the library's pipeline ([`crate::pipeline::executer`]), above the stage
//! errors.
//!
//! In: an error of one stage (ingest, law, indemnités, grouping data, grouping solve, writer).
//! Out: its stable code ([`Erreur::code`]), its exit code ([`Erreur::code_sortie`]) and its HTTP
//! status ([`Erreur::statut_http`]): the command line, the benchmark and the séminaire map an
//! error the same way, in this one place, instead of each deciding again which failure is « bad
//! input » and which is « infeasible ».

use crate::ingest::IngestError;
use crate::law::LawError;
use crate::optimise::indemnites::ErreurIndemnites;
use crate::optimise::{Echec, ErreurDonnees};
use crate::report::ecriture::EcritureError;
use std::fmt;
use std::sync::Arc;

/// Exit code: success.
pub const SORTIE_OK: u8 = 0;
/// Exit code: bad input or I/O error.
pub const SORTIE_ENTREE: u8 = 1;
/// Exit code: infeasible (indemnités policy or grouping rules).
pub const SORTIE_INFAISABLE: u8 = 2;
/// Exit code: `analyser --strict` and the analysis found at least one erreur.
pub const SORTIE_STRICT: u8 = 3;
/// Exit code: wrong use of the command line.
pub const SORTIE_USAGE: u8 = 64;

/// Why the pipeline gave no result. Every variant wraps the error of one stage, untouched, so
/// that its whole diagnosis (lines, conflicting rules) reaches whoever words it.
#[derive(Debug, Clone)]
pub enum Erreur {
    /// The scenario's files are invalid (coded diagnostics `E0xx`).
    Entree(IngestError),
    /// A legal table cannot be applied to the scenario (date before the barèmes…).
    Droit(LawError),
    /// The indemnités allocation failed (infeasible policy, solver, checker).
    Indemnites(ErreurIndemnites),
    /// The grouping model's data cannot be built (a lock that names nothing usable).
    Donnees(ErreurDonnees),
    /// The grouping optimiser gave no plan (infeasible rules or solver failure).
    Optimisation(Echec),
    /// An output could not be written. Shared (`Arc`): an I/O error cannot be cloned, and the
    /// séminaire keeps errors in its caches.
    Ecriture(Arc<EcritureError>),
}

impl Erreur {
    /// The stable code: for bad input, the first diagnostic's (`E0xx`); otherwise one code per
    /// kind of failure (E075–E079, documented in `docs/diagnostics.md`).
    pub fn code(&self) -> &'static str {
        match self {
            Erreur::Entree(e) => e.diagnostics.first().map_or("E001", |d| d.code.as_str()),
            Erreur::Droit(_) => "E032",
            Erreur::Indemnites(ErreurIndemnites::Droit(_)) => "E032",
            Erreur::Indemnites(ErreurIndemnites::Infaisable(_)) => "E075",
            Erreur::Optimisation(Echec::Infaisable(_)) => "E076",
            Erreur::Indemnites(_) | Erreur::Optimisation(Echec::Solveur(_)) => "E077",
            Erreur::Donnees(_) => "E078",
            Erreur::Ecriture(_) => "E079",
        }
    }

    /// The exit code of the command (README « Codes de sortie », docs/fiabilite.md « Exit
    /// codes »): 2 when rules cannot all hold, 1 for every other failure (bad input, solver, disk).
    pub fn code_sortie(&self) -> u8 {
        if self.infaisable() {
            SORTIE_INFAISABLE
        } else {
            SORTIE_ENTREE
        }
    }

    /// The HTTP status the séminaire answers with: 422 when the scenario is understood but
    /// the computation refuses it, 400 for bad input, 500 when the server could not write.
    pub fn statut_http(&self) -> u16 {
        match self {
            Erreur::Entree(_) | Erreur::Droit(_) | Erreur::Donnees(_) => 400,
            Erreur::Indemnites(_) | Erreur::Optimisation(_) => 422,
            Erreur::Ecriture(_) => 500,
        }
    }

    /// True when the failure is a proof that the rules cannot all hold (not a bug, not bad
    /// input: the diagnosis says which rules to relax).
    pub fn infaisable(&self) -> bool {
        matches!(
            self,
            Erreur::Indemnites(ErreurIndemnites::Infaisable(_))
                | Erreur::Optimisation(Echec::Infaisable(_))
        )
    }

    /// The message on one line (the séminaire's JSON answers, a log): the multi-line diagnosis
    /// of [`fmt::Display`] with its lines joined.
    pub fn sur_une_ligne(&self) -> String {
        self.to_string()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The French text: coded diagnostics for bad input, the diagnosis of the conflicting rules
/// for an infeasible model (several lines, ending with a newline), one sentence otherwise
/// (without « Erreur : » nor a final period, so that it can be quoted inside another sentence;
/// [`Erreur::texte`] is the terminal's form).
impl fmt::Display for Erreur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Erreur::Entree(e) => write!(f, "{e}"),
            Erreur::Droit(e) => write!(f, "{e}"),
            Erreur::Indemnites(ErreurIndemnites::Infaisable(d)) => {
                write!(f, "{}", crate::report::indemnites::render_diagnostic(d))
            }
            Erreur::Indemnites(e) => write!(f, "{e}"),
            Erreur::Donnees(e) => write!(f, "{e}"),
            Erreur::Optimisation(Echec::Infaisable(inf)) => {
                write!(f, "{}", crate::report::optimisation::infaisabilite(inf))
            }
            Erreur::Optimisation(Echec::Solveur(m)) => write!(f, "{m}"),
            Erreur::Ecriture(e) => write!(f, "{e}"),
        }
    }
}

impl Erreur {
    /// The text a terminal shows: a diagnosis as it is, a one-sentence failure as
    /// « Erreur : … . ». Always ends with a newline.
    pub fn texte(&self) -> String {
        match self {
            Erreur::Entree(_)
            | Erreur::Indemnites(ErreurIndemnites::Infaisable(_))
            | Erreur::Optimisation(Echec::Infaisable(_)) => {
                let t = self.to_string();
                if t.ends_with('\n') { t } else { t + "\n" }
            }
            _ => {
                let t = self.to_string();
                let t = t.trim_end();
                let point = if t.ends_with('.') { "" } else { "." };
                format!("Erreur : {t}{point}\n")
            }
        }
    }
}

impl std::error::Error for Erreur {}

/// Two errors are equal when they say the same thing with the same code (an I/O error has no
/// other equality).
impl PartialEq for Erreur {
    fn eq(&self, other: &Erreur) -> bool {
        self.code() == other.code() && self.to_string() == other.to_string()
    }
}

impl From<IngestError> for Erreur {
    fn from(e: IngestError) -> Erreur {
        Erreur::Entree(e)
    }
}

impl From<LawError> for Erreur {
    fn from(e: LawError) -> Erreur {
        Erreur::Droit(e)
    }
}

impl From<ErreurIndemnites> for Erreur {
    fn from(e: ErreurIndemnites) -> Erreur {
        Erreur::Indemnites(e)
    }
}

impl From<ErreurDonnees> for Erreur {
    fn from(e: ErreurDonnees) -> Erreur {
        Erreur::Donnees(e)
    }
}

impl From<Echec> for Erreur {
    fn from(e: Echec) -> Erreur {
        Erreur::Optimisation(e)
    }
}

impl From<EcritureError> for Erreur {
    fn from(e: EcritureError) -> Erreur {
        Erreur::Ecriture(Arc::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infeasible_is_exit_2_and_422_everything_else_is_exit_1() {
        let inf = Erreur::from(Echec::Infaisable(Default::default()));
        assert_eq!(
            (inf.code(), inf.code_sortie(), inf.statut_http()),
            ("E076", 2, 422)
        );
        let solveur = Erreur::from(Echec::Solveur("limite".into()));
        assert_eq!(
            (solveur.code(), solveur.code_sortie(), solveur.statut_http()),
            ("E077", 1, 422)
        );
        let donnees = Erreur::from(ErreurDonnees("verrou".into()));
        assert_eq!(
            (donnees.code(), donnees.code_sortie(), donnees.statut_http()),
            ("E078", 1, 400)
        );
        let entree = Erreur::from(IngestError::one(crate::ingest::Diagnostic::fichier(
            crate::ingest::Code::E004,
            "elus.csv",
            "doublon",
        )));
        assert_eq!((entree.code(), entree.code_sortie()), ("E004", 1));
    }

    #[test]
    fn one_line_joins_the_diagnosis_lines() {
        let e = Erreur::from(ErreurDonnees("a".into()));
        assert_eq!(e.sur_une_ligne(), "a");
        assert_eq!(e.texte(), "Erreur : a.\n");
        assert!(
            !Erreur::from(Echec::Infaisable(Default::default()))
                .sur_une_ligne()
                .contains('\n')
        );
    }
}
