//! `healthproof`: check signed notes, checkpoints and log proofs from the command line.
//!
//! All checking is done by the pure `healthproof` crate; this binary reads files, prints
//! results and maps them to exit codes: 0 verified, 1 not verified, 2 bad usage or I/O.

use healthproof::time;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use healthproof::merkle::{self, Hash};
use healthproof::note::{self, Note, VerifierKey};
use healthproof::policy::{Cosigner, Policy, TrustedLog, VerifiedCheckpoint};
use healthproof::proof::{self, TlogProof};
use healthproof::{base64, Error};
use serde_json::{json, Value};

mod demo;
mod http;
mod import;
mod issuer;
mod keys;
mod log;
mod qr;
mod report;
mod witness;

/// Check signed notes, transparency-log checkpoints and inclusion proofs, offline.
#[derive(Parser)]
#[command(name = "healthproof", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Keys for issuers, logs, witnesses and trust-list signers.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Turn a FHIR R4 IPS document Bundle into a signed, selectively disclosable record.
    Issue(IssueCmd),
    /// Operate a file-based c2sp.org/tlog-tiles log.
    #[command(subcommand)]
    Log(LogCommand),
    /// Witness a log: cosign checkpoints consistent with the last one cosigned.
    #[command(subcommand)]
    Witness(WitnessCommand),
    /// Produce a tlog-proof for an entry against the log's latest checkpoint, from tiles.
    Prove(ProveCmd),
    /// Make a presentation: a record with chosen disclosures plus its ledger proof.
    Present(PresentCmd),
    /// Sign, verify and show trust lists.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Build the deterministic demo dataset (records, log, witnesses, trust list).
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Verify a HealthProof record presentation (.hproof) against a signed trust list.
    ///
    /// Exit code 0 verified, 3 verified with warnings, 1 not verified, 2 usage or I/O.
    Verify(VerifyArgs),
    /// Signed notes (c2sp.org/signed-note).
    #[command(subcommand)]
    Note(NoteCommand),
    /// Log checkpoints (c2sp.org/tlog-checkpoint) and their witness cosignatures.
    #[command(subcommand)]
    Checkpoint(CheckpointCommand),
    /// Inclusion proofs: c2sp.org/tlog-proof files or raw RFC 9162 proofs.
    #[command(subcommand)]
    Proof(ProofCommand),
}

