// merkle: proof verification never panics; honest proofs of a small tree built from the input verify.
#![no_main]

use healthproof::merkle::{self, Hash};
use libfuzzer_sys::fuzz_target;

/// Input: leaf_index (u64 BE), tree_size (u64 BE), n (u8), n proof hashes of 32 bytes, then
/// the leaf hash / first root (up to 32 bytes) and the root / second root (the rest, any length).
fn split(data: &[u8]) -> Option<(u64, u64, Vec<Hash>, &[u8], &[u8])> {
    let (index, rest) = data.split_first_chunk::<8>()?;
    let (size, rest) = rest.split_first_chunk::<8>()?;
    let (&n, rest) = rest.split_first()?;
    let (proof, rest) = rest.split_at_checked(usize::from(n) * 32)?;
    let proof = proof.chunks_exact(32).map(|c| c.try_into().expect("32 bytes")).collect();
    let (first, second) = rest.split_at(rest.len().min(32));
    Some((u64::from_be_bytes(*index), u64::from_be_bytes(*size), proof, first, second))
}

fuzz_target!(|data: &[u8]| {
    let Some((index, size, proof, first, second)) = split(data) else { return };
    let _ = merkle::verify_inclusion(first, index, size, &proof, second);
    let _ = merkle::verify_consistency(index, size, &proof, first, second);

    // A tree of up to 64 leaves, one per input byte: every honest proof must verify.
    let leaves: Vec<Hash> = data.iter().take(64).map(|b| merkle::leaf_hash(&[*b])).collect();
    let n = leaves.len() as u64;
    let root = merkle::root(&leaves);
    let i = index % n;
    let path = merkle::prove_inclusion(i, &leaves).expect("index in range");
    let leaf = leaves[i as usize];
    merkle::verify_inclusion(&leaf, i, n, &path, &root).expect("honest inclusion proof rejected");
    let m = size % n + 1;
    let old_root = merkle::root(&leaves[..m as usize]);
    let consistency = merkle::prove_consistency(m, &leaves).expect("size in range");
    merkle::verify_consistency(m, n, &consistency, &old_root, &root)
        .expect("honest consistency proof rejected");
});
