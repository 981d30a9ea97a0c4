//! Helpers shared by the integration tests: locating the shared vectors, hex, a test PRNG.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use serde_json::Value;

/// `../shared/vectors` beside the project (or `$HEALTHPROOF_SHARED/vectors`), if present.
pub fn shared_vectors() -> Option<PathBuf> {
    let root = match std::env::var_os("HEALTHPROOF_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    let dir = root.join("vectors");
    dir.is_dir().then_some(dir)
}

/// Loads a JSON file below the shared vectors, or prints why the set is skipped.
pub fn load(set: &str, relative: &str) -> Option<Value> {
    let Some(dir) = shared_vectors() else {
        println!("SKIP {set}: ../shared/vectors is not present beside the project");
        return None;
    };
    let path = dir.join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{set}: cannot read {}: {e}", path.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{set}: bad JSON: {e}")))
}

/// Decodes lowercase or uppercase hex.
pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length: {s}");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Reports how many cases of a set ran and gave their expected verdict.
pub fn report(set: &str, passed: usize, failures: &[String]) {
    println!("vectors {set}: {passed} cases passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{set}: {} cases disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(passed > 0, "{set}: no case ran");
}

/// SplitMix64: a tiny deterministic generator, so property tests are reproducible.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}
