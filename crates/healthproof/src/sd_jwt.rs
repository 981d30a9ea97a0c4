//! Selective Disclosure for JWTs (SD-JWT), RFC 9901, without key binding.
//!
//! - §4: `<Issuer-signed JWT>~<Disclosure 1>~…~<Disclosure N>~`. A trailing Key Binding JWT
//!   (§4.3) is refused: HealthProof records are bearer documents checked by their reader.
//! - §4.2.1/§4.2.2: a [`Disclosure`] is the base64url of a JSON array `[salt, name, value]`
//!   (object property) or `[salt, value]` (array element).
//! - §4.2.3: its digest is `base64url(SHA-256(ASCII(disclosure)))`; `_sd_alg` must be
//!   `sha-256`.
//! - §7.1 (processing): every disclosure must match exactly one digest in the signed payload
//!   or in another disclosure; a digest may appear only once; a disclosure may not replace a
//!   claim that is already there, nor disclose `_sd` or `...`. Digests with no disclosure are
//!   decoys or withheld claims and are dropped.
//!
//! [`process`] applies those rules to an SD-JWT whose issuer signature the caller has
//! already verified ([`crate::jws::Jws::verify`]) and returns the disclosed claims.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::json::{self, Object, Value};
use crate::jws::Jws;
use crate::{base64, Error};

/// The largest SD-JWT accepted, in bytes.
pub const MAX_SD_JWT: usize = 2 * 1024 * 1024;
/// The most disclosures one SD-JWT may carry.
pub const MAX_DISCLOSURES: usize = 1024;
/// How deep disclosed claims may nest, counting through disclosures.
pub const MAX_DEPTH: usize = 64;

/// One disclosure, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    encoded: String,
    digest: [u8; 32],
    salt: String,
    name: Option<String>,
    value: Value,
}

impl Disclosure {
    /// Decodes a disclosure string.
    ///
    /// # Errors
    /// [`Error::SdJwtMalformed`] unless it is canonical base64url of a JSON array of a string
    /// salt, optionally a string name, and a value.
    pub fn parse(encoded: &str) -> Result<Disclosure, Error> {
        let malformed = |reason| Error::SdJwtMalformed { reason };
        let bytes = base64::decode_url(encoded)
            .ok_or(malformed("a disclosure is not canonical base64url"))?;
        let text = String::from_utf8(bytes).map_err(|_| malformed("a disclosure is not UTF-8"))?;
        let Value::Array(items) = json::parse(&text)? else {
            return Err(malformed("a disclosure is not a JSON array"));
        };
        let (salt, name, value) = match items.as_slice() {
            [Value::String(salt), Value::String(name), value] => (salt, Some(name.clone()), value),
            [Value::String(salt), value] => (salt, None, value),
            _ => return Err(malformed("a disclosure is not [salt, name, value] or [salt, value]")),
        };
        if name.as_deref().is_some_and(|n| n == "_sd" || n == "...") {
            return Err(Error::DisclosureConflict { name: name.unwrap_or_default() });
        }
        Ok(Disclosure {
            encoded: encoded.to_owned(),
            digest: Sha256::digest(encoded.as_bytes()).into(),
            salt: salt.clone(),
            name,
            value: value.clone(),
        })
    }

    /// Encodes a new object-property disclosure (issuers only).
    pub fn new_property(salt: &str, name: &str, value: &Value) -> Disclosure {
        let array =
            format!("[{},{},{value}]", json::to_json_string(salt), json::to_json_string(name));
        let encoded = base64::encode_url(array.as_bytes());
        Disclosure {
            digest: Sha256::digest(encoded.as_bytes()).into(),
            encoded,
            salt: salt.to_owned(),
            name: Some(name.to_owned()),
            value: value.clone(),
        }
    }

    /// The disclosure string, as it appears in the SD-JWT.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// The claim name, for an object-property disclosure.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The disclosed value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The digest as it appears in `_sd` arrays: base64url of SHA-256 of the disclosure.
    pub fn digest(&self) -> String {
        base64::encode_url(&self.digest)
    }
}

/// A parsed SD-JWT: the issuer-signed JWT and the disclosures presented with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdJwt {
    jwt: Jws,
    disclosures: Vec<Disclosure>,
}

impl SdJwt {
    /// Parses the compact form `<JWT>~<D1>~…~<DN>~`.
    ///
    /// # Errors
    /// [`Error::TooLarge`], [`Error::SdJwtMalformed`] (including a key binding JWT),
    /// [`Error::DisclosureDuplicate`], and the errors of [`Jws::parse`].
    pub fn parse(compact: &str) -> Result<SdJwt, Error> {
        let malformed = |reason| Error::SdJwtMalformed { reason };
        if compact.len() > MAX_SD_JWT {
            return Err(Error::TooLarge { what: "an SD-JWT", limit: MAX_SD_JWT });
        }
        let body = compact.strip_suffix('~').ok_or(malformed(
            "it does not end with '~' (a key binding JWT or a plain JWT is not accepted)",
        ))?;
        let mut parts = body.split('~');
        let jwt = Jws::parse(parts.next().unwrap_or_default())?;
        let mut disclosures: Vec<Disclosure> = Vec::new();
        for part in parts {
            if disclosures.len() == MAX_DISCLOSURES {
                return Err(Error::TooLarge {
                    what: "the disclosure list",
                    limit: MAX_DISCLOSURES,
                });
            }
            if disclosures.iter().any(|d| d.encoded == part) {
                return Err(Error::DisclosureDuplicate);
            }
            disclosures.push(Disclosure::parse(part)?);
        }
        Ok(SdJwt { jwt, disclosures })
    }

