//! Helpers shared by the integration tests: locating the shared vectors, hex, a test PRNG.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(not(target_arch = "wasm32"))]
use std::path::PathBuf;

use serde_json::Value;

// In wasm (the wasm-bindgen-test suites of crates/healthproof-wasm) there is no filesystem:
// that crate's build script embeds the same files, and these helpers read them from memory.
#[cfg(target_arch = "wasm32")]
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Prints a line: to stdout natively, to the JS console under wasm-bindgen-test.
pub fn say(line: &str) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{line}");
    #[cfg(not(target_arch = "wasm32"))]
    println!("{line}");
}

/// `../shared/<folder>` beside the project (or `$HEALTHPROOF_SHARED/<folder>`), if present.
#[cfg(not(target_arch = "wasm32"))]
pub fn shared(folder: &str) -> Option<PathBuf> {
    let root = match std::env::var_os("HEALTHPROOF_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    let dir = root.join(folder);
    dir.is_dir().then_some(dir)
}

/// `../shared/vectors` beside the project (or `$HEALTHPROOF_SHARED/vectors`), if present.
#[cfg(not(target_arch = "wasm32"))]
pub fn shared_vectors() -> Option<PathBuf> {
    shared("vectors")
}

/// The text of a file below the shared vectors, if they are present.
#[cfg(target_arch = "wasm32")]
fn shared_text(relative: &str) -> Option<String> {
    let file = embedded::SHARED.iter().find(|(p, _)| *p == relative);
    file.map(|(_, bytes)| String::from_utf8(bytes.to_vec()).unwrap())
}

/// The text of a file below the shared vectors, if they are present.
#[cfg(not(target_arch = "wasm32"))]
fn shared_text(relative: &str) -> Option<String> {
    let path = shared_vectors()?.join(relative);
    Some(
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())),
    )
}

/// Loads a JSON file below the shared vectors, or prints why the set is skipped.
pub fn load(set: &str, relative: &str) -> Option<Value> {
    let Some(text) = shared_text(relative) else {
        say(&format!("SKIP {set}: ../shared/vectors is not present beside the project"));
        return None;
    };
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{set}: bad JSON: {e}")))
}

/// The project's own corpus in `tests/vectors/<set>/cases`: (case name, JSON), sorted by name.
pub fn own_cases(set: &str) -> Vec<(String, Value)> {
    let parse = |name: &str, text: &str| {
        let stem = name.trim_end_matches(".json").to_owned();
        (stem, serde_json::from_str(text).unwrap_or_else(|e| panic!("{set}/{name}: {e}")))
    };
    #[cfg(target_arch = "wasm32")]
    let mut cases: Vec<(String, Value)> = {
        let prefix = format!("{set}/cases/");
        embedded::OWN
            .iter()
            .filter_map(|(p, bytes)| {
                let name = p.strip_prefix(prefix.as_str())?;
                Some(parse(name, std::str::from_utf8(bytes).unwrap()))
            })
            .collect()
    };
    #[cfg(not(target_arch = "wasm32"))]
    let mut cases: Vec<(String, Value)> = {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/vectors")
            .join(set)
            .join("cases");
        std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                parse(&name, &std::fs::read_to_string(&p).unwrap())
            })
            .collect()
    };
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

/// Decodes lowercase or uppercase hex.
pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length: {s}");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Reports how many cases of a set ran and gave their expected verdict.
pub fn report(set: &str, passed: usize, failures: &[String]) {
    say(&format!("vectors {set}: {passed} cases passed, {} failed", failures.len()));
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
