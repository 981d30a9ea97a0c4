// The result panel: the toolbar popup, or the same page in a tab (`panel.html?tab=ID`, for
// reading a long record). Opening the popup is the user's gesture: it asks the background to
// scan the active tab. Everything shown from a record goes through the shared renderer
// (www/src/shared/render.js), which builds DOM with text nodes only.
import { renderVerdict, renderContent, renderChecks, formatTime } from '../../www/src/shared/render.js';
import { activeTab, sendToBackground, extensionUrl, openOptions } from './browser.js';
import { settings } from './settings.js';
import { extensionTranslator, resolveLanguage, el } from './ui.js';

/** A result from a context-menu scan this recent is shown as is when the popup opens. */
const REUSE_MS = 10_000;

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const inTab = params.has('tab');

function sourceLine(source, t) {
  const where = source.url ?? source.label;
  return el('p', 'xp-source', el('span', 'xp-source__kind', t(`ext.source.${source.kind}`)),
    where ? ': ' : '', where ? el('span', 'xp-source__where', where) : null);
}

function errorBox(error, t, technical) {
  const box = el('div', 'hp-verdict hp-verdict--not-verified xp-error');
  const frame = el('div', 'hp-report', box); // render.css's colours are scoped to .hp-report
  box.setAttribute('role', 'status');
  box.dataset.verdict = 'not-verified';
  box.dataset.code = error.code;
  const icon = el('span', 'hp-verdict__icon', '✗');
  icon.setAttribute('aria-hidden', 'true');
  box.append(icon, el('div', 'hp-verdict__body',
    el('p', 'hp-verdict__name', t('verdict.not-verified')),
    el('p', null, el('span', 'hp-code', error.code), ' ', t.code(error.code)),
    technical && error.message ? el('p', 'hp-muted', error.message) : null));
  return frame;
}

/**
 * Since when the public ledger shows the record, who witnessed that, and the trust list used
 * (the verdict banner above already names the issuer, its country and the issue date).
 */
function facts(report, t) {
  const rows = [];
  if (report.ledger) {
    if (typeof report.ledger.loggedBy === 'number') rows.push(['logged', formatTime(report.ledger.loggedBy, t.lang)]);
    if (report.ledger.cosigners?.length) {
      rows.push(['witnesses', el('ul', 'xp-witnesses', ...report.ledger.cosigners.map((c) => el('li', null,
        typeof c.timestamp === 'number'
          ? t('detail.witnessAt', { name: c.name, keyName: c.keyName, date: formatTime(c.timestamp, t.lang) })
          : t('detail.witnessNoTime', { name: c.name, keyName: c.keyName }))))]);
    }
  }
  if (report.trustList) {
    rows.push(['trustList', t('ui.trust.current', {
      sequence: report.trustList.sequence,
      date: formatTime(report.trustList.issued, t.lang),
      age: new Intl.RelativeTimeFormat(t.lang, { numeric: 'auto' }).format(-Math.floor(report.trustList.age / 86_400), 'day'),
    })]);
  }
  const dl = el('dl', 'xp-facts');
  for (const [key, value] of rows) {
    dl.append(el('dt', null, t(`ext.fact.${key}`)), el('dd', null, value));
  }
  return dl;
}

/** The checks, folded: the verdict banner already lists every failure and warning. */
function checks(report, t, options) {
  const box = el('details', 'xp-checks', el('summary', null, t('ext.checks', { count: report.checks.length })));
  box.append(renderChecks(report, t, options));
  return box;
}

function renderItem(item, t, { technical, now, single }) {
  const card = el('article', 'xp-item');
  card.dataset.verdict = item.error ? 'not-verified' : item.report.verdict;
  card.dataset.source = item.source.kind;
  card.append(sourceLine(item.source, t));
  if (item.alsoFound?.length) card.append(el('p', 'hp-muted', t.plural('ext.alsoFound', item.alsoFound.length)));
  if (item.error) {
    card.append(errorBox(item.error, t, technical));
    return card;
  }
  const { report } = item;
  // The shared renderer's pieces, in the order a clinician reads them: the verdict, who and
  // when, the record itself, then the checks.
  const body = el('div', 'hp-report');
  body.dataset.verdict = report.verdict;
  body.append(renderVerdict(report, t));
  card.append(body);
  // Facts about a record that failed are claims, not findings: only the reasons are shown.
  const rest = () => [report.verdict === 'not-verified' ? '' : facts(report, t),
    renderContent(report, t, { technical, headingLevel: single ? 2 : 3 }), checks(report, t, { technical, now })];
  if (single) {
    body.append(...rest());
  } else {
    // Several records: each verdict in view, the rest one click away (built when opened).
    const details = el('details', 'xp-details', el('summary', null, t('ext.details')));
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) details.append(...rest());
    });
    body.append(details);
  }
  return card;
}

