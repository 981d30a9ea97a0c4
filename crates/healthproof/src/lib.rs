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

pub mod base64;
pub mod checkpoint;
pub mod cosignature;
pub mod ed25519;
mod error;
pub mod ips;
pub mod json;
pub mod jws;
pub mod merkle;
pub mod note;
pub mod policy;
pub mod presentation;
pub mod proof;
pub mod record;
pub mod sd_jwt;
#[cfg(feature = "signer")]
pub mod signer;
pub mod status;
pub mod tiles;
pub mod time;
pub mod trust;

pub use error::Error;
