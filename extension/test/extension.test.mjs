// The extension in Debian's Chromium, end to end: a toolbar click on a local test portal, the
// verdicts in the real popup, what the page can and cannot see, the options page and the
// audit trail. Screenshots go to target/artifacts/extension/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync, readFileSync } from 'node:fs';
import { launch, serve, freshBuild, NOW, artifactPath } from '../testkit/harness.mjs';
import { collect } from '../src/collect.js';
import { portal, presentation, selectionPage, pageWith, HOSTILE } from '../testkit/portal.mjs';
import { disclose } from '../../target/npm/healthproof/index.js';
import { MESSAGES } from '../../www/src/shared/i18n.js';

let browser;
let server;
let expected;
let built;

/** What the popup shows: one entry a record, in page order. */
const CARDS = `[...document.querySelectorAll('.xp-item')].map((c) => ({
  source: c.dataset.source,
  verdict: c.dataset.verdict,
  where: c.querySelector('.xp-source__where')?.textContent ?? null,
  codes: [...c.querySelectorAll('[data-code]')].map((e) => e.dataset.code).filter(Boolean),
}))`;

before(async () => {
  built = await freshBuild();
  // The QR code holds a record with nothing disclosed: the demo records are too large for one.
  const small = disclose(presentation('de-anna-schmidt-partial'), []);
  const p = portal(small);
  expected = p.expected;
  server = await serve({
    ...p.routes,
    '/plain': ['text/html; charset=utf-8', portal(small, { attack: false }).routes['/portal'][1]],
    '/empty': ['text/html; charset=utf-8', '<!doctype html><title>Nothing here</title><p>No records.</p>'],
    '/hostile': ['text/html; charset=utf-8', pageWith(['hostile-markup-full'])],
    '/selection': ['text/html; charset=utf-8', selectionPage('nl-johanna-van-den-berg-partial')],
  });
  browser = await launch(join(built, 'chromium'));
  await browser.setStorage({ verifyAt: NOW });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (built) rmSync(built, { recursive: true, force: true });
});

