//! SMART Health Cards (spec.smarthealth.cards, Framework v1.4): the numeric QR text, the
//! compact JWS, its claims and FHIR Bundle, and issuer revocation lists.
//!
//! - §Encoding Chunks as QR codes: `shc:/` then two decimal digits per JWS character, each the
//!   character's code minus 45 (so at most `77`, for `z`). The deprecated chunked form
//!   `shc:/C/N/…` is still read: give the N chunks separated by whitespace, in any order.
//! - §Health Cards are Small: a compact JWS (RFC 7515 §7.1), header `alg` `ES256`, `zip`
//!   `DEF`, `kid`; the payload is raw DEFLATE (RFC 1951) of UTF-8 JSON claims `iss`, `nbf`,
//!   optional `exp`, and `vc` with `type` containing `https://smarthealth.cards#health-card`
//!   and `credentialSubject.fhirBundle`. `nbf` and `exp` may have fractions of a second.
//! - §Revocation: a key with `crlVersion` has a list at `<iss>/.well-known/crl/<kid>.json`,
//!   `{"kid","method":"rid","ctr","rids":["<rid>[.<timestamp>]",…]}`; a card whose `vc.rid` is
//!   listed is revoked, when a timestamp is given only if the card's `nbf` is before it.
//!
//! `iss` must be an `https://` URL without a trailing slash. The signature is checked with
//! the key the signed trust list holds for `iss` and `kid` ([`crate::trust`]).

use miniz_oxide::inflate::{self, TINFLStatus};

use crate::ips::{Content, Section};
use crate::json::{self, Object, Value};
use crate::jwk::Jwk;
use crate::pkey::Algorithm;
use crate::record::{check_trust_list, Builder, IssuerSummary, Kind, Options, Report};
use crate::{base64, Error};

/// The start of a numeric QR text.
pub const NUMERIC_PREFIX: &str = "shc:/";
/// The `vc.type` every health card carries.
pub const HEALTH_CARD_TYPE: &str = "https://smarthealth.cards#health-card";
/// The largest compact JWS accepted, in bytes.
pub const MAX_JWS: usize = 256 * 1024;
/// The largest inflated payload accepted, in bytes.
pub const MAX_PAYLOAD: usize = 1 << 20;
/// The most chunks a numeric QR text may be split into.
pub const MAX_CHUNKS: usize = 64;
/// The longest revocation identifier (§Revocation: at most 24 base64url characters).
pub const MAX_RID: usize = 24;
/// Times from this on are taken to be milliseconds, an issuer's mistake (year 5138).
const MAX_SECONDS: u64 = 100_000_000_000;

/// A JSON number that is a non-negative time in seconds, possibly with a fraction (dropped):
/// `1687450764.657` → 1687450764. Exponents and negative numbers are refused. (Read as text,
/// so no float parsing is needed.)
fn whole_seconds(n: &json::Number) -> Option<u64> {
    let text = n.as_str();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    whole.parse::<u64>().ok().filter(|&t| t < MAX_SECONDS)
}

fn qr(reason: &'static str) -> Error {
    Error::QrMalformed { reason }
}

