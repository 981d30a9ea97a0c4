//! Logs served as static tiles: c2sp.org/tlog-tiles.
//!
//! - §Merkle Tree: `tile/<L>/<N>[.p/<W>]`, `N` in zero-padded 3-digit groups with all but
//!   the last prefixed by `x` (`x001/x234/067`). Tile `n` at level `l` holds the 256 hashes
//!   `MTH(D[(n*256+i) * 256^l .. (n*256+i+1) * 256^l])`; the rightmost tiles are partial,
//!   `floor(s / 256^l) mod 256` hashes wide for a tree of size `s`.
//! - §Log entries: entry bundles at `tile/entries/<N>[.p/<W>]`, each entry prefixed by its
//!   big-endian `uint16` length.
//!
//! [`TiledTree`] computes any subtree hash, root, inclusion or consistency proof of a tree
//! from its tiles, reading them through a [`TileReader`] the caller implements (files, HTTP,
//! `fetch` in a browser): the core itself does no I/O. Every tile read is checked for its
//! exact expected length, and results are only as trustworthy as the checkpoint whose root
//! the caller compares them with.

use std::collections::BTreeMap;

use crate::merkle::{self, Hash};
use crate::Error;

/// Hashes in a full tile.
pub const TILE_WIDTH: u64 = 256;
/// Tree levels a tile spans.
pub const TILE_HEIGHT: u32 = 8;
/// The longest entry an entry bundle can hold.
pub const MAX_ENTRY: usize = u16::MAX as usize;

/// The path of hash tile `index` at `level`, `width` hashes wide (256 for a full tile).
pub fn tile_path(level: u8, index: u64, width: u64) -> String {
    format!("tile/{level}/{}", index_path(index, width))
}

/// The path of entry bundle `index`, `width` entries wide (256 for a full bundle).
pub fn entries_path(index: u64, width: u64) -> String {
    format!("tile/entries/{}", index_path(index, width))
}

fn index_path(index: u64, width: u64) -> String {
    let mut groups = vec![format!("{:03}", index % 1000)];
    let mut rest = index / 1000;
    while rest > 0 {
        groups.push(format!("x{:03}", rest % 1000));
        rest /= 1000;
    }
    groups.reverse();
    let path = groups.join("/");
    if width < TILE_WIDTH {
        format!("{path}.p/{width}")
    } else {
        path
    }
}

/// The width of tile `index` at `level` in a tree of `tree_size` leaves: 256 when full, the
/// partial width when it is the rightmost tile, 0 when it does not exist yet.
pub fn tile_width(level: u8, index: u64, tree_size: u64) -> u64 {
    let hashes_at_level = tree_size >> (u32::from(level) * TILE_HEIGHT);
    hashes_at_level.saturating_sub(index.saturating_mul(TILE_WIDTH)).min(TILE_WIDTH)
}

/// Appends one entry to an entry bundle.
///
/// # Errors
/// [`Error::TooLarge`] for an entry longer than 65,535 bytes.
pub fn push_entry(bundle: &mut Vec<u8>, entry: &[u8]) -> Result<(), Error> {
    let len = u16::try_from(entry.len())
        .map_err(|_| Error::TooLarge { what: "a log entry", limit: MAX_ENTRY })?;
    bundle.extend_from_slice(&len.to_be_bytes());
    bundle.extend_from_slice(entry);
    Ok(())
}

/// Splits an entry bundle into its entries.
///
/// # Errors
/// [`Error::ProofMalformed`] for a truncated bundle or trailing bytes.
pub fn split_entries(mut bundle: &[u8]) -> Result<Vec<&[u8]>, Error> {
    let malformed = Error::ProofMalformed { reason: "an entry bundle is truncated" };
    let mut out = Vec::new();
    while !bundle.is_empty() {
        let (len, rest) = bundle.split_first_chunk::<2>().ok_or(malformed.clone())?;
        let len = usize::from(u16::from_be_bytes(*len));
        let entry = rest.get(..len).ok_or(malformed.clone())?;
        out.push(entry);
        bundle = rest.get(len..).unwrap_or_default();
    }
    Ok(out)
}

/// Where tiles come from: a directory, a web server, a browser's `fetch`.
pub trait TileReader {
    /// Reads the tile or entry bundle at `path` (relative to the log's prefix).
    ///
    /// # Errors
    /// Whatever the transport reports; the tree turns it into a failed proof.
    fn read_tile(&mut self, path: &str) -> Result<Vec<u8>, Error>;
}

impl<F: FnMut(&str) -> Result<Vec<u8>, Error>> TileReader for F {
    fn read_tile(&mut self, path: &str) -> Result<Vec<u8>, Error> {
        self(path)
    }
}

