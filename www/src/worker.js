// The verifier: the healthproof wasm module in a Web Worker, so verifying never blocks the
// page. One request, one answer: { id, op, args } -> { id, ok: true, result } or
// { id, ok: false, error: { code, message } }. It holds no state and reads no clock: the
// page passes `now` with every verification.
import { verifyAsync, disclose, parseTrustList, version } from 'healthproof';

const OPS = {
  // verify's report, with the Ed25519 equations done by the browser's WebCrypto where it can.
  verify: ({ presentation, trustList, options }) => verifyAsync(presentation, trustList, options),
  disclose: ({ presentation, names }) => disclose(presentation, names),
  parseTrustList: ({ trustList, signers, minSequence }) => parseTrustList(trustList, signers, minSequence),
  version: () => version(),
};

self.onmessage = async (event) => {
  const { id, op, args } = event.data ?? {};
  if (typeof id !== 'number' || !Object.hasOwn(OPS, op)) return;
  try {
    self.postMessage({ id, ok: true, result: await OPS[op](args ?? {}) });
  } catch (e) {
    const code = typeof e?.code === 'string' ? e.code : 'internal';
    self.postMessage({ id, ok: false, error: { code, message: String(e?.message ?? e) } });
  }
};
// The module (and its wasm) is loaded: tell the page.
self.postMessage({ ready: true });
