//! Verifying a HealthProof record presentation into one [`Report`].
//!
//! A record is genuine only when its format, its issuer's standing, its signature, every
//! disclosure, its ledger entry and the witnesses all agree. [`verify`] runs every check it
//! can, in order, and reports each with a stable id and an [`Outcome`]; a check that cannot
//! run because an earlier one failed is [`Outcome::NotApplicable`]. The verdict is
//! *verified* only when nothing failed and nothing warned.
//!
//! Time is passed in (`Options::now`, POSIX seconds). The ledger proves when a record was
//! logged: the time by which a quorum of witnesses had seen a tree containing it. So a key
//! revoked *after* that time still vouches for the record, which no signature alone can show.

use std::cell::RefCell;

use crate::ed25519;
use crate::ips::{self, Content};
use crate::json::{Object, Value};
use crate::merkle;
use crate::note::VerifierKey;
use crate::policy::Cosigner;
use crate::presentation::Presentation;
use crate::sd_jwt;
use crate::status::{StatusList, StatusReference};
use crate::trust::{Issuer, TrustList};
use crate::Error;

/// The `vct` of a HealthProof IPS record, version 1.
pub const VCT: &str = "https://healthproof.example/vct/ips/v1";
/// The JWS `typ` of a HealthProof record.
pub const TYP: &str = "hp-ips+sd-jwt";

/// How a verification is to be judged.
#[derive(Debug, Clone)]
pub struct Options {
    /// The current time (POSIX seconds).
    pub now: u64,
    /// Keys allowed to sign the trust list: those of the last accepted list, or built in.
    pub trust_list_signers: Vec<VerifierKey>,
    /// The highest trust-list sequence number already accepted (rollback protection).
    pub min_trust_list_sequence: u64,
    /// Warn when the trust list is older than this (seconds).
    pub max_trust_list_age: u64,
    /// Warn when the newest cosignature is older than this (seconds).
    pub max_checkpoint_age: u64,
    /// Warn when the record was logged this long after its `iat` (seconds).
    pub max_log_delay: u64,
    /// Tolerated clock difference for times in the future (seconds).
    pub clock_skew: u64,
    /// Status list tokens the verifier holds (none when offline).
    pub status_lists: Vec<String>,
}

impl Options {
    /// Defaults for `now`: trust list 90 days, checkpoint 400 days, logging delay 7 days,
    /// skew 5 minutes, no status lists.
    pub fn new(now: u64, trust_list_signers: Vec<VerifierKey>) -> Options {
        Options {
            now,
            trust_list_signers,
            min_trust_list_sequence: 0,
            max_trust_list_age: 90 * 86_400,
            max_checkpoint_age: 400 * 86_400,
            max_log_delay: 7 * 86_400,
            clock_skew: 300,
            status_lists: Vec::new(),
        }
    }
}

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed.
    Verified,
    /// No check failed, but some deserve attention.
    VerifiedWithWarnings,
    /// At least one check failed.
    NotVerified,
}

impl Verdict {
    /// `verified`, `verified-with-warnings` or `not-verified`.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::VerifiedWithWarnings => "verified-with-warnings",
            Verdict::NotVerified => "not-verified",
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It held.
    Passed,
    /// It did not hold; the record is not verified.
    Failed,
    /// It held, with something the reader should know.
    Warning,
    /// It could not or need not run.
    NotApplicable,
}

impl Outcome {
    /// `passed`, `failed`, `warning` or `not-applicable`.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Warning => "warning",
            Outcome::NotApplicable => "not-applicable",
        }
    }
}

/// One check of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Stable id: `format`, `trust-list`, `issuer-known`, `signature`, `disclosures`,
    /// `checkpoint-signature`, `witness-quorum`, `inclusion-proof`, `key-valid`,
    /// `key-not-revoked`, `issued-at`, `checkpoint-freshness`, `trust-list-freshness`,
    /// `status`.
    pub id: &'static str,
    /// What happened.
    pub outcome: Outcome,
    /// For a failure or warning, the stable code of why (an [`Error::code`] or a warning code).
    pub code: Option<&'static str>,
    /// A sentence for people, in English; UIs translate from `id`, `outcome` and `code`.
    pub message: String,
}

