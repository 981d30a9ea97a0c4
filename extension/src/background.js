// The verifier's side of the extension: the background (a Manifest V3 service worker in
// Chromium, an event page in Firefox). Stateless between events: everything it keeps is in
// extension storage. It injects the courier on a user gesture, checks and decodes what the
// courier returns, verifies with the wasm build, stores the results for the panel, and shows
// the count on the toolbar badge. It makes no network request.
import * as browser from './browser.js';
import { collect } from './collect.js';
import { checkCollected, decodeItem, joinChunks, CandidateError } from './candidates.js';
import { checkMessage, MessageError } from './messages.js';
import { settings, trust as trustIn, appendAudit } from './settings.js';
import { DEFAULT_TRUST } from './default-trust.js';
import { verify, parseTrustList } from './verifier.js';

const trust = () => trustIn(DEFAULT_TRUST);
const MENU_ID = 'healthproof-verify';
const BADGE = { verified: '#1b7f3b', warnings: '#a15c00', failed: '#b3261e', none: '#5f6368' };

/** storage.session key of a tab's latest results. */
export const resultsKey = (tabId) => `tab:${tabId}`;

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The verdict class of one result item, for the badge and the audit trail. */
function classOf(item) {
  if (item.error) return 'failed';
  if (item.report.verdict === 'verified') return 'verified';
  if (item.report.verdict === 'verified-with-warnings') return 'warnings';
  return 'failed';
}

/** The code that explains a result item: its error, or its first failed (then warning) check. */
function codeOf(item) {
  if (item.error) return item.error.code;
  const failed = item.report.checks.find((c) => c.outcome === 'failed');
  const warned = item.report.checks.find((c) => c.outcome === 'warning');
  return (failed ?? warned)?.code ?? null;
}

/**
 * Scans the tab and verifies what it finds. `focus` narrows the scan to what a context-menu
 * click pointed at; `via` says which gesture ('panel' or 'menu'). Returns (and stores) `{ page, at, now, fixedClock, truncated, items,
 * elapsedMs, error? }`.
 */
export async function scan(tabId, focus = {}, via = 'panel') {
  const started = performance.now();
  const s = await settings();
  const now = s.verifyAt ?? Math.floor(Date.now() / 1000);
  const base = { tabId, via, at: Date.now(), now, fixedClock: s.verifyAt !== null, truncated: false, items: [] };
  let collected;
  try {
    collected = checkCollected(await browser.runInTab(tabId, collect, [focus]));
  } catch (e) {
    const error = e instanceof CandidateError ? { code: e.code, message: e.message }
      : { code: 'page-unreadable', message: 'The extension may not read this page (a browser page, or no click on the extension for this tab).' };
    const result = { ...base, page: '', error, elapsedMs: performance.now() - started };
    await finish(tabId, result);
    return result;
  }
  const focused = Boolean(focus.link || focus.selection || focus.image);
  const decoded = joinChunks(collected.items.map((item) => {
    try {
      return decodeItem(item, focused);
    } catch (e) {
      return { source: { kind: item.kind, label: item.label }, error: { code: 'internal-error', message: String(e?.message ?? e) } };
    }
  }).filter(Boolean));
  const t = await trust();
  const options = {
    trustListSigners: t.signers,
    now,
    minTrustListSequence: t.minSequence,
    maxTrustListAge: s.maxTrustListAgeDays * 86_400,
  };
  const seen = new Map();
  const items = [];
  for (const found of decoded) {
    if (found.error) {
      items.push(found);
      continue;
    }
    const digest = await sha256Hex(found.text);
    if (seen.has(digest)) {
      seen.get(digest).alsoFound.push(found.source);
      continue;
    }
    let item;
    try {
      item = { source: found.source, digest, alsoFound: [], report: await verify(found.text, t.list, options) };
    } catch (e) {
      item = { source: found.source, digest, alsoFound: [], error: { code: e.code ?? 'internal-error', message: String(e.message) } };
    }
    seen.set(digest, item);
    items.push(item);
  }
  const result = { ...base, page: collected.url, truncated: collected.truncated, items, elapsedMs: performance.now() - started };
  await finish(tabId, result);
  await appendAudit(items.map((item) => ({
    at: result.at,
    verifiedAs: now,
    page: result.page,
    source: item.source.kind,
    // What was verified: 'healthproof', 'hcert' (EU DCC) or 'smart-health-card'; null when
    // nothing reached the verifier.
    kind: item.report?.kind ?? null,
    digest: item.digest ?? null,
    verdict: item.error ? 'not-verified' : item.report.verdict,
    code: codeOf(item),
    issuer: item.report?.issuer ?? null,
    issuedAt: item.report?.issuedAt ?? null,
  })));
  return result;
}