test('portal: every shape is found and each gets its verdict', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/portal?ext=${browser.extensionId}`);
  const tabId = await browser.tabIdOf(page);
  const mutationsBefore = await page.evaluate(() => window.__attack.mutations);
  server.log.length = 0;
  const popup = await browser.click(page);
  await popup.waitFor("document.body.dataset.state === 'done'");
  const cards = await popup.evaluate(CARDS);
  assert.equal(cards.length, expected.length, JSON.stringify(cards, null, 1));
  expected.forEach((want, i) => {
    const got = cards[i];
    assert.equal(got.source, want.source, `item ${i}`);
    assert.equal(got.verdict, want.verdict, `item ${i} (${want.where})`);
    if (want.where) assert.equal(got.where, want.where, `item ${i}`);
    if (want.code) assert.ok(got.codes.includes(want.code), `item ${i}: ${want.code} in ${got.codes}`);
  });
  assert.equal(cards[6].where, `${server.origin}/files/fr-camille-lefevre-partial.hproof`);
  const tally = await popup.evaluate("Object.fromEntries([...document.querySelectorAll('.xp-tally li')].map((l) => [l.dataset.verdict, Number(l.dataset.count)]))");
  assert.deepEqual(tally, { verified: 6, 'verified-with-warnings': 1, 'not-verified': 4 });
  assert.equal(await browser.badge(tabId), String(expected.length));
  // The only request of the whole scan: the same-origin file, read by the courier.
  assert.deepEqual(server.log, ['/files/fr-camille-lefevre-partial.hproof']);
  await popup.screenshot('popup-portal.png');
  await popup.screenshot('popup-portal-full.png', { full: true });
  popup.detach();

  // The page saw nothing: no change to its document, no message, no way to the verifier.
  const attack = await page.evaluate(() => window.__attack);
  assert.equal(attack.mutations, mutationsBefore, 'the extension changed the page');
  assert.equal(attack.messages, 1, 'only the page’s own postMessage');
  assert.notEqual(attack.send, 'sent');
  assert.notEqual(attack.runtime, 'function');
  assert.equal(attack.read, 'blocked');
  assert.equal(attack.answered, undefined);
  assert.equal(await page.evaluate(() => document.documentElement.outerHTML.includes('Verified')), false);
  await page.screenshot({ path: artifactPath('portal-page.png'), fullPage: false });

  // "Open in a tab": the same results, read back from the session; details open on demand.
  const panel = await browser.extensionPage(`panel.html?tab=${tabId}`);
  await panel.waitForSelector('body[data-state="done"]');
  assert.equal(await panel.locator('.xp-item').count(), expected.length);
  const first = panel.locator('.xp-item').first();
  assert.equal(await first.locator('.hp-content').count(), 0);
  await first.locator('.xp-details > summary').click();
  await first.locator('.hp-content .hp-section').first().waitFor();
  assert.equal(await first.locator('.xp-witnesses li').count(), 2);
  await panel.screenshot({ path: artifactPath('panel-tab-details.png'), fullPage: true });
  await panel.close();
  await page.close();
});

test('hostile record: verified, its markup shown as text, nothing runs', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/hostile`);
  const popup = await browser.click(page);
  await popup.waitFor("document.body.dataset.state === 'done'");
  const state = await popup.evaluate(`({
    verdict: document.querySelector('.xp-item')?.dataset.verdict,
    pwned: window.__hpPwned ?? null,
    text: document.body.textContent,
    scripts: document.scripts.length,
    images: [...document.images].map((i) => i.getAttribute('src')),
    sections: document.querySelectorAll('.hp-section').length,
  })`);
  assert.equal(state.verdict, 'verified');
  assert.equal(state.pwned, null);
  assert.ok(state.text.includes(HOSTILE), 'the literal markup is shown as text');
  assert.equal(state.scripts, 1, 'only panel.js');
  assert.deepEqual(state.images, ['icons/icon-32.png']);
  assert.ok(state.sections >= 1, 'the IPS sections are rendered');
  assert.equal(await page.evaluate(() => window.__hpPwned ?? null), null);
  await popup.screenshot('popup-hostile.png');
  await popup.screenshot('popup-hostile-full.png', { full: true });
  await popup.screenshotOf('.hp-content', 'popup-hostile-content.png');
  popup.detach();
  await page.close();
});

test('selected text is verified; a page without records says so', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/selection`);
  await page.evaluate(() => {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('record'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  });
  let popup = await browser.click(page);
  await popup.waitFor("document.body.dataset.state === 'done'");
  const cards = await popup.evaluate(CARDS);
  assert.deepEqual(cards.map((c) => [c.source, c.verdict]), [['selection', 'verified']]);
  popup.detach();

  await page.goto(`${server.origin}/empty`);
  const tabId = await browser.tabIdOf(page);
  popup = await browser.click(page);
  await popup.waitFor("document.body.dataset.state === 'done'");
  assert.equal(await popup.evaluate("document.querySelectorAll('.xp-item').length"), 0);
  assert.ok((await popup.evaluate("document.querySelector('.xp-none')?.textContent")).length > 10);
  assert.equal(await browser.badge(tabId), '0');
  await popup.screenshot('popup-empty.png');
  popup.detach();
  await page.close();
});

test('the panel follows the language setting', async () => {
  await browser.setStorage({ language: 'de' });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/hostile`);
    const popup = await browser.click(page);
    await popup.waitFor("document.body.dataset.state === 'done'");
    const name = await popup.evaluate("document.querySelector('.hp-verdict__name').textContent");
    assert.equal(name, MESSAGES.de['verdict.verified']);
    assert.equal(await popup.evaluate('document.documentElement.lang'), 'de');
    await popup.screenshot('popup-de.png');
    popup.detach();
    await page.close();
  } finally {
    await browser.setStorage({ language: 'auto' });
  }
});

