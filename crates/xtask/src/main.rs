//! HealthProof's task runner: `cargo xtask <task>`.
//!
//! - `setup`: install what the build needs when it is missing (quick when all is there).
//! - `demo`: the README's first command: verify the project's own demo proof with the CLI.
//! - `test`: the README's second command: every check and test, as CI runs it.
//! - `bench`: operator and verifier benchmarks (release builds), a table for the README.
//! - `demo-data`: rebuild `examples/` with the CLI (`healthproof demo build`).
//! - `package`: build the npm package into `target/npm/healthproof`.
//! - `testdata [--check]`: regenerate (or check) `tests/vectors/tlog` and `tests/vectors/records`.
//!
//! A developer tool, not library code: it panics on impossible states and indexes its own
//! fixed test data, so those lints are relaxed here.
#![allow(clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod bench;
mod records;
mod testdata;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(),
        Some("demo") => setup().and_then(|()| demo(&root)),
        Some("demo-data") => demo_data(&root),
        Some("package") => setup().and_then(|()| package(&root)),
        // Benchmarks measure release builds: rebuild this task in release and run it there.
        Some("bench") => run("cargo", &["build", "--quiet", "--release", "-p", "healthproof-cli"])
            .and_then(|()| {
                run("cargo", &["run", "--quiet", "--release", "-p", "xtask", "--", "bench-release"])
            }),
        Some("bench-release") => bench::run(&root, 1_000_000).and_then(|()| bench_js(&root)),
        Some("test") => setup().and_then(|()| test(&root)),
        Some("testdata") => {
            let check = args.iter().any(|a| a == "--check");
            testdata::run(&root, check).and_then(|()| records::run(&root, check))
        }
        _ => {
            Err("usage: cargo xtask (setup | demo | test | bench | package | testdata [--check] | demo-data)"
                .to_owned())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from("."))
}

/// Runs a command in the workspace root, failing with its name if it fails.
fn run(program: &str, args: &[&str]) -> Result<(), String> {
    run_env(program, args, &[])
}

/// Runs a command in the workspace root with extra environment variables.
fn run_env(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    println!("$ {}{program} {}", vars.concat(), args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Installs what is missing: the wasm32 target, wasm-bindgen's CLI at the pinned version,
/// the npm packages of the JavaScript tests (exact versions from their lock file), and
/// Debian's Chromium for the browser tests.
fn setup() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    // wasm-bindgen's CLI must match the crate version pinned in Cargo.toml exactly.
    let pinned = pinned_wasm_bindgen()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(pinned.as_str()) {
        // Not --locked: its lock file pins a webpki-roots release the registry no longer serves.
        run("cargo", &["install", "wasm-bindgen-cli", "--version", &pinned])?;
    }
    // npm ci again whenever a lock file changed since the last install.
    for dir in NPM_DIRS {
        let js = workspace_root().join(dir);
        let Ok(lock) = std::fs::read(js.join("package-lock.json")) else { continue };
        let stamp = js.join("node_modules/.healthproof-lock");
        if std::fs::read(&stamp).ok().as_ref() != Some(&lock) {
            output("node", &["--version"])
                .ok_or("Node.js (>= 18) is needed for the JavaScript tests")?;
            run_in(&js, "npm", &["ci", "--no-audit", "--no-fund"])?;
            std::fs::write(&stamp, &lock).map_err(|e| e.to_string())?;
        }
    }
    // Debian's Chromium for the browser tests (never a browser download of a test tool's).
    if !Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/chromedriver").exists() {
        run("apt-get", &["update", "-qq"])?;
        let status = Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot start apt-get: {e}"))?;
        if !status.success() {
            return Err("installing Chromium failed (apt-get install chromium chromium-driver; run as root)".into());
        }
    }
    Ok(())
}

/// Folders with their own npm packages (exact versions in a lock file): the JavaScript tests,
/// the traveler's page and the extension.
const NPM_DIRS: [&str; 3] = ["tests/js", "www", "extension"];

/// The wasm-bindgen version pinned (`=X.Y.Z`) in the workspace Cargo.toml.
fn pinned_wasm_bindgen() -> Result<String, String> {
    let manifest =
        std::fs::read_to_string(workspace_root().join("Cargo.toml")).map_err(|e| e.to_string())?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("wasm-bindgen = \"="))
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| "Cargo.toml pins no wasm-bindgen version".to_owned())
}

/// Builds the npm package into `target/npm/healthproof`: the wasm core, its bindings, the
/// JavaScript entry point and TypeScript declarations. Prints the shipped sizes.
fn package(root: &Path) -> Result<(), String> {
    run(
        "cargo",
        &[
            "build",
            "--quiet",
            "-p",
            "healthproof-wasm",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )?;
    let out = root.join("target/npm/healthproof");
    let _ = std::fs::remove_dir_all(&out);
    let wasm = root.join("target/wasm32-unknown-unknown/release/healthproof_wasm.wasm");
    let wasm_dir = out.join("wasm");
    run(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--out-name",
            "healthproof",
            // Debug names are for developers, not for the bytes every page loads.
            "--remove-name-section",
            "--remove-producers-section",
            "--out-dir",
            wasm_dir.to_str().ok_or("non-UTF-8 path")?,
            wasm.to_str().ok_or("non-UTF-8 path")?,
        ],
    )?;
    for file in
        ["index.js", "index.d.ts", "init.js", "init.d.ts", "api.js", "package.json", "README.md"]
    {
        let from = root.join("crates/healthproof-wasm/js").join(file);
        std::fs::copy(&from, out.join(file)).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    let mut total = (0, 0);
    for file in ["wasm/healthproof_bg.wasm", "wasm/healthproof.js", "index.js", "api.js"] {
        let bytes = std::fs::read(out.join(file)).map_err(|e| e.to_string())?;
        let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 10).len();
        println!("  {file}: {} bytes, {packed} deflated", bytes.len());
        total = (total.0 + bytes.len(), total.1 + packed);
    }
    println!(
        "npm package in {}: wasm + JS {} bytes, {} deflated (~gzip)",
        out.display(),
        total.0,
        total.1
    );
    Ok(())
}

