// Policy::parse never panics; Policy::verify_checkpoint of the same bytes never panics.
#![no_main]

use std::sync::LazyLock;

use healthproof::policy::Policy;
use libfuzzer_sys::fuzz_target;

/// The project's own test log (tests/vectors/tlog, made by `cargo xtask testdata`): one log,
/// three witnesses, two of which must cosign. Its generated proofs seed the corpus, so good
/// and bad signatures and both quorum outcomes are reachable.
static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    Policy::parse(include_str!("../../tests/vectors/tlog/policy.txt")).expect("the project's test policy")
});

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Policy::parse(text);
    }
    let _ = POLICY.verify_checkpoint(data);
});
