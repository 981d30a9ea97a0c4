// base45: decode(encode(x)) == x; whatever decode accepts re-encodes to the input (RFC 9285 has one spelling per value).
#![no_main]

use healthproof::base45;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() <= base45::MAX_BASE45 / 3 * 2 {
        assert_eq!(base45::decode(&base45::encode(data)).as_deref(), Ok(data), "encode does not round-trip");
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(bytes) = base45::decode(text) {
        assert_eq!(base45::encode(&bytes), text, "an accepted Base45 text has a second spelling");
    }
});
