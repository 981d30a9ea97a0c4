// The traveler's page in Debian's Chromium: every demo presentation, failures with their
// reasons, hostile markup, links, paste, sharing, languages, the trust list, keyboard use,
// and screenshots of the main screens (target/artifacts/www/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { serve, launch, openPage, loadFile, waitVerdict, demoText, EXAMPLES, ARTIFACTS } from '../support/browser.mjs';
import { oracle, signTrustList, trustListText, hp } from '../support/oracle.mjs';
import { MESSAGES } from '../src/shared/i18n.js';
import { encodeFragment } from '../src/shared/fragment.js';

/** Verdicts as of 2026-11-22, from examples/README.md. */
const EXPECTED = {
  'tampered': ['not-verified', 'disclosure-unreferenced'],
  'untrusted-issuer-partial': ['not-verified', 'issuer-unknown'],
  'expired-key-partial': ['not-verified', 'key-not-valid'],
  'revoked-key-after-revocation-partial': ['not-verified', 'key-revoked'],
  'es-mateo-fernandez-ruiz-full': ['verified-with-warnings', 'key-revoked-after-logging'],
  'es-mateo-fernandez-ruiz-partial': ['verified-with-warnings', 'key-revoked-after-logging'],
};
const DEMOS = readdirSync(join(EXAMPLES, 'presentations')).filter((n) => n.endsWith('.hproof')).map((n) => n.slice(0, -7)).sort();
const HOSTILE = '<script>window.__hpPwned=1</script><img src=x onerror="window.__hpPwned=1">';

let server;
let browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function withPage(options, fn) {
  const { context, page, problems } = await openPage(browser, server.url, options);
  try {
    await fn(page, context);
    const unexpected = problems.filter((p) => !(options.expectProblems?.test(p)));
    assert.deepEqual(unexpected, [], 'no page errors or console errors');
  } finally {
    await context.close();
  }
}

test('every demo presentation shows the expected verdict, reasons and all its sections', async () => {
  assert.equal(DEMOS.length, 22);
  await withPage({}, async (page) => {
    for (const name of DEMOS) {
      const [verdict, code] = EXPECTED[name] ?? ['verified', null];
      const text = demoText(name);
      assert.equal(oracle(text).verdict, verdict, `${name}: the package agrees with the README`);
      assert.equal(await loadFile(page, name, text), verdict, name);
      const reasons = await page.$$eval('#report .hp-verdict__reasons li', (lis) => lis.map((l) => l.dataset.code));
      assert.deepEqual(reasons, code ? [code] : [], `${name}: reasons`);
      if (code) {
        const banner = await page.textContent('#report .hp-verdict');
        assert.ok(banner.includes(MESSAGES.en[`code.${code}`]), `${name}: explained in words`);
      }
      const shown = await page.$$eval('#report .hp-section', (s) => s.map((e) => e.dataset.section));
      const report = oracle(text);
      if (verdict === 'not-verified') {
        assert.deepEqual(shown, [], `${name}: nothing shown from a record that failed`);
        assert.equal(await page.isHidden('#share'), true);
      } else {
        assert.deepEqual([...shown].sort(), report.content.sections.map((s) => s.key).sort(), `${name}: sections`);
        for (const s of report.content.sections) {
          const title = await page.textContent(`#report .hp-section[data-section="${s.key}"] .hp-section__title`);
          assert.ok(title.includes(s.title), `${name}: ${s.key} titled`);
        }
        assert.equal(await page.isVisible('#share'), true);
      }
      const checks = await page.$$eval('#report .hp-check', (c) => c.map((e) => e.dataset.check));
      assert.equal(checks.length, 14, `${name}: 14 checks`);
    }
  });
});

test('a tampered record: not verified, the failed check open with its reason, no content', async () => {
  await withPage({}, async (page) => {
    assert.equal(await loadFile(page, 'tampered'), 'not-verified');
    const failed = await page.$eval('#report .hp-check[data-outcome="failed"]', (d) => ({ id: d.dataset.check, text: d.textContent }));
    assert.equal(failed.id, 'disclosures');
    assert.ok(failed.text.includes(MESSAGES.en['code.disclosure-unreferenced']));
    assert.ok((await page.textContent('#report')).includes(MESSAGES.en['ui.content.none']));
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'failed.png') });
    await page.setViewportSize({ width: 320, height: 720 });
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'failed-320.png') });
  });
});

