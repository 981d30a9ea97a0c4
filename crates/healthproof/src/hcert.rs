//! HCERT, the EU Digital COVID Certificate (eHealth Network, *Electronic Health Certificate
//! Container Format* v1.0.5, and *Technical Specifications for EU Digital COVID Certificates*
//! Volume 1, §2–§5), read from its QR text.
//!
//! `HC1:` ‖ Base45 (RFC 9285) of zlib (RFC 1950) of a COSE_Sign1 (RFC 9052, [`crate::cose`],
//! tagged 18 or not, optionally inside the CWT tag 61) whose payload is CWT claims (RFC 8392)
//! `{1: iss, 4: exp, 6: iat, -260: {1: eu_dcc_v1}}`. The signer is a Document Signer
//! Certificate (DSC), found by `kid` = the first 8 bytes of SHA-256 of its DER (§3.3.1); two
//! DSCs may share a `kid`, so every one that matches is tried. ES256 and PS256 only (§3.3.2).
//!
//! Checks beyond the signature, by the specification's rules and the dgc-testdata flags:
//! `DSC.notBefore ≤ iat` and `exp ≤ DSC.notAfter` (`key-valid`); the DSC's extended key usage,
//! when it names any DCC purpose (`1.3.6.1.4.1.1847.2021.1.1` test, `.2` vaccination, `.3`
//! recovery, also in the early `…4.1.0.1847…` spelling), must name this certificate's type
//! (`key-usage`); `iat ≤ now` (`issued-at`); `now ≤ exp` (`not-expired`). The payload must
//! hold exactly one of `v`, `t`, `r` (a `null` one counts as absent), a non-empty array whose
//! entries have the fields and types the DCC JSON schema requires (`claims`). Value sets and
//! string formats are not checked: a verifier shows the values, it does not judge them.

use miniz_oxide::inflate::{self, TINFLStatus};

use crate::cbor::{self, Value};
use crate::cose::CoseSign1;
use crate::ips::{Content, Section};
use crate::json;
use crate::record::{check_trust_list, Builder, IssuerSummary, Kind, Options, Report};
use crate::trust::Dsc;
use crate::x509::Certificate;
use crate::{base45, base64, Error};

/// The context identifier that starts every HCERT QR text (§4.2).
pub const PREFIX: &str = "HC1:";
/// The largest COSE structure accepted after inflating, in bytes.
pub const MAX_COSE: usize = 64 * 1024;

/// The type of a DCC, by the payload array it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DccType {
    /// `v`: vaccination.
    Vaccination,
    /// `t`: test.
    Test,
    /// `r`: recovery.
    Recovery,
}

impl DccType {
    /// `vaccination`, `test` or `recovery`.
    pub fn name(self) -> &'static str {
        match self {
            DccType::Vaccination => "vaccination",
            DccType::Test => "test",
            DccType::Recovery => "recovery",
        }
    }

    /// The last arc of the extended key usage OID that allows this type (§5.1.1).
    fn eku_arc(self) -> &'static str {
        match self {
            DccType::Test => "1",
            DccType::Vaccination => "2",
            DccType::Recovery => "3",
        }
    }
}

/// Removes the `HC1:` prefix (§4.2).
///
/// # Errors
/// [`Error::DocumentUnknown`] when the text does not start with exactly `HC1:`.
pub fn unprefix(text: &str) -> Result<&str, Error> {
    text.strip_prefix(PREFIX).ok_or(Error::DocumentUnknown)
}

/// Inflates zlib data (RFC 1950), at most [`MAX_COSE`] bytes out.
///
/// # Errors
/// [`Error::CompressionInvalid`] for data that is not one complete zlib stream, or inflates to
/// more than [`MAX_COSE`] bytes.
pub fn inflate_zlib(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    inflate::decompress_to_vec_zlib_with_limit(bytes, MAX_COSE).map_err(|e| {
        Error::CompressionInvalid {
            reason: match e.status {
                TINFLStatus::HasMoreOutput => "it inflates beyond the size limit",
                _ => "it is not a zlib stream",
            },
        }
    })
}

/// Decodes an HCERT QR text to its COSE_Sign1: unprefix, Base45, inflate, parse.
///
/// # Errors
/// Those of [`unprefix`], [`base45::decode`], [`inflate_zlib`] and [`CoseSign1::from_bytes`].
pub fn decode(text: &str) -> Result<CoseSign1, Error> {
    let compressed = base45::decode(unprefix(text)?)?;
    CoseSign1::from_bytes(&inflate_zlib(&compressed)?)
}

