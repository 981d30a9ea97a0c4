// Presentation::parse: an accepted presentation reparses from to_bytes(); record::verify never panics.
#![no_main]

use std::sync::LazyLock;

use healthproof::note::VerifierKey;
use healthproof::presentation::Presentation;
use healthproof::record::{self, Options};
use libfuzzer_sys::fuzz_target;

/// The test trust list the record vectors are verified against, and the key that signs it.
const TRUST_LIST: &[u8] = include_bytes!("../../tests/vectors/records/trust-list.txt");
const SIGNER: &str = include_str!("../../tests/vectors/records/trust-list-signer.txt");

/// The vectors' `now` (2026-11-08), so the seeded records reach the time and validity checks.
static OPTIONS: LazyLock<Options> = LazyLock::new(|| {
    let signer = VerifierKey::parse(SIGNER.trim()).expect("fixed key");
    Options::new(1_794_096_000, vec![signer])
});

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = Presentation::parse(data) {
        let again = Presentation::parse(&parsed.to_bytes());
        assert_eq!(again.as_ref(), Ok(&parsed), "Presentation::parse does not round-trip");
    }
    let _ = record::verify(data, TRUST_LIST, &OPTIONS);
});
