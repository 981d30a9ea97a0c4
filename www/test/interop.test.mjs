// EU Digital COVID Certificates and SMART Health Cards on the traveler's page, with the public
// test data of ../shared/interop read in place: a trust list made with the CLI and imported
// through the page's own "Import a signed list", the page clock at each data set's validation
// time, then paste, file, drop and camera. Skipped, with the reason, where the data or the CLI
// is absent. Screenshots: target/artifacts/www/dcc-*.png, shc-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, openPage, waitVerdict, demoText, ARTIFACTS, DEMO_NOW } from '../support/browser.mjs';
import {
  MISSING, dcc, shcQr, shcQrCode, shcFile, SHC_NOW, SHC_ISS, workspace, interopLines, demoLines, demoSignerKey, signedList,
} from '../support/interop.mjs';
import { MESSAGES, LANGUAGES } from '../src/shared/i18n.js';

let server;
let browser;
let ws;
let lines;
let key;
before(async () => {
  if (MISSING) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  ws = workspace();
  // The certificates' signers beside the demo list's own issuers, log and witnesses.
  lines = demoLines() + interopLines(ws);
  // Signed by the page's bundled signer key, so the page takes it as an update of its list.
  key = demoSignerKey(ws);
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (ws) rmSync(ws.dir, { recursive: true, force: true });
});

/** Imports a list issued a day before `now` through the page's file input, as a user would. */
async function importList(page, now) {
  const list = signedList(ws, { lines, sequence: 2, issued: now - 86400, key });
  await page.setInputFiles('#trust-file', { name: 'interop-trust-list.txt', mimeType: 'text/plain', buffer: Buffer.from(list) });
  await page.waitForFunction(() => document.getElementById('trust-status').dataset.sequence === '2');
  assert.match(await page.textContent('#trust-message'), /List no\. 2 accepted/);
}

async function withPage(now, fn, options = {}) {
  const { context, page, problems } = await openPage(browser, server.url, { now: new Date(now * 1000), ...options });
  try {
    await importList(page, now);
    await fn(page);
    assert.deepEqual(problems, [], 'no page errors or console errors');
  } finally {
    await context.close();
  }
}

/** Ids and outcomes of the checks shown. */
const checks = (page) => page.$$eval('#report .hp-check', (c) => c.map((e) => [e.dataset.check, e.dataset.outcome]));

