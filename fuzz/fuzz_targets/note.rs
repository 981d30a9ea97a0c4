// Note::parse: an accepted note serialises back byte for byte, and note::verify never panics.
#![no_main]

use std::sync::LazyLock;

use healthproof::note::{self, Note, VerifierKey};
use libfuzzer_sys::fuzz_target;

/// The keys of the project's own test log and its witnesses (tests/vectors/tlog): the seeds'
/// checkpoints carry their signatures, so good and bad signatures are both checked.
static KEYS: LazyLock<Vec<VerifierKey>> = LazyLock::new(|| {
    include_str!("../../tests/vectors/tlog/policy.txt")
        .lines()
        .filter(|l| l.starts_with("log ") || l.starts_with("witness "))
        .filter_map(|l| l.split(' ').next_back())
        .map(|k| VerifierKey::parse(k).expect("the project's test keys"))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = Note::parse(data) else { return };
    assert_eq!(parsed.to_bytes(), data, "Note::parse does not round-trip");
    let _ = note::verify(&parsed, &KEYS);
});