/// Decodes numeric QR text (one `shc:/…` chunk, or several separated by whitespace) to the
/// compact JWS.
///
/// # Errors
/// [`Error::QrMalformed`] for whitespace around the text, a missing `shc:/`, an odd number of
/// digits, a pair above 77, or chunks that are not exactly `1/N` … `N/N` once each.
pub fn jws_from_qr(text: &str) -> Result<String, Error> {
    if text.len() > 2 * MAX_JWS + 1024 {
        return Err(Error::TooLarge { what: "SMART Health Card QR text", limit: 2 * MAX_JWS });
    }
    if text.trim() != text {
        return Err(qr("whitespace before or after the QR text"));
    }
    let chunks: Vec<&str> = text.split_ascii_whitespace().collect();
    if chunks.len() > MAX_CHUNKS {
        return Err(Error::TooLarge { what: "QR chunks", limit: MAX_CHUNKS });
    }
    let mut parts: Vec<(usize, usize, &str)> = Vec::new();
    for chunk in &chunks {
        let rest =
            chunk.strip_prefix(NUMERIC_PREFIX).ok_or(qr("a chunk does not start with shc:/"))?;
        let mut fields = rest.split('/');
        match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (Some(digits), None, None, None) => parts.push((1, 1, digits)),
            (Some(c), Some(n), Some(digits), None) => {
                let number = |s: &str| {
                    crate::checkpoint::parse_decimal(s)
                        .and_then(|v| usize::try_from(v).ok())
                        .ok_or(qr("a chunk header is not C/N/"))
                };
                let (c, n) = (number(c)?, number(n)?);
                if c == 0 || c > n || n > MAX_CHUNKS {
                    return Err(qr("a chunk index is out of range"));
                }
                parts.push((c, n, digits));
            }
            _ => return Err(qr("a chunk header is not C/N/")),
        }
    }
    let total = parts.len();
    if total == 0 {
        return Err(qr("there is no QR text"));
    }
    if parts.iter().any(|&(_, n, _)| n != total) {
        return Err(qr("the chunks given are not all N chunks of one card"));
    }
    parts.sort_by_key(|&(c, _, _)| c);
    if parts.iter().enumerate().any(|(i, &(c, _, _))| c != i + 1) {
        return Err(qr("a chunk is missing or repeated"));
    }
    let mut jws = String::with_capacity(text.len() / 2);
    for (_, _, digits) in parts {
        if digits.len() % 2 != 0 {
            return Err(qr("an odd number of digits"));
        }
        for pair in digits.as_bytes().chunks(2) {
            let value = match pair {
                [a @ b'0'..=b'9', b @ b'0'..=b'9'] => (a - b'0') * 10 + (b - b'0'),
                _ => return Err(qr("a character that is not a digit")),
            };
            if value > 77 {
                return Err(qr("a digit pair above 77"));
            }
            jws.push(char::from(value + 45));
        }
    }
    Ok(jws)
}

/// The JWS strings of a `.smart-health-card` file: `{"verifiableCredential": [JWS, …]}`.
///
/// # Errors
/// [`Error::JsonMalformed`]; [`Error::ShcMalformed`] when there is no non-empty array of
/// strings.
pub fn jws_from_file(text: &str) -> Result<Vec<String>, Error> {
    let file = json::parse(text)?;
    let list = file
        .get("verifiableCredential")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty() && l.len() <= MAX_CHUNKS)
        .ok_or(Error::ShcMalformed { reason: "no verifiableCredential array of JWS strings" })?;
    list.iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .ok_or(Error::ShcMalformed { reason: "a verifiableCredential is not a string" })
}

/// A parsed health card whose signature has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    compact: String,
    signing_input_len: usize,
    kid: String,
    payload: Object,
    signature: Vec<u8>,
}

impl Card {
    /// Parses a compact JWS health card: header, inflated payload, and `iss`.
    ///
    /// # Errors
    /// [`Error::TooLarge`]; [`Error::JwsMalformed`] for the JWS structure, a header without
    /// string `alg`/`kid`, `zip` other than `DEF`, `crit`, or a signature that is not 64
    /// bytes; [`Error::AlgorithmUnsupported`] for `alg` other than ES256;
    /// [`Error::CompressionInvalid`]; [`Error::JsonMalformed`]; [`Error::ShcMalformed`] for a
    /// payload that is not an object or an `iss` that is not an https URL.
    pub fn parse(compact: &str) -> Result<Card, Error> {
        let malformed = |reason| Error::JwsMalformed { reason };
        if compact.len() > MAX_JWS {
            return Err(Error::TooLarge { what: "a health card JWS", limit: MAX_JWS });
        }
        let parts = crate::jws::Compact::split(compact)?;
        let header = &parts.header;
        match header.get("alg") {
            Some(Value::String(alg)) if alg == "ES256" => {}
            Some(Value::String(alg)) => {
                return Err(Error::AlgorithmUnsupported { alg: alg.clone() })
            }
            _ => return Err(malformed("the header has no string alg")),
        }
        if header.get("crit").is_some() {
            return Err(malformed("a crit header names an unsupported extension"));
        }
        if header.get("zip").and_then(Value::as_str) != Some("DEF") {
            return Err(malformed("the header's zip is not DEF"));
        }
        let kid = header.get("kid").and_then(Value::as_str).ok_or(malformed("no string kid"))?;
        let signature = parts.signature;
        if signature.len() != 64 {
            return Err(malformed(
                "the ES256 signature is not the 64 bytes r ‖ s (DER is refused)",
            ));
        }
        let inflated =
            inflate::decompress_to_vec_with_limit(&parts.payload, MAX_PAYLOAD).map_err(|e| {
                Error::CompressionInvalid {
                    reason: match e.status {
                        TINFLStatus::HasMoreOutput => "it inflates beyond the size limit",
                        _ => "the payload is not raw DEFLATE",
                    },
                }
            })?;
        let text = String::from_utf8(inflated)
            .map_err(|_| Error::ShcMalformed { reason: "the payload is not UTF-8" })?;
        let payload = match json::parse(&text)? {
            Value::Object(o) => o,
            _ => return Err(Error::ShcMalformed { reason: "the payload is not a JSON object" }),
        };
        let card = Card {
            compact: compact.to_owned(),
            signing_input_len: parts.signing_input_len,
            kid: kid.to_owned(),
            payload,
            signature,
        };
        let iss = card.iss().ok_or(Error::ShcMalformed { reason: "there is no string iss" })?;
        if !iss.starts_with("https://") || iss.ends_with('/') || iss.len() <= "https://".len() {
            return Err(Error::ShcMalformed {
                reason: "iss is not an https URL without a final /",
            });
        }
        Ok(card)
    }

