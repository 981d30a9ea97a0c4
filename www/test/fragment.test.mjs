// The #hp1. link encoding (docs/FORMAT.md §4.2): round trips, strictness, no false positives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { encodeFragment, decodeFragment, linkFor, FragmentError } from '../src/shared/fragment.js';

const dir = new URL('../../examples/presentations/', import.meta.url);

test('every demo presentation round-trips through a link', () => {
  for (const name of readdirSync(dir)) {
    const text = readFileSync(new URL(name, dir), 'utf8');
    const link = linkFor('https://verify.example/page?x=1#old', text);
    assert.ok(link.startsWith('https://verify.example/page?x=1#hp1.'));
    assert.equal(decodeFragment(link), text, name);
    assert.equal(decodeFragment(new URL(link).hash), text, name);
  }
});

test('matches base64url as Node computes it (canonical, unpadded)', () => {
  for (const s of ['', 'a', 'ab', 'abc', 'abcd', 'healthproof/v1\n— é ✓']) {
    assert.equal(encodeFragment(s), '#hp1.' + Buffer.from(s, 'utf8').toString('base64url'));
  }
});

test('no hp1 fragment: null', () => {
  assert.equal(decodeFragment(''), null);
  assert.equal(decodeFragment('#section-2'), null);
  assert.equal(decodeFragment('https://x.example/#other#hp1.YQ'), null);
  assert.equal(decodeFragment('https://x.example/hp1.YQ'), null);
});

test('malformed fragments throw with a code', () => {
  const bad = ['#hp1.', '#hp1.A', '#hp1.YQ=', '#hp1.Y+', '#hp1.YR', '#hp1.gA'];
  for (const hash of bad) {
    assert.throws(() => decodeFragment(hash), (e) => e instanceof FragmentError && e.code === 'fragment-malformed', hash);
  }
});