test('technical details: off by default, switched on in the options page', async () => {
  const jsonBlocks = async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/hostile`);
    const popup = await browser.click(page);
    await popup.waitFor("document.body.dataset.state === 'done'");
    const n = await popup.evaluate("document.querySelectorAll('.hp-json').length");
    popup.detach();
    await page.close();
    return n;
  };
  assert.equal(await jsonBlocks(), 0);
  const options = await browser.extensionPage('options.html');
  await options.waitForSelector('body[data-state="done"]');
  await options.check('#technical');
  await options.waitForSelector('.xo-status--ok');
  assert.equal((await browser.storage('technical')).technical, true);
  try {
    assert.ok(await jsonBlocks() > 0, 'FHIR JSON shown with technical details');
  } finally {
    await options.uncheck('#technical');
    await options.close();
  }
});

test('the trust-list age threshold turns an old list into a warning', async () => {
  await browser.setStorage({ maxTrustListAgeDays: 1 }); // the demo list is 2 days old on NOW
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/hostile`);
    const popup = await browser.click(page);
    await popup.waitFor("document.body.dataset.state === 'done'");
    const [card] = await popup.evaluate(CARDS);
    assert.equal(card.verdict, 'verified-with-warnings');
    assert.ok(card.codes.includes('trust-list-stale'), card.codes.join());
    popup.detach();
    await page.close();
    const options = await browser.extensionPage('options.html');
    await options.waitForSelector('body[data-state="done"]');
    await options.waitForSelector('.xo-trust-current .xo-status--bad');
    await options.close();
  } finally {
    await browser.setStorage({ maxTrustListAgeDays: 90 });
  }
});

test('the extension itself can reach no network: its CSP forbids connections', async () => {
  server.log.length = 0;
  const result = await browser.worker.evaluate((url) => fetch(url).then(() => 'fetched', () => 'blocked'), `${server.origin}/empty`);
  assert.equal(result, 'blocked');
  const page = await browser.extensionPage('panel.html?tab=0');
  const fromPage = await page.evaluate((url) => fetch(url).then(() => 'fetched', () => 'blocked'), `${server.origin}/empty`);
  assert.equal(fromPage, 'blocked');
  assert.deepEqual(server.log, []);
  await page.close();
});

test('without a click on its tab, the extension cannot read a page', async () => {
  const portalPage = await browser.context.newPage();
  await portalPage.goto(`${server.origin}/plain`);
  const tabId = await browser.tabIdOf(portalPage);
  server.log.length = 0;
  const page = await browser.extensionPage('panel.html?tab=0');
  const answer = await page.evaluate((id) => chrome.runtime.sendMessage({ type: 'scan', tabId: id }), tabId);
  assert.equal(answer.ok, true);
  assert.equal(answer.result.error.code, 'page-unreadable');
  assert.deepEqual(answer.result.items, []);
  assert.deepEqual(server.log, []);
  await page.close();
  await portalPage.close();
});

test('only the extension’s own pages are answered; bad messages get a code', async () => {
  const page = await browser.extensionPage('panel.html?tab=0');
  const answers = await page.evaluate(async () => Promise.all([
    chrome.runtime.sendMessage({ type: 'scan' }),
    chrome.runtime.sendMessage({ type: 'delete-everything' }),
    chrome.runtime.sendMessage({ type: 'results', tabId: 0, extra: 1 }),
    chrome.runtime.sendMessage({ type: 'trust-import', list: 'healthproof/trust-list/v1\n', signers: ['nobody+00000000+AAAA'] }),
  ]));
  assert.deepEqual(answers.slice(0, 3).map((a) => [a.ok, a.code]), [[false, 'message-malformed'], [false, 'message-malformed'], [false, 'message-malformed']]);
  assert.equal(answers[3].ok, false);
  assert.match(answers[3].code, /^[a-z]+(-[a-z]+)*$/);
  await page.close();
});

