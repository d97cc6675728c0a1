//! Integration tests: one binary, fixtures in `tests/fixtures/`.

mod affectation;
mod analyse;
mod budget_27;
mod cdp;
mod chiffres;
mod classeur;
mod cli;
mod commun;
mod criteres;
mod droit;
mod droit_27;
mod ecran;
mod faisabilite;
mod fiabilite;
mod guide;
mod indemnites;
mod ingest;
mod optimise;
mod pipeline;
mod portabilite;
mod rapport;
mod reorganisation;
mod rne;
mod robustesse;
#[cfg(feature = "seminaire")]
mod seminaire;
mod sorties;
mod voeux;
