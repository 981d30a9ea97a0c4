// `node bench/run.mjs` (or `cargo xtask bench`): verifying one demo presentation, side by side
// in one run: our wasm in Node and in headless Chromium, and JavaScript pipelines doing the
// same checks with WebCrypto and with @noble. Prints a Markdown table with ratios.
import { readFileSync, mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as ed from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import * as hp from '../target/npm/healthproof/index.js';
import { verifyPipeline, webCrypto, noble } from './pipeline.mjs';
// Chromium is started the way the browser tests start it (tests/js's playwright-core).
import { withPage } from '../tests/js/browser.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const ex = (p) => readFileSync(join(root, 'examples', p), 'utf8');
const presentation = ex('presentations/de-anna-schmidt-partial.hproof');
const trust = ex('trust-list.txt');
const signer = ex('trust-list-signer.txt').trim();
const NOW = 1795348800;

async function measure(fn, seconds = 2) {
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

const results = [];
const ours = () => { if (hp.verify(presentation, trust, { trustListSigners: [signer], now: NOW }).verdict !== 'verified') throw new Error('ours'); };
const wc = webCrypto(globalThis.crypto.subtle);
const nb = noble(ed, sha256, sha512);
if (!(await verifyPipeline(wc, presentation, trust, signer)) || !(await verifyPipeline(nb, presentation, trust, signer))) throw new Error('peer pipelines must verify the demo');
results.push(['healthproof wasm, Node', await measure(ours)]);
results.push(['JS + WebCrypto, Node', await measure(() => verifyPipeline(wc, presentation, trust, signer))]);
results.push(['JS + @noble, Node', await measure(() => verifyPipeline(nb, presentation, trust, signer))]);

// The same three in headless Chromium, from one esbuild bundle.
const dir = mkdtempSync(join(tmpdir(), 'hp-bench-'));
writeFileSync(join(dir, 'entry.mjs'), `
  import * as hp from ${JSON.stringify(join(root, 'target/npm/healthproof/index.js'))};
  import * as ed from '@noble/ed25519';
  import { sha256, sha512 } from '@noble/hashes/sha2.js';
  import { verifyPipeline, webCrypto, noble } from ${JSON.stringify(join(root, 'bench/pipeline.mjs'))};
  ${measure.toString()}
  const [presentation, trust, signer] = await Promise.all(['p', 't', 's'].map((f) => fetch('/' + f).then((r) => r.text())));
  const wc = webCrypto(crypto.subtle), nb = noble(ed, sha256, sha512);
  const out = [];
  const t0 = performance.now();
  out.push(['healthproof wasm, Chromium', await measure(() => hp.verify(presentation, trust, { trustListSigners: [signer.trim()], now: ${NOW} }))]);
  out.push(['JS + WebCrypto, Chromium', await measure(() => verifyPipeline(wc, presentation, trust, signer.trim()))]);
  out.push(['JS + @noble, Chromium', await measure(() => verifyPipeline(nb, presentation, trust, signer.trim()))]);
  window.results = out;`);
execFileSync(join(root, 'bench/node_modules/.bin/esbuild'), [join(dir, 'entry.mjs'), '--bundle', '--format=esm', '--target=es2022',
  `--outfile=${join(dir, 'app.js')}`, '--log-level=error'],
  { cwd: join(root, 'bench'), env: { ...process.env, NODE_PATH: join(root, 'bench/node_modules') } });
cpSync(join(root, 'target/npm/healthproof/wasm/healthproof_bg.wasm'), join(dir, 'healthproof_bg.wasm'));
const files = {
  '/': ['text/html', '<!doctype html><script type="module" src="/app.js"></script>'],
  '/app.js': ['text/javascript', readFileSync(join(dir, 'app.js'))],
  '/healthproof_bg.wasm': ['application/wasm', readFileSync(join(dir, 'healthproof_bg.wasm'))],
  '/p': ['text/plain', presentation], '/t': ['text/plain', trust], '/s': ['text/plain', signer],
};
results.push(...(await withPage(files, async (tab) => {
  await tab.waitForFunction(() => window.results, null, { timeout: 120000 });
  return tab.evaluate(() => window.results);
})));

const base = (name) => results.find(([n]) => n === name)[1].perSecond;
console.log('| verify one demo presentation | per second | median | vs WebCrypto (same runtime) | vs @noble (same runtime) |');
console.log('|---|---|---|---|---|');
for (const [name, r] of results) {
  const runtime = name.split(', ')[1];
  const vs = (peer) => `${(r.perSecond / base(`${peer}, ${runtime}`)).toFixed(2)}×`;
  console.log(`| ${name} | ${r.perSecond.toFixed(0)} | ${(r.median * 1000).toFixed(0)} µs | ${vs('JS + WebCrypto')} | ${vs('JS + @noble')} |`);
}
