//! Checkpoints, as specified by c2sp.org/tlog-checkpoint (v1.0.0).
//!
//! §Note text: at least three lines, each ending in a newline:
//!
//! 1. the **origin**, a non-empty identifier of the log;
//! 2. the **tree size**, in ASCII decimal with no leading zeroes (`0` for the empty tree);
//! 3. the **root hash**, in base64;
//!
//! then optional, opaque **extension lines**, kept verbatim.
//!
//! The root hash of an RFC 9162 tree is 32 bytes. Like transparency-dev/formats, the parser
//! accepts any non-empty root (up to [`MAX_ROOT_HASH`] bytes), so that a checkpoint of a log
//! with another hash can still be read and its signatures checked; proof verification
//! ([`crate::merkle`], [`crate::proof`]) then requires exactly 32 bytes.
//!
//! ```
//! use healthproof::checkpoint::Checkpoint;
//! let text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
//! let checkpoint = Checkpoint::parse(text)?;
//! assert_eq!(checkpoint.tree_size(), 20852163);
//! assert_eq!(checkpoint.to_string(), text);
//! # Ok::<(), healthproof::Error>(())
//! ```

use core::fmt;

use crate::{base64, merkle::Hash, Error};

/// The longest origin line accepted, in bytes.
pub const MAX_ORIGIN: usize = 1024;
/// The longest root hash accepted, in bytes.
pub const MAX_ROOT_HASH: usize = 64;

/// A parsed checkpoint body. Only trusted once its note is verified ([`crate::policy`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    origin: String,
    tree_size: u64,
    root_hash: Vec<u8>,
    extension_lines: String,
}

impl Checkpoint {
    /// Parses the text of a checkpoint note (without its signatures).
    ///
    /// # Errors
    /// [`Error::CheckpointMalformed`] naming the line at fault.
    pub fn parse(text: &str) -> Result<Checkpoint, Error> {
        let malformed = |reason| Error::CheckpointMalformed { reason };
        let mut parts = text.splitn(4, '\n');
        let origin = parts.next().unwrap_or("");
        let size = parts.next().ok_or(malformed("it has no tree size line"))?;
        let root = parts.next().ok_or(malformed("it has no root hash line"))?;
        let extension_lines = parts.next().ok_or(malformed("the root hash line has no newline"))?;
        if origin.is_empty() {
            return Err(malformed("the origin line is empty"));
        }
        if origin.len() > MAX_ORIGIN {
            return Err(malformed("the origin line is too long"));
        }
        let tree_size = parse_decimal(size).ok_or(malformed(
            "the tree size is not a decimal number without leading zeroes that fits in 64 bits",
        ))?;
        let root_hash =
            base64::decode(root).ok_or(malformed("the root hash is not canonical base64"))?;
        if root_hash.is_empty() || root_hash.len() > MAX_ROOT_HASH {
            return Err(malformed("the root hash is empty or too long"));
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            tree_size,
            root_hash,
            extension_lines: extension_lines.to_owned(),
        })
    }

    /// A checkpoint of an RFC 9162 tree, as a log signs it.
    ///
    /// # Errors
    /// [`Error::CheckpointMalformed`] for an empty origin or one with a newline.
    pub fn new(origin: &str, tree_size: u64, root_hash: &Hash) -> Result<Checkpoint, Error> {
        Checkpoint::parse(&format!("{origin}\n{tree_size}\n{}\n", base64::encode(root_hash)))
    }

    /// The origin line: the log's identity.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The number of leaves in the tree.
    pub fn tree_size(&self) -> u64 {
        self.tree_size
    }

    /// The root hash bytes (32 for an RFC 9162 SHA-256 tree).
    pub fn root_hash(&self) -> &[u8] {
        &self.root_hash
    }

    /// The extension lines after the root hash, verbatim (usually empty).
    pub fn extension_lines(&self) -> &str {
        &self.extension_lines
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\n{}\n{}\n{}",
            self.origin,
            self.tree_size,
            base64::encode(&self.root_hash),
            self.extension_lines
        )
    }
}

/// Parses an unsigned decimal with no sign, no leading zero (except `0`) and no overflow.
pub(crate) fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}
