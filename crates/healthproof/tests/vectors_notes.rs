//! The signed-note, checkpoint and cosignature vectors in `../shared/vectors/notes`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{hex, load, report};
use ed25519_dalek::{Signer, SigningKey};
use healthproof::checkpoint::Checkpoint;
use healthproof::note::{self, KeyType, Note, Signature, VerifierKey};
use healthproof::policy::{Policy, TrustedLog};
use healthproof::{base64, cosignature, merkle};
use serde_json::Value;

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

fn keys(v: &Value) -> Vec<VerifierKey> {
    v.as_array().unwrap().iter().map(|k| VerifierKey::parse(s(k)).unwrap()).collect()
}

fn names(list: impl Iterator<Item = (String, u32)>) -> Vec<String> {
    list.map(|(n, id)| format!("{n}+{id:08x}")).collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn go_sumdb_note() {
    let set = "notes/go-sumdb-note";
    let Some(v) = load(set, "notes/go-sumdb-note/notes.json") else { return };
    let mut passed = 0;
    let mut failures = Vec::new();
    for k in v["verifier_keys"].as_array().unwrap() {
        let ok = VerifierKey::parse(s(&k["vkey"])).is_ok();
        if ok == k["expected_valid"].as_bool().unwrap() {
            passed += 1
        } else {
            failures.push(format!("vkey {}", k["vkey"]))
        }
        if let Ok(key) = VerifierKey::parse(s(&k["vkey"])) {
            assert_eq!(key.to_string(), s(&k["vkey"]), "vkeys round-trip");
        }
    }
    for bad in v["mangled_vkeys_all_invalid"].as_array().unwrap() {
        if VerifierKey::parse(s(bad)).is_err() {
            passed += 1
        } else {
            failures.push(format!("mangled vkey {bad}"))
        }
    }
    for case in v["sign"].as_array().unwrap() {
        // PRIVATE+KEY+<name>+<id>+base64(0x01 || seed): sign deterministically, compare bytes.
        let parts: Vec<&str> = s(&case["skey"]).splitn(5, '+').collect();
        let material = base64::decode(parts[4]).unwrap();
        let signing = SigningKey::from_bytes(&material[1..].try_into().unwrap());
        let text = s(&case["text"]);
        let sig = signing.sign(text.as_bytes()).to_bytes().to_vec();
        let id = u32::from_str_radix(parts[3], 16).unwrap();
        let note = Note::new(text, vec![Signature::new(parts[2], id, sig).unwrap()]).unwrap();
        if note.to_string() == s(&case["expected_note"]) {
            passed += 1
        } else {
            failures.push("sign".into())
        }
    }
    for case in v["open"].as_array().unwrap() {
        let id = s(&case["id"]);
        let bytes = match case["note"].as_str() {
            Some(text) => text.as_bytes().to_vec(),
            None => hex(s(&case["note_hex"])),
        };
        let expected = &case["expected"];
        let result = Note::parse(&bytes).and_then(|n| {
            assert_eq!(n.to_bytes(), bytes, "{id}: parse → serialise is byte-identical");
            note::verify(&n, &keys(&case["vkeys"]))
        });
        let agrees = match (&result, expected["ok"].as_bool().unwrap()) {
            (Ok(verified), true) => {
                let got_verified =
                    names(verified.verified().iter().map(|v| (v.name.clone(), v.key_id)));
                let got_unverified = names(verified.unverified().iter().cloned());
                let want = |k: &str| -> Vec<String> {
                    expected[k].as_array().unwrap().iter().map(|x| s(x).to_owned()).collect()
                };
                got_verified == want("verified") && got_unverified == want("unverified")
            }
            (Err(e), false) => {
                let go = s(&expected["error"]);
                match go {
                    "malformed note" => ["note-malformed", "input-too-large"].contains(&e.code()),
                    "note has no verifiable signatures" => e.code() == "key-unknown",
                    g if g.starts_with("ambiguous key") => e.code() == "key-ambiguous",
                    g if g.starts_with("invalid signature") => e.code() == "signature-invalid",
                    _ => false,
                }
            }
            _ => false,
        };
        if agrees {
            passed += 1
        } else {
            failures.push(format!("open {id}: got {result:?}"))
        }
    }
    report(set, passed, &failures);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn c2sp_spec_examples() {
    let set = "notes/c2sp-spec-examples";
    let Some(v) = load(set, "notes/c2sp-spec-examples/examples.json") else { return };
    let mut passed = 0;
    let mut failures = Vec::new();
    for ex in v["examples"].as_array().unwrap() {
        let id = s(&ex["id"]);
        let expected = &ex["expected"];
        let n = Note::parse(s(&ex["note"]).as_bytes()).unwrap();
        assert_eq!(n.to_string(), s(&ex["note"]), "{id}: round trip");
        let ok = match id {
            "signed-note-vkey-example" => {
                let key = VerifierKey::parse(s(&ex["vkey"])).unwrap();
                note::verify(&n, &[key]).is_ok_and(|v| v.verified().len() == 1)
            }
            "signed-note-intro" => {
                n.text().lines().count() as u64 == expected["text_lines"].as_u64().unwrap()
                    && n.signatures().len() as u64 == expected["signatures"].as_u64().unwrap()
            }
            "tlog-checkpoint-example" => {
                let c = Checkpoint::parse(n.text()).unwrap();
                c.origin() == s(&expected["origin"])
                    && c.tree_size() == expected["size"].as_u64().unwrap()
                    && c.root_hash() == hex(s(&expected["root_hex"]))
            }
            "tlog-cosignature-example" => {
                let sig = n
                    .signatures()
                    .iter()
                    .find(|g| g.name() == s(&expected["cosignature_key_name"]))
                    .unwrap();
                let (ts, _) = cosignature::split(sig.bytes()).unwrap();
                ts == expected["cosignature_timestamp"].as_u64().unwrap()
                    && cosignature::signed_message(ts, n.text())
                        == s(&expected["cosignature_signed_message"]).as_bytes()
            }
            other => panic!("unknown example {other}"),
        };
        if ok {
            passed += 1
        } else {
            failures.push(id.to_owned())
        }
    }
    report(set, passed, &failures);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn transparency_dev_checkpoint_bodies() {
    let set = "notes/transparency-dev-checkpoints bodies";
    let Some(v) = load(set, "notes/transparency-dev-checkpoints/checkpoint_body.json") else {
        return;
    };
    let mut passed = 0;
    let mut failures = Vec::new();
    for t in v["tests"].as_array().unwrap() {
        let e = &t["expected"];
        let ok = match (Checkpoint::parse(s(&t["text"])), e["ok"].as_bool().unwrap()) {
            (Ok(c), true) => {
                c.to_string() == s(&t["text"])
                    && c.origin() == s(&e["origin"])
                    && c.tree_size() == e["size"].as_u64().unwrap()
                    && c.root_hash() == hex(s(&e["root_hex"]))
                    && c.extension_lines() == s(&e["rest"])
            }
            (Err(err), false) => err.code() == "checkpoint-malformed",
            _ => false,
        };
        if ok {
            passed += 1
        } else {
            failures.push(s(&t["id"]).to_owned())
        }
    }
    report(set, passed, &failures);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn transparency_dev_checkpoint_policy() {
    let set = "notes/transparency-dev-checkpoints policy";
    let Some(v) = load(set, "notes/transparency-dev-checkpoints/checkpoint_policy.json") else {
        return;
    };
    let mut passed = 0;
    let mut failures = Vec::new();
    for t in v["tests"].as_array().unwrap() {
        let log = VerifierKey::parse(s(&t["log_vkey"])).unwrap();
        let others = keys(&t["other_vkeys"]);
        let policy = Policy::new(
            vec![TrustedLog { origin: s(&t["expected_origin"]).to_owned(), key: log.clone() }],
            others.clone(),
            0,
        )
        .unwrap();
        let result = policy.verify_checkpoint(s(&t["note"]).as_bytes());
        let mut all = vec![log];
        all.extend(others);
        let count = Note::parse(s(&t["note"]).as_bytes())
            .and_then(|n| note::verify(&n, &all))
            .map_or(0, |v| v.verified().len());
        let ok = result.is_ok() == t["expected_valid"].as_bool().unwrap()
            && count as u64 == t["expected_verified_sig_count"].as_u64().unwrap();
        if ok {
            passed += 1
        } else {
            failures.push(format!("{}: {result:?}, {count} signatures", t["id"]))
        }
    }
    report(set, passed, &failures);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn transparency_dev_witness_consistency() {
    let set = "notes/transparency-dev-checkpoints witness";
    let Some(v) = load(set, "notes/transparency-dev-checkpoints/witness_consistency.json") else {
        return;
    };
    let key = VerifierKey::parse(s(&v["log_vkey"])).unwrap();
    let policy =
        Policy::new(vec![TrustedLog { origin: "monkeys".into(), key }], vec![], 0).unwrap();
    let old = policy.verify_checkpoint(s(&v["checkpoint_old"]).as_bytes()).unwrap().checkpoint;
    let new = policy.verify_checkpoint(s(&v["checkpoint_new"]).as_bytes()).unwrap().checkpoint;
    let proof: Vec<merkle::Hash> = v["consistency_proof_5_to_8"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| hex(s(h)).try_into().unwrap())
        .collect();
    merkle::verify_consistency(
        old.tree_size(),
        new.tree_size(),
        &proof,
        old.root_hash(),
        new.root_hash(),
    )
    .unwrap();
    let mut bad = proof.clone();
    bad[1][0] ^= 1;
    assert!(merkle::verify_consistency(5, 8, &bad, old.root_hash(), new.root_hash()).is_err());
    report(set, 3, &[]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sunlight_skylight_cosignatures() {
    let set = "notes/sunlight-skylight-cosignatures";
    let Some(v) = load(set, "notes/sunlight-skylight-cosignatures/cosignatures.json") else {
        return;
    };
    let mut passed = 0;
    let mut failures = Vec::new();
    for t in v["tests"].as_array().unwrap() {
        let key = VerifierKey::parse(s(&t["cosigner_vkey"])).unwrap();
        assert_eq!(key.key_type(), KeyType::CosignatureV1);
        let n = Note::parse(s(&t["note"]).as_bytes()).unwrap();
        let result = note::verify(&n, &[key]);
        let ok = match (&result, t["expected_cosig_valid"].as_bool().unwrap()) {
            (Ok(v), true) => v.verified()[0].timestamp == t["expected_timestamp"].as_u64(),
            (Err(_), false) => true,
            _ => false,
        };
        if ok {
            passed += 1
        } else {
            failures.push(format!("{}: {result:?}", t["id"]))
        }
    }
    report(set, passed, &failures);
}