test('EU DCC: pasted QR text verified, vaccination shown, expiry given, no ledger, no partial sharing', async (t) => {
  if (MISSING) { t.skip(MISSING); return; }
  const { text, now } = dcc();
  await withPage(now, async (page) => {
    await page.fill('#paste', text);
    await page.click('#paste-go');
    assert.equal(await waitVerdict(page, 'pasted'), 'verified');
    assert.equal(await page.getAttribute('#report .hp-verdict', 'data-kind'), 'hcert');
    assert.deepEqual(await checks(page), ['format', 'trust-list', 'issuer-known', 'signature', 'claims', 'key-valid',
      'key-usage', 'issued-at', 'not-expired', 'trust-list-freshness'].map((id) => [id, 'passed']));
    const banner = await page.textContent('#report .hp-verdict');
    assert.match(banner, /EU Digital COVID Certificate/);
    assert.match(banner, /Signed by Ubirch GmbH, Germany/);
    assert.match(banner, /Issued on May 29, 2021/);
    assert.match(banner, /Valid until January 28, 2022/);
    assert.match(await page.textContent('#report .hp-check[data-check="not-expired"]'), /Valid until January 28, 2022/);
    // The vaccination, its fields as text; the holder's name and date of birth.
    const section = await page.textContent('#report .hp-section[data-section="immunizations"]');
    assert.match(section, /Dose: 2 of 2/);
    assert.match(section, /Date of vaccination: 2021-05-29/);
    assert.match(await page.textContent('#report .hp-patient__name'), /Erika Mustermann/);
    const report = await page.textContent('#report');
    assert.doesNotMatch(report, /ledger|witness|not shared/i, 'no ledger facts, no "not shared" for fields a DCC never has');
    // Selective sharing is HealthProof's: here the panel only explains why not.
    assert.equal(await page.isVisible('#share'), true);
    assert.equal(await page.isVisible('#share-unavailable'), true);
    assert.equal(await page.isHidden('#share-actions'), true);
    assert.match(await page.textContent('#share-unavailable'), /signed as a whole/);
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'dcc-verified.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'dcc-verified-full.png'), fullPage: true });
    // Technical details: the certificate's own fields as signed (JSON, as text).
    await page.setChecked('#technical', true);
    assert.match(await page.textContent('#report .hp-section .hp-json'), /URN:UVCI:01DE\/IZ12345A/);
    await page.setChecked('#technical', false);

    // Every check named and explained in every language (no raw ids, no English fallback).
    for (const { code: lang } of LANGUAGES) {
      await page.selectOption('#lang', lang);
      const titles = await page.$$eval('#report .hp-check', (c) => c.map((e) => [e.dataset.check, e.querySelector('.hp-check__title').textContent]));
      for (const [id, title] of titles) assert.equal(title, MESSAGES[lang][`check.${id}`], `${lang}: ${id}`);
      assert.ok((await page.textContent('#report .hp-verdict')).includes(MESSAGES[lang]['kind.hcert']), lang);
    }
    await page.selectOption('#lang', 'de');
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'dcc-verified-de.png') });
    await page.selectOption('#lang', 'en');

    // One character changed: not verified, nothing of the content shown.
    const i = text.length - 20;
    await page.fill('#paste', text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1));
    await page.click('#paste-go');
    await page.waitForFunction(() => document.querySelector('#report .hp-verdict')?.dataset.verdict === 'not-verified');
    assert.equal(await page.$$eval('#report .hp-section', (s) => s.length), 0);
    assert.equal(await page.isHidden('#share'), true);
  });
});