    /// The `kid` header.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The `iss` claim.
    pub fn iss(&self) -> Option<&str> {
        self.payload.get("iss").and_then(Value::as_str)
    }

    /// The payload, not trusted until [`Card::verify`] succeeds.
    pub fn payload(&self) -> &Object {
        &self.payload
    }

    /// Verifies the ES256 signature with `key`.
    ///
    /// # Errors
    /// [`Error::SignatureInvalid`] naming the `kid`.
    pub fn verify(&self, key: &Jwk) -> Result<(), Error> {
        let input = self.compact.get(..self.signing_input_len).unwrap_or_default();
        if key.public_key().verify(Algorithm::Es256, input.as_bytes(), &self.signature) {
            Ok(())
        } else {
            Err(Error::SignatureInvalid { key: self.kid.clone() })
        }
    }
}

/// The checks of a SMART Health Card report, in report order.
pub const CHECKS: &[&str] = &[
    "format",
    "trust-list",
    "issuer-known",
    "signature",
    "claims",
    "issued-at",
    "not-expired",
    "status",
    "trust-list-freshness",
];

/// Verifies a health card given as compact JWS against a signed trust list.
///
/// Never fails: every problem becomes a failed check of the report, whose checks are
/// [`CHECKS`]. `status` is the issuer's revocation list, as held in the trust list.
pub fn verify(compact: &str, trust_list: &[u8], options: &Options) -> Report {
    verify_parsed(Card::parse(compact), trust_list, options)
}

/// As [`verify`], for a card already parsed (or the error that parsing gave).
pub(crate) fn verify_parsed(
    card: Result<Card, Error>,
    trust_list: &[u8],
    options: &Options,
) -> Report {
    let mut b = Builder::new(CHECKS);
    let mut report = Builder::report(Kind::SmartHealthCard);
    let format = "a SMART Health Card: ES256 JWS with a DEFLATE payload";
    let Some(card) = b.step("format", card, |_| format.into()) else {
        return b.finish(report);
    };
    let Some(trust) = check_trust_list(&mut b, &mut report, trust_list, options) else {
        return b.finish(report);
    };
    let iss = card.iss().unwrap_or_default();
    let Some(key) = trust.shc_key(iss, card.kid()) else {
        b.fail("issuer-known", &Error::IssuerUnknown { kid: format!("{iss}#{}", card.kid()) });
        return b.finish(report);
    };
    report.issuer = Some(IssuerSummary {
        kid: key.key.kid.clone(),
        country: String::new(),
        organisation: key.iss.clone(),
    });
    b.pass("issuer-known", format!("{iss} is a trusted issuer with key {}", card.kid()));
    if let Err(e) = card.verify(&key.key) {
        b.fail("signature", &e);
        return b.finish(report);
    }
    b.pass("signature", format!("signed with key {}", card.kid()));
    let claims = Claims::from_payload(card.payload());
    let Some(claims) = b.step("claims", claims, |_| "a health card with a FHIR Bundle".into())
    else {
        return b.finish(report);
    };
    report.issued_at = Some(claims.nbf);
    report.expires_at = claims.exp;
    report.content = Some(claims.content());
    match claims.check_nbf(options.now, options.clock_skew) {
        Ok(()) => b.pass("issued-at", "valid from a time in the past".into()),
        Err(e) => b.fail("issued-at", &e),
    }
    match (claims.check_not_expired(options.now), claims.exp) {
        (Err(e), _) => b.fail("not-expired", &e),
        (Ok(()), Some(exp)) => {
            b.pass("not-expired", format!("valid until {}", crate::time::rfc3339(exp)))
        }
        (Ok(()), None) => b.skip("not-expired", "the card does not expire"),
    }
    match (&claims.rid, key.key.crl_version) {
        (_, None) => b.skip("status", "the issuer publishes no revocation list for this key"),
        (None, Some(_)) => b.skip("status", "the card has no revocation identifier"),
        (Some(rid), Some(_)) if key.revoked.iter().any(|r| r.revokes(rid, claims.nbf)) => {
            b.fail("status", &Error::CredentialRevoked { rid: rid.clone() });
        }
        (Some(_), Some(v)) => {
            b.pass("status", format!("not on the issuer's revocation list (version {v})"));
        }
    }
    b.finish(report)
}

