//! Base45 (RFC 9285), the QR-code alphanumeric encoding that HCERT (`HC1:`) uses.
//!
//! §4: two bytes `[a, b]` become `n = a·256 + b = c + d·45 + e·45²`, written `c d e`; a final
//! single byte becomes `c d`. §4.2: a decoder MUST reject a triplet above 65535 (`:::`), a
//! pair above 255, a length of 1 mod 3 and characters outside the 45-character alphabet. With
//! those rules every byte string has exactly one encoding, so decoding is canonical.

use crate::Error;

/// The alphabet of RFC 9285 §4 (value = index).
const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
/// The largest Base45 text [`decode`] accepts (a version 40 QR code holds 4,296 characters).
pub const MAX_BASE45: usize = 16 * 1024;

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).and_then(|v| u32::try_from(v).ok())
}

/// Decodes Base45 text (RFC 9285 §4.2).
///
/// # Errors
/// [`Error::TooLarge`] above [`MAX_BASE45`]; [`Error::Base45Malformed`] for a character
/// outside the alphabet, a length of 1 mod 3, or a group whose value is out of range.
pub fn decode(text: &str) -> Result<Vec<u8>, Error> {
    let malformed = |reason| Error::Base45Malformed { reason };
    if text.len() > MAX_BASE45 {
        return Err(Error::TooLarge { what: "Base45 text", limit: MAX_BASE45 });
    }
    if text.len() % 3 == 1 {
        return Err(malformed("its length is 1 more than a multiple of 3"));
    }
    let mut out = Vec::with_capacity(text.len() / 3 * 2 + 1);
    for group in text.as_bytes().chunks(3) {
        let mut n: u32 = 0;
        for &c in group.iter().rev() {
            let v = value(c).ok_or(malformed("a character is outside the Base45 alphabet"))?;
            n = n * 45 + v;
        }
        if group.len() == 3 {
            let pair = u16::try_from(n).map_err(|_| malformed("a triplet exceeds 65535"))?;
            out.extend_from_slice(&pair.to_be_bytes());
        } else {
            out.push(u8::try_from(n).map_err(|_| malformed("a final pair exceeds 255"))?);
        }
    }
    Ok(out)
}

/// Encodes bytes as Base45 (RFC 9285 §4).
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    let mut push = |mut n: u32, digits: usize| {
        for _ in 0..digits {
            // Invariant: n % 45 < 45, the alphabet's length.
            let c = ALPHABET.get((n % 45) as usize).copied().unwrap_or(b'0');
            out.push(char::from(c));
            n /= 45;
        }
    };
    for pair in bytes.chunks(2) {
        match pair {
            [a, b] => push(u32::from(*a) * 256 + u32::from(*b), 3),
            [a] => push(u32::from(*a), 2),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9285_examples() {
        // §4.3 and §4.4.
        for (plain, encoded) in [
            (&b"AB"[..], "BB8"),
            (b"Hello!!", "%69 VD92EX0"),
            (b"base-45", "UJCLQE7W581"),
            (b"ietf!", "QED8WEX0"),
            (b"", ""),
        ] {
            assert_eq!(encode(plain), encoded);
            assert_eq!(decode(encoded).unwrap(), plain);
        }
    }

    #[test]
    fn rejects_what_rfc9285_forbids() {
        for bad in ["GGW", ":::", "A", "ABCD", "ab", "BB8\n", "[["] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
        assert_eq!(decode("GGW").unwrap_err().code(), "base45-malformed");
        assert_eq!(decode("FGW").unwrap(), [255, 255]);
        assert_eq!(decode("U5").unwrap(), [255]);
        assert!(decode("V5").is_err());
    }

    #[test]
    fn round_trips() {
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..bytes.len() {
            assert_eq!(decode(&encode(&bytes[..len])).unwrap(), &bytes[..len]);
        }
    }
}
