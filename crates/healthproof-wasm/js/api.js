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

/** The public functions, calling into `wasm` and turning its exceptions into VerifyError. */
export function bind(wasm) {
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
