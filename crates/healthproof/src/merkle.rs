//! Merkle trees of RFC 9162 (Certificate Transparency 2.0) §2.1, with SHA-256.
//!
//! - leaf and node hashes: §2.1.1 (`0x00 || leaf`, `0x01 || left || right`);
//! - inclusion proofs: generated as in §2.1.3.1, verified as in §2.1.3.2;
//! - consistency proofs: generated as in §2.1.4.1, verified as in §2.1.4.2.
//!
//! Verification first checks that the proof has exactly as many hashes as the leaf index and
//! tree size imply, so a proof with a missing, extra or reordered element is reported as
//! [`Error::ProofLength`] before any hashing. Root hashes are compared in constant time.
//!
//! ```
//! use healthproof::merkle;
//! let leaves: Vec<&[u8]> = vec![b"a", b"b", b"c"];
//! let hashes: Vec<_> = leaves.iter().map(|l| merkle::leaf_hash(l)).collect();
//! let root = merkle::root(&hashes);
//! let proof = merkle::prove_inclusion(2, &hashes).unwrap();
//! merkle::verify_inclusion(&hashes[2], 2, 3, &proof, &root).unwrap();
//! ```

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::Error;

/// A SHA-256 hash: a leaf hash, an interior node or a root.
pub type Hash = [u8; 32];

/// The longest proof any tree of at most 2^64 − 1 leaves can need.
pub const MAX_PROOF_HASHES: usize = 64;

/// The RFC 9162 §2.1.1 hash of a leaf: `SHA-256(0x00 || leaf)`.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(leaf);
    h.finalize().into()
}

/// The RFC 9162 §2.1.1 hash of an interior node: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the tree of the given leaf hashes (RFC 9162 §2.1.1 `MTH`).
///
/// The empty tree's root is `SHA-256("")`.
pub fn root(leaf_hashes: &[Hash]) -> Hash {
    match leaf_hashes {
        [] => Sha256::digest([]).into(),
        [one] => *one,
        _ => {
            let (left, right) = leaf_hashes.split_at(split_point(leaf_hashes.len()));
            node_hash(&root(left), &root(right))
        }
    }
}

/// The inclusion proof (RFC 9162 §2.1.3.1 `PATH`) of leaf `leaf_index` in the tree of
/// `leaf_hashes`, from the leaf's sibling up to the root's child.
///
/// # Errors
/// [`Error::IndexOutOfRange`] when `leaf_index` is not below the number of leaves.
pub fn prove_inclusion(leaf_index: u64, leaf_hashes: &[Hash]) -> Result<Vec<Hash>, Error> {
    prove_inclusion_with(leaf_index, leaf_hashes.len() as u64, &mut slice_oracle(leaf_hashes))
}

/// The consistency proof (RFC 9162 §2.1.4.1 `PROOF`) from the tree of the first `size1`
/// leaves to the tree of all `leaf_hashes`.
///
/// # Errors
/// [`Error::SizeOutOfRange`] unless `0 < size1 <= leaf_hashes.len()`.
pub fn prove_consistency(size1: u64, leaf_hashes: &[Hash]) -> Result<Vec<Hash>, Error> {
    prove_consistency_with(size1, leaf_hashes.len() as u64, &mut slice_oracle(leaf_hashes))
}

/// Answers `MTH(D[start..end])` for a tree held in memory.
fn slice_oracle(leaf_hashes: &[Hash]) -> impl FnMut(u64, u64) -> Result<Hash, Error> + '_ {
    |start, end| {
        leaf_hashes
            .get(start as usize..end as usize)
            .map(root)
            .ok_or(Error::IndexOutOfRange { leaf_index: end, tree_size: leaf_hashes.len() as u64 })
    }
}

/// [`prove_inclusion`] for a tree of `tree_size` leaves that is not in memory:
/// `range_hash(start, end)` must return `MTH(D[start..end])`, as a tile reader can
/// ([`crate::tiles`]). Only ranges that are subtrees of the RFC 9162 structure are asked for.
///
/// # Errors
/// [`Error::IndexOutOfRange`], and whatever `range_hash` returns.
pub fn prove_inclusion_with(
    leaf_index: u64,
    tree_size: u64,
    range_hash: &mut dyn FnMut(u64, u64) -> Result<Hash, Error>,
) -> Result<Vec<Hash>, Error> {
    if leaf_index >= tree_size {
        return Err(Error::IndexOutOfRange { leaf_index, tree_size });
    }
    // PATH(m, D[start..end]), iteratively from the root down; hashes collected root-first.
    let mut proof = Vec::new();
    let (mut start, mut end) = (0, tree_size);
    while end - start > 1 {
        let k = split_point64(end - start);
        if leaf_index < start + k {
            proof.push(range_hash(start + k, end)?);
            end = start + k;
        } else {
            proof.push(range_hash(start, start + k)?);
            start += k;
        }
    }
    proof.reverse();
    Ok(proof)
}