/// The JavaScript side of the benchmark: our wasm against WebCrypto and @noble pipelines,
/// in Node and headless Chromium (`bench/run.mjs`).
fn bench_js(root: &Path) -> Result<(), String> {
    setup()?;
    package(root)?;
    let dir = root.join("bench");
    if !dir.join("node_modules").exists() {
        run_in(&dir, "npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    run_in(&dir, "node", &["run.mjs"])
}

/// Runs a command in `dir`.
fn run_in(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    println!("$ (cd {}) {program} {}", dir.display(), args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed in {} ({status})", args.join(" "), dir.display()))
    }
}

/// Verifies a demo patient summary, then shows a tampered one refused.
fn demo(root: &Path) -> Result<(), String> {
    run("cargo", &["build", "--quiet", "-p", "healthproof-cli"])?;
    let cli = root.join("target/debug/healthproof");
    let cli = cli.to_str().ok_or("non-UTF-8 path")?;
    // The demo data is fixed in time; verify it as of 2026-11-22, when it was current.
    let verify = |file: &str| {
        println!("\n$ healthproof verify examples/presentations/{file} --trust examples/trust-list.txt ...");
        Command::new(cli)
            .args([
                "verify",
                &format!("examples/presentations/{file}"),
                "--trust",
                "examples/trust-list.txt",
            ])
            .args([
                "--trust-signers",
                "examples/trust-list-signer.txt",
                "--now",
                "2026-11-22T12:00:00Z",
            ])
            .current_dir(root)
            .status()
            .map_err(|e| e.to_string())
    };
    let ok = verify("de-anna-schmidt-partial.hproof")?;
    let refused = verify("tampered.hproof")?;
    if ok.success() && refused.code() == Some(1) {
        Ok(())
    } else {
        Err(format!("the demo did not behave as expected (valid: {ok}, tampered: {refused})"))
    }
}

/// Rebuilds `examples/` (records, log of 100,000+ entries, witnesses, presentations).
fn demo_data(root: &Path) -> Result<(), String> {
    run("cargo", &["build", "--quiet", "--release", "-p", "healthproof-cli"])?;
    let cli = root.join("target/release/healthproof");
    run(cli.to_str().ok_or("non-UTF-8 path")?, &["demo", "build", "examples"])
}

/// Every check CI runs: formatting, lints, generated data, all tests, the wasm build.
fn test(root: &Path) -> Result<(), String> {
    run("cargo", &["fmt", "--all", "--check"])?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    testdata::run(root, true)?;
    records::run(root, true)?;
    // The shared-vector suites print how many cases of each set ran.
    run(
        "cargo",
        &[
            "test",
            "-p",
            "healthproof",
            "--all-features",
            "--test",
            "vectors_ed25519",
            "--test",
            "vectors_merkle",
            "--test",
            "vectors_notes",
            "--test",
            "interop",
            "--",
            "--nocapture",
            "--test-threads=1",
        ],
    )?;
    run("cargo", &["test", "--workspace", "--all-features"])?;
    // JavaScript side: the built npm package runs the record corpus and the demo in Node, and
    // an independent SD-JWT implementation checks our records.
    package(root)?;
    run_in(&root.join("tests/js"), "node", &["--test"])?;
    // The core's vector tests compiled to wasm32, inside Node and then headless Chromium
    // (wasm-bindgen-test, the runner from the pinned wasm-bindgen CLI).
    let wasm_vectors = [
        "test",
        "-p",
        "healthproof-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "core_vectors",
        "--",
        "--nocapture",
    ];
    run("cargo", &wasm_vectors)?;
    // The same in headless Chromium.
    run_env(
        "cargo",
        &wasm_vectors,
        &[("WASM_BINDGEN_USE_BROWSER", "1"), ("CHROMEDRIVER", "/usr/bin/chromedriver")],
    )?;
    // The traveler's page and the extension: each builds into target/ from the package and the
    // demo data, then runs its Playwright tests in Chromium.
    for dir in ["www", "extension"] {
        if root.join(dir).join("package.json").exists() {
            run_in(&root.join(dir), "npm", &["run", "--silent", "build"])?;
            run_in(&root.join(dir), "npm", &["test"])?;
        }
    }
    run(
        "cargo",
        &["build", "-p", "healthproof", "--release", "--target", "wasm32-unknown-unknown"],
    )?;
    let wasm = root.join("target/wasm32-unknown-unknown/release/libhealthproof.rlib");
    println!("core builds for wasm32-unknown-unknown ({})", wasm.display());
    Ok(())
}
