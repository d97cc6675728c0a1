//! Integration tests: one binary, fixtures in `tests/fixtures/`.

mod analyse;
mod cli;
mod ingest;
mod rne;
mod robustesse;
