// The SMART Health Card parsers never panic: numeric QR text, .smart-health-card files, the
// compact JWS with its inflated payload, claims and content, JWK sets and revocation lists.
#![no_main]

use healthproof::{jwk, shc};
use libfuzzer_sys::fuzz_target;

fn card(jws: &str) {
    let Ok(card) = shc::Card::parse(jws) else { return };
    if let Ok(claims) = shc::Claims::from_payload(card.payload()) {
        let _ = claims.content();
        let _ = claims.check_nbf(1_700_000_000, 300);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(jws) = shc::jws_from_qr(text) {
        card(&jws);
    }
    if let Ok(list) = shc::jws_from_file(text) {
        list.iter().for_each(|j| card(j));
    }
    card(text);
    let _ = jwk::parse_set(text);
    let key = jwk::Jwk::from_coordinates(
        "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
        "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8",
        Some(1),
    );
    if let Ok(key) = key {
        let _ = shc::parse_crl(text, &key);
    }
});
