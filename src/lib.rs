//! # collegia
//!
//! Organise a French municipal majority collegially: délégations coherent with the organigramme of
//! the city's services, diagnostics of a proposed plan, a legal allocation of indemnités weighted by
//! responsibility, optimised groupings, and reports for the séminaire de la majorité.
//!
//! The library is a pipeline, one module per stage, dependencies pointing one way:
//!
//! ```text
//!  files ──► ingest ──► model ◄── law      (CGCT rules as dated, cited tables)
//!                         ▲  ◄── analyse  (diagnostics: pure functions of the model)
//!                         │  ◄── optimise (models on one LP layer, [`lp`]; verified after every solve)
//!                         └──── report   (renderers return bytes; one writer writes)
//!  pipeline: load → analyse → allocate → plan as one library call ([`pipeline::executer`]),
//!            one error above the stages ([`erreur::Erreur`]).
//!  cli (in the binary, not this library): arguments → options → library calls; the only
//!  place that prints.
//! ```
//!
//! Only [`ingest`] reads files; library functions take readers or built models so that tests run
//! in memory.

pub mod analyse;
pub mod csv_francais;
pub mod erreur;
pub mod format;
pub mod guide;
pub mod ingest;
pub mod law;
pub mod lp;
pub mod model;
pub mod optimise;
pub mod pipeline;
pub mod reorganisation;
pub mod report;
pub mod seminaire;
pub mod synthese;
