// VerifierKey::parse: an accepted vkey prints back as the same string and equals VerifierKey::new.
#![no_main]

use healthproof::note::VerifierKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(key) = VerifierKey::parse(text) else { return };
    assert_eq!(key.to_string(), text, "VerifierKey::parse does not round-trip");
    let rebuilt = VerifierKey::new(key.name(), key.key_type(), &key.public_key());
    assert_eq!(rebuilt.as_ref(), Ok(&key), "VerifierKey::new disagrees with parse");
});
