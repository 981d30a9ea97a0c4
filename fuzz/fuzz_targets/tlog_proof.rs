// TlogProof::parse: an accepted proof serialises back byte for byte; verify_entry never panics.
#![no_main]

use std::sync::LazyLock;

use healthproof::policy::Policy;
use healthproof::proof::{self, TlogProof};
use libfuzzer_sys::fuzz_target;

/// The project's own test log (tests/vectors/tlog, made by `cargo xtask testdata`): one log,
/// three witnesses, two of which must cosign. Its generated proofs seed the corpus, so good
/// and bad signatures and both quorum outcomes are reachable.
static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    Policy::parse(include_str!("../../tests/vectors/tlog/policy.txt")).expect("the project's test policy")
});

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = TlogProof::parse(data) else { return };
    assert_eq!(parsed.to_bytes(), data, "TlogProof::parse does not round-trip");
    // The entry is the extra data, so the fuzzer controls the leaf hash too.
    let _ = proof::verify_entry(&parsed, parsed.extra().unwrap_or_default(), &POLICY);
});