/// Who issued the record, from the trust list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerSummary {
    /// The key ID.
    pub kid: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// The organisation.
    pub organisation: String,
}

/// What the ledger proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSummary {
    /// The log's origin.
    pub origin: String,
    /// The checkpoint's tree size.
    pub tree_size: u64,
    /// The entry's index.
    pub leaf_index: u64,
    /// The witnesses that cosigned, with times.
    pub cosigners: Vec<Cosigner>,
    /// The quorum required.
    pub quorum: usize,
    /// When a quorum of witnesses had seen the entry (POSIX seconds), if timestamps allow.
    pub logged_by: Option<u64>,
}

/// The trust list used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustListSummary {
    /// Its sequence number.
    pub sequence: u64,
    /// When it was issued.
    pub issued: u64,
    /// Its age at verification time, in seconds.
    pub age: u64,
}

/// Which kind of document a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A HealthProof presentation (`healthproof/v1`).
    HealthProof,
    /// An EU Digital COVID Certificate (`HC1:`), see [`crate::hcert`].
    Hcert,
    /// A SMART Health Card (`shc:/`, JWS or `.smart-health-card`), see [`crate::shc`].
    SmartHealthCard,
}

impl Kind {
    /// `healthproof`, `hcert` or `smart-health-card`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::HealthProof => "healthproof",
            Kind::Hcert => "hcert",
            Kind::SmartHealthCard => "smart-health-card",
        }
    }
}

/// The full result of verifying a presentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The kind of document.
    pub kind: Kind,
    /// The overall verdict.
    pub verdict: Verdict,
    /// Every check, in a fixed order.
    pub checks: Vec<Check>,
    /// The issuer, when known.
    pub issuer: Option<IssuerSummary>,
    /// The record's `iat`.
    pub issued_at: Option<u64>,
    /// The ledger facts, when the proof verified.
    pub ledger: Option<LedgerSummary>,
    /// The trust list, when it verified.
    pub trust_list: Option<TrustListSummary>,
    /// The disclosed content, when signature and disclosures verified.
    pub content: Option<Content>,
    /// The document's expiry time (`exp`), for documents that have one.
    pub expires_at: Option<u64>,
}

impl Report {
    /// The first failed check, if any.
    pub fn failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.outcome == Outcome::Failed)
    }
}

impl Report {
    /// The report as JSON, with camelCase names: the one shape the CLI prints and the
    /// JavaScript API returns (see `docs/FORMAT.md` §Report).
    pub fn to_json(&self) -> Value {
        let mut o = Object::default();
        let put = |o: &mut Object, k: &str, v: Value| {
            o.insert(k.to_owned(), v);
        };
        let s = |t: &str| Value::String(t.to_owned());
        let n = Value::from;
        let opt = |x: Option<u64>| x.map_or(Value::Null, n);
        put(&mut o, "verdict", s(self.verdict.code()));
        let checks = self
            .checks
            .iter()
            .map(|c| {
                let mut m = Object::default();
                put(&mut m, "id", s(c.id));
                put(&mut m, "outcome", s(c.outcome.code()));
                put(&mut m, "code", c.code.map_or(Value::Null, s));
                put(&mut m, "message", s(&c.message));
                Value::Object(m)
            })
            .collect();
        put(&mut o, "checks", Value::Array(checks));
        put(
            &mut o,
            "issuer",
            self.issuer.as_ref().map_or(Value::Null, |i| {
                let mut m = Object::default();
                put(&mut m, "kid", s(&i.kid));
                put(&mut m, "country", s(&i.country));
                put(&mut m, "organisation", s(&i.organisation));
                Value::Object(m)
            }),
        );
        put(&mut o, "issuedAt", opt(self.issued_at));
        put(
            &mut o,
            "ledger",
            self.ledger.as_ref().map_or(Value::Null, |l| {
                let mut m = Object::default();
                put(&mut m, "origin", s(&l.origin));
                put(&mut m, "treeSize", n(l.tree_size));
                put(&mut m, "leafIndex", n(l.leaf_index));
                put(&mut m, "quorum", n(l.quorum as u64));
                put(&mut m, "loggedBy", opt(l.logged_by));
                let cosigners = l
                    .cosigners
                    .iter()
                    .map(|c| {
                        let mut w = Object::default();
                        put(&mut w, "name", s(&c.name));
                        put(&mut w, "keyName", s(&c.key_name));
                        put(&mut w, "timestamp", opt(c.timestamp));
                        Value::Object(w)
                    })
                    .collect();
                put(&mut m, "cosigners", Value::Array(cosigners));
                Value::Object(m)
            }),
        );
        put(
            &mut o,
            "trustList",
            self.trust_list.as_ref().map_or(Value::Null, |t| {
                let mut m = Object::default();
                put(&mut m, "sequence", n(t.sequence));
                put(&mut m, "issued", n(t.issued));
                put(&mut m, "age", n(t.age));
                Value::Object(m)
            }),
        );
        put(
            &mut o,
            "content",
            self.content.as_ref().map_or(Value::Null, |c| {
                let mut m = Object::default();
                let mut patient = Object::default();
                for (k, v) in &c.patient {
                    put(&mut patient, k, v.clone());
                }
                put(&mut m, "patient", Value::Object(patient));
                let sections = c
                    .sections
                    .iter()
                    .map(|sec| {
                        let mut w = Object::default();
                        put(&mut w, "key", s(&sec.key));
                        put(&mut w, "code", s(&sec.code));
                        put(&mut w, "title", s(&sec.title));
                        put(&mut w, "text", s(&sec.text));
                        put(&mut w, "entries", Value::Array(sec.entries.clone()));
                        Value::Object(w)
                    })
                    .collect();
                put(&mut m, "sections", Value::Array(sections));
                Value::Object(m)
            }),
        );
        put(&mut o, "kind", s(self.kind.code()));
        put(&mut o, "expiresAt", opt(self.expires_at));
        Value::Object(o)
    }
}