test('options: trust list update and refusal, audit export and clear', async () => {
  const page = await browser.extensionPage('options.html');
  await page.waitForSelector('body[data-state="done"]');
  const sequence = await page.getAttribute('.xo-trust-current', 'data-sequence');
  assert.ok(Number(sequence) >= 1);

  // A list not signed by an accepted key is refused with its code; the genuine one is accepted.
  const list = readFileSync(new URL('../../examples/trust-list.txt', import.meta.url), 'utf8');
  const forged = list.replace(/^issued (\d+)$/m, (_, n) => `issued ${Number(n) + 1}`);
  await page.setInputFiles('#update-file', { name: 'forged.txt', mimeType: 'text/plain', buffer: Buffer.from(forged) });
  await page.click('#update-button');
  await page.waitForSelector('#trust-status.xo-status--bad');
  assert.match(await page.textContent('#trust-status'), /signature-invalid|key-unknown|trust-list/);
  // Rollback protection is wired: with a higher sequence already accepted, the list is refused.
  await browser.setStorage({ minTrustListSequence: Number(sequence) + 1 });
  await page.setInputFiles('#update-file', { name: 'trust-list.txt', mimeType: 'text/plain', buffer: Buffer.from(list) });
  await page.click('#update-button');
  await page.waitForFunction(() => document.querySelector('#trust-status')?.textContent.includes('trust-list-rollback'));
  await browser.setStorage({ minTrustListSequence: 0 });
  await page.setInputFiles('#update-file', { name: 'trust-list.txt', mimeType: 'text/plain', buffer: Buffer.from(list) });
  await page.click('#update-button');
  await page.waitForSelector('#trust-status.xo-status--ok');
  assert.equal(await page.getAttribute('.xo-trust-current', 'data-imported'), 'true');
  await page.screenshot({ path: artifactPath('options.png'), fullPage: true });

  // Audit trail: every verification above is recorded, exported as JSON, then cleared.
  const count = Number(await page.getAttribute('.xo-audit-count', 'data-count'));
  assert.ok(count >= expected.length, `audit has ${count} entries`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-export')]);
  const exported = JSON.parse((await (await download.createReadStream()).toArray()).join(''));
  assert.equal(exported.entries.length, count);
  const verdicts = new Set(exported.entries.map((e) => e.verdict));
  assert.deepEqual([...verdicts].sort(), ['not-verified', 'verified', 'verified-with-warnings']);
  for (const e of exported.entries) {
    assert.equal(e.verifiedAs, NOW);
    assert.ok(!JSON.stringify(e).includes('Schmidt'), 'no health data in the audit trail');
  }
  await page.click('#audit-clear');
  await page.click('#audit-clear');
  await page.waitForSelector('.xo-audit-count[data-count="0"]');
  assert.deepEqual((await browser.storage('audit')).audit, undefined);

  // Reset to the bundled list.
  await page.click('#reset-button');
  await page.waitForSelector('.xo-trust-current[data-imported="false"]');
  await page.close();
});

test('the courier finds each shape, and only what a context-menu click pointed at', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/plain`);
  const kinds = (r) => r.items.map((i) => i.kind);
  const all = await page.evaluate(collect, {});
  assert.deepEqual(kinds(all), ['script', 'script', 'script', 'script', 'script', 'script', 'link', 'fragment', 'data-url', 'link', 'image']);
  assert.equal(all.url, `${server.origin}/plain`);
  assert.equal(all.items[6].data, presentation('fr-camille-lefevre-partial'));
  assert.equal(all.items[9].error, 'link-cross-origin');
  const link = await page.evaluate(collect, { link: `${server.origin}/files/fr-camille-lefevre-partial.hproof` });
  assert.deepEqual(kinds(link), ['link']);
  const src = await page.getAttribute('#qr', 'src');
  const image = await page.evaluate(collect, { image: src });
  assert.deepEqual(kinds(image), ['image']);
  assert.ok(image.items[0].grey.length > 1000);
  assert.deepEqual(kinds(await page.evaluate(collect, { selection: true })), []);
  await page.close();
});