test('script and HTML in every text field are shown as text and never run', async () => {
  await withPage({}, async (page) => {
    for (const name of ['hostile-markup-full', 'hostile-markup-partial']) {
      assert.equal(await loadFile(page, name), 'verified', name);
      for (const technical of [false, true]) {
        await page.setChecked('#technical', technical);
        const text = await page.textContent('#report');
        const count = text.split(HOSTILE).length - 1;
        assert.ok(count >= 10, `${name}: the markup is shown literally (${count} times)`);
        assert.equal(await page.$$eval('#report script, #report img, #report iframe, #report [onerror]', (e) => e.length), 0);
        // The share panel's labels carry section titles: text there too.
        assert.equal(await page.$$eval('#share script, #share img', (e) => e.length), 0);
      }
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => window.__hpPwned), undefined, `${name}: nothing executed`);
    }
  });
});

test('the verdict screen: 14 checks in plain language, details on demand; screenshots', async () => {
  await withPage({}, async (page) => {
    assert.equal(await loadFile(page, 'es-mateo-fernandez-ruiz-full'), 'verified-with-warnings');
    const warn = await page.$eval('#report .hp-check[data-outcome="warning"]', (d) => ({ id: d.dataset.check, open: d.open }));
    assert.deepEqual(warn, { id: 'key-not-revoked', open: true });
    // The witness details: who vouched and when.
    await page.click('#report .hp-check[data-check="witness-quorum"] summary');
    const witness = await page.textContent('#report .hp-check[data-check="witness-quorum"] .hp-dl');
    assert.match(witness, /north \(witness-eu-north\.healthproof\.example\), cosigned November 16, 2026/);
    assert.match(witness, /ledger\.healthproof\.example\/demo/);
    assert.match(witness, /22,727 of 100,011/);
    await page.click('#report .hp-check[data-check="issuer-known"] summary');
    assert.match(await page.textContent('#report .hp-check[data-check="issuer-known"] .hp-dl'), /Hospital Universitario de Barcelona \(demo\)[\s\S]*Spain \(ES\)/);
    assert.match(await page.textContent('#report .hp-check[data-check="trust-list-freshness"]'), /2 days old/);
    // Coded entries: display text, code system and code; dates readable.
    const allergy = await page.textContent('#report .hp-section[data-section="allergies"] .hp-entry');
    assert.match(allergy, /Hen's egg\s*SNOMED CT 286550009/);
    assert.match(allergy, /March 2020/);
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'verified-with-warnings.png') });
    assert.equal(await loadFile(page, 'nl-johanna-van-den-berg-full'), 'verified');
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'verified.png') });
    await page.$eval('#report .hp-content', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'verified-content.png') });
    await page.setViewportSize({ width: 320, height: 720 });
    await page.$eval('#result', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'verified-320.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling at 320 px');
  });
});

test('a #hp1. link verifies without the record reaching the server', async () => {
  const text = demoText('fr-camille-lefevre-partial');
  const before = server.requests.length;
  await withPage({ path: encodeFragment(text) }, async (page) => {
    assert.equal(await waitVerdict(page), 'verified');
    assert.match(await page.textContent('#source'), /a link/);
  });
  for (const path of server.requests.slice(before)) assert.ok(!path.includes('hp1') && path.length < 200, path);
  await withPage({ path: '#hp1.not~base64' }, async (page) => {
    await page.waitForSelector('#error:not([hidden])');
    assert.equal(await page.getAttribute('#error-text', 'data-code'), 'fragment-malformed');
  });
});

test('paste: the file with CRLF line ends, a link, and garbage with its code', async () => {
  await withPage({}, async (page) => {
    await page.fill('#paste', demoText('it-giuseppe-russo-partial').replace(/\n/g, '\r\n'));
    await page.click('#paste-go');
    assert.equal(await waitVerdict(page, 'pasted'), 'verified');
    await page.fill('#paste', `https://somewhere.example/${encodeFragment(demoText('tampered'))}`);
    await page.click('#paste-go');
    await page.waitForFunction(() => document.querySelector('#report .hp-verdict')?.dataset.verdict === 'not-verified');
    await page.fill('#paste', 'hello, I am not a record');
    await page.click('#paste-go');
    await page.waitForFunction(() => document.querySelector('#report .hp-check[data-check="format"]')?.dataset.outcome === 'failed');
    assert.match(await page.textContent('#report .hp-verdict'), /presentation-malformed/);
    await page.fill('#paste', '   ');
    await page.click('#paste-go');
    await page.waitForSelector('#error:not([hidden])');
    assert.equal(await page.getAttribute('#error-text', 'data-code'), 'input-empty');
  });
});