#[derive(Subcommand)]
enum NoteCommand {
    /// Verify a note; succeeds when a given key signed it, and names the keys that did.
    Verify {
        /// A trusted verifier key, `name+keyid+base64` (repeatable).
        #[arg(long = "key", value_name = "VKEY", required = true)]
        keys: Vec<String>,
        /// Print a JSON result.
        #[arg(long)]
        json: bool,
        /// The note (`-` for standard input).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum CheckpointCommand {
    /// Verify a checkpoint's log signature and witness quorum.
    Verify {
        #[command(flatten)]
        trust: TrustArgs,
        /// Print a JSON result.
        #[arg(long)]
        json: bool,
        /// The signed checkpoint (`-` for standard input).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ProofCommand {
    /// Verify that an entry is in a log.
    ///
    /// Either a tlog-proof (`--entry FILE PROOF` with a trust policy), or a raw RFC 9162
    /// inclusion proof (`--leaf-hash --index --size --root --hashes`).
    Verify(ProofVerifyArgs),
    /// Verify a raw RFC 9162 consistency proof between two tree sizes.
    Consistency {
        /// The older tree size.
        #[arg(long)]
        size1: u64,
        /// The newer tree size.
        #[arg(long)]
        size2: u64,
        /// The older root hash (base64 or hex).
        #[arg(long)]
        root1: String,
        /// The newer root hash (base64 or hex).
        #[arg(long)]
        root2: String,
        /// File with the proof hashes, one base64 or hex hash a line (`-` for stdin).
        #[arg(long)]
        hashes: PathBuf,
        /// Print a JSON result.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct ProofVerifyArgs {
    #[command(flatten)]
    trust: TrustArgs,
    /// The logged entry, whose RFC 9162 leaf hash the proof is for (`-` for stdin).
    #[arg(long, value_name = "FILE", conflicts_with = "leaf_hash")]
    entry: Option<PathBuf>,
    /// The tlog-proof file (`-` for stdin).
    #[arg(value_name = "PROOF", requires = "entry")]
    proof: Option<PathBuf>,
    /// Raw mode: the leaf hash (hex or base64).
    #[arg(long, requires_all = ["index", "size", "root", "hashes"])]
    leaf_hash: Option<String>,
    /// Raw mode: the leaf index.
    #[arg(long)]
    index: Option<u64>,
    /// Raw mode: the tree size.
    #[arg(long)]
    size: Option<u64>,
    /// Raw mode: the root hash (base64 or hex).
    #[arg(long)]
    root: Option<String>,
    /// Raw mode: file with the proof hashes, one base64 or hex hash a line (`-` for stdin).
    #[arg(long)]
    hashes: Option<PathBuf>,
    /// Print a JSON result.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Generate a key; writes the private key (mode 0600) and prints the public forms.
    Generate {
        /// The key name: the issuer's kid, the log's origin, the witness's name.
        #[arg(long)]
        name: String,
        /// What the key is for.
        #[arg(long, value_enum, default_value = "issuer")]
        role: keys::Role,
        /// Where to write the private key (default: <name>.key).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the public forms of a private key file.
    Show {
        /// The private key file.
        file: PathBuf,
    },
}

#[derive(Args)]
struct IssueCmd {
    /// The issuer's private key (its name is the kid).
    #[arg(long)]
    key: PathBuf,
    /// The FHIR R4 IPS document Bundle (JSON).
    #[arg(long)]
    bundle: PathBuf,
    /// The issuer identifier, `iss` (default: https://<kid>).
    #[arg(long)]
    iss: Option<String>,
    /// Issue time: POSIX seconds or RFC 3339 (default: now).
    #[arg(long)]
    iat: Option<String>,
    /// The status list URI this record's status is published in.
    #[arg(long, requires = "status_index")]
    status_uri: Option<String>,
    /// The record's index in that status list.
    #[arg(long)]
    status_index: Option<u64>,
    /// Decoy digests to add per group, hiding how many sections the record has.
    #[arg(long, default_value_t = 0)]
    decoys: usize,
    /// Where to write the record (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum LogCommand {
    /// Create an empty log in DIR.
    Init {
        /// The log's origin line.
        #[arg(long)]
        origin: String,
        /// The log's private key.
        #[arg(long)]
        key: PathBuf,
        /// The log directory.
        dir: PathBuf,
    },
    /// Append entries in one batch and sign a new checkpoint.
    Append {
        /// The log directory.
        dir: PathBuf,
        /// Entry files, each one entry.
        entries: Vec<PathBuf>,
        /// Record files (SD-JWT): each appends its ledger entry, the issuer-signed JWT.
        #[arg(long = "record")]
        records: Vec<PathBuf>,
        /// A file with one entry per line (`-` for standard input).
        #[arg(long)]
        lines: Option<PathBuf>,
    },
    /// Print the current checkpoint, after checking the tiles agree with it.
    Checkpoint {
        /// The log directory.
        dir: PathBuf,
    },
    /// Submit the checkpoint to witnesses (c2sp.org/tlog-witness) and add their cosignatures.
    Witness {
        /// The log directory.
        dir: PathBuf,
        /// A witness's submission URL prefix (repeatable).
        #[arg(long = "url", required = true)]
        urls: Vec<String>,
        /// The witnesses' verifier keys, to check what they return (repeatable).
        #[arg(long = "witness", required = true)]
        witnesses: Vec<String>,
    },
}

#[derive(Subcommand)]
enum WitnessCommand {
    /// Cosign a log's current checkpoint and print the cosignature line.
    Cosign {
        #[command(flatten)]
        witness: WitnessArgs,
        /// The log: a directory or an http:// URL prefix.
        log: String,
        /// Also add the cosignature to the checkpoint file (the log is a local directory).
        #[arg(long)]
        write: bool,
        /// The cosignature time, POSIX seconds or RFC 3339 (default: now; for replays and
        /// tests — a witness in service signs with its clock).
        #[arg(long)]
        time: Option<String>,
    },
    /// Serve the c2sp.org/tlog-witness add-checkpoint API.
    Serve {
        #[command(flatten)]
        witness: WitnessArgs,
        /// Address to listen on, e.g. 127.0.0.1:7380.
        #[arg(long)]
        listen: String,
    },
}

#[derive(Args)]
struct WitnessArgs {
    /// The witness's private key.
    #[arg(long)]
    key: PathBuf,
    /// The directory holding the witness's state.
    #[arg(long)]
    state: PathBuf,
    /// A followed log's verifier key (repeatable); its name is its origin unless --origin.
    #[arg(long = "log-key", required = true)]
    log_keys: Vec<String>,
    /// The origin of the (single) followed log, when it differs from its key name.
    #[arg(long)]
    origin: Option<String>,
}

#[derive(Args)]
struct ProveCmd {
    /// The log: a directory or an http:// URL prefix.
    #[arg(long)]
    log: String,
    /// The entry to prove.
    #[arg(long, conflicts_with_all = ["index", "record"])]
    entry: Option<PathBuf>,
    /// The record whose ledger entry to prove.
    #[arg(long, conflicts_with = "index")]
    record: Option<PathBuf>,
    /// The index of the entry to prove.
    #[arg(long)]
    index: Option<u64>,
    /// Where to write the tlog-proof (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct PresentCmd {
    /// The record (SD-JWT with all disclosures).
    #[arg(long)]
    record: PathBuf,
    /// Its tlog-proof.
    #[arg(long)]
    proof: PathBuf,
    /// What to disclose, comma separated (patient fields and sections); default all.
    #[arg(long, value_delimiter = ',')]
    disclose: Option<Vec<String>>,
    /// Where to write the presentation (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write it as a QR code PNG, when it fits in one.
    #[arg(long, value_name = "FILE")]
    qr: Option<PathBuf>,
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Write the demo dataset into DIR (reads DIR/bundles; DIR/log and DIR/.keys are rebuilt).
    Build {
        /// The examples directory.
        #[arg(default_value = "examples")]
        dir: PathBuf,
        /// Synthetic entries in the log around the demo records.
        #[arg(long, default_value_t = 100_000)]
        filler: u64,
    },
}

#[derive(Subcommand)]
enum TrustCommand {
    /// Sign a trust list text with a trust key.
    Sign {
        /// The trust-list signer's private key.
        #[arg(long)]
        key: PathBuf,
        /// The trust list text.
        file: PathBuf,
        /// Where to write the signed list (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print trust-list lines for EU DCC signer certificates and SMART Health Card issuers,
    /// from the files their networks publish, to add to a trust list before signing it.
    Import {
        /// A DCC trust list of signer certificates: the DCC Gateway's JSON (`/trustList/DSC`),
        /// a national mirror of it, or a `dsc_trust_list` JSON (repeatable).
        #[arg(long = "dcc", value_name = "FILE")]
        dcc: Vec<PathBuf>,
        /// A SMART Health Card issuer's `iss` (an https URL).
        #[arg(long = "shc-iss", value_name = "URL")]
        shc_iss: Option<String>,
        /// That issuer's `/.well-known/jwks.json`.
        #[arg(long = "shc-jwks", value_name = "FILE")]
        shc_jwks: Option<PathBuf>,
        /// One of its revocation lists, `/.well-known/crl/<kid>.json` (repeatable).
        #[arg(long = "shc-crl", value_name = "FILE")]
        shc_crls: Vec<PathBuf>,
        /// Where to write the lines (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Verify a signed trust list (exit 0 when valid).
    Verify(TrustShowArgs),
    /// Verify and describe a signed trust list.
    Show(TrustShowArgs),
}

#[derive(Args)]
struct TrustShowArgs {
    /// The signed trust list.
    file: PathBuf,
    /// A key allowed to sign it (repeatable).
    #[arg(long = "signer", required = true)]
    signers: Vec<String>,
    /// The highest sequence number already accepted.
    #[arg(long, default_value_t = 0)]
    min_sequence: u64,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// The presentation file (`-` for standard input).
    pub(crate) presentation: PathBuf,
    /// The signed trust list.
    #[arg(long, value_name = "FILE")]
    pub(crate) trust: PathBuf,
    /// A key allowed to sign the trust list (repeatable).
    #[arg(long = "trust-signer", value_name = "VKEY")]
    pub(crate) trust_signers: Vec<String>,
    /// A file of keys allowed to sign the trust list, one vkey a line.
    #[arg(long = "trust-signers", value_name = "FILE")]
    pub(crate) trust_signers_file: Option<PathBuf>,
    /// The highest trust-list sequence number already accepted (rollback protection).
    #[arg(long, default_value_t = 0)]
    pub(crate) min_sequence: u64,
    /// A status list token (JWT) to check the record's status against (repeatable).
    #[arg(long = "status-list", value_name = "FILE")]
    pub(crate) status_lists: Vec<PathBuf>,
    /// The time to verify at: POSIX seconds or RFC 3339 (default: now).
    #[arg(long)]
    pub(crate) now: Option<String>,
    /// Print the full report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Which logs and witnesses to trust: flags, or a c2sp.org/tlog-policy file.
#[derive(Args)]
struct TrustArgs {
    /// A trusted log's verifier key (repeatable).
    #[arg(long = "log", value_name = "VKEY", conflicts_with = "policy")]
    logs: Vec<String>,
    /// The checkpoint origin the log key signs for (default: the key's name).
    #[arg(long)]
    origin: Option<String>,
    /// A trusted witness's verifier key (repeatable).
    #[arg(long = "witness", value_name = "VKEY", conflicts_with = "policy")]
    witnesses: Vec<String>,
    /// How many of the witnesses must cosign (default: all of them).
    #[arg(long, conflicts_with = "policy")]
    quorum: Option<usize>,
    /// A policy file in the c2sp.org/tlog-policy format, instead of the flags above.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
}

/// What went wrong: a verification failure (exit 1) or bad usage or I/O (exit 2).
pub(crate) enum Failure {
    Verify(Error),
    Usage(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Verify(e)
    }
}

impl From<healthproof::json::JsonError> for Failure {
    fn from(e: healthproof::json::JsonError) -> Failure {
        Failure::Verify(e.into())
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Verify(args) => report::run(args),
        command @ (Command::Note(_) | Command::Checkpoint(_) | Command::Proof(_)) => check(command),
        other => operate(other),
    }
}

/// Runs a note, checkpoint or proof check: prints the result (or JSON), exit 0 verified,
/// 1 not verified, 2 usage or I/O.
fn check(command: Command) -> ExitCode {
    let json = match &command {
        Command::Note(NoteCommand::Verify { json, .. })
        | Command::Checkpoint(CheckpointCommand::Verify { json, .. })
        | Command::Proof(ProofCommand::Consistency { json, .. })
        | Command::Proof(ProofCommand::Verify(ProofVerifyArgs { json, .. })) => *json,
        _ => false,
    };
    match run(command) {
        Ok(result) => {
            print(json, &result);
            ExitCode::SUCCESS
        }
        Err(Failure::Verify(e)) => {
            let result = json!({ "ok": false, "code": e.code(), "message": e.to_string() });
            if json {
                println!("{result}");
            } else {
                eprintln!("not verified [{}]: {e}", e.code());
            }
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            if json {
                println!("{}", json!({ "ok": false, "code": "usage", "message": message }));
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<Value, Failure> {
    match command {
        Command::Note(NoteCommand::Verify { keys, file, .. }) => {
            let keys = keys.iter().map(|k| parse_key(k)).collect::<Result<Vec<_>, _>>()?;
            let note = Note::parse(&read(&file)?)?;
            let verified = note::verify(&note, &keys)?;
            let signed: Vec<Value> = verified
                .verified()
                .iter()
                .map(|s| json!({ "name": s.name, "key_id": format!("{:08x}", s.key_id), "timestamp": s.timestamp }))
                .collect();
            Ok(json!({ "ok": true, "verified_by": signed, "text": verified.text() }))
        }
        Command::Checkpoint(CheckpointCommand::Verify { trust, file, .. }) => {
            let policy = trust.policy()?;
            let verified = policy.verify_checkpoint(&read(&file)?)?;
            Ok(checkpoint_json(&verified))
        }
        Command::Proof(ProofCommand::Verify(args)) => args.run(),
        Command::Proof(ProofCommand::Consistency {
            size1, size2, root1, root2, hashes, ..
        }) => {
            let proof = read_hashes(&hashes)?;
            merkle::verify_consistency(
                size1,
                size2,
                &proof,
                &decode_hash(&root1)?,
                &decode_hash(&root2)?,
            )?;
            Ok(json!({ "ok": true, "size1": size1, "size2": size2, "proof_hashes": proof.len() }))
        }
        // Handled in main before dispatch.
        _ => Err(Failure::Usage("this command is dispatched separately".into())),
    }
}

impl ProofVerifyArgs {
    fn run(self) -> Result<Value, Failure> {
        if let (Some(entry), Some(proof_file)) = (&self.entry, &self.proof) {
            let policy = self.trust.policy()?;
            let proof = TlogProof::parse(&read(proof_file)?)?;
            let verified = proof::verify_entry(&proof, &read(entry)?, &policy)?;
            return Ok(json!({
                "ok": true,
                "origin": verified.origin,
                "log": verified.log_key_name,
                "tree_size": verified.tree_size,
                "root_hash": base64::encode(&verified.root_hash),
                "leaf_index": verified.leaf_index,
                "leaf_hash": hex(&verified.leaf_hash),
                "quorum": verified.quorum,
                "cosigners": cosigners_json(&verified.cosigners),
                "extra": verified.extra.map(|e| base64::encode(&e)),
            }));
        }
        let (Some(leaf), Some(index), Some(size), Some(root), Some(hashes)) =
            (&self.leaf_hash, self.index, self.size, &self.root, &self.hashes)
        else {
            return Err(Failure::Usage(
                "give either --entry FILE and a PROOF file, or --leaf-hash, --index, --size, --root and --hashes"
                    .into(),
            ));
        };
        let proof = read_hashes(hashes)?;
        merkle::verify_inclusion(&decode_hash(leaf)?, index, size, &proof, &decode_hash(root)?)?;
        Ok(
            json!({ "ok": true, "leaf_index": index, "tree_size": size, "proof_hashes": proof.len() }),
        )
    }
}

impl TrustArgs {
    fn policy(&self) -> Result<Policy, Failure> {
        if let Some(path) = &self.policy {
            let bytes = read(path)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Failure::Usage(format!("{}: the policy is not UTF-8", path.display()))
            })?;
            return Policy::parse(&text)
                .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())));
        }
        if self.logs.is_empty() {
            return Err(Failure::Usage("give at least one --log VKEY, or --policy FILE".into()));
        }
        let logs = self
            .logs
            .iter()
            .map(|k| {
                let key = parse_key(k)?;
                let origin = self.origin.clone().unwrap_or_else(|| key.name().to_owned());
                Ok(TrustedLog { origin, key })
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        let witnesses =
            self.witnesses.iter().map(|k| parse_key(k)).collect::<Result<Vec<_>, _>>()?;
        let quorum = self.quorum.unwrap_or(witnesses.len());
        Policy::new(logs, witnesses, quorum).map_err(|e| Failure::Usage(e.to_string()))
    }
}

fn checkpoint_json(v: &VerifiedCheckpoint) -> Value {
    let c = &v.checkpoint;
    json!({
        "ok": true,
        "origin": c.origin(),
        "tree_size": c.tree_size(),
        "root_hash": base64::encode(c.root_hash()),
        "log": v.log_key_name,
        "quorum": v.quorum,
        "cosigners": cosigners_json(&v.cosigners),
    })
}

fn cosigners_json(cosigners: &[Cosigner]) -> Value {
    cosigners
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "key_name": c.key_name,
                "timestamp": c.timestamp,
                "time": c.timestamp.map(time::rfc3339),
            })
        })
        .collect()
}

/// Prints a successful result: JSON as is, or readable lines.
fn print(json_output: bool, result: &Value) {
    if json_output {
        println!("{result}");
        return;
    }
    println!("verified");
    let Some(fields) = result.as_object() else { return };
    for (key, value) in fields {
        match (key.as_str(), value) {
            ("ok", _) | (_, Value::Null) => {}
            ("text", Value::String(text)) => {
                println!("text:");
                for line in text.lines() {
                    println!("  {line}");
                }
            }
            ("cosigners", Value::Array(list)) => {
                if list.is_empty() {
                    println!("cosigners: none");
                }
                for c in list {
                    let when = c["time"].as_str().map(|t| format!(" at {t}")).unwrap_or_default();
                    println!("cosigned by: {}{when}", c["name"].as_str().unwrap_or("?"));
                }
            }
            ("verified_by", Value::Array(list)) => {
                for s in list {
                    println!(
                        "signed by: {}+{}",
                        s["name"].as_str().unwrap_or("?"),
                        s["key_id"].as_str().unwrap_or("?")
                    );
                }
            }
            (key, Value::String(s)) => println!("{}: {s}", key.replace('_', " ")),
            (key, other) => println!("{}: {other}", key.replace('_', " ")),
        }
    }
}

pub(crate) fn parse_key(vkey: &str) -> Result<VerifierKey, Failure> {
    VerifierKey::parse(vkey).map_err(|e| Failure::Usage(format!("{vkey}: {e}")))
}

/// Reads a file, or standard input for `-`.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    const MAX_INPUT: u64 = 16 * 1024 * 1024;
    let mut bytes = Vec::new();
    let result = if path == Path::new("-") {
        std::io::stdin().take(MAX_INPUT + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT + 1).read_to_end(&mut bytes))
    };
    result.map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(Failure::Usage(format!("{}: larger than {MAX_INPUT} bytes", path.display())));
    }
    Ok(bytes)
}

/// Reads proof hashes, one base64 or hex hash a line; blank lines are skipped.
fn read_hashes(path: &Path) -> Result<Vec<Hash>, Failure> {
    let bytes = read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::Usage(format!("{}: not UTF-8", path.display())))?;
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let bytes = decode_hash(line).map_err(|e| match e {
                Failure::Usage(m) => {
                    Failure::Usage(format!("{}: hash {}: {m}", path.display(), i + 1))
                }
                other => other,
            })?;
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| Failure::Verify(Error::HashLength { found: bytes.len() }))
        })
        .collect()
}