test('SMART Health Cards: QR text verified, chunked QR and file too, a revoked card not', async (t) => {
  if (MISSING) { t.skip(MISSING); return; }
  await withPage(SHC_NOW, async (page) => {
    await page.fill('#paste', shcQr(0));
    await page.click('#paste-go');
    assert.equal(await waitVerdict(page, 'pasted'), 'verified');
    assert.equal(await page.getAttribute('#report .hp-verdict', 'data-kind'), 'smart-health-card');
    const banner = await page.textContent('#report .hp-verdict');
    assert.match(banner, /SMART Health Card/);
    assert.ok(banner.includes(`Issued by ${SHC_ISS}`), banner);
    assert.doesNotMatch(banner, /Issued by [^\n]*, *$/m, 'no empty country after the issuer');
    const ids = await checks(page);
    assert.deepEqual(ids.map(([id]) => id), ['format', 'trust-list', 'issuer-known', 'signature', 'claims', 'issued-at',
      'not-expired', 'status', 'trust-list-freshness']);
    assert.deepEqual(ids.find(([id]) => id === 'not-expired'), ['not-expired', 'not-applicable']);
    assert.match(await page.textContent('#report .hp-check[data-check="status"]'), /revocation list does not list this card/);
    const entries = await page.$$eval('#report .hp-section[data-section="immunizations"] .hp-entry', (e) => e.map((x) => x.textContent));
    assert.equal(entries.length, 3);
    assert.match(entries[0], /CVX 207/);
    assert.match(entries[0], /Lot number\s*0000001/);
    assert.match(entries[0], /Performed by\s*ABC General Hospital/);
    assert.match(await page.textContent('#report .hp-patient__name'), /John B\. Anyperson/);
    assert.doesNotMatch(await page.textContent('#report'), /ledger|witness|not shared/i);
    assert.match(await page.textContent('#share-unavailable'), /SMART Health Card is signed as a whole/);
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'shc-verified.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'shc-verified-full.png'), fullPage: true });
    await page.setViewportSize({ width: 320, height: 720 });
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'shc-verified-320.png') });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    await page.setViewportSize({ width: 1100, height: 900 });

    // Example 03 is on the issuer's revocation list.
    await page.fill('#paste', shcQr(3));
    await page.click('#paste-go');
    await page.waitForFunction(() => document.querySelector('#report .hp-verdict')?.dataset.verdict === 'not-verified');
    const failed = await page.$eval('#report .hp-check[data-outcome="failed"]', (d) => [d.dataset.check, d.textContent]);
    assert.equal(failed[0], 'status');
    assert.ok(failed[1].includes(MESSAGES.en['code.status-revoked']));
    assert.deepEqual(await page.$$eval('#report .hp-verdict__reasons li', (l) => l.map((e) => e.dataset.code)), ['status-revoked']);
    assert.equal(await page.$$eval('#report .hp-section', (s) => s.length), 0);
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'shc-revoked.png') });

    // Example 02 in three QR chunks, pasted together.
    await page.fill('#paste', [0, 1, 2].map((k) => shcQr(2, k)).join('\n'));
    await page.click('#paste-go');
    await page.waitForFunction(() => document.querySelector('#report .hp-verdict')?.dataset.verdict === 'verified');

    // The .smart-health-card file, through the file picker and by drag and drop.
    await page.setInputFiles('#file', { name: 'example-00.smart-health-card', mimeType: 'application/smart-health-card', buffer: Buffer.from(shcFile(0)) });
    assert.equal(await waitVerdict(page, 'example-00.smart-health-card'), 'verified');
    await page.evaluate((body) => {
      const dt = new DataTransfer();
      dt.items.add(new File([body], 'dropped.smart-health-card'));
      document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, shcFile(1));
    assert.equal(await waitVerdict(page, 'dropped.smart-health-card'), 'verified');
  });
});

test('after a certificate, a HealthProof record gets its sharing controls back', async (t) => {
  if (MISSING) { t.skip(MISSING); return; }
  const { text, now } = dcc();
  await withPage(now, async (page) => {
    await page.fill('#paste', text);
    await page.click('#paste-go');
    assert.equal(await waitVerdict(page, 'pasted'), 'verified');
    assert.equal(await page.isVisible('#share-unavailable'), true);
    // Back to the demo data's time: the imported list also holds the demo issuers.
    await page.clock.setFixedTime(DEMO_NOW);
    await page.setInputFiles('#file', { name: 'anna.hproof', mimeType: 'application/octet-stream', buffer: Buffer.from(demoText('de-anna-schmidt-full')) });
    assert.notEqual(await waitVerdict(page, 'anna.hproof'), 'not-verified');
    assert.equal(await page.isHidden('#share-unavailable'), true);
    for (const id of ['#share-intro', '#share-sections', '#share-actions']) assert.equal(await page.isVisible(id), true, id);
    assert.ok(await page.$$eval('#share input[type=checkbox]', (b) => b.length) >= 8);
    // The ledger facts are back for a HealthProof record.
    assert.match(await page.textContent('#report'), /ledger/);
  });
});

