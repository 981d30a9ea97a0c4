//! HealthProof's verification core: pure, strict checks of transparency-log proofs.
//!
//! One module per specification, each named after it:
//!
//! | module | specification |
//! |---|---|
//! | [`ed25519`] | RFC 8032 §5.1.7: strict Ed25519 verification |
//! | [`merkle`] | RFC 9162 §2.1: Merkle tree hashes, inclusion and consistency proofs |
//! | [`note`] | c2sp.org/signed-note: signed notes and verifier keys |
//! | [`checkpoint`] | c2sp.org/tlog-checkpoint: a log's signed tree head |
//! | [`cosignature`] | c2sp.org/tlog-cosignature v1: witness cosignatures |
//! | [`policy`] | c2sp.org/tlog-policy: trusted logs, witnesses and quorum |
//! | [`proof`] | c2sp.org/tlog-proof@v1: offline proof that an entry is logged |
//! | [`tiles`] | c2sp.org/tlog-tiles: proofs computed from a log's static tiles |
//!
//! With the `interop` feature (EU DCC and SMART Health Cards):
//!
//! | module | specification |
//! |---|---|
//! | `base45` | RFC 9285: Base45 |
//! | `cbor` | RFC 8949: strict, bounded CBOR |
//! | `cose` | RFC 9052 §4.2: COSE_Sign1, ES256 and PS256 |
//! | `x509` | RFC 5280 §4.1: signer certificates (key, validity, extended key usage) |
//! | `pkey` | FIPS 186-5 ECDSA P-256 and RFC 8017 RSASSA-PSS verification |
//! | `hcert` | eHN HCERT v1.0.5: the EU Digital COVID Certificate |
//! | `jwk` | RFC 7517 JSON Web Keys, RFC 7638 thumbprints |
//! | `shc` | SMART Health Cards Framework: numeric QR, JWS, revocation |
//!
//! [`document::verify`] is the one entry point for every kind of document the build reads.
//!
//! The crate does no I/O and reads no clock and no randomness: everything it needs is an
//! argument. It builds for `wasm32-unknown-unknown` without any JavaScript dependency.
//! Untrusted bytes are parsed into types that can only hold well-formed data, and the only
//! way to obtain a `Verified…` value is a `verify…` function. Every failure is an [`Error`]
//! with a stable [`Error::code`].
//!
//! ```
//! use healthproof::{merkle, note::{KeyType, VerifierKey}, policy::{Policy, TrustedLog}};
//! // A policy trusting one log and requiring no witness.
//! let key = VerifierKey::parse("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8")?;
//! assert_eq!(key.key_type(), KeyType::Ed25519);
//! let policy = Policy::new(vec![TrustedLog { origin: "go.sum database tree".into(), key }], vec![], 0)?;
//! // A checkpoint that is not signed by it is refused with a stable code.
//! let err = policy.verify_checkpoint(b"go.sum database tree\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n").unwrap_err();
//! assert_eq!(err.code(), "note-malformed");
//! # let _ = merkle::leaf_hash(b"");
//! # Ok::<(), healthproof::Error>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

#[cfg(feature = "interop")]
pub mod base45;
pub mod base64;
#[cfg(feature = "interop")]
pub mod cbor;
pub mod checkpoint;
#[cfg(feature = "interop")]
pub mod cose;
pub mod cosignature;
pub mod document;
pub mod ed25519;
mod error;
#[cfg(feature = "interop")]
pub mod hcert;
pub mod ips;
pub mod json;
#[cfg(feature = "interop")]
pub mod jwk;
pub mod jws;
pub mod merkle;
pub mod note;
#[cfg(feature = "interop")]
pub mod pkey;
pub mod policy;
pub mod presentation;
pub mod proof;
pub mod record;
pub mod sd_jwt;
#[cfg(feature = "interop")]
pub mod shc;
#[cfg(feature = "signer")]
pub mod signer;
pub mod status;
pub mod tiles;
pub mod time;
pub mod trust;
#[cfg(feature = "interop")]
pub mod x509;

pub use error::Error;