/// The checks of an HCERT report, in report order.
pub const CHECKS: &[&str] = &[
    "format",
    "trust-list",
    "issuer-known",
    "signature",
    "claims",
    "key-valid",
    "key-usage",
    "issued-at",
    "not-expired",
    "trust-list-freshness",
];

/// Verifies an HCERT QR text (`HC1:…`) against a signed trust list.
///
/// Never fails: every problem becomes a failed check of the report, whose checks are
/// [`CHECKS`]. `format` covers the prefix, Base45, zlib, COSE structure and algorithm;
/// `issuer-known` that some trusted DSC has the `kid`; `signature` that one of them verifies;
/// `claims` the CWT claims and DCC payload; then the time and key-usage rules.
pub fn verify(text: &str, trust_list: &[u8], options: &Options) -> Report {
    let mut b = Builder::new(CHECKS);
    let mut report = Builder::report(Kind::Hcert);
    let decoded = decode(text).and_then(|c| c.algorithm().map(|alg| (c, alg)));
    let Some((cose, _)) = b.step("format", decoded, |(_, alg)| {
        format!("an EU Digital COVID Certificate signed with {}", alg.name())
    }) else {
        return b.finish(report);
    };
    let Some(trust) = check_trust_list(&mut b, &mut report, trust_list, options) else {
        return b.finish(report);
    };
    let kid = cose.kid().unwrap_or_default();
    let kid_text = base64::encode(kid);
    let candidates: Vec<&Dsc> = trust.dscs_with_kid(kid).collect();
    if candidates.is_empty() {
        b.fail("issuer-known", &Error::IssuerUnknown { kid: kid_text });
        return b.finish(report);
    }
    b.pass(
        "issuer-known",
        format!("{} trusted signer certificate(s) have kid {kid_text}", candidates.len()),
    );
    // Several DSCs may share a kid (8 bytes of a hash): the one whose key verifies signed it.
    let Some(dsc) =
        candidates.into_iter().find(|d| cose.verify(d.certificate.public_key(), &kid_text).is_ok())
    else {
        b.fail("signature", &Error::SignatureInvalid { key: kid_text });
        return b.finish(report);
    };
    let cert = &dsc.certificate;
    report.issuer = Some(IssuerSummary {
        kid: kid_text.clone(),
        country: dsc.country.clone(),
        organisation: cert.organisation().to_owned(),
    });
    b.pass("signature", format!("signed by a document signer of {} ({kid_text})", dsc.country));

    let claims = Claims::from_payload(cose.payload()).and_then(|c| {
        let kind = c.dcc_type()?;
        Ok((c, kind))
    });
    let Some((claims, kind)) =
        b.step("claims", claims, |(_, kind)| format!("a {} certificate", kind.name()))
    else {
        return b.finish(report);
    };
    report.issued_at = Some(claims.iat);
    report.expires_at = Some(claims.exp);
    report.content = Some(claims.content(kind));

    match claims.check_key_validity(cert) {
        Ok(()) => b.pass(
            "key-valid",
            "issued and expiring within the signer certificate's validity".into(),
        ),
        Err(e) => b.fail("key-valid", &e),
    }
    if key_usage_allows(cert.extended_key_usage(), kind) {
        b.pass("key-usage", format!("the signer may sign {} certificates", kind.name()));
    } else {
        b.fail("key-usage", &Error::KeyUsageInvalid { kind: kind.name() });
    }
    match claims.check_issued_at(options.now, options.clock_skew) {
        Ok(()) => b.pass("issued-at", "issued in the past".into()),
        Err(e) => b.fail("issued-at", &e),
    }
    match claims.check_not_expired(options.now) {
        Ok(()) => {
            b.pass("not-expired", format!("valid until {}", crate::time::rfc3339(claims.exp)))
        }
        Err(e) => b.fail("not-expired", &e),
    }
    b.finish(report)
}

/// The CWT claims and DCC payload of an HCERT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// `iss` (1): the issuing country, if present.
    pub iss: Option<String>,
    /// `iat` (6), POSIX seconds.
    pub iat: u64,
    /// `exp` (4), POSIX seconds.
    pub exp: u64,
    /// The DCC (`-260` → `1`), as JSON.
    pub dcc: json::Value,
}

