//! Signing of notes, checkpoints and cosignatures: the other half of [`crate::note`] and
//! [`crate::cosignature`], for issuers, logs, witnesses and test-data generators.
//!
//! Ed25519 signing (RFC 8032 §5.1.6) is deterministic, so this stays pure: the caller supplies
//! the 32-byte seed and, for cosignatures, the time.

use ed25519_dalek::{Signer as _, SigningKey};

use crate::note::{KeyType, Note, Signature, VerifierKey};
use crate::{base64, cosignature, Error};

/// A named signing key of one signature type.
#[derive(Clone)]
pub struct NoteSigner {
    name: String,
    key_type: KeyType,
    key: SigningKey,
    verifier: VerifierKey,
}

impl NoteSigner {
    /// A signer from its name, type and 32-byte Ed25519 seed.
    ///
    /// # Errors
    /// [`Error::KeyMalformed`] for an invalid key name.
    pub fn new(name: &str, key_type: KeyType, seed: &[u8; 32]) -> Result<NoteSigner, Error> {
        let key = SigningKey::from_bytes(seed);
        let verifier = VerifierKey::new(name, key_type, key.verifying_key().as_bytes())?;
        Ok(NoteSigner { name: name.to_owned(), key_type, key, verifier })
    }

    /// Parses a private key in Go's `PRIVATE+KEY+<name>+<id>+base64(type || seed)` format.
    ///
    /// # Errors
    /// [`Error::KeyMalformed`] when it is not such a key or its ID does not match.
    pub fn parse(skey: &str) -> Result<NoteSigner, Error> {
        let malformed = |reason| Error::KeyMalformed { reason };
        let rest =
            skey.strip_prefix("PRIVATE+KEY+").ok_or(malformed("not a PRIVATE+KEY+ string"))?;
        let (name, rest) = rest.split_once('+').ok_or(malformed("no key ID"))?;
        let (id, b64) = rest.split_once('+').ok_or(malformed("no key material"))?;
        let material = base64::decode(b64).ok_or(malformed("the key is not canonical base64"))?;
        let (&type_byte, seed) =
            material.split_first().ok_or(malformed("the key material is empty"))?;
        let key_type =
            KeyType::from_byte(type_byte).ok_or(malformed("unsupported signature type"))?;
        let seed: &[u8; 32] =
            seed.try_into().map_err(|_| malformed("an Ed25519 seed is 32 bytes"))?;
        let signer = NoteSigner::new(name, key_type, seed)?;
        if format!("{:08x}", signer.verifier.key_id()) != id {
            return Err(malformed("the key ID does not match the name and key"));
        }
        Ok(signer)
    }

    /// The private key in Go's `PRIVATE+KEY+…` format.
    pub fn to_private_string(&self) -> String {
        let mut material = vec![self.key_type.to_byte()];
        material.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.verifier.key_id(),
            base64::encode(&material)
        )
    }

    /// The 32-byte Ed25519 seed, for JWS signing with the same key.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The matching verifier key.
    pub fn verifier(&self) -> &VerifierKey {
        &self.verifier
    }

    /// The signature line this key makes over `text`; `timestamp` is used by cosigners only.
    pub fn sign(&self, text: &str, timestamp: u64) -> Result<Signature, Error> {
        let bytes = match self.key_type {
            KeyType::Ed25519 => self.key.sign(text.as_bytes()).to_bytes().to_vec(),
            KeyType::CosignatureV1 => {
                if timestamp > cosignature::MAX_TIMESTAMP {
                    return Err(Error::CosignatureMalformed {
                        reason: "the timestamp exceeds 2^63 - 1",
                    });
                }
                let message = cosignature::signed_message(timestamp, text);
                cosignature::timestamped_signature(timestamp, &self.key.sign(&message).to_bytes())
            }
        };
        Signature::new(&self.name, self.verifier.key_id(), bytes)
    }
}

/// Signs `text` with each signer in order, making a note.
///
/// # Errors
/// [`Error::NoteMalformed`] when `text` is not valid note text.
pub fn sign_note(text: &str, signers: &[&NoteSigner], timestamp: u64) -> Result<Note, Error> {
    let signatures = signers.iter().map(|s| s.sign(text, timestamp)).collect::<Result<_, _>>()?;
    Note::new(text, signatures)
}

/// Adds one more signature to an existing note (a witness cosigning a checkpoint).
///
/// # Errors
/// As [`sign_note`].
pub fn add_signature(note: &Note, signer: &NoteSigner, timestamp: u64) -> Result<Note, Error> {
    let mut signatures = note.signatures().to_vec();
    signatures.push(signer.sign(note.text(), timestamp)?);
    Note::new(note.text(), signatures)
}
