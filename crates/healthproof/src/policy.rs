//! Which logs and witnesses are trusted, and how many witnesses must agree: the policy of
//! c2sp.org/tlog-policy, used to verify checkpoints.
//!
//! A checkpoint is valid under a policy when (tlog-policy §What is a "policy"):
//!
//! 1. its origin names a trusted log and that log's key signed it (c2sp.org/tlog-checkpoint);
//! 2. every signature by a trusted key verifies (c2sp.org/signed-note §Signatures);
//! 3. the witnesses whose cosignatures verified satisfy the quorum: a witness, a group of
//!    `k` of `n` members (witnesses or earlier groups), or `none`
//!    (tlog-policy §Defining the quorum, §Defining a witness group).
//!
//! Each witness counts once, however many lines it signed, and two witnesses may not share a
//! public key (§Defining a witness), so nobody is counted twice. Each cosignature's timestamp
//! is reported, for the caller's own freshness rules.
//!
//! ```
//! use healthproof::policy::Policy;
//! let policy = Policy::parse(
//!     "log sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8\nquorum none\n",
//! )?;
//! assert_eq!(policy.logs().len(), 1);
//! # Ok::<(), healthproof::Error>(())
//! ```

use crate::checkpoint::Checkpoint;
use crate::note::{self, KeyType, Note, VerifierKey};
use crate::Error;

/// The most logs, witnesses or groups a policy may define (the spec recommends at least 32).
pub const MAX_ENTRIES: usize = 256;
/// The largest policy text accepted, in bytes.
pub const MAX_POLICY_SIZE: usize = 256 * 1024;

/// A trusted log: the origin it signs checkpoints for and its Ed25519 key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedLog {
    /// The checkpoint origin line of this log.
    pub origin: String,
    /// The log's key (type Ed25519).
    pub key: VerifierKey,
}

/// A trusted witness: a policy-local name and its cosigning key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedWitness {
    /// The name the policy gives it, used in groups and the quorum.
    pub name: String,
    /// The witness key (type cosignature v1, or Ed25519 for older witnesses).
    pub key: VerifierKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    Witness(usize),
    Group(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    name: String,
    threshold: usize,
    members: Vec<Member>,
}

/// A parsed, self-consistent trust policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    logs: Vec<TrustedLog>,
    witnesses: Vec<TrustedWitness>,
    groups: Vec<Group>,
    quorum: Option<Member>,
}

/// A witness whose cosignature on a checkpoint verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosigner {
    /// The policy's name for the witness.
    pub name: String,
    /// The witness's key name, as on the signature line.
    pub key_name: String,
    /// The time of the cosignature (POSIX seconds); `None` for a plain Ed25519 witness.
    pub timestamp: Option<u64>,
}

/// A checkpoint signed by a trusted log and cosigned to the policy's quorum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheckpoint {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// The key name of the log that signed it.
    pub log_key_name: String,
    /// The witnesses whose cosignatures verified, in signature order.
    pub cosigners: Vec<Cosigner>,
    /// The quorum's threshold (0 for `quorum none`).
    pub quorum: usize,
}

impl Policy {
    /// A policy trusting `logs`, and `witnesses` of which at least `quorum` must cosign.
    ///
    /// Witnesses are named after their key names.
    ///
    /// # Errors
    /// [`Error::PolicyMalformed`] for a log key that is not Ed25519, duplicate keys or names,
    /// or a quorum larger than the number of witnesses.
    pub fn new(
        logs: Vec<TrustedLog>,
        witnesses: Vec<VerifierKey>,
        quorum: usize,
    ) -> Result<Policy, Error> {
        let mut policy =
            Policy { logs: Vec::new(), witnesses: Vec::new(), groups: Vec::new(), quorum: None };
        for log in logs {
            policy.add_log(log, 0)?;
        }
        for key in witnesses {
            policy.add_witness(key.name().to_owned(), key, 0)?;
        }
        if quorum > policy.witnesses.len() {
            return Err(malformed("the quorum is larger than the number of witnesses", 0));
        }
        if quorum > 0 {
            let members = (0..policy.witnesses.len()).map(Member::Witness).collect();
            policy.groups.push(Group { name: "quorum".to_owned(), threshold: quorum, members });
            policy.quorum = Some(Member::Group(0));
        }
        Ok(policy)
    }

