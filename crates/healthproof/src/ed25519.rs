//! Ed25519 signature verification (RFC 8032 §5.1.7), strict.
//!
//! Every signature in HealthProof (log checkpoints, witness cosignatures, records and trust
//! lists) goes through [`PublicKey::verify`], which is ed25519-dalek's `verify_strict`:
//!
//! - `S` must be below the group order `L` (no malleability, RFC 8032 §5.1.7 step 1);
//! - `A` and `R` must be canonical encodings (RFC 8032 §5.1.3, FIPS 186-5);
//! - `A` and `R` must not be of small order, so no key verifies every message and no
//!   signature verifies under every key;
//! - the cofactorless equation `[S]B = R + [k]A` is checked.
//!
//! A signed object therefore has exactly one valid signature encoding per message and key,
//! and a verifier built on another library that follows RFC 8032 strictly agrees with ours.
//! The test `vectors_ed25519` pins the decision on every RFC 8032, Wycheproof, speccheck
//! and CCTV case.
//!
//! ## Deferred equations
//!
//! Inside [`deferred`], [`PublicKey::verify`] runs every check above except the equation,
//! which it records as a [`Deferred`] and takes as holding. The caller then checks the
//! recorded equations with another implementation (the npm package uses WebCrypto, which
//! computes the same cofactorless equation and compares `R` byte for byte) and keeps the
//! result only if every one holds; otherwise it verifies again without deferring, so a
//! failure is always reported by this module, at the step where it happens.

use std::cell::RefCell;

use curve25519_dalek::{edwards::CompressedEdwardsY, scalar::Scalar};
use ed25519_dalek::{Signature, VerifyingKey};

use crate::Error;

/// The length of an Ed25519 public key.
pub const PUBLIC_KEY_LENGTH: usize = 32;
/// The length of an Ed25519 signature.
pub const SIGNATURE_LENGTH: usize = 64;

/// An Ed25519 public key, decoded once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Decodes a 32-byte public key.
    ///
    /// # Errors
    /// [`Error::KeyMalformed`] for a wrong length or bytes that encode no curve point.
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey, Error> {
        let bytes: &[u8; PUBLIC_KEY_LENGTH] = bytes
            .try_into()
            .map_err(|_| Error::KeyMalformed { reason: "an Ed25519 public key is 32 bytes" })?;
        VerifyingKey::from_bytes(bytes)
            .map(PublicKey)
            .map_err(|_| Error::KeyMalformed { reason: "not an Ed25519 public key" })
    }

    /// The 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; PUBLIC_KEY_LENGTH] {
        self.0.to_bytes()
    }

    /// Whether `signature` is a strictly valid signature of `message` by this key.
    ///
    /// Inside [`deferred`], whether it passes every check but the curve equation, which is
    /// recorded.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = <&[u8; SIGNATURE_LENGTH]>::try_from(signature) else {
            return false;
        };
        let recorded = DEFERRED.with(|cell| match cell.borrow_mut().as_mut() {
            Some(list) => {
                let ok = self.encodings_are_strict(signature);
                if ok {
                    list.push(Deferred {
                        key: self.to_bytes(),
                        message: message.to_vec(),
                        signature: *signature,
                    });
                }
                Some(ok)
            }
            None => None,
        });
        recorded.unwrap_or_else(|| {
            self.0.verify_strict(message, &Signature::from_bytes(signature)).is_ok()
        })
    }

    /// `verify_strict`'s checks before its equation, in its order: `S` below `L`, `R` a
    /// point, neither `R` nor `A` of small order.
    fn encodings_are_strict(&self, signature: &[u8; SIGNATURE_LENGTH]) -> bool {
        let (r, s) = signature.split_at(32);
        let (Ok(r), Ok(s)) = (<[u8; 32]>::try_from(r), <[u8; 32]>::try_from(s)) else {
            return false;
        };
        if Scalar::from_canonical_bytes(s).is_none().into() {
            return false;
        }
        CompressedEdwardsY(r)
            .decompress()
            .is_some_and(|point| !point.is_small_order() && !self.0.is_weak())
    }
}

/// One signature equation left to the caller by [`deferred`]: whether `signature` is a
/// valid Ed25519 signature of `message` by `key`, as RFC 8032 §5.1.7 step 3 computes it
/// (cofactorless, `R` compared as bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    /// The signer's public key, as encoded.
    pub key: [u8; PUBLIC_KEY_LENGTH],
    /// The signed message.
    pub message: Vec<u8>,
    /// The signature, `R || S`.
    pub signature: [u8; SIGNATURE_LENGTH],
}

thread_local! {
    static DEFERRED: RefCell<Option<Vec<Deferred>>> = const { RefCell::new(None) };
}

/// Runs `run` with every Ed25519 curve equation deferred: each signature that passes the
/// strict encoding checks counts as valid and is returned, in the order it was met.
///
/// The result of `run` stands only if every returned [`Deferred`] holds; if one does not,
/// call `run` again outside `deferred` for the authoritative answer. Nothing else changes
/// inside: keys, encodings and every other check run as usual.
pub fn deferred<T>(run: impl FnOnce() -> T) -> (T, Vec<Deferred>) {
    /// Puts back the enclosing scope's list (if any) however `run` ends.
    struct Scope(Option<Vec<Deferred>>);
    impl Drop for Scope {
        fn drop(&mut self) {
            let outer = self.0.take();
            DEFERRED.with(|cell| *cell.borrow_mut() = outer);
        }
    }
    let scope = Scope(DEFERRED.with(|cell| cell.borrow_mut().replace(Vec::new())));
    let value = run();
    let list = DEFERRED.with(|cell| cell.borrow_mut().take()).unwrap_or_default();
    drop(scope);
    (value, list)
}

/// Whether [`deferred`] is running, so [`PublicKey::verify`] records equations.
pub fn is_deferring() -> bool {
    DEFERRED.with(|cell| cell.borrow().is_some())
}

/// Records `equations` again in the open [`deferred`] scope (none open: nothing happens):
/// for a result that an earlier deferred run produced and that is reused, so the caller
/// checks the equations it rests on this time too.
pub fn defer_again(equations: &[Deferred]) {
    DEFERRED.with(|cell| {
        if let Some(list) = cell.borrow_mut().as_mut() {
            list.extend_from_slice(equations);
        }
    });
}
