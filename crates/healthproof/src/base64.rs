//! Strict, canonical Base 64 (RFC 4648 §4, with padding) and base64url (RFC 4648 §5,
//! without padding, as JWS and SD-JWT use it).
//!
//! Decoding accepts exactly one spelling of each byte string: the one [`encode`] produces.
//! Unused trailing bits must be zero and padding must be present (standard) or absent
//! (url-safe), so that a signed object cannot be re-encoded into a second, equally valid
//! form, and every parser in the crate round-trips byte for byte.

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STANDARD_DECODE: [u8; 256] = decode_table(STANDARD);
const URL_SAFE_DECODE: [u8; 256] = decode_table(URL_SAFE);
/// Marks a byte outside the alphabet in a decode table.
const INVALID: u8 = 0xff;

// Invariant: i < 64 and every alphabet byte is < 256, so both indexes are in bounds.
#[allow(clippy::indexing_slicing)]
const fn decode_table(alphabet: &[u8; 64]) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
}

/// Encodes `bytes` as standard Base 64 with padding.
pub fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

/// Decodes canonical standard Base 64 with padding; `None` for any other spelling.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let body = text.as_bytes();
    if !body.len().is_multiple_of(4) {
        return None;
    }
    let pad = body.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return None;
    }
    let data = body.get(..body.len() - pad)?;
    decode_with(data, &STANDARD_DECODE)
}

/// Encodes `bytes` as base64url without padding.
pub fn encode_url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

/// Decodes canonical base64url without padding; `None` for any other spelling.
pub fn decode_url(text: &str) -> Option<Vec<u8>> {
    decode_with(text.as_bytes(), &URL_SAFE_DECODE)
}

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                let index = ((n >> (18 - 6 * i)) & 0x3f) as usize;
                // Invariant: index < 64 after the mask.
                out.push(char::from(alphabet.get(index).copied().unwrap_or(b'A')));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes unpadded data; rejects a length of 1 mod 4 and non-zero trailing bits.
fn decode_with(data: &[u8], table: &[u8; 256]) -> Option<Vec<u8>> {
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    for chunk in data.chunks(4) {
        let mut n: u32 = 0;
        for &c in chunk {
            let v = table.get(usize::from(c)).copied().unwrap_or(INVALID);
            if v == INVALID {
                return None;
            }
            n = (n << 6) | u32::from(v);
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]),
            3 => {
                if n & 0b11 != 0 {
                    return None;
                }
                out.extend_from_slice(&[(n >> 10) as u8, (n >> 2) as u8]);
            }
            2 => {
                if n & 0b1111 != 0 {
                    return None;
                }
                out.push((n >> 4) as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_test_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).as_deref(), Some(plain.as_bytes()));
            let url = encoded.trim_end_matches('=');
            assert_eq!(encode_url(plain.as_bytes()), url);
            assert_eq!(decode_url(url).as_deref(), Some(plain.as_bytes()));
        }
    }

    #[test]
    fn rejects_non_canonical_spellings() {
        for bad in ["Zh==", "Zm9=", "Zg", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zm-v", "===="]
        {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        for bad in ["Zh", "Zm9", "Zg==", "Z", "Zm+v", "Zm/v"] {
            assert_eq!(decode_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn round_trips_every_length() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        for len in 0..bytes.len() {
            let slice = &bytes[..len];
            assert_eq!(decode(&encode(slice)).as_deref(), Some(slice));
            assert_eq!(decode_url(&encode_url(slice)).as_deref(), Some(slice));
        }
    }
}
