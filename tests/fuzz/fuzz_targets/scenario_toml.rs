//! Fuzz target: arbitrary text as `scenario.toml` (parse, then validate into parameters). Any
//! panic is a bug: bad input must give coded diagnostics.
#![no_main]

use collegia::ingest::{TomlFile, build_params, decode, parse_toml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = decode(data);
    if let Ok(table) = parse_toml("s.toml", &text) {
        let chain = vec![TomlFile { dossier: "x".into(), nom: "s.toml".into(), texte: text, table }];
        let _ = build_params(&chain, "x");
    }
});
