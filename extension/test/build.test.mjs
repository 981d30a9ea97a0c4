// The built extension, without a browser: both manifests, the permissions, the CSP, the zips,
// the sources' rules (no HTML parsing of data, a courier that cannot talk), the translations,
// and web-ext lint on the Firefox build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CSP } from '../build.mjs';
import { freshBuild } from '../testkit/harness.mjs';
import { collect } from '../src/collect.js';
import { EXTENSION_MESSAGES } from '../src/locales.js';
import { extensionTranslator } from '../src/ui.js';
import { MESSAGES } from '../../www/src/shared/i18n.js';

const HERE = new URL('..', import.meta.url).pathname;
const read = (...p) => readFileSync(join(...p), 'utf8');
const manifestOf = (target) => JSON.parse(read(OUT, target, 'manifest.json'));

function files(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, base) : [p.slice(base.length + 1)];
  }).sort();
}

/** The names in a zip's central directory (APPNOTE 4.3.12). */
function zipNames(path) {
  const zip = readFileSync(path);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const n = zip.readUInt16LE(at + 28), extra = zip.readUInt16LE(at + 30), comment = zip.readUInt16LE(at + 32);
    names.push(zip.subarray(at + 46, at + 46 + n).toString('utf8'));
    at += 46 + n + extra + comment;
  }
  return names.sort();
}

let OUT;
before(async () => {
  OUT = await freshBuild();
});
after(() => OUT && rmSync(OUT, { recursive: true, force: true }));

test('both builds: the same files from one source, differing only in the manifest', () => {
  const chromium = files(join(OUT, 'chromium'));
  assert.deepEqual(files(join(OUT, 'firefox')), chromium);
  for (const f of chromium.filter((f) => f !== 'manifest.json')) {
    assert.ok(readFileSync(join(OUT, 'chromium', f)).equals(readFileSync(join(OUT, 'firefox', f))), f);
  }
  assert.deepEqual(zipNames(join(OUT, 'healthproof-chromium.zip')), chromium);
  assert.deepEqual(zipNames(join(OUT, 'healthproof-firefox.zip')), chromium);
  const c = manifestOf('chromium');
  const f = manifestOf('firefox');
  assert.deepEqual(c.background, { service_worker: 'background.js' });
  assert.deepEqual(f.background, { scripts: ['background.js'] });
  assert.match(f.browser_specific_settings.gecko.id, /^[\w.-]+@[\w.-]+$/);
  delete c.background; delete f.background; delete c.minimum_chrome_version; delete f.browser_specific_settings;
  assert.deepEqual(c, f);
});

test('exact, minimal permissions; no standing access to any site', () => {
  for (const target of ['chromium', 'firefox']) {
    const m = manifestOf(target);
    assert.equal(m.manifest_version, 3);
    assert.deepEqual(m.permissions, ['activeTab', 'scripting', 'storage', 'contextMenus']);
    for (const key of ['host_permissions', 'optional_permissions', 'optional_host_permissions', 'content_scripts',
      'web_accessible_resources', 'externally_connectable']) {
      assert.equal(m[key], undefined, `${target}: ${key}`);
    }
    assert.equal(m.content_security_policy.extension_pages, CSP);
    assert.match(CSP, /(^|; )script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(CSP, /(^|; )connect-src 'none'(;|$)/);
  }
});

test('no HTML is parsed from data anywhere in what the extension runs', () => {
  const risky = /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|DOMParser/;
  for (const f of ['background.js', 'panel.js', 'options.js']) {
    assert.doesNotMatch(read(OUT, 'chromium', f), risky, f);
  }
  for (const f of ['panel.html', 'options.html']) {
    assert.doesNotMatch(read(OUT, 'chromium', f), /<script(?![^>]*\ssrc=)|\son\w+=/i, `${f}: inline script`);
  }
});

test('the courier only gathers: it cannot message, store, verify or write into the page', () => {
  const src = collect.toString();
  for (const forbidden of ['chrome.', 'browser.', 'postMessage', 'sendMessage', 'storage', 'verify', 'appendChild',
    '.append(', 'insertBefore', 'replaceChildren', '.innerHTML', 'setAttribute', 'document.body', 'localStorage']) {
    assert.ok(!src.includes(forbidden), `collect() contains ${forbidden}`);
  }
  // Self-contained, as executeScript({ func }) requires: it compiles alone.
  assert.doesNotThrow(() => new Function(`return (${src})`)());
});

test('every extension string exists in the six languages, and every code it emits is explained', () => {
  const keys = Object.keys(EXTENSION_MESSAGES.en).sort();
  assert.deepEqual(Object.keys(EXTENSION_MESSAGES).sort(), Object.keys(MESSAGES).sort());
  for (const [lang, table] of Object.entries(EXTENSION_MESSAGES)) {
    if (lang === 'en') continue;
    const missing = keys.filter((k) => !Object.hasOwn(table, k) && k !== 'ext.name');
    assert.deepEqual(missing, [], lang);
  }
  const sources = ['candidates.js', 'messages.js', 'background.js', 'collect.js', 'panel.js']
    .map((f) => read(HERE, 'src', f)).join('\n');
  const codes = new Set();
  for (const m of sources.matchAll(/(?:Error|fail)\(\s*'([a-z]+(?:-[a-z]+)+)'/g)) codes.add(m[1]);
  for (const m of sources.matchAll(/(?:error|code): '([a-z]+(?:-[a-z]+)+)'/g)) codes.add(m[1]);
  assert.ok(codes.size >= 12, [...codes].join(' '));
  for (const lang of Object.keys(MESSAGES)) {
    const t = extensionTranslator(lang);
    for (const code of codes) assert.ok(t.has(`code.${code}`), `${lang}: code.${code}`);
  }
});

test('web-ext lint passes for the Firefox build, without a warning', async () => {
  const bin = join(HERE, 'node_modules', '.bin', 'web-ext');
  const { stdout } = await promisify(execFile)(bin, ['lint', '--source-dir', join(OUT, 'firefox'), '--output', 'json', '--no-config-discovery'],
    { maxBuffer: 16 << 20 }).catch((e) => e);
  const report = JSON.parse(stdout);
  const problems = [...report.errors, ...report.warnings].map((m) => `${m.code}: ${m.message} (${m.file})`);
  assert.deepEqual(problems, []);
  assert.equal(report.summary.errors, 0);
});