pub(crate) const CHECK_ORDER: &[&str] = &[
    "format",
    "trust-list",
    "issuer-known",
    "signature",
    "disclosures",
    "checkpoint-signature",
    "witness-quorum",
    "inclusion-proof",
    "key-valid",
    "key-not-revoked",
    "issued-at",
    "checkpoint-freshness",
    "trust-list-freshness",
    "status",
];

/// Collects checks into a report; every check of `order` is reported, in that order.
pub(crate) struct Builder {
    checks: Vec<Check>,
    order: &'static [&'static str],
}

impl Builder {
    pub(crate) fn new(order: &'static [&'static str]) -> Builder {
        Builder { checks: Vec::new(), order }
    }

    /// An empty report of `kind`, to be filled in and finished.
    pub(crate) fn report(kind: Kind) -> Report {
        Report {
            kind,
            verdict: Verdict::NotVerified,
            checks: Vec::new(),
            issuer: None,
            issued_at: None,
            ledger: None,
            trust_list: None,
            content: None,
            expires_at: None,
        }
    }

    pub(crate) fn pass(&mut self, id: &'static str, message: String) {
        self.checks.push(Check { id, outcome: Outcome::Passed, code: None, message });
    }
    pub(crate) fn fail(&mut self, id: &'static str, error: &Error) {
        self.checks.push(Check {
            id,
            outcome: Outcome::Failed,
            code: Some(error.code()),
            message: error.to_string(),
        });
    }
    /// Records check `id` from `result`: passed with `message(&value)`, or failed with the
    /// error. Returns the value when it passed, so a caller stops at `None`.
    pub(crate) fn step<T>(
        &mut self,
        id: &'static str,
        result: Result<T, Error>,
        message: impl FnOnce(&T) -> String,
    ) -> Option<T> {
        match result {
            Ok(value) => {
                self.pass(id, message(&value));
                Some(value)
            }
            Err(e) => {
                self.fail(id, &e);
                None
            }
        }
    }
    pub(crate) fn warn(&mut self, id: &'static str, code: &'static str, message: String) {
        self.checks.push(Check { id, outcome: Outcome::Warning, code: Some(code), message });
    }
    pub(crate) fn skip(&mut self, id: &'static str, message: &str) {
        self.checks.push(Check {
            id,
            outcome: Outcome::NotApplicable,
            code: None,
            message: message.to_owned(),
        });
    }
    /// Finishes: every check not yet recorded is not applicable; the verdict follows.
    pub(crate) fn finish(mut self, report: Report) -> Report {
        for id in self.order {
            if !self.checks.iter().any(|c| c.id == *id) {
                self.skip(id, "not checked: an earlier check failed");
            }
        }
        let order = self.order;
        self.checks.sort_by_key(|c| order.iter().position(|id| *id == c.id));
        let verdict = if self.checks.iter().any(|c| c.outcome == Outcome::Failed) {
            Verdict::NotVerified
        } else if self.checks.iter().any(|c| c.outcome == Outcome::Warning) {
            Verdict::VerifiedWithWarnings
        } else {
            Verdict::Verified
        };
        Report { verdict, checks: self.checks, ..report }
    }
}

