//! JSON Web Keys (RFC 7517) as SMART Health Card issuers publish them, and their RFC 7638
//! thumbprints.
//!
//! An issuer serves `<iss>/.well-known/jwks.json`, a JWK Set (§5). The SMART Health Cards
//! specification (§Determining keys associated with an issuer) requires each signing key to be
//! `kty` `EC`, `crv` `P-256`, `alg` `ES256`, `use` `sig`, with `kid` equal to its RFC 7638
//! thumbprint: base64url of SHA-256 over `{"crv":…,"kty":"EC","x":…,"y":…}` (§3.2: those
//! members only, in that order, no whitespace). A private key (`d`) is refused. `crlVersion`,
//! when present, says the issuer publishes a revocation list for the key ([`crate::shc`]).
//! An `x5c` chain is optional in the specification and not checked here.

use sha2::{Digest, Sha256};

use crate::json::{self, Value};
use crate::pkey::PublicKey;
use crate::{base64, Error};

/// The most keys a JWK Set may hold.
pub const MAX_KEYS: usize = 64;

/// An ES256 signing key of a SMART Health Card issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    /// The key ID: its RFC 7638 thumbprint.
    pub kid: String,
    /// The x coordinate, base64url (32 bytes).
    pub x: String,
    /// The y coordinate, base64url (32 bytes).
    pub y: String,
    /// The revocation list version, if the issuer publishes one for this key.
    pub crl_version: Option<u64>,
    key: PublicKey,
}

fn malformed(reason: &'static str) -> Error {
    Error::JwkMalformed { reason }
}

/// The RFC 7638 thumbprint of a P-256 key given by its base64url coordinates.
pub fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(
        r#"{{"crv":"P-256","kty":"EC","x":{},"y":{}}}"#,
        json::to_json_string(x),
        json::to_json_string(y)
    );
    base64::encode_url(&Sha256::digest(canonical.as_bytes()))
}

impl Jwk {
    /// A key from its public coordinates, base64url, and optional revocation list version.
    ///
    /// # Errors
    /// [`Error::JwkMalformed`] when a coordinate is not 32 bytes of canonical base64url or the
    /// point is not on P-256.
    pub fn from_coordinates(x: &str, y: &str, crl_version: Option<u64>) -> Result<Jwk, Error> {
        let coordinate = |c: &str| {
            base64::decode_url(c)
                .filter(|b| b.len() == 32)
                .ok_or(malformed("x or y is not 32 bytes of canonical base64url"))
        };
        let point = [&[0x04][..], &coordinate(x)?, &coordinate(y)?].concat();
        let key =
            PublicKey::p256_from_sec1(&point).map_err(|_| malformed("not a point on P-256"))?;
        Ok(Jwk { kid: thumbprint(x, y), x: x.to_owned(), y: y.to_owned(), crl_version, key })
    }

    /// Reads one JWK, checking every rule of the module documentation.
    ///
    /// # Errors
    /// [`Error::JwkMalformed`] naming the first rule broken.
    pub fn from_json(jwk: &Value) -> Result<Jwk, Error> {
        let text = |name| jwk.get(name).and_then(Value::as_str);
        if jwk.as_object().is_none() {
            return Err(malformed("a key is not a JSON object"));
        }
        if text("kty") != Some("EC") {
            return Err(malformed("kty is not EC"));
        }
        if text("crv") != Some("P-256") {
            return Err(malformed("crv is not P-256"));
        }
        if text("alg") != Some("ES256") {
            return Err(malformed("alg is not ES256"));
        }
        if text("use") != Some("sig") {
            return Err(malformed("use is not sig"));
        }
        if jwk.get("d").is_some() {
            return Err(malformed("it is a private key (it has d)"));
        }
        let crl_version = match jwk.get("crlVersion") {
            None => None,
            Some(v) => Some(
                v.as_number()
                    .and_then(json::Number::as_u64)
                    .filter(|&n| n > 0)
                    .ok_or(malformed("crlVersion is not a positive integer"))?,
            ),
        };
        let (Some(x), Some(y)) = (text("x"), text("y")) else {
            return Err(malformed("x or y is missing"));
        };
        let key = Jwk::from_coordinates(x, y, crl_version)?;
        if text("kid") != Some(key.kid.as_str()) {
            return Err(malformed("kid is not the RFC 7638 thumbprint of the key"));
        }
        Ok(key)
    }

    /// The verifying key.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }
}

/// Reads a JWK Set (RFC 7517 §5): `{"keys": [...]}`, every key valid.
///
/// # Errors
/// [`Error::JsonMalformed`]; [`Error::TooLarge`] above [`MAX_KEYS`]; [`Error::JwkMalformed`]
/// when it is not a key set or any key breaks a rule.
pub fn parse_set(text: &str) -> Result<Vec<Jwk>, Error> {
    let set = json::parse(text)?;
    let keys = set.get("keys").and_then(Value::as_array).ok_or(malformed("no keys array"))?;
    if keys.len() > MAX_KEYS {
        return Err(Error::TooLarge { what: "a JWK set", limit: MAX_KEYS });
    }
    keys.iter().map(Jwk::from_json).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7638_example_shape() {
        // The SMART Health Cards example key: its kid is its thumbprint.
        let x = "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw";
        let y = "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8";
        assert_eq!(thumbprint(x, y), "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
        let key = Jwk::from_coordinates(x, y, Some(1)).unwrap();
        assert_eq!(key.kid, "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
        assert!(Jwk::from_coordinates(x, x, None).is_err());
    }
}
