// The traveler's page: open a presentation (file, drop, paste, link fragment, camera QR,
// demo), verify it in the worker, show the result with the shared renderer, share a reduced
// presentation, and manage the trust list. Record data only ever reaches the DOM through
// the shared renderer or textContent.
import { translator, pickLanguage, LANGUAGES } from './shared/i18n.js';
import { renderReport } from './shared/render.js';
import { decodeFragment, linkFor } from './shared/fragment.js';
import { makeQr, QR_MAX_BYTES } from './qr.js';
import { startScan } from './scan.js';
import { TrustStore } from './trust.js';

/** Files larger than this are refused before reading (the core's own caps are smaller). */
const MAX_FILE = 16 << 20;
const LANG_KEY = 'healthproof.lang';

const $ = (id) => document.getElementById(id);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An error the page shows as code + sentence. */
class PageError extends Error {
  constructor(code, message = '') {
    super(message || code);
    this.code = code;
  }
}

// --- the verifier worker --------------------------------------------------------------

class Verifier {
  constructor() {
    this.pending = new Map();
    this.next = 1;
    this.worker = new Worker(new URL('worker.js', document.baseURI), { type: 'module' });
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (e) => {
        const m = e.data ?? {};
        if (m.ready) return resolve();
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else p.reject(new PageError(m.error?.code ?? 'internal', m.error?.message));
      };
      this.worker.onerror = (e) => {
        e.preventDefault?.();
        const err = new PageError('verifier-failed', String(e.message ?? 'worker error'));
        reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      };
    });
  }

  async call(op, args) {
    await this.ready;
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args });
    });
  }
}

// --- state ----------------------------------------------------------------------------

const state = {
  t: translator('en'),
  /** @type {{ text: string, report: any, source: { kind: string, name?: string } } | null} */
  current: null,
  trustInfo: null,
  trustMessage: null,
  error: null,
  scanner: null,
};
const verifier = new Verifier();
let trust = null;

// --- language -------------------------------------------------------------------------

function initialLanguage() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved && LANGUAGES.some((l) => l.code === saved)) return saved;
  } catch { /* storage blocked: use the browser's preference */ }
  return pickLanguage(navigator.languages ?? [navigator.language]);
}

function setLanguage(lang) {
  state.t = translator(lang);
  document.documentElement.lang = state.t.lang;
  try { localStorage.setItem(LANG_KEY, state.t.lang); } catch { /* not remembered */ }
  renderAll();
}

