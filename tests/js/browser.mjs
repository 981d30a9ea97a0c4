// Serve files from memory on loopback and open them in Debian's headless Chromium: the one
// place the browser tests and the benchmarks start a browser, with the flags this
// environment needs (no sandbox as root, no background networking on a closed network).
import { createServer } from 'node:http';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Serves `files` (`{ '/path': [contentType, body] }`, a path also found by its last segment)
 * and runs `fn(tab)` with a Chromium tab opened on `/`; closes both however `fn` ends.
 */
export async function withPage(files, fn) {
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    const found = files[path] ?? files['/' + path.split('/').pop()];
    if (!found) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': found[0] }).end(found[1]);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    return await fn(tab);
  } finally {
    await browser.close();
    server.close();
  }
}