/// A tree of a known size, read from its tiles on demand (each tile at most once).
pub struct TiledTree<R: TileReader> {
    tree_size: u64,
    reader: R,
    cache: BTreeMap<String, Vec<Hash>>,
}

impl<R: TileReader> TiledTree<R> {
    /// A view of the tree of `tree_size` leaves.
    pub fn new(tree_size: u64, reader: R) -> TiledTree<R> {
        TiledTree { tree_size, reader, cache: BTreeMap::new() }
    }

    /// The tree size.
    pub fn tree_size(&self) -> u64 {
        self.tree_size
    }

    /// The tile paths read so far.
    pub fn tiles_read(&self) -> usize {
        self.cache.len()
    }

    /// The hashes of tile `index` at `level`, as wide as the tree size implies.
    fn tile(&mut self, level: u8, index: u64) -> Result<&[Hash], Error> {
        let width = tile_width(level, index, self.tree_size);
        if width == 0 {
            return Err(Error::IndexOutOfRange { leaf_index: index, tree_size: self.tree_size });
        }
        let path = tile_path(level, index, width);
        if !self.cache.contains_key(&path) {
            let bytes = self.reader.read_tile(&path)?;
            if bytes.len() as u64 != width * 32 {
                return Err(Error::ProofMalformed {
                    reason: "a tile does not have the length its width implies",
                });
            }
            let hashes = bytes.chunks_exact(32).filter_map(|c| <Hash>::try_from(c).ok()).collect();
            self.cache.insert(path.clone(), hashes);
        }
        self.cache
            .get(&path)
            .map(Vec::as_slice)
            .ok_or(Error::ProofMalformed { reason: "tile cache" })
    }

    /// The hash of the complete subtree of `2^height` leaves starting at leaf
    /// `index * 2^height`.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] when the subtree is not complete in this tree, and read
    /// errors.
    pub fn subtree_hash(&mut self, height: u32, index: u64) -> Result<Hash, Error> {
        let end = index.checked_add(1).and_then(|i| i.checked_shl(height)).unwrap_or(u64::MAX);
        if height >= 64 || end > self.tree_size {
            return Err(Error::IndexOutOfRange { leaf_index: end, tree_size: self.tree_size });
        }
        // The subtree is 2^r hashes of one tile at level `level`, hashed up r levels.
        let level = height / TILE_HEIGHT;
        let r = height % TILE_HEIGHT;
        let first = index << r;
        let tile = self.tile(level as u8, first / TILE_WIDTH)?;
        let start = (first % TILE_WIDTH) as usize;
        let hashes = tile.get(start..start + (1usize << r)).ok_or(Error::ProofMalformed {
            reason: "a tile is narrower than the tree size implies",
        })?;
        Ok(merkle::root(hashes))
    }

    /// `MTH(D[start..end])` for a range of the RFC 9162 structure.
    ///
    /// # Errors
    /// As [`TiledTree::subtree_hash`].
    pub fn range_hash(&mut self, start: u64, end: u64) -> Result<Hash, Error> {
        let n = end.checked_sub(start).filter(|&n| n > 0 && end <= self.tree_size);
        let Some(n) = n else {
            return Err(Error::IndexOutOfRange { leaf_index: end, tree_size: self.tree_size });
        };
        if n.is_power_of_two() && start.is_multiple_of(n) {
            return self.subtree_hash(n.trailing_zeros(), start / n);
        }
        let k = 1u64 << (63 - (n - 1).leading_zeros());
        let left = self.range_hash(start, start + k)?;
        let right = self.range_hash(start + k, end)?;
        Ok(merkle::node_hash(&left, &right))
    }

    /// The root hash of the tree.
    ///
    /// # Errors
    /// Read errors.
    pub fn root(&mut self) -> Result<Hash, Error> {
        if self.tree_size == 0 {
            return Ok(merkle::root(&[]));
        }
        self.range_hash(0, self.tree_size)
    }

    /// The inclusion proof of leaf `leaf_index`.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] and read errors.
    pub fn prove_inclusion(&mut self, leaf_index: u64) -> Result<Vec<Hash>, Error> {
        let size = self.tree_size;
        merkle::prove_inclusion_with(leaf_index, size, &mut |a, b| self.range_hash(a, b))
    }

    /// The consistency proof from tree size `size1` to this tree.
    ///
    /// # Errors
    /// [`Error::SizeOutOfRange`] and read errors.
    pub fn prove_consistency(&mut self, size1: u64) -> Result<Vec<Hash>, Error> {
        let size = self.tree_size;
        merkle::prove_consistency_with(size1, size, &mut |a, b| self.range_hash(a, b))
    }

