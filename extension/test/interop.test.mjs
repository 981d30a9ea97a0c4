// EU Digital COVID Certificates and SMART Health Cards in the extension, with the public test
// data of ../shared/interop read in place: a trust list made with the CLI under a new signer
// key, imported through the options page as a clinician would (the key typed in), then a
// portal holding a DCC text, an SHC QR text, an SHC QR image and a linked .smart-health-card
// file, scanned at each data set's validation time. Skipped, with the reason, where the data
// or the CLI is absent. Screenshots: target/artifacts/extension/popup-dcc.png, popup-shc*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { launch, serve, freshBuild } from '../testkit/harness.mjs';
import {
  MISSING, dcc, shcQr, shcQrCode, shcFile, SHC_NOW, SHC_ISS, workspace, interopLines, newSignerKey, signedList,
} from '../../www/support/interop.mjs';

let browser;
let server;
let built;
let ws;
let lines;
let key;

/** An SHC QR code as an image, drawn as the specification does (see shcQrCode). */
const shcQrImage = (text) => shcQrCode(text).createDataURL(4, 16);

const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px system-ui;margin:2rem} img{display:block;margin:1rem 0}</style></head><body><h1>${title}</h1>${body}</body></html>`;

const CARDS = `[...document.querySelectorAll('.xp-item')].map((c) => ({
  source: c.dataset.source,
  verdict: c.dataset.verdict,
  where: c.querySelector('.xp-source__where')?.textContent ?? null,
  kind: c.querySelector('.hp-verdict')?.dataset.kind ?? null,
  codes: [...c.querySelectorAll('[data-code]')].map((e) => e.dataset.code).filter(Boolean),
}))`;

before(async () => {
  if (MISSING) return;
  ws = workspace();
  lines = `quorum none\n${interopLines(ws)}`;
  key = newSignerKey(ws);
  const { text } = dcc();
  server = await serve({
    '/interop': ['text/html; charset=utf-8', page('Travel documents', `
