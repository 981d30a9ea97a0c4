//! Signed notes, as specified by c2sp.org/signed-note (v1.0.0).
//!
//! - Format (§Format): UTF-8 text ending in a newline, a blank line, then one or more lines
//!   `— <key name> base64(key ID || signature)`. The text may contain blank lines; the *last*
//!   blank line separates it from the signatures. No control character but the newline.
//! - Verifier keys (§Verifier keys): `<name>+<hex key ID>+base64(type || public key)`, where
//!   the key ID is `SHA-256(name || 0x0A || type || public key)[:4]`.
//! - Signatures (§Signatures): unknown keys are ignored, a known key whose signature fails
//!   rejects the whole note, and a note with no verified signature is rejected.
//!
//! Two signature types are supported, the ones a transparency log and its witnesses use:
//! `0x01` Ed25519 over the note text, and `0x04` timestamped Ed25519 cosignatures
//! (c2sp.org/tlog-cosignature, see [`crate::cosignature`]). Ed25519 is checked with
//! ed25519-dalek's `verify_strict`, which rejects small-order keys and points, non-canonical
//! encodings and malleable `S` values: a log signature has exactly one valid encoding.
//!
//! ```
//! use healthproof::note::{Note, VerifierKey, verify};
//! let vkey = VerifierKey::parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")?;
//! let note = Note::parse(
//!     "This is an example message.\n\n\
//!      — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
//!         .as_bytes(),
//! )?;
//! let verified = verify(&note, &[vkey])?;
//! assert_eq!(verified.text(), "This is an example message.\n");
//! # Ok::<(), healthproof::Error>(())
//! ```

use core::fmt;

use sha2::{Digest, Sha256};

use crate::ed25519::PublicKey;
use crate::{base64, cosignature, Error};

/// The largest note accepted, in bytes: far above any checkpoint with 100 cosignatures.
pub const MAX_NOTE_SIZE: usize = 64 * 1024;
/// The most signature lines a note may carry (the spec asks for at least 16; Go allows 100).
pub const MAX_SIGNATURES: usize = 100;
/// The longest key name accepted, in bytes.
pub const MAX_KEY_NAME: usize = 256;

const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// A signature algorithm of the signed-note registry that this crate verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// `0x01`: Ed25519 over the note text.
    Ed25519,
    /// `0x04`: timestamped Ed25519 checkpoint cosignature (c2sp.org/tlog-cosignature v1).
    CosignatureV1,
}

impl KeyType {
    /// The signature type identifier byte.
    pub fn to_byte(self) -> u8 {
        match self {
            KeyType::Ed25519 => 0x01,
            KeyType::CosignatureV1 => 0x04,
        }
    }

    /// The type with this identifier byte, if this crate supports it.
    pub fn from_byte(byte: u8) -> Option<KeyType> {
        match byte {
            0x01 => Some(KeyType::Ed25519),
            0x04 => Some(KeyType::CosignatureV1),
            _ => None,
        }
    }
}

/// The key ID of the spec: `SHA-256(name || 0x0A || type || public key)[:4]`, big-endian.
pub fn key_id(name: &str, key_type: KeyType, public_key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', key_type.to_byte()]);
    h.update(public_key);
    let [a, b, c, d, ..]: [u8; 32] = h.finalize().into();
    u32::from_be_bytes([a, b, c, d])
}

/// Whether `name` may name a key: non-empty, no Unicode space, no `+`, bounded length.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_KEY_NAME
        && !name.contains('+')
        && !name.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A trusted public key, parsed from its vkey string.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_id: u32,
    key_type: KeyType,
    key: PublicKey,
}

