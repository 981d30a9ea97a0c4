// `healthproof/init`: the same API for code that instantiates the wasm itself, with no
// top-level await and no fetch of its own: a Manifest V3 service worker or a worker that
// embeds the wasm bytes. `await init(bytes)` (or `initSync(bytes)`) returns the functions of
// the main entry; call it once.
import initWasm, * as wasm from './wasm/healthproof.js';
import { bind } from './api.js';

export { VerifyError } from './api.js';

/** Instantiates from the wasm bytes, a compiled WebAssembly.Module, a URL or a Response. */
export async function init(module) {
  await initWasm({ module_or_path: module });
  return bind(wasm);
}

/** Instantiates synchronously from the wasm bytes or a compiled WebAssembly.Module. */
export function initSync(module) {
  wasm.initSync({ module });
  return bind(wasm);
}
