// cbor::decode never panics; an accepted item re-encodes (preferred serialisation) to bytes that decode to the same item.
#![no_main]

use healthproof::cbor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = cbor::decode(data) else { return };
    let bytes = value.to_bytes();
    assert_eq!(cbor::decode(&bytes).as_ref(), Ok(&value), "to_bytes() does not decode to the same item");
    assert!(bytes.len() <= data.len() + 8 * data.len() / 2, "the re-encoding grew unreasonably");
    let _ = value.to_json();
});