impl Claims {
    /// Reads the CWT claims of a COSE payload (RFC 8392 §3; HCERT §2.6).
    ///
    /// # Errors
    /// [`Error::CborMalformed`]; [`Error::HcertMalformed`] when the claims are not a map, `iat`
    /// or `exp` is not a non-negative integer, or there is no `-260 → 1` map with text keys.
    pub fn from_payload(payload: &[u8]) -> Result<Claims, Error> {
        let malformed = |reason| Error::HcertMalformed { reason };
        let claims = cbor::decode(payload)?;
        if claims.as_map().is_none() {
            return Err(malformed("the CWT claims are not a map"));
        }
        // Integers as the specification says; some issuers write floats (with fractions of a
        // second), which are rounded down to whole seconds.
        let time = |label, what| match claims.get_int(label) {
            Some(Value::Float(bits)) => {
                let t = f64::from_bits(*bits);
                // Invariant: t is finite and within 0..9e15, so the cast neither saturates nor
                // loses whole seconds.
                (0.0..9.0e15).contains(&t).then_some(t.floor() as u64).ok_or(malformed(what))
            }
            other => other
                .and_then(Value::as_i64)
                .and_then(|t| u64::try_from(t).ok())
                .ok_or(malformed(what)),
        };
        let iat = time(6, "iat is not a time in seconds")?;
        let exp = time(4, "exp is not a time in seconds")?;
        let iss = match claims.get_int(1) {
            None => None,
            Some(Value::Text(s)) => Some(s.clone()),
            Some(_) => return Err(malformed("iss is not text")),
        };
        let dcc = claims
            .get_int(-260)
            .and_then(|h| h.get_int(1))
            .ok_or(malformed("there is no hcert claim (-260) with an eu_dcc_v1 (1)"))?
            .to_json()
            .map_err(|_| malformed("the DCC has a non-text key or a non-finite number"))?;
        if dcc.as_object().is_none() {
            return Err(malformed("the DCC is not a map"));
        }
        Ok(Claims { iss, iat, exp, dcc })
    }

    /// `DSC.notBefore ≤ iat` and `exp ≤ DSC.notAfter`: the signer was valid for the whole life
    /// of the certificate.
    ///
    /// # Errors
    /// [`Error::KeyNotValid`].
    pub fn check_key_validity(&self, dsc: &Certificate) -> Result<(), Error> {
        if self.iat < dsc.not_before() || self.exp > dsc.not_after() {
            return Err(Error::KeyNotValid {
                reason: "iat or exp is outside the signer certificate's validity",
            });
        }
        Ok(())
    }

    /// `iat ≤ now + clock_skew`.
    ///
    /// # Errors
    /// [`Error::TimeInvalid`].
    pub fn check_issued_at(&self, now: u64, clock_skew: u64) -> Result<(), Error> {
        if self.iat > now.saturating_add(clock_skew) {
            return Err(Error::TimeInvalid { reason: "the certificate is issued in the future" });
        }
        Ok(())
    }

    /// `now ≤ exp`.
    ///
    /// # Errors
    /// [`Error::Expired`].
    pub fn check_not_expired(&self, now: u64) -> Result<(), Error> {
        if now > self.exp {
            return Err(Error::Expired { exp: self.exp });
        }
        Ok(())
    }

    /// The certificate's type: which one of `v`, `t` and `r` the DCC holds (`null` counts as
    /// absent).
    ///
    /// # Errors
    /// [`Error::HcertMalformed`] when it holds none or several.
    pub fn kind(&self) -> Result<DccType, Error> {
        let present: Vec<DccType> =
            [("v", DccType::Vaccination), ("t", DccType::Test), ("r", DccType::Recovery)]
                .into_iter()
                .filter(|(k, _)| self.dcc.get(k).is_some_and(|v| *v != json::Value::Null))
                .map(|(_, t)| t)
                .collect();
        match present.as_slice() {
            [kind] => Ok(*kind),
            _ => {
                Err(Error::HcertMalformed { reason: "it does not hold exactly one of v, t and r" })
            }
        }
    }