/** A Y4M video (YUV 4:2:0) of `frames` frames of grey pixels `grey` (w × h), scaled by `scale`. */
function y4m(grey, w, h, { scale = 3, frames = 5 } = {}) {
  const side = Math.ceil((Math.max(w, h) * scale + 48) / 16) * 16;
  const y = Buffer.alloc(side * side, 235);
  const ox = Math.floor((side - w * scale) / 2);
  const oy = Math.floor((side - h * scale) / 2);
  for (let r = 0; r < h * scale; r++) {
    for (let c = 0; c < w * scale; c++) {
      y[(oy + r) * side + ox + c] = grey[Math.floor(r / scale) * w + Math.floor(c / scale)] < 128 ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((side / 2) * (side / 2) * 2, 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${side} H${side} F5:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n'), y, chroma);
  return Buffer.concat(parts);
}

test('the DCC QR code image (dgc-testdata PNG) through the camera and the bundled decoder', async (t) => {
  if (MISSING) { t.skip(MISSING); return; }
  const { png, now } = dcc();
  // The browser decodes the PNG (Node has no image decoder); the pixels become a fake camera.
  const decoded = await (async () => {
    // A blank page: the site's CSP (img-src 'self') rightly refuses a data: image.
    const context = await browser.newContext();
    context.setDefaultTimeout(120_000);
    const page = await context.newPage();
    try {
      return await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        return { w: c.width, h: c.height, grey: Array.from({ length: c.width * c.height }, (_, i) => d[i * 4]) };
      }, readFileSync(png).toString('base64'));
    } finally {
      await context.close();
    }
  })();
  const video = join(ws.dir, 'dcc.y4m');
  writeFileSync(video, y4m(decoded.grey, decoded.w, decoded.h));
  const camera = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`]);
  try {
    const { context, page, problems } = await openPage(camera, server.url, { now: new Date(now * 1000), contextOptions: { permissions: ['camera'] } });
    await importList(page, now);
    await page.click('#scan');
    assert.equal(await waitVerdict(page, 'a QR code'), 'verified');
    assert.equal(await page.getAttribute('#report .hp-verdict', 'data-kind'), 'hcert');
    assert.match(await page.textContent('#report .hp-patient__name'), /Erika Mustermann/);
    assert.equal(await page.isHidden('#scan-box'), true);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await camera.close();
  }
});

/** The module matrix of an SHC chunk's QR code, for the fake camera. */
function shcMatrix(text) {
  const qr = shcQrCode(text);
  return { n: qr.getModuleCount(), dark: (r, c) => qr.isDark(r, c) };
}

/** A Y4M video showing each code for `each` frames in turn (the fake camera loops it). */
function codesVideo(matrices, { scale = 4, each = 4 } = {}) {
  const max = Math.max(...matrices.map((m) => m.n));
  const side = Math.ceil(((max + 8) * scale) / 16) * 16;
  const chroma = Buffer.alloc((side / 2) * (side / 2) * 2, 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${side} H${side} F5:1 Ip A1:1 C420jpeg\n`)];
  for (const { n, dark } of matrices) {
    const y = Buffer.alloc(side * side, 235);
    const offset = Math.floor((side - n * scale) / 2);
    for (let r = 0; r < n * scale; r++) {
      for (let c = 0; c < n * scale; c++) {
        if (dark(Math.floor(r / scale), Math.floor(c / scale))) y[(offset + r) * side + offset + c] = 16;
      }
    }
    for (let i = 0; i < each; i++) parts.push(Buffer.from('FRAME\n'), y, chroma);
  }
  return Buffer.concat(parts);
}

test('a SMART Health Card in three QR codes, shown to the camera one after the other', async (t) => {
  if (MISSING) { t.skip(MISSING); return; }
  const video = join(ws.dir, 'shc-chunks.y4m');
  // Shown out of order, as a holder might: 2, 3, 1.
  writeFileSync(video, codesVideo([1, 2, 0].map((k) => shcMatrix(shcQr(2, k)))));
  const camera = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`]);
  try {
    const { context, page, problems } = await openPage(camera, server.url, { now: new Date(SHC_NOW * 1000), contextOptions: { permissions: ['camera'] } });
    await importList(page, SHC_NOW);
    await page.click('#scan');
    await page.waitForFunction(() => /of the 3 QR codes/.test(document.getElementById('scan-hint').textContent));
    assert.equal(await waitVerdict(page, 'a QR code'), 'verified');
    assert.equal(await page.getAttribute('#report .hp-verdict', 'data-kind'), 'smart-health-card');
    assert.equal(await page.isHidden('#scan-box'), true);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await camera.close();
  }
});
