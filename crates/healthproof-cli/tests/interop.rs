//! `trust import` and `verify` on EU DCC and SMART Health Card data, read in place from
//! `../shared/interop` (skipped, saying so, when it is absent). Nothing is copied into the
//! repository: the test writes its inputs to a scratch directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn interop() -> Option<PathBuf> {
    let root = match std::env::var_os("HEALTHPROOF_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    let dir = root.join("interop");
    dir.is_dir().then_some(dir)
}

fn hp(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthproof")).current_dir(dir).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = hp(dir, args);
    assert!(out.status.success(), "{args:?}: {}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn import_sign_and_verify_dcc_and_shc() {
    let Some(shared) = interop() else {
        println!("SKIP import_sign_and_verify_dcc_and_shc: ../shared/interop is not present");
        return;
    };
    let dir = std::env::temp_dir().join(format!("hp-interop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let p = |rel: &str| shared.join(rel).to_str().unwrap().to_owned();

    // A DCC Gateway-shaped list holding one vector's DSC, as the gateway publishes it.
    let vector: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(p("dcc/common/2DCode/raw/CO3.json")).unwrap(),
    )
    .unwrap();
    let cert = vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap();
    let gateway = serde_json::json!([
        {"kid": "x", "country": "de", "certificateType": "DSC", "rawData": cert},
        {"kid": "y", "country": "DE", "certificateType": "UPLOAD", "rawData": cert},
        {"kid": "z", "country": "DE", "certificateType": "DSC", "rawData": "bm90IGEgY2VydA=="},
    ]);
    std::fs::write(dir.join("dsc.json"), gateway.to_string()).unwrap();
    let out = hp(&dir, &["trust", "import", "--dcc", "dsc.json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dcc_lines = text(&out.stdout);
    assert_eq!(dcc_lines.lines().count(), 1, "one usable DSC: {dcc_lines}");
    assert!(dcc_lines.starts_with("dsc DE "));
    assert!(
        text(&out.stderr).contains("1 signer certificates, 1 skipped"),
        "{}",
        text(&out.stderr)
    );

    let iss = "https://spec.smarthealth.cards/examples/issuer";
    let crl = p("shc/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json");
    let shc_lines = ok(
        &dir,
        &[
            "trust",
            "import",
            "--shc-iss",
            iss,
            "--shc-jwks",
            &p("shc/issuer/.well-known/jwks.json"),
            "--shc-crl",
            &crl,
        ],
    );
    assert_eq!(shc_lines.lines().filter(|l| l.starts_with("shc-key ")).count(), 2);
    assert_eq!(shc_lines.lines().filter(|l| l.starts_with("shc-revoked ")).count(), 4);
    // A malformed revocation list is refused at import.
    let bad = p("shc-negative/badcrl/duplicate-rid/.well-known");
    let out = hp(
        &dir,
        &[
            "trust",
            "import",
            "--shc-iss",
            "https://x.example",
            "--shc-jwks",
            &format!("{bad}/jwks.json"),
            "--shc-crl",
            &format!("{bad}/crl/hrvC0uzB16UXK83BnPo7Glg685b1D6iYOyJd5hpRaAA.json"),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));

    ok(
        &dir,
        &[
            "key",
            "generate",
            "--name",
            "trust.interop.example",
            "--role",
            "trust",
            "--out",
            "trust.key",
        ],
    );
    let vkey = ok(&dir, &["key", "show", "trust.key"])
        .lines()
        .find_map(|l| l.strip_prefix("vkey: ").map(str::to_owned))
        .unwrap();
    let list = format!(
        "healthproof/trust-list/v1\nsequence 1\nissued 1700000000\nsigner {vkey}\nquorum none\n{dcc_lines}{shc_lines}"
    );
    std::fs::write(dir.join("trust.txt"), list).unwrap();
    ok(&dir, &["trust", "sign", "--key", "trust.key", "trust.txt", "--out", "trust.signed"]);
    let show = ok(&dir, &["trust", "show", "trust.signed", "--signer", &vkey]);
    assert!(show.contains("dcc      1 signer certificates"), "{show}");
    assert!(
        show.contains("shc      https://spec.smarthealth.cards/examples/issuer key 3Kfdg"),
        "{show}"
    );

    let verify = |input: &str, now: &str| {
        hp(
            &dir,
            &[
                "verify",
                input,
                "--trust",
                "trust.signed",
                "--trust-signer",
                &vkey,
                "--now",
                now,
                "--json",
            ],
        )
    };
    // SHC example 00 verifies (the trust list is then 0 days old); 03 is revoked.
    let out = verify(&p("shc/example-00-f-qr-code-numeric-value-0.txt"), "1700000000");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["kind"], "smart-health-card");
    assert_eq!(report["content"]["sections"][0]["key"], "immunizations");
    let out = verify(&p("shc/example-03-e-file.smart-health-card"), "1700000000");
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed: Vec<_> =
        report["checks"].as_array().unwrap().iter().filter(|c| c["outcome"] == "failed").collect();
    assert_eq!(failed[0]["code"], "status-revoked");

    // The DCC, at its validation clock (2021, before the trust list's date): verified, with
    // the trust-list-future warning (exit 3).
    std::fs::write(dir.join("dcc.txt"), vector["PREFIX"].as_str().unwrap()).unwrap();
    let out = verify("dcc.txt", vector["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["kind"], "hcert", "{report}");
    assert_eq!(report["issuer"]["country"], "DE");
    assert_eq!(out.status.code(), Some(3), "{report}");
    let clock = vector["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap();
    let out = hp(
        &dir,
        &["verify", "dcc.txt", "--trust", "trust.signed", "--trust-signer", &vkey, "--now", clock],
    );
    let human = text(&out.stdout);
    assert!(human.contains("Disease: COVID-19 (840539006)"), "{human}");
    assert!(human.contains("document:   hcert"), "{human}");
    // Two years later the certificate has expired.
    let out = verify("dcc.txt", "1700000000");
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}