async function finish(tabId, result) {
  try {
    await browser.session.set({ [resultsKey(tabId)]: result });
  } catch {
    // Over the session quota (many large records): the popup still gets the result itself;
    // only "open in a tab" finds nothing to show.
    await browser.session.remove(resultsKey(tabId));
  }
  const classes = result.items.map(classOf);
  const color = result.error || classes.includes('failed') ? BADGE.failed
    : classes.includes('warnings') ? BADGE.warnings : classes.length ? BADGE.verified : BADGE.none;
  await browser.setBadge(tabId, result.error ? '!' : String(result.items.length), color);
}

async function trustInfo() {
  const [t, s] = await Promise.all([trust(), settings()]);
  const info = await parseTrustList(t.list, t.signers);
  const now = s.verifyAt ?? Math.floor(Date.now() / 1000);
  const age = Math.max(0, now - info.issued);
  return {
    ok: true,
    imported: t.imported,
    importedAt: t.importedAt,
    signers: t.signers,
    sequence: info.sequence,
    issued: info.issued,
    ageDays: Math.floor(age / 86_400),
    stale: age > s.maxTrustListAgeDays * 86_400,
    issuers: info.issuers,
    logs: info.logs.length,
    witnesses: info.witnesses.length,
    dccSigners: info.dccSigners.length,
    shcIssuers: info.shcIssuers.length,
  };
}

async function handle(message, sender) {
  let m;
  try {
    m = checkMessage(message, sender, browser.extensionId(), browser.extensionOrigin());
  } catch (e) {
    if (e instanceof MessageError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
  switch (m.type) {
    case 'scan':
      return { ok: true, result: await scan(m.tabId) };
    case 'results': {
      const key = resultsKey(m.tabId);
      return { ok: true, result: (await browser.session.get(key))[key] ?? null };
    }
    case 'trust-info':
      return trustInfo();
    case 'trust-import': {
      const t = await trust();
      try {
        const info = await parseTrustList(m.list, m.signers, t.minSequence);
        await browser.local.set({
          trust: { list: m.list, signers: m.signers, importedAt: Date.now() },
          minTrustListSequence: info.sequence,
        });
        return { ok: true, sequence: info.sequence };
      } catch (e) {
        return { ok: false, code: e.code ?? 'internal-error', message: String(e.message) };
      }
    }
    case 'trust-reset':
      // An explicit choice to go back to the bundled list, so its older sequence is allowed.
      await browser.local.remove(['trust', 'minTrustListSequence']);
      await parseTrustList(DEFAULT_TRUST.list, DEFAULT_TRUST.signers);
      return { ok: true };
    default:
      return { ok: false, code: 'message-malformed', message: 'Unknown message type.' };
  }
}

browser.onMessage(handle);

browser.onInstalled(() => {
  browser.createMenu({
    id: MENU_ID,
    title: 'Verify HealthProof records',
    contexts: ['page', 'link', 'selection', 'image'],
  });
});

browser.onMenuClicked(async (info, tab) => {
  if (info.menuItemId !== MENU_ID || !tab?.id) return;
  const focus = info.linkUrl ? { link: info.linkUrl }
    : info.selectionText ? { selection: true }
      : info.srcUrl ? { image: info.srcUrl } : {};
  await scan(tab.id, focus, 'menu');
  await browser.openPanel();
});

// A tab that loads a new page loses its results: they described the old one.
browser.onTabUpdated((tabId, change) => {
  if (change.status === 'loading') {
    browser.session.remove(resultsKey(tabId));
  }
});
browser.onTabRemoved((tabId) => browser.session.remove(resultsKey(tabId)));