impl VerifierKey {
    /// Parses a vkey `<name>+<8 lowercase hex digits>+<base64(type || key)>`.
    ///
    /// # Errors
    /// [`Error::KeyMalformed`] for a bad name, key ID, encoding, unsupported type, a key that
    /// is not a valid Ed25519 point, or a key ID that does not match the name and key.
    pub fn parse(vkey: &str) -> Result<VerifierKey, Error> {
        let malformed = |reason| Error::KeyMalformed { reason };
        let (name, rest) = vkey.split_once('+').ok_or(malformed("no '+' after the key name"))?;
        let (id_hex, key_b64) = rest.split_once('+').ok_or(malformed("no '+' after the key ID"))?;
        if !is_valid_key_name(name) {
            return Err(malformed("the key name is empty or has a space or '+'"));
        }
        if id_hex.len() != 8 || !id_hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(malformed("the key ID is not 8 lowercase hex digits"));
        }
        let id = u32::from_str_radix(id_hex, 16).map_err(|_| malformed("bad key ID"))?;
        let material =
            base64::decode(key_b64).ok_or(malformed("the key is not canonical base64"))?;
        let (&type_byte, public_key) =
            material.split_first().ok_or(malformed("the key material is empty"))?;
        let key_type = KeyType::from_byte(type_byte)
            .ok_or(malformed("the signature type is not Ed25519 (0x01) or cosignature (0x04)"))?;
        let key = VerifierKey::new(name, key_type, public_key)?;
        if key.key_id != id {
            return Err(malformed("the key ID does not match the name and key"));
        }
        Ok(key)
    }

    /// A key from its parts; the key ID is computed.
    ///
    /// # Errors
    /// [`Error::KeyMalformed`] for a bad name or a public key that is not 32 bytes encoding a
    /// point on the curve.
    pub fn new(name: &str, key_type: KeyType, public_key: &[u8]) -> Result<VerifierKey, Error> {
        if !is_valid_key_name(name) {
            return Err(Error::KeyMalformed {
                reason: "the key name is empty or has a space or '+'",
            });
        }
        let key = PublicKey::from_bytes(public_key)?;
        Ok(VerifierKey {
            name: name.to_owned(),
            key_id: key_id(name, key_type, public_key),
            key_type,
            key,
        })
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The signature type.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The 32-byte Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Checks `signature` (the bytes after the key ID) over the note `text`.
    ///
    /// Returns the cosignature timestamp for [`KeyType::CosignatureV1`], `None` for plain
    /// Ed25519, or `Err(())` when the signature does not verify.
    fn check(&self, text: &str, signature: &[u8]) -> Result<Option<u64>, ()> {
        match self.key_type {
            KeyType::Ed25519 => {
                self.key.verify(text.as_bytes(), signature).then_some(None).ok_or(())
            }
            KeyType::CosignatureV1 => {
                let (timestamp, sig) = cosignature::split(signature).map_err(|_| ())?;
                let message = cosignature::signed_message(timestamp, text);
                self.key.verify(&message, &sig).then_some(Some(timestamp)).ok_or(())
            }
        }
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut material = Vec::with_capacity(33);
        material.push(self.key_type.to_byte());
        material.extend_from_slice(&self.key.to_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.key_id, base64::encode(&material))
    }
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

/// One signature line of a note, not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    name: String,
    key_id: u32,
    signature: Vec<u8>,
}

impl Signature {
    /// A signature line from its parts.
    ///
    /// # Errors
    /// [`Error::NoteMalformed`] for an invalid key name or an empty signature.
    pub fn new(name: &str, key_id: u32, signature: Vec<u8>) -> Result<Signature, Error> {
        if !is_valid_key_name(name) {
            return Err(Error::NoteMalformed { reason: "a signature's key name is invalid" });
        }
        if signature.is_empty() {
            return Err(Error::NoteMalformed { reason: "a signature is empty" });
        }
        Ok(Signature { name: name.to_owned(), key_id, signature })
    }

    /// The key name on the line.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key ID: the first four bytes of the decoded signature.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The signature bytes after the key ID.
    pub fn bytes(&self) -> &[u8] {
        &self.signature
    }

    fn parse(line: &str) -> Result<Signature, Error> {
        let malformed = |reason| Error::NoteMalformed { reason };
        let rest = line
            .strip_prefix(SIGNATURE_PREFIX)
            .ok_or(malformed("a signature line does not start with an em dash and a space"))?;
        let (name, b64) =
            rest.split_once(' ').ok_or(malformed("a signature line has no signature"))?;
        if !is_valid_key_name(name) {
            return Err(malformed("a signature's key name is invalid"));
        }
        let raw = base64::decode(b64).ok_or(malformed("a signature is not canonical base64"))?;
        match raw.as_slice() {
            [a, b, c, d, sig @ ..] if !sig.is_empty() => Ok(Signature {
                name: name.to_owned(),
                key_id: u32::from_be_bytes([*a, *b, *c, *d]),
                signature: sig.to_vec(),
            }),
            _ => Err(malformed("a signature is shorter than its key ID and one byte")),
        }
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = Vec::with_capacity(4 + self.signature.len());
        raw.extend_from_slice(&self.key_id.to_be_bytes());
        raw.extend_from_slice(&self.signature);
        write!(f, "{SIGNATURE_PREFIX}{} {}", self.name, base64::encode(&raw))
    }
}

/// A parsed signed note whose signatures have not been checked.
///
/// Its text must not be acted upon: only [`verify`] yields text that a trusted key signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<Signature>,
}

impl Note {
    /// Parses a signed note.
    ///
    /// # Errors
    /// [`Error::TooLarge`] above [`MAX_NOTE_SIZE`] bytes or [`MAX_SIGNATURES`] signatures;
    /// [`Error::NoteMalformed`] otherwise.
    pub fn parse(bytes: &[u8]) -> Result<Note, Error> {
        Note::parse_with_limit(bytes, MAX_NOTE_SIZE)
    }