function applyStaticText() {
  const t = state.t;
  document.title = t('ui.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  const select = $('lang');
  if (!select.options.length) {
    for (const { code, name } of LANGUAGES) {
      const option = document.createElement('option');
      option.value = code;
      option.textContent = name;
      option.lang = code;
      select.append(option);
    }
  }
  select.value = t.lang;
  $('scan').textContent = t(state.scanner ? 'ui.open.scan.stop' : 'ui.open.scan');
}

function renderAll() {
  applyStaticText();
  renderError();
  renderResult();
  renderShare();
  renderTrust();
}

// --- errors and busy ------------------------------------------------------------------

function showError(code, detail) {
  state.error = { code, detail };
  renderError();
  $('error').scrollIntoView?.({ block: 'nearest' });
}

function renderError() {
  const box = $('error');
  if (!state.error) {
    box.hidden = true;
    return;
  }
  const { code } = state.error;
  const p = $('error-text');
  p.textContent = '';
  const c = document.createElement('span');
  c.className = 'hp-code';
  c.textContent = code;
  p.append(c, ' ', state.t.code(code));
  p.dataset.code = code;
  // The verifier's own words, for whoever needs to report the problem.
  const detail = state.error.detail;
  if (detail && detail !== code) {
    const small = document.createElement('small');
    small.className = 'muted error-detail';
    small.textContent = detail;
    p.append(document.createElement('br'), small);
  }
  box.hidden = false;
}

function setBusy(on) {
  $('busy').textContent = on ? state.t('ui.busy') : '';
}

// --- opening and verifying ------------------------------------------------------------

/** Verifies `text` and shows the result. `source` says where it came from. */
async function openText(text, source, { focus = true } = {}) {
  state.error = null;
  renderError();
  if (typeof text !== 'string' || !text.trim()) return showError('input-empty');
  setBusy(true);
  try {
    const { text: list, signers, minSequence } = trust.active();
    const report = await verifier.call('verify', {
      presentation: text,
      trustList: list,
      options: { trustListSigners: signers, now: nowSeconds(), minTrustListSequence: minSequence },
    });
    state.current = { text, report, source };
    renderResult();
    renderShare();
    if (focus) $('result-h').focus({ preventScroll: false });
  } catch (e) {
    state.current = null;
    renderResult();
    renderShare();
    showError(e.code ?? 'internal', e.message);
  } finally {
    setBusy(false);
  }
}

/**
 * The kind of document a text starts with, as the verifier tells them apart (docs/FORMAT.md
 * §10): an EU DCC's `HC1:`, a SMART Health Card's `shc:/` QR text, its file (JSON) or
 * compact JWS; null for anything else (a HealthProof presentation, a link, garbage).
 */
function documentKind(text) {
  const s = String(text).replace(/^[ \t\r\n]+/, '');
  if (s.startsWith('HC1:')) return 'hcert';
  if (s.startsWith('shc:/') || s.startsWith('{') || /^ey[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\s*$/.test(s)) {
    return 'smart-health-card';
  }
  return null;
}

/** Pasted or scanned text: a link with #hp1., an EU DCC or SMART Health Card, or the presentation itself. */
function textFromInput(raw, { exact = false } = {}) {
  const s = String(raw);
  // A DCC or SHC goes to the verifier as it is (it trims white space itself; Base45 has
  // spaces of its own, and chunked SHC QR texts are separated by line breaks).
  if (documentKind(s)) return s;
  if (s.includes('#hp1.')) {
    const fromLink = decodeFragment(s.trim().split(/\s+/).find((w) => w.includes('#hp1.')) ?? '');
    if (fromLink !== null) return fromLink;
  }
  if (exact) return s;
  // Clipboards and text fields turn LF into CRLF and drop the final newline; the file is
  // LF-only and ends with one, so put those back (the signatures do not cover either).
  const trimmed = s.replace(/\r\n?/g, '\n').trim();
  return trimmed ? `${trimmed}\n` : '';
}

function guard(fn) {
  return async (...args) => {
    try {
      await fn(...args);
    } catch (e) {
      setBusy(false);
      // What failed to open replaces the previous result: never an error beside an old verdict.
      state.current = null;
      renderResult();
      renderShare();
      showError(e?.code ?? 'internal', e?.message);
    }
  };
}

const openFile = guard(async (file) => {
  if (!file) return;
  if (file.size > MAX_FILE) throw new PageError('input-too-large');
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    throw new PageError('file-unreadable', String(e?.message ?? e));
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new PageError('not-text');
  }
  await openText(text, { kind: 'file', name: file.name });
});

const openPasted = guard(async (raw) => {
  await openText(textFromInput(raw), { kind: 'paste' });
});

const openFragment = guard(async () => {
  const text = decodeFragment(location.hash);
  if (text !== null) await openText(text, { kind: 'link' }, { focus: false });
});

const openDemo = guard(async () => {
  const name = $('demo').value;
  if (!name) return;
  const response = await fetch(`demo/${encodeURIComponent(name)}.hproof`);
  if (!response.ok) throw new PageError('file-unreadable', `HTTP ${response.status}`);
  await openText(await response.text(), { kind: 'demo', name });
});

const toggleScan = guard(async () => {
  const t = state.t;
  if (state.scanner) {
    stopScan();
    return;
  }
  state.error = null;
  renderError();
  const box = $('scan-box');
  box.hidden = false;
  $('scan').setAttribute('aria-expanded', 'true');
  const parts = shcParts();
  try {
    state.scanner = await startScan($('scan-video'), guard(async (scanned) => {
      stopScan();
      const text = textFromInput(scanned, { exact: true });
      if (!text.startsWith('healthproof/') && !/^(HC1:|shc:\/)/.test(text)) throw new PageError('qr-not-record');
      await openText(text, { kind: 'qr' });
    }), {
      accept: (scanned) => {
        const read = parts(scanned);
        if (read.text == null) {
          $('scan-hint').textContent = t('ui.open.scan.parts', { count: read.count, total: read.total });
        }
        return read.text;
      },
    });
  } catch (e) {
    stopScan();
    throw e;
  }
  $('scan-hint').textContent = `${t('ui.open.scan.hint')} ${t(`ui.open.scan.engine.${state.scanner.engine}`)}`;
  $('scan').textContent = t('ui.open.scan.stop');
});

/**
 * Collects the chunks of a SMART Health Card spread over several QR codes (`shc:/C/N/…`,
 * docs/FORMAT.md §10.3), in any order: each call with a scanned text returns `{ text }`, the
 * text to verify (the chunks joined by line breaks once all N are read; any other text as
 * it is), or `{ text: null, count, total }` while parts are missing.
 */
function shcParts() {
  const chunks = new Map();
  let total = 0;
  return (scanned) => {
    const m = /^shc:\/(\d{1,2})\/(\d{1,2})\//.exec(scanned);
    if (!m || Number(m[2]) < 2 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) return { text: scanned };
    const [index, n] = [Number(m[1]), Number(m[2])];
    // Codes of another card (another count) start the collection over.
    if (n !== total) {
      chunks.clear();
      total = n;
    }
    chunks.set(index, scanned);
    if (chunks.size < total) return { text: null, count: chunks.size, total };
    return { text: [...chunks.keys()].sort((a, b) => a - b).map((k) => chunks.get(k)).join('\n') };
  };
}

function stopScan() {
  state.scanner?.stop();
  state.scanner = null;
  $('scan-box').hidden = true;
  $('scan').setAttribute('aria-expanded', 'false');
  $('scan').textContent = state.t('ui.open.scan');
}

// --- result ---------------------------------------------------------------------------

function sourceText(source) {
  const t = state.t;
  switch (source.kind) {
    case 'file': return t('ui.source.file', { name: source.name });
    case 'demo': return t('ui.source.demo', { name: source.name });
    case 'link': return t('ui.source.link');
    case 'qr': return t('ui.source.qr');
    default: return t('ui.source.paste');
  }
}

function renderResult() {
  const section = $('result');
  const holder = $('report');
  holder.textContent = '';
  if (!state.current) {
    section.hidden = true;
    return;
  }
  const { report, source } = state.current;
  $('source').textContent = state.t('ui.result.source', { source: sourceText(source) });
  holder.append(renderReport(report, state.t, { technical: $('technical').checked, now: nowSeconds(), headingLevel: 3 }));
  section.hidden = false;
}

// --- sharing --------------------------------------------------------------------------

const PATIENT_FIELDS = ['name', 'birthDate', 'gender', 'identifier'];

function checkbox(value, labelText, checked) {
  const label = document.createElement('label');
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.value = value;
  input.checked = checked;
  const span = document.createElement('span');
  span.textContent = labelText;
  label.append(input, span);
  return label;
}

function renderShare() {
  const panel = $('share');
  const r = state.current?.report;
  const shareable = r && r.verdict !== 'not-verified' && r.content;
  if (!shareable) {
    panel.hidden = true;
    return;
  }
  const t = state.t;
  // Selective disclosure is HealthProof's (SD-JWT): an EU DCC or a SMART Health Card is
  // signed as a whole, so the panel says so instead of offering what cannot work.
  const whole = ['hcert', 'smart-health-card'].includes(r.kind);
  for (const id of ['share-intro', 'share-patient', 'share-sections', 'share-actions', 'share-status']) $(id).hidden = whole;
  $('share-unavailable').hidden = !whole;
  panel.dataset.kind = r.kind ?? 'healthproof';
  if (whole) {
    $('share-unavailable').textContent = t(`ui.share.unavailable.${r.kind}`);
    $('share-qr-box').hidden = true;
    $('share-link-box').hidden = true;
    panel.dataset.for = '';
    panel.hidden = false;
    return;
  }
  // Keep the ticks across a re-render (language switch), default: everything.
  const previous = new Map([...panel.querySelectorAll('input[type=checkbox]')].map((i) => [i.value, i.checked]));
  const same = panel.dataset.for === state.current.text.slice(-64);
  const keep = (v) => (same && previous.has(v) ? previous.get(v) : true);
  const patient = $('share-patient');
  const sections = $('share-sections');
  for (const box of [patient, sections]) for (const l of [...box.querySelectorAll('label')]) l.remove();
  for (const field of PATIENT_FIELDS) {
    if (r.content.patient?.[field] !== undefined) patient.append(checkbox(field, t(`patient.${field}`), keep(field)));
  }
  patient.hidden = !patient.querySelector('label');
  for (const s of r.content.sections ?? []) {
    const ours = t.has(`section.${s.key}`) ? t(`section.${s.key}`) : '';
    const title = typeof s.title === 'string' && s.title ? s.title : ours || s.key;
    sections.append(checkbox(s.key, ours && ours !== title ? `${title} (${ours})` : title, keep(s.key)));
  }
  sections.hidden = !sections.querySelector('label');
  if (!same) {
    $('share-status').textContent = '';
    $('share-qr-box').hidden = true;
    $('share-link-box').hidden = true;
  }
  panel.dataset.for = state.current.text.slice(-64);
  panel.hidden = false;
}

function setShareStatus(text, isError = false) {
  const status = $('share-status');
  status.textContent = text;
  status.classList.toggle('message--error', isError);
}

async function reduced() {
  const names = [...$('share').querySelectorAll('input[type=checkbox]:checked')].map((i) => i.value);
  if (!names.length) throw new PageError('share-empty');
  const text = await verifier.call('disclose', { presentation: state.current.text, names });
  const bytes = new TextEncoder().encode(text).length;
  return { text, names, bytes };
}

function shareGuard(fn) {
  return async () => {
    $('share-qr-box').hidden = true;
    $('share-link-box').hidden = true;
    try {
      await fn();
    } catch (e) {
      const code = e?.code ?? 'internal';
      setShareStatus(`${code}: ${state.t.code(code)}`, true);
    }
  };
}

const shareDownload = shareGuard(async () => {
  const { text, names, bytes } = await reduced();
  const blob = new Blob([text], { type: 'application/vnd.healthproof.presentation' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  const base = (state.current.source.name ?? 'record').replace(/\.hproof$/, '').replace(/[^\w.-]+/g, '-');
  a.href = url;
  a.download = `${base}-shared.hproof`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  setShareStatus(state.t('ui.share.size', { bytes, count: names.length }));
});

const shareQr = shareGuard(async () => {
  const t = state.t;
  const { text, names, bytes } = await reduced();
  const size = t('ui.share.size', { bytes, count: names.length });
  const qr = makeQr(text, t('ui.share.qrAlt'));
  if (qr.tooLarge) {
    setShareStatus(`${size} ${t('ui.share.qrTooLarge', { bytes, max: QR_MAX_BYTES })}`, true);
    return;
  }
  const box = $('share-qr-box');
  box.textContent = '';
  box.append(qr.canvas);
  box.hidden = false;
  setShareStatus(`${size} ${t('ui.share.qrFits', { bytes, version: qr.version })}`);
});

const shareLink = shareGuard(async () => {
  const t = state.t;
  const { text, names, bytes } = await reduced();
  const link = linkFor(location.href, text);
  const field = $('share-link-text');
  field.value = link;
  $('share-link-box').hidden = false;
  let copied = false;
  try {
    await navigator.clipboard.writeText(link);
    copied = true;
  } catch { /* clipboard refused: the link is shown to copy by hand */ }
  setShareStatus(`${t('ui.share.size', { bytes, count: names.length })} ${copied ? t('ui.share.linkCopied') : ''}`.trim());
  if (!copied) field.select();
});

// --- trust list -----------------------------------------------------------------------

async function loadTrustInfo() {
  const { text, signers, minSequence, imported } = trust.active();
  try {
    const info = await verifier.call('parseTrustList', { trustList: text, signers, minSequence });
    state.trustInfo = { ...info, imported };
    if (!imported) trust.acceptBundled(info.sequence);
  } catch (e) {
    state.trustInfo = { error: e.code ?? 'internal', imported };
  }
  renderTrust();
}

function renderTrust() {
  const t = state.t;
  const info = state.trustInfo;
  const status = $('trust-status');
  const origin = $('trust-origin');
  if (!info) {
    status.textContent = '';
    origin.textContent = '';
  } else if (info.error) {
    status.textContent = `${info.error}: ${t.code(info.error)}`;
    origin.textContent = '';
  } else {
    const age = Math.max(0, nowSeconds() - info.issued);
    const days = Math.floor(age / 86400);
    const date = new Intl.DateTimeFormat(t.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(info.issued * 1000));
    const ageText = days === 0 ? t('ui.age.today') : days === 1 ? t('ui.age.oneDay') : t('ui.age.days', { days });
    const interop = info.dccSigners.length + info.shcIssuers.length > 0
      ? ` ${t('ui.trust.interop', { dcc: info.dccSigners.length, shc: info.shcIssuers.length })}` : '';
    status.textContent = `${t('ui.trust.current', { sequence: info.sequence, date, age: ageText })} ${t('ui.trust.issuers', { count: info.issuers.length, witnesses: info.witnesses.length })}${interop}`;
    status.dataset.sequence = String(info.sequence);
    status.dataset.ageDays = String(days);
    origin.textContent = t(info.imported ? 'ui.trust.imported' : 'ui.trust.bundled');
  }
  const message = $('trust-message');
  const m = state.trustMessage;
  message.textContent = !m ? '' : m.error ? `${m.error}: ${t.code(m.error)}` : t('ui.trust.accepted', { sequence: m.sequence });
  message.classList.toggle('message--error', Boolean(m?.error));
  message.dataset.code = m?.error ?? '';
}

const importTrust = guard(async (file) => {
  if (!file) return;
  let text;
  try {
    if (file.size > MAX_FILE) throw new PageError('input-too-large');
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch (e) {
    state.trustMessage = { error: e.code ?? 'not-text' };
    return renderTrust();
  }
  const signers = trust.allowedForNext();
  try {
    const info = await verifier.call('parseTrustList', { trustList: text, signers, minSequence: trust.minSequence });
    const stored = trust.accept(text, signers, info.sequence);
    state.trustMessage = stored ? { sequence: info.sequence } : { error: 'storage-unavailable' };
    await loadTrustInfo();
    // A record on screen is checked again against the new list.
    if (state.current) await openText(state.current.text, state.current.source, { focus: false });
  } catch (e) {
    state.trustMessage = { error: e.code ?? 'internal' };
    renderTrust();
  }
});

// --- wiring ---------------------------------------------------------------------------

function wire() {
  $('lang').addEventListener('change', (e) => setLanguage(e.target.value));
  $('file').addEventListener('change', (e) => {
    openFile(e.target.files?.[0]);
    e.target.value = '';
  });
  $('paste-go').addEventListener('click', () => openPasted($('paste').value));
  $('paste').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) openPasted($('paste').value);
  });
  // Ctrl+V anywhere outside a text field checks the clipboard's text.
  document.addEventListener('paste', (e) => {
    const target = e.target;
    if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]')) return;
    const text = e.clipboardData?.getData('text/plain');
    if (text) {
      e.preventDefault();
      openPasted(text);
    }
  });
  $('scan').addEventListener('click', toggleScan);
  $('demo-go').addEventListener('click', openDemo);
  $('technical').addEventListener('change', renderResult);
  $('share-download').addEventListener('click', shareDownload);
  $('share-qr').addEventListener('click', shareQr);
  $('share-link').addEventListener('click', shareLink);
  $('trust-file').addEventListener('change', (e) => {
    importTrust(e.target.files?.[0]);
    e.target.value = '';
  });
  // Drag and drop anywhere on the page.
  let depth = 0;
  document.addEventListener('dragenter', (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
    depth++;
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) document.body.classList.remove('dragging');
  });
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    const file = e.dataTransfer?.files?.[0];
    if (file) openFile(file);
    else {
      const text = e.dataTransfer?.getData('text/plain');
      if (text) openPasted(text);
    }
  });
  window.addEventListener('hashchange', openFragment);
}

