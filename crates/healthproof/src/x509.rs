//! X.509 certificates (RFC 5280 §4.1), read for what a DCC verifier needs: the signer's public
//! key, its validity, its extended key usage (§4.2.1.12) and its subject.
//!
//! A small strict DER reader (X.690 §10) underlies it: definite, minimal lengths; one-byte
//! tags; nothing after the certificate. The certificate's own signature and chain are *not*
//! checked here: a HealthProof verifier trusts a signer certificate because the signed trust
//! list names it (`docs/FORMAT.md` §5.1), and the trust-list publisher checked the chain to
//! the country's CSCA when importing it. This keeps a whole ASN.1 stack out of the wasm build.

use sha2::{Digest, Sha256};

use crate::pkey::PublicKey;
use crate::Error;

/// The largest certificate accepted, in bytes.
pub const MAX_CERTIFICATE: usize = 16 * 1024;

/// DER of the OID `1.2.840.10045.2.1` (id-ecPublicKey).
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// DER of the OID `1.2.840.10045.3.1.7` (prime256v1, P-256).
const PRIME256V1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// DER of the OID `1.2.840.113549.1.1.1` (rsaEncryption).
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// DER of the OID `1.2.840.113549.1.1.10` (id-RSASSA-PSS).
const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// DER of the OID `2.5.29.37` (extended key usage).
const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
/// DER of the OIDs `2.5.4.6` (country), `2.5.4.10` (organisation), `2.5.4.3` (common name).
const AT_COUNTRY: &[u8] = &[0x55, 0x04, 0x06];
const AT_ORGANISATION: &[u8] = &[0x55, 0x04, 0x0a];
const AT_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

/// A parsed X.509 certificate whose signature has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    not_before: u64,
    not_after: u64,
    public_key: PublicKey,
    extended_key_usage: Option<Vec<String>>,
    country: String,
    organisation: String,
}

impl Certificate {
    /// Parses a DER certificate.
    ///
    /// # Errors
    /// [`Error::TooLarge`] above [`MAX_CERTIFICATE`]; [`Error::CertificateMalformed`] for DER
    /// that is not an RFC 5280 certificate, or whose key is neither P-256 nor RSA 2048–4096.
    pub fn from_der(der: &[u8]) -> Result<Certificate, Error> {
        if der.len() > MAX_CERTIFICATE {
            return Err(Error::TooLarge { what: "a certificate", limit: MAX_CERTIFICATE });
        }
        let mut outer = Reader::new(der);
        let mut cert = Reader::new(outer.expect(SEQUENCE)?);
        outer.end()?;
        let mut tbs = Reader::new(cert.expect(SEQUENCE)?);
        cert.expect(SEQUENCE)?; // signatureAlgorithm
        cert.expect(BIT_STRING)?; // signatureValue
        cert.end()?;

        if tbs.peek() == Some(0xa0) {
            tbs.expect(0xa0)?; // [0] EXPLICIT version
        }
        tbs.expect(INTEGER)?; // serialNumber
        tbs.expect(SEQUENCE)?; // signature
        tbs.expect(SEQUENCE)?; // issuer
        let mut validity = Reader::new(tbs.expect(SEQUENCE)?);
        let not_before = validity.time()?;
        let not_after = validity.time()?;
        validity.end()?;
        let subject = tbs.expect(SEQUENCE)?;
        let (country, organisation) = subject_names(subject)?;
        let public_key = subject_public_key(tbs.expect(SEQUENCE)?)?;
        let mut extended_key_usage = None;
        while let Some(tag) = tbs.peek() {
            let body = tbs.any()?.1;
            if tag == 0xa3 {
                extended_key_usage = eku(body)?;
            } else if tag != 0x81 && tag != 0x82 {
                return Err(malformed("an unexpected field in the certificate"));
            }
        }
        Ok(Certificate {
            der: der.to_vec(),
            not_before,
            not_after,
            public_key,
            extended_key_usage,
            country,
            organisation,
        })
    }

    /// The DER bytes, as parsed.
    pub fn to_der(&self) -> &[u8] {
        &self.der
    }

    /// Start of validity (POSIX seconds).
    pub fn not_before(&self) -> u64 {
        self.not_before
    }

    /// End of validity (POSIX seconds), inclusive.
    pub fn not_after(&self) -> u64 {
        self.not_after
    }

    /// The subject public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The extended key usage purposes as dotted OIDs; `None` when there is no such extension.
    pub fn extended_key_usage(&self) -> Option<&[String]> {
        self.extended_key_usage.as_deref()
    }