function renderResult(result, t, technical) {
  const out = [];
  if (result.fixedClock) {
    out.push(el('p', 'xp-notice', t('ext.fixedClock', { time: formatTime(result.now, t.lang) })));
  }
  if (result.error) {
    out.push(errorBox(result.error, t, technical));
    return out;
  }
  if (!result.items.length) {
    out.push(el('p', 'xp-none', t('ext.none')), el('p', 'hp-muted', t('ext.none.hint')));
    return out;
  }
  out.push(el('p', 'xp-count', t.plural('ext.found', result.items.length, { page: result.page })));
  if (result.truncated) out.push(el('p', 'xp-notice', t('ext.truncated')));
  const single = result.items.length === 1;
  if (!single) {
    // The tally first: with ten records, whether any failed matters before which one.
    const tally = new Map();
    for (const item of result.items) {
      const v = item.error ? 'not-verified' : item.report.verdict;
      tally.set(v, (tally.get(v) ?? 0) + 1);
    }
    const line = el('ul', 'xp-tally');
    for (const v of ['verified', 'verified-with-warnings', 'not-verified']) {
      if (!tally.has(v)) continue;
      const li = el('li', `xp-tally__${v}`, `${t(`verdict.${v}`)}: `, el('strong', null, String(tally.get(v))));
      li.dataset.verdict = v;
      li.dataset.count = String(tally.get(v));
      line.append(li);
    }
    out.push(line);
  }
  for (const item of result.items) out.push(renderItem(item, t, { technical, now: result.now, single }));
  if (technical) out.push(el('p', 'hp-muted', t('ext.elapsed', { ms: Math.round(result.elapsedMs) })));
  return out;
}

function show(...nodes) {
  main.replaceChildren(...nodes);
  main.setAttribute('aria-busy', 'false');
}

async function run() {
  const s = await settings();
  const t = extensionTranslator(resolveLanguage(s.language));
  document.documentElement.lang = t.lang;
  document.title = t('ext.name');
  const actions = document.getElementById('actions');
  const options = el('button', 'xp-button', t('ext.options'));
  options.type = 'button';
  options.addEventListener('click', () => openOptions());
  actions.replaceChildren(options);

  let tabId;
  let result = null;
  if (inTab) {
    tabId = Number(params.get('tab'));
    const answer = await sendToBackground({ type: 'results', tabId });
    result = answer?.ok ? answer.result : null;
    if (!result) {
      show(el('p', 'xp-none', t('ext.noResults')));
      return;
    }
  } else {
    const tab = await activeTab();
    tabId = tab?.id;
    if (tabId === undefined) {
      show(errorBox({ code: 'page-unreadable' }, t, false));
      return;
    }
    const previous = await sendToBackground({ type: 'results', tabId });
    const recent = previous?.ok && previous.result && previous.result.via === 'menu' &&
      Date.now() - previous.result.at < REUSE_MS;
    if (recent) {
      result = previous.result;
    } else {
      show(el('p', 'xp-busy', t('ext.scanning')));
      main.setAttribute('aria-busy', 'true');
      const answer = await sendToBackground({ type: 'scan', tabId });
      if (!answer?.ok) {
        show(errorBox({ code: answer?.code ?? 'internal-error', message: answer?.message }, t, s.technical));
        return;
      }
      result = answer.result;
    }
    const open = el('a', 'xp-button', t('ext.openTab'));
    open.href = extensionUrl(`panel.html?tab=${tabId}`);
    open.target = '_blank';
    open.rel = 'noopener';
    actions.prepend(open);
  }
  show(...renderResult(result, t, s.technical));
  document.body.dataset.state = 'done';
  // For the benchmark (bench.mjs): when the verdicts were on screen, on this page's clock.
  performance.mark('healthproof-verdict-shown');
}

run().catch((e) => {
  const t = extensionTranslator('en');
  show(errorBox({ code: 'internal-error', message: String(e?.message ?? e) }, t, true));
  document.body.dataset.state = 'done';
});
