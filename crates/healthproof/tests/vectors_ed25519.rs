//! Every Ed25519 vector in `../shared/vectors/ed25519`, through the one verifier the crate
//! uses ([`healthproof::ed25519::PublicKey::verify`], ed25519-dalek's `verify_strict`).
//!
//! What is accepted, and why:
//! - RFC 8032 §7.1 and Wycheproof: exactly the `valid` cases. `S >= L`, wrong lengths and
//!   invalid encodings of `R` are rejected (RFC 8032 §5.1.7, no malleability).
//! - speccheck: only case 3 (mixed-order `A` and `R` that satisfy both equations). Small-order
//!   `A` or `R` (0, 1, 2, 11), non-canonical encodings (8–10) and the cofactored-only cases
//!   (4, 5) are rejected, as libsodium does.
//! - CCTV: the 43 vectors whose only flags are `low_order_component_A/R` (points with a torsion
//!   component that are not themselves of small order); every low-order or non-canonical
//!   `A`/`R` and every case needing the cofactored equation is rejected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{hex, load, report};
use healthproof::ed25519::PublicKey;
use serde_json::Value;

fn verdict(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    PublicKey::from_bytes(pk).is_ok_and(|key| key.verify(msg, sig))
}

fn run(set: &str, cases: impl Iterator<Item = (String, Vec<u8>, Vec<u8>, Vec<u8>, bool)>) {
    let mut passed = 0;
    let mut failures = Vec::new();
    for (id, pk, msg, sig, expected) in cases {
        if verdict(&pk, &msg, &sig) == expected {
            passed += 1;
        } else {
            failures.push(format!("{id}: expected {}", if expected { "accept" } else { "reject" }));
        }
    }
    report(set, passed, &failures);
}

fn tests(v: &Value) -> &Vec<Value> {
    v["tests"].as_array().unwrap()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn rfc8032() {
    let Some(v) = load("ed25519/rfc8032", "ed25519/rfc8032/rfc8032_ed25519.json") else { return };
    run(
        "ed25519/rfc8032",
        tests(&v).iter().map(|t| {
            let s = |k: &str| hex(t[k].as_str().unwrap());
            let id = t["name"].as_str().unwrap().to_owned();
            (
                id,
                s("public_key"),
                s("message"),
                s("signature"),
                t["expected_valid"].as_bool().unwrap(),
            )
        }),
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn wycheproof() {
    let Some(v) = load("ed25519/wycheproof", "ed25519/wycheproof/ed25519_test.json") else {
        return;
    };
    let mut cases = Vec::new();
    for group in v["testGroups"].as_array().unwrap() {
        let pk = hex(group["publicKey"]["pk"].as_str().unwrap());
        for t in group["tests"].as_array().unwrap() {
            let result = t["result"].as_str().unwrap();
            assert_ne!(result, "acceptable", "no acceptable cases are expected in this set");
            cases.push((
                format!("tcId {}", t["tcId"]),
                pk.clone(),
                hex(t["msg"].as_str().unwrap()),
                hex(t["sig"].as_str().unwrap()),
                result == "valid",
            ));
        }
    }
    run("ed25519/wycheproof", cases.into_iter());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn speccheck() {
    let Some(v) = load("ed25519/speccheck", "ed25519/speccheck/speccheck_expectations.json") else {
        return;
    };
    let accepted: Vec<u64> = tests(&v)
        .iter()
        .filter(|t| t["expected_dalek_verify_strict"].as_bool().unwrap())
        .map(|t| t["index"].as_u64().unwrap())
        .collect();
    assert_eq!(accepted, vec![3], "the strict profile accepts only case 3");
    run(
        "ed25519/speccheck",
        tests(&v).iter().map(|t| {
            let s = |k: &str| hex(t[k].as_str().unwrap());
            let id = format!("case {}", t["index"]);
            (
                id,
                s("pub_key"),
                s("message"),
                s("signature"),
                t["expected_dalek_verify_strict"].as_bool().unwrap(),
            )
        }),
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cctv() {
    let Some(v) = load("ed25519/cctv", "ed25519/cctv/cctv_expectations.json") else { return };
    let allowed = ["low_order_component_A", "low_order_component_R"];
    for t in tests(&v) {
        let flags: Vec<&str> = t["flags"]
            .as_array()
            .map(|f| f.iter().map(|x| x.as_str().unwrap()).collect())
            .unwrap_or_default();
        let rule = flags.iter().all(|f| allowed.contains(f));
        assert_eq!(
            rule,
            t["expected_dalek_verify_strict"].as_bool().unwrap(),
            "rule vs file, {}",
            t["number"]
        );
    }
    run(
        "ed25519/cctv",
        tests(&v).iter().map(|t| {
            let s = |k: &str| hex(t[k].as_str().unwrap());
            let id = format!("number {}", t["number"]);
            (
                id,
                s("key"),
                s("msg_hex"),
                s("sig"),
                t["expected_dalek_verify_strict"].as_bool().unwrap(),
            )
        }),
    );
}