    /// Parses a signed note of at most `limit` bytes: for notes whose format allows more
    /// than [`MAX_NOTE_SIZE`], such as trust lists carrying signer certificates.
    ///
    /// # Errors
    /// As [`Note::parse`], with `limit` in place of [`MAX_NOTE_SIZE`].
    pub fn parse_with_limit(bytes: &[u8], limit: usize) -> Result<Note, Error> {
        let malformed = |reason| Error::NoteMalformed { reason };
        if bytes.len() > limit {
            return Err(Error::TooLarge { what: "a signed note", limit });
        }
        let all = core::str::from_utf8(bytes).map_err(|_| malformed("it is not valid UTF-8"))?;
        if all.bytes().any(|b| b < 0x20 && b != b'\n') {
            return Err(malformed("it contains a control character"));
        }
        if !all.ends_with('\n') {
            return Err(malformed("it does not end with a newline"));
        }
        let split = all.rfind("\n\n").ok_or(malformed("no blank line before the signatures"))?;
        let (text, sigs) = all.split_at(split + 1);
        let sigs = sigs.get(1..).unwrap_or("");
        let lines: Vec<&str> = sigs.strip_suffix('\n').unwrap_or(sigs).split('\n').collect();
        if lines.len() > MAX_SIGNATURES {
            return Err(Error::TooLarge { what: "the signature list", limit: MAX_SIGNATURES });
        }
        if sigs.is_empty() {
            return Err(malformed("it has no signature"));
        }
        let signatures = lines.into_iter().map(Signature::parse).collect::<Result<_, _>>()?;
        Ok(Note { text: text.to_owned(), signatures })
    }

    /// A note from its text and signatures, as a signer assembles it.
    ///
    /// # Errors
    /// [`Error::NoteMalformed`] when the text does not end in a newline, contains a control
    /// character other than newline, or there is no signature.
    pub fn new(text: &str, signatures: Vec<Signature>) -> Result<Note, Error> {
        let note = Note { text: text.to_owned(), signatures };
        // The signer decides the size; readers apply their own limit when parsing.
        Note::parse_with_limit(note.to_string().as_bytes(), usize::MAX)
    }

    /// The text, including its final newline. Not trusted until [`verify`] succeeds.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The signature lines, in order.
    pub fn signatures(&self) -> &[Signature] {
        &self.signatures
    }

    /// The note in its wire form, identical to the bytes it was parsed from.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.text)?;
        for sig in &self.signatures {
            writeln!(f, "{sig}")?;
        }
        Ok(())
    }
}

/// A signature that verified with a trusted key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// The key name.
    pub name: String,
    /// The key ID.
    pub key_id: u32,
    /// The signature type.
    pub key_type: KeyType,
    /// For a cosignature, the time it claims to have been made (POSIX seconds).
    pub timestamp: Option<u64>,
}

/// A note whose text is signed by at least one trusted key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedNote {
    text: String,
    verified: Vec<VerifiedSignature>,
    unverified: Vec<(String, u32)>,
}

impl VerifiedNote {
    /// The signed text, including its final newline.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The trusted keys that signed, once each, in the order of their first signature.
    pub fn verified(&self) -> &[VerifiedSignature] {
        &self.verified
    }

    /// Name and key ID of signatures by unknown keys (identical lines listed once).
    pub fn unverified(&self) -> &[(String, u32)] {
        &self.unverified
    }

    /// Whether the key with this name and ID is among those that signed.
    pub fn is_signed_by(&self, key: &VerifierKey) -> bool {
        self.verified.iter().any(|s| s.name == key.name && s.key_id == key.key_id)
    }
}

/// Verifies `note` against the trusted `keys`.
///
/// Signatures whose name and key ID match no trusted key are ignored. Every signature from a
/// trusted key is checked, repeated ones too, and must verify; each key counts once.
///
/// # Errors
/// [`Error::KeyAmbiguous`] when two trusted keys share a signature's name and ID,
/// [`Error::SignatureInvalid`] when a trusted key's signature fails, and
/// [`Error::KeyUnknown`] when no trusted key signed.
pub fn verify(note: &Note, keys: &[VerifierKey]) -> Result<VerifiedNote, Error> {
    let mut verified: Vec<VerifiedSignature> = Vec::new();
    let mut unverified: Vec<(String, u32)> = Vec::new();
    let mut unknown_lines: Vec<&Signature> = Vec::new();
    for (position, sig) in note.signatures.iter().enumerate() {
        let mut matching = keys.iter().filter(|k| k.name == sig.name && k.key_id == sig.key_id);
        let Some(key) = matching.next() else {
            if !unknown_lines.contains(&sig) {
                unknown_lines.push(sig);
                unverified.push((sig.name.clone(), sig.key_id));
            }
            continue;
        };
        if matching.next().is_some() {
            return Err(Error::KeyAmbiguous { name: sig.name.clone(), key_id: sig.key_id });
        }
        if note.signatures.get(..position).is_some_and(|before| before.contains(sig)) {
            continue;
        }
        let timestamp = key.check(&note.text, &sig.signature).map_err(|()| {
            Error::SignatureInvalid { key: format!("{}+{:08x}", sig.name, sig.key_id) }
        })?;
        if !verified.iter().any(|v| v.name == sig.name && v.key_id == sig.key_id) {
            verified.push(VerifiedSignature {
                name: sig.name.clone(),
                key_id: sig.key_id,
                key_type: key.key_type,
                timestamp,
            });
        }
    }
    if verified.is_empty() {
        return Err(Error::KeyUnknown);
    }
    Ok(VerifiedNote { text: note.text.clone(), verified, unverified })
}
