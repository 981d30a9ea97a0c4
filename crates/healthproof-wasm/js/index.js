// HealthProof: verify signed health records and transparency-log proofs, offline.
// One wasm build for Node (>= 18), browsers (<script type="module">) and bundlers.
import initWasm, * as wasm from './wasm/healthproof.js';

/** A verification or input error, with a stable `code` (e.g. `proof-mismatch`). */
export class VerifyError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'VerifyError';
    this.code = code;
  }
}

const wasmUrl = new URL('./wasm/healthproof_bg.wasm', import.meta.url);
if (typeof process !== 'undefined' && process.versions?.node && wasmUrl.protocol === 'file:') {
  // A computed specifier: bundlers for the browser must not try to resolve a Node module.
  const fs = 'node:fs/promises';
  const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fs);
  wasm.initSync({ module: await readFile(wasmUrl) });
} else {
  await initWasm({ module_or_path: wasmUrl });
}

/** Calls into wasm, turning its exceptions into VerifyError instances. */
function call(fn, ...args) {
  try {
    return fn(...args);
  } catch (e) {
    if (e && e.name === 'VerifyError') throw new VerifyError(e.message, e.code);
    throw e;
  }
}

export const verify = (presentation, trustList, options) => call(wasm.verify, presentation, trustList, options);
export const verifyNote = (note, keys) => call(wasm.verifyNote, note, keys);
export const verifyCheckpoint = (checkpoint, policy) => call(wasm.verifyCheckpoint, checkpoint, policy);
export const verifyInclusion = (leafHash, index, size, proof, root) =>
  call(wasm.verifyInclusion, leafHash, index, size, proof, root);
export const verifyConsistency = (size1, size2, proof, root1, root2) =>
  call(wasm.verifyConsistency, size1, size2, proof, root1, root2);
export const parseTrustList = (trustList, signers, minSequence) =>
  call(wasm.parseTrustList, trustList, signers, minSequence);
export const disclose = (presentation, names) => call(wasm.disclose, presentation, names);
export const version = () => wasm.version();

/**
 * Optional, online: re-proves a presentation's record against the log's newest checkpoint,
 * reading c2sp.org/tlog-tiles from `tilesBaseUrl`, and returns the refreshed presentation with
 * a consistency proof from its old checkpoint. Never needed to verify; verify the result as any
 * presentation (the new checkpoint's signatures and witnesses are checked there).
 */
export async function refreshProof(presentation, tilesBaseUrl, { fetch: fetchFn = globalThis.fetch } = {}) {
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
}
