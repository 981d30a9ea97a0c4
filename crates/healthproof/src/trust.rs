//! The HealthProof trust list: which issuers, logs and witnesses a verifier trusts.
//!
//! A trust list is a c2sp.org/signed-note whose text is line based (the format is specified
//! in `docs/FORMAT.md` §Trust list):
//!
//! ```text
//! healthproof/trust-list/v1
//! sequence 7
//! issued 1793491200
//! signer <vkey>                      keys allowed to sign the next trust list
//! log <vkey>                         c2sp.org/tlog-policy lines: logs, witnesses, quorum
//! witness <name> <vkey>
//! group <name> <k> <name>...
//! quorum <name>
//! issuer <kid> <CC> <not-before> <not-after> <base64 Ed25519 key> <organisation>
//! revoked <kid> <time> <reason>
//! dsc <CC> <base64 DER>              an EU DCC (HCERT) Document Signer Certificate
//! shc-key <iss> <kid> <x> <y> [<crl-version>]    a SMART Health Card issuer's ES256 key
//! shc-revoked <kid> <rid>[.<time>]   an entry of that key's revocation list
//! ```
//!
//! Times are POSIX seconds; `CC` is an ISO 3166-1 alpha-2 code. A list is accepted only when
//! signed by a key the verifier already allows (the `signer` keys of the last accepted list,
//! or keys it ships with), and when its `sequence` is not below the last one accepted
//! (rollback protection).

use crate::checkpoint::parse_decimal;
use crate::ed25519::PublicKey;
#[cfg(feature = "interop")]
use crate::jwk::Jwk;
use crate::note::{self, KeyType, Note, VerifierKey};
use crate::policy::Policy;
#[cfg(feature = "interop")]
use crate::shc::Revocation;
#[cfg(feature = "interop")]
use crate::x509::Certificate;
use crate::{base64, Error};

/// The first line of every trust list.
pub const HEADER: &str = "healthproof/trust-list/v1";
/// The largest trust list accepted, in bytes: room for a few thousand DCC signer certificates.
pub const MAX_TRUST_LIST: usize = 8 << 20;
/// The most `dsc`, `shc-key` and `shc-revoked` lines a trust list may hold, together.
pub const MAX_INTEROP_LINES: usize = 100_000;

/// An EU DCC Document Signer Certificate (HCERT §3.3.1) trusted for one country.
#[cfg(feature = "interop")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dsc {
    /// ISO 3166-1 alpha-2 code of the country whose CSCA issued it.
    pub country: String,
    /// The HCERT key ID: the first 8 bytes of SHA-256 of the DER certificate.
    pub kid: [u8; 8],
    /// The certificate.
    pub certificate: Certificate,
}

/// A SMART Health Card issuer key, with its revocation list.
#[cfg(feature = "interop")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShcKey {
    /// The issuer (`iss`), an https URL.
    pub iss: String,
    /// The ES256 key; its `kid` is its RFC 7638 thumbprint.
    pub key: Jwk,
    /// The entries of its revocation list.
    pub revoked: Vec<Revocation>,
}
/// The longest key ID accepted.
pub const MAX_KID: usize = 128;

/// A trusted issuer key, with its validity window and standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// The key ID records name in their `kid` header.
    pub kid: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The issuing organisation.
    pub organisation: String,
    /// The Ed25519 public key.
    pub public_key: PublicKey,
    /// Records may be issued from this time on (POSIX seconds).
    pub not_before: u64,
    /// …and until this time.
    pub not_after: u64,
    /// When and why the key was revoked, if it was.
    pub revoked: Option<(u64, String)>,
}

/// A trust list whose signature and sequence have been verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    sequence: u64,
    issued: u64,
    signers: Vec<VerifierKey>,
    policy: Policy,
    issuers: Vec<Issuer>,
    #[cfg(feature = "interop")]
    dscs: Vec<Dsc>,
    #[cfg(feature = "interop")]
    shc_keys: Vec<ShcKey>,
}

