/** Text or bytes: every input accepts either. */
export type Input = string | Uint8Array;

/** A verification or input error, with a stable kebab-case `code`. */
export class VerifyError extends Error {
  readonly name: 'VerifyError';
  readonly code: string;
}

export type Verdict = 'verified' | 'verified-with-warnings' | 'not-verified';
export type Outcome = 'passed' | 'failed' | 'warning' | 'not-applicable';
export type CheckId =
  | 'format' | 'trust-list' | 'issuer-known' | 'signature' | 'disclosures'
  | 'checkpoint-signature' | 'witness-quorum' | 'inclusion-proof' | 'key-valid'
  | 'key-not-revoked' | 'issued-at' | 'checkpoint-freshness' | 'trust-list-freshness' | 'status'
  // EU DCC (HCERT) and SMART Health Cards add these.
  | 'claims' | 'key-usage' | 'not-expired';

/** What was verified: a HealthProof presentation, an EU DCC (`HC1:`), a SMART Health Card. */
export type Kind = 'healthproof' | 'hcert' | 'smart-health-card';

export interface Check {
  id: CheckId;
  outcome: Outcome;
  /** Why, for a failure or warning: an error or warning code. */
  code: string | null;
  /** An English sentence; translate from `id`, `outcome` and `code`. */
  message: string;
}

export interface Cosigner {
  name: string;
  keyName: string;
  /** POSIX seconds, or null for a witness without timestamps. */
  timestamp: number | null;
}

/** A FHIR R4 resource or element, as the issuer wrote it (render as text only). */
export type FhirJson = string | number | boolean | null | FhirJson[] | { [key: string]: FhirJson };

export interface Section {
  /** `allergies`, `medications`, `problems`, … */
  key: string;
  /** The IPS section LOINC code. */
  code: string;
  /** The title, in the issuer's language. */
  title: string;
  /** The narrative as plain text. */
  text: string;
  entries: FhirJson[];
}

export interface Report {
  kind: Kind;
  verdict: Verdict;
  checks: Check[];
  issuer: { kid: string; country: string; organisation: string } | null;
  issuedAt: number | null;
  ledger: {
    origin: string;
    treeSize: number;
    leafIndex: number;
    quorum: number;
    /** When a quorum of witnesses had seen the record (POSIX seconds). */
    loggedBy: number | null;
    cosigners: Cosigner[];
  } | null;
  trustList: { sequence: number; issued: number; age: number } | null;
  /** When the document stops being valid (EU DCC `exp`), POSIX seconds; null when it does not say. */
  expiresAt: number | null;
  content: {
    patient: { name?: FhirJson; birthDate?: FhirJson; gender?: FhirJson; identifier?: FhirJson };
    sections: Section[];
  } | null;
}

export interface VerifyOptions {
  /** Verifier keys allowed to sign the trust list. */
  trustListSigners: string[];
  /** POSIX seconds; defaults to now. */
  now?: number;
  /** The highest trust-list sequence already accepted (rollback protection). */
  minTrustListSequence?: number;
  maxTrustListAge?: number;
  maxCheckpointAge?: number;
  /** Status list tokens (JWT) at hand; none when offline. */
  statusLists?: string[];
}

/** Verifies a document against a signed trust list: a HealthProof presentation
 * (`healthproof/v1…`), an EU DCC (`HC1:…`), or a SMART Health Card (`shc:/…` QR text, compact
 * JWS, or a `.smart-health-card` JSON file), told apart by its first bytes. Never throws for a
 * bad document: every problem is a failed check in the report (an unknown format fails
 * `format` with `document-unknown`). Throws VerifyError for bad arguments. */
export function verify(presentation: Input, trustList: Input, options: VerifyOptions): Report;

/** `verify`, with the Ed25519 curve equations checked by WebCrypto where the runtime has it
 * (faster in browsers: Chromium's Ed25519 runs about 2.6× ed25519-dalek in wasm). Every other
 * check, including the strict encodings of keys and signatures, stays in the wasm; if WebCrypto
 * rejects an equation, or has no Ed25519, `verify` runs as usual, so the report is always the
 * one `verify` gives. */
export function verifyAsync(presentation: Input, trustList: Input, options: VerifyOptions): Promise<Report>;

export function verifyNote(note: Input, keys: string[]): {
  text: string;
  verified: { name: string; keyId: string; timestamp: number | null }[];
};

export function verifyCheckpoint(checkpoint: Input, policy: Input): {
  origin: string;
  treeSize: number;
  rootHash: string;
  log: string;
  quorum: number;
  cosigners: Cosigner[];
};

/** Hashes as Uint8Array, 64 hex digits or base64. */
export type HashInput = string | Uint8Array;

export function verifyInclusion(leafHash: HashInput, index: number, size: number, proof: HashInput[], root: HashInput): true;
export function verifyConsistency(size1: number, size2: number, proof: HashInput[], root1: HashInput, root2: HashInput): true;

export interface TrustListInfo {
  sequence: number;
  issued: number;
  issuers: {
    kid: string;
    country: string;
    organisation: string;
    notBefore: number;
    notAfter: number;
    revoked: { at: number; reason: string } | null;
  }[];
  logs: string[];
  witnesses: string[];
  /** EU DCC document signer certificates: country and HCERT key ID (base64, 8 bytes). */
  dccSigners: { country: string; kid: string }[];
  /** SMART Health Card issuer keys: `iss`, the RFC 7638 thumbprint, revoked card count. */
  shcIssuers: { iss: string; kid: string; revoked: number }[];
}

export function parseTrustList(trustList: Input, signers: string[], minSequence?: number): TrustListInfo;

/** The presentation with only the named disclosures (patient fields and section keys). */
export function disclose(presentation: Input, names: string[]): string;

export function version(): string;

export interface Refreshed {
  /** The presentation with its ledger proof against the newest checkpoint. */
  presentation: string;
  /** Base64 RFC 9162 consistency proof from the old checkpoint to the new one. */
  consistency: string[];
  oldSize: number;
  newSize: number;
}

/** Optional and online: re-proves against the log's newest checkpoint, reading its tiles. */
export function refreshProof(
  presentation: Input,
  tilesBaseUrl: string,
  options?: { fetch?: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }> },
): Promise<Refreshed>;
