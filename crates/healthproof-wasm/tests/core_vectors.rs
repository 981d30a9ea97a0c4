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

/// Every Ed25519 vector with its curve equation deferred and done by this runtime's WebCrypto
/// (as the package's `verifyAsync` does): the verdict must be the strict one. Where WebCrypto
/// cannot answer (no Ed25519, a key it refuses to import), `verifyAsync` falls back to the
/// wasm; those cases are counted and printed.
#[wasm_bindgen_test::wasm_bindgen_test]
async fn ed25519_equations_by_webcrypto() {
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    let subtle = Reflect::get(&js_sys::global(), &"crypto".into())
        .and_then(|c| Reflect::get(&c, &"subtle".into()))
        .unwrap();
    let call = |name: &str, args: &[JsValue]| -> js_sys::Promise {
        let f: js_sys::Function = Reflect::get(&subtle, &name.into()).unwrap().unchecked_into();
        f.apply(&subtle, &args.iter().collect::<Array>()).unwrap().unchecked_into()
    };
    let algorithm = Object::new();
    Reflect::set(&algorithm, &"name".into(), &"Ed25519".into()).unwrap();

    let (mut checked, mut fallbacks, mut failures) = (0, Vec::new(), Vec::new());
    let sets = [
        ("rfc8032", ed25519::rfc8032_cases()),
        ("wycheproof", ed25519::wycheproof_cases()),
        ("speccheck", ed25519::speccheck_cases()),
        ("cctv", ed25519::cctv_cases()),
    ];
    for (set, cases) in sets {
        for (id, pk, msg, sig, expected) in cases.into_iter().flatten() {
            // Run the deferral, then ask WebCrypto about the one recorded equation.
            let mut recorded = None;
            let pre = ed25519::deferred_verdict(&pk, &msg, &sig, |d| {
                recorded = Some(d.clone());
                true
            });
            let verdict = match recorded.filter(|_| pre) {
                None => false,
                Some(d) => {
                    let usages = Array::of1(&"verify".into());
                    let key = JsFuture::from(call(
                        "importKey",
                        &[
                            "raw".into(),
                            Uint8Array::from(&d.key[..]).into(),
                            algorithm.clone().into(),
                            false.into(),
                            usages.into(),
                        ],
                    ))
                    .await;
                    let answer = match key {
                        Ok(key) => JsFuture::from(call(
                            "verify",
                            &[
                                algorithm.clone().into(),
                                key,
                                Uint8Array::from(&d.signature[..]).into(),
                                Uint8Array::from(&d.message[..]).into(),
                            ],
                        ))
                        .await
                        .ok()
                        .and_then(|v| v.as_bool()),
                        Err(_) => None,
                    };
                    match answer {
                        Some(ok) => ok,
                        None => {
                            fallbacks.push(format!("{set} {id}"));
                            expected
                        }
                    }
                }
            };
            checked += 1;
            if verdict != expected {
                failures.push(format!("{set} {id}: WebCrypto says {verdict}"));
            }
        }
    }
    wasm_bindgen_test::console_log!(
        "Ed25519 equations by WebCrypto: {checked} cases, {} differ, {} fell back to the wasm {:?}",
        failures.len(),
        fallbacks.len(),
        fallbacks
    );
    assert!(checked > 0 || ed25519::rfc8032_cases().is_none());
    assert!(failures.is_empty(), "{failures:#?}");
}
