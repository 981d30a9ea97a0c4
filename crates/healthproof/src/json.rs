//! Strict, bounded JSON (RFC 8259), as SD-JWT (RFC 9901) payloads and disclosures use it.
//!
//! [`parse`] accepts exactly the grammar of RFC 8259 §2 (`JSON-text = ws value ws`) and no
//! extension: no comments, trailing commas, single quotes, `NaN`/`Infinity` or byte order mark.
//!
//! - §4 says names within an object SHOULD be unique and leaves duplicates to each parser,
//!   some keeping the first, others the last. We reject them (compared after unescaping):
//!   RFC 9901 §7.1 and JWS (RFC 7515 §5.2) require it, and two parsers disagreeing on a
//!   claim's value is an ambiguity attack on whoever checks the signature.
//! - §6: numbers keep their exact source text; `-`, no leading zeros, no `+`, finite only.
//! - §7: strings must escape control characters; escapes are the eight short forms and
//!   `\uXXXX`, where a high surrogate must be followed by a low one (no lone surrogates).
//! - §8.1: input is `&str`, so it is already UTF-8; a leading BOM is refused.
//! - §9 lets parsers set limits: input is at most [`MAX_INPUT`] bytes and nests at most
//!   [`MAX_DEPTH`] levels, so parsing is bounded in time and stack (quasi-linear: duplicate
//!   names are found with a `BTreeSet`).
//!
//! [`Value`]'s `Display` writes compact JSON: no whitespace, members in document order,
//! numbers verbatim and minimal string escapes. Compact, minimally escaped input therefore
//! round-trips byte for byte. It recurses once per level, which [`parse`] bounds.

use core::fmt::{self, Write};
use std::collections::BTreeSet;

/// The largest input [`parse`] accepts, in bytes.
pub const MAX_INPUT: usize = 1 << 20;
/// The deepest nesting of arrays and objects [`parse`] accepts.
pub const MAX_DEPTH: usize = 64;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in document order.
    Object(Object),
}

/// A JSON number, kept as its source text (RFC 8259 §6), so `1.0` and `1` differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

/// A JSON object: members in document order, names unique.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Object(Vec<(String, Value)>);

/// Why and where (byte offset) [`parse`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Why, in a short sentence fragment.
    pub reason: &'static str,
    /// Byte offset into the input where the problem was found.
    pub offset: usize,
}

/// Parses one JSON text (RFC 8259 §2), strictly.
///
/// # Errors
/// [`JsonError`] for input beyond [`MAX_INPUT`] or [`MAX_DEPTH`], and for anything that is not
/// RFC 8259 JSON or that has duplicate object names.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    if text.len() > MAX_INPUT {
        return Err(JsonError { reason: "input too large", offset: MAX_INPUT });
    }
    let mut parser = Parser { text, pos: 0 };
    if text.starts_with('\u{feff}') {
        return Err(parser.err("byte order mark"));
    }
    let value = parser.value(0)?;
    if parser.pos != text.len() {
        return Err(parser.err("trailing data after the value"));
    }
    Ok(value)
}

/// `s` as a quoted, minimally escaped JSON string.
pub fn to_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    // Invariant: writing to a String never fails.
    let _ = write_string(&mut out, s);
    out
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The member named `name`, if this is an object that has one.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.as_object()?.get(name)
    }
}

impl Number {
    /// The number as written in the source.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value, if written as an integer (no fraction or exponent) that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.is_integer().then(|| self.0.parse().ok())?
    }

    /// The value, if written as an integer (no fraction or exponent) that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.is_integer().then(|| self.0.parse().ok())?
    }

    /// The nearest `f64`, or `None` where it would be infinite.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok().filter(|x: &f64| x.is_finite())
    }

    fn is_integer(&self) -> bool {
        !self.0.contains(['.', 'e', 'E'])
    }
}

impl Object {
    /// The value of the member named `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The members, in document order.
    pub fn members(&self) -> &[(String, Value)] {
        &self.0
    }

    /// Appends a member; returns `false`, changing nothing, if the name is already present.
    pub fn insert(&mut self, name: String, value: Value) -> bool {
        if self.get(&name).is_some() {
            return false;
        }
        self.0.push((name, value));
        true
    }

