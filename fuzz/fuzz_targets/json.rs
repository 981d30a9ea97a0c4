// json::parse: an accepted value prints as JSON that parses back to the same value, never longer than the input.
#![no_main]

use healthproof::json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(value) = json::parse(text) else { return };
    let printed = value.to_string();
    assert_eq!(json::parse(&printed).as_ref(), Ok(&value), "json::parse does not round-trip");
    assert!(printed.len() <= text.len(), "to_string() is longer than the input");
});
