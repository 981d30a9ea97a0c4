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