impl TrustList {
    /// Verifies a signed trust list.
    ///
    /// `allowed_signers` are the keys allowed to sign it; `min_sequence` is the highest
    /// sequence number already accepted (0 if none).
    ///
    /// # Errors
    /// Note errors; [`Error::TrustListSignerUnknown`] when no allowed key signed it;
    /// [`Error::TrustListMalformed`]; [`Error::TrustListRollback`].
    pub fn verify(
        note_bytes: &[u8],
        allowed_signers: &[VerifierKey],
        min_sequence: u64,
    ) -> Result<TrustList, Error> {
        if note_bytes.len() > MAX_TRUST_LIST {
            return Err(Error::TooLarge { what: "a trust list", limit: MAX_TRUST_LIST });
        }
        let note = Note::parse_with_limit(note_bytes, MAX_TRUST_LIST)?;
        let verified = note::verify(&note, allowed_signers).map_err(|e| match e {
            Error::KeyUnknown => Error::TrustListSignerUnknown,
            other => other,
        })?;
        let list = TrustList::parse_text(verified.text())?;
        if list.sequence < min_sequence {
            return Err(Error::TrustListRollback { sequence: list.sequence, seen: min_sequence });
        }
        Ok(list)
    }

    fn parse_text(text: &str) -> Result<TrustList, Error> {
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        if lines.next().map(|(_, l)| l) != Some(HEADER) {
            return Err(malformed("the first line is not healthproof/trust-list/v1", 1));
        }
        let mut sequence = None;
        let mut issued = None;
        let mut signers = Vec::new();
        let mut policy_text = String::new();
        let mut issuers: Vec<Issuer> = Vec::new();
        let mut revocations: Vec<(usize, String, u64, String)> = Vec::new();
        #[cfg(feature = "interop")]
        let mut dscs: Vec<Dsc> = Vec::new();
        #[cfg(feature = "interop")]
        let mut dsc_digests = std::collections::BTreeSet::new();
        #[cfg(feature = "interop")]
        let mut shc_keys: Vec<ShcKey> = Vec::new();
        let mut interop_lines = 0usize;
        for (n, line) in lines {
            if line.starts_with("dsc ") || line.starts_with("shc-") {
                interop_lines += 1;
                if interop_lines > MAX_INTEROP_LINES {
                    return Err(Error::TooLarge {
                        what: "interop trust lines",
                        limit: MAX_INTEROP_LINES,
                    });
                }
            }
            let (keyword, rest) = line.split_once(' ').unwrap_or((line, ""));
            match keyword {
                "sequence" if sequence.is_none() => sequence = Some(number(rest, n)?),
                "issued" if issued.is_none() => issued = Some(number(rest, n)?),
                "signer" => {
                    let key =
                        VerifierKey::parse(rest).map_err(|_| malformed("bad signer key", n))?;
                    if key.key_type() != KeyType::Ed25519 {
                        return Err(malformed("a signer key must be of type Ed25519", n));
                    }
                    signers.push(key);
                }
                "log" | "witness" | "group" | "quorum" => {
                    policy_text.push_str(line);
                    policy_text.push('\n');
                }
                "issuer" => {
                    let issuer = parse_issuer(rest, n)?;
                    if issuers.iter().any(|i| i.kid == issuer.kid) {
                        return Err(malformed("two issuers share a kid", n));
                    }
                    issuers.push(issuer);
                }
                "revoked" => {
                    let mut f = rest.splitn(3, ' ');
                    let (Some(kid), Some(time), Some(reason)) = (f.next(), f.next(), f.next())
                    else {
                        return Err(malformed("a revoked line needs kid, time and reason", n));
                    };
                    revocations.push((n, kid.to_owned(), number(time, n)?, reason.to_owned()));
                }
                #[cfg(feature = "interop")]
                "dsc" => {
                    let dsc = parse_dsc(rest, n)?;
                    if !dsc_digests.insert(dsc.certificate.sha256()) {
                        return Err(malformed("a signer certificate is listed twice", n));
                    }
                    dscs.push(dsc);
                }
                #[cfg(feature = "interop")]
                "shc-key" => {
                    let key = parse_shc_key(rest, n)?;
                    if shc_keys.iter().any(|k| k.key.kid == key.key.kid) {
                        return Err(malformed("two shc-key lines share a kid", n));
                    }
                    shc_keys.push(key);
                }
                #[cfg(feature = "interop")]
                "shc-revoked" => {
                    let (kid, entry) = rest
                        .split_once(' ')
                        .ok_or(malformed("an shc-revoked line needs kid and rid", n))?;
                    let entry = Revocation::parse(entry)
                        .map_err(|_| malformed("a revoked rid is malformed", n))?;
                    let key = shc_keys
                        .iter_mut()
                        .find(|k| k.key.kid == kid)
                        .ok_or(malformed("shc-revoked names no earlier shc-key", n))?;
                    if key.key.crl_version.is_none() {
                        return Err(malformed("shc-revoked names a key without a crl-version", n));
                    }
                    if key.revoked.iter().any(|r| r.rid == entry.rid) {
                        return Err(malformed("a rid is revoked twice", n));
                    }
                    key.revoked.push(entry);
                }
                // A build without EU DCC and SHC support reads these lines but ignores them.
                #[cfg(not(feature = "interop"))]
                "dsc" | "shc-key" | "shc-revoked" => {}
                "" => return Err(malformed("empty line", n)),
                _ => return Err(malformed("unknown or repeated line", n)),
            }
        }
        for (n, kid, time, reason) in revocations {
            let issuer = issuers
                .iter_mut()
                .find(|i| i.kid == kid)
                .ok_or(malformed("a revocation names an unknown kid", n))?;
            if issuer.revoked.is_some() {
                return Err(malformed("a key is revoked twice", n));
            }
            issuer.revoked = Some((time, reason));
        }
        let policy = Policy::parse(&policy_text).map_err(|e| match e {
            Error::PolicyMalformed { reason, .. } => malformed(reason, 0),
            other => other,
        })?;
        if signers.is_empty() {
            return Err(malformed("no signer line: the next trust list could never be signed", 0));
        }
        Ok(TrustList {
            sequence: sequence.ok_or(malformed("the sequence line is missing", 0))?,
            issued: issued.ok_or(malformed("the issued line is missing", 0))?,
            signers,
            policy,
            issuers,
            #[cfg(feature = "interop")]
            dscs,
            #[cfg(feature = "interop")]
            shc_keys,
        })
    }

