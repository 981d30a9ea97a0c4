// Policy::parse never panics; Policy::verify_checkpoint of the same bytes never panics.
#![no_main]

use std::sync::LazyLock;

use healthproof::note::VerifierKey;
use healthproof::policy::{Policy, TrustedLog};
use libfuzzer_sys::fuzz_target;

/// Public test keys of transparency-dev (witness, formats) whose checkpoints seed the corpus;
/// one of the two witnesses must cosign, so both quorum outcomes are reachable.
static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    let key = |k: &str| VerifierKey::parse(k).expect("fixed key");
    let log = |origin: &str, k: &str| TrustedLog { origin: origin.into(), key: key(k) };
    let logs = vec![
        log("monkeys", "monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT"),
        log("TestParseCheckpoint", "Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs"),
    ];
    let witnesses = vec![
        key("Known+451c786d+AXAQ0T7lbwuY4ABJ9/MYY9bWV3hmSyOGVt2x42NkmdUH"),
        key("KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj"),
    ];
    Policy::new(logs, witnesses, 1).expect("fixed policy")
});

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Policy::parse(text);
    }
    let _ = POLICY.verify_checkpoint(data);
});
