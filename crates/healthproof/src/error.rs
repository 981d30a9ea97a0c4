//! The one error type of the core, with stable kebab-case codes.
//!
//! JavaScript and the user interfaces branch on [`Error::code`] and translate it, so a code
//! never changes meaning once released. The classes are kept apart on purpose: *malformed*
//! input, an *unknown key*, a *bad signature*, a *proof mismatch* and an *unsatisfied policy*
//! call for different reactions from the person reading the result.

use core::fmt;

/// Everything that can go wrong when parsing or verifying.
///
/// Payloads are plain strings and integers so that no foreign type leaks into the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Input is larger than the named limit allows.
    TooLarge {
        /// What was being read.
        what: &'static str,
        /// The limit, in bytes or items.
        limit: usize,
    },
    /// A signed note does not follow c2sp.org/signed-note.
    NoteMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A verifier key (`name+keyid+base64`) is not well formed.
    KeyMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// Two configured verifier keys share a name and key ID and both match a signature.
    KeyAmbiguous {
        /// The key name.
        name: String,
        /// The key ID.
        key_id: u32,
    },
    /// A signature from a known key did not verify.
    SignatureInvalid {
        /// The key: `name+keyid` for a note key, the `kid` for a JWS.
        key: String,
    },
    /// No signature on the note came from a trusted key.
    KeyUnknown,
    /// A checkpoint body does not follow c2sp.org/tlog-checkpoint.
    CheckpointMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// No trusted log has this origin.
    LogUnknown {
        /// The checkpoint's origin line.
        origin: String,
    },
    /// The note verified with some keys, but not with the log's own key.
    LogSignatureMissing {
        /// The checkpoint's origin line.
        origin: String,
    },
    /// A cosignature line is not a c2sp.org/tlog-cosignature v1 structure.
    CosignatureMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A tlog-proof, hash or number in a proof is not well formed.
    ProofMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A hash has the wrong length (RFC 9162 hashes are 32 bytes).
    HashLength {
        /// The length found.
        found: usize,
    },
    /// A leaf index is not below the tree size.
    IndexOutOfRange {
        /// The leaf index.
        leaf_index: u64,
        /// The tree size.
        tree_size: u64,
    },
    /// The tree sizes of a consistency proof are impossible (old size 0 or above new size).
    SizeOutOfRange {
        /// The older tree size.
        size1: u64,
        /// The newer tree size.
        size2: u64,
    },
    /// The proof has more or fewer hashes than its index and tree size imply.
    ProofLength {
        /// Hashes the proof must have.
        expected: usize,
        /// Hashes it has.
        found: usize,
    },
    /// The proof is well formed but leads to a different root hash.
    ProofMismatch,
    /// A trust policy is not well formed.
    PolicyMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
        /// 1-based line of the policy text, or 0 where there is no line.
        line: usize,
    },
    /// Too few trusted witnesses cosigned the checkpoint.
    QuorumUnsatisfied {
        /// Distinct trusted witnesses whose cosignature verified.
        cosigned: usize,
        /// The quorum.
        required: usize,
    },
    /// JSON text does not follow RFC 8259 strictly (see [`crate::json`]).
    JsonMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
        /// Byte offset in the JSON text.
        offset: usize,
    },
    /// A compact JWS is not well formed (RFC 7515 §7.1).
    JwsMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// The JWS `alg` is not EdDSA with Ed25519 (`none`, HMAC and others are refused).
    AlgorithmUnsupported {
        /// The `alg` header value.
        alg: String,
    },
    /// An SD-JWT or one of its disclosures is not well formed (RFC 9901 §4).
    SdJwtMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A disclosure does not match any digest in the signed payload (RFC 9901 §7.1).
    DisclosureUnreferenced,
    /// The same disclosure appears twice.
    DisclosureDuplicate,
    /// A digest appears more than once in the payload (RFC 9901 §7.1 step 3.c).
    DigestReused,
    /// A disclosure would overwrite a claim, or discloses a reserved name.
    DisclosureConflict {
        /// The claim name.
        name: String,
    },
    /// A record's claims are not those of a HealthProof IPS record.
    RecordMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A FHIR document Bundle is not an IPS document HealthProof can issue.
    BundleInvalid {
        /// JSON path of the offending element, e.g. `$.entry[0].resource.section[2].code`.
        path: String,
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A presentation file is not well formed.
    PresentationMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A trust list is not well formed.
    TrustListMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
        /// 1-based line of the trust list text, or 0.
        line: usize,
    },
    /// A trust list is older than one already accepted.
    TrustListRollback {
        /// The sequence number of the offered list.
        sequence: u64,
        /// The highest sequence number already accepted.
        seen: u64,
    },
    /// A trust list is not signed by a key allowed to sign it.
    TrustListSignerUnknown,
    /// No issuer in the trust list has this key ID.
    IssuerUnknown {
        /// The `kid` of the record.
        kid: String,
    },
    /// The issuer key was not valid when the record was issued or logged.
    KeyNotValid {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// The issuer key was revoked before the record was logged.
    KeyRevoked {
        /// The revocation time (POSIX seconds).
        revoked_at: u64,
        /// The revocation reason from the trust list.
        reason: String,
    },
    /// A time claim is in the future, or the record was logged long after its `iat`.
    TimeInvalid {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A status list token is not well formed or not valid for this record.
    StatusListInvalid {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// The issuer's status list marks the record as revoked or suspended.
    StatusRevoked {
        /// The status value (1 invalid, 2 suspended, other values application specific).
        status: u8,
    },
    /// The input is none of the documents this crate verifies.
    DocumentUnknown,
    /// Base45 text is not canonical RFC 9285.
    Base45Malformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// Compressed data does not inflate (zlib, RFC 1950, or raw DEFLATE, RFC 1951).
    CompressionInvalid {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// CBOR data breaks the strict rules of [`crate::cbor`] (RFC 8949).
    CborMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A COSE_Sign1 structure breaks RFC 9052 §4.2.
    CoseMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// CWT claims or the HCERT payload are not those of an EU DCC.
    HcertMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// An X.509 certificate is not the DER that RFC 5280 specifies, or has an unusable key.
    CertificateMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// The signer certificate's extended key usage does not allow this type of certificate.
    KeyUsageInvalid {
        /// The DCC type: `vaccination`, `test` or `recovery`.
        kind: &'static str,
    },
    /// The document's expiry time has passed.
    Expired {
        /// The expiry time (POSIX seconds).
        exp: u64,
    },
    /// A SMART Health Card numeric QR text (`shc:/…`) is malformed.
    QrMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A SMART Health Card's claims are not those the specification requires.
    ShcMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A JSON Web Key (RFC 7517) is not a P-256 ES256 signing key with its RFC 7638 `kid`.
    JwkMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// A SMART Health Cards revocation list is malformed.
    CrlMalformed {
        /// Why, in a short sentence fragment.
        reason: &'static str,
    },
    /// The issuer's revocation list names this card's revocation identifier.
    CredentialRevoked {
        /// The card's `rid`.
        rid: String,
    },
}

impl Error {
    /// The stable kebab-case code of this error, for programs and translations.
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "input-too-large",
            Error::NoteMalformed { .. } => "note-malformed",
            Error::KeyMalformed { .. } => "key-malformed",
            Error::KeyAmbiguous { .. } => "key-ambiguous",
            Error::SignatureInvalid { .. } => "signature-invalid",
            Error::KeyUnknown => "key-unknown",
            Error::CheckpointMalformed { .. } => "checkpoint-malformed",
            Error::LogUnknown { .. } => "log-unknown",
            Error::LogSignatureMissing { .. } => "log-signature-missing",
            Error::CosignatureMalformed { .. } => "cosignature-malformed",
            Error::ProofMalformed { .. } => "proof-malformed",
            Error::HashLength { .. } => "hash-length",
            Error::IndexOutOfRange { .. } => "index-out-of-range",
            Error::SizeOutOfRange { .. } => "size-out-of-range",
            Error::ProofLength { .. } => "proof-length",
            Error::ProofMismatch => "proof-mismatch",
            Error::PolicyMalformed { .. } => "policy-malformed",
            Error::QuorumUnsatisfied { .. } => "quorum-unsatisfied",
            Error::JsonMalformed { .. } => "json-malformed",
            Error::JwsMalformed { .. } => "jws-malformed",
            Error::AlgorithmUnsupported { .. } => "algorithm-unsupported",
            Error::SdJwtMalformed { .. } => "sd-jwt-malformed",
            Error::DisclosureUnreferenced => "disclosure-unreferenced",
            Error::DisclosureDuplicate => "disclosure-duplicate",
            Error::DigestReused => "digest-reused",
            Error::DisclosureConflict { .. } => "disclosure-conflict",
            Error::RecordMalformed { .. } => "record-malformed",
            Error::PresentationMalformed { .. } => "presentation-malformed",
            Error::BundleInvalid { .. } => "bundle-invalid",
            Error::TrustListMalformed { .. } => "trust-list-malformed",
            Error::TrustListRollback { .. } => "trust-list-rollback",
            Error::TrustListSignerUnknown => "trust-list-signer-unknown",
            Error::IssuerUnknown { .. } => "issuer-unknown",
            Error::KeyNotValid { .. } => "key-not-valid",
            Error::KeyRevoked { .. } => "key-revoked",
            Error::TimeInvalid { .. } => "time-invalid",
            Error::StatusListInvalid { .. } => "status-list-invalid",
            Error::StatusRevoked { .. } => "status-revoked",
            Error::DocumentUnknown => "document-unknown",
            Error::Base45Malformed { .. } => "base45-malformed",
            Error::CompressionInvalid { .. } => "compression-invalid",
            Error::CborMalformed { .. } => "cbor-malformed",
            Error::CoseMalformed { .. } => "cose-malformed",
            Error::HcertMalformed { .. } => "hcert-malformed",
            Error::CertificateMalformed { .. } => "certificate-malformed",
            Error::KeyUsageInvalid { .. } => "key-usage-invalid",
            Error::Expired { .. } => "expired",
            Error::QrMalformed { .. } => "qr-malformed",
            Error::ShcMalformed { .. } => "shc-malformed",
            Error::JwkMalformed { .. } => "jwk-malformed",
            Error::CrlMalformed { .. } => "crl-malformed",
            Error::CredentialRevoked { .. } => "status-revoked",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::TooLarge { what, limit } => write!(f, "{what} is larger than the limit of {limit}"),
            Error::NoteMalformed { reason } => write!(f, "malformed signed note: {reason}"),
            Error::KeyMalformed { reason } => write!(f, "malformed verifier key: {reason}"),
            Error::KeyAmbiguous { name, key_id } => {
                write!(f, "two trusted keys are named {name}+{key_id:08x}; which one signed is ambiguous")
            }
            Error::SignatureInvalid { key } => {
                write!(f, "the signature by trusted key {key} does not verify")
            }
            Error::KeyUnknown => write!(f, "no signature on the note is from a trusted key"),
            Error::CheckpointMalformed { reason } => write!(f, "malformed checkpoint: {reason}"),
            Error::LogUnknown { origin } => write!(f, "no trusted log has the origin {origin:?}"),
            Error::LogSignatureMissing { origin } => {
                write!(f, "the checkpoint is not signed by the trusted key of log {origin:?}")
            }
            Error::CosignatureMalformed { reason } => write!(f, "malformed cosignature: {reason}"),
            Error::ProofMalformed { reason } => write!(f, "malformed proof: {reason}"),
            Error::HashLength { found } => write!(f, "a hash is {found} bytes long; 32 are required"),
            Error::IndexOutOfRange { leaf_index, tree_size } => {
                write!(f, "leaf index {leaf_index} is not below tree size {tree_size}")
            }
            Error::SizeOutOfRange { size1, size2 } => {
                write!(f, "no consistency proof can lead from tree size {size1} to {size2}")
            }
            Error::ProofLength { expected, found } => {
                write!(f, "the proof has {found} hashes where {expected} are required")
            }
            Error::ProofMismatch => write!(f, "the proof does not lead to the expected root hash"),
            Error::PolicyMalformed { reason, line: 0 } => write!(f, "malformed policy: {reason}"),
            Error::PolicyMalformed { reason, line } => {
                write!(f, "malformed policy, line {line}: {reason}")
            }
            Error::QuorumUnsatisfied { cosigned, required } => write!(
                f,
                "{cosigned} trusted witnesses cosigned the checkpoint; the policy requires {required}"
            ),
            Error::JsonMalformed { reason, offset } => {
                write!(f, "malformed JSON at byte {offset}: {reason}")
            }
            Error::JwsMalformed { reason } => write!(f, "malformed JWS: {reason}"),
            Error::AlgorithmUnsupported { alg } => {
                write!(f, "the signature algorithm {alg:?} is not accepted for this document")
            }
            Error::SdJwtMalformed { reason } => write!(f, "malformed SD-JWT: {reason}"),
            Error::DisclosureUnreferenced => {
                write!(f, "a disclosure matches no digest the issuer signed")
            }
            Error::DisclosureDuplicate => write!(f, "the same disclosure is included twice"),
            Error::DigestReused => write!(f, "a disclosure digest appears more than once"),
            Error::DisclosureConflict { name } => {
                write!(f, "the disclosure of {name:?} would replace a signed claim")
            }
            Error::RecordMalformed { reason } => write!(f, "not a HealthProof record: {reason}"),
            Error::BundleInvalid { path, reason } => write!(f, "not an IPS document at {path}: {reason}"),
            Error::PresentationMalformed { reason } => write!(f, "malformed presentation: {reason}"),
            Error::TrustListMalformed { reason, line: 0 } => write!(f, "malformed trust list: {reason}"),
            Error::TrustListMalformed { reason, line } => {
                write!(f, "malformed trust list, line {line}: {reason}")
            }
            Error::TrustListRollback { sequence, seen } => write!(
                f,
                "trust list {sequence} is older than trust list {seen}, already accepted"
            ),
            Error::TrustListSignerUnknown => {
                write!(f, "the trust list is not signed by a key allowed to sign trust lists")
            }
            Error::IssuerUnknown { kid } => write!(f, "no trusted issuer has the key {kid:?}"),
            Error::KeyNotValid { reason } => write!(f, "the issuer key was not valid: {reason}"),
            Error::KeyRevoked { revoked_at, reason } => {
                write!(
                    f,
                    "the issuer key was revoked on {} ({reason}), before the ledger shows the record",
                    crate::time::rfc3339(*revoked_at)
                )
            }
            Error::TimeInvalid { reason } => write!(f, "implausible time: {reason}"),
            Error::StatusListInvalid { reason } => write!(f, "unusable status list: {reason}"),
            Error::StatusRevoked { status: 2 } => write!(f, "the issuer has suspended this record"),
            Error::StatusRevoked { status } => {
                write!(f, "the issuer has revoked this record (status {status})")
            }
            Error::DocumentUnknown => write!(
                f,
                "not a document this verifier reads (healthproof/v1, HC1:, shc:/, a SMART Health Card JWS or file)"
            ),
            Error::Base45Malformed { reason } => write!(f, "malformed Base45: {reason}"),
            Error::CompressionInvalid { reason } => write!(f, "the data does not inflate: {reason}"),
            Error::CborMalformed { reason } => write!(f, "malformed CBOR: {reason}"),
            Error::CoseMalformed { reason } => write!(f, "malformed COSE_Sign1: {reason}"),
            Error::HcertMalformed { reason } => {
                write!(f, "not an EU Digital COVID Certificate: {reason}")
            }
            Error::CertificateMalformed { reason } => write!(f, "unusable X.509 certificate: {reason}"),
            Error::KeyUsageInvalid { kind } => write!(
                f,
                "the signer certificate's extended key usage does not allow {kind} certificates"
            ),
            Error::Expired { exp } => {
                write!(f, "the document expired on {}", crate::time::rfc3339(*exp))
            }
            Error::QrMalformed { reason } => write!(f, "malformed SMART Health Card QR text: {reason}"),
            Error::ShcMalformed { reason } => write!(f, "not a SMART Health Card: {reason}"),
            Error::JwkMalformed { reason } => write!(f, "unusable JSON Web Key: {reason}"),
            Error::CrlMalformed { reason } => write!(f, "malformed revocation list: {reason}"),
            Error::CredentialRevoked { rid } => {
                write!(f, "the issuer has revoked this card (revocation id {rid})")
            }
        }
    }
}

impl std::error::Error for Error {}
