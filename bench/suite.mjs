// The benchmark suite, the same code in Node and (bundled) in Chromium: each operation done by
// our wasm and by the JavaScript peers (WebCrypto; @noble), measured side by side.
import { verifyPipeline, webCrypto, noble, ledgerProof, inclusion } from './pipeline.mjs';

/** Calls `fn` repeatedly for about `seconds`; returns calls per second and the median time. */
export async function measure(fn, seconds = 2) {
  for (let i = 0; i < 20; i++) await fn(); // warm up
  const times = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { perSecond: times.length / (times.reduce((a, b) => a + b, 0) / 1000), median: times[times.length >> 1] };
}

const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/**
 * Runs every operation in this runtime. Returns rows `{ op, wasm, webcrypto, noble }`, each
 * figure `{ perSecond, median }` or null where that implementation has no such operation.
 */
export async function suite({ hp, ed, sha256, sha512, subtle, presentation, trust, signer, now }) {
  const wc = webCrypto(subtle);
  const nb = noble(ed, sha256, sha512);
  const must = (ok, what) => { if (!ok) throw new Error(`${what} must succeed on the demo data`); };
  const rows = [];

  // One demo presentation, every check.
  const ours = () => must(hp.verify(presentation, trust, { trustListSigners: [signer], now }).verdict === 'verified', 'wasm verify');
  must(await verifyPipeline(wc, presentation, trust, signer), 'WebCrypto pipeline');
  must(await verifyPipeline(nb, presentation, trust, signer), '@noble pipeline');
  // verifyAsync: the same checks with the Ed25519 equations done by WebCrypto.
  const oursAsync = async () => must((await hp.verifyAsync(presentation, trust, { trustListSigners: [signer], now })).verdict === 'verified', 'wasm verifyAsync');
  const peers = {
    webcrypto: await measure(() => verifyPipeline(wc, presentation, trust, signer)),
    noble: await measure(() => verifyPipeline(nb, presentation, trust, signer)),
  };
  rows.push({ op: 'verify one demo presentation', wasm: await measure(ours), ...peers });
  rows.push({ op: 'the same, verifyAsync (Ed25519 equations by WebCrypto)', wasm: await measure(oursAsync), ...peers });

  // One Ed25519 signature: the trust list's. Ours goes through verifyNote (parsing included);
  // the peers get the parsed key, message and signature.
  const split = trust.lastIndexOf('\n\n');
  const message = new TextEncoder().encode(trust.slice(0, split + 1));
  const signature = b64(trust.slice(split + 2).trim().split(' ').pop()).slice(4);
  const key = b64(signer.split('+').slice(2).join('+')).slice(1);
  must(await wc.verify(key, message, signature) && nb.verify(key, message, signature), 'peer Ed25519');
  rows.push({ op: 'Ed25519: one signature (ours: a whole signed note)', wasm: await measure(() => hp.verifyNote(trust, [signer])),
    webcrypto: await measure(() => wc.verify(key, message, signature)),
    noble: await measure(() => nb.verify(key, message, signature)) });

  // The demo's RFC 9162 inclusion proof.
  const { index, hashes, checkpointText } = ledgerProof(presentation);
  const [, size, root] = checkpointText.split('\n');
  const jwt = presentation.split('\n')[1].split('~')[0];
  const leaf = new Uint8Array(await subtle.digest('SHA-256', new Uint8Array([0, ...new TextEncoder().encode(jwt)])));
  const rootBytes = b64(root);
  hp.verifyInclusion(leaf, Number(index), Number(size), hashes, rootBytes);
  must(await inclusion(wc, leaf, index, BigInt(size), hashes, rootBytes), 'peer inclusion');
  rows.push({ op: `inclusion proof (${hashes.length} hashes)`,
    wasm: await measure(() => hp.verifyInclusion(leaf, Number(index), Number(size), hashes, rootBytes)),
    webcrypto: await measure(() => inclusion(wc, leaf, index, BigInt(size), hashes, rootBytes)),
    noble: await measure(() => inclusion(nb, leaf, index, BigInt(size), hashes, rootBytes)) });

  // SHA-256 of 1 MiB: the package exports no raw hash, so only the peers (and native).
  const mib = new Uint8Array(1 << 20).map((_, i) => i * 31);
  rows.push({ op: 'SHA-256, 1 MiB', wasm: null,
    webcrypto: await measure(() => wc.sha256(mib), 1), noble: await measure(() => nb.sha256(mib), 1) });
  return rows;
}
