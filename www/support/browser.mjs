// Shared by the browser tests and the benchmark: a static server for ../target/www on
// loopback (service workers need http://127.0.0.1), Debian's Chromium through
// playwright-core, and a page whose clock is fixed to the demo data's "now".
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../target/www/', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../../target/artifacts/www/', import.meta.url));
/** The demo data was issued in November 2026; every verdict below is as of this instant. */
export const DEMO_NOW = new Date('2026-11-22T12:00:00Z');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8', '.hproof': 'application/vnd.healthproof.presentation',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json',
};

if (!existsSync(join(ROOT, 'index.html'))) {
  throw new Error('target/www is missing: run `npm run build` first');
}

/** Serves target/www; `requests` lists every path asked for, in order. */
export async function serve() {
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(path);
    const file = normalize(join(ROOT, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(ROOT) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, requests, close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }) };
}

export async function launch(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * A new page in its own context, clock fixed at `now` (DEMO_NOW unless given: the EU DCC and
 * SMART Health Card tests use their data sets' validation times), console errors and page errors
 * collected, opened on `url` and waited for until the app is ready.
 */
export async function openPage(browser, url, { viewport = { width: 1100, height: 900 }, locale = 'en-US', contextOptions = {}, path = '', now = DEMO_NOW } = {}) {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'UTC', ...contextOptions });
  // Playwright's 30 s default only guards against a hang; on a loaded 2-core CI machine it
  // could mistake slowness for failure. Speed is measured by bench.mjs, not here.
  context.setDefaultTimeout(120_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.clock.setFixedTime(now);
  await page.goto(url + path);
  await page.waitForSelector('html[data-ready="true"]');
  return { context, page, problems };
}

export function demoText(name) {
  return readFileSync(join(EXAMPLES, 'presentations', `${name}.hproof`), 'utf8');
}

/** Loads a presentation through the file picker and waits for its verdict. */
export async function loadFile(page, name, text = demoText(name)) {
  await page.setInputFiles('#file', { name: `${name}.hproof`, mimeType: 'application/octet-stream', buffer: Buffer.from(text) });
  return waitVerdict(page, name);
}

export async function waitVerdict(page, name) {
  await page.waitForFunction((n) => {
    const src = document.getElementById('source')?.textContent ?? '';
    return !document.getElementById('result').hidden && (!n || src.includes(n)) && document.querySelector('#report .hp-verdict');
  }, name);
  return page.$eval('#report .hp-verdict', (e) => e.dataset.verdict);
}
