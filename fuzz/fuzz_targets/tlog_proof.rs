// TlogProof::parse: an accepted proof serialises back byte for byte; verify_entry never panics.
#![no_main]

use std::sync::LazyLock;

use healthproof::note::VerifierKey;
use healthproof::policy::{Policy, TrustedLog};
use healthproof::proof::{self, TlogProof};
use libfuzzer_sys::fuzz_target;

/// Public test keys of transparency-dev (witness, formats) whose checkpoints seed the corpus;
/// no quorum, so a checkpoint by "monkeys" (32-byte roots) reaches the inclusion check.
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
    Policy::new(logs, witnesses, 0).expect("fixed policy")
});

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = TlogProof::parse(data) else { return };
    assert_eq!(parsed.to_bytes(), data, "TlogProof::parse does not round-trip");
    // The entry is the extra data, so the fuzzer controls the leaf hash too.
    let _ = proof::verify_entry(&parsed, parsed.extra().unwrap_or_default(), &POLICY);
});
