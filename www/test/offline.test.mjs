// No network while verifying, offline after one visit, and no serious or critical axe-core
// violation on the main screens (desktop and 320 px).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve, launch, openPage, loadFile, waitVerdict } from '../support/browser.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Waits until the service worker controls the page and has cached the site. */
async function offlineReady(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null
    && document.getElementById('offline').textContent !== '');
}

test('verifying, switching language and sharing make zero network requests', async () => {
  const server = await serve();
  const { context, page, problems } = await openPage(browser, server.url, { contextOptions: { acceptDownloads: true } });
  try {
    await offlineReady(page);
    const seen = [];
    context.on('request', (r) => seen.push(r.url()));
    const before = server.requests.length;
    for (const name of ['de-anna-schmidt-full', 'tampered', 'hostile-markup-full', 'es-mateo-fernandez-ruiz-partial']) {
      await loadFile(page, name);
    }
    await page.setChecked('#technical', true);
    await page.selectOption('#lang', 'it');
    await page.selectOption('#lang', 'en');
    await page.click('#share-download');
    await page.waitForFunction(() => document.getElementById('share-status').textContent.includes('parts shared'));
    assert.deepEqual(seen, [], 'the browser made no request');
    assert.deepEqual(server.requests.slice(before), [], 'the server saw no request');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('after one visit, an offline reload still verifies (service worker)', async () => {
  const server = await serve();
  const { context, page, problems } = await openPage(browser, server.url);
  try {
    await offlineReady(page);
    await server.close();
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await page.click('#demo-go');
    assert.equal(await waitVerdict(page, 'es-mateo-fernandez-ruiz-full'), 'verified-with-warnings');
    assert.equal(await loadFile(page, 'it-giuseppe-russo-full'), 'verified');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

async function axe(page, label) {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses inline script.
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), []);
  return result.violations.length;
}

test('axe-core: no serious or critical violation on the start, verified, failed and share screens', async () => {
  const server = await serve();
  try {
    for (const viewport of [{ width: 1100, height: 900 }, { width: 320, height: 720 }]) {
      const { context, page } = await openPage(browser, server.url, { viewport });
      try {
        await axe(page, `start ${viewport.width}`);
        await loadFile(page, 'de-anna-schmidt-full');
        await page.setChecked('#technical', true);
        await axe(page, `verified ${viewport.width}`);
        await page.setChecked('#share input[value="name"]', true);
        for (const box of await page.$$('#share-sections input')) await box.setChecked(false);
        for (const f of ['birthDate', 'gender', 'identifier']) await page.setChecked(`#share input[value="${f}"]`, false);
        await page.click('#share-qr');
        await page.waitForSelector('#share-qr-box canvas');
        await axe(page, `share ${viewport.width}`);
        await loadFile(page, 'revoked-key-after-revocation-partial');
        await axe(page, `failed ${viewport.width}`);
        await page.fill('#paste', '#hp1.%%');
        await page.click('#paste-go');
        await page.waitForSelector('#error:not([hidden])');
        await axe(page, `error ${viewport.width}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await server.close();
  }
});
