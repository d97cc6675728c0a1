//! Integration tests: one binary, fixtures in `tests/fixtures/`.

mod cli;
mod indemnites;
mod ingest;
mod rne;