    /// The subject's country (`C`), or `""`.
    pub fn country(&self) -> &str {
        &self.country
    }

    /// The subject's organisation (`O`), else its common name (`CN`), else `""`.
    pub fn organisation(&self) -> &str {
        &self.organisation
    }

    /// SHA-256 of the DER certificate.
    pub fn sha256(&self) -> [u8; 32] {
        Sha256::digest(&self.der).into()
    }
}

const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;
const OID: u8 = 0x06;
const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
const BOOLEAN: u8 = 0x01;

fn malformed(reason: &'static str) -> Error {
    Error::CertificateMalformed { reason }
}

/// A DER reader over one level of TLVs.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn byte(&mut self) -> Result<u8, Error> {
        let b = self.peek().ok_or(malformed("truncated DER"))?;
        self.pos += 1;
        Ok(b)
    }

    /// One TLV: its tag and contents.
    fn any(&mut self) -> Result<(u8, &'a [u8]), Error> {
        let tag = self.byte()?;
        if tag & 0x1f == 0x1f {
            return Err(malformed("a multi-byte DER tag"));
        }
        let first = self.byte()?;
        let len = match first {
            0..=0x7f => usize::from(first),
            0x81..=0x84 => {
                let mut n = 0usize;
                for i in 0..(first & 0x7f) {
                    let b = self.byte()?;
                    if i == 0 && b == 0 {
                        return Err(malformed("a non-minimal DER length"));
                    }
                    n = (n << 8) | usize::from(b);
                }
                if n < 0x80 {
                    return Err(malformed("a non-minimal DER length"));
                }
                n
            }
            _ => return Err(malformed("an indefinite or oversized DER length")),
        };
        let end = self.pos.checked_add(len).ok_or(malformed("truncated DER"))?;
        let body = self.bytes.get(self.pos..end).ok_or(malformed("truncated DER"))?;
        self.pos = end;
        Ok((tag, body))
    }

    fn expect(&mut self, tag: u8) -> Result<&'a [u8], Error> {
        match self.any()? {
            (t, body) if t == tag => Ok(body),
            _ => Err(malformed("an unexpected DER tag")),
        }
    }

    fn end(&self) -> Result<(), Error> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(malformed("trailing DER data"))
        }
    }

    /// UTCTime (years 1950–2049) or GeneralizedTime, both `…Z` to the second (RFC 5280
    /// §4.1.2.5).
    fn time(&mut self) -> Result<u64, Error> {
        let (tag, body) = self.any()?;
        let text = core::str::from_utf8(body).map_err(|_| malformed("a time is not ASCII"))?;
        let digits = text.strip_suffix('Z').ok_or(malformed("a time is not in UTC"))?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed("a time is not YYMMDDHHMMSSZ"));
        }
        let full = match (tag, digits.len()) {
            (UTC_TIME, 12) => {
                let yy: u32 = digits.get(..2).and_then(|y| y.parse().ok()).unwrap_or(0);
                format!("{}{digits}", if yy >= 50 { "19" } else { "20" })
            }
            (GENERALIZED_TIME, 14) => digits.to_owned(),
            _ => return Err(malformed("a time is not UTCTime or GeneralizedTime to the second")),
        };
        let part = |r: core::ops::Range<usize>| full.get(r).unwrap_or("00");
        let rfc3339 = format!(
            "{}-{}-{}T{}:{}:{}Z",
            part(0..4),
            part(4..6),
            part(6..8),
            part(8..10),
            part(10..12),
            part(12..14)
        );
        crate::time::parse(&rfc3339).ok_or(malformed("a time is not a valid date after 1970"))
    }
}

/// `C` and `O` (or `CN`) from a Name (RFC 5280 §4.1.2.4).
fn subject_names(name: &[u8]) -> Result<(String, String), Error> {
    let (mut country, mut organisation, mut common_name) = (None, None, None);
    let mut rdns = Reader::new(name);
    while rdns.peek().is_some() {
        let mut set = Reader::new(rdns.expect(SET)?);
        while set.peek().is_some() {
            let mut atv = Reader::new(set.expect(SEQUENCE)?);
            let oid = atv.expect(OID)?;
            let (_, value) = atv.any()?;
            let text = String::from_utf8_lossy(value).into_owned();
            match oid {
                AT_COUNTRY => country = country.or(Some(text)),
                AT_ORGANISATION => organisation = organisation.or(Some(text)),
                AT_COMMON_NAME => common_name = common_name.or(Some(text)),
                _ => {}
            }
        }
    }
    let clean = |s: String| s.chars().filter(|c| !c.is_control()).collect::<String>();
    Ok((
        clean(country.unwrap_or_default()),
        clean(organisation.or(common_name).unwrap_or_default()),
    ))
}