    /// Removes and returns the member named `name`.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let index = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.remove(index).1)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&n.0),
            Value::String(s) => write_string(f, s),
            Value::Array(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    write!(f, "{}{item}", if i == 0 { "" } else { "," })?;
                }
                f.write_char(']')
            }
            Value::Object(Object(members)) => {
                f.write_char('{')?;
                for (i, (name, value)) in members.iter().enumerate() {
                    f.write_str(if i == 0 { "" } else { "," })?;
                    write_string(f, name)?;
                    write!(f, ":{value}")?;
                }
                f.write_char('}')
            }
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed JSON at byte {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for JsonError {}

/// Writes `s` quoted, escaping only `"`, `\` and control characters (RFC 8259 §7).
fn write_string(out: &mut impl Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\u{8}' => out.write_str("\\b")?,
            '\u{c}' => out.write_str("\\f")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if c < ' ' => write!(out, "\\u{:04x}", u32::from(c))?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    /// An error at the current position; running out of input is always reported as such.
    fn err(&self, reason: &'static str) -> JsonError {
        let reason = if self.pos >= self.text.len() { "unexpected end of input" } else { reason };
        JsonError { reason, offset: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    /// Skips RFC 8259 whitespace: space, tab, line feed, carriage return.
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Counts and skips ASCII digits.
    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// The source text from `start` to the current position.
    fn since(&self, start: usize) -> Result<&'a str, JsonError> {
        // Invariant: both ends sit next to ASCII bytes, so on character boundaries.
        self.text.get(start..self.pos).ok_or(JsonError { reason: "internal error", offset: start })
    }

    /// A value with surrounding whitespace, inside `depth` arrays and objects.
    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.skip_ws();
        let value = match self.peek() {
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            _ => return Err(self.err("expected a value")),
        };
        self.skip_ws();
        Ok(value)
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        if !self.text.get(self.pos..).is_some_and(|rest| rest.starts_with(word)) {
            return Err(self.err("invalid literal"));
        }
        self.pos += word.len();
        Ok(value)
    }

    /// Enters a container at `depth`; refuses before recursing, so the stack stays bounded.
    fn enter(&mut self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.pos += 1;
        self.skip_ws();
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.err("expected ',' or ']'"));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        let mut members = Vec::new();
        if self.eat(b'}') {
            return Ok(Value::Object(Object(members)));
        }
        let mut seen = BTreeSet::new();
        loop {
            self.skip_ws();
            let at = self.pos;
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a string key"));
            }
            let name = self.string()?;
            if !seen.insert(name.clone()) {
                return Err(JsonError { reason: "duplicate object key", offset: at });
            }
            self.skip_ws();
            if !self.eat(b':') {
                return Err(self.err("expected ':'"));
            }
            members.push((name, self.value(depth)?));
            if self.eat(b'}') {
                return Ok(Value::Object(Object(members)));
            }
            if !self.eat(b',') {
                return Err(self.err("expected ',' or '}'"));
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` (RFC 8259 §6).
    fn number(&mut self) -> Result<Number, JsonError> {
        let start = self.pos;
        self.eat(b'-');
        if self.eat(b'0') {
            if self.digits() > 0 {
                return Err(JsonError { reason: "leading zero in number", offset: start });
            }
        } else if self.digits() == 0 {
            return Err(self.err("invalid number"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.err("invalid number"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        Ok(Number(self.since(start)?.to_owned()))
    }

    /// A string starting at its opening quote, unescaped (RFC 8259 §7).
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            match self.peek() {
                Some(b'"') => {
                    out.push_str(self.since(run)?);
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(self.since(run)?);
                    self.pos += 1;
                    out.push(self.escape()?);
                    run = self.pos;
                }
                Some(0..=0x1f) => return Err(self.err("control character in string")),
                Some(_) => self.pos += 1,
                None => return Err(self.err("unexpected end of input")),
            }
        }
    }

    /// The character of an escape, just after its backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let byte = self.peek().ok_or(self.err("invalid escape"))?;
        self.pos += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                let code = if (0xd800..0xdc00).contains(&high) {
                    // A high surrogate must be followed by an escaped low one.
                    let low = if self.eat(b'\\') && self.eat(b'u') { self.hex4()? } else { 0 };
                    if !(0xdc00..0xe000).contains(&low) {
                        return Err(self.err("lone surrogate"));
                    }
                    0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
                } else {
                    high
                };
                // A lone low surrogate is no Unicode scalar value, so `from_u32` refuses it.
                char::from_u32(code).ok_or(self.err("lone surrogate"))?
            }
            _ => {
                self.pos -= 1;
                return Err(self.err("invalid escape"));
            }
        })
    }

    /// The four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            code = (code << 4) | digit.ok_or(self.err("invalid escape"))?;
            self.pos += 1;
        }
        Ok(code)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        // Invariant: the decimal form of a u64 is a valid RFC 8259 number.
        Value::Number(Number(n.to_string()))
    }
}

impl From<JsonError> for crate::Error {
    fn from(e: JsonError) -> crate::Error {
        crate::Error::JsonMalformed { reason: e.reason, offset: e.offset }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_inputs_and_their_compact_form() {
        let cases = [
            ("null", "null"),
            (" true ", "true"),
            ("\t\r\nfalse\n", "false"),
            ("0", "0"),
            ("-0", "-0"),
            ("-12.50", "-12.50"),
            ("1.5e-10", "1.5e-10"),
            ("1E+2", "1E+2"),
            (r#""""#, r#""""#),
            ("[]", "[]"),
            ("{ }", "{}"),
            (" [ 1 , [ ] , { } ] ", "[1,[],{}]"),
            (r#"{ "b" : 1 , "a" : [ null , { "" : "" } ] }"#, r#"{"b":1,"a":[null,{"":""}]}"#),
            (r#""\u00e9\/\"\\""#, r#""é/\"\\""#),
            (r#""\b\f\n\r\t\u0001\u001F\u0000""#, r#""\b\f\n\r\t\u0001\u001f\u0000""#),
            (r#""\ud83d\ude00 \uD83D\uDE00""#, "\"😀 😀\""),
            (r#""\uDBFF\uDFFF\u0041\u00e9""#, "\"\u{10ffff}Aé\""),
            ("\"\u{7f}é😀\"", "\"\u{7f}é😀\""),
        ];
        for (input, compact) in cases {
            let value = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(value.to_string(), compact, "{input:?}");
        }
    }

    #[test]
    fn invalid_inputs_with_reasons() {
        let cases: [(&str, &[&str]); 18] = [
            (
                "unexpected end of input",
                &["", "  ", "[1,", "{\"a\":", "\"abc", "-", "1e", "\"\\u12"],
            ),
            ("byte order mark", &["\u{feff}{}"]),
            ("trailing data after the value", &["{} x", "[1] [2]", "1 2", "truex"]),
            ("expected a value", &["[1,]", "[1,,2]", " ]", "'a'", "+1", ".5", "NaN", "Infinity"]),
            ("expected a value", &["True", "// c\n1", "/* c */ 1", "[1,/**/2]"]),
            ("expected a string key", &["{\"a\":1,}", "{a:1}", "{,}", "{1:1}"]),
            ("expected ':'", &["{\"a\" 1}", "{\"a\"=1}"]),
            ("expected ',' or ']'", &["[1 2]", "[1 /* c */]", "[1;2]"]),
            ("expected ',' or '}'", &["{\"a\":1 \"b\":2}", "{\"a\":1]"]),
            ("invalid literal", &["nul ", "tru", "fals3"]),
            ("leading zero in number", &["01", "-01", "00", "[-00.5]"]),
            ("invalid number", &["[1.]", "[1.e5]", "[1e]", "[1e+]", "[- 1]", "-Infinity", "[-.5]"]),
            ("control character in string", &["\"a\u{1}\"", "\"a\nb\"", "\"\t\"", "\"\u{1f}\""]),
            (
                "invalid escape",
                &[r#""\x""#, r#""\U0041""#, r#""\u12g4""#, r#""\'""#, r#""\u+123""#],
            ),
            ("lone surrogate", &[r#""\ud800""#, r#""\udc00""#, r#""\ude00\ud83d""#]),
            ("lone surrogate", &[r#""\ud800\u0041""#, r#""\ud800\ud800""#, r#""\ud83d\n""#]),
            ("duplicate object key", &[r#"{"a":1,"a":2}"#, r#"[{"x":{},"y":0,"x":[]}]"#]),
            ("duplicate object key", &[r#"{"a":1,"\u0061":2}"#, r#"{"\ud83d\ude00":1,"😀":2}"#]),
        ];
        for (reason, inputs) in cases {
            for input in inputs {
                assert_eq!(parse(input).map_err(|e| e.reason), Err(reason), "{input:?}");
            }
        }
    }

    #[test]
    fn duplicate_keys_compared_after_unescaping() {
        let err = parse(r#"{"a":1, "\u0061":2}"#).unwrap_err();
        assert_eq!(err, JsonError { reason: "duplicate object key", offset: 8 });
        assert_eq!(err.to_string(), "malformed JSON at byte 8: duplicate object key");
        assert!(parse(r#"{"\ud83d\ude00":1,"😀":2}"#).is_err());
        // Same names in different objects are fine.
        assert!(parse(r#"{"a":{"a":1},"b":{"a":2}}"#).is_ok());
    }

    #[test]
    fn depth_is_bounded() {
        let nest = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert!(parse(&nest(MAX_DEPTH)).is_ok());
        let err = parse(&nest(MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(err, JsonError { reason: "nested too deeply", offset: MAX_DEPTH });
        let objects = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&objects).unwrap_err().reason, "nested too deeply");
        // A full-size input of brackets stops at the limit, without deep recursion.
        assert_eq!(parse(&"[".repeat(MAX_INPUT)).unwrap_err().reason, "nested too deeply");
    }

    #[test]
    fn size_is_bounded() {
        let err = parse(&"[".repeat(10 << 20)).unwrap_err();
        assert_eq!(err.reason, "input too large");
        let largest = format!("\"{}\"", "a".repeat(MAX_INPUT - 2));
        assert_eq!(parse(&largest).unwrap().as_str().map(str::len), Some(MAX_INPUT - 2));
        assert_eq!(parse(&format!("{largest} ")).unwrap_err().reason, "input too large");
    }

    #[test]
    fn many_members_parse_quickly() {
        let members: Vec<String> = (0..60_000).map(|i| format!("\"k{i}\":{i}")).collect();
        let text = format!("{{{}}}", members.join(","));
        let value = parse(&text).unwrap();
        assert_eq!(
            value.get("k59999").and_then(Value::as_number).and_then(Number::as_u64),
            Some(59999)
        );
        assert_eq!(value.to_string(), text);
    }

    #[test]
    fn round_trips() {
        let text = r#" { "iss" : "https://issuer.example" , "iat" : 1683000000 , "x" : -1.5E3 ,
            "_sd" : [ "a\"b" , "\u00e9\ud83d\ude00\u001b" ] , "n" : null , "t" : [ true , false ] } "#;
        let value = parse(text).unwrap();
        let compact = value.to_string();
        assert_eq!(parse(&compact).unwrap(), value);
        assert_eq!(parse(&compact).unwrap().to_string(), compact);
    }

    #[test]
    fn accessors() {
        let value = parse(r#"{"s":"x","b":true,"a":[1],"o":{"k":null},"n":12}"#).unwrap();
        assert_eq!(value.get("s").and_then(Value::as_str), Some("x"));
        assert_eq!(value.get("b").and_then(Value::as_bool), Some(true));
        assert_eq!(value.get("a").and_then(Value::as_array).map(<[Value]>::len), Some(1));
        assert_eq!(value.get("o").and_then(|o| o.get("k")), Some(&Value::Null));
        assert_eq!(value.get("missing"), None);
        assert_eq!(value.get("s").and_then(|s| s.get("s")), None);
        let names: Vec<&str> =
            value.as_object().unwrap().members().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["s", "b", "a", "o", "n"]);

        let mut object = value.as_object().unwrap().clone();
        assert!(!object.insert("s".into(), Value::Null));
        assert_eq!(object.remove("s"), Some(Value::String("x".into())));
        assert!(object.insert("s".into(), Value::Bool(false)));
        assert_eq!(
            Value::Object(object).to_string(),
            r#"{"b":true,"a":[1],"o":{"k":null},"n":12,"s":false}"#
        );
    }

    #[test]
    fn numbers_are_exact() {
        let number = |text: &str| parse(text).unwrap().as_number().unwrap().clone();
        assert_eq!(number("12").as_u64(), Some(12));
        assert_eq!(number("-12").as_i64(), Some(-12));
        assert_eq!(number("-12").as_u64(), None);
        assert_eq!(number("-0").as_i64(), Some(0));
        assert_eq!(number("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(number("18446744073709551616").as_u64(), None);
        assert_eq!(number("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(number("1.0").as_u64(), None);
        assert_eq!(number("1e2").as_i64(), None);
        assert_eq!(number("1e2").as_f64(), Some(100.0));
        assert_eq!(number("-2.5E-1").as_f64(), Some(-0.25));
        assert_eq!(number("1e400").as_f64(), None);
        assert_eq!(number("1.10").as_str(), "1.10");
        assert_ne!(number("1.0"), number("1"));
    }

    #[test]
    fn strings_escape_minimally() {
        assert_eq!(to_json_string("a\"b\\c/d\u{7f}é"), "\"a\\\"b\\\\c/d\u{7f}é\"");
        assert_eq!(to_json_string("\u{0}\u{8}\u{c}\n\r\t\u{1f}"), r#""\u0000\b\f\n\r\t\u001f""#);
        for c in (0..0x80u8).map(char::from) {
            let s = c.to_string();
            assert_eq!(parse(&to_json_string(&s)).unwrap().as_str(), Some(s.as_str()));
        }
    }
}
