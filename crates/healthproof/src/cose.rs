//! COSE_Sign1 (RFC 9052 §4.2), as HCERT uses it: one signer, ES256 or PS256.
//!
//! `COSE_Sign1 = [protected: bstr .cbor header_map, unprotected: header_map, payload: bstr,
//! signature: bstr]`, optionally tagged 18 (§2), and optionally wrapped again in the CWT tag 61
//! (RFC 8392 §6). The signature covers `Sig_structure = ["Signature1", protected, h'',
//! payload]` (§4.4) with the protected header bytes exactly as received.
//!
//! Header parameters (§3.1): `alg` (1) and `kid` (4) are read from the protected header first
//! and from the unprotected one only when absent there, as the EU DCC specification and its
//! test data require. `crit` (2) is refused: no extension is understood.

use crate::cbor::{self, Value};
use crate::pkey::{Algorithm, PublicKey};
use crate::Error;

/// COSE tag of a COSE_Sign1 (RFC 9052 §2).
pub const TAG_SIGN1: u64 = 18;
/// CBOR tag of a CWT (RFC 8392 §6).
pub const TAG_CWT: u64 = 61;

/// A parsed COSE_Sign1 whose signature has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoseSign1 {
    protected_bytes: Vec<u8>,
    protected: Value,
    unprotected: Value,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

fn malformed(reason: &'static str) -> Error {
    Error::CoseMalformed { reason }
}

impl CoseSign1 {
    /// Parses a COSE_Sign1, tagged (18, or 61 around 18) or not.
    ///
    /// # Errors
    /// [`Error::CborMalformed`] for bad CBOR; [`Error::CoseMalformed`] for another tag, a
    /// structure that is not four items of the right types, a detached payload, or a `crit`
    /// header.
    pub fn from_bytes(bytes: &[u8]) -> Result<CoseSign1, Error> {
        let mut item = cbor::decode(bytes)?;
        if let Value::Tag(TAG_CWT, inner) = item {
            item = *inner;
        }
        if let Value::Tag(tag, inner) = item {
            if tag != TAG_SIGN1 {
                return Err(malformed("tagged, but not as a COSE_Sign1"));
            }
            item = *inner;
        }
        let Value::Array(parts) = item else {
            return Err(malformed("not an array"));
        };
        let [protected_bytes, unprotected, payload, signature] =
            <[Value; 4]>::try_from(parts).map_err(|_| malformed("not an array of four items"))?;
        let Value::Bytes(protected_bytes) = protected_bytes else {
            return Err(malformed("the protected header is not a byte string"));
        };
        let protected = if protected_bytes.is_empty() {
            Value::Map(Vec::new())
        } else {
            cbor::decode(&protected_bytes)?
        };
        if protected.as_map().is_none() || unprotected.as_map().is_none() {
            return Err(malformed("a header is not a map"));
        }
        let Value::Bytes(payload) = payload else {
            return Err(malformed(
                "the payload is not a byte string (detached payloads are not read)",
            ));
        };
        let Value::Bytes(signature) = signature else {
            return Err(malformed("the signature is not a byte string"));
        };
        if protected.get_int(2).is_some() || unprotected.get_int(2).is_some() {
            return Err(malformed("a crit header names an unsupported extension"));
        }
        Ok(CoseSign1 { protected_bytes, protected, unprotected, payload, signature })
    }

    fn header(&self, label: i64) -> Option<&Value> {
        self.protected.get_int(label).or_else(|| self.unprotected.get_int(label))
    }

    /// The `kid` header (protected first), if it is a byte string.
    pub fn kid(&self) -> Option<&[u8]> {
        self.header(4).and_then(Value::as_bytes)
    }

    /// The signature algorithm.
    ///
    /// # Errors
    /// [`Error::CoseMalformed`] when `alg` is absent; [`Error::AlgorithmUnsupported`] for any
    /// algorithm other than ES256 (−7) and PS256 (−37).
    pub fn algorithm(&self) -> Result<Algorithm, Error> {
        match self.header(1) {
            None => Err(malformed("there is no alg header")),
            Some(v) => match v.as_i64() {
                Some(-7) => Ok(Algorithm::Es256),
                Some(-37) => Ok(Algorithm::Ps256),
                Some(n) => Err(Error::AlgorithmUnsupported { alg: n.to_string() }),
                None => Err(Error::AlgorithmUnsupported { alg: format!("{v:?}") }),
            },
        }
    }

    /// The payload, not trusted until [`CoseSign1::verify`] succeeds.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The `Sig_structure` bytes that are signed (§4.4).
    pub fn signed_bytes(&self) -> Vec<u8> {
        Value::Array(vec![
            Value::Text("Signature1".into()),
            Value::Bytes(self.protected_bytes.clone()),
            Value::Bytes(Vec::new()),
            Value::Bytes(self.payload.clone()),
        ])
        .to_bytes()
    }

    /// Verifies the signature with `key`.
    ///
    /// # Errors
    /// Those of [`CoseSign1::algorithm`]; [`Error::SignatureInvalid`] naming `key_name` when
    /// the algorithm is not the key's or the signature does not verify.
    pub fn verify(&self, key: &PublicKey, key_name: &str) -> Result<(), Error> {
        let algorithm = self.algorithm()?;
        if algorithm == key.algorithm()
            && key.verify(algorithm, &self.signed_bytes(), &self.signature)
        {
            Ok(())
        } else {
            Err(Error::SignatureInvalid { key: key_name.to_owned() })
        }
    }
}
