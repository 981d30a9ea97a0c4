//! `healthproof verify`: a record presentation checked against a trust list, printed for a
//! person (or as JSON), with the exit code telling the verdict.

use std::io::IsTerminal;
use std::process::ExitCode;

use healthproof::json::Value;
use healthproof::note::VerifierKey;
use healthproof::record::{Kind, Options, Outcome, Report, Verdict};

use healthproof::time;

use crate::{now_or, parse_key, read, Failure, VerifyArgs};

/// Runs the command: 0 verified, 3 verified with warnings, 1 not verified, 2 usage or I/O.
pub fn run(args: VerifyArgs) -> ExitCode {
    match verify(&args) {
        Ok(report) => {
            if args.json {
                println!("{}", report.to_json());
            } else {
                print(&report);
            }
            match report.verdict {
                Verdict::Verified => ExitCode::SUCCESS,
                Verdict::VerifiedWithWarnings => ExitCode::from(3),
                Verdict::NotVerified => ExitCode::from(1),
            }
        }
        Err(failure) => {
            let message = match failure {
                Failure::Usage(m) => m,
                Failure::Verify(e) => e.to_string(),
            };
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({ "verdict": "error", "code": "usage", "message": message })
                );
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::from(2)
        }
    }
}

fn verify(args: &VerifyArgs) -> Result<Report, Failure> {
    let mut signers: Vec<VerifierKey> =
        args.trust_signers.iter().map(|k| parse_key(k)).collect::<Result<_, _>>()?;
    if let Some(path) = &args.trust_signers_file {
        let text = String::from_utf8(read(path)?)
            .map_err(|_| Failure::Usage(format!("{}: not UTF-8", path.display())))?;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            signers.push(parse_key(line)?);
        }
    }
    if signers.is_empty() {
        return Err(Failure::Usage(
            "give the keys allowed to sign the trust list: --trust-signer VKEY or --trust-signers FILE".into(),
        ));
    }
    let now = now_or("--now", args.now.as_deref())?;
    let mut options = Options::new(now, signers);
    options.min_trust_list_sequence = args.min_sequence;
    for path in &args.status_lists {
        let token = String::from_utf8(read(path)?)
            .map_err(|_| Failure::Usage(format!("{}: not UTF-8", path.display())))?;
        options.status_lists.push(token);
    }
    let presentation = read(&args.presentation)?;
    let trust_list = read(&args.trust)?;
    // One entry point: a HealthProof presentation, an EU DCC (HC1:) or a SMART Health Card.
    Ok(healthproof::document::verify(&presentation, &trust_list, &options))
}

/// Prints the report for a person: verdict, who and when, every check, then the content.
fn print(report: &Report) {
    let verdict = match report.verdict {
        Verdict::Verified => "VERIFIED",
        Verdict::VerifiedWithWarnings => "VERIFIED WITH WARNINGS",
        Verdict::NotVerified => "NOT VERIFIED",
    };
    // Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let verdict_colour = match report.verdict {
        Verdict::Verified => "1;32",
        Verdict::VerifiedWithWarnings => "1;33",
        Verdict::NotVerified => "1;31",
    };
    println!("{}", paint(verdict_colour, verdict));
    if let Some(failure) = report.failure() {
        println!("  reason:     {} [{}]", failure.message, failure.code.unwrap_or(failure.id));
    }
    if let Some(i) = &report.issuer {
        println!("  issuer:     {} ({}), key {}", i.organisation, i.country, i.kid);
    }
    if report.kind != Kind::HealthProof {
        println!("  document:   {}", report.kind.code());
    }
    if let Some(iat) = report.issued_at {
        println!("  issued:     {}", time::rfc3339(iat));
    }
    if let Some(exp) = report.expires_at {
        println!("  expires:    {}", time::rfc3339(exp));
    }
    if let Some(l) = &report.ledger {
        let by = l.logged_by.map(|t| format!(" by {}", time::rfc3339(t))).unwrap_or_default();
        println!("  logged{by}: entry {} of {} in {}", l.leaf_index, l.tree_size, l.origin);
        for c in &l.cosigners {
            let when = c.timestamp.map(time::rfc3339).unwrap_or_else(|| "no timestamp".into());
            println!("  witness:    {} at {when}", c.name);
        }
    }
    if let Some(t) = &report.trust_list {
        println!(
            "  trust list: #{}, issued {}, {} days old",
            t.sequence,
            time::rfc3339(t.issued),
            t.age / 86_400
        );
    }
    println!("checks:");
    for c in &report.checks {
        let mark = match c.outcome {
            Outcome::Passed => paint("32", "ok  "),
            Outcome::Failed => paint("31", "FAIL"),
            Outcome::Warning => paint("33", "warn"),
            Outcome::NotApplicable => paint("2", " -- "),
        };
        let code = c.code.map(|c| format!(" [{c}]")).unwrap_or_default();
        println!("  {mark} {:<22} {}{code}", c.id, c.message);
    }
    let Some(content) = &report.content else { return };
    println!("content:");
    for (field, value) in &content.patient {
        println!("  patient {field}: {}", summary(value));
    }
    for s in &content.sections {
        let n = s.entries.len();
        println!("  {} — {} ({n} {})", s.key, s.title, if n == 1 { "entry" } else { "entries" });
        if report.kind == Kind::HealthProof {
            for entry in &s.entries {
                println!("    - {}", summary(entry));
            }
        } else {
            // EU DCC and SHC sections carry a readable text made by the core.
            for line in s.text.lines() {
                println!("    {line}");
            }
        }
    }
}

/// A one-line description of a FHIR element or resource: its first display or text.
fn summary(value: &Value) -> String {
    fn find(v: &Value, depth: usize) -> Option<&str> {
        if depth > 8 {
            return None;
        }
        match v {
            Value::String(s) => Some(s),
            Value::Object(o) => ["text", "display", "family", "value"]
                .iter()
                .find_map(|k| o.get(k).and_then(Value::as_str))
                .or_else(|| o.members().iter().find_map(|(_, m)| find(m, depth + 1))),
            Value::Array(a) => a.iter().find_map(|m| find(m, depth + 1)),
            _ => None,
        }
    }
    let kind = value
        .get("resourceType")
        .and_then(Value::as_str)
        .map(|t| format!("{t}: "))
        .unwrap_or_default();
    let what = ["code", "medicationCodeableConcept", "vaccineCode", "type"]
        .iter()
        .find_map(|k| value.get(k).and_then(|v| find(v, 0)))
        .or_else(|| find(value, 0))
        .unwrap_or("");
    let what: String = what.chars().filter(|c| !c.is_control()).take(120).collect();
    format!("{kind}{what}")
}
