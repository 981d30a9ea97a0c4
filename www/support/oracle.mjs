// Node-side helpers for the browser tests: the npm package as an oracle for what a
// presentation contains, and a trust list signer with the demo's published key.
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, DEMO_NOW } from './browser.mjs';

export const hp = await import('../../target/npm/healthproof/index.js');
export const TRUST_LIST = readFileSync(join(EXAMPLES, 'trust-list.txt'), 'utf8');
export const TRUST_SIGNER = readFileSync(join(EXAMPLES, 'trust-list-signer.txt'), 'utf8').trim();

/** The package's verdict for a presentation at DEMO_NOW, with the bundled trust list. */
export function oracle(text, trustList = TRUST_LIST) {
  return hp.verify(text, trustList, { trustListSigners: [TRUST_SIGNER], now: DEMO_NOW / 1000 });
}

/**
 * A signed-note trust list (c2sp.org/signed-note, Ed25519 type 0x01) signed with the demo
 * key derived from `label`, as `healthproof demo build` derives it (examples/README.md: the
 * demo keys are public by construction).
 */
export function signTrustList(text, label = 'trust.healthproof.example/demo') {
  const seed = createHash('sha256').update(`healthproof demo key: ${label}`).digest();
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyId = createHash('sha256').update(Buffer.concat([Buffer.from(`${label}\n`), Buffer.from([1]), pub])).digest().subarray(0, 4);
  const vkey = `${label}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([1]), pub]).toString('base64')}`;
  const signature = sign(null, Buffer.from(text), key);
  return { vkey, signed: `${text}\n— ${label} ${Buffer.concat([keyId, signature]).toString('base64')}\n` };
}

/** The bundled list's text (without its signature), with other sequence and issue time. */
export function trustListText({ sequence, issued }) {
  const body = TRUST_LIST.split('\n\n')[0] + '\n';
  return body.replace(/^sequence \d+$/m, `sequence ${sequence}`).replace(/^issued \d+$/m, `issued ${issued}`);
}