/// The claims of a health card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// `nbf`, whole POSIX seconds (a fraction is dropped).
    pub nbf: u64,
    /// `exp`, whole POSIX seconds (a fraction is dropped: `now > exp` is then exact), if present.
    pub exp: Option<u64>,
    /// `vc.rid`, the revocation identifier, if present.
    pub rid: Option<String>,
    /// `vc.credentialSubject.fhirBundle`.
    pub bundle: Value,
}

impl Claims {
    /// Reads and checks the claims (§Health Cards are Small; §Revocation).
    ///
    /// # Errors
    /// [`Error::ShcMalformed`] naming the first rule broken.
    pub fn from_payload(payload: &Object) -> Result<Claims, Error> {
        let malformed = |reason| Error::ShcMalformed { reason };
        let time = |name| -> Result<Option<u64>, Error> {
            match payload.get(name) {
                None => Ok(None),
                Some(v) => v
                    .as_number()
                    .and_then(whole_seconds)
                    .map(Some)
                    .ok_or(malformed("nbf or exp is not a time in seconds")),
            }
        };
        let nbf = time("nbf")?.ok_or(malformed("there is no nbf"))?;
        let exp = time("exp")?;
        let vc = payload.get("vc").ok_or(malformed("there is no vc"))?;
        let types =
            vc.get("type").and_then(Value::as_array).ok_or(malformed("vc.type is not an array"))?;
        if !types.iter().any(|t| t.as_str() == Some(HEALTH_CARD_TYPE)) {
            return Err(malformed("vc.type lacks https://smarthealth.cards#health-card"));
        }
        let subject =
            vc.get("credentialSubject").ok_or(malformed("there is no credentialSubject"))?;
        if subject.get("fhirVersion").and_then(Value::as_str).is_none() {
            return Err(malformed("credentialSubject.fhirVersion is not a string"));
        }
        let bundle = subject.get("fhirBundle").ok_or(malformed("there is no fhirBundle"))?;
        if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle")
            || bundle.get("entry").and_then(Value::as_array).is_none()
        {
            return Err(malformed("fhirBundle is not a FHIR Bundle with entries"));
        }
        let rid = match vc.get("rid") {
            None => None,
            Some(Value::String(rid)) if valid_rid(rid) => Some(rid.clone()),
            Some(_) => return Err(malformed("vc.rid is not base64url of at most 24 characters")),
        };
        Ok(Claims { nbf, exp, rid, bundle: bundle.clone() })
    }

    /// `nbf ≤ now + clock_skew`.
    ///
    /// # Errors
    /// [`Error::TimeInvalid`].
    pub fn check_nbf(&self, now: u64, clock_skew: u64) -> Result<(), Error> {
        if self.nbf > now.saturating_add(clock_skew) {
            return Err(Error::TimeInvalid {
                reason: "the card is not valid before a future time (nbf)",
            });
        }
        Ok(())
    }

    /// `now ≤ exp`, when the card has an `exp`.
    ///
    /// # Errors
    /// [`Error::Expired`].
    pub fn check_not_expired(&self, now: u64) -> Result<(), Error> {
        match self.exp {
            Some(exp) if now > exp => Err(Error::Expired { exp }),
            _ => Ok(()),
        }
    }

    /// The Bundle as HealthProof content: Patient fields, and sections of immunizations,
    /// results, problems, allergies, medications and procedures, each with a readable text.
    pub fn content(&self) -> Content {
        bundle_content(&self.bundle)
    }
}

fn valid_rid(rid: &str) -> bool {
    !rid.is_empty() && rid.len() <= MAX_RID && base64::decode_url(rid).is_some()
}

