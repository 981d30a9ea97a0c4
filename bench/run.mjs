// `node bench/run.mjs` (or `cargo xtask bench`): our wasm beside the JavaScript peers, side by
// side in one run, in Node and in headless Chromium (bench/suite.mjs, the same code in both);
// then the cold start in Chromium and the package size. Prints Markdown tables with ratios.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import * as ed from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import * as hp from '../target/npm/healthproof/index.js';
import { suite } from './suite.mjs';
// Chromium is started the way the browser tests start it (tests/js's playwright-core).
import { withPage } from '../tests/js/browser.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const pkg = join(root, 'target/npm/healthproof');
const ex = (p) => readFileSync(join(root, 'examples', p), 'utf8');
const data = {
  presentation: ex('presentations/de-anna-schmidt-partial.hproof'),
  trust: ex('trust-list.txt'),
  signer: ex('trust-list-signer.txt').trim(),
  now: 1795348800,
};

const node = await suite({ hp, ed, sha256, sha512, subtle: globalThis.crypto.subtle, ...data });

// The same suite in headless Chromium, from one esbuild bundle.
const dir = mkdtempSync(join(tmpdir(), 'hp-bench-'));
writeFileSync(join(dir, 'entry.mjs'), `
  import * as hp from ${JSON.stringify(join(pkg, 'index.js'))};
  import * as ed from '@noble/ed25519';
  import { sha256, sha512 } from '@noble/hashes/sha2.js';
  import { suite } from ${JSON.stringify(join(root, 'bench/suite.mjs'))};
  const data = await fetch('/data.json').then((r) => r.json());
  window.results = await suite({ hp, ed, sha256, sha512, subtle: crypto.subtle, ...data });`);
execFileSync(join(root, 'bench/node_modules/.bin/esbuild'), [join(dir, 'entry.mjs'), '--bundle', '--format=esm', '--target=es2022',
  `--outfile=${join(dir, 'app.js')}`, '--log-level=error'],
  { cwd: join(root, 'bench'), env: { ...process.env, NODE_PATH: join(root, 'bench/node_modules') } });
const wasmBytes = readFileSync(join(pkg, 'wasm/healthproof_bg.wasm'));
const files = {
  '/': ['text/html', '<!doctype html><script type="module" src="/app.js"></script>'],
  '/app.js': ['text/javascript', readFileSync(join(dir, 'app.js'))],
  '/healthproof_bg.wasm': ['application/wasm', wasmBytes],
  '/data.json': ['application/json', JSON.stringify(data)],
  // Cold start: the package as published, imported by a page that has never seen it.
  '/cold.html': ['text/html', '<!doctype html><script type="module" src="/cold.js"></script>'],
  '/cold.js': ['text/javascript', `
    const data = await fetch('/data.json').then((r) => r.json());
    // The issue's cold start: instantiate plus first verify, the bytes already in memory (as
    // in the extension, which embeds them, or a page whose service worker has them).
    const bytes = await fetch('/pkg/wasm/healthproof_bg.wasm').then((r) => r.arrayBuffer());
    const glue = await import('/pkg/wasm/healthproof.js');
    const o = { trustListSigners: [data.signer], now: data.now };
    const t0 = performance.now();
    glue.initSync({ module: bytes });
    const t1 = performance.now();
    const r = glue.verify(data.presentation, data.trust, o);
    const t2 = performance.now();
    window.cold = { instantiate: t1 - t0, total: t2 - t0, verdict: r.verdict };`],
  // The same, as a page sees it: import the package, which fetches and compiles its wasm.
  '/import.html': ['text/html', '<!doctype html><script type="module" src="/import.js"></script>'],
  '/import.js': ['text/javascript', `
    const data = await fetch('/data.json').then((r) => r.json());
    const t0 = performance.now();
    const hp = await import('/pkg/index.js');
    const r = hp.verify(data.presentation, data.trust, { trustListSigners: [data.signer], now: data.now });
    window.cold = { total: performance.now() - t0, verdict: r.verdict };`],
  '/pkg/index.js': ['text/javascript', readFileSync(join(pkg, 'index.js'))],
  '/pkg/api.js': ['text/javascript', readFileSync(join(pkg, 'api.js'))],
  '/pkg/wasm/healthproof.js': ['text/javascript', readFileSync(join(pkg, 'wasm/healthproof.js'))],
  '/pkg/wasm/healthproof_bg.wasm': ['application/wasm', wasmBytes],
};
const { chromium, cold } = await withPage(files, async (tab) => {
  await tab.waitForFunction(() => window.results, null, { timeout: 300000 });
  const results = await tab.evaluate(() => window.results);
  // Twenty cold starts of each kind, each in a fresh browser context (empty caches).
  const samples = { memory: [], page: [] };
  for (const [kind, path] of [['memory', '/cold.html'], ['page', '/import.html']]) {
    for (let i = 0; i < 20; i++) {
      const context = await tab.context().browser().newContext();
      const page = await context.newPage();
      await page.goto(new URL(path, tab.url()).href);
      await page.waitForFunction(() => window.cold, null, { timeout: 30000 });
      samples[kind].push(await page.evaluate(() => window.cold));
      await context.close();
    }
  }
  return { chromium: results, cold: samples };
});

const fmt = (r) => (r ? `${r.perSecond >= 100 ? r.perSecond.toFixed(0) : r.perSecond.toFixed(1)}/s (${r.median >= 1 ? r.median.toFixed(2) + ' ms' : (r.median * 1000).toFixed(0) + ' µs'})` : '—');
const ratio = (a, b) => (a && b ? `${(a.perSecond / b.perSecond).toFixed(2)}×` : '—');
console.log('| operation | runtime | healthproof wasm | JS + WebCrypto | JS + @noble | wasm vs WebCrypto | wasm vs @noble |');
console.log('|---|---|---|---|---|---|---|');
for (const [runtime, rows] of [[`Node ${process.versions.node.split('.')[0]}`, node], ['Chromium', chromium]]) {
  for (const r of rows) {
    console.log(`| ${r.op} | ${runtime} | ${fmt(r.wasm)} | ${fmt(r.webcrypto)} | ${fmt(r.noble)} | ${ratio(r.wasm, r.webcrypto)} | ${ratio(r.wasm, r.noble)} |`);
  }
}
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[xs.length >> 1];
const all = [...cold.memory, ...cold.page];
if (all.some((c) => c.verdict !== 'verified')) throw new Error('a cold start did not verify');
const ms = (xs) => `median ${median(xs).toFixed(1)} ms, worst ${Math.max(...xs).toFixed(1)} ms`;
console.log(`\ncold start in Chromium, fresh context each, ${cold.memory.length} runs: instantiate + first verify ` +
  `${ms(cold.memory.map((c) => c.total))} (instantiate alone ${ms(cold.memory.map((c) => c.instantiate))}); ` +
  `importing the package from a local server (fetch, compile, first verify) ${ms(cold.page.map((c) => c.total))}`);
const parts = ['wasm/healthproof_bg.wasm', 'wasm/healthproof.js', 'index.js', 'api.js'].map((f) => readFileSync(join(pkg, f)));
const raw = parts.reduce((n, b) => n + b.length, 0);
const gz = parts.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
console.log(`package size: wasm + JS glue ${raw.toLocaleString('en')} bytes, ${gz.toLocaleString('en')} gzip -9 ` +
  `(wasm alone ${wasmBytes.length.toLocaleString('en')} / ${gzipSync(wasmBytes, { level: 9 }).length.toLocaleString('en')})`);
