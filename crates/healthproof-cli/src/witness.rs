//! A witness: `healthproof witness cosign` and `healthproof witness serve` (c2sp.org/tlog-witness
//! `add-checkpoint`).
//!
//! A witness cosigns a log's checkpoint only when it is consistent with the last checkpoint
//! it cosigned for that origin. Its state (that last checkpoint, per origin) lives in files
//! and survives restarts. A checkpoint that is validly signed but inconsistent is refused
//! and kept, with the one it contradicts, under `forks/`: evidence of a split view.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use healthproof::checkpoint::Checkpoint;
use healthproof::merkle::{self, Hash};
use healthproof::note::{self, Note, VerifierKey};
use healthproof::signer::NoteSigner;
use healthproof::tiles::{TileReader, TiledTree};
use healthproof::{base64, Error};

use crate::log::{reader_for, write_atomic};
use crate::{http, keys, Failure};

/// A witness: its key, the logs it follows, and where it keeps its state.
pub struct Witness {
    signer: NoteSigner,
    logs: Vec<(String, VerifierKey)>,
    state: PathBuf,
}

/// Why an add-checkpoint request was refused, with the tlog-witness HTTP status.
pub struct Refusal {
    /// 400, 403, 404, 409 or 422.
    pub status: u16,
    /// Body: a sentence, or for 409 the size the witness has.
    pub body: String,
}

fn refuse(status: u16, body: impl Into<String>) -> Refusal {
    Refusal { status, body: body.into() }
}

impl Witness {
    /// A witness with key `key`, following logs given as `(origin, log key)`.
    pub fn new(
        key: &Path,
        logs: Vec<(String, VerifierKey)>,
        state: &Path,
    ) -> Result<Witness, Failure> {
        let signer = keys::load(key)?;
        if signer.verifier().key_type() != note::KeyType::CosignatureV1 {
            return Err(Failure::Usage(format!(
                "{}: not a witness key (make one with --role witness)",
                key.display()
            )));
        }
        std::fs::create_dir_all(state)
            .map_err(|e| Failure::Usage(format!("{}: {e}", state.display())))?;
        Ok(Witness { signer, logs, state: state.to_path_buf() })
    }

    fn origin_dir(&self, origin: &str) -> PathBuf {
        let safe: String = origin
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
            .collect();
        self.state.join(safe)
    }

    /// The last checkpoint cosigned for `origin`: (size, root), or size 0.
    fn latest(&self, origin: &str) -> Result<Option<(Note, Checkpoint)>, Refusal> {
        let path = self.origin_dir(origin).join("latest");
        let Ok(bytes) = std::fs::read(&path) else { return Ok(None) };
        let note = Note::parse(&bytes)
            .map_err(|e| refuse(500, format!("witness state is corrupt: {e}")))?;
        let cp = Checkpoint::parse(note.text())
            .map_err(|e| refuse(500, format!("witness state is corrupt: {e}")))?;
        Ok(Some((note, cp)))
    }

    /// The add-checkpoint operation: checks signature and consistency, records the new
    /// checkpoint, and returns the cosignature line.
    pub fn add_checkpoint(
        &self,
        old_size: u64,
        proof: &[Hash],
        checkpoint: &[u8],
        now: u64,
    ) -> Result<String, Refusal> {
        let note = Note::parse(checkpoint).map_err(|e| refuse(400, e.to_string()))?;
        let cp = Checkpoint::parse(note.text()).map_err(|e| refuse(400, e.to_string()))?;
        let keys: Vec<VerifierKey> =
            self.logs.iter().filter(|(o, _)| o == cp.origin()).map(|(_, k)| k.clone()).collect();
        if keys.is_empty() {
            return Err(refuse(404, format!("unknown log origin {:?}", cp.origin())));
        }
        note::verify(&note, &keys).map_err(|e| refuse(403, e.to_string()))?;
        if old_size > cp.tree_size() {
            return Err(refuse(400, "the old size is larger than the checkpoint's"));
        }
        let latest = self.latest(cp.origin())?;
        let (have_size, have_root) =
            latest.as_ref().map_or((0, merkle::root(&[]).to_vec()), |(_, c)| {
                (c.tree_size(), c.root_hash().to_vec())
            });
        if old_size != have_size {
            return Err(refuse(409, format!("{have_size}\n")));
        }
        if cp.tree_size() == 0 && *cp.root_hash() != merkle::root(&[]) {
            return Err(refuse(422, "a checkpoint of size 0 must have the empty tree's root"));
        }
        let consistent = match old_size {
            0 => proof.is_empty(),
            _ => merkle::verify_consistency(
                old_size,
                cp.tree_size(),
                proof,
                &have_root,
                cp.root_hash(),
            )
            .is_ok(),
        };
        if !consistent {
            if let Some((old_note, _)) = &latest {
                self.keep_fork(cp.origin(), old_note, &note, now);
            }
            return Err(refuse(
                422,
                "the checkpoint is not consistent with the last one cosigned: kept as evidence",
            ));
        }
        let signature =
            self.signer.sign(note.text(), now).map_err(|e| refuse(500, e.to_string()))?;
        let dir = self.origin_dir(cp.origin());
        write_atomic(&dir.join("latest"), note.to_string().as_bytes())
            .map_err(|_| refuse(500, "cannot save state"))?;
        Ok(format!("{signature}\n"))
    }