/// A revocation list entry: a `rid`, revoked for cards with `nbf` before `until` (or all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// The revocation identifier.
    pub rid: String,
    /// Cards whose `nbf` is before this time are revoked; `None`: every card with this rid.
    pub before: Option<u64>,
}

impl Revocation {
    /// Parses `<rid>` or `<rid>.<timestamp>`.
    ///
    /// # Errors
    /// [`Error::CrlMalformed`] when the rid is not base64url of at most 24 characters or the
    /// timestamp is not a decimal.
    pub fn parse(entry: &str) -> Result<Revocation, Error> {
        let (rid, before) = match entry.split_once('.') {
            None => (entry, None),
            Some((rid, t)) => (
                rid,
                Some(crate::checkpoint::parse_decimal(t).ok_or(Error::CrlMalformed {
                    reason: "a revocation timestamp is not a decimal",
                })?),
            ),
        };
        if !valid_rid(rid) {
            return Err(Error::CrlMalformed {
                reason: "a rid is not base64url of at most 24 characters",
            });
        }
        Ok(Revocation { rid: rid.to_owned(), before })
    }

    /// Whether this entry revokes a card with `rid` and `nbf`.
    pub fn revokes(&self, rid: &str, nbf: u64) -> bool {
        self.rid == rid && self.before.is_none_or(|t| nbf < t)
    }
}

impl core::fmt::Display for Revocation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.before {
            Some(t) => write!(f, "{}.{t}", self.rid),
            None => f.write_str(&self.rid),
        }
    }
}

/// Reads an issuer's revocation list for `key` (§Revocation).
///
/// # Errors
/// [`Error::JsonMalformed`]; [`Error::CrlMalformed`] when `kid` is not the key's, `method` is
/// not `rid`, `ctr` is not the key's `crlVersion`, or a rid is malformed or repeated.
pub fn parse_crl(text: &str, key: &Jwk) -> Result<Vec<Revocation>, Error> {
    let malformed = |reason| Error::CrlMalformed { reason };
    let crl = json::parse(text)?;
    if crl.get("kid").and_then(Value::as_str) != Some(key.kid.as_str()) {
        return Err(malformed("its kid is not the key's"));
    }
    if crl.get("method").and_then(Value::as_str) != Some("rid") {
        return Err(malformed("its method is not rid"));
    }
    let ctr = crl.get("ctr").and_then(Value::as_number).and_then(json::Number::as_u64);
    if ctr.is_none() || ctr != key.crl_version {
        return Err(malformed("its ctr is not the key's crlVersion"));
    }
    let rids = crl.get("rids").and_then(Value::as_array).ok_or(malformed("no rids array"))?;
    let mut out: Vec<Revocation> = Vec::with_capacity(rids.len());
    for entry in rids {
        let r = Revocation::parse(entry.as_str().ok_or(malformed("a rid is not a string"))?)?;
        if out.iter().any(|o| o.rid == r.rid) {
            return Err(malformed("a rid is listed twice"));
        }
        out.push(r);
    }
    Ok(out)
}

/// FHIR resource types shown, by HealthProof section key, with their LOINC and title.
const SECTIONS: &[(&str, &str, &str, &[&str])] = &[
    ("allergies", "48765-2", "Allergies and intolerances", &["AllergyIntolerance"]),
    ("medications", "10160-0", "Medications", &["MedicationStatement", "MedicationRequest"]),
    ("problems", "11450-4", "Problems", &["Condition"]),
    ("immunizations", "11369-6", "Immunizations", &["Immunization"]),
    ("results", "30954-2", "Results", &["Observation", "DiagnosticReport"]),
    ("procedures", "47519-4", "Procedures", &["Procedure"]),
];

/// Patient fields and sections of a FHIR Bundle, in [`crate::ips`]'s shape.
fn bundle_content(bundle: &Value) -> Content {
    let resources: Vec<&Value> = bundle
        .get("entry")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e.get("resource"))
        .collect();
    fn of_type<'a>(resources: &'a [&'a Value], t: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        resources
            .iter()
            .copied()
            .filter(move |r| r.get("resourceType").and_then(Value::as_str) == Some(t))
    }
    let mut content = Content::default();
    if let Some(patient) = of_type(&resources, "Patient").next() {
        for field in crate::ips::PATIENT_FIELDS {
            if let Some(v) = patient.get(field) {
                content.patient.push(((*field).to_owned(), v.clone()));
            }
        }
    }
    for (key, code, title, types) in SECTIONS {
        let entries: Vec<Value> =
            types.iter().flat_map(|t| of_type(&resources, t)).cloned().collect();
        if entries.is_empty() {
            continue;
        }
        let text = entries.iter().map(resource_text).collect::<Vec<_>>().join("\n");
        content.sections.push(Section {
            key: (*key).into(),
            code: (*code).into(),
            title: (*title).into(),
            text,
            entries,
        });
    }
    content
}

