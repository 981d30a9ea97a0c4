// The trust list in use: the demo list bundled with the page, or a signed list the user
// imported, kept in localStorage with the highest sequence ever accepted (rollback
// protection, docs/FORMAT.md §5). Verification itself is the core's: this module only
// remembers what was accepted and with which signer keys.

const KEY = 'healthproof.trust.v1';

/** The signer keys a verified trust list names for its successor (`signer` lines). */
export function signerLines(text) {
  const body = String(text).split('\n\n')[0];
  return body.split('\n').filter((l) => l.startsWith('signer ')).map((l) => l.slice(7).trim());
}

export class TrustStore {
  /** @param {{ text: string, signer: string }} bundled */
  constructor(bundled) {
    this.bundled = bundled;
    this.storageOk = true;
    /** @type {{ text: string, signers: string[], sequence: number } | null} */
    this.imported = null;
    this.minSequence = 0;
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null');
      if (saved && typeof saved === 'object') {
        if (Number.isSafeInteger(saved.minSequence)) this.minSequence = saved.minSequence;
        const i = saved.imported;
        if (i && typeof i.text === 'string' && Array.isArray(i.signers) && Number.isSafeInteger(i.sequence)) this.imported = i;
      }
    } catch {
      this.storageOk = false;
    }
  }

  /** The list to verify with, the keys allowed to sign it, and the rollback floor. */
  active() {
    const i = this.imported;
    return i
      ? { text: i.text, signers: i.signers, minSequence: this.minSequence, imported: true }
      : { text: this.bundled.text, signers: [this.bundled.signer], minSequence: this.minSequence, imported: false };
  }

  /** Keys allowed to sign a new list: the built-in signer and the active list's successors. */
  allowedForNext() {
    return [...new Set([this.bundled.signer, ...signerLines(this.active().text)])];
  }

  /** Records a list the core accepted (`sequence` from parseTrustList) with `signers`. */
  accept(text, signers, sequence) {
    this.imported = { text, signers, sequence };
    this.minSequence = Math.max(this.minSequence, sequence);
    return this.save();
  }

  /** Records that the bundled list was verified (its sequence is the floor too). */
  acceptBundled(sequence) {
    if (sequence > this.minSequence) {
      this.minSequence = sequence;
      this.save();
    }
  }

  save() {
    try {
      localStorage.setItem(KEY, JSON.stringify({ minSequence: this.minSequence, imported: this.imported }));
      return true;
    } catch {
      this.storageOk = false;
      return false;
    }
  }
}
