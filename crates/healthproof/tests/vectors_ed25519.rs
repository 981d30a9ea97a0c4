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
//!
//! Every case is also checked with the equation deferred ([`ed25519::deferred`]) and done by
//! a plain RFC 8032 verifier that skips the small-order checks: the verdict must not change,
//! so the encoding checks left in Rust are exactly what makes the profile strict. The wasm
//! tests do the same with WebCrypto's Ed25519 as the plain verifier.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{hex, load, report};
use ed25519_dalek::Verifier as _;
use healthproof::ed25519::{self, PublicKey};
use serde_json::Value;

fn verdict(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    PublicKey::from_bytes(pk).is_ok_and(|key| key.verify(msg, sig))
}

/// The verdict when the curve equation is deferred ([`ed25519::deferred`]) and then checked by
/// `equation`: it must equal [`verdict`] whenever `equation` is a plain RFC 8032 cofactorless
/// check (`S < L`, `R` compared as bytes) with none of `verify_strict`'s small-order checks.
pub fn deferred_verdict(
    pk: &[u8],
    msg: &[u8],
    sig: &[u8],
    equation: impl FnOnce(&ed25519::Deferred) -> bool,
) -> bool {
    let Ok(key) = PublicKey::from_bytes(pk) else { return false };
    match ed25519::deferred(|| key.verify(msg, sig)) {
        (true, list) => list.len() == 1 && list.first().is_some_and(equation),
        (false, list) => {
            assert!(list.is_empty(), "a signature that fails its encoding checks is not deferred");
            false
        }
    }
}

/// ed25519-dalek's non-strict `verify`: RFC 8032 §5.1.7 without the small-order rejections.
fn plain_equation(d: &ed25519::Deferred) -> bool {
    ed25519_dalek::VerifyingKey::from_bytes(&d.key).is_ok_and(|key| {
        key.verify(&d.message, &ed25519_dalek::Signature::from_bytes(&d.signature)).is_ok()
    })
}

/// One vector: its id in the file, public key, message, signature, and whether it verifies.
pub type Case = (String, Vec<u8>, Vec<u8>, Vec<u8>, bool);

fn run(set: &str, cases: impl Iterator<Item = Case>) {
    let mut passed = 0;
    let mut failures = Vec::new();
    for (id, pk, msg, sig, expected) in cases {
        if verdict(&pk, &msg, &sig) != expected {
            failures.push(format!("{id}: expected {}", if expected { "accept" } else { "reject" }));
        } else if deferred_verdict(&pk, &msg, &sig, plain_equation) != expected {
            failures.push(format!("{id}: deferred, then a plain equation, differs"));
        } else {
            passed += 1;
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
    if let Some(cases) = rfc8032_cases() {
        run("ed25519/rfc8032", cases.into_iter());
    }
}

/// The `rfc8032` set, or `None` (with a message) where it is absent.
pub fn rfc8032_cases() -> Option<Vec<Case>> {
    let v = load("ed25519/rfc8032", "ed25519/rfc8032/rfc8032_ed25519.json")?;
    Some(
        tests(&v)
            .iter()
            .map(|t| {
                let s = |k: &str| hex(t[k].as_str().unwrap());
                let id = t["name"].as_str().unwrap().to_owned();
                (
                    id,
                    s("public_key"),
                    s("message"),
                    s("signature"),
                    t["expected_valid"].as_bool().unwrap(),
                )
            })
            .collect(),
    )
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn wycheproof() {
    if let Some(cases) = wycheproof_cases() {
        run("ed25519/wycheproof", cases.into_iter());
    }
}

/// The `wycheproof` set, or `None` (with a message) where it is absent.
pub fn wycheproof_cases() -> Option<Vec<Case>> {
    let v = load("ed25519/wycheproof", "ed25519/wycheproof/ed25519_test.json")?;
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
    Some(cases)
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn speccheck() {
    if let Some(cases) = speccheck_cases() {
        run("ed25519/speccheck", cases.into_iter());
    }
}

/// The `speccheck` set, or `None` (with a message) where it is absent.
pub fn speccheck_cases() -> Option<Vec<Case>> {
    let v = load("ed25519/speccheck", "ed25519/speccheck/speccheck_expectations.json")?;
    let accepted: Vec<u64> = tests(&v)
        .iter()
        .filter(|t| t["expected_dalek_verify_strict"].as_bool().unwrap())
        .map(|t| t["index"].as_u64().unwrap())
        .collect();
    assert_eq!(accepted, vec![3], "the strict profile accepts only case 3");
    Some(
        tests(&v)
            .iter()
            .map(|t| {
                let s = |k: &str| hex(t[k].as_str().unwrap());
                let id = format!("case {}", t["index"]);
                (
                    id,
                    s("pub_key"),
                    s("message"),
                    s("signature"),
                    t["expected_dalek_verify_strict"].as_bool().unwrap(),
                )
            })
            .collect(),
    )
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cctv() {
    if let Some(cases) = cctv_cases() {
        run("ed25519/cctv", cases.into_iter());
    }
}

/// The `cctv` set, or `None` (with a message) where it is absent.
pub fn cctv_cases() -> Option<Vec<Case>> {
    let v = load("ed25519/cctv", "ed25519/cctv/cctv_expectations.json")?;
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
    Some(
        tests(&v)
            .iter()
            .map(|t| {
                let s = |k: &str| hex(t[k].as_str().unwrap());
                let id = format!("number {}", t["number"]);
                (
                    id,
                    s("key"),
                    s("msg_hex"),
                    s("sig"),
                    t["expected_dalek_verify_strict"].as_bool().unwrap(),
                )
            })
            .collect(),
    )
}