test('drag and drop a file anywhere on the page', async () => {
  await withPage({}, async (page) => {
    const text = demoText('pl-krzysztof-wisniewski-partial');
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'dropped.hproof'));
      document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    assert.equal(await waitVerdict(page, 'dropped.hproof'), 'verified');
    // Not text at all: a clear code.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([0xff, 0xfe, 0x00, 0x80])], 'photo.jpg'));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('#error:not([hidden])');
    assert.equal(await page.getAttribute('#error-text', 'data-code'), 'not-text');
  });
});

test('share: a reduced file that still verifies, a QR code when it fits, a link', async () => {
  await withPage({ contextOptions: { acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] } }, async (page) => {
    assert.equal(await loadFile(page, 'de-anna-schmidt-full'), 'verified');
    const boxes = await page.$$eval('#share input[type=checkbox]', (b) => b.map((i) => [i.value, i.checked]));
    assert.ok(boxes.length >= 8 && boxes.every(([, c]) => c), 'every part offered, ticked');
    // Keep the name and the allergies only.
    for (const [value] of boxes) await page.setChecked(`#share input[value="${value}"]`, value === 'name' || value === 'allergies');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#share-download')]);
    const reduced = readFileSync(await download.path(), 'utf8');
    assert.equal(download.suggestedFilename(), 'de-anna-schmidt-full-shared.hproof');
    const report = oracle(reduced);
    assert.equal(report.verdict, 'verified');
    assert.deepEqual(report.content.sections.map((s) => s.key), ['allergies']);
    assert.deepEqual(Object.keys(report.content.patient), ['name']);
    assert.equal(reduced, hp.disclose(demoText('de-anna-schmidt-full'), ['name', 'allergies']));

    // Too large for a QR code: said so, with the numbers.
    await page.click('#share-qr');
    await page.waitForFunction(() => document.getElementById('share-status').textContent.includes('Too large'));
    assert.equal(await page.isHidden('#share-qr-box'), true);
    // The name alone fits: the QR code holds exactly the reduced presentation.
    await page.setChecked('#share input[value="allergies"]', false);
    await page.click('#share-qr');
    await page.waitForSelector('#share-qr-box canvas');
    const pixels = await page.$eval('#share-qr-box canvas', (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      return { w: d.width, h: d.height, data: Array.from(d.data) };
    });
    const code = jsQR(Uint8ClampedArray.from(pixels.data), pixels.w, pixels.h);
    const nameOnly = hp.disclose(demoText('de-anna-schmidt-full'), ['name']);
    assert.equal(Buffer.from(code.binaryData).toString('utf8'), nameOnly);
    assert.match(await page.textContent('#share-status'), /parts shared: 1\. QR code: \d+ bytes, version \d+/);
    await page.$eval('#share-actions', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'share.png') });
    await page.setViewportSize({ width: 320, height: 720 });
    await page.$eval('#share-qr-box', (e) => e.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: join(ARTIFACTS, 'share-320.png') });
    await page.setViewportSize({ width: 1100, height: 900 });

    await page.click('#share-link');
    await page.waitForSelector('#share-link-box:not([hidden])');
    const link = await page.inputValue('#share-link-text');
    assert.ok(link.startsWith(server.url + '#hp1.'));
    assert.equal(link, server.url + encodeFragment(nameOnly));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

    // Nothing ticked: a clear message, no file.
    for (const [value] of boxes) await page.setChecked(`#share input[value="${value}"]`, false);
    await page.click('#share-download');
    await page.waitForFunction(() => document.getElementById('share-status').textContent.startsWith('share-empty'));
  });
});

