// Benchmark (not a test): time from the click on the toolbar button to the verdicts on screen
// in the popup, for a page holding one and ten presentations, in Debian's Chromium.
//
//   node bench.mjs [runs]      (npm run bench; default 15 runs a page, after 2 warm-up runs)
//
// "Click" is the moment the test asks the browser to run the extension's action (CDP
// Extensions.triggerAction, what the button does); "verdict shown" is the popup's
// performance mark set right after it rendered them. Both are read on the same wall clock.
// The background's own time (scan + decode + verify, `elapsedMs` of the stored result) is
// reported beside it. The first click of a fresh browser also starts the service worker and
// instantiates the wasm: it is reported alone, as "cold".
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serve, freshBuild, NOW } from './testkit/harness.mjs';
import { pageWith } from './testkit/portal.mjs';

const RUNS = Number(process.argv[2] ?? 15);
const ONE = ['de-anna-schmidt-partial'];
const TEN = ['de-anna-schmidt-partial', 'ee-liisa-kask-partial', 'es-mateo-fernandez-ruiz-partial',
  'fr-camille-lefevre-partial', 'it-giuseppe-russo-partial', 'nl-johanna-van-den-berg-partial',
  'pl-krzysztof-wisniewski-partial', 'pt-joao-pereira-partial', 'de-anna-schmidt-full', 'nl-johanna-van-den-berg-full'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function clickToVerdict(browser, page, tabId, expected) {
  const popup = await browser.click(page);
  await popup.waitFor("performance.getEntriesByName('healthproof-verdict-shown').length > 0", 30_000);
  const [origin, mark] = await popup.evaluate("[performance.timeOrigin, performance.getEntriesByName('healthproof-verdict-shown')[0].startTime]");
  const shown = origin + mark;
  const count = await popup.evaluate("document.querySelectorAll('.xp-item').length");
  popup.detach();
  if (count !== expected) throw new Error(`the popup shows ${count} records, not ${expected}`);
  const key = `tab:${tabId}`;
  const stored = await browser.worker.evaluate((k) => chrome.storage.session.get(k), key);
  return { total: shown - popup.clickedAt, opening: origin - popup.clickedAt, inPopup: mark, background: stored[key].elapsedMs };
}

const built = await freshBuild();
const server = await serve({
  '/one': ['text/html; charset=utf-8', pageWith(ONE)],
  '/ten': ['text/html; charset=utf-8', pageWith(TEN)],
});
const browser = await launch(join(built, 'chromium'));
try {
  await browser.setStorage({ verifyAt: NOW });
  const rows = [];
  for (const [path, names] of [['/one', ONE], ['/ten', TEN]]) {
    const page = await browser.context.newPage();
    await page.goto(server.origin + path);
    const tabId = await browser.tabIdOf(page);
    const cold = rows.length === 0 ? await clickToVerdict(browser, page, tabId, names.length) : null;
    for (let i = 0; i < 2; i++) await clickToVerdict(browser, page, tabId, names.length);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await clickToVerdict(browser, page, tabId, names.length));
    const bytes = names.reduce((n, name) => n + pageWith([name]).length, 0);
    rows.push({ presentations: names.length, bytes, cold, runs });
    await page.close();
  }
  const chromiumVersion = browser.context.browser().version();
  console.log(`Chromium ${chromiumVersion}, ${RUNS} runs a page after 2 warm-up runs, median (min–max) in ms\n`);
  console.log('| page | click → verdicts shown | click → popup document starts | popup start → verdicts | background: scan, decode, verify |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const total = r.runs.map((x) => x.total);
    const col = (k) => r.runs.map((x) => x[k]);
    const f = (xs) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
    console.log(`| ${r.presentations} presentation${r.presentations > 1 ? 's' : ''} | ${f(total)} | ${f(col('opening'))} | ${f(col('inPopup'))} | ${f(col('background'))} |`);
  }
  const cold = rows[0].cold;
  console.log(`\nCold (first click after the browser started: service worker start, wasm instantiation): ${cold.total.toFixed(0)} ms, background ${cold.background.toFixed(0)} ms.`);
} finally {
  await browser.close();
  server.close();
  rmSync(built, { recursive: true, force: true });
}