/// Verifies a presentation against a signed trust list.
///
/// Never fails: every problem becomes a failed check in the report.
pub fn verify(presentation: &[u8], trust_list: &[u8], options: &Options) -> Report {
    let mut b = Builder::new(CHECK_ORDER);
    let mut report = Builder::report(Kind::HealthProof);

    let parsed = Presentation::parse(presentation).and_then(|p| {
        let jwt = p.sd_jwt().jwt();
        if jwt.header_str("typ") != Some(TYP) {
            return Err(Error::RecordMalformed { reason: "the JWS typ is not hp-ips+sd-jwt" });
        }
        jwt.check_algorithm()?;
        Ok(p)
    });
    let format = "a HealthProof presentation: SD-JWT record and ledger proof";
    let Some(presentation) = b.step("format", parsed, |_| format.into()) else {
        return b.finish(report);
    };

    let Some(trust) = check_trust_list(&mut b, &mut report, trust_list, options) else {
        return b.finish(report);
    };

    let jwt = presentation.sd_jwt().jwt();
    let kid = jwt.header_str("kid").unwrap_or_default();
    let Some(issuer) = trust.issuer(kid) else {
        b.fail("issuer-known", &Error::IssuerUnknown { kid: kid.to_owned() });
        return b.finish(report);
    };
    report.issuer = Some(IssuerSummary {
        kid: issuer.kid.clone(),
        country: issuer.country.clone(),
        organisation: issuer.organisation.clone(),
    });
    b.pass("issuer-known", format!("{} ({})", issuer.organisation, issuer.country));

    if let Err(e) = jwt.verify(&issuer.public_key) {
        b.fail("signature", &e);
        return b.finish(report);
    }
    b.pass("signature", format!("signed with key {}", issuer.kid));

    let processed = sd_jwt::process(presentation.sd_jwt()).and_then(|claims| {
        let iat = record_claims(&claims)?;
        let content = ips::content(&claims)?;
        Ok((claims, iat, content))
    });
    let claims = match processed {
        Ok((claims, iat, content)) => {
            let n = presentation.sd_jwt().disclosures().len();
            b.pass("disclosures", format!("{n} disclosures match the signed digests"));
            report.issued_at = Some(iat);
            report.content = Some(content);
            claims
        }
        Err(e) => {
            b.fail("disclosures", &e);
            return b.finish(report);
        }
    };
    let iat = report.issued_at.unwrap_or_default();

    let ledger = check_ledger(&mut b, &presentation, &trust, options);
    report.ledger = ledger.clone();
    let logged_by = ledger.as_ref().and_then(|l| l.logged_by);
    check_key(&mut b, issuer, iat, logged_by, options);
    check_status(&mut b, &claims, issuer, options);
    b.finish(report)
}

/// The `trust-list` and `trust-list-freshness` checks, shared by every kind of document.
pub(crate) fn check_trust_list(
    b: &mut Builder,
    report: &mut Report,
    trust_list: &[u8],
    options: &Options,
) -> Option<TrustList> {
    match verified_trust_list(
        trust_list,
        &options.trust_list_signers,
        options.min_trust_list_sequence,
    ) {
        Ok(t) => {
            b.pass(
                "trust-list",
                format!("trust list {} is signed by an allowed key", t.sequence()),
            );
            let age = options.now.saturating_sub(t.issued());
            report.trust_list =
                Some(TrustListSummary { sequence: t.sequence(), issued: t.issued(), age });
            if age > options.max_trust_list_age {
                b.warn(
                    "trust-list-freshness",
                    "trust-list-stale",
                    format!("the trust list is {} days old", age / 86_400),
                );
            } else if t.issued() > options.now.saturating_add(options.clock_skew) {
                b.warn(
                    "trust-list-freshness",
                    "trust-list-future",
                    "the trust list is dated in the future".into(),
                );
            } else {
                b.pass(
                    "trust-list-freshness",
                    format!("the trust list is {} days old", age / 86_400),
                );
            }
            Some(t)
        }
        Err(e) => {
            b.fail("trust-list", &e);
            None
        }
    }
}

