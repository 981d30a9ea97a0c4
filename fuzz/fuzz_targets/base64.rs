// base64: decode and decode_url accept only what encode and encode_url print; encode round-trips.
#![no_main]

use healthproof::base64;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    assert_eq!(base64::decode(&base64::encode(data)).as_deref(), Some(data));
    assert_eq!(base64::decode_url(&base64::encode_url(data)).as_deref(), Some(data));
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(bytes) = base64::decode(text) {
        assert_eq!(base64::encode(&bytes), text, "decode accepted a non-canonical spelling");
    }
    if let Some(bytes) = base64::decode_url(text) {
        assert_eq!(base64::encode_url(&bytes), text, "decode_url accepted a non-canonical spelling");
    }
});
