// Camera QR scanning, end to end: Chromium's fake camera plays a video of a QR code holding
// a reduced demo presentation (raw UTF-8 bytes, byte mode, as the share button makes it);
// the page reads it with its bundled decoder (Debian's Chromium has no BarcodeDetector on
// Linux) and verifies it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import qrcode from 'qrcode-generator';
import { serve, launch, openPage, waitVerdict, demoText } from '../support/browser.mjs';
import { hp } from '../support/oracle.mjs';

/** A Y4M (YUV 4:2:0) video of `frames` identical frames showing the QR code of `bytes`. */
function qrVideo(bytes, { scale = 3, frames = 5 } = {}) {
  const qr = qrcode(0, 'L');
  qr.addData(String.fromCharCode(...bytes), 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const side = Math.ceil(((n + 8) * scale) / 16) * 16;
  const offset = Math.floor((side - n * scale) / 2);
  const y = Buffer.alloc(side * side, 235);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.isDark(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) {
        y.fill(16, (offset + r * scale + dy) * side + offset + c * scale, (offset + r * scale + dy) * side + offset + (c + 1) * scale);
      }
    }
  }
  const chroma = Buffer.alloc((side / 2) * (side / 2) * 2, 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${side} H${side} F5:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n'), y, chroma);
  return Buffer.concat(parts);
}

let dir;
let server;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hp-camera-'));
  server = await serve();
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a QR code shown to the camera is decoded and verified', async () => {
  const reduced = hp.disclose(demoText('de-anna-schmidt-full'), ['name']);
  const video = join(dir, 'qr.y4m');
  writeFileSync(video, qrVideo(new TextEncoder().encode(reduced)));
  const browser = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`]);
  try {
    const { page, problems } = await openPage(browser, server.url, { contextOptions: { permissions: ['camera'] } });
    await page.click('#scan');
    await page.waitForFunction(() => document.getElementById('scan-hint').textContent.includes('QR decoder')
      || document.getElementById('scan-hint').textContent.includes('barcode detector'));
    assert.equal(await waitVerdict(page, 'a QR code'), 'verified');
    assert.equal(await page.isHidden('#scan-box'), true, 'the camera stops after a read');
    const sections = await page.$$eval('#report .hp-section', (s) => s.length);
    assert.equal(sections, 0, 'only the name was in the code');
    assert.match(await page.textContent('#report .hp-patient__name'), /Anna/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a QR code that is not a record gets qr-not-record', async () => {
  const video = join(dir, 'other.y4m');
  writeFileSync(video, qrVideo(new TextEncoder().encode('https://example.org/not-a-record'), { scale: 8 }));
  const browser = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`]);
  try {
    const { page } = await openPage(browser, server.url, { contextOptions: { permissions: ['camera'] } });
    await page.click('#scan');
    await page.waitForSelector('#error:not([hidden])');
    assert.equal(await page.getAttribute('#error-text', 'data-code'), 'qr-not-record');
  } finally {
    await browser.close();
  }
});

test('where the browser has BarcodeDetector, it is used, and UTF-8 read as Latin-1 is repaired', async () => {
  const reduced = hp.disclose(demoText('fr-camille-lefevre-full'), ['name', 'birthDate']);
  // What a detector that decodes byte mode as ISO-8859-1 returns: one character per byte.
  const mangled = String.fromCharCode(...new TextEncoder().encode(reduced));
  assert.notEqual(mangled, reduced);
  const video = join(dir, 'blank.y4m');
  writeFileSync(video, qrVideo(new TextEncoder().encode('x'), { scale: 8 }));
  const browser = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`]);
  try {
    const context = await browser.newContext({ permissions: ['camera'], timezoneId: 'UTC' });
    context.setDefaultTimeout(120_000);
    // A stand-in for the platform detector (Linux Chromium has none), installed before the page.
    await context.addInitScript((raw) => {
      window.BarcodeDetector = class {
        static async getSupportedFormats() { return ['qr_code', 'ean_13']; }
        async detect() { return [{ rawValue: raw, format: 'qr_code' }]; }
      };
    }, mangled);
    const page = await context.newPage();
    await page.clock.setFixedTime(new Date('2026-11-22T12:00:00Z'));
    await page.goto(server.url);
    await page.waitForSelector('html[data-ready="true"]');
    await page.click('#scan');
    assert.equal(await waitVerdict(page, 'a QR code'), 'verified');
    assert.match(await page.textContent('#report .hp-patient__name'), /Camille/);
  } finally {
    await browser.close();
  }
});

test('no camera: camera-unavailable, and the scanner closes again', async () => {
  const browser = await launch();
  try {
    const { page } = await openPage(browser, server.url);
    await page.click('#scan');
    await page.waitForSelector('#error:not([hidden])');
    assert.equal(await page.getAttribute('#error-text', 'data-code'), 'camera-unavailable');
    assert.equal(await page.isHidden('#scan-box'), true);
    assert.equal(await page.getAttribute('#scan', 'aria-expanded'), 'false');
  } finally {
    await browser.close();
  }
});
