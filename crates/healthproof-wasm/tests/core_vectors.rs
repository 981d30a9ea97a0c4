//! The core's vector tests, compiled to wasm32 and run by wasm-bindgen-test inside Node and
//! headless Chromium: the same test code as `crates/healthproof/tests`, the same files (embedded
//! by `build.rs`), so a difference between native and wasm (32-bit `usize`, the JS heap) shows.
//!
//! Node: `cargo test -p healthproof-wasm --target wasm32-unknown-unknown --test core_vectors`
//! Chromium: the same with `WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
// Each native test file declares its own `mod common`, so it is loaded once per file here too.
#![allow(clippy::duplicate_mod)]

#[path = "../../healthproof/tests/vectors_ed25519.rs"]
mod ed25519;
#[path = "../../healthproof/tests/vectors_merkle.rs"]
mod merkle;
#[path = "../../healthproof/tests/vectors_notes.rs"]
mod notes;
#[path = "../../healthproof/tests/vectors_records.rs"]
mod records;
#[path = "../../healthproof/tests/vectors_tlog.rs"]
mod tlog;
