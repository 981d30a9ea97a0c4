//! The `healthproof` binary run as a user runs it, on the project's own test data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use healthproof::proof::TlogProof;
use healthproof::{base64, merkle};

fn data(path: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/tlog");
    root.join(path).to_str().unwrap().to_owned()
}

fn cli(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthproof"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.unwrap_or_default()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("healthproof-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn tlog_proof_verifies_and_names_the_witnesses() {
    let (policy, entry, proof) =
        (data("policy.txt"), data("demo/entry.txt"), data("demo/entry.tlog-proof"));
    let out = cli(&["proof", "verify", "--policy", &policy, "--entry", &entry, &proof], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("verified\n"), "{stdout}");
    assert!(stdout.contains("cosigned by: a at 2026-11-01T00:00:00Z"), "{stdout}");
    let out =
        cli(&["proof", "verify", "--policy", &policy, "--entry", &entry, &proof, "--json"], None);
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["tree_size"], 1000);
    assert_eq!(v["leaf_index"], 421);
    assert_eq!(v["cosigners"].as_array().unwrap().len(), 2);
}

#[test]
fn wrong_entry_fails_with_its_code() {
    let (policy, proof) = (data("policy.txt"), data("demo/entry.tlog-proof"));
    let other = data("demo/tampered.txt");
    let out = cli(&["proof", "verify", "--policy", &policy, "--entry", &other, &proof], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not verified [proof-mismatch]"), "{}", text(&out.stderr));
    let out =
        cli(&["proof", "verify", "--policy", &policy, "--entry", &other, &proof, "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["code"], "proof-mismatch");
}

#[test]
fn proof_can_come_from_stdin_and_flags_replace_the_policy_file() {
    let policy = std::fs::read_to_string(data("policy.txt")).unwrap();
    let keys: Vec<&str> = policy
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(' ').next_back())
        .collect();
    let (log, witnesses) = (keys[0], &keys[1..4]);
    let proof = std::fs::read(data("demo/entry.tlog-proof")).unwrap();
    let entry = data("demo/entry.txt");
    let mut args = vec!["proof", "verify", "--log", log, "--entry", &entry, "--quorum", "2"];
    for w in witnesses {
        args.extend(["--witness", w]);
    }
    args.push("-");
    let out = cli(&args, Some(&proof));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // All three witnesses are required by default; only two cosigned.
    let all: Vec<&str> = args.iter().copied().filter(|a| *a != "--quorum" && *a != "2").collect();
    let out = cli(&all, Some(&proof));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[quorum-unsatisfied]"), "{}", text(&out.stderr));
}

#[test]
fn checkpoint_and_note_verify() {
    let proof = TlogProof::parse(&std::fs::read(data("demo/entry.tlog-proof")).unwrap()).unwrap();
    let checkpoint = temp("checkpoint", &proof.checkpoint().to_bytes());
    let out = cli(
        &["checkpoint", "verify", "--policy", &data("policy.txt"), &checkpoint, "--json"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["origin"], "log.healthproof.example/test");
    assert_eq!(v["cosigners"][0]["timestamp"], 1_793_491_200u64);

    let policy = std::fs::read_to_string(data("policy.txt")).unwrap();
    let log_key =
        policy.lines().find(|l| l.starts_with("log ")).unwrap().trim_start_matches("log ");
    let out = cli(&["note", "verify", "--key", log_key, &checkpoint], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("signed by: log.healthproof.example/test+"));
    let out = cli(&["note", "verify", "--key", log_key, "-"], Some(b"not a note\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[note-malformed]"));
}

#[test]
fn raw_rfc9162_inclusion_and_consistency_proofs() {
    let proof = TlogProof::parse(&std::fs::read(data("demo/entry.tlog-proof")).unwrap()).unwrap();
    let cp = healthproof::checkpoint::Checkpoint::parse(proof.checkpoint().text()).unwrap();
    let entry = std::fs::read(data("demo/entry.txt")).unwrap();
    let leaf: String = merkle::leaf_hash(&entry).iter().map(|b| format!("{b:02x}")).collect();
    let hashes: String = proof.hashes().iter().map(|h| base64::encode(h) + "\n").collect();
    let hashes = temp("hashes", hashes.as_bytes());
    let root = base64::encode(cp.root_hash());
    let size = cp.tree_size().to_string();
    let args = [
        "proof",
        "verify",
        "--leaf-hash",
        &leaf,
        "--index",
        "421",
        "--size",
        &size,
        "--root",
        &root,
        "--hashes",
        &hashes,
    ];
    let out = cli(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut wrong = args;
    wrong[5] = "420";
    let out = cli(&wrong, None);
    assert_eq!(out.status.code(), Some(1));

    let leaves: Vec<merkle::Hash> = (0..10u8).map(|i| merkle::leaf_hash(&[i])).collect();
    let consistency = merkle::prove_consistency(3, &leaves).unwrap();
    let lines: String = consistency.iter().map(|h| base64::encode(h) + "\n").collect();
    let r1 = base64::encode(&merkle::root(&leaves[..3]));
    let r2 = base64::encode(&merkle::root(&leaves));
    let c = [
        "proof",
        "consistency",
        "--size1",
        "3",
        "--size2",
        "10",
        "--root1",
        &r1,
        "--root2",
        &r2,
        "--hashes",
        "-",
    ];
    assert_eq!(cli(&c, Some(lines.as_bytes())).status.code(), Some(0));
    let mut swapped = c;
    swapped[7] = &r2;
    swapped[9] = &r1;
    assert_eq!(cli(&swapped, Some(lines.as_bytes())).status.code(), Some(1));
}

#[test]
fn bad_usage_is_exit_2_with_a_sentence() {
    let out = cli(&["proof", "verify", "--log", "not-a-key", "--entry", "x", "y"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("malformed verifier key"), "{}", text(&out.stderr));
    let out = cli(&["checkpoint", "verify", "--policy", "/nonexistent/policy", "-"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/policy"));
    let out = cli(&["proof", "verify", "--policy", &data("policy.txt")], None);
    assert_eq!(out.status.code(), Some(2));
}

fn records(path: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/records");
    root.join(path).to_str().unwrap().to_owned()
}

fn verify_args<'a>(presentation: &'a str, trust: &'a str, signers: &'a str) -> Vec<&'a str> {
    vec![
        "verify",
        presentation,
        "--trust",
        trust,
        "--trust-signers",
        signers,
        "--now",
        "2026-11-08T00:00:00Z",
    ]
}

#[test]
fn verify_record_exit_codes_follow_the_verdict() {
    let (trust, signers) = (records("trust-list.txt"), records("trust-list-signer.txt"));
    let ok = records("demo/record.hproof");
    let out = cli(&verify_args(&ok, &trust, &signers), None);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).starts_with("VERIFIED\n"));
    assert!(text(&out.stdout).contains("allergies — Allergien und Intoleranzen (1 entry)"));

    let bad = records("demo/tampered.hproof");
    let out = cli(&verify_args(&bad, &trust, &signers), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("[disclosure-unreferenced]"));

    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(records("cases/revoked-key-after-logging.json")).unwrap(),
    )
    .unwrap();
    let file = temp("revoked.hproof", case["presentation"].as_str().unwrap().as_bytes());
    let out = cli(&verify_args(&file, &trust, &signers), None);
    assert_eq!(out.status.code(), Some(3), "verified with warnings: {}", text(&out.stdout));
}

#[test]
fn verify_record_json_report() {
    let (trust, signers) = (records("trust-list.txt"), records("trust-list-signer.txt"));
    let partial = records("demo/partial.hproof");
    let mut args = verify_args(&partial, &trust, &signers);
    args.push("--json");
    let out = cli(&args, None);
    let v = json(&out);
    assert_eq!(v["verdict"], "verified");
    assert_eq!(v["issuer"]["country"], "DE");
    assert_eq!(v["ledger"]["loggedBy"], 1_793_491_200u64);
    assert_eq!(v["checks"].as_array().unwrap().len(), 14);
    assert_eq!(v["content"]["sections"][0]["key"], "allergies");
    // Reading the presentation from stdin gives the same report.
    let mut args = verify_args("-", &trust, &signers);
    args.push("--json");
    let again = cli(&args, Some(&std::fs::read(&partial).unwrap()));
    assert_eq!(json(&again), v);
}

#[test]
fn verify_record_usage_errors() {
    let (trust, record) = (records("trust-list.txt"), records("demo/record.hproof"));
    let out = cli(&["verify", &record, "--trust", &trust], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--trust-signer"), "{}", text(&out.stderr));
    let signers = records("trust-list-signer.txt");
    let out = cli(
        &["verify", &record, "--trust", &trust, "--trust-signers", &signers, "--now", "soon"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--now"));
}

#[test]
fn every_demo_presentation_gets_its_intended_verdict() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let path = |p: &str| root.join(p).to_str().unwrap().to_owned();
    let expected: &[(&str, i32, &str)] = &[
        ("de-anna-schmidt-full", 0, "VERIFIED"),
        ("ee-liisa-kask-partial", 0, "VERIFIED"),
        ("fr-camille-lefevre-partial", 0, "VERIFIED"),
        ("it-giuseppe-russo-full", 0, "VERIFIED"),
        ("nl-johanna-van-den-berg-full", 0, "VERIFIED"),
        ("pl-krzysztof-wisniewski-partial", 0, "VERIFIED"),
        ("pt-joao-pereira-full", 0, "VERIFIED"),
        ("es-mateo-fernandez-ruiz-full", 3, "[key-revoked-after-logging]"),
        ("revoked-key-after-revocation-partial", 1, "[key-revoked]"),
        ("expired-key-partial", 1, "[key-not-valid]"),
        ("untrusted-issuer-partial", 1, "[issuer-unknown]"),
        ("tampered", 1, "[disclosure-unreferenced]"),
    ];
    for (name, code, marker) in expected {
        let file = path(&format!("presentations/{name}.hproof"));
        let (trust, signers) = (path("trust-list.txt"), path("trust-list-signer.txt"));
        let mut args = verify_args(&file, &trust, &signers);
        // The demo data is current as of 2026-11-22.
        *args.last_mut().unwrap() = "2026-11-22T12:00:00Z";
        let out = cli(&args, None);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(*code), "{name}: {stdout}");
        assert!(stdout.contains(marker), "{name}: {stdout}");
    }
}
