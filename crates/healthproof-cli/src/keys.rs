//! `healthproof key generate | show`: Ed25519 keys for issuers, logs, witnesses and trust-list
//! signers, stored as Go-compatible `PRIVATE+KEY+<name>+<id>+<base64>` files (mode 0600).

use std::io::Write;
use std::path::{Path, PathBuf};

use healthproof::base64;
use healthproof::note::KeyType;
use healthproof::signer::NoteSigner;

use crate::Failure;

/// What a key is for; it decides the signature type of its vkey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Signs records (JWS EdDSA); the name is the `kid`.
    Issuer,
    /// Signs log checkpoints (note type 0x01).
    Log,
    /// Cosigns checkpoints (tlog-cosignature, type 0x04).
    Witness,
    /// Signs trust lists (note type 0x01).
    Trust,
}

impl Role {
    fn key_type(self) -> KeyType {
        match self {
            Role::Witness => KeyType::CosignatureV1,
            Role::Issuer | Role::Log | Role::Trust => KeyType::Ed25519,
        }
    }
}

/// 32 bytes from the operating system's generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], Failure> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| Failure::Usage(format!("no randomness from the OS: {e}")))?;
    Ok(bytes)
}

/// Generates a key, writes it to `out` (refusing to overwrite), prints the public forms.
pub fn generate(name: &str, role: Role, out: &Path) -> Result<String, Failure> {
    let signer = NoteSigner::new(name, role.key_type(), &random_bytes::<32>()?)
        .map_err(|e| Failure::Usage(format!("--name {name:?}: {e}")))?;
    write_private(out, &signer.to_private_string())?;
    Ok(describe(&signer, role))
}

/// Reads a private key file.
pub fn load(path: &Path) -> Result<NoteSigner, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    NoteSigner::parse(text.trim()).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

/// The public forms of a key: its vkey, and for issuers the raw key a trust list lists.
pub fn describe(signer: &NoteSigner, role: Role) -> String {
    let vkey = signer.verifier();
    let mut out = format!("vkey: {vkey}\n");
    if role == Role::Issuer {
        out +=
            &format!("kid: {}\npublic key: {}\n", vkey.name(), base64::encode(&vkey.public_key()));
    }
    out
}

fn write_private(path: &Path, text: &str) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::Usage(format!("{}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(format!("{text}\n").as_bytes()).map_err(fail)
}

/// The default file for a key: `<name with / and : replaced>.key`.
pub fn default_path(name: &str) -> PathBuf {
    PathBuf::from(format!("{}.key", name.replace(['/', ':', '\\'], "_")))
}
