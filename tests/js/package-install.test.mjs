// The npm tarball as a developer gets it: `npm pack`, installed into a fresh project, type
// checked by tsc, verifying a demo record in Node; and an esbuild bundle of it verifying one
// in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage, CHROMIUM } from './browser.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = fileURLToPath(new URL('../../target/npm/healthproof/', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const bin = (name) => join(here, 'node_modules', '.bin', name);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The record corpus, each case with its name. */
function corpus() {
  const dir = fileURLToPath(new URL('../vectors/records/cases/', import.meta.url));
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => ({ name: f, ...JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}

const project = mkdtempSync(join(tmpdir(), 'hp-npm-'));
const tarball = run('npm', ['pack', '--silent', '--pack-destination', project], pkg).trim().split('\n').pop();

test('the packed tarball installs into a fresh project and verifies a demo record in Node', () => {
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(project, tarball)], project);
  writeFileSync(join(project, 'check.mjs'), `
    import { verify } from 'healthproof';
    import { readFileSync } from 'node:fs';
    const ex = ${JSON.stringify(examples)};
    const r = verify(readFileSync(ex + 'presentations/fr-camille-lefevre-partial.hproof'),
      readFileSync(ex + 'trust-list.txt', 'utf8'),
      { trustListSigners: [readFileSync(ex + 'trust-list-signer.txt', 'utf8').trim()], now: 1795348800 });
    console.log(r.verdict, r.issuer.country);`);
  assert.equal(run('node', ['check.mjs'], project).trim(), 'verified FR');
  const files = run('npm', ['pack', '--dry-run', '--json'], pkg);
  const names = JSON.parse(files)[0].files.map((f) => f.path).sort();
  assert.deepEqual(names, ['README.md', 'api.js', 'index.d.ts', 'index.js', 'init.d.ts', 'init.js', 'package.json', 'wasm/healthproof.js', 'wasm/healthproof_bg.wasm']);
  // healthproof/init: the same API for code that instantiates the wasm itself (no top-level await).
  writeFileSync(join(project, 'manual.mjs'), `
    import { initSync, VerifyError } from 'healthproof/init';
    import * as main from 'healthproof';
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    const wasm = readFileSync(createRequire(import.meta.url).resolve('healthproof/wasm/healthproof_bg.wasm'));
    const hp = initSync(wasm);
    const ex = ${JSON.stringify(examples)};
    const r = hp.verify(readFileSync(ex + 'presentations/ee-liisa-kask-partial.hproof'), readFileSync(ex + 'trust-list.txt'),
      { trustListSigners: [readFileSync(ex + 'trust-list-signer.txt', 'utf8').trim()], now: 1795348800 });
    let same = false;
    try { hp.verifyNote('x', []); } catch (e) { same = e instanceof VerifyError && e instanceof main.VerifyError; }
    console.log(r.verdict, r.issuer.country, same);`);
  assert.equal(run('node', ['manual.mjs'], project).trim(), 'verified EE true');
});

test('tsc --noEmit accepts a strictly typed example against the installed package', () => {
  cpSync(join(here, 'typed'), join(project, 'typed'), { recursive: true });
  run(bin('tsc'), ['-p', join(project, 'typed', 'tsconfig.json')], project);
});

