//! Generates `tests/vectors/tlog/`: a small witnessed log, tlog-proofs of its entries, and one
//! JSON file per case with the verdict and error code the verifier must give.
//!
//! Everything is deterministic (keys from fixed labels, fixed timestamps), so regenerating
//! gives identical bytes and `cargo xtask testdata --check` can verify the committed files.
//! The keys are test keys, derived from public labels: never trust them for anything else.

use std::collections::BTreeMap;
use std::path::Path;

use healthproof::merkle::{self, Hash};
use healthproof::note::{KeyType, Note};
use healthproof::proof::TlogProof;
use healthproof::signer::{add_signature, sign_note, NoteSigner};
use healthproof::{base64, Error};
use serde_json::json;
use sha2::{Digest, Sha256};

const ORIGIN: &str = "log.healthproof.example/test";
const TREE_SIZE: usize = 1000;
/// 2026-11-01T00:00:00Z: when the test witnesses cosigned.
const COSIGNED_AT: u64 = 1_793_491_200;

/// All generated files, by path relative to `tests/vectors/tlog`.
pub fn generate() -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let log = signer(ORIGIN, KeyType::Ed25519)?;
    let witnesses = [
        signer("witness-a.healthproof.example", KeyType::CosignatureV1)?,
        signer("witness-b.healthproof.example", KeyType::CosignatureV1)?,
        signer("witness-c.healthproof.example", KeyType::CosignatureV1)?,
    ];
    let policy = format!(
        "# Test policy: one log, three witnesses, two of which must cosign.\n\
         log {}\nwitness a {}\nwitness b {}\nwitness c {}\ngroup witnesses 2 a b c\nquorum witnesses\n",
        log.verifier(),
        witnesses[0].verifier(),
        witnesses[1].verifier(),
        witnesses[2].verifier()
    );
    let entries: Vec<Vec<u8>> = (0..TREE_SIZE).map(entry).collect();
    let hashes: Vec<Hash> = entries.iter().map(|e| merkle::leaf_hash(e)).collect();
    let root = merkle::root(&hashes);
    let body = format!("{ORIGIN}\n{TREE_SIZE}\n{}\n", base64::encode(&root));
    let signed = sign_note(&body, &[&log], 0)?;
    let cosign = |note: &Note, w: &NoteSigner| add_signature(note, w, COSIGNED_AT);
    let checkpoint = cosign(&cosign(&signed, &witnesses[0])?, &witnesses[1])?;

    let proof_for = |index: usize, checkpoint: &Note| -> Result<TlogProof, Error> {
        let path = merkle::prove_inclusion(index as u64, &hashes)?;
        Ok(TlogProof::new(None, index as u64, path, checkpoint.clone()))
    };

    let mut cases: Vec<Case> = Vec::new();
    let mut case =
        |name: &str, about: &str, entry: &[u8], proof: String, expected: Result<usize, &str>| {
            cases.push(Case {
                name: name.into(),
                about: about.into(),
                entry: entry.to_vec(),
                proof,
                expected: expected.map_err(str::to_owned),
            });
        };
    let valid = |i: usize| -> Result<String, Error> { Ok(proof_for(i, &checkpoint)?.to_string()) };

    for (i, about) in
        [(0, "the first entry"), (421, "an entry in the middle"), (TREE_SIZE - 1, "the last entry")]
    {
        case(
            &format!("valid-index-{i}"),
            &format!("Proof of {about}, cosigned by 2 of 3 witnesses."),
            &entries[i],
            valid(i)?,
            Ok(2),
        );
    }
    let all_three = cosign(&checkpoint, &witnesses[2])?;
    case(
        "valid-three-cosigners",
        "All three witnesses cosigned.",
        &entries[7],
        proof_for(7, &all_three)?.to_string(),
        Ok(3),
    );
    let with_extra = TlogProof::new(
        Some(b"application context".to_vec()),
        8,
        merkle::prove_inclusion(8, &hashes)?,
        checkpoint.clone(),
    );
    case(
        "valid-with-extra",
        "An unauthenticated extra line is carried but not trusted.",
        &entries[8],
        with_extra.to_string(),
        Ok(2),
    );

    case(
        "entry-mismatch",
        "The proof of entry 5 presented for entry 6.",
        &entries[6],
        valid(5)?,
        Err("proof-mismatch"),
    );
    let p = valid(5)?.replacen("index 5\n", "index 4\n", 1);
    case(
        "index-wrong",
        "The index is changed to a neighbour's.",
        &entries[5],
        p,
        Err("proof-mismatch"),
    );
    let p = valid(5)?.replacen("index 5\n", "index 1000\n", 1);
    case(
        "index-out-of-range",
        "The index equals the tree size.",
        &entries[5],
        p,
        Err("index-out-of-range"),
    );
    let p = valid(5)?.replacen("index 5\n", "index 05\n", 1);
    case(
        "index-leading-zero",
        "The index is written with a leading zero.",
        &entries[5],
        p,
        Err("proof-malformed"),
    );

    let mut flipped = proof_for(300, &checkpoint)?;
    let mut path = flipped.hashes().to_vec();
    path[3][17] ^= 0x04;
    flipped = TlogProof::new(None, 300, path.clone(), checkpoint.clone());
    case(
        "hash-bit-flipped",
        "One bit of one proof hash is flipped.",
        &entries[300],
        flipped.to_string(),
        Err("proof-mismatch"),
    );
    path = merkle::prove_inclusion(300, &hashes)?;
    let removed = TlogProof::new(None, 300, path[..path.len() - 1].to_vec(), checkpoint.clone());
    case(
        "hash-missing",
        "The last proof hash is removed.",
        &entries[300],
        removed.to_string(),
        Err("proof-length"),
    );
    let mut longer = path.clone();
    longer.push(root);
    let extra_hash = TlogProof::new(None, 300, longer, checkpoint.clone());
    case(
        "hash-extra",
        "A hash is appended to the proof.",
        &entries[300],
        extra_hash.to_string(),
        Err("proof-length"),
    );
    let p = valid(300)?;
    let first = base64::encode(&path[0]);
    let noncanonical = format!("{}{}", &first[..first.len() - 2], non_canonical_tail(&first));
    case(
        "hash-non-canonical-base64",
        "A proof hash is base64 with non-zero padding bits.",
        &entries[300],
        p.replacen(&first, &noncanonical, 1),
        Err("proof-malformed"),
    );
    let p = valid(300)?.replacen("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2", 1);
    case(
        "header-wrong",
        "The header names another version.",
        &entries[300],
        p,
        Err("proof-malformed"),
    );

    let tampered_root = valid(9)?.replacen(&base64::encode(&root), &base64::encode(&hashes[0]), 1);
    case(
        "root-tampered",
        "The checkpoint's root hash is replaced; the signatures no longer match.",
        &entries[9],
        tampered_root,
        Err("signature-invalid"),
    );
    let tampered_size =
        valid(9)?.replacen(&format!("\n{TREE_SIZE}\n"), &format!("\n{}\n", TREE_SIZE + 1), 1);
    case(
        "size-tampered",
        "The checkpoint's tree size is changed.",
        &entries[9],
        tampered_size,
        Err("signature-invalid"),
    );

    let other = signer("log.other.example/records", KeyType::Ed25519)?;
    let other_body = body.replacen(ORIGIN, "log.other.example/records", 1);
    let other_cp =
        cosign(&cosign(&sign_note(&other_body, &[&other], 0)?, &witnesses[0])?, &witnesses[1])?;
    case(
        "checkpoint-other-log",
        "A correctly witnessed checkpoint of a log the policy does not trust.",
        &entries[9],
        proof_for(9, &other_cp)?.to_string(),
        Err("log-unknown"),
    );
    let impostor = NoteSigner::new(ORIGIN, KeyType::Ed25519, &seed("impostor"))?;
    let impostor_cp = sign_note(&body, &[&impostor], 0)?;
    case(
        "checkpoint-unknown-key",
        "The checkpoint is signed under the log's name by another key.",
        &entries[9],
        proof_for(9, &impostor_cp)?.to_string(),
        Err("key-unknown"),
    );
    let witnesses_only = cosign(
        &cosign(&Note::new(&body, vec![impostor.sign(&body, 0)?])?, &witnesses[0])?,
        &witnesses[1],
    )?;
    case(
        "checkpoint-no-log-signature",
        "Witnesses cosigned, but the log's own signature is missing.",
        &entries[9],
        proof_for(9, &witnesses_only)?.to_string(),
        Err("log-signature-missing"),
    );

    let one = cosign(&signed, &witnesses[0])?;
    case(
        "below-quorum",
        "Only one of the three witnesses cosigned; two are required.",
        &entries[9],
        proof_for(9, &one)?.to_string(),
        Err("quorum-unsatisfied"),
    );
    let twice = add_signature(&one, &witnesses[0], COSIGNED_AT + 60)?;
    case(
        "same-cosigner-twice",
        "One witness cosigned twice; it counts once, so the quorum is not met.",
        &entries[9],
        proof_for(9, &twice)?.to_string(),
        Err("quorum-unsatisfied"),
    );
    let mut bad_sigs = checkpoint.signatures().to_vec();
    let bad = &bad_sigs[2];
    let mut bytes = bad.bytes().to_vec();
    bytes[20] ^= 0x01;
    bad_sigs[2] = healthproof::note::Signature::new(bad.name(), bad.key_id(), bytes)?;
    let bad_cp = Note::new(checkpoint.text(), bad_sigs.clone())?;
    case(
        "cosignature-invalid",
        "A trusted witness's cosignature does not verify.",
        &entries[9],
        proof_for(9, &bad_cp)?.to_string(),
        Err("signature-invalid"),
    );
    let mut ts_sigs = checkpoint.signatures().to_vec();
    let ts = &ts_sigs[1];
    let mut bytes = ts.bytes().to_vec();
    bytes[7] ^= 0x01;
    ts_sigs[1] = healthproof::note::Signature::new(ts.name(), ts.key_id(), bytes)?;
    case(
        "cosignature-timestamp-tampered",
        "A cosignature's timestamp is changed after signing.",
        &entries[9],
        proof_for(9, &Note::new(checkpoint.text(), ts_sigs)?)?.to_string(),
        Err("signature-invalid"),
    );
    let unsigned = format!("{}\n", valid(9)?.split("\n\n").next().unwrap_or_default());
    case(
        "checkpoint-unsigned",
        "The proof ends before any checkpoint.",
        &entries[9],
        unsigned,
        Err("proof-malformed"),
    );

    let mut files = BTreeMap::new();
    files.insert("policy.txt".to_owned(), policy.clone().into_bytes());
    files.insert("demo/entry.txt".to_owned(), entries[421].clone());
    files.insert("demo/entry.tlog-proof".to_owned(), valid(421)?.into_bytes());
    files.insert("demo/tampered.txt".to_owned(), entries[422].clone());
    for c in cases {
        let expected = match &c.expected {
            Ok(n) => json!({ "valid": true, "cosigners": n }),
            Err(code) => json!({ "valid": false, "code": code }),
        };
        let file = json!({
            "description": c.about,
            "policy": policy,
            "entry_base64": base64::encode(&c.entry),
            "proof": c.proof,
            "expected": expected,
        });
        let text = serde_json::to_string_pretty(&file).unwrap_or_default() + "\n";
        files.insert(format!("cases/{}.json", c.name), text.into_bytes());
    }
    Ok(files)
}

