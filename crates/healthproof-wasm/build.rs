//! Embeds the vector corpora for the wasm-bindgen-test suites (`tests/core_vectors.rs`), which
//! run the core's own vector tests inside Node and Chromium, where there is no filesystem.
//! Only the test crate includes the generated table; the npm package's wasm carries none of it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let shared = std::env::var_os("HEALTHPROOF_SHARED")
        .map_or_else(|| manifest.join("../../../shared"), PathBuf::from)
        .join("vectors");
    let own = manifest.join("../../tests/vectors");
    println!("cargo:rerun-if-env-changed=HEALTHPROOF_SHARED");
    println!("cargo:rerun-if-changed={}", shared.display());
    println!("cargo:rerun-if-changed={}", own.display());
    let mut out = String::new();
    for (name, dir) in [("SHARED", &shared), ("OWN", &own)] {
        let mut files = Vec::new();
        json_files(dir, dir, &mut files);
        files.sort();
        let _ = writeln!(out, "pub static {name}: &[(&str, &[u8])] = &[");
        for (relative, path) in files {
            let _ = writeln!(out, "    ({relative:?}, include_bytes!({:?})),", path.display());
        }
        out.push_str("];\n");
    }
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}

/// Every `.json` file below `dir`, as (path relative to `root` with `/`, absolute path).
fn json_files(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            if let (Ok(relative), Ok(absolute)) = (path.strip_prefix(root), path.canonicalize()) {
                let relative = relative.to_string_lossy().replace('\\', "/");
                files.push((relative, absolute));
            }
        }
    }
}