    /// The monotonic sequence number.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// When the list was issued (POSIX seconds).
    pub fn issued(&self) -> u64 {
        self.issued
    }

    /// The keys allowed to sign the next trust list.
    pub fn signers(&self) -> &[VerifierKey] {
        &self.signers
    }

    /// The logs, witnesses and quorum to check ledger proofs against.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// All issuers.
    pub fn issuers(&self) -> &[Issuer] {
        &self.issuers
    }

    /// The issuer with this key ID.
    pub fn issuer(&self, kid: &str) -> Option<&Issuer> {
        self.issuers.iter().find(|i| i.kid == kid)
    }

    /// All DCC signer certificates.
    #[cfg(feature = "interop")]
    pub fn dscs(&self) -> &[Dsc] {
        &self.dscs
    }

    /// Every DCC signer certificate with this HCERT `kid` (several may share one).
    #[cfg(feature = "interop")]
    pub fn dscs_with_kid<'a>(&'a self, kid: &'a [u8]) -> impl Iterator<Item = &'a Dsc> + 'a {
        self.dscs.iter().filter(move |d| d.kid[..] == *kid)
    }

    /// All SMART Health Card issuer keys.
    #[cfg(feature = "interop")]
    pub fn shc_keys(&self) -> &[ShcKey] {
        &self.shc_keys
    }

    /// The SMART Health Card key of issuer `iss` with this `kid`.
    #[cfg(feature = "interop")]
    pub fn shc_key(&self, iss: &str, kid: &str) -> Option<&ShcKey> {
        self.shc_keys.iter().find(|k| k.iss == iss && k.key.kid == kid)
    }
}

#[cfg(feature = "interop")]
/// The trust-list line for a DCC signer certificate: `dsc <CC> <base64 DER>`.
///
/// # Errors
/// [`Error::CertificateMalformed`] when the DER is not a usable certificate;
/// [`Error::TrustListMalformed`] when the country is not two capital letters.
pub fn dsc_line(country: &str, der: &[u8]) -> Result<String, Error> {
    if !is_country(country) {
        return Err(malformed("the country is not an ISO 3166-1 alpha-2 code", 0));
    }
    Certificate::from_der(der)?;
    Ok(format!("dsc {country} {}", base64::encode(der)))
}

