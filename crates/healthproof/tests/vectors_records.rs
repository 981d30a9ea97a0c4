//! The adversarial record corpus, `tests/vectors/records/cases/*.json`, made by
//! `cargo xtask testdata`: each case gives the verdict, and the check and code that decide it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::report;
use healthproof::base64;
use healthproof::note::VerifierKey;
use healthproof::record::{self, Options, Outcome, Report};
use serde_json::Value;

/// Runs one case file's verification.
fn run(case: &Value) -> Report {
    let presentation: Vec<u8> = if let Some(text) = case["presentation"].as_str() {
        text.as_bytes().to_vec()
    } else if let Some(b64) = case["presentation_base64"].as_str() {
        base64::decode(b64).unwrap()
    } else {
        let r = &case["presentation_repeat"];
        r["unit"].as_str().unwrap().repeat(r["count"].as_u64().unwrap() as usize).into_bytes()
    };
    let signers: Vec<VerifierKey> = case["trust_list_signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| VerifierKey::parse(k.as_str().unwrap()).unwrap())
        .collect();
    let mut options = Options::new(case["now"].as_u64().unwrap(), signers);
    let o = &case["options"];
    if let Some(n) = o["min_trust_list_sequence"].as_u64() {
        options.min_trust_list_sequence = n;
    }
    if let Some(n) = o["max_trust_list_age"].as_u64() {
        options.max_trust_list_age = n;
    }
    if let Some(lists) = o["status_lists"].as_array() {
        options.status_lists = lists.iter().map(|t| t.as_str().unwrap().to_owned()).collect();
    }
    record::verify(&presentation, case["trust_list"].as_str().unwrap().as_bytes(), &options)
}

fn cases() -> Vec<(String, Value)> {
    common::own_cases("records")
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn record_corpus_gives_expected_verdicts_and_codes() {
    let mut passed = 0;
    let mut failures = Vec::new();
    let all = cases();
    for (name, case) in &all {
        let report = run(case);
        let expected = &case["expected"];
        let check_id = expected["check"].as_str().unwrap();
        let check = report.checks.iter().find(|c| c.id == check_id).unwrap();
        let verdict_ok = report.verdict.code() == expected["verdict"].as_str().unwrap();
        let code_ok = check.code == expected["code"].as_str();
        let outcome_ok = match report.verdict.code() {
            "verified" => report
                .checks
                .iter()
                .all(|c| matches!(c.outcome, Outcome::Passed | Outcome::NotApplicable)),
            "verified-with-warnings" => check.outcome == Outcome::Warning,
            _ => {
                check.outcome == Outcome::Failed && report.failure().map(|c| c.id) == Some(check_id)
            }
        };
        if verdict_ok && code_ok && outcome_ok {
            passed += 1;
        } else {
            failures.push(format!(
                "{name}: got {} / {:?}; first failure {:?}; expected {expected}",
                report.verdict.code(),
                check,
                report.failure()
            ));
        }
    }
    report("tests/vectors/records", passed, &failures);
    assert!(all.len() >= 40, "the corpus has at least 40 cases");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn hostile_text_comes_back_verbatim_as_plain_strings() {
    let (_, case) = cases().into_iter().find(|(n, _)| n == "valid-hostile-text").unwrap();
    let report = run(&case);
    let content = report.content.unwrap();
    let family = &content.patient.iter().find(|(f, _)| f == "name").unwrap().1;
    let family = family.as_array().unwrap()[0].get("family").unwrap().as_str().unwrap();
    assert!(
        family.starts_with("<script>"),
        "the name is returned as the issuer wrote it: {family}"
    );
    for section in &content.sections {
        assert!(
            section.text.contains("<script>alert('x')</script>"),
            "narrative decoded to text: {}",
            section.text
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn verified_reports_carry_issuer_ledger_and_content() {
    let (_, case) = cases().into_iter().find(|(n, _)| n == "valid-partial").unwrap();
    let report = run(&case);
    let issuer = report.issuer.unwrap();
    assert_eq!((issuer.country.as_str(), issuer.kid.as_str()), ("DE", "de-charite-2026"));
    let ledger = report.ledger.unwrap();
    assert_eq!((ledger.quorum, ledger.cosigners.len()), (2, 2));
    assert_eq!(ledger.logged_by, Some(1_793_491_200));
    let content = report.content.unwrap();
    let keys: Vec<&str> = content.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["allergies", "medications"]);
    assert_eq!(content.patient.len(), 1);
    assert_eq!(report.trust_list.unwrap().sequence, 7);
}

/// The verifier remembers the last trust list it accepted; a list accepted with its signature
/// equation deferred ([`ed25519::deferred`], as the npm package's `verifyAsync` runs) must
/// never stand in for a full check, and must hand its equation back each time it is reused.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_remembered_trust_list_never_replaces_its_signature_check() {
    use healthproof::ed25519;
    let (_, mut case) = cases().into_iter().find(|(n, _)| n == "valid-partial").unwrap();
    let trust_check = |report: &Report| {
        report.checks.iter().find(|c| c.id == "trust-list").map(|c| c.outcome).unwrap()
    };
    let genuine = run(&case);
    assert_eq!(genuine.verdict.code(), "verified");
    assert_eq!(
        run(&case).to_json(),
        genuine.to_json(),
        "the remembered list gives the same report"
    );

    // Forge the trust list's signature: flip a bit of S's lowest byte, so the encodings stay
    // strict (S < L) and only the equation fails.
    let text = case["trust_list"].as_str().unwrap().to_owned();
    let (body, line) = text.trim_end().rsplit_once('\n').unwrap();
    let (prefix, sig) = line.rsplit_once(' ').unwrap();
    let mut raw = base64::decode(sig).unwrap();
    raw[4 + 32] ^= 1;
    case["trust_list"] = format!("{body}\n{prefix} {}\n", base64::encode(&raw)).into();

    let (deferred, equations) = ed25519::deferred(|| run(&case));
    assert_eq!(trust_check(&deferred), Outcome::Passed, "deferred: the equation is the caller's");
    let forged = equations.iter().filter(|e| e.signature[..] == raw[4..]).count();
    assert_eq!(forged, 1, "the forged equation is handed to the caller");
    assert_eq!(trust_check(&run(&case)), Outcome::Failed, "a full check is never skipped");
    let (_, again) = ed25519::deferred(|| run(&case));
    assert_eq!(again.iter().filter(|e| e.signature[..] == raw[4..]).count(), 1, "and again");
    case["trust_list"] = text.into();
    assert_eq!(run(&case).to_json(), genuine.to_json());
}