/// `display`, else `system code`, of a CodeableConcept's first coding (or its `text`).
fn concept_text(concept: Option<&Value>) -> String {
    let Some(c) = concept else { return String::new() };
    if let Some(t) = c.get("text").and_then(Value::as_str) {
        return t.to_owned();
    }
    let coding = c.get("coding").and_then(Value::as_array).and_then(|a| a.first());
    let s = |n| coding.and_then(|c| c.get(n)).and_then(Value::as_str).unwrap_or_default();
    if !s("display").is_empty() {
        return s("display").to_owned();
    }
    let system = match s("system") {
        "http://hl7.org/fhir/sid/cvx" => "CVX",
        "http://loinc.org" => "LOINC",
        "http://snomed.info/sct" => "SNOMED CT",
        other => other,
    };
    format!("{system} {}", s("code")).trim().to_owned()
}

/// One line describing a resource.
fn resource_text(r: &Value) -> String {
    let s = |n: &str| r.get(n).and_then(Value::as_str).unwrap_or_default().to_owned();
    let kind = r.get("resourceType").and_then(Value::as_str).unwrap_or_default();
    let mut parts: Vec<String> = if kind == "Immunization" {
        let performer = r.get("performer").and_then(Value::as_array).and_then(|p| p.first());
        let actor = performer.and_then(|p| p.get("actor")).and_then(|a| a.get("display"));
        vec![
            s("occurrenceDateTime"),
            concept_text(r.get("vaccineCode")),
            if s("lotNumber").is_empty() {
                String::new()
            } else {
                format!("lot {}", s("lotNumber"))
            },
            actor.and_then(Value::as_str).unwrap_or_default().to_owned(),
        ]
    } else {
        let value = if let Some(q) = r.get("valueQuantity") {
            let v = q.get("value").map(|v| v.to_string()).unwrap_or_default();
            let unit = q.get("unit").or(q.get("code")).and_then(Value::as_str).unwrap_or_default();
            format!("{v} {unit}").trim().to_owned()
        } else if r.get("valueCodeableConcept").is_some() {
            concept_text(r.get("valueCodeableConcept"))
        } else {
            s("valueString")
        };
        vec![s("effectiveDateTime"), concept_text(r.get("code")), value]
    };
    parts.retain(|p| !p.is_empty());
    if parts.is_empty() {
        return kind.to_owned();
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_qr() {
        // "eyJ" is 101-45=56, 121-45=76, 74-45=29.
        assert_eq!(jws_from_qr("shc:/567629").unwrap(), "eyJ");
        assert_eq!(jws_from_qr("shc:/2/2/29 shc:/1/2/5676").unwrap(), "eyJ");
        assert_eq!(jws_from_qr("shc:/1/1/567629").unwrap(), "eyJ");
        for bad in [
            "shc:/56762",
            "shc:/567678",
            "shc:567629",
            " shc:/567629",
            "shc:/567629\n",
            "shc:/1/2/5676",
            "shc:/1/2/56 shc:/1/2/76",
            "shc:/0/1/56",
            "shc:/3/2/56 shc:/1/2/76",
            "shc:/56a6",
            "",
            "shc:/01/2/56 shc:/2/2/76",
        ] {
            assert_eq!(jws_from_qr(bad).map_err(|e| e.code()), Err("qr-malformed"), "{bad:?}");
        }
    }

    #[test]
    fn revocations() {
        let r = Revocation::parse("vwAjHdarZuc.1687450765").unwrap();
        assert!(r.revokes("vwAjHdarZuc", 1_687_450_764));
        assert!(!r.revokes("vwAjHdarZuc", 1_687_450_765));
        assert!(Revocation::parse("FKDIxsTCGlU").unwrap().revokes("FKDIxsTCGlU", u64::MAX));
        for bad in ["base64==", "$wrongrid!", "a".repeat(25).as_str(), "abc.x", ""] {
            assert_eq!(Revocation::parse(bad).unwrap_err().code(), "crl-malformed", "{bad}");
        }
    }
}
