//! The operator side run as hospitals, log operators and witnesses would run it: keys, issuing
//! from a FHIR IPS Bundle, a tiles log, witnesses (local and over HTTP), proofs, presentations,
//! trust lists, and a crash in the middle of an append.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use healthproof::merkle;
use healthproof::note::{Note, VerifierKey};
use healthproof::policy::{Policy, TrustedLog};

fn hp(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthproof")).args(args).current_dir(dir).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = hp(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn vkey(dir: &Path, key: &str) -> String {
    ok(dir, &["key", "show", key])
        .lines()
        .find_map(|l| l.strip_prefix("vkey: "))
        .unwrap()
        .to_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hp-operator-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bundle() -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/bundles/fr-camille-lefevre.json");
    root.to_str().unwrap().to_owned()
}

const ORIGIN: &str = "log.test.example/ops";

/// Keys, an issued record, a log holding it among filler entries.
fn setup(dir: &Path) -> (String, String) {
    for (name, role, file) in [
        ("fr-aphp-test", "issuer", "issuer.key"),
        (ORIGIN, "log", "log.key"),
        ("w1.test.example", "witness", "w1.key"),
        ("w2.test.example", "witness", "w2.key"),
        ("trust.test.example", "trust", "trust.key"),
    ] {
        ok(dir, &["key", "generate", "--name", name, "--role", role, "--out", file]);
    }
    let out = hp(dir, &["key", "generate", "--name", "again", "--out", "issuer.key"]);
    assert_eq!(out.status.code(), Some(2), "an existing key file is never overwritten");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(dir.join("issuer.key")).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    ok(
        dir,
        &[
            "issue",
            "--key",
            "issuer.key",
            "--bundle",
            &bundle(),
            "--iat",
            "2026-11-20T10:00:00Z",
            "--out",
            "rec.sd-jwt",
        ],
    );
    ok(dir, &["log", "init", "--origin", ORIGIN, "--key", "log.key", "log"]);
    let filler: String = (0..700).map(|i| format!("filler {i}\n")).collect();
    std::fs::write(dir.join("filler.txt"), filler).unwrap();
    ok(dir, &["log", "append", "log", "--lines", "filler.txt"]);
    ok(dir, &["log", "append", "log", "--record", "rec.sd-jwt"]);
    ok(dir, &["log", "append", "log", "--lines", "filler.txt"]);
    (vkey(dir, "log.key"), vkey(dir, "trust.key"))
}

fn trust_list(dir: &Path, log: &str, witnesses: &[String]) {
    let issuer = ok(dir, &["key", "show", "issuer.key"]);
    let public = issuer.lines().find_map(|l| l.strip_prefix("public key: ")).unwrap();
    let text = format!(
        "healthproof/trust-list/v1\nsequence 3\nissued 1795000000\nsigner {}\nlog {log}\nwitness w1 {}\nwitness w2 {}\ngroup all 2 w1 w2\nquorum all\nissuer fr-aphp-test FR 1767225600 1830297600 {public} AP-HP (test)\n",
        vkey(dir, "trust.key"),
        witnesses[0],
        witnesses[1]
    );
    std::fs::write(dir.join("trust.txt"), text).unwrap();
    ok(dir, &["trust", "sign", "--key", "trust.key", "trust.txt", "--out", "trust.signed"]);
}

