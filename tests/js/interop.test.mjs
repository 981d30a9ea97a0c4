// EU DCC and SMART Health Cards through the built npm package: the public conformance data in
// ../shared/interop (read in place), a trust list made with the CLI's `trust import` and signed
// with `trust sign`, and `verify` telling the formats apart by their first bytes. The full
// conformance suite (every dgc-testdata flag, the SHC fixtures) is crates/healthproof/tests/interop.rs;
// this shows the same verdicts reach JavaScript, in the report shape the UIs already render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hp from '../../target/npm/healthproof/index.js';

const interop = fileURLToPath(new URL('../../../shared/interop/', import.meta.url));
const cli = fileURLToPath(new URL('../../target/debug/healthproof', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hp-interop-'));
const run = (args) => execFileSync(cli, args, { cwd: dir, encoding: 'utf8' });
const missing = !existsSync(interop) ? '../shared/interop is not present beside the project'
  : !existsSync(cli) ? 'target/debug/healthproof is not built (cargo build -p healthproof-cli)' : null;

/** A trust list issued at `issued` (POSIX seconds) holding `lines`, signed by a fresh key. */
function trustList(lines, issued) {
  const vkey = run(['key', 'generate', '--name', 'interop.test/trust', '--role', 'trust', '--out', `trust-${issued}.key`])
    .match(/vkey: (\S+)/)[1];
  const text = `healthproof/trust-list/v1\nsequence 1\nissued ${issued}\nsigner ${vkey}\nquorum none\n${lines}`;
  writeFileSync(join(dir, `list-${issued}.txt`), text);
  return { list: run(['trust', 'sign', '--key', `trust-${issued}.key`, `list-${issued}.txt`]), vkey };
}

test('an EU DCC from dgc-testdata verifies through the package, in the HealthProof report shape', (t) => {
  if (missing) { t.skip(missing); return; }
  const vector = JSON.parse(readFileSync(join(interop, 'dcc/DE/2DCode/raw/1.json'), 'utf8'));
  const der = Buffer.from(vector.TESTCTX.CERTIFICATE, 'base64');
  const kid = createHash('sha256').update(der).digest().subarray(0, 8).toString('base64');
  writeFileSync(join(dir, 'dsc.json'), JSON.stringify([{ kid, country: 'DE', certificateType: 'DSC', rawData: vector.TESTCTX.CERTIFICATE }]));
  const now = Math.floor(Date.parse(vector.TESTCTX.VALIDATIONCLOCK) / 1000);
  const { list, vkey } = trustList(run(['trust', 'import', '--dcc', 'dsc.json']), now - 86400);
  assert.deepEqual(hp.parseTrustList(list, [vkey]).dccSigners, [{ country: 'DE', kid }]);
  const report = hp.verify(vector.PREFIX, list, { trustListSigners: [vkey], now });
  assert.equal(report.kind, 'hcert');
  assert.equal(report.verdict, 'verified', JSON.stringify(report.checks.filter((c) => c.outcome !== 'passed')));
  assert.equal(report.issuer.country, 'DE');
  assert.ok(report.content.sections.some((s) => s.key === 'immunizations'), 'the vaccination is shown as immunizations');
  // One character changed in the signed payload: not verified, and the reason is the signature.
  const i = vector.PREFIX.length - 20;
  const bad = vector.PREFIX.slice(0, i) + (vector.PREFIX[i] === 'A' ? 'B' : 'A') + vector.PREFIX.slice(i + 1);
  assert.equal(hp.verify(bad, list, { trustListSigners: [vkey], now }).verdict, 'not-verified');
});

test('SMART Health Cards: a QR text verifies, a revoked card does not, a multi-chunk QR joins', (t) => {
  if (missing) { t.skip(missing); return; }
  const shc = join(interop, 'shc');
  const crl = join(shc, 'issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json');
  const lines = run(['trust', 'import', '--shc-iss', 'https://spec.smarthealth.cards/examples/issuer',
    '--shc-jwks', join(shc, 'issuer/.well-known/jwks.json'), '--shc-crl', crl]);
  const now = 1700000000;
  const { list, vkey } = trustList(lines, now - 86400);
  const verify = (text) => hp.verify(text, list, { trustListSigners: [vkey], now });
  const issuers = hp.parseTrustList(list, [vkey]).shcIssuers;
  assert.ok(issuers.length >= 1);
  assert.ok(issuers.every((k) => k.iss === 'https://spec.smarthealth.cards/examples/issuer'));
  assert.ok(issuers.some((k) => k.revoked >= 1), 'the CRL revokes example 03');
  const qr = (n, k = 0) => readFileSync(join(shc, `example-0${n}-f-qr-code-numeric-value-${k}.txt`), 'utf8').trim();
  const ok = verify(qr(0));
  assert.equal(ok.kind, 'smart-health-card');
  assert.equal(ok.verdict, 'verified', JSON.stringify(ok.checks.filter((c) => c.outcome !== 'passed')));
  assert.ok(ok.content.sections.length > 0);
  const chunks = verify([0, 1, 2].map((k) => qr(2, k)).join('\n'));
  assert.equal(chunks.verdict, 'verified');
  const revoked = verify(qr(3));
  assert.equal(revoked.verdict, 'not-verified');
  assert.equal(revoked.checks.find((c) => c.outcome === 'failed').id, 'status');
  // The same card as a compact JWS and as a .smart-health-card file.
  assert.equal(verify(readFileSync(join(shc, 'example-00-d-jws.txt'), 'utf8').trim()).verdict, 'verified');
  assert.equal(verify(readFileSync(join(shc, 'example-00-e-file.smart-health-card'))).verdict, 'verified');
});

test('an input of no known format fails the format check with the HealthProof reason', () => {
  const examples = new URL('../../examples/', import.meta.url);
  const signer = readFileSync(new URL('trust-list-signer.txt', examples), 'utf8').trim();
  const r = hp.verify('hello', readFileSync(new URL('trust-list.txt', examples)), { trustListSigners: [signer] });
  assert.equal(r.verdict, 'not-verified');
  assert.equal(r.kind, 'healthproof');
  assert.deepEqual([r.checks[0].id, r.checks[0].code], ['format', 'presentation-malformed']);
});