test('six languages: picked from the browser, switchable, verdicts and codes translated', async () => {
  await withPage({ locale: 'de-AT' }, async (page) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.equal(await loadFile(page, 'tampered'), 'not-verified');
    assert.equal(await page.textContent('#report .hp-verdict__name'), 'Nicht bestätigt');
    for (const lang of ['en', 'fr', 'es', 'it', 'et', 'de']) {
      await page.selectOption('#lang', lang);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(await page.textContent('#report .hp-verdict__name'), MESSAGES[lang]['verdict.not-verified']);
      assert.ok((await page.textContent('#report .hp-verdict')).includes(MESSAGES[lang]['code.disclosure-unreferenced']), lang);
      assert.equal(await page.textContent('#open-h'), MESSAGES[lang]['ui.open.heading']);
    }
    // Field names and FHIR codes in the reader's language; the issuer's text as written.
    assert.equal(await loadFile(page, 'es-mateo-fernandez-ruiz-full'), 'verified-with-warnings');
    const allergy = await page.textContent('#report .hp-section[data-section="allergies"] .hp-entry');
    assert.match(allergy, /Kritikalität\s*niedrig/);
    assert.match(allergy, /Kategorie\s*Nahrungsmittel/);
    assert.match(allergy, /Seit\s*März 2020/);
    assert.match(allergy, /Huevo de gallina/);
    // Remembered across a reload.
    await page.selectOption('#lang', 'et');
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.textContent('#open-h'), MESSAGES.et['ui.open.heading']);
  });
});

test('trust list: bundled with its age, a newer signed list imported, a rollback refused', async () => {
  await withPage({}, async (page) => {
    const status = () => page.$eval('#trust-status', (e) => ({ seq: e.dataset.sequence, days: e.dataset.ageDays, text: e.textContent }));
    assert.deepEqual((await status()).seq, '1');
    assert.equal((await status()).days, '2');
    assert.match((await status()).text, /List no\. 1, issued November 20, 2026 \(2 days old\)/);
    const importList = async (text, name) => {
      await page.setInputFiles('#trust-file', { name, mimeType: 'text/plain', buffer: Buffer.from(text) });
    };
    // Signed by a key nobody allowed: refused.
    await importList(signTrustList(trustListText({ sequence: 5, issued: 1795132800 }), 'someone.example/key').signed, 'other.txt');
    await page.waitForFunction(() => document.getElementById('trust-message').dataset.code === 'trust-list-signer-unknown');
    // Sequence 2 from the demo signer: accepted, and the record on screen is checked again.
    assert.equal(await loadFile(page, 'ee-liisa-kask-partial'), 'verified');
    await importList(signTrustList(trustListText({ sequence: 2, issued: 1795176000 })).signed, 'list-2.txt');
    await page.waitForFunction(() => document.getElementById('trust-status').dataset.sequence === '2');
    assert.match(await page.textContent('#trust-message'), /List no\. 2 accepted/);
    assert.match(await page.textContent('#trust-origin'), /Imported on this device/);
    await page.waitForFunction(() => document.querySelector('#report .hp-check[data-check="trust-list"] .hp-check__sentence')?.textContent.includes('no. 2'));
    // The bundled list (sequence 1) is now a rollback.
    await importList(readFileSync(join(EXAMPLES, 'trust-list.txt'), 'utf8'), 'trust-list.txt');
    await page.waitForFunction(() => document.getElementById('trust-message').dataset.code === 'trust-list-rollback');
    assert.ok((await page.textContent('#trust-message')).includes(MESSAGES.en['code.trust-list-rollback']));
    // Kept across a reload.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal((await status()).seq, '2');
  });
});

test('keyboard only: open a demo, expand a check, reach the share buttons', async () => {
  await withPage({}, async (page) => {
    await page.focus('#demo');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'demo-go');
    await page.keyboard.press('Enter');
    await waitVerdict(page, 'es-mateo-fernandez-ruiz-full');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'result-h', 'focus moves to the result');
    let reached = null;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement.closest('.hp-check')?.dataset.check ?? null);
    }
    assert.ok(reached, 'a check is reachable by Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.closest('details').open), true);
    const focusable = await page.$$eval('#share-download, #share-qr, #share-link, #lang, #paste, #paste-go, #scan, #trust-file',
      (els) => els.map((e) => e.tabIndex >= 0 || e.matches('input[type=file]')));
    assert.ok(focusable.every(Boolean));
  });
});

test('CSP: the page runs under script-src self + wasm-unsafe-eval, injected inline script does not run', async () => {
  const html = readFileSync(new URL('../../target/www/index.html', import.meta.url), 'utf8');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
  await withPage({ expectProblems: /^console: Executing inline script violates the following Content Security Policy/ }, async (page) => {
    const violations = [];
    await page.exposeFunction('__cspSeen', (v) => violations.push(v));
    await page.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (e) => window.__cspSeen(e.violatedDirective));
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = 1';
      document.body.append(s);
    });
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined);
    assert.ok(violations.some((v) => v.startsWith('script-src')), 'the browser reported the blocked script');
    assert.equal(await loadFile(page, 'pt-joao-pereira-full'), 'verified', 'wasm still runs under the policy');
  });
});
