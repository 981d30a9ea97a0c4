//! Compact JSON Web Signatures (RFC 7515 §7.1) signed with EdDSA over Ed25519 (RFC 8037 §3.1).
//!
//! `BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)`, each part canonical
//! base64url without padding; header and payload are strict JSON objects ([`crate::json`]).
//!
//! Only `alg` `EdDSA` (RFC 8037) and its fully specified name `Ed25519` (RFC 9864) are
//! accepted; `none`, HMAC and every other algorithm are refused before any key is looked up,
//! so no algorithm-confusion attack can choose how the signature is checked. A `crit` header
//! is refused (RFC 7515 §4.1.11): this verifier understands no extension.

use crate::ed25519::PublicKey;
use crate::json::{self, Object, Value};
use crate::{base64, Error};

/// A parsed compact JWS whose signature has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jws {
    compact: String,
    signing_input_len: usize,
    header: Object,
    payload: Object,
    signature: Vec<u8>,
}

fn malformed(reason: &'static str) -> Error {
    Error::JwsMalformed { reason }
}

/// A compact JWS taken apart (RFC 7515 §7.1): the header as a JSON object, the payload and
/// signature bytes, and the length of the signing input (`header.payload`). Shared by the
/// EdDSA records here and the ES256 health cards of `shc`, whose payload is DEFLATE.
pub(crate) struct Compact {
    pub header: Object,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
    pub signing_input_len: usize,
}

impl Compact {
    /// Splits and decodes `compact`.
    ///
    /// # Errors
    /// [`Error::JwsMalformed`] unless there are exactly three canonical base64url parts and
    /// the header is a UTF-8 JSON object; [`Error::JsonMalformed`] for bad header JSON.
    pub(crate) fn split(compact: &str) -> Result<Compact, Error> {
        let mut parts = compact.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed("it does not have exactly three dot-separated parts"));
        };
        let decode = |part: &str, what| base64::decode_url(part).ok_or(malformed(what));
        let header = decode(h, "the header is not canonical base64url")?;
        let payload = decode(p, "the payload is not canonical base64url")?;
        let signature = decode(s, "the signature is not canonical base64url")?;
        let header = String::from_utf8(header).map_err(|_| malformed("the header is not UTF-8"))?;
        let header = match json::parse(&header)? {
            Value::Object(o) => o,
            _ => return Err(malformed("the header is not a JSON object")),
        };
        Ok(Compact { header, payload, signature, signing_input_len: h.len() + 1 + p.len() })
    }
}

impl Jws {
    /// Parses a compact JWS with JSON object header and payload.
    ///
    /// # Errors
    /// [`Error::JwsMalformed`] or [`Error::JsonMalformed`].
    pub fn parse(compact: &str) -> Result<Jws, Error> {
        let parts = Compact::split(compact)?;
        let payload = String::from_utf8(parts.payload).ok().map(|t| json::parse(&t));
        let payload = match payload {
            Some(Ok(Value::Object(o))) => o,
            Some(Err(e)) => return Err(e.into()),
            _ => return Err(malformed("the payload is not a UTF-8 JSON object")),
        };
        Ok(Jws {
            compact: compact.to_owned(),
            signing_input_len: parts.signing_input_len,
            header: parts.header,
            payload,
            signature: parts.signature,
        })
    }

    /// The protected header.
    pub fn header(&self) -> &Object {
        &self.header
    }

    /// The payload, not trusted until [`Jws::verify`] succeeds.
    pub fn payload(&self) -> &Object {
        &self.payload
    }

    /// A string header parameter (`alg`, `kid`, `typ`).
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// The compact serialisation, exactly as parsed.
    pub fn as_str(&self) -> &str {
        &self.compact
    }

    /// Checks that the algorithm is Ed25519 and no critical extension is present.
    ///
    /// # Errors
    /// [`Error::AlgorithmUnsupported`] and [`Error::JwsMalformed`].
    pub fn check_algorithm(&self) -> Result<(), Error> {
        match self.header.get("alg") {
            Some(Value::String(alg)) if alg == "EdDSA" || alg == "Ed25519" => {}
            Some(Value::String(alg)) => {
                return Err(Error::AlgorithmUnsupported { alg: alg.clone() })
            }
            _ => return Err(Error::JwsMalformed { reason: "the header has no string alg" }),
        }
        if self.header.get("crit").is_some() {
            return Err(Error::JwsMalformed {
                reason: "a crit header names an unsupported extension",
            });
        }
        Ok(())
    }

    /// Verifies the signature with `key`, after [`Jws::check_algorithm`].
    ///
    /// # Errors
    /// Those of [`Jws::check_algorithm`], and [`Error::SignatureInvalid`] naming `kid`.
    pub fn verify(&self, key: &PublicKey) -> Result<(), Error> {
        self.check_algorithm()?;
        let input = self.compact.get(..self.signing_input_len).unwrap_or_default();
        if key.verify(input.as_bytes(), &self.signature) {
            Ok(())
        } else {
            Err(Error::SignatureInvalid {
                key: self.header_str("kid").unwrap_or_default().to_owned(),
            })
        }
    }
}

/// Signs `header` and `payload` (JSON objects) into a compact JWS with Ed25519.
#[cfg(feature = "signer")]
pub fn sign(header: &Object, payload: &Object, seed: &[u8; 32]) -> String {
    use ed25519_dalek::{Signer, SigningKey};
    let input = format!(
        "{}.{}",
        base64::encode_url(Value::Object(header.clone()).to_string().as_bytes()),
        base64::encode_url(Value::Object(payload.clone()).to_string().as_bytes())
    );
    let signature = SigningKey::from_bytes(seed).sign(input.as_bytes()).to_bytes();
    format!("{input}.{}", base64::encode_url(&signature))
}
