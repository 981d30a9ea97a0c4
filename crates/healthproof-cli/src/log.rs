//! A file-based c2sp.org/tlog-tiles log: `healthproof log init | append | checkpoint`, and
//! `healthproof prove`, which reads a log only through its tiles, as a remote client would.
//!
//! The directory is the log: `checkpoint` and `tile/…` are served as-is by any static web
//! server, object store or CDN. `.healthproof-log` (origin and key path) is the operator's
//! own and need not be published.
//!
//! Crash safety: every file is written to a temporary name and renamed into place, full
//! tiles and partial tiles have distinct names (`.p/<W>`), old partial tiles are kept, and
//! the new checkpoint is renamed into place last. A crash at any moment therefore leaves the
//! previous checkpoint valid, with every tile it needs, and no torn file.

use std::path::{Path, PathBuf};

use healthproof::checkpoint::Checkpoint;
use healthproof::merkle::{self, Hash};
use healthproof::note::{self, Note, VerifierKey};
use healthproof::proof::TlogProof;
use healthproof::signer::{sign_note, NoteSigner};
use healthproof::tiles::{self, TileReader, TiledTree, TILE_WIDTH};
use healthproof::Error;
use indicatif::{ProgressBar, ProgressStyle};

use crate::{keys, Failure};

const CONFIG: &str = ".healthproof-log";

fn io(path: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::Usage(format!("{}: {e}", path.display()))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

/// Reads tiles from a log directory.
pub struct DirReader(pub PathBuf);

impl TileReader for DirReader {
    fn read_tile(&mut self, path: &str) -> Result<Vec<u8>, Error> {
        std::fs::read(self.0.join(path))
            .map_err(|_| Error::ProofMalformed { reason: "a tile is missing from the log" })
    }
}

/// Reads tiles over HTTP from a log's URL prefix (plain HTTP, e.g. a log on localhost).
pub struct HttpReader(pub String);

impl TileReader for HttpReader {
    fn read_tile(&mut self, path: &str) -> Result<Vec<u8>, Error> {
        crate::http::get(&format!("{}/{path}", self.0.trim_end_matches('/'))).map_err(|_| {
            Error::ProofMalformed { reason: "a tile could not be fetched from the log" }
        })
    }
}

struct Config {
    origin: String,
    key: PathBuf,
}

fn load_config(dir: &Path) -> Result<Config, Failure> {
    let path = dir.join(CONFIG);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::Usage(format!(
            "{}: {e} (is {} a log made by `healthproof log init`?)",
            path.display(),
            dir.display()
        ))
    })?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
            .map(str::to_owned)
            .ok_or_else(|| Failure::Usage(format!("{}: no {name} line", path.display())))
    };
    Ok(Config { origin: field("origin")?, key: PathBuf::from(field("key")?) })
}

