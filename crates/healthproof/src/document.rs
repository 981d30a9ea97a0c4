//! One entry point for whatever a reader scans, pastes or opens: a HealthProof presentation,
//! an EU DCC, or a SMART Health Card, each verified into the same [`Report`] shape.
//!
//! [`detect`] decides by the first bytes after any leading ASCII white space (pasted text and
//! files often carry some):
//!
//! | input starts with | kind | verifier |
//! |---|---|---|
//! | `healthproof/v1` | [`Kind::HealthProof`] | [`record::verify`] |
//! | `HC1:` | [`Kind::Hcert`] | [`hcert::verify`] |
//! | `shc:/` | [`Kind::SmartHealthCard`], numeric QR (chunks separated by whitespace) | [`shc::verify`] |
//! | `{` (after JSON whitespace) | [`Kind::SmartHealthCard`], a `.smart-health-card` file | [`shc::verify`] each |
//! | `ey`, three dot-separated parts, no `~` | [`Kind::SmartHealthCard`], a compact JWS | [`shc::verify`] |
//!
//! Anything else goes to the HealthProof verifier, whose `format` check names the problem
//! precisely (`presentation-malformed`, `input-too-large`), so the record corpus gives the same
//! codes through here as through [`record::verify`]. A build without the `interop` feature
//! reports a DCC or SHC as a failed `format` check with `document-unknown`.

#[cfg(not(feature = "interop"))]
use crate::record::Builder;
use crate::record::{self, Kind, Options, Report};
use crate::Error;
#[cfg(feature = "interop")]
use crate::{hcert, record::Verdict, shc};

/// The kind of document `input` is, by its first bytes; `None` when it is none of them. (This
/// does not depend on the build: [`verify`] says when a kind is not supported.)
pub fn detect(input: &[u8]) -> Option<Kind> {
    let start = input.iter().position(|b| !b" \t\r\n".contains(b)).unwrap_or(input.len());
    let input = input.get(start..).unwrap_or_default();
    if input.starts_with(crate::presentation::HEADER.as_bytes()) {
        Some(Kind::HealthProof)
    } else if input.starts_with(b"HC1:") {
        Some(Kind::Hcert)
    } else if input.starts_with(b"shc:")
        || input.starts_with(b"{")
        || (input.starts_with(b"ey")
            && input.iter().filter(|&&b| b == b'.').count() == 2
            && !input.contains(&b'~'))
    {
        Some(Kind::SmartHealthCard)
    } else {
        None
    }
}

/// Verifies any supported document against a signed trust list.
///
/// Never fails. Input of no known kind, empty or over [`MAX_PRESENTATION`] bytes is verified
/// as a HealthProof presentation, which refuses it with a precise code. A `.smart-health-card`
/// file with several cards gives one report: the first that is not verified if any, else the
/// first, with the other cards' content appended and the worst verdict.
///
/// [`MAX_PRESENTATION`]: crate::presentation::MAX_PRESENTATION
pub fn verify(input: &[u8], trust_list: &[u8], options: &Options) -> Report {
    // Only a document of another kind leaves the HealthProof verifier: everything else,
    // including empty, oversized or unrecognisable input, gets its precise format error.
    let kind =
        if input.len() > crate::presentation::MAX_PRESENTATION { None } else { detect(input) };
    let text = core::str::from_utf8(input).map(str::trim);
    match (kind, text) {
        #[cfg(feature = "interop")]
        (Some(Kind::Hcert), Ok(text)) => hcert::verify(text, trust_list, options),
        #[cfg(feature = "interop")]
        (Some(Kind::SmartHealthCard), Ok(text)) => verify_shc(text, trust_list, options),
        #[cfg(not(feature = "interop"))]
        (Some(Kind::Hcert | Kind::SmartHealthCard), _) => {
            let mut b = Builder::new(record::CHECK_ORDER);
            b.fail("format", &Error::DocumentUnknown);
            b.finish(Builder::report(Kind::HealthProof))
        }
        _ => record::verify(input, trust_list, options),
    }
}

#[cfg(feature = "interop")]
fn verify_shc(text: &str, trust_list: &[u8], options: &Options) -> Report {
    if text.starts_with("shc:") {
        return shc::verify_parsed(
            shc::jws_from_qr(text).and_then(|j| shc::Card::parse(&j)),
            trust_list,
            options,
        );
    }
    if !text.trim_start().starts_with('{') {
        return shc::verify(text, trust_list, options);
    }
    let cards = match shc::jws_from_file(text) {
        Ok(cards) => cards,
        Err(e) => return shc::verify_parsed(Err(e), trust_list, options),
    };
    let mut reports = cards.iter().map(|jws| shc::verify(jws, trust_list, options));
    let Some(mut first) = reports.next() else {
        return shc::verify_parsed(
            Err(Error::ShcMalformed { reason: "no card" }),
            trust_list,
            options,
        );
    };
    for report in reports {
        if first.verdict == Verdict::NotVerified {
            break;
        }
        if report.verdict == Verdict::NotVerified {
            return report;
        }
        if report.verdict == Verdict::VerifiedWithWarnings {
            first.verdict = Verdict::VerifiedWithWarnings;
        }
        if let (Some(content), Some(more)) = (first.content.as_mut(), report.content) {
            content.sections.extend(more.sections);
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_kind_by_its_first_bytes() {
        let cases: [(&[u8], Option<Kind>); 11] = [
            (b"healthproof/v1\n...", Some(Kind::HealthProof)),
            (b"HC1:NCFOXN", Some(Kind::Hcert)),
            (b"shc:/5676", Some(Kind::SmartHealthCard)),
            (b"shc:5676", Some(Kind::SmartHealthCard)),
            (b" \n{\"verifiableCredential\":[]}", Some(Kind::SmartHealthCard)),
            (b"eyJh.eyJp.c2ln", Some(Kind::SmartHealthCard)),
            (b"eyJh.eyJp.c2ln~", None),
            (b"HC2:NCF", None),
            (b" HC1:NCF", Some(Kind::Hcert)),
            (b"\n healthproof/v1\n", Some(Kind::HealthProof)),
            (b"", None),
        ];
        for (input, kind) in cases {
            assert_eq!(detect(input), kind, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn unknown_input_gets_the_healthproof_format_error() {
        let options = Options::new(0, Vec::new());
        for input in [&b"hello"[..], b"HL1:ABC", &[0xff, 0xfe], b""] {
            let report = verify(input, b"", &options);
            assert_eq!(report.kind, Kind::HealthProof);
            assert_eq!(report.checks.len(), record::CHECK_ORDER.len());
            let failure = report.failure().map(|c| (c.id, c.code));
            assert_eq!(failure, Some(("format", Some("presentation-malformed"))));
        }
    }

    #[cfg(feature = "interop")]
    #[test]
    fn bad_documents_fail_format_with_a_code() {
        let options = Options::new(0, Vec::new());
        let cases: [(&str, &str); 6] = [
            ("HC1:", "compression-invalid"),
            ("HC1:A", "base45-malformed"),
            ("HC1:NCF", "compression-invalid"),
            ("shc:/56762", "qr-malformed"),
            ("eyJh.eyJp.c2ln", "json-malformed"),
            ("{\"verifiableCredential\":1}", "shc-malformed"),
        ];
        for (input, code) in cases {
            let report = verify(input.as_bytes(), b"", &options);
            assert_eq!(
                report.failure().map(|c| (c.id, c.code)),
                Some(("format", Some(code))),
                "{input}"
            );
        }
    }
}
