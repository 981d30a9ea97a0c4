// The verifier: the npm package's wasm build, run in the extension's own background context.
//
// The package's `index.js` loads its wasm with top-level await and `import.meta.url`, which a
// Manifest V3 service worker cannot use (no top-level await in a classic worker script, no
// dynamic import). So the background bundle imports the package's `healthproof/init` entry,
// made for exactly this (the same functions and VerifyError as the main entry, instantiated
// from bytes the caller holds), and the `healthproof_bg.wasm` bytes, which esbuild embeds in
// the bundle: instantiating them needs no fetch at all, so the CSP can forbid every connection.
import { init as instantiate } from '../../target/npm/healthproof/init.js';
import wasmBytes from '../../target/npm/healthproof/wasm/healthproof_bg.wasm';

export { VerifyError } from '../../target/npm/healthproof/init.js';

let ready;

/** Instantiates the wasm once per background lifetime; resolves to the package's functions. */
export function init() {
  ready ??= instantiate(wasmBytes);
  return ready;
}

/**
 * `verify` of the npm package, as its `verifyAsync`: the same Report, with the Ed25519
 * equations done by the browser's WebCrypto where it has Ed25519. Throws VerifyError for bad
 * arguments only.
 */
export const verify = async (presentation, trustList, options) => (await init()).verifyAsync(presentation, trustList, options);

/** `parseTrustList` of the npm package. */
export const parseTrustList = async (list, signers, minSequence) => (await init()).parseTrustList(list, signers, minSequence);

export const version = async () => (await init()).version();