/// The last trust list [`verified_trust_list`] accepted, with what it was verified from.
struct TrustMemo {
    bytes: Vec<u8>,
    signers: Vec<VerifierKey>,
    min_sequence: u64,
    list: TrustList,
    /// The Ed25519 equations its signature check left to the caller ([`ed25519::deferred`]);
    /// empty when it was verified in full.
    equations: Vec<ed25519::Deferred>,
}

thread_local! {
    static TRUST_MEMO: RefCell<Option<TrustMemo>> = const { RefCell::new(None) };
}

/// [`TrustList::verify`], remembering the last list it accepted: a reader verifies many
/// documents against one trust list, and parsing it (keys decoded, certificates read) and
/// checking its signature are a fifth of a verification. The same bytes, signers and minimum
/// sequence give the same list. A list accepted with its equation deferred is reused only in
/// a deferred run, whose caller is given that equation again to check; a full verification
/// never reuses it.
fn verified_trust_list(
    bytes: &[u8],
    signers: &[VerifierKey],
    min_sequence: u64,
) -> Result<TrustList, Error> {
    let deferring = ed25519::is_deferring();
    let hit = TRUST_MEMO.with(|memo| {
        memo.borrow().as_ref().and_then(|m| {
            let same = m.min_sequence == min_sequence && m.signers == signers && m.bytes == bytes;
            (same && (deferring || m.equations.is_empty())).then(|| {
                ed25519::defer_again(&m.equations);
                m.list.clone()
            })
        })
    });
    if let Some(list) = hit {
        return Ok(list);
    }
    let (result, equations) = if deferring {
        let (result, equations) =
            ed25519::deferred(|| TrustList::verify(bytes, signers, min_sequence));
        ed25519::defer_again(&equations);
        (result, equations)
    } else {
        (TrustList::verify(bytes, signers, min_sequence), Vec::new())
    };
    let list = result?;
    TRUST_MEMO.with(|memo| {
        *memo.borrow_mut() = Some(TrustMemo {
            bytes: bytes.to_vec(),
            signers: signers.to_vec(),
            min_sequence,
            list: list.clone(),
            equations,
        });
    });
    Ok(list)
}

/// Checks the record's own claims; returns `iat`.
fn record_claims(claims: &Object) -> Result<u64, Error> {
    let malformed = |reason| Error::RecordMalformed { reason };
    if claims.get("vct").and_then(Value::as_str) != Some(VCT) {
        return Err(malformed("the vct is not a HealthProof IPS record"));
    }
    claims.get("iss").and_then(Value::as_str).ok_or(malformed("there is no iss"))?;
    claims
        .get("iat")
        .and_then(Value::as_number)
        .and_then(|n| n.as_u64())
        .ok_or(malformed("iat is not a time"))
}