<p>A vaccination certificate, a health card's QR text and its picture, and a card file.</p>
<script type="text/plain" id="dcc-de">${text}</script>
<script type="text/plain" id="shc-00-qr-text">${shcQr(0)}</script>
<img id="shc-01" alt="SHC example 01" src="${shcQrImage(shcQr(1))}">
<ul><li><a href="/cards/example-02.smart-health-card">Health card file (example 02)</a></li></ul>`)],
    '/cards/example-02.smart-health-card': ['application/smart-health-card', shcFile(2)],
    '/dcc': ['text/html; charset=utf-8', page('Certificate', `<script type="text/plain" id="dcc-de">${text}</script>`)],
    '/shc': ['text/html; charset=utf-8', page('Health card', `<img id="shc-00" alt="SHC example 00" src="${shcQrImage(shcQr(0))}">`)],
    '/revoked': ['text/html; charset=utf-8', page('Revoked card', `<pre id="card">${shcQr(3)}</pre>`)],
    '/chunks': ['text/html; charset=utf-8', page('A card in three QR codes', [2, 0, 1]
      .map((k) => `<img alt="Card, code ${k + 1} of 3" src="${shcQrImage(shcQr(2, k))}">`).join('\n'))],
  });
  built = await freshBuild();
  browser = await launch(join(built, 'chromium'));
});

after(async () => {
  await browser?.close();
  server?.close();
  if (built) rmSync(built, { recursive: true, force: true });
  if (ws) rmSync(ws.dir, { recursive: true, force: true });
});

/** Scans `path` with a toolbar click; returns the cards and the popup (detach it after). */
async function scan(path, prepare) {
  const tab = await browser.context.newPage();
  await tab.goto(`${server.origin}${path}`);
  if (prepare) await tab.evaluate(prepare);
  const popup = await browser.click(tab);
  await popup.waitFor("document.body.dataset.state === 'done'");
  return { tab, popup, cards: await popup.evaluate(CARDS) };
}

test('DCC and SHC: imported list, three verdicts at each data set’s time, audit records the kind', async (t) => {
  if (MISSING) { t.skip(MISSING); return; }
  const { now: dccNow } = dcc();
  await browser.setStorage({ verifyAt: dccNow });

  // The options page: a list signed by a key the extension does not know yet, its key typed in.
  const options = await browser.extensionPage('options.html');
  await options.waitForSelector('body[data-state="done"]');
  const first = signedList(ws, { lines, sequence: 1, issued: dccNow - 86400, key });
  await options.setInputFiles('#import-file', { name: 'dcc-shc-trust-list.txt', mimeType: 'text/plain', buffer: Buffer.from(first) });
  await options.fill('#import-key', key.vkey);
  await options.click('#import-button');
  await options.waitForSelector('#trust-status.xo-status--ok');
  assert.equal(await options.getAttribute('.xo-trust-current', 'data-imported'), 'true');

  // At the DCC's validation time: the certificate verifies; the cards are not valid yet.
  let { tab, popup, cards } = await scan('/interop');
  assert.deepEqual(cards.map((c) => [c.source, c.where, c.kind, c.verdict]), [
    ['script', 'dcc-de', 'hcert', 'verified'],
    ['script', 'shc-00-qr-text', 'smart-health-card', 'not-verified'],
    ['link', `${server.origin}/cards/example-02.smart-health-card`, 'smart-health-card', 'not-verified'],
    ['image', 'SHC example 01', 'smart-health-card', 'not-verified'],
  ]);
  for (const c of cards.slice(1)) assert.ok(c.codes.includes('time-invalid'), c.codes.join());
  popup.detach();
  await tab.close();

  // At the SHC examples' time, with the same lines in a newer list (the update path): the
  // cards verify, the certificate has expired.
  await browser.setStorage({ verifyAt: SHC_NOW });
  const second = signedList(ws, { lines, sequence: 2, issued: SHC_NOW - 86400, key });
  await options.setInputFiles('#update-file', { name: 'dcc-shc-trust-list-2.txt', mimeType: 'text/plain', buffer: Buffer.from(second) });
  await options.click('#update-button');
  await options.waitForFunction(() => document.querySelector('.xo-trust-current')?.dataset.sequence === '2');
  ({ tab, popup, cards } = await scan('/interop'));
  assert.deepEqual(cards.map((c) => [c.source, c.kind, c.verdict]), [
    ['script', 'hcert', 'not-verified'],
    ['script', 'smart-health-card', 'verified'],
    ['link', 'smart-health-card', 'verified'],
    ['image', 'smart-health-card', 'verified'],
  ]);
  assert.ok(cards[0].codes.includes('expired'), cards[0].codes.join());
  const tally = await popup.evaluate("Object.fromEntries([...document.querySelectorAll('.xp-tally li')].map((l) => [l.dataset.verdict, Number(l.dataset.count)]))");
  assert.deepEqual(tally, { verified: 3, 'not-verified': 1 });
  await popup.screenshot('popup-interop.png');
  popup.detach();
  await tab.close();

  // The audit trail says what each record was.
  const { audit } = await browser.storage('audit');
  const kinds = audit.slice(-8).map((e) => [e.kind, e.verdict]);
  assert.deepEqual(kinds.slice(4), [['hcert', 'not-verified'], ['smart-health-card', 'verified'],
    ['smart-health-card', 'verified'], ['smart-health-card', 'verified']]);
  assert.equal(audit.at(-1).issuer.organisation, SHC_ISS);
  await options.reload();
  await options.waitForSelector('body[data-state="done"]');
  assert.match(await options.textContent('.xo-audit'), /SMART Health Card[\s\S]*EU Digital COVID Certificate/);
  await options.close();
});

test('one DCC, one SHC QR image, one revoked card: the panel’s full rendering; screenshots', async (t) => {
  if (MISSING) { t.skip(MISSING); return; }
  // The list imported by the test above (sequence 2, a day before SHC_NOW) is in force: a test
  // file runs its tests in order, in one browser.
  await browser.setStorage({ verifyAt: SHC_NOW });
  let { tab, popup, cards } = await scan('/shc');
  assert.deepEqual(cards.map((c) => [c.source, c.kind, c.verdict]), [['image', 'smart-health-card', 'verified']]);
  const shc = await popup.evaluate(`({
    banner: document.querySelector('.hp-verdict').textContent,
    facts: document.querySelector('.xp-facts')?.textContent ?? '',
    entries: document.querySelectorAll('.hp-section[data-section="immunizations"] .hp-entry').length,
    name: document.querySelector('.hp-patient__name')?.textContent,
    text: document.body.textContent,
  })`);
  assert.match(shc.banner, /SMART Health Card/);
  assert.ok(shc.banner.includes(`Issued by ${SHC_ISS}`));
  assert.doesNotMatch(shc.facts, /ledger|Witnesses/i, 'no ledger facts for a card');
  assert.match(shc.facts, /Trusted issuers list/);
  assert.equal(shc.entries, 3);
  assert.match(shc.name, /John B\. Anyperson/);
  await popup.screenshot('popup-shc.png');
  await popup.screenshot('popup-shc-full.png', { full: true });
  popup.detach();
  await tab.close();

  // Example 03 is revoked: selected on the page, not verified, the reason named.
  ({ tab, popup, cards } = await scan('/revoked', () => {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('card'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }));
  assert.deepEqual(cards.map((c) => [c.source, c.kind, c.verdict]), [['selection', 'smart-health-card', 'not-verified']]);
  assert.ok(cards[0].codes.includes('status-revoked'), cards[0].codes.join());
  assert.equal(await popup.evaluate("document.querySelectorAll('.hp-section').length"), 0);
  await popup.screenshot('popup-shc-revoked.png');
  popup.detach();
  await tab.close();

  // Example 02 as three QR images, out of order: one card, verified.
  ({ tab, popup, cards } = await scan('/chunks'));
  assert.deepEqual(cards.map((c) => [c.source, c.where, c.kind, c.verdict]),
    [['image', 'Card, code 3 of 3 + Card, code 1 of 3 + Card, code 2 of 3', 'smart-health-card', 'verified']]);
  popup.detach();
  await tab.close();

  await browser.setStorage({ verifyAt: dcc().now });
  const options = await browser.extensionPage('options.html');
  await options.waitForSelector('body[data-state="done"]');
  // Back to the first list's time: a list issued later would be from the future.
  const first = signedList(ws, { lines, sequence: 3, issued: dcc().now - 86400, key });
  await options.setInputFiles('#update-file', { name: 'list-3.txt', mimeType: 'text/plain', buffer: Buffer.from(first) });
  await options.click('#update-button');
  await options.waitForFunction(() => document.querySelector('.xo-trust-current')?.dataset.sequence === '3');
  await options.close();
  ({ tab, popup, cards } = await scan('/dcc'));
  assert.deepEqual(cards.map((c) => [c.source, c.kind, c.verdict]), [['script', 'hcert', 'verified']]);
  const cert = await popup.evaluate(`({
    banner: document.querySelector('.hp-verdict').textContent,
    facts: document.querySelector('.xp-facts')?.textContent ?? '',
    section: document.querySelector('.hp-section[data-section="immunizations"]')?.textContent ?? '',
  })`);
  assert.match(cert.banner, /EU Digital COVID Certificate[\s\S]*Signed by Ubirch GmbH, Germany[\s\S]*Valid until January 28, 2022/);
  assert.doesNotMatch(cert.facts, /ledger|Witnesses/i);
  assert.match(cert.section, /Dose: 2 of 2/);
  await popup.screenshot('popup-dcc.png');
  await popup.screenshot('popup-dcc-full.png', { full: true });
  popup.detach();
  await tab.close();
});
