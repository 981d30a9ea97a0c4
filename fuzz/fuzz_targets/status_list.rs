// StatusList::kid and StatusList::verify under a fixed issuer key never panic.
#![no_main]

use std::sync::LazyLock;

use healthproof::base64;
use healthproof::ed25519::PublicKey;
use healthproof::status::StatusList;
use libfuzzer_sys::fuzz_target;

/// Issuer `de-charite-2026` of the test trust list, which signs the vectors' status lists.
static KEY: LazyLock<PublicKey> = LazyLock::new(|| {
    let bytes = base64::decode("n9p5y9nWzwDFYyvCUmEFJJM4QxhsdaUCpMJDEWlzHII=").expect("fixed key");
    PublicKey::from_bytes(&bytes).expect("fixed key")
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = StatusList::kid(text);
    let _ = StatusList::verify(text, &KEY);
});