    /// The leaf hash of entry `index` (from the level-0 tile).
    ///
    /// # Errors
    /// As [`TiledTree::subtree_hash`].
    pub fn leaf_hash(&mut self, index: u64) -> Result<Hash, Error> {
        self.subtree_hash(0, index)
    }

    /// The entry at `index`, read from its entry bundle and checked against the tree's
    /// level-0 tile.
    ///
    /// # Errors
    /// Read errors, a malformed bundle, or [`Error::ProofMismatch`] when the entry does not
    /// hash to the tile's leaf hash.
    pub fn entry(&mut self, index: u64) -> Result<Vec<u8>, Error> {
        let leaf = self.leaf_hash(index)?;
        let bundle_index = index / TILE_WIDTH;
        let width = tile_width(0, bundle_index, self.tree_size);
        let bytes = self.reader.read_tile(&entries_path(bundle_index, width))?;
        let entries = split_entries(&bytes)?;
        let entry = entries
            .get((index % TILE_WIDTH) as usize)
            .ok_or(Error::ProofMalformed { reason: "an entry bundle is shorter than its tile" })?;
        if merkle::leaf_hash(entry) != leaf {
            return Err(Error::ProofMismatch);
        }
        Ok(entry.to_vec())
    }
}

/// Builds every tile and entry bundle a log of `entries` publishes at its current size, as
/// `(path, bytes)`: the reference the file-based log and tests compare against.
///
/// # Errors
/// [`Error::TooLarge`] for an entry over 65,535 bytes.
pub fn build_all(entries: &[&[u8]]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut out = Vec::new();
    let size = entries.len() as u64;
    for (i, chunk) in entries.chunks(TILE_WIDTH as usize).enumerate() {
        let mut bundle = Vec::new();
        for e in chunk {
            push_entry(&mut bundle, e)?;
        }
        out.push((entries_path(i as u64, chunk.len() as u64), bundle));
    }
    let mut level_hashes: Vec<Hash> = entries.iter().map(|e| merkle::leaf_hash(e)).collect();
    let mut level = 0u8;
    while !level_hashes.is_empty() {
        let mut next = Vec::new();
        for (i, chunk) in level_hashes.chunks(TILE_WIDTH as usize).enumerate() {
            out.push((tile_path(level, i as u64, chunk.len() as u64), chunk.concat()));
            if chunk.len() as u64 == TILE_WIDTH {
                next.push(merkle::root(chunk));
            }
        }
        level_hashes = next;
        level += 1;
    }
    debug_assert!(size == entries.len() as u64);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_spec() {
        assert_eq!(tile_path(0, 1_234_067, 256), "tile/0/x001/x234/067");
        assert_eq!(tile_path(1, 0, 17), "tile/1/000.p/17");
        assert_eq!(entries_path(5, 112), "tile/entries/005.p/112");
        // A tree of 70,000: 273 full level-0 tiles, partial 112; level 1 partial 17; level 2 partial 1.
        assert_eq!(tile_width(0, 273, 70_000), 112);
        assert_eq!(tile_width(1, 1, 70_000), 17);
        assert_eq!(tile_width(2, 0, 70_000), 1);
        assert_eq!(tile_width(0, 274, 70_000), 0);
    }

    #[test]
    fn proofs_from_tiles_equal_proofs_from_leaves() {
        for size in [1usize, 2, 255, 256, 257, 511, 512, 700, 65_536 + 300] {
            let entries: Vec<Vec<u8>> =
                (0..size).map(|i| (i as u32).to_be_bytes().to_vec()).collect();
            let refs: Vec<&[u8]> = entries.iter().map(Vec::as_slice).collect();
            let files: BTreeMap<String, Vec<u8>> = build_all(&refs).unwrap().into_iter().collect();
            let hashes: Vec<Hash> = entries.iter().map(|e| merkle::leaf_hash(e)).collect();
            let reader =
                |p: &str| files.get(p).cloned().ok_or(Error::ProofMalformed { reason: "missing" });
            let mut tree = TiledTree::new(size as u64, reader);
            assert_eq!(tree.root().unwrap(), merkle::root(&hashes), "root of {size}");
            for i in [0, size / 3, size - 1] {
                assert_eq!(
                    tree.prove_inclusion(i as u64).unwrap(),
                    merkle::prove_inclusion(i as u64, &hashes).unwrap()
                );
                assert_eq!(tree.entry(i as u64).unwrap(), entries[i]);
            }
            for m in [1, size / 2 + 1, size] {
                let m = m.min(size) as u64;
                assert_eq!(
                    tree.prove_consistency(m).unwrap(),
                    merkle::prove_consistency(m, &hashes).unwrap()
                );
            }
            assert!(tree.tiles_read() <= 12, "few tiles per proof: {}", tree.tiles_read());
        }
    }
}
