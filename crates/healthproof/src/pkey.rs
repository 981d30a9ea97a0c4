//! The signature algorithms of HCERT and SMART Health Cards, verification only.
//!
//! - ES256: ECDSA over P-256 with SHA-256 (FIPS 186-5 §6.4.2; RFC 7518 §3.4 and RFC 9053
//!   §2.1), the signature as the 64 bytes `r ‖ s`. A DER-encoded signature is refused: both
//!   specifications require the fixed-width form. Verification is RustCrypto `p256`.
//! - PS256: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8017 §8.1; RFC 8230
//!   §2, RFC 7518 §3.5), moduli of 2048 to 4096 bits. Verification is RustCrypto `rsa`.
//!
//! Keys come from X.509 certificates ([`crate::x509`]) or JSON Web Keys ([`crate::jwk`]).
//! The public API exposes no foreign type: a [`PublicKey`] is opaque.

use p256::ecdsa::signature::Verifier;
use sha2::Sha256;

use crate::Error;

/// A public key that verifies ES256 or PS256 signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(Inner);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Inner {
    P256(p256::ecdsa::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

/// The algorithm a key verifies, by its JOSE/COSE name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// ECDSA P-256 SHA-256 (COSE −7).
    Es256,
    /// RSASSA-PSS SHA-256 (COSE −37).
    Ps256,
}

impl Algorithm {
    /// `ES256` or `PS256`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Es256 => "ES256",
            Algorithm::Ps256 => "PS256",
        }
    }
}

impl PublicKey {
    /// A P-256 key from its SEC1 encoding (`04 ‖ x ‖ y`, or compressed).
    ///
    /// # Errors
    /// [`Error::CertificateMalformed`] when the bytes are not a point on P-256.
    pub fn p256_from_sec1(bytes: &[u8]) -> Result<PublicKey, Error> {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
            .map(|k| PublicKey(Inner::P256(k)))
            .map_err(|_| Error::CertificateMalformed { reason: "not a point on P-256" })
    }

    /// An RSA key from its big-endian modulus and public exponent.
    ///
    /// # Errors
    /// [`Error::CertificateMalformed`] for a modulus outside 2048–4096 bits, an even modulus
    /// or an unusable exponent.
    pub fn rsa_from_components(modulus: &[u8], exponent: &[u8]) -> Result<PublicKey, Error> {
        let bad = Error::CertificateMalformed { reason: "not a usable RSA key of 2048-4096 bits" };
        let strip = |b: &[u8]| -> Vec<u8> {
            b.iter().skip_while(|&&x| x == 0).copied().collect::<Vec<u8>>()
        };
        let (n, e) = (strip(modulus), strip(exponent));
        if n.len() > 512 || e.is_empty() || e.len() > 8 {
            return Err(bad);
        }
        let n = rsa::BoxedUint::from_be_slice_vartime(&n);
        let e = rsa::BoxedUint::from_be_slice_vartime(&e);
        rsa::RsaPublicKey::new_with_size_limits(n, e, 2048..=4096)
            .map(|k| PublicKey(Inner::Rsa(k)))
            .map_err(|_| bad)
    }

    /// The algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self.0 {
            Inner::P256(_) => Algorithm::Es256,
            Inner::Rsa(_) => Algorithm::Ps256,
        }
    }

    /// The uncompressed SEC1 point `04 ‖ x ‖ y` of a P-256 key.
    pub fn p256_point(&self) -> Option<[u8; 65]> {
        match &self.0 {
            Inner::P256(k) => k.to_sec1_point(false).as_bytes().try_into().ok(),
            Inner::Rsa(_) => None,
        }
    }

    /// Verifies `signature` over `message` with `algorithm`, which must be this key's.
    pub fn verify(&self, algorithm: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        match (&self.0, algorithm) {
            (Inner::P256(key), Algorithm::Es256) => {
                let Ok(sig) = p256::ecdsa::Signature::from_slice(signature) else {
                    return false;
                };
                signature.len() == 64 && key.verify(message, &sig).is_ok()
            }
            (Inner::Rsa(key), Algorithm::Ps256) => {
                let Ok(sig) = rsa::pss::Signature::try_from(signature) else { return false };
                rsa::pss::VerifyingKey::<Sha256>::new(key.clone()).verify(message, &sig).is_ok()
            }
            _ => false,
        }
    }
}
