//! Strict, bounded CBOR (RFC 8949), as COSE (RFC 9052) and CWT (RFC 8392) use it.
//!
//! [`decode`] reads exactly one data item (§3) and refuses trailing bytes. It accepts every
//! well-formed encoding (§3, Appendix C), including indefinite lengths (§3.2) and non-preferred
//! integer widths, because issuers of EU DCCs really do send them and the signature covers the
//! bytes, not a re-encoding. It refuses what §5.3–§5.6 leave to a "valid" decoder's judgement:
//!
//! - duplicate map keys (§5.6), compared as values, so two parsers cannot disagree on a claim;
//! - text that is not UTF-8 (§5.3.1), a `break` outside an indefinite item, reserved additional
//!   information 28–30 (§3), simple values below 32 written in two bytes (§3.3);
//! - nesting deeper than [`MAX_DEPTH`], and any length above the bytes that remain, so decoding
//!   is linear in time and memory however hostile the input.
//!
//! Recursion is bounded by [`MAX_DEPTH`]. [`Value::to_bytes`] writes the preferred
//! serialisation (§4.1) with definite lengths.

use std::collections::BTreeSet;

use crate::json;
use crate::Error;

/// The deepest nesting of arrays, maps and tags [`decode`] accepts.
pub const MAX_DEPTH: usize = 32;
/// The largest CBOR input [`decode`] accepts, in bytes.
pub const MAX_INPUT: usize = 1 << 20;

/// A CBOR data item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Major type 0.
    Unsigned(u64),
    /// Major type 1: the value is `-1 - n`.
    Negative(u64),
    /// Major type 2.
    Bytes(Vec<u8>),
    /// Major type 3.
    Text(String),
    /// Major type 4.
    Array(Vec<Value>),
    /// Major type 5, entries in encoded order, keys unique.
    Map(Vec<(Value, Value)>),
    /// Major type 6.
    Tag(u64, Box<Value>),
    /// `false` or `true`.
    Bool(bool),
    /// `null`.
    Null,
    /// `undefined`.
    Undefined,
    /// Another simple value (§3.3).
    Simple(u8),
    /// A float, as the bits of the `f64` it equals (half and single widths are widened).
    Float(u64),
}

impl Value {
    /// The integer, if this is one that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Unsigned(n) => i64::try_from(*n).ok(),
            Value::Negative(n) => i64::try_from(*n).ok().map(|n| -1 - n),
            _ => None,
        }
    }

    /// The text, if this is a text string.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes, if this is a byte string.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The entries, if this is a map.
    pub fn as_map(&self) -> Option<&[(Value, Value)]> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The value of the map entry whose key is the integer `key`.
    pub fn get_int(&self, key: i64) -> Option<&Value> {
        self.as_map()?.iter().find(|(k, _)| k.as_i64() == Some(key)).map(|(_, v)| v)
    }

    /// The value of the map entry whose key is the text `key`.
    pub fn get_text(&self, key: &str) -> Option<&Value> {
        self.as_map()?.iter().find(|(k, _)| k.as_text() == Some(key)).map(|(_, v)| v)
    }

    /// The preferred serialisation (RFC 8949 §4.1), definite lengths.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Value::Unsigned(n) => head(out, 0, *n),
            Value::Negative(n) => head(out, 1, *n),
            Value::Bytes(b) => {
                head(out, 2, b.len() as u64);
                out.extend_from_slice(b);
            }
            Value::Text(s) => {
                head(out, 3, s.len() as u64);
                out.extend_from_slice(s.as_bytes());
            }
            Value::Array(items) => {
                head(out, 4, items.len() as u64);
                items.iter().for_each(|i| i.write(out));
            }
            Value::Map(entries) => {
                head(out, 5, entries.len() as u64);
                for (k, v) in entries {
                    k.write(out);
                    v.write(out);
                }
            }
            Value::Tag(t, v) => {
                head(out, 6, *t);
                v.write(out);
            }
            Value::Bool(false) => out.push(0xf4),
            Value::Bool(true) => out.push(0xf5),
            Value::Null => out.push(0xf6),
            Value::Undefined => out.push(0xf7),
            Value::Simple(s) => head(out, 7, u64::from(*s)),
            Value::Float(bits) => {
                out.push(0xfb);
                out.extend_from_slice(&bits.to_be_bytes());
            }
        }
    }

    /// This item as JSON, for display: text-keyed maps become objects, byte strings base64url,
    /// tags are dropped, `undefined` becomes `null`, whole floats become integers.
    ///
    /// # Errors
    /// [`Error::CborMalformed`] for a map key that is not text or a float that is not whole.
    pub fn to_json(&self) -> Result<json::Value, Error> {
        Ok(match self {
            Value::Unsigned(n) => json::Value::from(*n),
            Value::Negative(n) => number(&format!("-{}", u128::from(*n) + 1))?,
            Value::Bytes(b) => json::Value::String(crate::base64::encode_url(b)),
            Value::Text(s) => json::Value::String(s.clone()),
            Value::Array(items) => {
                json::Value::Array(items.iter().map(Value::to_json).collect::<Result<_, _>>()?)
            }
            Value::Map(entries) => {
                let mut o = json::Object::default();
                for (k, v) in entries {
                    let name = k.as_text().ok_or(Error::CborMalformed {
                        reason: "a map key is not text, so it has no JSON form",
                    })?;
                    o.insert(name.to_owned(), v.to_json()?);
                }
                json::Value::Object(o)
            }
            Value::Tag(_, v) => v.to_json()?,
            Value::Bool(b) => json::Value::Bool(*b),
            Value::Null | Value::Undefined | Value::Simple(_) => json::Value::Null,
            Value::Float(bits) => {
                // Whole numbers only: DCC payloads hold none other, and printing any float
                // would bring float formatting into the wasm build for nothing.
                let f = f64::from_bits(*bits);
                if !(f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15) {
                    return Err(Error::CborMalformed {
                        reason: "a float that is not a whole number has no JSON form here",
                    });
                }
                // Invariant: f is whole and below 2^53 in magnitude, so the cast is exact.
                number(&(f as i64).to_string())?
            }
        })
    }
}

