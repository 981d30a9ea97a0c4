// document::verify never panics on any input, whatever kind it looks like (the trust list is
// empty, so every format check runs and the report stops at trust-list).
#![no_main]

use healthproof::document;
use healthproof::record::Options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = document::verify(data, b"", &Options::new(1_700_000_000, Vec::new()));
    let _ = report.to_json().to_string();
});
