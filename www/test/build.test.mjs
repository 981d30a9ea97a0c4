// The build is deterministic: two builds give the same files, byte for byte, and the
// service worker caches every one of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const build = fileURLToPath(new URL('../build.mjs', import.meta.url));

function tree(dir) {
  const files = {};
  (function walk(d) {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[relative(dir, p)] = readFileSync(p);
    }
  })(dir);
  return files;
}

test('two builds are identical, and the service worker lists every file', () => {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'hp-www-')));
  try {
    for (const d of dirs) execFileSync(process.execPath, [build, '--out', d], { stdio: 'pipe' });
    const [a, b] = dirs.map(tree);
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
    for (const name of Object.keys(a)) assert.ok(a[name].equals(b[name]), `${name} differs between builds`);
    for (const name of ['index.html', 'app.js', 'worker.js', 'qr-worker.js', 'sw.js', 'style.css',
      'wasm/healthproof_bg.wasm', 'trust-list.txt', 'trust-list-signer.txt', 'demo/tampered.hproof', '_headers']) {
      assert.ok(a[name], `${name} is built`);
    }
    const sw = a['sw.js'].toString();
    for (const name of Object.keys(a)) {
      if (name === 'sw.js' || name === '_headers') continue;
      assert.ok(sw.includes(JSON.stringify(name)), `sw.js caches ${name}`);
    }
    assert.match(a['_headers'].toString(), /Content-Security-Policy: default-src 'none'; script-src 'self' 'wasm-unsafe-eval'/);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