fn number(text: &str) -> Result<json::Value, Error> {
    match json::parse(text) {
        Ok(v @ json::Value::Number(_)) => Ok(v),
        _ => Err(Error::CborMalformed { reason: "a number has no JSON form" }),
    }
}

fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n <= 0xff {
        out.extend_from_slice(&[m | 24, n as u8]);
    } else if n <= 0xffff {
        out.push(m | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n <= 0xffff_ffff {
        out.push(m | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// Decodes exactly one CBOR data item.
///
/// # Errors
/// [`Error::TooLarge`] above [`MAX_INPUT`]; [`Error::CborMalformed`] for anything that is not
/// one well-formed, valid item (see the module documentation), or for trailing bytes.
pub fn decode(bytes: &[u8]) -> Result<Value, Error> {
    if bytes.len() > MAX_INPUT {
        return Err(Error::TooLarge { what: "CBOR data", limit: MAX_INPUT });
    }
    let mut d = Decoder { bytes, pos: 0 };
    let value = d.item(0)?;
    if d.pos != bytes.len() {
        return Err(malformed("trailing bytes after the data item"));
    }
    Ok(value)
}

fn malformed(reason: &'static str) -> Error {
    Error::CborMalformed { reason }
}

struct Decoder<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// The argument of a head: a number, or "indefinite" (additional information 31).
enum Arg {
    Value(u64),
    Indefinite,
}

impl Decoder<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Error> {
        let end = self.pos.checked_add(n).ok_or(malformed("length overflow"))?;
        let slice = self.bytes.get(self.pos..end).ok_or(malformed("unexpected end of data"))?;
        self.pos = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, Error> {
        let b = *self.bytes.get(self.pos).ok_or(malformed("unexpected end of data"))?;
        self.pos += 1;
        Ok(b)
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn arg(&mut self, info: u8) -> Result<Arg, Error> {
        let be = |b: &[u8]| b.iter().fold(0u64, |n, &x| (n << 8) | u64::from(x));
        Ok(Arg::Value(match info {
            0..=23 => u64::from(info),
            24 => u64::from(self.byte()?),
            25 => be(self.take(2)?),
            26 => be(self.take(4)?),
            27 => be(self.take(8)?),
            31 => return Ok(Arg::Indefinite),
            _ => return Err(malformed("reserved additional information 28-30")),
        }))
    }

    /// A length that the remaining input can possibly hold (each element takes a byte).
    fn length(&self, n: u64) -> Result<usize, Error> {
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.remaining())
            .ok_or(malformed("a length exceeds the remaining data"))
    }

    fn item(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(malformed("nested too deeply"));
        }
        let initial = self.byte()?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        let arg = self.arg(info)?;
        match (major, arg) {
            (0, Arg::Value(n)) => Ok(Value::Unsigned(n)),
            (1, Arg::Value(n)) => Ok(Value::Negative(n)),
            (2, arg) => Ok(Value::Bytes(self.string(2, arg)?)),
            (3, arg) => {
                let bytes = self.string(3, arg)?;
                String::from_utf8(bytes)
                    .map(Value::Text)
                    .map_err(|_| malformed("text is not UTF-8"))
            }
            (4, Arg::Value(n)) => {
                let n = self.length(n)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.item(depth + 1)?);
                }
                Ok(Value::Array(items))
            }
            (4, Arg::Indefinite) => {
                let mut items = Vec::new();
                while !self.at_break()? {
                    items.push(self.item(depth + 1)?);
                }
                Ok(Value::Array(items))
            }
            (5, arg) => self.map(depth, arg),
            (6, Arg::Value(tag)) => Ok(Value::Tag(tag, Box::new(self.item(depth + 1)?))),
            (7, Arg::Value(n)) => match (info, n) {
                (20, _) => Ok(Value::Bool(false)),
                (21, _) => Ok(Value::Bool(true)),
                (22, _) => Ok(Value::Null),
                (23, _) => Ok(Value::Undefined),
                (0..=19, n) => Ok(Value::Simple(n as u8)),
                (24, n) if n >= 32 => Ok(Value::Simple(n as u8)),
                (24, _) => Err(malformed("a simple value below 32 written in two bytes")),
                (25, n) => Ok(Value::Float(half_to_f64(n as u16).to_bits())),
                (26, n) => Ok(Value::Float(f64::from(f32::from_bits(n as u32)).to_bits())),
                (27, n) => Ok(Value::Float(n)),
                _ => Err(malformed("invalid simple value")),
            },
            (7, Arg::Indefinite) => Err(malformed("a break outside an indefinite-length item")),
            _ => Err(malformed("indefinite length on an integer or tag")),
        }
    }

    /// True (and consumed) if the next byte is a `break`.
    fn at_break(&mut self) -> Result<bool, Error> {
        match self.bytes.get(self.pos) {
            Some(0xff) => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err(malformed("unexpected end of data")),
        }
    }

    /// A byte or text string; an indefinite one is made of definite chunks of the same type.
    fn string(&mut self, major: u8, arg: Arg) -> Result<Vec<u8>, Error> {
        match arg {
            Arg::Value(n) => {
                let n = self.length(n)?;
                Ok(self.take(n)?.to_vec())
            }
            Arg::Indefinite => {
                let mut out = Vec::new();
                while !self.at_break()? {
                    let initial = self.byte()?;
                    if initial >> 5 != major {
                        return Err(malformed("a string chunk of another type"));
                    }
                    let Arg::Value(n) = self.arg(initial & 0x1f)? else {
                        return Err(malformed("a nested indefinite-length string"));
                    };
                    let n = self.length(n)?;
                    let chunk = self.take(n)?;
                    if major == 3 && core::str::from_utf8(chunk).is_err() {
                        return Err(malformed("a text chunk is not UTF-8"));
                    }
                    out.extend_from_slice(chunk);
                }
                Ok(out)
            }
        }
    }

    fn map(&mut self, depth: usize, arg: Arg) -> Result<Value, Error> {
        let mut entries = Vec::new();
        let mut seen = BTreeSet::new();
        let mut entry = |d: &mut Self| -> Result<(), Error> {
            let key = d.item(depth + 1)?;
            if !seen.insert(key.to_bytes()) {
                return Err(malformed("duplicate map key"));
            }
            let value = d.item(depth + 1)?;
            entries.push((key, value));
            Ok(())
        };
        match arg {
            Arg::Value(n) => {
                for _ in 0..self.length(n)? {
                    entry(self)?;
                }
            }
            Arg::Indefinite => {
                while !self.at_break()? {
                    entry(self)?;
                }
            }
        }
        Ok(Value::Map(entries))
    }
}

/// IEEE 754 binary16 to f64 (RFC 8949 Appendix D).
fn half_to_f64(half: u16) -> f64 {
    let exp = (half >> 10) & 0x1f;
    let mant = f64::from(half & 0x3ff);
    let value = match exp {
        0 => mant * 2f64.powi(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (mant + 1024.0) * 2f64.powi(i32::from(e) - 25),
    };
    if half & 0x8000 != 0 {
        -value
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn rfc8949_appendix_a() {
        let cases = [
            ("00", Value::Unsigned(0)),
            ("1817", Value::Unsigned(23)),
            ("1903e8", Value::Unsigned(1000)),
            ("1bffffffffffffffff", Value::Unsigned(u64::MAX)),
            ("20", Value::Negative(0)),
            ("3903e7", Value::Negative(999)),
            ("f90000", Value::Float(0f64.to_bits())),
            ("f93c00", Value::Float(1f64.to_bits())),
            ("f97bff", Value::Float(65504f64.to_bits())),
            ("fa47c35000", Value::Float(100000f64.to_bits())),
            ("fb3ff199999999999a", Value::Float(1.1f64.to_bits())),
            ("f4", Value::Bool(false)),
            ("f6", Value::Null),
            ("f7", Value::Undefined),
            ("f0", Value::Simple(16)),
            ("f8ff", Value::Simple(255)),
            ("4401020304", Value::Bytes(vec![1, 2, 3, 4])),
            ("62c3bc", Value::Text("ü".into())),
            ("5f42010243030405ff", Value::Bytes(vec![1, 2, 3, 4, 5])),
            ("7f657374726561646d696e67ff", Value::Text("streaming".into())),
            ("9f018202039f0405ffff", {
                let inner = Value::Array(vec![Value::Unsigned(2), Value::Unsigned(3)]);
                let last = Value::Array(vec![Value::Unsigned(4), Value::Unsigned(5)]);
                Value::Array(vec![Value::Unsigned(1), inner, last])
            }),
            ("bf61610161629f0203ffff", {
                let b = Value::Array(vec![Value::Unsigned(2), Value::Unsigned(3)]);
                Value::Map(vec![
                    (Value::Text("a".into()), Value::Unsigned(1)),
                    (Value::Text("b".into()), b),
                ])
            }),
            ("c11a514b67b0", Value::Tag(1, Box::new(Value::Unsigned(1_363_896_240)))),
        ];
        for (h, v) in cases {
            assert_eq!(decode(&hex(h)).unwrap(), v, "{h}");
            assert_eq!(decode(&v.to_bytes()).unwrap(), v, "{h}");
        }
        assert_eq!(decode(&hex("a201020304")).unwrap().to_bytes(), hex("a201020304"));
    }

    #[test]
    fn refuses_invalid_items() {
        for h in [
            "",
            "18",
            "1c",
            "ff",
            "5f01ff",
            "5f5f4100ffff",
            "7f4100ff",
            "a20102",
            "a201020103",
            "bf0102",
            "9f",
            "f818",
            "62c328",
            "0000",
            "3f",
            "df00",
            "1f",
            "9b00000000ffffffff",
        ] {
            assert_eq!(decode(&hex(h)).map_err(|e| e.code()), Err("cbor-malformed"), "{h}");
        }
        let deep = [vec![0x81; MAX_DEPTH + 1], vec![0]].concat();
        assert!(decode(&deep).is_err());
        assert!(decode(&[vec![0x81; MAX_DEPTH], vec![0]].concat()).is_ok());
    }

    #[test]
    fn converts_to_json() {
        let v = decode(&hex("a3616101616282f5f6616339ffff")).unwrap();
        assert_eq!(v.to_json().unwrap().to_string(), r#"{"a":1,"b":[true,null],"c":-65536}"#);
        assert_eq!(decode(&hex("f94200")).unwrap().to_json().unwrap().to_string(), "3");
        assert!(decode(&hex("f93e00")).unwrap().to_json().is_err());
        assert!(decode(&hex("a10101")).unwrap().to_json().is_err());
    }
}