fn check_ledger(
    b: &mut Builder,
    p: &Presentation,
    trust: &TrustList,
    options: &Options,
) -> Option<LedgerSummary> {
    let proof = p.proof();
    let checkpoint = match trust.policy().verify_checkpoint_note(proof.checkpoint()) {
        Ok(c) => {
            b.pass("checkpoint-signature", format!("signed by log {}", c.checkpoint.origin()));
            b.pass(
                "witness-quorum",
                format!("{} of the required {} witnesses cosigned", c.cosigners.len(), c.quorum),
            );
            c
        }
        Err(e @ Error::QuorumUnsatisfied { .. }) => {
            b.pass("checkpoint-signature", "signed by a trusted log".into());
            b.fail("witness-quorum", &e);
            return None;
        }
        Err(e) => {
            b.fail("checkpoint-signature", &e);
            return None;
        }
    };
    let cp = &checkpoint.checkpoint;
    let leaf_hash = merkle::leaf_hash(p.ledger_entry());
    if let Err(e) = merkle::verify_inclusion(
        &leaf_hash,
        proof.leaf_index(),
        cp.tree_size(),
        proof.hashes(),
        cp.root_hash(),
    ) {
        b.fail("inclusion-proof", &e);
        return None;
    }
    b.pass(
        "inclusion-proof",
        format!("entry {} of {} in {}", proof.leaf_index(), cp.tree_size(), cp.origin()),
    );

    let logged_by = trust.policy().quorum_time(&checkpoint.cosigners);
    let newest = checkpoint.cosigners.iter().filter_map(|c| c.timestamp).max();
    match newest.as_ref() {
        Some(&newest) if newest > options.now.saturating_add(options.clock_skew) => {
            b.warn(
                "checkpoint-freshness",
                "cosignature-future",
                "a witness cosigned in the future".into(),
            );
        }
        Some(&newest) if options.now.saturating_sub(newest) > options.max_checkpoint_age => b.warn(
            "checkpoint-freshness",
            "checkpoint-stale",
            format!(
                "the newest cosignature is {} days old",
                options.now.saturating_sub(newest) / 86_400
            ),
        ),
        Some(&newest) => b.pass(
            "checkpoint-freshness",
            format!("cosigned {} days ago", options.now.saturating_sub(newest) / 86_400),
        ),
        None => b.skip("checkpoint-freshness", "no witness timestamp to judge"),
    }
    Some(LedgerSummary {
        origin: cp.origin().to_owned(),
        tree_size: cp.tree_size(),
        leaf_index: proof.leaf_index(),
        cosigners: checkpoint.cosigners,
        quorum: checkpoint.quorum,
        logged_by,
    })
}

fn check_key(
    b: &mut Builder,
    issuer: &Issuer,
    iat: u64,
    logged_by: Option<u64>,
    options: &Options,
) {
    let skew = options.clock_skew;
    if iat > options.now.saturating_add(skew) {
        b.fail("issued-at", &Error::TimeInvalid { reason: "the record is issued in the future" });
    } else if logged_by.is_some_and(|t| iat > t.saturating_add(skew)) {
        b.fail(
            "issued-at",
            &Error::TimeInvalid { reason: "the record claims to be issued after it was logged" },
        );
    } else if let Some(t) = logged_by.filter(|&t| t.saturating_sub(iat) > options.max_log_delay) {
        b.warn(
            "issued-at",
            "logged-late",
            format!("logged {} days after its issue date: possibly back-dated", (t - iat) / 86_400),
        );
    } else {
        b.pass("issued-at", "issued before it was logged, not in the future".into());
    }

    if iat < issuer.not_before || iat > issuer.not_after {
        b.fail(
            "key-valid",
            &Error::KeyNotValid { reason: "the record's iat is outside the key's validity window" },
        );
    } else if logged_by.is_some_and(|t| t > issuer.not_after.saturating_add(options.max_log_delay))
    {
        b.fail(
            "key-valid",
            &Error::KeyNotValid { reason: "the record was logged after the key expired" },
        );
    } else {
        b.pass("key-valid", "issued within the key's validity window".into());
    }

    match (&issuer.revoked, logged_by) {
        (None, _) => b.pass("key-not-revoked", "the issuer key is not revoked".into()),
        (Some((at, reason)), Some(t)) if t < *at => b.warn(
            "key-not-revoked",
            "key-revoked-after-logging",
            format!(
                "the key was revoked on {} ({reason}), after the ledger proves the record existed on {}: the record stays valid",
                crate::time::rfc3339(*at),
                crate::time::rfc3339(t)
            ),
        ),
        (Some((at, reason)), _) => b.fail("key-not-revoked", &Error::KeyRevoked { revoked_at: *at, reason: reason.clone() }),
    }
}

