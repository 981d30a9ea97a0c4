//! Offline proofs that an entry is in a witnessed log: c2sp.org/tlog-proof@v1.
//!
//! §Format: the line `c2sp.org/tlog-proof@v1`; optionally `extra <base64>`; `index <n>` (ASCII
//! decimal, no leading zeroes); zero or more lines of base64 inclusion-proof hashes (RFC 6962
//! §2.1.1 order, leaf sibling first); an empty line; then the signed checkpoint verbatim.
//!
//! §Verifying a tlog proof: compute the leaf hash; check the checkpoint's origin and log
//! signature; verify the witnesses' cosignatures against the policy; verify the inclusion
//! proof against the checkpoint's root. [`verify_entry`] does all four, in that order, and
//! returns which log and witnesses vouched, and when.
//!
//! The `extra` data is not authenticated; it is returned, never trusted.

use core::fmt;

use crate::merkle::{self, Hash, MAX_PROOF_HASHES};
use crate::note::Note;
use crate::policy::{Cosigner, Policy};
use crate::{base64, checkpoint::parse_decimal, Error};

/// The first line of every proof.
pub const HEADER: &str = "c2sp.org/tlog-proof@v1";
/// The largest `extra` data accepted, in bytes.
pub const MAX_EXTRA: usize = 4096;

/// A parsed, not yet verified, tlog-proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    extra: Option<Vec<u8>>,
    leaf_index: u64,
    hashes: Vec<Hash>,
    checkpoint: Note,
}

impl TlogProof {
    /// A proof from its parts.
    pub fn new(
        extra: Option<Vec<u8>>,
        leaf_index: u64,
        hashes: Vec<Hash>,
        checkpoint: Note,
    ) -> TlogProof {
        TlogProof { extra, leaf_index, hashes, checkpoint }
    }

    /// Parses a tlog-proof.
    ///
    /// # Errors
    /// [`Error::ProofMalformed`] naming the part at fault, [`Error::TooLarge`], and the note
    /// errors of the embedded checkpoint.
    pub fn parse(bytes: &[u8]) -> Result<TlogProof, Error> {
        let malformed = |reason| Error::ProofMalformed { reason };
        let text = core::str::from_utf8(bytes).map_err(|_| malformed("it is not valid UTF-8"))?;
        let (header, mut rest) = text.split_once('\n').ok_or(malformed("it has no header line"))?;
        if header != HEADER {
            return Err(malformed("the first line is not c2sp.org/tlog-proof@v1"));
        }
        let next_line = |rest: &mut &str| -> Result<String, Error> {
            let (line, tail) =
                rest.split_once('\n').ok_or(malformed("it ends before the checkpoint"))?;
            *rest = tail;
            Ok(line.to_owned())
        };
        let mut line = next_line(&mut rest)?;
        let mut extra = None;
        if let Some(b64) = line.strip_prefix("extra ") {
            let data =
                base64::decode(b64).ok_or(malformed("the extra data is not canonical base64"))?;
            if data.len() > MAX_EXTRA {
                return Err(Error::TooLarge { what: "the extra data", limit: MAX_EXTRA });
            }
            extra = Some(data);
            line = next_line(&mut rest)?;
        }
        let index = line.strip_prefix("index ").ok_or(malformed("the index line is missing"))?;
        let leaf_index = parse_decimal(index)
            .ok_or(malformed("the index is not a decimal number without leading zeroes"))?;
        let mut hashes = Vec::new();
        loop {
            let line = next_line(&mut rest)?;
            if line.is_empty() {
                break;
            }
            if hashes.len() == MAX_PROOF_HASHES {
                return Err(Error::TooLarge {
                    what: "the inclusion proof",
                    limit: MAX_PROOF_HASHES,
                });
            }
            let bytes =
                base64::decode(&line).ok_or(malformed("a proof hash is not canonical base64"))?;
            let hash: Hash = bytes
                .as_slice()
                .try_into()
                .map_err(|_| Error::HashLength { found: bytes.len() })?;
            hashes.push(hash);
        }
        let checkpoint = Note::parse(rest.as_bytes())?;
        Ok(TlogProof { extra, leaf_index, hashes, checkpoint })
    }

    /// The unauthenticated extra data, if any.
    pub fn extra(&self) -> Option<&[u8]> {
        self.extra.as_deref()
    }

    /// The zero-based index of the entry in the log.
    pub fn leaf_index(&self) -> u64 {
        self.leaf_index
    }

    /// The inclusion proof hashes.
    pub fn hashes(&self) -> &[Hash] {
        &self.hashes
    }

    /// The signed checkpoint note.
    pub fn checkpoint(&self) -> &Note {
        &self.checkpoint
    }

    /// The proof in its wire form, identical to the bytes it was parsed from.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl fmt::Display for TlogProof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{HEADER}")?;
        if let Some(extra) = &self.extra {
            writeln!(f, "extra {}", base64::encode(extra))?;
        }
        writeln!(f, "index {}", self.leaf_index)?;
        for hash in &self.hashes {
            writeln!(f, "{}", base64::encode(hash))?;
        }
        write!(f, "\n{}", self.checkpoint)
    }
}

