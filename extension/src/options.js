// The options page: language, display, the trust list (update or import from a signed file,
// checked by the verifier in the background), and the audit trail (export, clear).
import { formatTime } from '../../www/src/shared/render.js';
import { local, sendToBackground, uiLanguage } from './browser.js';
import { settings, readAudit, clearAudit, LANGUAGE_CODES } from './settings.js';
import { extensionTranslator, resolveLanguage, el, LANGUAGES } from './ui.js';

const root = document.getElementById('main');
const MAX_FILE = 8 * 1024 * 1024; // the core's trust-list cap
const SHOWN_AUDIT = 50;
const KINDS = ['healthproof', 'hcert', 'smart-health-card'];

function status(node, ok, text) {
  node.className = ok ? 'xo-status xo-status--ok' : 'xo-status xo-status--bad';
  node.replaceChildren(text);
}

function codeSentence(t, answer) {
  return el('span', null, el('span', 'hp-code', answer.code ?? 'internal-error'), ' ',
    t.code(answer.code ?? 'internal-error'));
}

async function readFile(input) {
  const file = input.files?.[0];
  if (!file) return null;
  if (file.size > MAX_FILE) return { error: 'input-too-large' };
  return { text: await file.text() };
}

function languageSection(t, s) {
  const select = el('select', null);
  select.id = 'language';
  const auto = el('option', null, t('opt.language.auto', { language: uiLanguage() }));
  auto.value = 'auto';
  select.append(auto);
  for (const { code, name } of LANGUAGES) {
    const o = el('option', null, name);
    o.value = code;
    select.append(o);
  }
  select.value = s.language;
  select.addEventListener('change', async () => {
    if (select.value === 'auto' || LANGUAGE_CODES.includes(select.value)) {
      await local.set({ language: select.value });
      location.reload();
    }
  });
  const label = el('label', null, t('opt.language'));
  label.htmlFor = 'language';
  return el('section', 'xo-section', el('h2', null, t('opt.language')), el('p', null, label, ' ', select));
}

function displaySection(t, s) {
  const technical = el('input', null);
  technical.type = 'checkbox';
  technical.id = 'technical';
  technical.checked = s.technical;
  const saved = el('p', 'xo-status');
  saved.setAttribute('role', 'status');
  technical.addEventListener('change', async () => {
    await local.set({ technical: technical.checked });
    status(saved, true, t('opt.saved'));
  });
  const techLabel = el('label', null, technical, ' ', t('opt.technical'));

  const days = el('input', null);
  days.type = 'number';
  days.id = 'max-age';
  days.min = '1';
  days.max = '3650';
  days.step = '1';
  days.value = String(s.maxTrustListAgeDays);
  days.addEventListener('change', async () => {
    const n = Number(days.value);
    if (!Number.isInteger(n) || n < 1 || n > 3650) {
      status(saved, false, t('opt.maxAge.invalid'));
      return;
    }
    await local.set({ maxTrustListAgeDays: n });
    status(saved, true, t('opt.saved'));
    await renderTrust(t);
  });
  const daysLabel = el('label', null, t('opt.maxAge'), ' ', days);
  return el('section', 'xo-section', el('h2', null, t('opt.display')),
    el('p', null, techLabel), el('p', null, daysLabel), saved);
}

const trustBox = el('div', 'xo-trust-current');

async function renderTrust(t) {
  const info = await sendToBackground({ type: 'trust-info' });
  if (!info?.ok) {
    trustBox.replaceChildren(el('p', 'xo-status xo-status--bad', codeSentence(t, info ?? {})));
    return;
  }
  const age = new Intl.RelativeTimeFormat(t.lang, { numeric: 'auto' }).format(-info.ageDays, 'day');
  trustBox.replaceChildren(
    el('p', null, t('ui.trust.current', { sequence: info.sequence, date: formatTime(info.issued, t.lang), age })),
    el('p', null, t('ui.trust.issuers', { count: info.issuers.length, witnesses: info.witnesses })),
    ...(info.dccSigners + info.shcIssuers > 0
      ? [el('p', null, t('ui.trust.interop', { dcc: info.dccSigners, shc: info.shcIssuers }))] : []),
    el('p', 'hp-muted', info.imported ? t('opt.trust.imported', { date: new Date(info.importedAt).toISOString().slice(0, 10) }) : t('opt.trust.default')),
    el('p', 'hp-muted xo-keys', t('opt.trust.signers', { keys: info.signers.join(', ') })),
  );
  if (info.stale) {
    trustBox.append(el('p', 'xo-status xo-status--bad', t('opt.trust.stale', { days: (await settings()).maxTrustListAgeDays })));
  }
  trustBox.dataset.sequence = String(info.sequence);
  trustBox.dataset.imported = String(info.imported);
  resetButton.hidden = !info.imported;
}

const resetButton = el('button', 'xp-button');