fn check_status(b: &mut Builder, claims: &Object, issuer: &Issuer, options: &Options) {
    let Some(status) = claims.get("status") else {
        b.skip("status", "the record names no status list");
        return;
    };
    let reference = match StatusReference::from_claim(status) {
        Ok(r) => r,
        Err(e) => return b.fail("status", &e),
    };
    // Only the record's own issuer key speaks for its status: a list signed by another
    // issuer, however trusted, is not considered.
    let lists: Vec<StatusList> = options
        .status_lists
        .iter()
        .filter(|t| StatusList::kid(t).is_ok_and(|kid| kid == issuer.kid))
        .filter_map(|t| StatusList::verify(t, &issuer.public_key).ok())
        .filter(|l| l.uri() == reference.uri)
        .collect();
    let Some(list) = lists.iter().max_by_key(|l| l.issued_at()) else {
        b.skip("status", "unknown (offline): no status list for this record is at hand");
        return;
    };
    let expired = list.expires_at().is_some_and(|exp| exp < options.now);
    match list.status(reference.idx) {
        Ok(0) if expired => b.warn(
            "status",
            "status-list-expired",
            "valid according to an expired status list; the status may have changed".into(),
        ),
        Ok(0) => b.pass("status", "valid according to the issuer's status list".into()),
        Ok(s) => b.fail("status", &Error::StatusRevoked { status: s }),
        Err(e) => b.fail("status", &e),
    }
}

/// What an issuer puts in a record.
#[cfg(feature = "signer")]
#[derive(Debug, Clone)]
pub struct Issuance<'a> {
    /// The issuer identifier (`iss`).
    pub iss: &'a str,
    /// Issue time (`iat`, POSIX seconds).
    pub iat: u64,
    /// The key ID in the trust list.
    pub kid: &'a str,
    /// The IPS content.
    pub claims: &'a ips::Claims,
    /// Where the record's status is published, if anywhere.
    pub status: Option<StatusReference>,
    /// Decoy digests to add to each `_sd` array (RFC 9901 §4.2.5), hiding how many
    /// sections and fields the record really has.
    pub decoys: usize,
}

/// Issues a record: every patient field and section a separate disclosure.
///
/// `salt` must return a fresh, unpredictable salt (RFC 9901 §4.2.1 recommends 128 bits,
/// base64url) on every call; the caller supplies it so the core stays free of randomness.
///
/// # Errors
/// [`Error::JsonMalformed`] only if a claim cannot be serialised, which valid input never causes.
#[cfg(feature = "signer")]
pub fn issue(
    input: &Issuance<'_>,
    seed: &[u8; 32],
    salt: &mut dyn FnMut() -> String,
) -> Result<sd_jwt::SdJwt, Error> {
    use crate::json::to_json_string;
    use crate::sd_jwt::Disclosure;
    use sha2::{Digest, Sha256};

    let mut disclosures = Vec::new();
    let mut group = |members: &[(String, Value)], salt: &mut dyn FnMut() -> String| -> Value {
        let mut digests: Vec<String> = members
            .iter()
            .map(|(name, value)| {
                let d = Disclosure::new_property(&salt(), name, value);
                let digest = d.digest();
                disclosures.push(d);
                digest
            })
            .collect();
        for _ in 0..input.decoys {
            digests.push(crate::base64::encode_url(&Sha256::digest(salt().as_bytes())));
        }
        digests.sort();
        let mut object = Object::default();
        object.insert("_sd".into(), Value::Array(digests.into_iter().map(Value::String).collect()));
        Value::Object(object)
    };
    let patient = group(&input.claims.patient, salt);
    let sections = group(&input.claims.sections, salt);
    let status = input
        .status
        .as_ref()
        .map(|s| {
            format!(
                r#","status":{{"status_list":{{"idx":{},"uri":{}}}}}"#,
                s.idx,
                to_json_string(&s.uri)
            )
        })
        .unwrap_or_default();
    let payload = format!(
        r#"{{"iss":{},"iat":{},"vct":{},"_sd_alg":"sha-256"{status},"patient":{patient},"sections":{sections}}}"#,
        to_json_string(input.iss),
        input.iat,
        to_json_string(VCT),
    );
    let header = format!(
        r#"{{"alg":"EdDSA","typ":{},"kid":{}}}"#,
        to_json_string(TYP),
        to_json_string(input.kid)
    );
    let object = |text: &str| match crate::json::parse(text)? {
        Value::Object(o) => Ok(o),
        _ => Err(Error::RecordMalformed { reason: "a record header or payload is not an object" }),
    };
    let compact = crate::jws::sign(&object(&header)?, &object(&payload)?, seed);
    Ok(sd_jwt::SdJwt::new(crate::jws::Jws::parse(&compact)?, disclosures))
}
