// Checkpoint::parse: an accepted checkpoint body prints back byte for byte.
#![no_main]

use healthproof::checkpoint::Checkpoint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(checkpoint) = Checkpoint::parse(text) else { return };
    assert_eq!(checkpoint.to_string(), text, "Checkpoint::parse does not round-trip");
});
