//! Integration tests: one binary, fixtures in `tests/fixtures/`.

mod analyse;
mod cli;
mod indemnites;
mod ingest;
mod optimise;
mod rapport;
mod rne;
mod robustesse;
