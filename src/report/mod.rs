//! Renderers: plain data in, bytes or text out. Nothing here prints or writes files.

pub mod affectation;
pub mod analyse;
pub mod comparaison;
/// The CSV configuration lives at the crate root ([`crate::csv_francais`]) so that ingest and
/// law can use it without depending on the renderers; re-exported here for them.
pub use crate::csv_francais;
pub mod document;
pub mod ecriture;
pub mod format;
pub mod graphiques;
pub mod indemnites;
pub mod optimisation;
pub mod rapport;
pub mod redaction;
pub mod reorganisation;
pub mod scenario;
pub mod scenario_csv;
pub mod tableaux;
pub mod verification;