    /// The certificate's type, after checking the DCC's shape against the DCC JSON schema's
    /// required fields and types (schema 1.3.0, which earlier versions' payloads also meet).
    ///
    /// # Errors
    /// [`Error::HcertMalformed`] naming the first rule broken.
    pub fn dcc_type(&self) -> Result<DccType, Error> {
        let malformed = |reason| Error::HcertMalformed { reason };
        let d = &self.dcc;
        let string = text_of;
        if string(d.get("ver")).is_none() {
            return Err(malformed("ver is not a string"));
        }
        let nam = d.get("nam").filter(|n| n.as_object().is_some());
        let nam = nam.ok_or(malformed("nam is not an object"))?;
        let fnt = string(nam.get("fnt")).ok_or(malformed("nam.fnt is not a string"))?;
        let transliterated =
            |s: &str| s.len() <= 80 && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'<');
        if !transliterated(fnt) || !string(nam.get("gnt")).is_none_or(transliterated) {
            return Err(malformed("nam.fnt or nam.gnt is not ICAO 9303 transliterated"));
        }
        for f in ["fn", "gn"] {
            if nam.get(f).is_some_and(|v| v.as_str().is_none_or(|s| s.chars().count() > 80)) {
                return Err(malformed("nam.fn or nam.gn is not a string of at most 80 characters"));
            }
        }
        if string(d.get("dob")).is_none() {
            return Err(malformed("dob is not a string"));
        }
        let kind = &self.kind()?;
        let array = match kind {
            DccType::Vaccination => "v",
            DccType::Test => "t",
            DccType::Recovery => "r",
        };
        let entries = d.get(array).and_then(json::Value::as_array).unwrap_or_default();
        if entries.is_empty() {
            return Err(malformed("the v, t or r array is empty"));
        }
        let required: &[&str] = match kind {
            DccType::Vaccination => &["tg", "vp", "mp", "ma", "dt", "co", "is", "ci"],
            DccType::Test => &["tg", "tt", "sc", "tr", "co", "is", "ci"],
            DccType::Recovery => &["tg", "fr", "co", "is", "df", "du", "ci"],
        };
        for entry in entries {
            if required.iter().any(|f| string(entry.get(f)).is_none()) {
                return Err(malformed("an entry lacks a required string field"));
            }
            if *kind == DccType::Vaccination
                && ["dn", "sd"].iter().any(|f| {
                    entry.get(f).and_then(json::Value::as_number).and_then(|n| n.as_u64()).is_none()
                })
            {
                return Err(malformed("dn or sd is not a whole number"));
            }
        }
        Ok(*kind)
    }

    /// The DCC as HealthProof content: the holder's name and birth date as FHIR Patient
    /// elements, and one section (immunizations, results or past-illness) with a readable
    /// text and the DCC entry itself.
    pub fn content(&self, kind: DccType) -> Content {
        let d = &self.dcc;
        let s = |v| text_of(v).unwrap_or_default();
        let nam = d.get("nam");
        let family = [s(nam.and_then(|n| n.get("fn"))), s(nam.and_then(|n| n.get("fnt")))];
        let given = [s(nam.and_then(|n| n.get("gn"))), s(nam.and_then(|n| n.get("gnt")))];
        let mut name = json::Object::default();
        let first = |a: [&str; 2]| if a[0].is_empty() { a[1] } else { a[0] }.to_owned();
        name.insert("family".into(), json::Value::String(first(family)));
        if !first(given).is_empty() {
            name.insert(
                "given".into(),
                json::Value::Array(vec![json::Value::String(first(given))]),
            );
        }
        let mut patient =
            vec![("name".to_owned(), json::Value::Array(vec![json::Value::Object(name)]))];
        if !s(d.get("dob")).is_empty() {
            patient.push(("birthDate".into(), json::Value::String(s(d.get("dob")).to_owned())));
        }
        let (key, code, title, array) = match kind {
            DccType::Vaccination => ("immunizations", "11369-6", "Vaccination", "v"),
            DccType::Test => ("results", "30954-2", "Test", "t"),
            DccType::Recovery => ("past-illness", "11348-0", "Recovery", "r"),
        };
        let entries = d.get(array).and_then(json::Value::as_array).unwrap_or_default().to_vec();
        let text = entries.iter().map(|e| entry_text(kind, e)).collect::<Vec<_>>().join("\n");
        let section =
            Section { key: key.into(), code: code.into(), title: title.into(), text, entries };
        Content { patient, sections: vec![section] }
    }
}

