import type * as api from './index.js';

export { VerifyError } from './index.js';

/** The functions of `healthproof`, bound to a wasm instance made by `init` or `initSync`. */
export interface HealthProof {
  verify: typeof api.verify;
  verifyAsync: typeof api.verifyAsync;
  verifyNote: typeof api.verifyNote;
  verifyCheckpoint: typeof api.verifyCheckpoint;
  verifyInclusion: typeof api.verifyInclusion;
  verifyConsistency: typeof api.verifyConsistency;
  parseTrustList: typeof api.parseTrustList;
  disclose: typeof api.disclose;
  version: typeof api.version;
  refreshProof: typeof api.refreshProof;
}

/** Instantiates from the wasm bytes (`wasm/healthproof_bg.wasm`), a compiled module, a URL or a Response. */
export function init(module: BufferSource | WebAssembly.Module | URL | Response | Promise<Response>): Promise<HealthProof>;

/** Instantiates synchronously from the wasm bytes or a compiled module. */
export function initSync(module: BufferSource | WebAssembly.Module): HealthProof;
