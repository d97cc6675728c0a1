//! Integration tests: one binary, fixtures in `tests/fixtures/`.

mod analyse;
mod cli;
mod indemnites;
mod ingest;
mod rne;
mod robustesse;