    /// An SD-JWT from an issuer-signed JWT and disclosures (issuers and holders).
    pub fn new(jwt: Jws, disclosures: Vec<Disclosure>) -> SdJwt {
        SdJwt { jwt, disclosures }
    }

    /// The issuer-signed JWT.
    pub fn jwt(&self) -> &Jws {
        &self.jwt
    }

    /// The disclosures, in presentation order.
    pub fn disclosures(&self) -> &[Disclosure] {
        &self.disclosures
    }

    /// The same SD-JWT with only the disclosures `keep` accepts: what a holder shares.
    pub fn select(&self, keep: impl Fn(&Disclosure) -> bool) -> SdJwt {
        SdJwt {
            jwt: self.jwt.clone(),
            disclosures: self.disclosures.iter().filter(|d| keep(d)).cloned().collect(),
        }
    }
}

impl core::fmt::Display for SdJwt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}~", self.jwt.as_str())?;
        for d in &self.disclosures {
            write!(f, "{}~", d.encoded)?;
        }
        Ok(())
    }
}

/// Applies the disclosures to the signed payload (RFC 9901 §7.1 steps 3–5).
///
/// Call it only after the issuer's signature has been verified. Returns the payload with
/// every disclosed claim in place, and `_sd`, `_sd_alg` and undisclosed digests removed.
///
/// # Errors
/// [`Error::SdJwtMalformed`] (bad `_sd_alg`, `_sd` or `...` structure, nesting too deep),
/// [`Error::DigestReused`], [`Error::DisclosureConflict`] and
/// [`Error::DisclosureUnreferenced`].
pub fn process(sd_jwt: &SdJwt) -> Result<Object, Error> {
    let payload = sd_jwt.jwt.payload();
    match payload.get("_sd_alg") {
        Some(Value::String(alg)) if alg == "sha-256" => {}
        _ => return Err(Error::SdJwtMalformed { reason: "_sd_alg is not \"sha-256\"" }),
    }
    let by_digest: BTreeMap<[u8; 32], usize> =
        sd_jwt.disclosures.iter().enumerate().map(|(i, d)| (d.digest, i)).collect();
    let mut state = State {
        disclosures: &sd_jwt.disclosures,
        by_digest,
        used: vec![false; sd_jwt.disclosures.len()],
        seen: BTreeMap::new(),
    };
    let mut out = state.object(payload, 0)?;
    out.remove("_sd_alg");
    if state.used.iter().any(|used| !used) {
        return Err(Error::DisclosureUnreferenced);
    }
    Ok(out)
}

struct State<'a> {
    disclosures: &'a [Disclosure],
    by_digest: BTreeMap<[u8; 32], usize>,
    used: Vec<bool>,
    seen: BTreeMap<[u8; 32], ()>,
}

impl State<'_> {
    /// Records a digest and returns its disclosure, if one was presented.
    fn lookup(&mut self, digest: &Value) -> Result<Option<&Disclosure>, Error> {
        let text =
            digest.as_str().ok_or(Error::SdJwtMalformed { reason: "a digest is not a string" })?;
        let bytes = base64::decode_url(text)
            .ok_or(Error::SdJwtMalformed { reason: "a digest is not canonical base64url" })?;
        let digest: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::SdJwtMalformed { reason: "a digest is not 32 bytes" })?;
        if self.seen.insert(digest, ()).is_some() {
            return Err(Error::DigestReused);
        }
        let Some(&index) = self.by_digest.get(&digest) else { return Ok(None) };
        if let Some(used) = self.used.get_mut(index) {
            *used = true;
        }
        Ok(self.disclosures.get(index))
    }

    fn object(&mut self, input: &Object, depth: usize) -> Result<Object, Error> {
        if depth > MAX_DEPTH {
            return Err(Error::SdJwtMalformed { reason: "disclosed claims nest too deeply" });
        }
        let mut out = Object::default();
        for (name, value) in input.members() {
            if name != "_sd" {
                out.insert(name.clone(), self.value(value, depth + 1)?);
            }
        }
        if let Some(sd) = input.get("_sd") {
            let digests =
                sd.as_array().ok_or(Error::SdJwtMalformed { reason: "_sd is not an array" })?;
            for digest in digests {
                let Some(disclosure) = self.lookup(digest)?.cloned() else { continue };
                let name = disclosure.name.ok_or(Error::SdJwtMalformed {
                    reason: "an array-element disclosure is referenced from an object",
                })?;
                let value = self.value(&disclosure.value, depth + 1)?;
                if !out.insert(name.clone(), value) {
                    return Err(Error::DisclosureConflict { name });
                }
            }
        }
        Ok(out)
    }

    fn value(&mut self, input: &Value, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(Error::SdJwtMalformed { reason: "disclosed claims nest too deeply" });
        }
        match input {
            Value::Object(o) => Ok(Value::Object(self.object(o, depth)?)),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item
                        .as_object()
                        .filter(|o| o.members().len() == 1)
                        .and_then(|o| o.get("..."))
                    {
                        Some(digest) => {
                            let Some(disclosure) = self.lookup(digest)?.cloned() else { continue };
                            if disclosure.name.is_some() {
                                return Err(Error::SdJwtMalformed {
                                    reason:
                                        "an object-property disclosure is referenced from an array",
                                });
                            }
                            out.push(self.value(&disclosure.value, depth + 1)?);
                        }
                        None => out.push(self.value(item, depth + 1)?),
                    }
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }
}