/// The trust-list lines for a SMART Health Card issuer key and its revocation entries.
#[cfg(feature = "interop")]
pub fn shc_lines(iss: &str, key: &Jwk, revoked: &[Revocation]) -> Vec<String> {
    let crl = key.crl_version.map(|v| format!(" {v}")).unwrap_or_default();
    let mut lines = vec![format!("shc-key {iss} {} {} {}{crl}", key.kid, key.x, key.y)];
    lines.extend(revoked.iter().map(|r| format!("shc-revoked {} {r}", key.kid)));
    lines
}

#[cfg(feature = "interop")]
fn is_country(cc: &str) -> bool {
    cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(feature = "interop")]
fn parse_dsc(rest: &str, n: usize) -> Result<Dsc, Error> {
    let (country, der) =
        rest.split_once(' ').ok_or(malformed("a dsc line needs country and certificate", n))?;
    if !is_country(country) {
        return Err(malformed("the country is not an ISO 3166-1 alpha-2 code", n));
    }
    let der = base64::decode(der).ok_or(malformed("the certificate is not canonical base64", n))?;
    let certificate =
        Certificate::from_der(&der).map_err(|_| malformed("the certificate is unusable", n))?;
    let digest = certificate.sha256();
    let mut kid = [0u8; 8];
    kid.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
    Ok(Dsc { country: country.to_owned(), kid, certificate })
}

#[cfg(feature = "interop")]
fn parse_shc_key(rest: &str, n: usize) -> Result<ShcKey, Error> {
    let f: Vec<&str> = rest.split(' ').collect();
    let (iss, kid, x, y, crl) = match f.as_slice() {
        [iss, kid, x, y] => (*iss, *kid, *x, *y, None),
        [iss, kid, x, y, v] => {
            let v = parse_decimal(v).filter(|&v| v > 0);
            (*iss, *kid, *x, *y, Some(v.ok_or(malformed("bad crl-version", n))?))
        }
        _ => return Err(malformed("an shc-key line needs iss, kid, x, y [crl-version]", n)),
    };
    if !iss.starts_with("https://") || iss.ends_with('/') || iss.chars().any(char::is_control) {
        return Err(malformed("the issuer is not an https URL without a final /", n));
    }
    let key = Jwk::from_coordinates(x, y, crl).map_err(|_| malformed("bad shc-key key", n))?;
    if key.kid != kid {
        return Err(malformed("the shc-key kid is not the key's RFC 7638 thumbprint", n));
    }
    Ok(ShcKey { iss: iss.to_owned(), key, revoked: Vec::new() })
}

fn malformed(reason: &'static str, line: usize) -> Error {
    Error::TrustListMalformed { reason, line }
}

fn number(text: &str, line: usize) -> Result<u64, Error> {
    parse_decimal(text).ok_or(malformed("not a decimal number without leading zeroes", line))
}

fn parse_issuer(rest: &str, n: usize) -> Result<Issuer, Error> {
    let mut f = rest.splitn(6, ' ');
    let (Some(kid), Some(country), Some(nbf), Some(naf), Some(key), Some(organisation)) =
        (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
    else {
        return Err(malformed(
            "an issuer line needs kid, country, two times, key, organisation",
            n,
        ));
    };
    if kid.is_empty() || kid.len() > MAX_KID || kid.chars().any(char::is_control) {
        return Err(malformed("bad issuer kid", n));
    }
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(malformed("the country is not an ISO 3166-1 alpha-2 code", n));
    }
    let (not_before, not_after) = (number(nbf, n)?, number(naf, n)?);
    if not_before > not_after {
        return Err(malformed("not-before is after not-after", n));
    }
    let bytes =
        base64::decode(key).ok_or(malformed("the issuer key is not canonical base64", n))?;
    let public_key = PublicKey::from_bytes(&bytes).map_err(|_| malformed("bad issuer key", n))?;
    if organisation.trim().is_empty() {
        return Err(malformed("the organisation is empty", n));
    }
    Ok(Issuer {
        kid: kid.to_owned(),
        country: country.to_owned(),
        organisation: organisation.to_owned(),
        public_key,
        not_before,
        not_after,
        revoked: None,
    })
}
