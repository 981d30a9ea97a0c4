// The local test portal: a patient-portal page holding demo presentations in every shape the
// extension detects, and scripts of its own that try to read the result or forge a request.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import qrcode from 'qrcode-generator';
import { ROOT } from './harness.mjs';
import { encodeFragment } from '../../www/src/shared/fragment.js';

export const presentation = (name) => readFileSync(join(ROOT, 'examples', 'presentations', `${name}.hproof`), 'utf8');

/** The text the hostile demo record carries in every readable field. */
export const HOSTILE = '<script>window.__hpPwned=1</script><img src=x onerror="window.__hpPwned=1">';

/** A QR code (GIF data URL) holding `text` as raw UTF-8 bytes, byte mode, level L. */
export function qrDataUrl(text) {
  qrcode.stringToBytes = (s) => Array.from(new TextEncoder().encode(s));
  const qr = qrcode(0, 'L');
  qr.addData(text, 'Byte');
  qr.make();
  return qr.createDataURL(4, 16);
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The page's own scripts: they watch the document for anything the extension might write,
 * break the DOM methods a naive courier would call, and try to reach the verifier directly.
 */
export const ATTACK = `
window.__attack = { mutations: 0, messages: 0 };
new MutationObserver((list) => { window.__attack.mutations += list.length; })
  .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
window.addEventListener('message', () => { window.__attack.messages++; });
const ext = new URLSearchParams(location.search).get('ext');
window.__attack.runtime = typeof (globalThis.chrome && chrome.runtime && chrome.runtime.sendMessage);
try {
  chrome.runtime.sendMessage(ext, { type: 'scan', tabId: 1 }, () => { window.__attack.answered = true; });
  window.__attack.send = 'sent';
} catch (e) { window.__attack.send = 'refused: ' + e.message; }
window.postMessage({ type: 'scan', tabId: 1 }, '*');
fetch('chrome-extension://' + ext + '/panel.html').then(() => { window.__attack.read = 'read'; },
  () => { window.__attack.read = 'blocked'; });
// Lies for a courier running in the page's world: it would find nothing, or a forged record.
Document.prototype.querySelectorAll = function () { return []; };
Object.defineProperty(Node.prototype, 'textContent', { get() { return 'healthproof/v1\\nforged'; } });
`;

/** One embedded presentation. */
const embed = (id, name, type = 'application/healthproof') =>
  `<script type="${type}" id="${id}">\n${presentation(name)}</script>`;

/**
 * The portal: what it holds and the verdict the panel must show for each, by where it was
 * found (`where` is the label or address the panel shows).
 */
export function portal(qrText, { attack = true } = {}) {
  const fr = presentation('fr-camille-lefevre-partial');
  const it = presentation('it-giuseppe-russo-partial');
  const pt = presentation('pt-joao-pereira-partial');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test patient portal</title>
<style>body{font:16px system-ui;margin:2rem;max-width:60rem} img{display:block;margin:1rem 0}</style></head>
<body>
<h1>Test patient portal</h1>
<p>Demo presentations in every shape the extension detects.</p>
${embed('anna-schmidt-de', 'de-anna-schmidt-partial')}
${embed('mateo-es-revoked-later', 'es-mateo-fernandez-ruiz-partial', 'application/vnd.healthproof.presentation')}
${embed('tampered-fr', 'tampered')}
${embed('untrusted-issuer', 'untrusted-issuer-partial')}
${embed('revoked-key', 'revoked-key-after-revocation-partial')}
${embed('hostile-markup', 'hostile-markup-full')}
<ul>
<li><a href="/files/fr-camille-lefevre-partial.hproof">Camille Lefèvre (file)</a></li>
<li><a href="https://verify.example/${encodeFragment(it)}">Giuseppe Russo (link)</a></li>
<li><a href="data:application/healthproof;base64,${Buffer.from(pt).toString('base64')}">João Pereira (data)</a></li>
<li><a href="https://elsewhere.example/records/other.hproof">Elsewhere (file on another site)</a></li>
<li><a href="/about">About this portal</a></li>
</ul>
<img id="qr" alt="QR Anna Schmidt" src="${qrDataUrl(qrText)}">
${attack ? `<script>${ATTACK}</script>` : ''}
</body></html>`;
  const expected = [
    { source: 'script', where: 'anna-schmidt-de', verdict: 'verified' },
    { source: 'script', where: 'mateo-es-revoked-later', verdict: 'verified-with-warnings' },
    { source: 'script', where: 'tampered-fr', verdict: 'not-verified', code: 'disclosure-unreferenced' },
    { source: 'script', where: 'untrusted-issuer', verdict: 'not-verified', code: 'issuer-unknown' },
    { source: 'script', where: 'revoked-key', verdict: 'not-verified', code: 'key-revoked' },
    { source: 'script', where: 'hostile-markup', verdict: 'verified' },
    { source: 'link', where: null, verdict: 'verified' },
    { source: 'fragment', where: 'Giuseppe Russo (link)', verdict: 'verified' },
    { source: 'data-url', where: 'João Pereira (data)', verdict: 'verified' },
    { source: 'link', where: 'https://elsewhere.example/records/other.hproof', verdict: 'not-verified', code: 'link-cross-origin' },
    { source: 'image', where: 'QR Anna Schmidt', verdict: 'verified' },
  ];
  return {
    routes: {
      '/portal': ['text/html; charset=utf-8', html],
      '/files/fr-camille-lefevre-partial.hproof': ['application/octet-stream', fr],
    },
    expected,
  };
}

/** A page holding `count` presentations (the benchmark's pages). */
export function pageWith(names) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Records</title></head><body>
<h1>${names.length} record(s)</h1>
${names.map((n, i) => embed(`record-${i + 1}`, n)).join('\n')}
</body></html>`;
}

/** A page with one record only in a <pre> the test selects (the selection shape). */
export function selectionPage(name) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Selection</title></head><body>
<p>Copied from an e-mail:</p><pre id="record">${escape(presentation(name))}</pre></body></html>`;
}
