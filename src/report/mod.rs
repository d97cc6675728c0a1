//! Renderers: plain data in, bytes or text out. Nothing here prints or writes files.

pub mod ecriture;
pub mod format;
pub mod indemnites;
pub mod scenario_csv;
pub mod verification;
