//! Property tests: a proof taken from a random tree verifies, and any single-bit change to the
//! entry, the proof, the index, the tree size or the root makes verification fail.
//! Deterministic (SplitMix64 with fixed seeds), so a failure is reproducible.
//!
//! Where the tree size is bound: an RFC 9162 inclusion proof fixes the size only through its
//! shape, so a proof for (index 5, size 96, root R) also computes R for size 97 — the two trees
//! have different roots, and the size is authenticated by the log's signature on the
//! checkpoint, not by the proof. Size changes are therefore tested where the size lives: in
//! the signed checkpoint of a tlog-proof, every bit of which is flipped below. At the Merkle
//! level, a changed size must never verify against the root of the tree of that size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::Rng;
use healthproof::merkle::{self, Hash};

fn random_tree(rng: &mut Rng) -> (Vec<Vec<u8>>, Vec<Hash>) {
    let size = 1 + rng.below(300) as usize;
    // Entries are distinct, as a log's are: in a tree with two equal leaves, a proof is
    // also valid at the mirrored position, which is correct and not what is tested here.
    let entries: Vec<Vec<u8>> = (0..size)
        .map(|i| {
            let len = rng.below(40) as usize;
            let mut e = (i as u32).to_be_bytes().to_vec();
            e.extend(rng.bytes(len));
            e
        })
        .collect();
    let hashes = entries.iter().map(|e| merkle::leaf_hash(e)).collect();
    (entries, hashes)
}

fn flip(bytes: &mut [u8], bit: usize) {
    bytes[bit / 8] ^= 1 << (bit % 8);
}

#[test]
fn inclusion_proofs_verify_and_every_single_bit_change_fails() {
    let mut rng = Rng(0x4865_616c_7468);
    let mut checked = 0usize;
    for _ in 0..60 {
        let (entries, hashes) = random_tree(&mut rng);
        let size = hashes.len() as u64;
        let root = merkle::root(&hashes);
        let index = rng.below(size);
        let proof = merkle::prove_inclusion(index, &hashes).unwrap();
        let entry = &entries[index as usize];
        let verify = |entry: &[u8], proof: &[Hash], index: u64, size: u64, root: &[u8]| {
            merkle::verify_inclusion(&merkle::leaf_hash(entry), index, size, proof, root)
        };
        verify(entry, &proof, index, size, &root).unwrap();

        for bit in 0..entry.len() * 8 {
            let mut e = entry.clone();
            flip(&mut e, bit);
            assert!(verify(&e, &proof, index, size, &root).is_err(), "entry bit {bit}");
            checked += 1;
        }
        for (i, bit) in (0..proof.len()).flat_map(|i| (0..256).map(move |b| (i, b))) {
            let mut p = proof.clone();
            flip(&mut p[i], bit);
            assert!(verify(entry, &p, index, size, &root).is_err(), "proof hash {i} bit {bit}");
            checked += 1;
        }
        for bit in 0..64 {
            let changed = index ^ (1 << bit);
            assert!(verify(entry, &proof, changed, size, &root).is_err(), "index bit {bit}");
            checked += 1;
            let changed = size ^ (1 << bit);
            if changed > index && changed <= size {
                let other_root = merkle::root(&hashes[..changed as usize]);
                assert!(
                    verify(entry, &proof, index, changed, &other_root).is_err(),
                    "size bit {bit}"
                );
                checked += 1;
            }
        }
        for bit in 0..256 {
            let mut r = root;
            flip(&mut r, bit);
            assert!(verify(entry, &proof, index, size, &r).is_err(), "root bit {bit}");
            checked += 1;
        }
    }
    println!("properties: {checked} single-bit mutations of inclusion proofs all rejected");
}