    fn keep_fork(&self, origin: &str, cosigned: &Note, offered: &Note, now: u64) {
        let dir = self.origin_dir(origin).join("forks").join(now.to_string());
        let _ = write_atomic(&dir.join("cosigned"), cosigned.to_string().as_bytes());
        let _ = write_atomic(&dir.join("offered"), offered.to_string().as_bytes());
    }

    /// Cosigns a log's current checkpoint, reading the consistency proof from its tiles.
    pub fn cosign_log(&self, log: &str, time: u64) -> Result<(String, Note), Failure> {
        let mut reader = reader_for(log);
        let bytes = reader.read_tile("checkpoint")?;
        let note = Note::parse(&bytes)?;
        let cp = Checkpoint::parse(note.text())?;
        let old = self
            .latest(cp.origin())
            .map_err(|r| Failure::Usage(r.body))?
            .map_or(0, |(_, c)| c.tree_size());
        let proof = if old == 0 || old == cp.tree_size() {
            Vec::new()
        } else {
            TiledTree::new(cp.tree_size(), reader).prove_consistency(old)?
        };
        let line = self.add_checkpoint(old, &proof, &bytes, time).map_err(|r| {
            Failure::Verify(match r.status {
                422 => Error::ProofMismatch,
                403 => Error::KeyUnknown,
                404 => Error::LogUnknown { origin: cp.origin().to_owned() },
                _ => Error::CheckpointMalformed { reason: "refused by the witness" },
            })
        })?;
        Ok((line, note))
    }

    /// Serves `POST /add-checkpoint` on `listener` until the process is stopped.
    pub fn serve(&self, listener: &TcpListener) -> Result<(), Failure> {
        http::serve(listener, &mut |request| {
            if request.path != "/add-checkpoint" {
                return Some((404, "text/plain", b"not found\n".to_vec()));
            }
            if request.method != "POST" {
                return Some((405, "text/plain", b"POST only\n".to_vec()));
            }
            Some(
                match parse_request(&request.body).and_then(|(old, proof, cp)| {
                    self.add_checkpoint(old, &proof, cp, clock_for_witness()?)
                }) {
                    Ok(line) => (200, "text/plain", line.into_bytes()),
                    Err(r) if r.status == 409 => (409, "text/x.tlog.size", r.body.into_bytes()),
                    Err(r) => {
                        (r.status, "text/plain", format!("{}\n", r.body.trim_end()).into_bytes())
                    }
                },
            )
        })
        .map_err(Failure::Usage)
    }
}

/// Splits an add-checkpoint body: `old <n>`, proof lines, an empty line, the checkpoint.
pub fn parse_request(body: &[u8]) -> Result<(u64, Vec<Hash>, &[u8]), Refusal> {
    let bad = |m: &str| refuse(400, m);
    let split = body
        .windows(2)
        .position(|w| w == b"\n\n")
        .ok_or(bad("no empty line before the checkpoint"))?;
    let head =
        std::str::from_utf8(body.get(..split).unwrap_or_default()).map_err(|_| bad("not UTF-8"))?;
    let checkpoint = body.get(split + 2..).unwrap_or_default();
    let mut lines = head.split('\n');
    let old = lines
        .next()
        .and_then(|l| l.strip_prefix("old "))
        .and_then(|n| if n == "0" || !n.starts_with('0') { n.parse().ok() } else { None })
        .ok_or(bad("the first line is not `old <size>`"))?;
    let proof = lines
        .map(|l| {
            base64::decode(l)
                .and_then(|b| Hash::try_from(b).ok())
                .ok_or(bad("a proof line is not a base64 hash"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if proof.len() > 63 {
        return Err(bad("more than 63 proof lines"));
    }
    Ok((old, proof, checkpoint))
}

/// The request body a log sends: old size, proof lines, empty line, checkpoint.
pub fn request_body(old: u64, proof: &[Hash], checkpoint: &Note) -> Vec<u8> {
    let mut body = format!("old {old}\n");
    for h in proof {
        body += &base64::encode(h);
        body.push('\n');
    }
    body.push('\n');
    body += &checkpoint.to_string();
    body.into_bytes()
}

/// The witness's clock for a cosignature; an unusable clock refuses rather than signing 0.
fn clock_for_witness() -> Result<u64, Refusal> {
    crate::clock().map_err(|_| refuse(500, "the witness clock is before 1970"))
}