/// [`prove_consistency`] for a tree that is not in memory (see [`prove_inclusion_with`]).
///
/// # Errors
/// [`Error::SizeOutOfRange`], and whatever `range_hash` returns.
pub fn prove_consistency_with(
    size1: u64,
    size2: u64,
    range_hash: &mut dyn FnMut(u64, u64) -> Result<Hash, Error>,
) -> Result<Vec<Hash>, Error> {
    if size1 == 0 || size1 > size2 {
        return Err(Error::SizeOutOfRange { size1, size2 });
    }
    // SUBPROOF(m, D[start..end], b), iteratively; hashes collected root-first.
    let mut proof = Vec::new();
    let (mut start, mut end, mut complete) = (0, size2, true);
    let m = size1;
    loop {
        let n = end - start;
        let m_here = m - start;
        if m_here == n {
            if !complete {
                proof.push(range_hash(start, end)?);
            }
            break;
        }
        let k = split_point64(n);
        if m_here <= k {
            proof.push(range_hash(start + k, end)?);
            end = start + k;
        } else {
            proof.push(range_hash(start, start + k)?);
            start += k;
            complete = false;
        }
    }
    proof.reverse();
    Ok(proof)
}

/// The largest power of two smaller than `n` (for `n >= 2`).
fn split_point64(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// The largest power of two smaller than `n` (for `n >= 2`): where RFC 9162 splits a tree.
fn split_point(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// How many hashes an inclusion proof for `leaf_index` in a tree of `tree_size` has:
/// the levels where the paths to the leaf and to the last leaf differ (`inner`), plus the
/// right-border levels above them where the leaf's subtree is a left child (`border`).
fn inclusion_shape(leaf_index: u64, tree_size: u64) -> (usize, usize) {
    let inner = (64 - (leaf_index ^ (tree_size - 1)).leading_zeros()) as usize;
    let border = leaf_index.checked_shr(inner as u32).unwrap_or(0).count_ones() as usize;
    (inner, border)
}

/// Verifies an inclusion proof (RFC 9162 §2.1.3.2).
///
/// `leaf_hash` and `root_hash` are slices so that a hash of the wrong length, as found in
/// untrusted input, is an error rather than a conversion the caller has to get right.
///
/// # Errors
/// [`Error::IndexOutOfRange`], [`Error::HashLength`], [`Error::ProofLength`] for a proof of
/// the wrong shape, and [`Error::ProofMismatch`] when it leads to another root.
pub fn verify_inclusion(
    leaf_hash: &[u8],
    leaf_index: u64,
    tree_size: u64,
    proof: &[Hash],
    root_hash: &[u8],
) -> Result<(), Error> {
    let computed = root_from_inclusion(leaf_hash, leaf_index, tree_size, proof)?;
    if root_hash.len() != computed.len() {
        return Err(Error::HashLength { found: root_hash.len() });
    }
    if bool::from(computed.ct_eq(root_hash)) {
        Ok(())
    } else {
        Err(Error::ProofMismatch)
    }
}

/// The root hash that an inclusion proof leads to (RFC 9162 §2.1.3.2, steps 1–5).
///
/// # Errors
/// As [`verify_inclusion`], except [`Error::ProofMismatch`].
pub fn root_from_inclusion(
    leaf_hash: &[u8],
    leaf_index: u64,
    tree_size: u64,
    proof: &[Hash],
) -> Result<Hash, Error> {
    if leaf_index >= tree_size {
        return Err(Error::IndexOutOfRange { leaf_index, tree_size });
    }
    let leaf: Hash =
        leaf_hash.try_into().map_err(|_| Error::HashLength { found: leaf_hash.len() })?;
    let (inner, border) = inclusion_shape(leaf_index, tree_size);
    if proof.len() != inner + border {
        return Err(Error::ProofLength { expected: inner + border, found: proof.len() });
    }
    let mut f_n = leaf_index;
    let mut s_n = tree_size - 1;
    let mut r = leaf;
    for p in proof {
        // Invariant: the length check above guarantees s_n > 0 here; kept as a guard.
        if s_n == 0 {
            return Err(Error::ProofLength { expected: inner + border, found: proof.len() });
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n != 0 {
        return Err(Error::ProofLength { expected: inner + border, found: proof.len() });
    }
    Ok(r)
}

/// Verifies a consistency proof from tree size `size1` with root `root1` to tree size
/// `size2` with root `root2` (RFC 9162 §2.1.4.2).
///
/// Equal sizes need an empty proof and equal roots. A proof from the empty tree is refused,
/// as transparency-dev/merkle does: it proves nothing and is never needed.
///
/// # Errors
/// [`Error::SizeOutOfRange`], [`Error::HashLength`], [`Error::ProofLength`] and
/// [`Error::ProofMismatch`].
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    proof: &[Hash],
    root1: &[u8],
    root2: &[u8],
) -> Result<(), Error> {
    if size1 > size2 || (size1 == 0 && size2 != 0) {
        return Err(Error::SizeOutOfRange { size1, size2 });
    }
    if size1 == size2 {
        if size1 == 0 {
            return Err(Error::SizeOutOfRange { size1, size2 });
        }
        if !proof.is_empty() {
            return Err(Error::ProofLength { expected: 0, found: proof.len() });
        }
        return if root1.len() == root2.len() && bool::from(root1.ct_eq(root2)) {
            Ok(())
        } else {
            Err(Error::ProofMismatch)
        };
    }
    let root1: Hash = root1.try_into().map_err(|_| Error::HashLength { found: root1.len() })?;
    let root2: Hash = root2.try_into().map_err(|_| Error::HashLength { found: root2.len() })?;

    // The old tree is a complete subtree of the new one when size1 is a power of two; its
    // root is then the proof's implicit first element (step 1).
    let (inner, border) = inclusion_shape(size1 - 1, size2);
    let shift = size1.trailing_zeros() as usize;
    let power_of_two = size1.is_power_of_two();
    // Invariant: size1 < size2 here, so the paths differ above the shared low bits.
    let expected = inner.saturating_sub(shift) + border + usize::from(!power_of_two);
    if proof.len() != expected {
        return Err(Error::ProofLength { expected, found: proof.len() });
    }
    let (seed, rest) = if power_of_two {
        (root1, proof)
    } else {
        match proof.split_first() {
            Some((first, rest)) => (*first, rest),
            None => return Err(Error::ProofLength { expected, found: 0 }),
        }
    };

    let mut f_n = size1 - 1;
    let mut s_n = size2 - 1;
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let mut f_r = seed;
    let mut s_r = seed;
    for c in rest {
        if s_n == 0 {
            return Err(Error::ProofLength { expected, found: proof.len() });
        }
        if f_n & 1 == 1 || f_n == s_n {
            f_r = node_hash(c, &f_r);
            s_r = node_hash(c, &s_r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            s_r = node_hash(&s_r, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n != 0 {
        return Err(Error::ProofLength { expected, found: proof.len() });
    }
    let first_ok = f_r.ct_eq(&root1);
    let second_ok = s_r.ct_eq(&root2);
    if bool::from(first_ok & second_ok) {
        Ok(())
    } else {
        Err(Error::ProofMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(n: usize) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(&(i as u64).to_be_bytes())).collect()
    }

    #[test]
    fn every_proof_of_small_trees_verifies_with_the_expected_length() {
        for n in 1..=40usize {
            let leaves = tree(n);
            let r = root(&leaves);
            for i in 0..n {
                let proof = prove_inclusion(i as u64, &leaves).unwrap();
                verify_inclusion(&leaves[i], i as u64, n as u64, &proof, &r).unwrap();
            }
            for m in 1..=n {
                let proof = prove_consistency(m as u64, &leaves).unwrap();
                let r1 = root(&leaves[..m]);
                verify_consistency(m as u64, n as u64, &proof, &r1, &r).unwrap();
            }
        }
    }

    #[test]
    fn empty_tree_root_is_sha256_of_nothing() {
        let hex: String = root(&[]).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn largest_index_does_not_overflow() {
        let err = verify_inclusion(&[0; 32], u64::MAX, u64::MAX, &[], &[0; 32]).unwrap_err();
        assert_eq!(err.code(), "index-out-of-range");
        let err = verify_inclusion(&[0; 32], u64::MAX - 1, u64::MAX, &[[0; 32]; 64], &[0; 32]);
        assert_eq!(err.unwrap_err().code(), "proof-length");
    }
}