/// The key of a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7; RFC 5480 §2; RFC 8017 §A.1.1).
fn subject_public_key(spki: &[u8]) -> Result<PublicKey, Error> {
    let mut r = Reader::new(spki);
    let mut algorithm = Reader::new(r.expect(SEQUENCE)?);
    let bits = r.expect(BIT_STRING)?;
    r.end()?;
    let key = match bits.split_first() {
        Some((0, key)) => key,
        _ => return Err(malformed("the public key bit string has unused bits")),
    };
    let oid = algorithm.expect(OID)?;
    match oid {
        EC_PUBLIC_KEY => {
            if algorithm.expect(OID)? != PRIME256V1 {
                return Err(malformed("an EC key on a curve other than P-256"));
            }
            algorithm.end()?;
            PublicKey::p256_from_sec1(key)
        }
        RSA_ENCRYPTION | RSASSA_PSS => {
            let mut seq = Reader::new(Reader::new(key).expect(SEQUENCE)?);
            let n = seq.expect(INTEGER)?;
            let e = seq.expect(INTEGER)?;
            seq.end()?;
            PublicKey::rsa_from_components(n, e)
        }
        _ => Err(malformed("the key is neither EC nor RSA")),
    }
}

/// The extended key usage purposes in `[3] Extensions` (RFC 5280 §4.2.1.12).
fn eku(explicit: &[u8]) -> Result<Option<Vec<String>>, Error> {
    let mut outer = Reader::new(explicit);
    let mut extensions = Reader::new(outer.expect(SEQUENCE)?);
    outer.end()?;
    let mut found = None;
    while extensions.peek().is_some() {
        let mut ext = Reader::new(extensions.expect(SEQUENCE)?);
        let oid = ext.expect(OID)?;
        if ext.peek() == Some(BOOLEAN) {
            ext.expect(BOOLEAN)?;
        }
        let value = ext.expect(OCTET_STRING)?;
        ext.end()?;
        if oid == EXT_KEY_USAGE {
            if found.is_some() {
                return Err(malformed("two extended key usage extensions"));
            }
            let mut purposes = Reader::new(Reader::new(value).expect(SEQUENCE)?);
            let mut list = Vec::new();
            while purposes.peek().is_some() {
                list.push(dotted(purposes.expect(OID)?)?);
            }
            found = Some(list);
        }
    }
    Ok(found)
}

/// The dotted form of a DER OID (X.690 §8.19).
fn dotted(oid: &[u8]) -> Result<String, Error> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut n: u64 = 0;
    for (i, &b) in oid.iter().enumerate() {
        if n == 0 && b == 0x80 {
            return Err(malformed("a non-minimal OID arc"));
        }
        n = n.checked_mul(128).ok_or(malformed("an OID arc is too large"))? | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (n / 40).min(2);
                arcs.push(first);
                arcs.push(n - first * 40);
            } else {
                arcs.push(n);
            }
            n = 0;
        } else if i + 1 == oid.len() {
            return Err(malformed("a truncated OID"));
        }
    }
    if arcs.is_empty() {
        return Err(malformed("an empty OID"));
    }
    Ok(arcs.iter().map(u64::to_string).collect::<Vec<_>>().join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids() {
        assert_eq!(dotted(EXT_KEY_USAGE).unwrap(), "2.5.29.37");
        assert_eq!(dotted(PRIME256V1).unwrap(), "1.2.840.10045.3.1.7");
        let hcert = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x8e, 0x37, 0x8f, 0x65, 0x01, 0x02];
        assert_eq!(dotted(&hcert).unwrap(), "1.3.6.1.4.1.1847.2021.1.2");
        assert!(dotted(&[0x2b, 0x86]).is_err());
        assert!(dotted(&[0x2b, 0x80, 0x01]).is_err());
    }

    #[test]
    fn refuses_non_der() {
        for bad in [&[][..], &[0x30], &[0x30, 0x80, 0, 0], &[0x30, 0x81, 0x01, 0], &[0x30, 0, 0]] {
            assert_eq!(Certificate::from_der(bad).unwrap_err().code(), "certificate-malformed");
        }
    }
}