async function loadDemos() {
  try {
    const names = await (await fetch('demo/index.json')).json();
    const select = $('demo');
    for (const name of names) {
      if (typeof name !== 'string') continue;
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      select.append(option);
    }
    select.value = names.includes('es-mateo-fernandez-ruiz-full') ? 'es-mateo-fernandez-ruiz-full' : names[0];
  } catch {
    $('demo').closest('.demo').hidden = true;
  }
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('sw.js');
    await navigator.serviceWorker.ready;
    $('offline').dataset.i18n = 'ui.offline.ready';
    $('offline').textContent = state.t('ui.offline.ready');
  } catch { /* no offline support here (e.g. file:// or a private window) */ }
}

async function main() {
  state.t = translator(initialLanguage());
  document.documentElement.lang = state.t.lang;
  wire();
  renderAll();
  const [list, signer] = await Promise.all(['trust-list.txt', 'trust-list-signer.txt'].map(async (f) => {
    const r = await fetch(f);
    if (!r.ok) throw new PageError('file-unreadable', `${f}: HTTP ${r.status}`);
    return r.text();
  }));
  trust = new TrustStore({ text: list, signer: signer.trim() });
  await Promise.all([loadTrustInfo(), loadDemos()]);
  document.documentElement.dataset.ready = 'true';
  await openFragment();
  registerServiceWorker();
}

main().catch((e) => showError(e?.code ?? 'internal', e?.message));