#[test]
fn consistency_proofs_verify_and_every_single_bit_change_fails() {
    let mut rng = Rng(0x436f_6e73);
    for _ in 0..60 {
        let (_, hashes) = random_tree(&mut rng);
        let size2 = hashes.len() as u64;
        let size1 = 1 + rng.below(size2);
        let root1 = merkle::root(&hashes[..size1 as usize]);
        let root2 = merkle::root(&hashes);
        let proof = merkle::prove_consistency(size1, &hashes).unwrap();
        merkle::verify_consistency(size1, size2, &proof, &root1, &root2).unwrap();
        for (i, bit) in (0..proof.len()).flat_map(|i| (0..256).map(move |b| (i, b))) {
            let mut p = proof.clone();
            flip(&mut p[i], bit);
            assert!(merkle::verify_consistency(size1, size2, &p, &root1, &root2).is_err());
        }
        for bit in 0..256 {
            let (mut r1, mut r2) = (root1, root2);
            flip(&mut r1, bit);
            flip(&mut r2, bit);
            assert!(merkle::verify_consistency(size1, size2, &proof, &r1, &root2).is_err());
            assert!(merkle::verify_consistency(size1, size2, &proof, &root1, &r2).is_err());
        }
        for bit in 0..64 {
            // A changed size names another tree, with its own root (see the module comment).
            let s1 = size1 ^ (1 << bit);
            if s1 >= 1 && s1 <= size2 && s1 != size1 {
                let r1 = merkle::root(&hashes[..s1 as usize]);
                assert!(
                    merkle::verify_consistency(s1, size2, &proof, &r1, &root2).is_err(),
                    "size1 bit {bit}"
                );
            }
            let s2 = size2 ^ (1 << bit);
            if s2 >= size1 && s2 < size2 {
                let r2 = merkle::root(&hashes[..s2 as usize]);
                assert!(
                    merkle::verify_consistency(size1, s2, &proof, &root1, &r2).is_err(),
                    "size2 bit {bit}"
                );
            }
        }
    }
}

/// Every single-bit change anywhere in a serialised, witnessed tlog-proof is rejected.
#[cfg(feature = "signer")]
#[test]
fn tlog_proof_every_bit_of_the_file_matters() {
    use healthproof::note::KeyType;
    use healthproof::policy::{Policy, TrustedLog};
    use healthproof::proof::{verify_entry, TlogProof};
    use healthproof::signer::{add_signature, sign_note, NoteSigner};

    let mut rng = Rng(0x546c_6f67);
    let log = NoteSigner::new("log.example/p", KeyType::Ed25519, &[1; 32]).unwrap();
    let w1 = NoteSigner::new("w1.example", KeyType::CosignatureV1, &[2; 32]).unwrap();
    let w2 = NoteSigner::new("w2.example", KeyType::CosignatureV1, &[3; 32]).unwrap();
    let policy = Policy::new(
        vec![TrustedLog { origin: "log.example/p".into(), key: log.verifier().clone() }],
        vec![w1.verifier().clone(), w2.verifier().clone()],
        2,
    )
    .unwrap();
    let (entries, hashes) = random_tree(&mut rng);
    let root = merkle::root(&hashes);
    let text = format!("log.example/p\n{}\n{}\n", hashes.len(), healthproof::base64::encode(&root));
    let note = add_signature(
        &add_signature(&sign_note(&text, &[&log], 0).unwrap(), &w1, 1000).unwrap(),
        &w2,
        1001,
    )
    .unwrap();
    let index = rng.below(hashes.len() as u64);
    let proof = TlogProof::new(None, index, merkle::prove_inclusion(index, &hashes).unwrap(), note);
    let bytes = proof.to_bytes();
    let entry = &entries[index as usize];
    verify_entry(&TlogProof::parse(&bytes).unwrap(), entry, &policy).unwrap();
    let mut rejected = 0;
    for bit in 0..bytes.len() * 8 {
        let mut b = bytes.clone();
        flip(&mut b, bit);
        let ok = TlogProof::parse(&b).and_then(|p| verify_entry(&p, entry, &policy)).is_ok();
        assert!(!ok, "bit {bit} of the tlog-proof file");
        rejected += 1;
    }
    println!("properties: all {rejected} single-bit changes of a tlog-proof file rejected");
}
