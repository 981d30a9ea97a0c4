// The peer: the checks of `healthproof.verify` for one presentation, written as a web
// developer would in plain JavaScript, with a pluggable crypto backend (WebCrypto, or
// @noble/ed25519 + @noble/hashes). Trust list signature and issuers; record JWS signature;
// every disclosure digest; checkpoint log signature; witness cosignatures to a 2-of-3
// quorum; the RFC 9162 inclusion proof. Full work each call (keys imported every time, as
// our verifier parses the trust list every time). Not hardened: a benchmark peer only.

const enc = new TextEncoder();
const dec = new TextDecoder();
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const b64url = (s) => b64(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
const toB64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Splits a signed note into text and signature lines `{name, keyId, sig}`. */
function note(text) {
  const i = text.lastIndexOf('\n\n');
  const body = text.slice(0, i + 1);
  const sigs = text.slice(i + 2).split('\n').filter(Boolean).map((line) => {
    const [, name, sig] = line.match(/^\u2014 (\S+) (\S+)$/);
    const raw = b64(sig);
    return { name, keyId: raw.slice(0, 4), sig: raw.slice(4) };
  });
  return { body, sigs };
}

/** A vkey `name+id+base64(type||key)` as {name, keyId, type, key}. */
function vkey(s) {
  // Names hold no '+'; base64 may.
  const [name, id, ...rest] = s.split('+');
  const material = rest.join('+');
  const m = b64(material);
  return { name, keyId: Uint8Array.from(id.match(/../g), (h) => parseInt(h, 16)), type: m[0], key: m.slice(1) };
}

export async function verifyPipeline(crypto, presentation, trustListText, trustSigner) {
  // Trust list.
  const signer = vkey(trustSigner);
  const list = note(trustListText);
  const listSig = list.sigs.find((s) => s.name === signer.name && equal(s.keyId, signer.keyId));
  if (!listSig || !(await crypto.verify(signer.key, enc.encode(list.body), listSig.sig))) return false;
  const issuers = new Map();
  const witnesses = [];
  let log;
  for (const line of list.body.split('\n')) {
    const w = line.split(' ');
    if (w[0] === 'issuer') issuers.set(w[1], b64(w[5]));
    if (w[0] === 'witness') witnesses.push(vkey(w[2]));
    if (w[0] === 'log') log = vkey(w[1]);
  }
  // Record.
  const [, sdjwt] = presentation.split('\n');
  const [jwt, ...disclosures] = sdjwt.split('~').filter(Boolean);
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(dec.decode(b64url(h)));
  if (header.alg !== 'EdDSA') return false;
  const key = issuers.get(header.kid);
  if (!key || !(await crypto.verify(key, enc.encode(`${h}.${p}`), b64url(s)))) return false;
  const payload = JSON.parse(dec.decode(b64url(p)));
  const digests = new Set([...(payload.patient?._sd ?? []), ...(payload.sections?._sd ?? [])]);
  for (const d of disclosures) {
    if (!digests.has(toB64url(await crypto.sha256(enc.encode(d))))) return false;
    JSON.parse(dec.decode(b64url(d)));
  }
  // Ledger proof.
  const { index, hashes, checkpointText } = ledgerProof(presentation);
  const cp = note(checkpointText);
  const [, sizeText, rootText] = cp.body.split('\n');
  const logSig = cp.sigs.find((x) => x.name === log.name && equal(x.keyId, log.keyId));
  if (!logSig || !(await crypto.verify(log.key, enc.encode(cp.body), logSig.sig))) return false;
  let cosigned = 0;
  for (const w of witnesses) {
    const sig = cp.sigs.find((x) => x.name === w.name && equal(x.keyId, w.keyId));
    if (!sig) continue;
    const time = new DataView(sig.sig.buffer, sig.sig.byteOffset, 8).getBigUint64(0);
    const message = enc.encode(`cosignature/v1\ntime ${time}\n${cp.body}`);
    if (!(await crypto.verify(w.key, message, sig.sig.slice(8)))) return false;
    cosigned++;
  }
  if (cosigned < 2) return false;
  const leaf = await crypto.sha256(concat(Uint8Array.of(0), enc.encode(jwt)));
  return inclusion(crypto, leaf, index, BigInt(sizeText), hashes, b64(rootText));
}

/** The tlog-proof of a presentation: leaf index, proof hashes and the checkpoint text. */
export function ledgerProof(presentation) {
  const proofText = presentation.split('\n').slice(2).join('\n');
  const head = proofText.slice(0, proofText.indexOf('\n\n'));
  const lines = head.split('\n');
  return {
    index: BigInt(lines[1].slice('index '.length)),
    hashes: lines.slice(2).map(b64),
    checkpointText: proofText.slice(proofText.indexOf('\n\n') + 2),
  };
}

/** RFC 9162 §2.1.3.2: checks an inclusion proof of `leaf` (a leaf hash) against `root`. */
export async function inclusion(crypto, leaf, index, size, hashes, root) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p2 of hashes) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await crypto.sha256(concat(Uint8Array.of(1), p2, r));
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = await crypto.sha256(concat(Uint8Array.of(1), r, p2));
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n && equal(r, root);
}

/** WebCrypto: Ed25519 and SHA-256 from `crypto.subtle` (async). */
export const webCrypto = (subtle) => ({
  async verify(key, message, signature) {
    const k = await subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    return subtle.verify({ name: 'Ed25519' }, k, signature, message);
  },
  async sha256(bytes) {
    return new Uint8Array(await subtle.digest('SHA-256', bytes));
  },
});

/** Pure JavaScript: @noble/ed25519 and @noble/hashes (synchronous). */
export const noble = (ed, sha256, sha512) => {
  ed.hashes.sha512 = sha512;
  return {
    verify: (key, message, signature) => ed.verify(signature, message, key),
    sha256: (bytes) => sha256(bytes),
  };
};
