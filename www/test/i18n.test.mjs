// Every failure and warning code the verifier can emit has an explanation in every language:
// the codes are read from the Rust and JS sources themselves, so a new code added there
// fails this test until it is translated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { MESSAGES, LANGUAGES, translator, pickLanguage } from '../src/shared/i18n.js';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

/** Codes of `Error::code` (error.rs), warnings (record.rs), and the JS layer's own. */
function sourceCodes() {
  const codes = new Set();
  const error = read('crates/healthproof/src/error.rs');
  const body = /fn code\(&self\) -> &'static str \{([\s\S]*?)\n {4}\}/.exec(error);
  assert.ok(body, 'fn code not found in error.rs');
  for (const m of body[1].matchAll(/=>\s*"([a-z0-9-]+)"/g)) codes.add(m[1]);
  // Warnings: `b.warn("check-id", "code", …)` in record.rs, and in any other module that
  // reports checks the same way (new document types add their own).
  const dir = new URL('crates/healthproof/src/', root);
  const warns = readdirSync(dir).filter((f) => f.endsWith('.rs'))
    .flatMap((f) => [...read(`crates/healthproof/src/${f}`).matchAll(/\.warn\(\s*"[a-z-]+",\s*"([a-z0-9-]+)"/g)].map((m) => m[1]));
  assert.ok(warns.length >= 6, `only ${warns.length} warning codes found`);
  for (const w of warns) codes.add(w);
  const wasm = read('crates/healthproof-wasm/src/lib.rs');
  for (const m of wasm.matchAll(/exception\("([a-z0-9-]+)"/g)) codes.add(m[1]);
  for (const file of ['index.js', 'api.js', 'init.js']) {
    const js = read(`crates/healthproof-wasm/js/${file}`);
    for (const m of js.matchAll(/VerifyError\([^;]*?'([a-z0-9-]+)'\)/g)) codes.add(m[1]);
  }
  return codes;
}

const CHECK_IDS = ['format', 'trust-list', 'issuer-known', 'signature', 'disclosures',
  'checkpoint-signature', 'witness-quorum', 'inclusion-proof', 'key-valid', 'key-not-revoked',
  'issued-at', 'checkpoint-freshness', 'trust-list-freshness', 'status',
  // EU DCC and SMART Health Cards (docs/FORMAT.md §10).
  'claims', 'key-usage', 'not-expired'];

test('the sources yield the codes the issue names', () => {
  const codes = sourceCodes();
  for (const c of ['proof-mismatch', 'quorum-unsatisfied', 'signature-invalid', 'key-revoked',
    'disclosure-unreferenced', 'issuer-unknown', 'key-not-valid', 'key-revoked-after-logging',
    'trust-list-stale', 'invalid-argument', 'fetch-failed']) {
    assert.ok(codes.has(c), `${c} not found by the source scan`);
  }
  assert.ok(codes.size >= 45, `only ${codes.size} codes found`);
});

test('every code has an explanation in every language', () => {
  const missing = [];
  for (const code of sourceCodes()) {
    for (const { code: lang } of LANGUAGES) {
      if (!Object.hasOwn(MESSAGES[lang], `code.${code}`)) missing.push(`${lang}: code.${code}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every check id, verdict and outcome is named in every language', () => {
  const keys = [...CHECK_IDS.map((id) => `check.${id}`),
    ...['verified', 'verified-with-warnings', 'not-verified'].map((v) => `verdict.${v}`),
    ...['passed', 'failed', 'warning', 'not-applicable'].map((o) => `outcome.${o}`)];
  for (const { code: lang } of LANGUAGES) {
    for (const key of keys) assert.ok(Object.hasOwn(MESSAGES[lang], key), `${lang}: ${key}`);
  }
});

test('every language has exactly the English keys, non-empty, with the same placeholders', () => {
  const en = MESSAGES.en;
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  for (const { code: lang } of LANGUAGES) {
    const table = MESSAGES[lang];
    assert.deepEqual(Object.keys(table).sort(), Object.keys(en).sort(), lang);
    for (const [key, value] of Object.entries(table)) {
      assert.equal(typeof value, 'string');
      assert.ok(value.trim(), `${lang}: ${key} is empty`);
      assert.equal(holes(value), holes(en[key]), `${lang}: ${key} placeholders`);
    }
  }
  assert.equal(LANGUAGES.length, 6);
});

test('translator and pickLanguage', () => {
  assert.equal(pickLanguage(['de-AT', 'en']), 'de');
  assert.equal(pickLanguage(['pt-BR', 'et-EE']), 'et');
  assert.equal(pickLanguage(['ja']), 'en');
  assert.equal(pickLanguage(undefined), 'en');
  const t = translator('fr');
  assert.equal(t('verdict.verified'), 'Vérifié');
  assert.equal(t('check.inclusion-proof.passed', { index: 5, size: 9 }), 'Le dossier est l’entrée 5 sur 9 du registre.');
  assert.match(t.code('no-such-code'), /no-such-code/);
  assert.equal(translator('xx').lang, 'en');
  // Placeholders are replaced as text, never interpreted.
  assert.equal(translator('en')('verdict.issuer', { organisation: '<b>x</b>', country: '{country}' }),
    'Issued by <b>x</b>, {country}');
});
