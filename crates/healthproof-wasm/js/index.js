// HealthProof: verify signed health records and transparency-log proofs, offline.
// One wasm build for Node (>= 18), browsers (<script type="module">) and bundlers. Code that
// cannot use top-level await (a Manifest V3 service worker) imports `healthproof/init`.
import initWasm, * as wasm from './wasm/healthproof.js';
import { bind } from './api.js';

export { VerifyError } from './api.js';

const wasmUrl = new URL('./wasm/healthproof_bg.wasm', import.meta.url);
if (typeof process !== 'undefined' && process.versions?.node && wasmUrl.protocol === 'file:') {
  // A computed specifier: bundlers for the browser must not try to resolve a Node module.
  const fs = 'node:fs/promises';
  const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fs);
  wasm.initSync({ module: await readFile(wasmUrl) });
} else {
  await initWasm({ module_or_path: wasmUrl });
}

export const {
  verify, verifyAsync, verifyNote, verifyCheckpoint, verifyInclusion, verifyConsistency, parseTrustList,
  disclose, version, refreshProof,
} = bind(wasm);
