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
//! ```
//!
//! Times are POSIX seconds; `CC` is an ISO 3166-1 alpha-2 code. A list is accepted only when
//! signed by a key the verifier already allows (the `signer` keys of the last accepted list,
//! or keys it ships with), and when its `sequence` is not below the last one accepted
//! (rollback protection).

use crate::checkpoint::parse_decimal;
use crate::ed25519::PublicKey;
use crate::note::{self, KeyType, Note, VerifierKey};
use crate::policy::Policy;
use crate::{base64, Error};

/// The first line of every trust list.
pub const HEADER: &str = "healthproof/trust-list/v1";
/// The largest trust list accepted, in bytes.
pub const MAX_TRUST_LIST: usize = note::MAX_NOTE_SIZE;
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
        let note = Note::parse(note_bytes)?;
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
        for (n, line) in lines {
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