test('an esbuild bundle of the package verifies a demo record in headless Chromium', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip('Chromium is not installed (cargo xtask setup installs it)');
    return;
  }
  const page = join(project, 'web');
  cpSync(join(project, 'node_modules', 'healthproof', 'wasm', 'healthproof_bg.wasm'), join(page, 'healthproof_bg.wasm'));
  writeFileSync(join(page, 'entry.mjs'), `
    import { verify, verifyAsync } from 'healthproof';
    const get = (p) => fetch(p).then((r) => r.text());
    const [presentation, trust, signer] = await Promise.all([get('/p.hproof'), get('/trust.txt'), get('/signer.txt')]);
    const r = verify(presentation, trust, { trustListSigners: [signer.trim()], now: 1795348800 });
    // Then the whole record corpus, in this browser, by verify and by verifyAsync (whose
    // Ed25519 equations go to Chromium's WebCrypto: counted here).
    const real = SubtleCrypto.prototype.verify;
    let webCrypto = 0;
    SubtleCrypto.prototype.verify = function (...args) { webCrypto += 1; return real.apply(this, args); };
    const cases = await fetch('/cases.json').then((x) => x.json());
    const wrong = [];
    const asyncDiffers = [];
    for (const c of cases) {
      const o = c.options ?? {};
      const input = c.presentation !== undefined ? c.presentation
        : c.presentation_base64 !== undefined ? Uint8Array.from(atob(c.presentation_base64), (ch) => ch.charCodeAt(0))
        : c.presentation_repeat.unit.repeat(c.presentation_repeat.count);
      const options = { trustListSigners: c.trust_list_signers, now: c.now,
        minTrustListSequence: o.min_trust_list_sequence, maxTrustListAge: o.max_trust_list_age, statusLists: o.status_lists };
      const rep = verify(input, c.trust_list, options);
      const check = rep.checks.find((k) => k.id === c.expected.check);
      if (rep.verdict !== c.expected.verdict || check.code !== c.expected.code) wrong.push(c.name);
      const viaWebCrypto = await verifyAsync(input, c.trust_list, options);
      if (JSON.stringify(viaWebCrypto) !== JSON.stringify(rep)) asyncDiffers.push(c.name);
    }
    window.corpus = { total: cases.length, wrong, asyncDiffers, webCrypto };
    document.title = r.verdict + ' ' + r.issuer.country;`);
  run(bin('esbuild'), [join(page, 'entry.mjs'), '--bundle', '--format=esm', '--target=es2022', `--outfile=${join(page, 'app.js')}`,
    '--loader:.wasm=file', '--log-level=error'], project);
  const files = {
    '/': ['text/html', '<!doctype html><script type="module" src="/app.js"></script>'],
    '/app.js': ['text/javascript', readFileSync(join(page, 'app.js'))],
    '/healthproof_bg.wasm': ['application/wasm', readFileSync(join(page, 'healthproof_bg.wasm'))],
    '/p.hproof': ['text/plain', readFileSync(join(examples, 'presentations/it-giuseppe-russo-partial.hproof'))],
    '/trust.txt': ['text/plain', readFileSync(join(examples, 'trust-list.txt'))],
    '/signer.txt': ['text/plain', readFileSync(join(examples, 'trust-list-signer.txt'))],
    '/cases.json': ['application/json', JSON.stringify(corpus())],
  };
  await withPage(files, async (tab) => {
    await tab.waitForFunction(() => document.title !== '', null, { timeout: 120000 });
    assert.equal(await tab.title(), 'verified IT');
    const corpusResult = await tab.evaluate(() => window.corpus);
    assert.ok(corpusResult.total >= 40);
    assert.deepEqual(corpusResult.wrong, [], 'every record case gives its expected verdict and code in Chromium');
    assert.deepEqual(corpusResult.asyncDiffers, [], 'verifyAsync gives verify\'s report on every case in Chromium');
    assert.ok(corpusResult.webCrypto >= corpusResult.total, `${corpusResult.webCrypto} WebCrypto Ed25519 verifications`);
    console.log(`chromium: ${corpusResult.total} record cases passed, verifyAsync the same (${corpusResult.webCrypto} WebCrypto Ed25519 verifications)`);
  });
});

/** Every file below `dir` as a `withPage` map, plus the demo data the app fetches. */
function site(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const files = {
    '/p.hproof': ['text/plain', readFileSync(join(examples, 'presentations/pl-krzysztof-wisniewski-partial.hproof'))],
    '/trust.txt': ['text/plain', readFileSync(join(examples, 'trust-list.txt'))],
    '/signer.txt': ['text/plain', readFileSync(join(examples, 'trust-list-signer.txt'))],
  };
  const walk = (d, prefix) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) { walk(join(d, e.name), `${prefix}${e.name}/`); continue; }
      const ext = e.name.slice(e.name.lastIndexOf('.'));
      files[`/${prefix}${e.name}`] = [types[ext] ?? 'application/octet-stream', readFileSync(join(d, e.name))];
    }
  };
  walk(dir, '');
  files['/'] = files['/index.html'];
  return files;
}

/** The app each bundler builds: verify a demo record, put the verdict in the title. */
const APP = `
  import { verify } from 'healthproof';
  const get = (p) => fetch(p).then((r) => r.text());
  const [presentation, trust, signer] = await Promise.all([get('/p.hproof'), get('/trust.txt'), get('/signer.txt')]);
  const r = verify(presentation, trust, { trustListSigners: [signer.trim()], now: 1795348800 });
  document.title = r.verdict + ' ' + r.issuer.country;`;

async function verdictIn(dir) {
  return withPage(site(dir), async (tab) => {
    await tab.waitForFunction(() => document.title !== '', null, { timeout: 120000 });
    return tab.title();
  });
}

test('a Vite production build of the package verifies a demo record in headless Chromium', async (t) => {
  if (!existsSync(CHROMIUM)) { t.skip('Chromium is not installed (cargo xtask setup installs it)'); return; }
  const app = join(project, 'vite-app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'main.js'), APP);
  writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  const { build } = await import('vite');
  await build({ root: app, logLevel: 'silent', configFile: false, build: { target: 'es2022', outDir: join(app, 'dist') } });
  assert.equal(await verdictIn(join(app, 'dist')), 'verified PL');
});

test('a webpack production build of the package verifies a demo record in headless Chromium', async (t) => {
  if (!existsSync(CHROMIUM)) { t.skip('Chromium is not installed (cargo xtask setup installs it)'); return; }
  const app = join(project, 'webpack-app');
  mkdirSync(join(app, 'dist'), { recursive: true });
  writeFileSync(join(app, 'main.js'), APP);
  writeFileSync(join(app, 'dist', 'index.html'), '<!doctype html><script src="/main.js"></script>');
  const { default: webpack } = await import('webpack');
  const stats = await new Promise((ok, fail) => webpack({
    mode: 'production', context: app, entry: './main.js',
    resolve: { modules: [join(project, 'node_modules'), 'node_modules'] },
    output: { path: join(app, 'dist'), filename: 'main.js', publicPath: '/' },
  }, (err, s) => (err ? fail(err) : ok(s))));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  assert.equal(await verdictIn(join(app, 'dist')), 'verified PL');
});
