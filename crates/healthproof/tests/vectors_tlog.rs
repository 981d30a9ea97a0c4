//! The project's own tlog-proof corpus, `tests/vectors/tlog/cases/*.json`, made by
//! `cargo xtask testdata`: one file a case, each with the verdict and error code expected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::report;
use healthproof::policy::Policy;
use healthproof::proof::{verify_entry, TlogProof};
use healthproof::{base64, Error};
use serde_json::Value;

fn verdict(case: &Value) -> Result<usize, Error> {
    let policy = Policy::parse(case["policy"].as_str().unwrap())?;
    let text = case["proof"].as_str().unwrap();
    let proof = TlogProof::parse(text.as_bytes())?;
    assert_eq!(proof.to_string(), text, "a parsed proof serialises to the same bytes");
    let entry = base64::decode(case["entry_base64"].as_str().unwrap()).unwrap();
    Ok(verify_entry(&proof, &entry, &policy)?.cosigners.len())
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn own_tlog_corpus() {
    let mut passed = 0;
    let mut failures = Vec::new();
    for (name, case) in common::own_cases("tlog") {
        let expected = &case["expected"];
        let got = verdict(&case);
        let ok = match (&got, expected["valid"].as_bool().unwrap()) {
            (Ok(n), true) => Some(*n as u64) == expected["cosigners"].as_u64(),
            (Err(e), false) => Some(e.code()) == expected["code"].as_str(),
            _ => false,
        };
        if ok {
            passed += 1
        } else {
            failures.push(format!("{name}: got {got:?}, expected {expected}"))
        }
    }
    report("tests/vectors/tlog", passed, &failures);
    assert!(passed >= 24, "the corpus has at least 24 cases");
}