/// Decodes a hash written as 64 hex digits or as base64.
fn decode_hash(text: &str) -> Result<Vec<u8>, Failure> {
    let text = text.trim();
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return (0..32)
            .map(|i| {
                text.get(2 * i..2 * i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                    .ok_or_else(|| Failure::Usage(format!("{text:?} is not hex")))
            })
            .collect();
    }
    base64::decode(text).ok_or_else(|| {
        Failure::Usage(format!("{text:?} is neither 64 hex digits nor canonical base64"))
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs an operator command (keys, issuing, log, witness, trust): prints its output, or the
/// error with exit code 1 (verification) or 2 (usage, I/O).
fn operate(command: Command) -> ExitCode {
    match operation(command) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Verify(e)) => {
            eprintln!("refused [{}]: {e}", e.code());
            ExitCode::from(1)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to `out`, or returns it for standard output.
fn emit(out: Option<&Path>, text: String, what: &str) -> Result<String, Failure> {
    match out {
        Some(path) => {
            log::write_atomic(path, text.as_bytes())?;
            Ok(format!("wrote {what} to {}\n", path.display()))
        }
        None => Ok(text),
    }
}

/// The time given by a flag (POSIX seconds or RFC 3339), or the system clock.
pub(crate) fn now_or(flag: &str, text: Option<&str>) -> Result<u64, Failure> {
    match text {
        Some(t) => time::parse(t).ok_or_else(|| {
            Failure::Usage(format!("{flag} {t:?}: not POSIX seconds or YYYY-MM-DDTHH:MM:SSZ"))
        }),
        None => clock(),
    }
}

/// The system clock, POSIX seconds.
pub(crate) fn clock() -> Result<u64, Failure> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Failure::Usage("the system clock is before 1970".into()))
}

fn operation(command: Command) -> Result<String, Failure> {
    match command {
        Command::Key(KeyCommand::Generate { name, role, out }) => {
            let path = out.unwrap_or_else(|| keys::default_path(&name));
            let public = keys::generate(&name, role, &path)?;
            Ok(format!("wrote private key to {} (mode 0600)\n{public}", path.display()))
        }
        Command::Key(KeyCommand::Show { file }) => {
            let signer = keys::load(&file)?;
            let role = if signer.verifier().key_type() == healthproof::note::KeyType::CosignatureV1
            {
                keys::Role::Witness
            } else {
                keys::Role::Issuer
            };
            Ok(keys::describe(&signer, role))
        }
        Command::Issue(a) => {
            let signer = keys::load(&a.key)?;
            let iss =
                a.iss.clone().unwrap_or_else(|| format!("https://{}", signer.verifier().name()));
            let status = match (&a.status_uri, a.status_index) {
                (Some(uri), Some(idx)) => {
                    Some(healthproof::status::StatusReference { idx, uri: uri.clone() })
                }
                _ => None,
            };
            let args = issuer::IssueArgs {
                iss: &iss,
                iat: now_or("--iat", a.iat.as_deref())?,
                status,
                decoys: a.decoys,
            };
            let record = issuer::issue(&a.key, &a.bundle, &args)?;
            eprintln!("{}", issuer::describe_record(&record));
            emit(a.out.as_deref(), record, "the record")
        }
        Command::Log(LogCommand::Init { origin, key, dir }) => log::init(&dir, &origin, &key),
        Command::Log(LogCommand::Append { dir, entries, records, lines }) => {
            let mut all: Vec<Result<Vec<u8>, Failure>> = Vec::new();
            for path in &entries {
                all.push(read(path));
            }
            for path in &records {
                all.push(read(path).and_then(|r| issuer::ledger_entry(&r)));
            }
            let mut from_lines: Box<dyn Iterator<Item = Result<Vec<u8>, Failure>>> = match &lines {
                Some(path) => {
                    // Streamed line by line: a bulk import of millions of entries stays in
                    // constant memory.
                    use std::io::BufRead;
                    let input: Box<dyn std::io::BufRead> = if path == Path::new("-") {
                        Box::new(std::io::BufReader::new(std::io::stdin()))
                    } else {
                        let file = std::fs::File::open(path)
                            .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
                        Box::new(std::io::BufReader::new(file))
                    };
                    let shown = path.display().to_string();
                    Box::new(
                        input
                            .split(b'\n')
                            .filter(|l| !l.as_ref().is_ok_and(Vec::is_empty))
                            .map(move |l| l.map_err(|e| Failure::Usage(format!("{shown}: {e}")))),
                    )
                }
                None => Box::new(std::iter::empty()),
            };
            // Streamed lines have no known count: a counter instead of a bar.
            let total = if lines.is_some() { None } else { Some(all.len() as u64) };
            let mut chained = all.into_iter().chain(&mut from_lines);
            let (first, size) = log::append(&dir, &mut chained, total)?;
            Ok(format!("appended entries {first}..{} ; tree size {size}\n", size.saturating_sub(1)))
        }
        Command::Log(LogCommand::Checkpoint { dir }) => log::checkpoint(&dir),
        Command::Log(LogCommand::Witness { dir, urls, witnesses }) => {
            let keys = witnesses.iter().map(|k| parse_key(k)).collect::<Result<Vec<_>, _>>()?;
            log::submit_to_witnesses(&dir, &urls, &keys)
        }
        Command::Witness(WitnessCommand::Cosign { witness, log, write, time }) => {
            let w = witness.build()?;
            let (line, _) = w.cosign_log(&log, now_or("--time", time.as_deref())?)?;
            if write {
                let keys = vec![w_key(&witness)?];
                log::add_cosignatures(Path::new(&log), &keys, &[line.trim_end().to_owned()])?;
            }
            Ok(line)
        }
        Command::Witness(WitnessCommand::Serve { witness, listen }) => {
            let w = witness.build()?;
            let listener = std::net::TcpListener::bind(&listen)
                .map_err(|e| Failure::Usage(format!("{listen}: {e}")))?;
            eprintln!("witness listening on http://{listen}/add-checkpoint");
            w.serve(&listener)?;
            Ok(String::new())
        }
        Command::Prove(p) => {
            let entry = match (&p.entry, &p.record) {
                (Some(path), _) => Some(read(path)?),
                (None, Some(path)) => Some(issuer::ledger_entry(&read(path)?)?),
                (None, None) => None,
            };
            let (proof, tiles) = log::prove(&p.log, p.index, entry.as_deref())?;
            eprintln!("proof of entry {} from {tiles} tiles", proof.leaf_index());
            emit(p.out.as_deref(), proof.to_string(), "the tlog-proof")
        }
        Command::Present(p) => {
            let presentation = issuer::present(&p.record, &p.proof, p.disclose.as_deref())?;
            let text = presentation.to_string();
            eprintln!(
                "presentation: {} bytes, {} disclosures",
                text.len(),
                presentation.sd_jwt().disclosures().len()
            );
            // The presentation is written first: a QR code that does not fit is reported after.
            let qr_data = text.clone().into_bytes();
            let mut written = emit(p.out.as_deref(), text, "the presentation")?;
            if let Some(path) = &p.qr {
                let info = qr::write_png(&qr_data, path, 4).map_err(Failure::Usage)?;
                written += &format!(
                    "wrote a QR code to {} (version {}, {}x{} modules, error correction {}, {} bytes)\n",
                    path.display(),
                    info.version,
                    info.modules,
                    info.modules,
                    info.ec_level,
                    info.bytes
                );
            }
            Ok(written)
        }
        Command::Trust(TrustCommand::Sign { key, file, out }) => {
            emit(out.as_deref(), issuer::trust_sign(&key, &file)?, "the signed trust list")
        }
        Command::Trust(TrustCommand::Import { dcc, shc_iss, shc_jwks, shc_crls, out }) => emit(
            out.as_deref(),
            import::run(&dcc, shc_iss.as_deref(), shc_jwks.as_deref(), &shc_crls)?,
            "the trust-list lines",
        ),
        Command::Trust(TrustCommand::Verify(a)) | Command::Trust(TrustCommand::Show(a)) => {
            let signers = a.signers.iter().map(|k| parse_key(k)).collect::<Result<Vec<_>, _>>()?;
            issuer::trust_show(&a.file, &signers, a.min_sequence, clock()?)
        }
        Command::Demo(DemoCommand::Build { dir, filler }) => demo::build(&dir, filler),
        _ => Err(Failure::Usage("not an operator command".into())),
    }
}

fn w_key(w: &WitnessArgs) -> Result<VerifierKey, Failure> {
    Ok(keys::load(&w.key)?.verifier().clone())
}

impl WitnessArgs {
    fn build(&self) -> Result<witness::Witness, Failure> {
        let logs = self
            .log_keys
            .iter()
            .map(|k| {
                let key = parse_key(k)?;
                let origin = self.origin.clone().unwrap_or_else(|| key.name().to_owned());
                Ok((origin, key))
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        witness::Witness::new(&self.key, logs, &self.state)
    }
}
