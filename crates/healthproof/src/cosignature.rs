//! Witness cosignatures, as specified by c2sp.org/tlog-cosignature (v1, Ed25519).
//!
//! - §Format: a cosignature is a signed-note signature line by a key of type `0x04`, whose
//!   key ID is `SHA-256(name || "\n" || 0x04 || public key)[:4]`. After the key ID comes a
//!   `timestamped_signature`: an 8-byte big-endian POSIX `timestamp` (at most 2^63 − 1) and
//!   the 64-byte Ed25519 signature.
//! - §Ed25519 signed message: `cosignature/v1\ntime <timestamp>\n` followed by the whole
//!   checkpoint text, extension lines included.
//!
//! A cosignature says that, at `timestamp`, the largest consistent tree the witness had seen
//! for the log had this root. [`crate::policy`] counts them towards a quorum.

use crate::Error;

/// The header line of the signed message, for domain separation.
pub const HEADER: &str = "cosignature/v1";

/// The largest timestamp the spec allows.
pub const MAX_TIMESTAMP: u64 = (1 << 63) - 1;

/// Splits a `timestamped_signature` (the bytes after the key ID) into timestamp and
/// Ed25519 signature.
///
/// # Errors
/// [`Error::CosignatureMalformed`] unless it is exactly 72 bytes with a timestamp of at
/// most 2^63 − 1.
pub fn split(signature: &[u8]) -> Result<(u64, [u8; 64]), Error> {
    let (ts, sig) = signature
        .split_first_chunk::<8>()
        .ok_or(Error::CosignatureMalformed { reason: "shorter than its 8-byte timestamp" })?;
    let sig: [u8; 64] = sig
        .try_into()
        .map_err(|_| Error::CosignatureMalformed { reason: "not 8 + 64 bytes long" })?;
    let timestamp = u64::from_be_bytes(*ts);
    if timestamp > MAX_TIMESTAMP {
        return Err(Error::CosignatureMalformed { reason: "the timestamp exceeds 2^63 - 1" });
    }
    Ok((timestamp, sig))
}

/// The message a v1 cosigner signs for `checkpoint_text` at `timestamp`.
pub fn signed_message(timestamp: u64, checkpoint_text: &str) -> Vec<u8> {
    format!("{HEADER}\ntime {timestamp}\n{checkpoint_text}").into_bytes()
}

/// Joins a timestamp and signature into the bytes that follow the key ID.
pub fn timestamped_signature(timestamp: u64, signature: &[u8; 64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(72);
    out.extend_from_slice(&timestamp.to_be_bytes());
    out.extend_from_slice(signature);
    out
}