function trustSection(t) {
  const result = el('p', 'xo-status');
  result.setAttribute('role', 'status');
  result.id = 'trust-status';

  const importList = async (fileInput, signers) => {
    const file = await readFile(fileInput);
    if (!file) return status(result, false, t('opt.trust.noFile'));
    if (file.error) return status(result, false, codeSentence(t, { code: file.error }));
    const answer = await sendToBackground({ type: 'trust-import', list: file.text, signers });
    if (answer?.ok) {
      status(result, true, t('ui.trust.accepted', { sequence: answer.sequence }));
      await renderTrust(t);
    } else {
      status(result, false, codeSentence(t, answer ?? {}));
    }
  };

  const updateFile = el('input', null);
  updateFile.type = 'file';
  updateFile.id = 'update-file';
  updateFile.accept = '.txt,text/plain';
  const updateButton = el('button', 'xp-button', t('opt.trust.update'));
  updateButton.id = 'update-button';
  updateButton.type = 'button';
  updateButton.addEventListener('click', async () => {
    const info = await sendToBackground({ type: 'trust-info' });
    await importList(updateFile, info.signers);
  });

  const newFile = el('input', null);
  newFile.type = 'file';
  newFile.id = 'import-file';
  newFile.accept = '.txt,text/plain';
  const key = el('input', 'xo-key');
  key.type = 'text';
  key.id = 'import-key';
  key.spellcheck = false;
  key.autocomplete = 'off';
  const importButton = el('button', 'xp-button', t('opt.trust.import'));
  importButton.id = 'import-button';
  importButton.type = 'button';
  importButton.addEventListener('click', async () => {
    const keys = key.value.split(/[\s,]+/).filter(Boolean);
    if (!keys.length) return status(result, false, t('opt.trust.noKey'));
    await importList(newFile, keys);
  });

  resetButton.replaceChildren(t('ui.trust.reset'));
  resetButton.type = 'button';
  resetButton.id = 'reset-button';
  resetButton.hidden = true;
  resetButton.addEventListener('click', async () => {
    const answer = await sendToBackground({ type: 'trust-reset' });
    if (answer?.ok) await renderTrust(t);
    else status(result, false, codeSentence(t, answer ?? {}));
  });

  const fileLabel = el('label', null, t('opt.trust.file'), ' ', updateFile);
  const newFileLabel = el('label', null, t('opt.trust.file'), ' ', newFile);
  const keyLabel = el('label', null, t('opt.trust.signerKey'), ' ', key);
  return el('section', 'xo-section', el('h2', null, t('ui.trust.heading')), trustBox,
    el('h3', null, t('opt.trust.update')), el('p', 'hp-muted', t('opt.trust.update.hint')),
    el('p', null, fileLabel, ' ', updateButton),
    el('h3', null, t('opt.trust.newSigner')),
    el('p', null, newFileLabel), el('p', null, keyLabel, ' ', importButton),
    el('p', null, resetButton), result);
}

function auditSection(t) {
  const box = el('div', null);
  const section = el('section', 'xo-section', el('h2', null, t('opt.audit')), el('p', 'hp-muted', t('opt.audit.intro')), box);
  let confirming = false;
  const render = async () => {
    const audit = await readAudit();
    const count = el('p', 'xo-audit-count', audit.length ? t.plural('opt.audit.count', audit.length) : t('opt.audit.cleared'));
    count.dataset.count = String(audit.length);
    const exportButton = el('button', 'xp-button', t('opt.audit.export'));
    exportButton.type = 'button';
    exportButton.id = 'audit-export';
    exportButton.disabled = !audit.length;
    exportButton.addEventListener('click', () => {
      const blob = new Blob([JSON.stringify({ format: 'healthproof-extension-audit/v1', exported: new Date().toISOString(), entries: audit }, null, 2)],
        { type: 'application/json' });
      const a = el('a', null);
      a.href = URL.createObjectURL(blob);
      a.download = `healthproof-audit-${new Date().toISOString().slice(0, 10)}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    });
    const clearButton = el('button', 'xp-button', confirming ? t('opt.audit.confirm', { count: audit.length }) : t('opt.audit.clear'));
    clearButton.type = 'button';
    clearButton.id = 'audit-clear';
    clearButton.disabled = !audit.length;
    clearButton.addEventListener('click', async () => {
      if (!confirming) {
        confirming = true;
      } else {
        confirming = false;
        await clearAudit();
      }
      await render();
    });
    const shortTime = new Intl.DateTimeFormat(t.lang, { dateStyle: 'short', timeStyle: 'medium', timeZone: 'UTC' });
    const table = el('table', 'xo-audit');
    table.append(el('thead', null, el('tr', null, ...['time', 'page', 'kind', 'verdict', 'issuer', 'code', 'digest']
      .map((k) => el('th', null, k === 'time' ? `${t('opt.audit.time')} (UTC)` : t(`opt.audit.${k}`))))));
    const body = el('tbody', null);
    for (const e of audit.slice(-SHOWN_AUDIT).reverse()) {
      body.append(el('tr', null,
        el('td', 'xo-nowrap', shortTime.format(new Date(e.at))),
        el('td', 'xo-wrap', String(e.page ?? '')),
        el('td', null, KINDS.includes(e.kind) ? t(`kind.${e.kind}`) : '—'),
        el('td', null, t(`verdict.${e.verdict}`)),
        el('td', 'xo-wrap', !e.issuer ? '—' : e.issuer.country ? `${e.issuer.organisation} (${e.issuer.country})` : String(e.issuer.organisation)),
        el('td', null, e.code ?? ''),
        el('td', 'xo-mono', e.digest ? e.digest.slice(0, 16) : '')));
    }
    table.append(body);
    box.replaceChildren(count, el('p', null, exportButton, ' ', clearButton), audit.length ? table : '');
  };
  render();
  return section;
}

async function run() {
  const s = await settings();
  const t = extensionTranslator(resolveLanguage(s.language));
  document.documentElement.lang = t.lang;
  document.title = t('opt.title');
  document.getElementById('title').textContent = t('opt.title');
  root.replaceChildren(languageSection(t, s), displaySection(t, s), trustSection(t), auditSection(t));
  await renderTrust(t);
  document.body.dataset.state = 'done';
}

run();