/// `log init`: an empty log with a signed checkpoint of size 0.
pub fn init(dir: &Path, origin: &str, key: &Path) -> Result<String, Failure> {
    let signer = keys::load(key)?;
    if signer.verifier().key_type() != note::KeyType::Ed25519 {
        return Err(Failure::Usage(format!(
            "{}: a log key must be an Ed25519 (log) key",
            key.display()
        )));
    }
    if dir.join("checkpoint").exists() {
        return Err(Failure::Usage(format!("{}: already holds a log", dir.display())));
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let key = std::fs::canonicalize(key).map_err(io(key))?;
    write_atomic(
        &dir.join(CONFIG),
        format!("origin {origin}\nkey {}\n", key.display()).as_bytes(),
    )?;
    let note = sign_checkpoint(&signer, origin, 0, &merkle::root(&[]))?;
    write_atomic(&dir.join("checkpoint"), note.to_string().as_bytes())?;
    Ok(format!("log {origin} created in {}\nlog vkey: {}\n", dir.display(), signer.verifier()))
}

fn sign_checkpoint(
    signer: &NoteSigner,
    origin: &str,
    size: u64,
    root: &Hash,
) -> Result<Note, Failure> {
    let body = Checkpoint::new(origin, size, root)?.to_string();
    Ok(sign_note(&body, &[signer], 0)?)
}

/// The log's current checkpoint, verified with its own key.
fn current(dir: &Path, signer: &NoteSigner) -> Result<(Note, Checkpoint), Failure> {
    let (_, note) = read_checkpoint(dir)?;
    note::verify(&note, std::slice::from_ref(signer.verifier()))?;
    let checkpoint = Checkpoint::parse(note.text())?;
    Ok((note, checkpoint))
}

/// `log append`: adds entries in one batch and signs a new checkpoint. Returns the index of
/// the first new entry and the new tree size.
pub fn append(
    dir: &Path,
    entries: &mut dyn Iterator<Item = Result<Vec<u8>, Failure>>,
    total: Option<u64>,
) -> Result<(u64, u64), Failure> {
    let config = load_config(dir)?;
    let signer = keys::load(&config.key)?;
    let (_, checkpoint) = current(dir, &signer)?;
    let start = checkpoint.tree_size();

    // The right edge of the tree: the partial tile of every level, and the partial bundle.
    let mut reader = DirReader(dir.to_path_buf());
    let mut levels: Vec<Vec<Hash>> = Vec::new();
    for level in 0u8.. {
        let index = (start >> (8 * u32::from(level))) / TILE_WIDTH;
        if start >> (8 * u32::from(level)) == 0 {
            break;
        }
        let width = tiles::tile_width(level, index, start);
        let hashes = if width > 0 && width < TILE_WIDTH {
            let bytes = reader.read_tile(&tiles::tile_path(level, index, width))?;
            bytes.chunks_exact(32).filter_map(|c| Hash::try_from(c).ok()).collect()
        } else {
            Vec::new()
        };
        levels.push(hashes);
    }
    let bundle_width = tiles::tile_width(0, start / TILE_WIDTH, start);
    let mut bundle = if bundle_width > 0 && bundle_width < TILE_WIDTH {
        reader.read_tile(&tiles::entries_path(start / TILE_WIDTH, bundle_width))?
    } else {
        Vec::new()
    };

    // A bar when the count is known, a counter when entries stream in; shown only on a
    // terminal (indicatif hides itself otherwise), refreshed a few times a second.
    let bar = match total {
        Some(n) if n >= 10_000 => {
            let bar = ProgressBar::new(n);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} entries {per_sec} {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            Some(bar)
        }
        Some(_) => None,
        None => {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} entries {per_sec}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            Some(bar)
        }
    };
    let mut size = start;
    for entry in entries {
        let entry = entry?;
        tiles::push_entry(&mut bundle, &entry)?;
        if levels.is_empty() {
            levels.push(Vec::new());
        }
        if let Some(level0) = levels.first_mut() {
            level0.push(merkle::leaf_hash(&entry));
        }
        size += 1;
        if size % TILE_WIDTH == 0 {
            write_atomic(
                &dir.join(tiles::entries_path(size / TILE_WIDTH - 1, TILE_WIDTH)),
                &bundle,
            )?;
            bundle.clear();
            // Carry full tiles upward.
            let mut level = 0usize;
            while let Some(full) = levels.get_mut(level).filter(|h| h.len() as u64 == TILE_WIDTH) {
                let hashes = std::mem::take(full);
                let index = (size >> (8 * level as u32)) / TILE_WIDTH - 1;
                write_atomic(
                    &dir.join(tiles::tile_path(level as u8, index, TILE_WIDTH)),
                    &hashes.concat(),
                )?;
                if levels.len() == level + 1 {
                    levels.push(Vec::new());
                }
                if let Some(above) = levels.get_mut(level + 1) {
                    above.push(merkle::root(&hashes));
                }
                level += 1;
            }
        }
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if size == start {
        return Ok((start, size));
    }
    // Partial tiles for the new size, under new names; the old ones stay for old checkpoints.
    if !bundle.is_empty() {
        let width = tiles::tile_width(0, size / TILE_WIDTH, size);
        write_atomic(&dir.join(tiles::entries_path(size / TILE_WIDTH, width)), &bundle)?;
    }
    for (level, hashes) in levels.iter().enumerate() {
        if !hashes.is_empty() {
            let index = (size >> (8 * level as u32)) / TILE_WIDTH;
            let path = tiles::tile_path(level as u8, index, hashes.len() as u64);
            write_atomic(&dir.join(path), &hashes.concat())?;
        }
    }
    let root = TiledTree::new(size, DirReader(dir.to_path_buf())).root()?;
    let note = sign_checkpoint(&signer, &config.origin, size, &root)?;
    write_atomic(&dir.join("checkpoint"), note.to_string().as_bytes())?;
    Ok((start, size))
}

/// `log checkpoint`: the current checkpoint, after checking the tiles agree with it.
pub fn checkpoint(dir: &Path) -> Result<String, Failure> {
    let config = load_config(dir)?;
    let signer = keys::load(&config.key)?;
    let (note, cp) = current(dir, &signer)?;
    let root = TiledTree::new(cp.tree_size(), DirReader(dir.to_path_buf())).root()?;
    if root[..] != *cp.root_hash() {
        return Err(Failure::Verify(Error::ProofMismatch));
    }
    Ok(note.to_string())
}

/// The log's `checkpoint` file, parsed (not yet verified), and its path.
fn read_checkpoint(dir: &Path) -> Result<(PathBuf, Note), Failure> {
    let path = dir.join("checkpoint");
    let bytes = std::fs::read(&path).map_err(io(&path))?;
    let note = Note::parse(&bytes)?;
    Ok((path, note))
}

/// Adds cosignature lines to the log's checkpoint, checking they cosign this checkpoint.
pub fn add_cosignatures(
    dir: &Path,
    witnesses: &[VerifierKey],
    lines: &[String],
) -> Result<String, Failure> {
    let (path, note) = read_checkpoint(dir)?;
    let mut signatures = note.signatures().to_vec();
    for line in lines {
        let extra = Note::parse(format!("{}\n{line}\n", note.text()).as_bytes())?;
        let verified = note::verify(&extra, witnesses)?;
        if verified.verified().is_empty() {
            return Err(Failure::Verify(Error::KeyUnknown));
        }
        for sig in extra.signatures() {
            if !signatures.contains(sig) {
                signatures.push(sig.clone());
            }
        }
    }
    let updated = Note::new(note.text(), signatures)?;
    write_atomic(&path, updated.to_string().as_bytes())?;
    Ok(updated.to_string())
}

/// Where a log is: a directory or an `http://` URL prefix.
pub enum LogReader {
    /// A local directory.
    Dir(DirReader),
    /// A web server.
    Http(HttpReader),
}

impl TileReader for LogReader {
    fn read_tile(&mut self, path: &str) -> Result<Vec<u8>, Error> {
        match self {
            LogReader::Dir(r) => r.read_tile(path),
            LogReader::Http(r) => r.read_tile(path),
        }
    }
}

/// The reader for a log given as a directory or an `http://` URL prefix.
pub fn reader_for(log: &str) -> LogReader {
    if log.starts_with("http://") || log.starts_with("https://") {
        LogReader::Http(HttpReader(log.to_owned()))
    } else {
        LogReader::Dir(DirReader(PathBuf::from(log)))
    }
}

/// `prove`: a tlog-proof for an entry, against the log's latest (witnessed) checkpoint,
/// reading only `checkpoint` and tiles.
pub fn prove(
    log: &str,
    index: Option<u64>,
    entry: Option<&[u8]>,
) -> Result<(TlogProof, u64), Failure> {
    let mut reader = reader_for(log);
    let note_bytes = reader.read_tile("checkpoint")?;
    let note = Note::parse(&note_bytes)?;
    let cp = Checkpoint::parse(note.text())?;
    let mut tree = TiledTree::new(cp.tree_size(), reader);
    let index = match (index, entry) {
        (Some(i), _) => i,
        (None, Some(entry)) => {
            let leaf = merkle::leaf_hash(entry);
            (0..cp.tree_size())
                .rev()
                .find(|&i| tree.leaf_hash(i).is_ok_and(|h| h == leaf))
                .ok_or_else(|| Failure::Usage("the entry is not in the log".into()))?
        }
        (None, None) => return Err(Failure::Usage("give --index N or --entry FILE".into())),
    };
    if tree.root()?[..] != *cp.root_hash() {
        return Err(Failure::Verify(Error::ProofMismatch));
    }
    let hashes = tree.prove_inclusion(index)?;
    Ok((TlogProof::new(None, index, hashes, note), tree.tiles_read() as u64))
}

/// `log witness`: submits the checkpoint to each witness (c2sp.org/tlog-witness
/// `add-checkpoint`), learning its last size from a 409 answer when needed, and adds the
/// returned cosignatures to the checkpoint.
pub fn submit_to_witnesses(
    dir: &Path,
    urls: &[String],
    witnesses: &[VerifierKey],
) -> Result<String, Failure> {
    let (_, note) = read_checkpoint(dir)?;
    let cp = Checkpoint::parse(note.text())?;
    let mut lines = Vec::new();
    let mut report = String::new();
    for url in urls {
        let endpoint = format!("{}/add-checkpoint", url.trim_end_matches('/'));
        let mut old = 0u64;
        let mut answer = Err(String::new());
        for _ in 0..2 {
            if old > cp.tree_size() {
                answer =
                    Err(format!("the witness has seen a larger tree ({old}) than this checkpoint"));
                break;
            }
            let proof = if old == 0 || old == cp.tree_size() {
                Vec::new()
            } else {
                TiledTree::new(cp.tree_size(), DirReader(dir.to_path_buf()))
                    .prove_consistency(old)?
            };
            let body = crate::witness::request_body(old, &proof, &note);
            match crate::http::post(&endpoint, &body) {
                Ok((409, size)) => {
                    old = String::from_utf8_lossy(&size).trim().parse().unwrap_or(0);
                    answer = Err(format!("409: the witness is at size {old}"));
                }
                Ok((200, body)) => {
                    answer = Ok(String::from_utf8_lossy(&body).into_owned());
                    break;
                }
                Ok((status, body)) => {
                    answer = Err(format!("{status}: {}", String::from_utf8_lossy(&body).trim()));
                    break;
                }
                Err(e) => {
                    answer = Err(e);
                    break;
                }
            }
        }
        match answer {
            Ok(text) => {
                report += &format!("{url}: cosigned\n");
                lines.extend(text.lines().filter(|l| !l.is_empty()).map(str::to_owned));
            }
            Err(e) => report += &format!("{url}: refused ({e})\n"),
        }
    }
    if !lines.is_empty() {
        add_cosignatures(dir, witnesses, &lines)?;
    }
    Ok(report)
}
