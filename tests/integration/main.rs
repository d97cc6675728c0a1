//! Integration tests: one binary, fixtures in `tests/fixtures/`.

mod cli;
mod ingest;
mod optimise;
