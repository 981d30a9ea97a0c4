// TrustList::verify under the test trust-list signer never panics.
#![no_main]

use std::sync::LazyLock;

use healthproof::note::VerifierKey;
use healthproof::trust::TrustList;
use libfuzzer_sys::fuzz_target;

/// The key that signs tests/vectors/records/trust-list.txt, so the seeds carry good signatures.
static SIGNER: LazyLock<VerifierKey> = LazyLock::new(|| {
    let text = include_str!("../../tests/vectors/records/trust-list-signer.txt");
    VerifierKey::parse(text.trim()).expect("fixed key")
});

fuzz_target!(|data: &[u8]| {
    let _ = TrustList::verify(data, std::slice::from_ref(&*SIGNER), 0);
});
