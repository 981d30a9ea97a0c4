// Benchmark (not a test): time from a file drop to the verdict on screen, for every demo
// presentation, in headless Chromium; median and worst of RUNS runs each. The clock starts
// just before the drop event is dispatched and stops at the first animation frame after
// the verdict banner is in the DOM (so the verdict has been laid out and painted).
//   npm run build && npm run bench
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, openPage, EXAMPLES } from './support/browser.mjs';

const RUNS = Number(process.env.RUNS ?? 20);
const names = readdirSync(join(EXAMPLES, 'presentations')).filter((n) => n.endsWith('.hproof')).sort();
const server = await serve();
const browser = await launch();
const rows = [];
const all = [];
try {
  const { page } = await openPage(browser, server.url);
  const version = browser.version();
  for (const name of names) {
    const text = readFileSync(join(EXAMPLES, 'presentations', name), 'utf8');
    const times = [];
    let verdict = '';
    for (let i = 0; i < RUNS + 1; i++) {
      const result = await page.evaluate(({ text, name }) => new Promise((resolve) => {
        const report = document.getElementById('report');
        const observer = new MutationObserver(() => {
          const banner = report.querySelector('.hp-verdict');
          if (!banner) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve({ ms: performance.now() - t0, verdict: banner.dataset.verdict }));
        });
        observer.observe(report, { childList: true });
        const dt = new DataTransfer();
        dt.items.add(new File([text], name));
        const t0 = performance.now();
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }), { text, name });
      verdict = result.verdict;
      if (i > 0) times.push(result.ms); // the first run warms up caches and the JIT
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    rows.push({ name: name.replace(/\.hproof$/, ''), bytes: Buffer.byteLength(text), verdict, median: times[Math.floor(times.length / 2)], worst: times.at(-1) });
  }
  all.sort((a, b) => a - b);
  const pad = (s, n) => String(s).padEnd(n);
  const ms = (v) => v.toFixed(1).padStart(7);
  console.log(`Drop to verdict on screen, headless Chromium ${version}, ${RUNS} runs each (ms)\n`);
  console.log(`| ${pad('presentation', 38)} | ${pad('bytes', 6)} | ${pad('verdict', 22)} | median |   worst |`);
  console.log(`|${'-'.repeat(40)}|${'-'.repeat(8)}|${'-'.repeat(24)}|--------:|--------:|`);
  for (const r of rows) console.log(`| ${pad(r.name, 38)} | ${pad(r.bytes, 6)} | ${pad(r.verdict, 22)} | ${ms(r.median)} | ${ms(r.worst)} |`);
  console.log(`| ${pad(`all ${rows.length} presentations, ${all.length} runs`, 38)} | ${pad('', 6)} | ${pad('', 22)} | ${ms(all[Math.floor(all.length / 2)])} | ${ms(all.at(-1))} |`);
} finally {
  await browser.close();
  await server.close();
}
