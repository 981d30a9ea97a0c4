// The verifier: the npm package's wasm build, run in the extension's own background context.
//
// The package's `index.js` loads its wasm with top-level await and `import.meta.url`, which a
// Manifest V3 service worker cannot use (no top-level await in a classic worker script, no
// dynamic import). So the background bundle imports the package's wasm-bindgen glue
// (`wasm/healthproof.js`, the same file index.js wraps) and its `healthproof_bg.wasm` bytes,
// which esbuild embeds in the bundle: instantiating them needs no fetch at all, so the CSP can
// forbid every connection. Errors are mapped to `.code` as index.js does.
import initWasm, * as wasm from '../../target/npm/healthproof/wasm/healthproof.js';
import wasmBytes from '../../target/npm/healthproof/wasm/healthproof_bg.wasm';

let ready;

/** Instantiates the wasm once per background lifetime. */
export function init() {
  ready ??= initWasm({ module_or_path: wasmBytes });
  return ready;
}

/** An error with a stable kebab-case code, as the package's VerifyError. */
export class VerifyError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'VerifyError';
    this.code = code;
  }
}

async function call(fn, ...args) {
  await init();
  try {
    return fn(...args);
  } catch (e) {
    if (e && e.name === 'VerifyError') throw new VerifyError(e.message, e.code);
    throw e;
  }
}

/** `verify` of the npm package: a Report; throws VerifyError for bad arguments only. */
export const verify = (presentation, trustList, options) => call(wasm.verify, presentation, trustList, options);

/** `parseTrustList` of the npm package. */
export const parseTrustList = (list, signers, minSequence) => call(wasm.parseTrustList, list, signers, minSequence);

export const version = () => call(wasm.version);
