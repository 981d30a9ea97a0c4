//! Record status from an IETF Token Status List (draft-ietf-oauth-status-list).
//!
//! - §6.2 (referenced token): a record's `status` claim is
//!   `{"status_list": {"idx": <index>, "uri": "<status list URI>"}}`.
//! - §5.1 (status list token in JWT form): a JWS with `typ` `statuslist+jwt` whose payload has
//!   `sub` (the URI), `iat`, optionally `exp` and `ttl`, and
//!   `status_list: {"bits": 1|2|4|8, "lst": base64url(ZLIB(status bytes))}`.
//! - §4.1 (status list): the status of index `i` is the `bits`-wide value at bit offset
//!   `i * bits`, least significant bits first; §7.1 values: 0 valid, 1 invalid, 2 suspended.
//!
//! The token is signed by the record's issuer key; the caller resolves that key from the
//! trust list. Inflating is bounded by [`MAX_STATUS_BYTES`], so a compression bomb is refused.

use crate::ed25519::PublicKey;
use crate::json::Value;
use crate::jws::Jws;
use crate::{base64, Error};

/// The largest inflated status list accepted, in bytes (8 million 1-bit entries).
pub const MAX_STATUS_BYTES: usize = 1024 * 1024;

/// Where a record's status is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReference {
    /// The index of the record in the list.
    pub idx: u64,
    /// The status list's URI (its token's `sub`).
    pub uri: String,
}

impl StatusReference {
    /// Reads the `status` claim of a record.
    ///
    /// # Errors
    /// [`Error::StatusListInvalid`] when the claim does not have the shape above.
    pub fn from_claim(status: &Value) -> Result<StatusReference, Error> {
        let invalid = |reason| Error::StatusListInvalid { reason };
        let list =
            status.get("status_list").ok_or(invalid("the status claim has no status_list"))?;
        let idx = list
            .get("idx")
            .and_then(Value::as_number)
            .and_then(|n| n.as_u64())
            .ok_or(invalid("status_list.idx is not a non-negative integer"))?;
        let uri = list
            .get("uri")
            .and_then(Value::as_str)
            .ok_or(invalid("status_list.uri is not a string"))?;
        Ok(StatusReference { idx, uri: uri.to_owned() })
    }
}

/// A status list token whose signature has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    uri: String,
    bits: u8,
    bytes: Vec<u8>,
    issued_at: u64,
    expires_at: Option<u64>,
}

impl StatusList {
    /// The `kid` a status list token names, to find its issuer key before verifying.
    ///
    /// # Errors
    /// The errors of [`Jws::parse`], and [`Error::StatusListInvalid`] without a `kid`.
    pub fn kid(token: &str) -> Result<String, Error> {
        let jws = Jws::parse(token.trim())?;
        jws.header_str("kid")
            .map(str::to_owned)
            .ok_or(Error::StatusListInvalid { reason: "the token has no kid" })
    }

    /// Verifies a status list token with the issuer's key and decodes the list.
    ///
    /// # Errors
    /// JWS and signature errors, [`Error::StatusListInvalid`] for a wrong `typ`, missing
    /// claims, a bad `bits` value or an undecodable list, and [`Error::TooLarge`].
    pub fn verify(token: &str, key: &PublicKey) -> Result<StatusList, Error> {
        let invalid = |reason| Error::StatusListInvalid { reason };
        let jws = Jws::parse(token.trim())?;
        if jws.header_str("typ") != Some("statuslist+jwt") {
            return Err(invalid("the token's typ is not statuslist+jwt"));
        }
        jws.verify(key)?;
        let p = jws.payload();
        let uri = p.get("sub").and_then(Value::as_str).ok_or(invalid("the token has no sub"))?;
        let time = |name| p.get(name).and_then(Value::as_number).and_then(|n| n.as_u64());
        let issued_at = time("iat").ok_or(invalid("the token has no iat"))?;
        let list = p.get("status_list").ok_or(invalid("the token has no status_list"))?;
        let bits = list.get("bits").and_then(Value::as_number).and_then(|n| n.as_u64());
        let bits = match bits {
            Some(b @ (1 | 2 | 4 | 8)) => b as u8,
            _ => return Err(invalid("status_list.bits is not 1, 2, 4 or 8")),
        };
        let lst =
            list.get("lst").and_then(Value::as_str).ok_or(invalid("status_list.lst is missing"))?;
        let compressed =
            base64::decode_url(lst).ok_or(invalid("status_list.lst is not base64url"))?;
        let bytes =
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_STATUS_BYTES)
                .map_err(|_| invalid("status_list.lst is not ZLIB data within the size limit"))?;
        Ok(StatusList { uri: uri.to_owned(), bits, bytes, issued_at, expires_at: time("exp") })
    }

    /// The URI the list is published under.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// When the token was issued.
    pub fn issued_at(&self) -> u64 {
        self.issued_at
    }

    /// When the token expires, if it says.
    pub fn expires_at(&self) -> Option<u64> {
        self.expires_at
    }

    /// The status value at `idx`.
    ///
    /// # Errors
    /// [`Error::StatusListInvalid`] when `idx` is past the end of the list.
    pub fn status(&self, idx: u64) -> Result<u8, Error> {
        let bit = idx
            .checked_mul(u64::from(self.bits))
            .ok_or(Error::StatusListInvalid { reason: "index out of range" })?;
        let byte = usize::try_from(bit / 8).ok().and_then(|i| self.bytes.get(i)).ok_or(
            Error::StatusListInvalid {
                reason: "the record's index is past the end of the status list",
            },
        )?;
        let mask = ((1u16 << self.bits) - 1) as u8;
        Ok((byte >> (bit % 8)) & mask)
    }
}

/// Builds a status list token (issuers only): `statuses` are the values, `bits` wide.
#[cfg(feature = "signer")]
pub fn sign(uri: &str, bits: u8, statuses: &[u8], iat: u64, kid: &str, seed: &[u8; 32]) -> String {
    use crate::json;
    let mut bytes = vec![0u8; (statuses.len() * usize::from(bits)).div_ceil(8)];
    for (i, &s) in statuses.iter().enumerate() {
        let bit = i * usize::from(bits);
        if let Some(b) = bytes.get_mut(bit / 8) {
            *b |= s << (bit % 8);
        }
    }
    let lst = base64::encode_url(&miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 9));
    let header = json::parse(&format!(
        r#"{{"alg":"EdDSA","typ":"statuslist+jwt","kid":{}}}"#,
        json::to_json_string(kid)
    ));
    let payload = json::parse(&format!(
        r#"{{"sub":{},"iat":{iat},"status_list":{{"bits":{bits},"lst":"{lst}"}}}}"#,
        json::to_json_string(uri)
    ));
    match (header, payload) {
        (Ok(Value::Object(h)), Ok(Value::Object(p))) => crate::jws::sign(&h, &p, seed),
        // Invariant: both texts above are valid JSON objects by construction.
        _ => String::new(),
    }
}