    /// Parses a policy file in the c2sp.org/tlog-policy format.
    ///
    /// # Errors
    /// [`Error::PolicyMalformed`] with the line at fault, [`Error::TooLarge`] above
    /// [`MAX_POLICY_SIZE`].
    pub fn parse(text: &str) -> Result<Policy, Error> {
        if text.len() > MAX_POLICY_SIZE {
            return Err(Error::TooLarge { what: "a policy", limit: MAX_POLICY_SIZE });
        }
        if text.bytes().any(|b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f) {
            return Err(malformed("it contains a control character other than tab", 0));
        }
        let mut policy =
            Policy { logs: Vec::new(), witnesses: Vec::new(), groups: Vec::new(), quorum: None };
        let mut quorum_seen = false;
        for (number, line) in text.lines().enumerate() {
            let line_no = number + 1;
            let words: Vec<&str> = line.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
            match words.as_slice() {
                [] => {}
                [first, ..] if first.starts_with('#') => {}
                ["log", vkey] | ["log", vkey, _] => {
                    let key =
                        VerifierKey::parse(vkey).map_err(|_| malformed("bad log key", line_no))?;
                    policy.add_log(TrustedLog { origin: key.name().to_owned(), key }, line_no)?;
                }
                ["witness", name, vkey] | ["witness", name, vkey, _] => {
                    let key = VerifierKey::parse(vkey)
                        .map_err(|_| malformed("bad witness key", line_no))?;
                    policy.add_witness((*name).to_owned(), key, line_no)?;
                }
                ["group", name, threshold, members @ ..] if !members.is_empty() => {
                    policy.add_group(name, threshold, members, line_no)?;
                }
                ["quorum", name] => {
                    if quorum_seen {
                        return Err(malformed("there is more than one quorum line", line_no));
                    }
                    quorum_seen = true;
                    policy.quorum = match *name {
                        "none" => None,
                        name => Some(
                            policy
                                .lookup(name)
                                .ok_or(malformed("the quorum names nothing defined", line_no))?,
                        ),
                    };
                }
                _ => return Err(malformed("unknown or incomplete line", line_no)),
            }
        }
        if !quorum_seen {
            return Err(malformed("there is no quorum line", 0));
        }
        Ok(policy)
    }

    /// The trusted logs.
    pub fn logs(&self) -> &[TrustedLog] {
        &self.logs
    }

    /// The trusted witnesses.
    pub fn witnesses(&self) -> &[TrustedWitness] {
        &self.witnesses
    }

    /// Verifies a signed checkpoint note against this policy.
    ///
    /// # Errors
    /// Parsing errors of the note and checkpoint; [`Error::LogUnknown`] when no trusted log
    /// has its origin; the signature errors of [`note::verify`];
    /// [`Error::LogSignatureMissing`] when only witnesses signed; and
    /// [`Error::QuorumUnsatisfied`].
    pub fn verify_checkpoint(&self, note_bytes: &[u8]) -> Result<VerifiedCheckpoint, Error> {
        self.verify_checkpoint_note(&Note::parse(note_bytes)?)
    }

    /// Verifies an already parsed checkpoint note against this policy.
    ///
    /// # Errors
    /// As [`Policy::verify_checkpoint`].
    pub fn verify_checkpoint_note(&self, note: &Note) -> Result<VerifiedCheckpoint, Error> {
        let checkpoint = Checkpoint::parse(note.text())?;
        let logs: Vec<&TrustedLog> =
            self.logs.iter().filter(|l| l.origin == checkpoint.origin()).collect();
        if logs.is_empty() {
            return Err(Error::LogUnknown { origin: checkpoint.origin().to_owned() });
        }
        let mut keys: Vec<VerifierKey> = logs.iter().map(|l| l.key.clone()).collect();
        keys.extend(self.witnesses.iter().map(|w| w.key.clone()));
        let verified = note::verify(note, &keys)?;
        let log_key_name = logs
            .iter()
            .find(|l| verified.is_signed_by(&l.key))
            .map(|l| l.key.name().to_owned())
            .ok_or(Error::LogSignatureMissing { origin: checkpoint.origin().to_owned() })?;

        let mut cosigned = vec![false; self.witnesses.len()];
        let mut cosigners = Vec::new();
        for sig in verified.verified() {
            let found = self
                .witnesses
                .iter()
                .position(|w| w.key.name() == sig.name && w.key.key_id() == sig.key_id);
            if let Some(index) = found {
                if let (Some(flag), Some(witness)) =
                    (cosigned.get_mut(index), self.witnesses.get(index))
                {
                    *flag = true;
                    cosigners.push(Cosigner {
                        name: witness.name.clone(),
                        key_name: sig.name.clone(),
                        timestamp: sig.timestamp,
                    });
                }
            }
        }
        let quorum = match self.quorum {
            None => 0,
            Some(Member::Witness(_)) => 1,
            Some(Member::Group(g)) => self.groups.get(g).map_or(0, |g| g.threshold),
        };
        if !self.satisfied(self.quorum, &cosigned) {
            return Err(Error::QuorumUnsatisfied { cosigned: cosigners.len(), required: quorum });
        }
        Ok(VerifiedCheckpoint { checkpoint, log_key_name, cosigners, quorum })
    }

    /// The earliest time by which the witnesses that had cosigned satisfied the quorum: the
    /// moment a quorum had seen the checkpoint. `None` when the quorum is `none` or the
    /// timestamps never satisfy it.
    pub fn quorum_time(&self, cosigners: &[Cosigner]) -> Option<u64> {
        self.quorum?;
        let mut times: Vec<u64> = cosigners.iter().filter_map(|c| c.timestamp).collect();
        times.sort_unstable();
        times.dedup();
        times.into_iter().find(|&t| {
            let cosigned: Vec<bool> = self
                .witnesses
                .iter()
                .map(|w| {
                    cosigners
                        .iter()
                        .any(|c| c.name == w.name && c.timestamp.is_some_and(|ts| ts <= t))
                })
                .collect();
            self.satisfied(self.quorum, &cosigned)
        })
    }