/// Whether a DSC's extended key usage allows `kind` (§5.1.1): no extension, or one naming no
/// DCC purpose, allows every type; otherwise the type's own purpose must be named.
pub fn key_usage_allows(eku: Option<&[String]>, kind: DccType) -> bool {
    let Some(purposes) = eku else { return true };
    fn dcc(oid: &str) -> Option<&str> {
        oid.strip_prefix("1.3.6.1.4.1.1847.2021.1.")
            .or_else(|| oid.strip_prefix("1.3.6.1.4.1.0.1847.2021.1."))
            .filter(|arc| ["1", "2", "3"].contains(arc))
    }
    let arcs: Vec<&str> = purposes.iter().filter_map(|p| dcc(p)).collect();
    arcs.is_empty() || arcs.contains(&kind.eku_arc())
}

fn text_of(v: Option<&json::Value>) -> Option<&str> {
    v.and_then(json::Value::as_str)
}

/// Display names of the common value-set codes (eHN value sets, 2021).
const DISPLAY: &[(&str, &str)] = &[
    ("840539006", "COVID-19"),
    ("1119349007", "SARS-CoV-2 mRNA vaccine"),
    ("1119305005", "SARS-CoV-2 antigen vaccine"),
    ("J07BX03", "covid-19 vaccines"),
    ("EU/1/20/1528", "Comirnaty"),
    ("EU/1/20/1507", "Spikevax"),
    ("EU/1/21/1529", "Vaxzevria"),
    ("EU/1/20/1525", "COVID-19 Vaccine Janssen"),
    ("EU/1/21/1618", "Nuvaxovid"),
    ("LP6464-4", "Nucleic acid amplification with probe detection"),
    ("LP217198-3", "Rapid immunoassay"),
    ("260415000", "Not detected"),
    ("260373001", "Detected"),
];

fn entry_text(kind: DccType, entry: &json::Value) -> String {
    let field = |f: &str| match entry.get(f) {
        Some(json::Value::String(s)) => match DISPLAY.iter().find(|(c, _)| c == s) {
            Some((_, name)) => format!("{name} ({s})"),
            None => s.clone(),
        },
        Some(json::Value::Number(n)) => n.as_str().to_owned(),
        _ => String::new(),
    };
    let mut lines = vec![format!("Disease: {}", field("tg"))];
    let mut line = |label: &str, value: String| {
        if !value.is_empty() {
            lines.push(format!("{label}: {value}"));
        }
    };
    match kind {
        DccType::Vaccination => {
            line("Vaccine", field("vp"));
            line("Product", field("mp"));
            line("Manufacturer", field("ma"));
            line("Dose", format!("{} of {}", field("dn"), field("sd")));
            line("Date of vaccination", field("dt"));
        }
        DccType::Test => {
            line("Type of test", field("tt"));
            line("Test name", field("nm"));
            line("Test manufacturer", field("ma"));
            line("Sample collected", field("sc"));
            line("Result", field("tr"));
            line("Testing centre", field("tc"));
        }
        DccType::Recovery => {
            line("First positive test", field("fr"));
            line("Valid from", field("df"));
            line("Valid until", field("du"));
        }
    }
    line("Country", field("co"));
    line("Issuer", field("is"));
    line("Certificate identifier", field("ci"));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_rules() {
        let oids = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let vacc = oids(&["1.3.6.1.4.1.1847.2021.1.2"]);
        assert!(key_usage_allows(None, DccType::Test));
        assert!(key_usage_allows(Some(&vacc), DccType::Vaccination));
        assert!(!key_usage_allows(Some(&vacc), DccType::Test));
        let early = oids(&["1.3.6.1.4.1.0.1847.2021.1.1", "1.3.6.1.5.5.7.3.2"]);
        assert!(key_usage_allows(Some(&early), DccType::Test));
        assert!(!key_usage_allows(Some(&early), DccType::Recovery));
        assert!(key_usage_allows(Some(&oids(&["2.23.136.1.1.14.2"])), DccType::Recovery));
    }

    #[test]
    fn prefix_and_compression() {
        assert_eq!(unprefix("HC1:ABC").unwrap(), "ABC");
        assert_eq!(unprefix("HC2:ABC").unwrap_err().code(), "document-unknown");
        assert_eq!(inflate_zlib(b"not zlib").unwrap_err().code(), "compression-invalid");
    }
}
