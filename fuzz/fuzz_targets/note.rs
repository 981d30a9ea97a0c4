// Note::parse: an accepted note serialises back byte for byte, and note::verify never panics.
#![no_main]

use std::sync::LazyLock;

use healthproof::note::{self, Note, VerifierKey};
use libfuzzer_sys::fuzz_target;

/// Public keys whose signatures the seeds carry, so both good and bad signatures are checked:
/// the signed-note spec's example key (Ed25519) and a sunlight test witness (cosignature v1).
static KEYS: LazyLock<Vec<VerifierKey>> = LazyLock::new(|| {
    ["example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
     "witness.example.org+b8a2cf20+BFLN3yikSfFkVAJtrnh/CiY3Zozkoy7clp+P7XB28qUN"]
    .iter()
    .map(|k| VerifierKey::parse(k).expect("fixed key"))
    .collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = Note::parse(data) else { return };
    assert_eq!(parsed.to_bytes(), data, "Note::parse does not round-trip");
    let _ = note::verify(&parsed, &KEYS);
});