#[test]
fn issue_log_witness_prove_present_verify() {
    let dir = scratch("flow");
    let (log, trust) = setup(&dir);
    let w = [vkey(&dir, "w1.key"), vkey(&dir, "w2.key")];
    for (key, state) in [("w1.key", "w1"), ("w2.key", "w2")] {
        let line = ok(
            &dir,
            &[
                "witness",
                "cosign",
                "--key",
                key,
                "--state",
                state,
                "--log-key",
                &log,
                "log",
                "--write",
                "--time",
                "2026-11-20T12:00:00Z",
            ],
        );
        assert!(line.starts_with("\u{2014} w"), "{line}");
    }
    // The tiles agree with an independent computation over all entries.
    let checkpoint = ok(&dir, &["log", "checkpoint", "log"]);
    let record = std::fs::read_to_string(dir.join("rec.sd-jwt")).unwrap();
    let jwt = record.split('~').next().unwrap();
    let mut entries: Vec<Vec<u8>> = (0..700).map(|i| format!("filler {i}").into_bytes()).collect();
    entries.push(jwt.as_bytes().to_vec());
    entries.extend((0..700).map(|i| format!("filler {i}").into_bytes()));
    let hashes: Vec<_> = entries.iter().map(|e| merkle::leaf_hash(e)).collect();
    let policy = Policy::new(
        vec![TrustedLog { origin: ORIGIN.into(), key: VerifierKey::parse(&log).unwrap() }],
        w.iter().map(|k| VerifierKey::parse(k).unwrap()).collect(),
        2,
    )
    .unwrap();
    let verified = policy.verify_checkpoint(checkpoint.as_bytes()).unwrap();
    assert_eq!(verified.checkpoint.tree_size(), 1401);
    assert_eq!(verified.checkpoint.root_hash(), merkle::root(&hashes));

    ok(&dir, &["prove", "--log", "log", "--record", "rec.sd-jwt", "--out", "rec.tlog-proof"]);
    ok(
        &dir,
        &[
            "present",
            "--record",
            "rec.sd-jwt",
            "--proof",
            "rec.tlog-proof",
            "--disclose",
            "allergies,name",
            "--out",
            "rec.hproof",
        ],
    );
    trust_list(&dir, &log, &w);
    std::fs::write(dir.join("signers.txt"), format!("{trust}\n")).unwrap();
    let report = ok(
        &dir,
        &[
            "verify",
            "rec.hproof",
            "--trust",
            "trust.signed",
            "--trust-signers",
            "signers.txt",
            "--now",
            "2026-11-21T00:00:00Z",
        ],
    );
    assert!(report.starts_with("VERIFIED\n"), "{report}");
    assert!(report.contains("AP-HP (test) (FR)"));
    assert!(report.contains("allergies"));
    assert!(!report.contains("medications —"), "only what was disclosed is shown");

    let out = hp(
        &dir,
        &[
            "present",
            "--record",
            "rec.sd-jwt",
            "--proof",
            "rec.tlog-proof",
            "--disclose",
            "diagnosis",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not one of"));
    let shown = ok(&dir, &["trust", "show", "trust.signed", "--signer", &trust]);
    assert!(shown.contains("issuer   FR fr-aphp-test AP-HP (test)"), "{shown}");
}

#[test]
fn issuing_rejects_a_bundle_that_is_not_an_ips_document_with_its_path() {
    let dir = scratch("bad-bundle");
    ok(&dir, &["key", "generate", "--name", "k", "--out", "k.key"]);
    let text = std::fs::read_to_string(bundle()).unwrap().replacen("\"48765-2\"", "\"12345-6\"", 1);
    std::fs::write(dir.join("b.json"), text).unwrap();
    let out = hp(&dir, &["issue", "--key", "k.key", "--bundle", "b.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("b.json: not an IPS document at $.entry[0].resource.section["), "{err}");
    assert!(err.contains("not an IPS section code"), "{err}");
}

#[test]
fn witness_over_http_cosigns_and_keeps_a_fork_as_evidence() {
    let dir = scratch("http");
    let (log, _) = setup(&dir);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let address = format!("127.0.0.1:{port}");
    /// Kills the witness server however the test ends.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let server = Command::new(env!("CARGO_BIN_EXE_healthproof"))
        .args([
            "witness",
            "serve",
            "--key",
            "w1.key",
            "--state",
            "w1",
            "--log-key",
            &log,
            "--listen",
            &address,
        ])
        .current_dir(&dir)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(server);
    let url = format!("http://{address}");
    let w1 = vkey(&dir, "w1.key");
    let mut submitted = String::new();
    for _ in 0..50 {
        let out = hp(&dir, &["log", "witness", "log", "--url", &url, "--witness", &w1]);
        submitted = String::from_utf8_lossy(&out.stdout).into_owned();
        if submitted.contains("cosigned") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(submitted.contains(": cosigned"), "{submitted}");
    ok(&dir, &["log", "append", "log", "--lines", "filler.txt"]);
    let again = ok(&dir, &["log", "witness", "log", "--url", &url, "--witness", &w1]);
    assert!(again.contains(": cosigned"), "consistent growth is cosigned: {again}");
    // A second history under the same log key is a fork: refused, and kept.
    ok(&dir, &["log", "init", "--origin", ORIGIN, "--key", "log.key", "fork"]);
    let behind = ok(&dir, &["log", "witness", "fork", "--url", &url, "--witness", &w1]);
    assert!(behind.contains("refused (the witness has seen"), "{behind}");
    for _ in 0..4 {
        ok(&dir, &["log", "append", "fork", "--lines", "filler.txt", "rec.sd-jwt"]);
    }
    let forked = ok(&dir, &["log", "witness", "fork", "--url", &url, "--witness", &w1]);
    assert!(forked.contains("refused (422"), "{forked}");
    drop(server);
    let forks = dir.join("w1/log.test.example_ops/forks");
    let kept: Vec<_> = std::fs::read_dir(&forks).unwrap().collect();
    assert_eq!(kept.len(), 1, "both checkpoints are kept as evidence");
    let cp =
        Note::parse(&std::fs::read(dir.join("w1/log.test.example_ops/latest")).unwrap()).unwrap();
    assert!(cp.text().contains("\n2101\n"), "the witness state still follows the real log");
}

#[test]
fn a_crash_mid_append_leaves_the_previous_checkpoint_valid() {
    let dir = scratch("crash");
    let (log, _) = setup(&dir);
    let before = ok(&dir, &["log", "checkpoint", "log"]);
    let big: String = (0..400_000).map(|i| format!("bulk entry {i}\n")).collect();
    std::fs::write(dir.join("big.txt"), big).unwrap();
    let log_key = VerifierKey::parse(&log).unwrap();
    let mut interrupted = false;
    for delay_ms in [30u64, 120, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_healthproof"))
            .args(["log", "append", "log", "--lines", "big.txt"])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever checkpoint is there verifies, and its tiles reproduce its root.
        let now = ok(&dir, &["log", "checkpoint", "log"]);
        let policy = Policy::new(
            vec![TrustedLog { origin: ORIGIN.into(), key: log_key.clone() }],
            vec![],
            0,
        )
        .unwrap();
        policy.verify_checkpoint(now.as_bytes()).unwrap();
        let size: u64 = now.lines().nth(1).unwrap().parse().unwrap();
        assert!(size == 1401 || size == 401_401, "either the old or the complete new tree: {size}");
        if size == 1401 {
            assert_eq!(now, before);
            // Evidence the kill landed mid-append: tiles past the checkpoint were written.
            interrupted |= dir.join("log/tile/entries/010").exists();
        }
    }
    assert!(
        interrupted,
        "at least one append was killed after writing tiles, before its checkpoint"
    );
    // And the log keeps working after the crashes.
    ok(&dir, &["log", "append", "log", "--lines", "filler.txt"]);
    ok(&dir, &["log", "checkpoint", "log"]);
}

/// Serves `root` read-only over HTTP on a loopback port, like any static host or CDN would;
/// stops after `requests` requests.
fn static_server(root: PathBuf, requests: usize) -> (String, std::thread::JoinHandle<usize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut served = 0;
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            // Read the headers too: closing with unread input would reset the connection.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split(' ').nth(1).unwrap_or("/").trim_start_matches('/').to_owned();
            let response = match std::fs::read(root.join(&path)) {
                Ok(body) if !path.contains("..") => {
                    served += 1;
                    let mut r =
                        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len())
                            .into_bytes();
                    r.extend(body);
                    r
                }
                _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
            };
            let _ = stream.write_all(&response);
        }
        served
    });
    (url, handle)
}

#[test]
fn prove_reads_a_log_over_http_as_a_remote_client() {
    let dir = scratch("remote");
    setup(&dir);
    let local = ok(&dir, &["prove", "--log", "log", "--index", "700"]);
    // A proof needs the checkpoint and a handful of tiles, not the whole log.
    let (url, server) = static_server(dir.join("log"), 8);
    let out = hp(&dir, &["prove", "--log", &url, "--index", "700"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        local,
        "the same proof from a directory and over HTTP"
    );
    // Let the server thread end: the remaining accepts get connection attempts.
    for _ in 0..8 {
        let _ = std::net::TcpStream::connect(url.trim_start_matches("http://"));
    }
    let served = server.join().unwrap();
    assert!(served <= 6, "checkpoint plus a few tiles: {served}");
}
