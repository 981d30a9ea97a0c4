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
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = <&[u8; SIGNATURE_LENGTH]>::try_from(signature) else {
            return false;
        };
        self.0.verify_strict(message, &Signature::from_bytes(signature)).is_ok()
    }
}
