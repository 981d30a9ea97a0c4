// SdJwt::parse: an accepted SD-JWT prints back byte for byte, and sd_jwt::process never panics.
#![no_main]

use healthproof::sd_jwt::{self, SdJwt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(sd) = SdJwt::parse(text) else { return };
    assert_eq!(sd.to_string(), text, "SdJwt::parse does not round-trip");
    let _ = sd_jwt::process(&sd);
});
