// The package README's examples, run as written: every ```js block is saved as a module that
// imports the built package, run by Node in examples/ (the demo data) with the clock at
// 2026-11-22T12:00:00Z, and each `console.log(...); // → text` line must print that text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../target/npm/healthproof/', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

const dir = mkdtempSync(join(tmpdir(), 'hp-readme-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(pkg, join(dir, 'node_modules', 'healthproof'), 'dir');
writeFileSync(join(dir, 'clock.mjs'), 'const t = Date.parse("2026-11-22T12:00:00Z"); Date.now = () => t;\n');

test('the package README has examples with expected output', () => {
  assert.ok(blocks.length >= 5, `found ${blocks.length} js blocks`);
  for (const b of blocks) assert.match(b, /\/\/ → /, 'every example shows what it prints');
});

blocks.forEach((code, n) => {
  const title = code.split('\n').find((l) => l.includes('// → ')).trim().slice(0, 60);
  test(`README example ${n + 1} prints what it says (${title})`, () => {
    const file = join(dir, `example-${n + 1}.mjs`);
    writeFileSync(file, code);
    const expected = code.split('\n').filter((l) => l.includes('// → ')).map((l) => l.split('// → ')[1].trim());
    const out = execFileSync('node', ['--import', join(dir, 'clock.mjs'), file], { cwd: examples, encoding: 'utf8' });
    assert.deepEqual(out.trim().split('\n'), expected);
  });
});
