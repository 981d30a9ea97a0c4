// EU Digital COVID Certificates and SMART Health Cards for the browser tests (the page's and
// the extension's): the public conformance data in ../shared/interop, read in place and never
// copied into the repository, and trust lists made at test time with the CLI as an operator
// would (`trust import` of the DSC list and the SHC issuer's JWKS and CRL, then `trust sign`).
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import qrcode from 'qrcode-generator';

export const INTEROP = fileURLToPath(new URL('../../../shared/interop/', import.meta.url));
export const CLI = fileURLToPath(new URL('../../target/debug/healthproof', import.meta.url));

/** Why the interop tests cannot run here, or null when they can. */
export const MISSING = !existsSync(INTEROP) ? `${INTEROP} is not present beside the project (the public DCC/SHC test data)`
  : !existsSync(CLI) ? 'target/debug/healthproof is not built (cargo build -p healthproof-cli)' : null;

/** The dgc-testdata vector used: a German vaccination certificate, "VALID: EC 256 key". */
export const DCC_VECTOR = 'dcc/DE/2DCode/raw/1.json';
/** Its QR code as a PNG image. */
export const DCC_PNG = 'dcc/DE/2DCode/png/1.png';
/** The SMART Health Card examples' validation time (their cards are valid then; ex. 03 revoked). */
export const SHC_NOW = 1700000000;
export const SHC_ISS = 'https://spec.smarthealth.cards/examples/issuer';
const SHC_KID = '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s';

const read = (path) => readFileSync(join(INTEROP, path), 'utf8');

/** The DCC vector: its QR text, its validation time (POSIX seconds) and its DSC. */
export function dcc() {
  const vector = JSON.parse(read(DCC_VECTOR));
  return {
    text: vector.PREFIX,
    now: Math.floor(Date.parse(vector.TESTCTX.VALIDATIONCLOCK) / 1000),
    certificate: vector.TESTCTX.CERTIFICATE,
    png: join(INTEROP, DCC_PNG),
  };
}

/** SMART Health Card example `n`'s numeric QR text (chunk `k`). */
export const shcQr = (n, k = 0) => read(`shc/example-0${n}-f-qr-code-numeric-value-${k}.txt`).trim();

/**
 * The QR code of an SHC text as the specification draws it: `shc:/` (and any `C/N/` chunk
 * prefix) in byte mode, the digits in numeric mode. A qrcode-generator object, made.
 */
export function shcQrCode(text) {
  const prefix = /^shc:\/(?:\d+\/\d+\/)?/.exec(text)[0];
  const qr = qrcode(0, 'L');
  qr.addData(prefix, 'Byte');
  qr.addData(text.slice(prefix.length), 'Numeric');
  qr.make();
  return qr;
}
/** SMART Health Card example `n` as a `.smart-health-card` file. */
export const shcFile = (n) => read(`shc/example-0${n}-e-file.smart-health-card`);
export const shcFilePath = (n) => join(INTEROP, `shc/example-0${n}-e-file.smart-health-card`);

/** A working folder for the CLI's files, and the CLI run in it. */
export function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'hp-interop-ui-'));
  const run = (args) => execFileSync(CLI, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { dir, run };
}

/** The trust-list lines for the DCC vector's DSC and the SHC example issuer (JWKS + CRL). */
export function interopLines({ dir, run }) {
  const { certificate } = dcc();
  const der = Buffer.from(certificate, 'base64');
  // The DCC Gateway's kid: the first 8 bytes of the certificate's SHA-256.
  const kid = createHash('sha256').update(der).digest().subarray(0, 8).toString('base64');
  writeFileSync(join(dir, 'dsc.json'), JSON.stringify([{ kid, country: 'DE', certificateType: 'DSC', rawData: certificate }]));
  return run(['trust', 'import', '--dcc', 'dsc.json'])
    + run(['trust', 'import', '--shc-iss', SHC_ISS, '--shc-jwks', join(INTEROP, 'shc/issuer/.well-known/jwks.json'),
      '--shc-crl', join(INTEROP, `shc/issuer/.well-known/crl/${SHC_KID}.json`)]);
}

/**
 * The demo trust-list signer's private key as a CLI key file (docs: examples/README.md, the
 * demo keys are public by construction), so `trust sign` makes a list the page accepts as
 * an update of its bundled one.
 */
export function demoSignerKey({ dir }, label = 'trust.healthproof.example/demo') {
  const seed = createHash('sha256').update(`healthproof demo key: ${label}`).digest();
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyId = createHash('sha256').update(Buffer.concat([Buffer.from(`${label}\n`), Buffer.from([1]), pub])).digest().subarray(0, 4);
  const file = 'demo-trust.key';
  writeFileSync(join(dir, file), `PRIVATE+KEY+${label}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([1]), seed]).toString('base64')}\n`);
  return { file, vkey: `${label}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([1]), pub]).toString('base64')}` };
}

/** A new trust-list signer key made by the CLI: `{ file, vkey }`. */
export function newSignerKey({ run }, name = 'interop-test.example/trust') {
  const file = `${name.replace(/\W+/g, '-')}.key`;
  const vkey = run(['key', 'generate', '--name', name, '--role', 'trust', '--out', file]).match(/vkey: (\S+)/)[1];
  return { file, vkey };
}

/**
 * The demo list's own lines (log, witnesses, quorum, issuers, revocations), for a list that
 * keeps the demo records verifiable beside the certificates.
 */
export function demoLines() {
  const text = readFileSync(new URL('../../examples/trust-list.txt', import.meta.url), 'utf8');
  return text.split('\n\n')[0].split('\n')
    .filter((l) => l && !/^(healthproof\/trust-list\/|sequence |issued |signer )/.test(l)).join('\n') + '\n';
}

/**
 * A trust list holding `lines` (with its `quorum` line: `quorum none` when it names no log),
 * numbered `sequence`, issued at `issued`, signed with `key` by the CLI.
 */
export function signedList(ws, { lines, sequence, issued, key }) {
  const name = `list-${sequence}-${issued}.txt`;
  writeFileSync(join(ws.dir, name), `healthproof/trust-list/v1\nsequence ${sequence}\nissued ${issued}\nsigner ${key.vkey}\n${lines}`);
  return ws.run(['trust', 'sign', '--key', key.file, name]);
}
