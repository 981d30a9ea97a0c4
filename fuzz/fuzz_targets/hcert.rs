// The HCERT parsers never panic: COSE_Sign1 and CWT claims from raw bytes, an X.509 certificate
// from the same bytes, and the whole HC1: text pipeline with the DCC's content and type.
#![no_main]

use healthproof::cose::CoseSign1;
use healthproof::hcert::{self, Claims};
use healthproof::x509::Certificate;
use libfuzzer_sys::fuzz_target;

fn claims(cose: &CoseSign1) {
    let _ = cose.kid();
    let _ = cose.algorithm();
    let _ = cose.signed_bytes();
    if let Ok(c) = Claims::from_payload(cose.payload()) {
        if let Ok(kind) = c.dcc_type() {
            let _ = c.content(kind);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(cose) = CoseSign1::from_bytes(data) {
        claims(&cose);
    }
    if let Ok(cert) = Certificate::from_der(data) {
        let _ = (cert.extended_key_usage(), cert.organisation(), cert.sha256());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(cose) = hcert::decode(text) {
            claims(&cose);
        }
    }
});
