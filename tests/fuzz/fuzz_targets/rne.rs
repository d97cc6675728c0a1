//! Fuzz target: arbitrary bytes as an RNE file, behind a valid header so that the record loop is
//! reached. Any panic is a bug; memory stays bounded by the 64 KiB record limit.
#![no_main]

use collegia::ingest::{COLONNES_RNE, lire_rne};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = (COLONNES_RNE.join(";") + "\n").into_bytes();
    input.extend_from_slice(data);
    let _ = lire_rne(input.as_slice(), "rne.csv", "44109");
    let _ = lire_rne(data, "rne.csv", "2A004");
});
