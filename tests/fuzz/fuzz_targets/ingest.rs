//! Fuzz target: arbitrary bytes into every ingest entry point (organigramme, élu·es,
//! délégations, scenario.toml, RNE). Any panic is a bug: bad input must give coded diagnostics.
#![no_main]

use collegia::ingest::{
    Source, TomlFile, build_params, lire_rne, parse_delegations, parse_elus, parse_organigramme,
    parse_toml,
};
use collegia::model::{Axe, DEFAULT_AXES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let axes: Vec<Axe> = DEFAULT_AXES
        .iter()
        .map(|(i, l)| Axe { id: i.to_string(), libelle: l.to_string() })
        .collect();
    // Split the input in three files on the first two 0xFF bytes.
    let mut parts = data.splitn(3, |&b| b == 0xFF);
    let org = parts.next().unwrap_or_default();
    let elus = parts.next().unwrap_or_default();
    let dels = parts.next().unwrap_or_default();
    let o = parse_organigramme(&Source { nom: "o.csv".into(), octets: org.to_vec() }, &axes);
    let e = parse_elus(&Source { nom: "e.csv".into(), octets: elus.to_vec() }, &axes, &[]);
    if let (Ok(o), Ok(e)) = (o, e) {
        let _ = parse_delegations(&Source { nom: "d.csv".into(), octets: dels.to_vec() }, &e, &o);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(table) = parse_toml("s.toml", text)
    {
        let chain = vec![TomlFile { dossier: "x".into(), nom: "s.toml".into(), texte: text.to_string(), table }];
        let _ = build_params(&chain, "x");
    }
    let _ = lire_rne(data, "rne.csv", "44109");
});