struct Case {
    name: String,
    about: String,
    entry: Vec<u8>,
    proof: String,
    expected: Result<usize, String>,
}

/// The test entry at `index`: a short line, so that leaves differ and proofs are realistic.
fn entry(index: usize) -> Vec<u8> {
    format!("healthproof test entry {index}\n").into_bytes()
}

pub(crate) fn seed(label: &str) -> [u8; 32] {
    Sha256::digest(format!("healthproof test key: {label}")).into()
}

pub(crate) fn signer(name: &str, key_type: KeyType) -> Result<NoteSigner, Error> {
    NoteSigner::new(name, key_type, &seed(name))
}

/// The last two characters of a one-padding base64 string with a non-zero unused bit.
fn non_canonical_tail(b64: &str) -> String {
    // A 32-byte hash encodes to 43 characters and one '='; the 43rd carries 2 unused bits.
    let last = b64.chars().nth(b64.len() - 2).unwrap_or('A');
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let index = ALPHABET.find(last).unwrap_or(0);
    let bumped = ALPHABET.chars().nth(index | 1).unwrap_or('B');
    format!("{bumped}=")
}

/// Writes the files, or with `check` compares them with what is on disk.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let files = generate().map_err(|e| format!("generating test data: {e}"))?;
    write_or_check(&root.join("tests/vectors/tlog"), &files, check)
}

/// Replaces `dir` with `files`, or with `check` reports any file that differs.
pub(crate) fn write_or_check(
    dir: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    check: bool,
) -> Result<(), String> {
    let shown = dir.display();
    if check {
        let mut stale = Vec::new();
        for (name, bytes) in files {
            if std::fs::read(dir.join(name)).ok().as_ref() != Some(bytes) {
                stale.push(name.clone());
            }
        }
        if !stale.is_empty() {
            return Err(format!(
                "{shown} is stale ({}); run `cargo xtask testdata`",
                stale.join(", ")
            ));
        }
        println!("{shown}: {} files match the generator", files.len());
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(dir);
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!("wrote {} files to {shown}", files.len());
    Ok(())
}