    fn satisfied(&self, member: Option<Member>, cosigned: &[bool]) -> bool {
        match member {
            None => true,
            Some(Member::Witness(w)) => cosigned.get(w).copied().unwrap_or(false),
            Some(Member::Group(g)) => self.groups.get(g).is_some_and(|group| {
                // Groups only refer to earlier definitions, so this recursion terminates.
                let count =
                    group.members.iter().filter(|&&m| self.satisfied(Some(m), cosigned)).count();
                count >= group.threshold
            }),
        }
    }

    fn lookup(&self, name: &str) -> Option<Member> {
        if let Some(w) = self.witnesses.iter().position(|w| w.name == name) {
            return Some(Member::Witness(w));
        }
        self.groups.iter().position(|g| g.name == name).map(Member::Group)
    }

    fn check_room(&self) -> Result<(), Error> {
        if self.logs.len() + self.witnesses.len() + self.groups.len() >= MAX_ENTRIES {
            return Err(Error::TooLarge { what: "the policy's entries", limit: MAX_ENTRIES });
        }
        Ok(())
    }

    fn add_log(&mut self, log: TrustedLog, line: usize) -> Result<(), Error> {
        self.check_room()?;
        if log.key.key_type() != KeyType::Ed25519 {
            return Err(malformed("a log key must be of type Ed25519 (0x01)", line));
        }
        if log.origin.is_empty() || log.origin.contains('\n') {
            return Err(malformed("a log origin must be one non-empty line", line));
        }
        if self.logs.iter().any(|l| l.key.public_key() == log.key.public_key()) {
            return Err(malformed("two logs share a public key", line));
        }
        self.logs.push(log);
        Ok(())
    }

    fn add_witness(&mut self, name: String, key: VerifierKey, line: usize) -> Result<(), Error> {
        self.check_room()?;
        if name == "none" || self.lookup(&name).is_some() {
            return Err(malformed("a witness name is reserved or already defined", line));
        }
        if self.witnesses.iter().any(|w| w.key.public_key() == key.public_key()) {
            return Err(malformed("two witnesses share a public key", line));
        }
        self.witnesses.push(TrustedWitness { name, key });
        Ok(())
    }

    fn add_group(
        &mut self,
        name: &str,
        threshold: &str,
        members: &[&str],
        line: usize,
    ) -> Result<(), Error> {
        self.check_room()?;
        if name == "none" || self.lookup(name).is_some() {
            return Err(malformed("a group name is reserved or already defined", line));
        }
        let mut resolved = Vec::with_capacity(members.len());
        for member in members {
            let m = self
                .lookup(member)
                .ok_or(malformed("a group member is not defined above", line))?;
            if resolved.contains(&m) {
                return Err(malformed("a group lists a member twice", line));
            }
            resolved.push(m);
        }
        let n = resolved.len();
        let threshold = match threshold {
            "all" => n,
            "any" => 1,
            k => crate::checkpoint::parse_decimal(k)
                .and_then(|k| usize::try_from(k).ok())
                .filter(|&k| (1..=n).contains(&k))
                .ok_or(malformed("a group threshold must be all, any or 1..=n", line))?,
        };
        self.groups.push(Group { name: name.to_owned(), threshold, members: resolved });
        Ok(())
    }
}

fn malformed(reason: &'static str, line: usize) -> Error {
    Error::PolicyMalformed { reason, line }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str, seed: u8) -> String {
        let public = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key();
        VerifierKey::new(name, KeyType::CosignatureV1, public.as_bytes()).unwrap().to_string()
    }

    fn cosigner(name: &str, t: u64) -> Cosigner {
        Cosigner { name: name.into(), key_name: name.into(), timestamp: Some(t) }
    }

    #[test]
    fn quorum_time_follows_the_group_structure() {
        // X needs 2 of 3, Y needs 1 of 2, the quorum needs both groups.
        let text = format!(
            "witness x1 {}\nwitness x2 {}\nwitness x3 {}\nwitness y1 {}\nwitness y2 {}\n\
             group X 2 x1 x2 x3\ngroup Y any y1 y2\ngroup XY all X Y\nquorum XY\n",
            key("x1", 1),
            key("x2", 2),
            key("x3", 3),
            key("y1", 4),
            key("y2", 5)
        );
        let policy = Policy::parse(&text).unwrap();
        // The two earliest cosigners are both X: the quorum is met only when Y signs at 50.
        let cosigners =
            [cosigner("x1", 10), cosigner("x2", 20), cosigner("y1", 50), cosigner("x3", 30)];
        assert_eq!(policy.quorum_time(&cosigners), Some(50));
        assert_eq!(policy.quorum_time(&cosigners[..2]), None);
        let none = Policy::parse("quorum none\n").unwrap();
        assert_eq!(none.quorum_time(&cosigners), None);
    }
}
