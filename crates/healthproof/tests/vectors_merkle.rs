//! The RFC 9162 Merkle vectors in `../shared/vectors/merkle`: transparency-dev/merkle's proof
//! probes and the classic 8-leaf reference tree. The `subtree_*` files belong to the Merkle
//! Tree Certificates draft, not RFC 9162, and are not run here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{hex, load, report};
use healthproof::merkle::{self, Hash};
use serde_json::Value;

/// Parses proof hashes; a hash that is not 32 bytes makes the whole proof invalid, which is
/// the verdict the verifier must reach for such a case.
fn proof(v: &Value) -> Option<Vec<Hash>> {
    v.as_array().unwrap().iter().map(|h| hex(h.as_str().unwrap()).try_into().ok()).collect()
}

fn inclusion_verdict(t: &Value) -> bool {
    let Some(p) = proof(&t["proof"]) else { return false };
    merkle::verify_inclusion(
        &hex(t["leaf_hash"].as_str().unwrap()),
        t["leaf_index"].as_u64().unwrap(),
        t["tree_size"].as_u64().unwrap(),
        &p,
        &hex(t["root"].as_str().unwrap()),
    )
    .is_ok()
}

fn consistency_verdict(t: &Value) -> bool {
    let Some(p) = proof(&t["proof"]) else { return false };
    merkle::verify_consistency(
        t["size1"].as_u64().unwrap(),
        t["size2"].as_u64().unwrap(),
        &p,
        &hex(t["root1"].as_str().unwrap()),
        &hex(t["root2"].as_str().unwrap()),
    )
    .is_ok()
}

fn run(set: &str, cases: &[Value], verdict: fn(&Value) -> bool) {
    let mut passed = 0;
    let mut failures = Vec::new();
    for t in cases {
        let expected = t["expected_valid"].as_bool().unwrap();
        if verdict(t) == expected {
            passed += 1;
        } else {
            failures.push(format!("{}: expected valid = {expected}", t["id"]));
        }
    }
    report(set, passed, &failures);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn transparency_dev_inclusion() {
    let Some(v) =
        load("merkle/transparency-dev inclusion", "merkle/transparency-dev/inclusion.json")
    else {
        return;
    };
    run("merkle/transparency-dev inclusion", v["tests"].as_array().unwrap(), inclusion_verdict);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn transparency_dev_consistency() {
    let Some(v) =
        load("merkle/transparency-dev consistency", "merkle/transparency-dev/consistency.json")
    else {
        return;
    };
    run("merkle/transparency-dev consistency", v["tests"].as_array().unwrap(), consistency_verdict);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn reference_tree_hashes_and_roots() {
    let set = "merkle/rfc6962-reference-tree hashes";
    let Some(v) = load(set, "merkle/rfc6962-reference-tree/reference_tree.json") else { return };
    let leaves: Vec<Vec<u8>> =
        v["leaves_hex"].as_array().unwrap().iter().map(|l| hex(l.as_str().unwrap())).collect();
    let hashes: Vec<Hash> = leaves.iter().map(|l| merkle::leaf_hash(l)).collect();
    let mut passed = 0;
    let mut failures = Vec::new();
    let mut check = |what: String, got: &Hash, want: &str| {
        if got[..] == hex(want)[..] {
            passed += 1;
        } else {
            failures.push(what);
        }
    };
    for (i, want) in v["leaf_hashes_hex"].as_array().unwrap().iter().enumerate() {
        check(format!("leaf hash {i}"), &hashes[i], want.as_str().unwrap());
    }
    for (level, nodes) in v["node_hashes_by_level"].as_array().unwrap().iter().enumerate() {
        for (i, want) in nodes.as_array().unwrap().iter().enumerate() {
            let span = 1usize << level;
            let got = merkle::root(&hashes[i * span..(i + 1) * span]);
            check(format!("node level {level} index {i}"), &got, want.as_str().unwrap());
        }
    }
    for (size, want) in v["roots_by_tree_size"].as_object().unwrap() {
        let size: usize = size.parse().unwrap();
        check(
            format!("root of size {size}"),
            &merkle::root(&hashes[..size]),
            want.as_str().unwrap(),
        );
    }
    report(set, passed, &failures);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn reference_tree_derived_proofs() {
    let Some(v) = load(
        "merkle/rfc6962-reference-tree proofs",
        "merkle/rfc6962-reference-tree/derived_proofs.json",
    ) else {
        return;
    };
    run(
        "merkle/rfc6962-reference-tree inclusion",
        v["inclusion"].as_array().unwrap(),
        inclusion_verdict,
    );
    run(
        "merkle/rfc6962-reference-tree consistency",
        v["consistency"].as_array().unwrap(),
        consistency_verdict,
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn reference_tree_proofs_are_generated_exactly() {
    let set = "merkle/rfc6962-reference-tree generation";
    let Some(tree) = load(set, "merkle/rfc6962-reference-tree/reference_tree.json") else { return };
    let Some(v) = load(set, "merkle/rfc6962-reference-tree/derived_proofs.json") else { return };
    let hashes: Vec<Hash> = tree["leaves_hex"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| merkle::leaf_hash(&hex(l.as_str().unwrap())))
        .collect();
    let mut passed = 0;
    let mut failures = Vec::new();
    for t in
        v["inclusion"].as_array().unwrap().iter().filter(|t| t["expected_valid"].as_bool().unwrap())
    {
        let size = t["tree_size"].as_u64().unwrap() as usize;
        let got =
            merkle::prove_inclusion(t["leaf_index"].as_u64().unwrap(), &hashes[..size]).unwrap();
        if Some(got) == proof(&t["proof"]) {
            passed += 1
        } else {
            failures.push(format!("{}", t["id"]))
        }
    }
    for t in v["consistency"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["expected_valid"].as_bool().unwrap())
    {
        let size2 = t["size2"].as_u64().unwrap() as usize;
        let got =
            merkle::prove_consistency(t["size1"].as_u64().unwrap(), &hashes[..size2]).unwrap();
        if Some(got) == proof(&t["proof"]) {
            passed += 1
        } else {
            failures.push(format!("{}", t["id"]))
        }
    }
    report(set, passed, &failures);
}
