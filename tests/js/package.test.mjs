// The built npm package (target/npm/healthproof, made by `cargo xtask package`) in Node:
// the same record corpus as the Rust tests, the demo presentations, and the typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as hp from '../../target/npm/healthproof/index.js';

const records = new URL('../vectors/records/', import.meta.url);
const examples = new URL('../../examples/', import.meta.url);

function input(c) {
  if (c.presentation !== undefined) return c.presentation;
  if (c.presentation_base64 !== undefined) return new Uint8Array(Buffer.from(c.presentation_base64, 'base64'));
  return c.presentation_repeat.unit.repeat(c.presentation_repeat.count);
}

/** The record corpus: `[file name, case]` pairs. */
function recordCases() {
  return readdirSync(new URL('cases/', records)).filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(new URL(`cases/${f}`, records), 'utf8'))]);
}

/** A record case's options for verify, in the package's names. */
function optionsOf(c) {
  const o = c.options ?? {};
  return {
    trustListSigners: c.trust_list_signers,
    now: c.now,
    minTrustListSequence: o.min_trust_list_sequence,
    maxTrustListAge: o.max_trust_list_age,
    statusLists: o.status_lists,
  };
}

test('every record case gives its expected verdict and code in Node', () => {
  const files = recordCases();
  assert.ok(files.length >= 40);
  for (const [f, c] of files) {
    const report = hp.verify(input(c), c.trust_list, optionsOf(c));
    assert.equal(report.verdict, c.expected.verdict, f);
    const check = report.checks.find((k) => k.id === c.expected.check);
    assert.equal(check.code, c.expected.code, f);
  }
  console.log(`package: ${files.length} record cases passed in Node`);
});

test('verifyAsync gives verify\'s report on every record case and demo presentation, WebCrypto doing the equations', async () => {
  // Count WebCrypto's Ed25519 verifications, to show the deferred path is the one taken.
  const real = SubtleCrypto.prototype.verify;
  let calls = 0;
  SubtleCrypto.prototype.verify = function (...args) { calls += 1; return real.apply(this, args); };
  try {
    const files = recordCases();
    const fellBack = [];
    for (const [f, c] of files) {
      const options = optionsOf(c);
      const before = calls;
      const report = await hp.verifyAsync(input(c), c.trust_list, options);
      assert.deepEqual(report, hp.verify(input(c), c.trust_list, options), f);
      if (c.expected.code === 'signature-invalid') fellBack.push([f, calls - before]);
    }
    // A signature whose equation fails passes the encoding checks, goes to WebCrypto, and
    // verify's report (failing at `signature`) is the one returned.
    assert.ok(fellBack.length >= 2 && fellBack.every(([, n]) => n >= 1), JSON.stringify(fellBack));
    const trust = readFileSync(new URL('trust-list.txt', examples), 'utf8');
    const signer = readFileSync(new URL('trust-list-signer.txt', examples), 'utf8').trim();
    const options = { trustListSigners: [signer], now: 1795348800 };
    const dir = new URL('presentations/', examples);
    const names = readdirSync(dir).filter((f) => f.endsWith('.hproof'));
    const start = calls;
    for (const name of names) {
      const p = readFileSync(new URL(name, dir));
      assert.deepEqual(await hp.verifyAsync(p, trust, options), hp.verify(p, trust, options), name);
    }
    // The record, the checkpoint and the cosignatures, for each that gets that far. The trust
    // list's signature was checked in full by the `verify` beside it, and the remembered list
    // needs no equation.
    assert.ok(calls - start >= names.length * 3, `${calls - start} WebCrypto verifications for ${names.length} presentations`);
    console.log(`package: verifyAsync matched verify on ${files.length} record cases and ${names.length} demo presentations (${calls} WebCrypto Ed25519 verifications)`);
  } finally {
    SubtleCrypto.prototype.verify = real;
  }
});

test('a demo presentation verifies from bytes and from text, and disclose() reduces it', () => {
  const trust = readFileSync(new URL('trust-list.txt', examples), 'utf8');
  const signer = readFileSync(new URL('trust-list-signer.txt', examples), 'utf8').trim();
  const bytes = readFileSync(new URL('presentations/nl-johanna-van-den-berg-full.hproof', examples));
  const options = { trustListSigners: [signer], now: 1795348800 };
  const full = hp.verify(new Uint8Array(bytes), trust, options);
  assert.equal(full.verdict, 'verified');
  assert.equal(full.issuer.country, 'NL');
  assert.ok(full.content.sections.length >= 10);
  const shared = hp.disclose(bytes.toString('utf8'), ['name', 'allergies']);
  const reduced = hp.verify(shared, trust, options);
  assert.equal(reduced.verdict, 'verified');
  assert.deepEqual(reduced.content.sections.map((s) => s.key), ['allergies']);
  assert.deepEqual(Object.keys(reduced.content.patient), ['name']);
  const info = hp.parseTrustList(trust, [signer]);
  assert.equal(info.issuers.length, 9);
  assert.throws(() => hp.parseTrustList(trust, [signer], info.sequence + 1), (e) => e instanceof hp.VerifyError && e.code === 'trust-list-rollback');
});

test('errors are VerifyError instances with stable codes', () => {
  assert.throws(() => hp.verifyNote('not a note', []), (e) => e instanceof hp.VerifyError && e.code === 'note-malformed');
  assert.throws(() => hp.verify(42, '', { trustListSigners: [] }), (e) => e instanceof hp.VerifyError && e.code === 'invalid-argument');
  assert.throws(() => hp.verifyInclusion('00'.repeat(32), 5, 3, [], '00'.repeat(32)), (e) => e.code === 'index-out-of-range');
  // A misspelt option is refused, never ignored; options must be an object.
  const trust = readFileSync(new URL('trust-list.txt', examples), 'utf8');
  const signer = readFileSync(new URL('trust-list-signer.txt', examples), 'utf8').trim();
  assert.throws(() => hp.verify('x', trust, { trustListSigners: [signer], maxCheckpointAgeSeconds: 5 }),
    (e) => e.code === 'invalid-argument' && /maxCheckpointAgeSeconds/.test(e.message));
  assert.throws(() => hp.verify('x', trust, null), (e) => e.code === 'invalid-argument');
  assert.throws(() => hp.verify('x', trust, { trustListSigners: [signer], now: -1 }), (e) => e.code === 'invalid-argument');
});
