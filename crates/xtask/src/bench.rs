//! `cargo xtask bench`: the operator and verifier figures of the README, measured in one run
//! on this machine. Not a test: nothing here fails on a slow machine.
//!
//! - `log append` of 1,000,000 entries through the release CLI (entries/s, wall clock,
//!   including writing every tile and entry bundle and signing the checkpoint);
//! - `prove` for random indices of that log, reading tiles from disk as a client would, each
//!   proof with a fresh, empty tile cache (proofs/s);
//! - `verify` of a demo presentation, natively (presentations/s and median latency);
//! - the primitives `bench/run.mjs` compares in JavaScript: one signed note (Ed25519), the
//!   demo's inclusion proof, SHA-256 throughput.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use healthproof::checkpoint::Checkpoint;
use healthproof::merkle;
use healthproof::note::{self, Note, VerifierKey};
use healthproof::presentation::Presentation;
use healthproof::record::{self, Options};
use healthproof::tiles::TiledTree;
use healthproof::Error;
use sha2::{Digest, Sha256};

use crate::testdata::seed;

/// Runs the benchmark (`entries` log entries) and prints a table.
pub fn run(root: &Path, entries: u64) -> Result<(), String> {
    let cli = root.join("target/release/healthproof");
    let cli = cli.to_str().ok_or("non-UTF-8 path")?;
    let dir = std::env::temp_dir().join(format!("healthproof-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let run_cli = |args: &[&str]| -> Result<(), String> {
        let out =
            Command::new(cli).args(args).current_dir(&dir).output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    };
    run_cli(&[
        "key",
        "generate",
        "--name",
        "bench.example/log",
        "--role",
        "log",
        "--out",
        "log.key",
    ])?;
    run_cli(&["log", "init", "--origin", "bench.example/log", "--key", "log.key", "log"])?;
    let lines: String = (0..entries)
        .map(|i| format!("bench entry {i} {:02x?}\n", &seed(&i.to_string())[..8]))
        .collect();
    std::fs::write(dir.join("entries.txt"), &lines).map_err(|e| e.to_string())?;
    let start = Instant::now();
    run_cli(&["log", "append", "log", "--lines", "entries.txt"])?;
    let append = start.elapsed().as_secs_f64();

    // Proofs for random indices, each from an empty cache, reading tiles from disk.
    let log = dir.join("log");
    let mut state = 0x5eed_u64;
    let proofs = 2000;
    let start = Instant::now();
    for _ in 0..proofs {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let index = (state >> 11) % entries;
        let reader = |p: &str| {
            std::fs::read(log.join(p)).map_err(|_| Error::ProofMalformed { reason: "tile" })
        };
        TiledTree::new(entries, reader).prove_inclusion(index).map_err(|e| e.to_string())?;
    }
    let prove = start.elapsed().as_secs_f64();

    // Native verification of a demo presentation (2-of-3 witnesses, 101,011-entry log).
    let presentation =
        std::fs::read(root.join("examples/presentations/de-anna-schmidt-partial.hproof"))
            .map_err(|e| e.to_string())?;
    let trust = std::fs::read(root.join("examples/trust-list.txt")).map_err(|e| e.to_string())?;
    let signer = std::fs::read_to_string(root.join("examples/trust-list-signer.txt"))
        .map_err(|e| e.to_string())?;
    let options = Options::new(
        1_795_348_800,
        vec![VerifierKey::parse(signer.trim()).map_err(|e| e.to_string())?],
    );
    let mut times = Vec::new();
    let rounds = 2000;
    let start = Instant::now();
    for _ in 0..rounds {
        let t = Instant::now();
        let report = record::verify(&presentation, &trust, &options);
        times.push(t.elapsed().as_secs_f64());
        if report.verdict != record::Verdict::Verified {
            return Err("the demo presentation did not verify".into());
        }
    }
    let verify = start.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let _ = std::fs::remove_dir_all(&dir);

    // The primitives the JavaScript benchmark compares, natively: one Ed25519 signature as the
    // wasm column measures it (a whole signed note, the trust list), the demo's inclusion
    // proof, and SHA-256 over 1 MiB.
    let keys = [VerifierKey::parse(signer.trim()).map_err(|e| e.to_string())?];
    let note_rate =
        rate(5000, || Note::parse(&trust).and_then(|n| note::verify(&n, &keys)).is_ok())?;
    let p = Presentation::parse(&presentation).map_err(|e| e.to_string())?;
    let cp = Checkpoint::parse(p.proof().checkpoint().text()).map_err(|e| e.to_string())?;
    let leaf = merkle::leaf_hash(p.ledger_entry());
    let inclusion_rate = rate(50_000, || {
        let (index, hashes) = (p.proof().leaf_index(), p.proof().hashes());
        merkle::verify_inclusion(&leaf, index, cp.tree_size(), hashes, cp.root_hash()).is_ok()
    })?;
    let mib: Vec<u8> = (0..1u32 << 20).map(|i| (i * 31) as u8).collect();
    let sha_rate = rate(200, || Sha256::digest(&mib).len() == 32)?;

    println!("| benchmark (this machine, one run) | result |");
    println!("|---|---|");
    println!("| `log append` of {entries} entries (release CLI, wall clock) | {:.0} entries/s ({append:.1} s) |", entries as f64 / append);
    println!(
        "| `prove` at random indices, tiles from disk, empty cache each | {:.0} proofs/s |",
        f64::from(proofs) / prove
    );
    println!("| `verify` a demo presentation, native (trust list, signature, 5 disclosures, proof, 2 cosignatures) | {:.0} presentations/s, median {:.0} µs |", f64::from(rounds) / verify, median * 1e6);
    println!(
        "| Ed25519: one signature, as a whole signed note (the trust list) | {:.0}/s, median {:.0} µs |",
        note_rate.0,
        note_rate.1 * 1e6
    );
    println!(
        "| inclusion proof of the demo record ({} hashes) | {:.0}/s, median {:.1} µs |",
        p.proof().hashes().len(),
        inclusion_rate.0,
        inclusion_rate.1 * 1e6
    );
    println!("| SHA-256 | {:.0} MB/s |", sha_rate.0 * f64::from(1u32 << 20) / 1e6);
    Ok(())
}

/// Runs `f` `n` times; returns calls per second and the median time in seconds. `f` must
/// return `true` (the operation succeeded), so a broken input cannot pass for a fast one.
fn rate(n: u32, mut f: impl FnMut() -> bool) -> Result<(f64, f64), String> {
    let mut times = Vec::new();
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        if !f() {
            return Err("a benchmarked operation failed on the demo data".into());
        }
        times.push(t.elapsed().as_secs_f64());
    }
    let total = start.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    Ok((f64::from(n) / total, times.get(times.len() / 2).copied().unwrap_or(0.0)))
}