/// What a verified proof establishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedProof {
    /// The log's origin.
    pub origin: String,
    /// The key name of the log that signed the checkpoint.
    pub log_key_name: String,
    /// The tree size of the checkpoint.
    pub tree_size: u64,
    /// The root hash of the checkpoint.
    pub root_hash: Hash,
    /// The entry's index in the log.
    pub leaf_index: u64,
    /// The entry's RFC 9162 leaf hash.
    pub leaf_hash: Hash,
    /// The witnesses that cosigned, with their timestamps.
    pub cosigners: Vec<Cosigner>,
    /// The quorum that was required.
    pub quorum: usize,
    /// The unauthenticated extra data.
    pub extra: Option<Vec<u8>>,
}

/// Verifies that `entry` is in the log, as `proof` claims, under `policy`.
///
/// # Errors
/// The errors of [`Policy::verify_checkpoint`] and [`verify_leaf_hash`].
pub fn verify_entry(
    proof: &TlogProof,
    entry: &[u8],
    policy: &Policy,
) -> Result<VerifiedProof, Error> {
    verify_leaf_hash(proof, &merkle::leaf_hash(entry), policy)
}

/// Verifies that the leaf with hash `leaf_hash` is in the log, as `proof` claims.
///
/// # Errors
/// The errors of [`Policy::verify_checkpoint`], then those of [`merkle::verify_inclusion`]:
/// the checkpoint must be trusted before its root is compared.
pub fn verify_leaf_hash(
    proof: &TlogProof,
    leaf_hash: &Hash,
    policy: &Policy,
) -> Result<VerifiedProof, Error> {
    let checkpoint = policy.verify_checkpoint_note(&proof.checkpoint)?;
    let cp = &checkpoint.checkpoint;
    let root_hash: Hash =
        cp.root_hash().try_into().map_err(|_| Error::HashLength { found: cp.root_hash().len() })?;
    merkle::verify_inclusion(
        leaf_hash,
        proof.leaf_index,
        cp.tree_size(),
        &proof.hashes,
        &root_hash,
    )?;
    Ok(VerifiedProof {
        origin: cp.origin().to_owned(),
        log_key_name: checkpoint.log_key_name,
        tree_size: cp.tree_size(),
        root_hash,
        leaf_index: proof.leaf_index,
        leaf_hash: *leaf_hash,
        cosigners: checkpoint.cosigners,
        quorum: checkpoint.quorum,
        extra: proof.extra.clone(),
    })
}

/// The same entry proven against a newer checkpoint of the same log, and a consistency
/// proof from the proof's old checkpoint to the new one (c2sp.org/tlog-tiles reading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    /// The tlog-proof against the new checkpoint (same index and extra data).
    pub proof: TlogProof,
    /// The RFC 9162 consistency proof from the old tree size to the new one.
    pub consistency: Vec<Hash>,
    /// The old tree size.
    pub old_size: u64,
    /// The new tree size.
    pub new_size: u64,
}

/// Re-proves the entry of `old` against `new_checkpoint`, reading the log's tiles through
/// `reader`. The new tree's root computed from the tiles must equal the new checkpoint's, and
/// the old and new checkpoints must be consistent: a log that rewrote history cannot be
/// refreshed against. The signatures of the new checkpoint are not checked here; verify the
/// refreshed proof as any other.
///
/// # Errors
/// Note and checkpoint parsing errors, [`Error::LogUnknown`] for another origin,
/// [`Error::SizeOutOfRange`] for an older checkpoint, [`Error::ProofMismatch`] when tiles or
/// consistency disagree, and the reader's errors.
pub fn refresh<R: crate::tiles::TileReader>(
    old: &TlogProof,
    new_checkpoint: &[u8],
    reader: R,
) -> Result<Refreshed, Error> {
    use crate::checkpoint::Checkpoint;
    let old_cp = Checkpoint::parse(old.checkpoint.text())?;
    let note = Note::parse(new_checkpoint)?;
    let new_cp = Checkpoint::parse(note.text())?;
    if new_cp.origin() != old_cp.origin() {
        return Err(Error::LogUnknown { origin: new_cp.origin().to_owned() });
    }
    let (old_size, new_size) = (old_cp.tree_size(), new_cp.tree_size());
    if new_size < old_size {
        return Err(Error::SizeOutOfRange { size1: old_size, size2: new_size });
    }
    let mut tree = crate::tiles::TiledTree::new(new_size, reader);
    if tree.root()?[..] != *new_cp.root_hash() {
        return Err(Error::ProofMismatch);
    }
    let consistency =
        if old_size == new_size { Vec::new() } else { tree.prove_consistency(old_size)? };
    merkle::verify_consistency(
        old_size,
        new_size,
        &consistency,
        old_cp.root_hash(),
        new_cp.root_hash(),
    )?;
    let hashes = tree.prove_inclusion(old.leaf_index)?;
    Ok(Refreshed {
        proof: TlogProof::new(old.extra.clone(), old.leaf_index, hashes, note),
        consistency,
        old_size,
        new_size,
    })
}
