// Drives Debian's Chromium with the unpacked extension, as a clinician would: a real toolbar
// click on a tab (CDP Extensions.triggerAction, which grants activeTab exactly as the button
// does), then the real popup, reached through its DevTools target.
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
// Guards against a hang, not a speed limit: generous, so a loaded 2-core CI machine is never
// mistaken for a broken extension (time limits belong in bench.mjs, not in tests).
const HANG_GUARD_MS = 120_000;
export const ROOT = join(HERE, '..', '..');
export const ARTIFACTS = join(ROOT, 'target', 'artifacts', 'extension');
/** The demo data was issued in November 2026: every verification runs as of this time. */
export const NOW = Date.parse('2026-11-22T12:00:00Z') / 1000;

/**
 * Serves `routes` (`{ '/path': [contentType, body] }`) on loopback and records every request
 * path but the browser's own favicon fetch in `server.log`, so a test can tell exactly what was fetched.
 */
export async function serve(routes) {
  const log = [];
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    // Chromium asks for /favicon.ico on its own, at a time of its choosing after a page loads;
    // that request is the browser's, not the extension's, and would make `log` racy.
    if (path !== '/favicon.ico') log.push(path);
    const found = routes[path];
    if (!found) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': found[0], 'cache-control': 'no-store' }).end(found[1]);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, log, routes, close: () => server.close() };
}

/** A DevTools session to a target the browser does not hand to Playwright (the popup). */
class TargetSession {
  constructor(browserSession, sessionId) {
    this.cdp = browserSession;
    this.sessionId = sessionId;
    this.next = 0;
    this.pending = new Map();
    this.listener = (e) => {
      if (e.sessionId !== this.sessionId) return;
      const m = JSON.parse(e.message);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(`${m.error.message} (${m.error.code})`));
      else p.resolve(m.result);
    };
    browserSession.on('Target.receivedMessageFromTarget', this.listener);
  }

  send(method, params = {}) {
    const id = ++this.next;
    const answer = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
      .catch((e) => this.pending.get(id)?.reject(e));
    return answer;
  }

  /** Evaluates `expression` in the target's page; returns its JSON value. */
  async evaluate(expression) {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`in the popup: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** Waits until `expression` is truthy in the target (polling); returns its value. */
  async waitFor(expression, timeoutMs = HANG_GUARD_MS) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      let v;
      try {
        v = await this.evaluate(expression);
      } catch {
        v = undefined;
      }
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** A PNG of the popup as shown (`full`: the whole scrolled length too). */
  async screenshot(name, { full = false } = {}) {
    const { data } = await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: full });
    return saveArtifact(name, Buffer.from(data, 'base64'));
  }

  /** A PNG of the first element matching `selector`, scrolled or not. */
  async screenshotOf(selector, name) {
    const box = await this.evaluate(`(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
      return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: Math.min(r.height, 1500) }; })()`);
    const { data } = await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { ...box, scale: 1 } });
    return saveArtifact(name, Buffer.from(data, 'base64'));
  }

  detach() {
    this.cdp.off('Target.receivedMessageFromTarget', this.listener);
  }
}

/** Where an artifact (screenshot) named `name` goes; the folder is made. */
export function artifactPath(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export function saveArtifact(name, bytes) {
  const path = artifactPath(name);
  writeFileSync(path, bytes);
  return path;
}

/**
 * A fresh build of the extension for one test file, in a folder of its own: test files run
 * in parallel and must not rebuild each other's folders (or `npm run build`'s) under them.
 */
export async function freshBuild() {
  const { buildAll } = await import('../build.mjs');
  return buildAll(mkdtempSync(join(tmpdir(), 'healthproof-extension-')));
}

/** Launches Chromium with the built extension in `dir`; resolves when its service worker runs. */
export async function launch(dir) {
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1000, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker', { timeout: HANG_GUARD_MS });
  const extensionId = new URL(worker.url()).host;
  const cdp = await context.browser().newBrowserCDPSession();
  const browser = {
    context,
    worker,
    extensionId,
    cdp,
    /** Sets extension storage.local (the test clock, the language, …), from the worker. */
    setStorage: (items) => worker.evaluate((i) => chrome.storage.local.set(i), items),
    storage: (keys) => worker.evaluate((k) => chrome.storage.local.get(k), keys ?? null),
    badge: (tabId) => worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId),
    /** The tab id the extension knows `page` by (the active tab of its window). */
    tabIdOf: async (page) => {
      await page.bringToFront();
      return worker.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id);
    },
    /**
     * Clicks the toolbar button for `page`'s tab and returns the opened popup's session
     * (`clickedAt`: the wall-clock time of the click, in ms).
     */
    click: async (page) => {
      await page.bringToFront();
      await closePopups(cdp);
      const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] });
      const tab = targetInfos.find((t) => t.url === page.url());
      if (!tab) throw new Error(`no tab target for ${page.url()}`);
      const clickedAt = Date.now();
      await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
      const popup = await attachPopup(cdp);
      popup.clickedAt = clickedAt;
      return popup;
    },
    extensionPage: async (path) => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    close: () => context.close(),
  };
  return browser;
}

async function popupTarget(cdp) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  return targetInfos.find((t) => t.type === 'page' && /^chrome-extension:\/\/[^/]+\/panel\.html$/.test(t.url));
}

async function closePopups(cdp) {
  for (;;) {
    const t = await popupTarget(cdp);
    if (!t) return;
    await cdp.send('Target.closeTarget', { targetId: t.targetId });
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function attachPopup(cdp, timeoutMs = HANG_GUARD_MS) {
  const end = Date.now() + timeoutMs;
  let target;
  while (!(target = await popupTarget(cdp))) {
    if (Date.now() > end) throw new Error('the popup did not open');
    await new Promise((r) => setTimeout(r, 10));
  }
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  return new TargetSession(cdp, sessionId);
}
