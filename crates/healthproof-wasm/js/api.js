// The package's API over an instantiated wasm-bindgen module. No top-level await and no
// loading here: `index.js` instantiates for Node, browsers and bundlers; `init.js` lets code
// that must instantiate itself (a Manifest V3 service worker, a worker with embedded bytes)
// do so. Both hand the same functions and the same VerifyError class to their callers.

/** A verification or input error, with a stable `code` (e.g. `proof-mismatch`). */
export class VerifyError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'VerifyError';
    this.code = code;
  }
}

/** Any valid Ed25519 public key (RFC 8032's first test key): imported once to learn whether
 * this runtime's WebCrypto has Ed25519. */
const PROBE_KEY = new Uint8Array([
  0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
  0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
]);

/**
 * WebCrypto's Ed25519, for `verifyAsync`: `holds(signatures)` resolves to true when every
 * recorded curve equation holds, false when one does not or WebCrypto cannot tell (no Ed25519
 * in this runtime, a key it refuses). Imported keys are kept: the log, the witnesses and the
 * issuers sign almost everything.
 */
function webCryptoEd25519() {
  const subtle = globalThis.crypto?.subtle;
  const keys = new Map();
  const importKey = (bytes) => subtle.importKey('raw', bytes, { name: 'Ed25519' }, false, ['verify']);
  let present;
  const key = (bytes) => {
    const id = String.fromCharCode(...bytes);
    let found = keys.get(id);
    if (!found) {
      if (keys.size >= 256) keys.clear();
      found = importKey(bytes);
      found.catch(() => keys.delete(id));
      keys.set(id, found);
    }
    return found;
  };
  return {
    /** Whether this runtime has WebCrypto Ed25519 (asked once). */
    available() {
      present ??= subtle ? importKey(PROBE_KEY).then(() => true, () => false) : Promise.resolve(false);
      return present;
    },
    async holds(signatures) {
      try {
        const results = await Promise.all(signatures.map(async ({ key: k, message, signature }) =>
          subtle.verify({ name: 'Ed25519' }, await key(k), signature, message)));
        return results.every((ok) => ok === true);
      } catch {
        return false;
      }
    },
  };
}

/** The public functions, calling into `wasm` and turning its exceptions into VerifyError. */
export function bind(wasm) {
  const ed25519 = webCryptoEd25519();
  const call = (fn, ...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e && e.name === 'VerifyError') throw new VerifyError(e.message, e.code);
      throw e;
    }
  };
  return {
    verify: (presentation, trustList, options) => call(wasm.verify, presentation, trustList, options),
    /**
     * `verify`, with the Ed25519 curve equations done by WebCrypto where the runtime has it:
     * the wasm runs every other check, including the strict encodings of keys and signatures,
     * and records the equations; the report is kept only if WebCrypto finds that every one
     * holds. Otherwise (or without WebCrypto Ed25519) `verify` runs as usual, so the verdict,
     * the codes and the failing step are always `verify`'s.
     */
    async verifyAsync(presentation, trustList, options) {
      if (options === null || typeof options !== 'object' || !(await ed25519.available())) {
        return call(wasm.verify, presentation, trustList, options);
      }
      // One clock for both passes.
      const opts = options.now === undefined ? { ...options, now: Math.floor(Date.now() / 1000) } : options;
      const { report, signatures } = call(wasm.verifyDeferred, presentation, trustList, opts);
      if (signatures.length === 0 || await ed25519.holds(signatures)) return report;
      return call(wasm.verify, presentation, trustList, opts);
    },
    verifyNote: (note, keys) => call(wasm.verifyNote, note, keys),
    verifyCheckpoint: (checkpoint, policy) => call(wasm.verifyCheckpoint, checkpoint, policy),
    verifyInclusion: (leafHash, index, size, proof, root) => call(wasm.verifyInclusion, leafHash, index, size, proof, root),
    verifyConsistency: (size1, size2, proof, root1, root2) => call(wasm.verifyConsistency, size1, size2, proof, root1, root2),
    parseTrustList: (trustList, signers, minSequence) => call(wasm.parseTrustList, trustList, signers, minSequence),
    disclose: (presentation, names) => call(wasm.disclose, presentation, names),
    version: () => wasm.version(),
    /**
     * Optional, online: re-proves a presentation's record against the log's newest checkpoint,
     * reading c2sp.org/tlog-tiles from `tilesBaseUrl`, and returns the refreshed presentation
     * with a consistency proof from its old checkpoint. Never needed to verify; verify the
     * result as any presentation (the new checkpoint's signatures and witnesses are checked
     * there).
     */
    async refreshProof(presentation, tilesBaseUrl, { fetch: fetchFn = globalThis.fetch } = {}) {
      const base = tilesBaseUrl.replace(/\/+$/, '');
      const get = async (path) => {
        const response = await fetchFn(`${base}/${path}`);
        if (!response.ok) throw new VerifyError(`${base}/${path}: HTTP ${response.status}`, 'fetch-failed');
        return new Uint8Array(await response.arrayBuffer());
      };
      const checkpoint = await get('checkpoint');
      const tiles = {};
      // Each round fetches the tiles the proof walk asked for; a proof needs a handful.
      for (let round = 0; round < 16; round++) {
        const step = call(wasm.refreshStep, presentation, checkpoint, tiles);
        if (!step.needed) return step;
        await Promise.all(step.needed.map(async (path) => { tiles[path] = await get(path); }));
      }
      throw new VerifyError('the log did not provide the tiles a proof needs', 'fetch-failed');
    },
  };
}
