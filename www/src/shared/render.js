/**
 * @file Renders a HealthProof verification `Report` (the npm package's `verify` result, see
 * its index.d.ts) as DOM nodes, for the traveler's page and the browser extension alike.
 *
 * Safety: record content is data written by whoever made the file. Every string from the
 * report is placed with `textContent` or `createTextNode`, never parsed as HTML; this module
 * sets no attribute from record data except `lang`/`dir`-free text and `data-*` values that
 * come from the verifier (check ids, section keys). It reads no global state, so the same
 * report and translator always give the same DOM.
 *
 * API (all pure; `t` is a translator from ./i18n.js):
 *
 *   renderReport(report, t, { technical = false, now, headingLevel = 2 }) -> HTMLElement
 *     The whole result: verdict banner, checks list, disclosed content.
 *   renderVerdict(report, t) -> HTMLElement        banner (role="status"; class hp-verdict--*)
 *   renderChecks(report, t, options) -> HTMLElement   <ol> of checks (<details> when expandable)
 *   renderContent(report, t, options) -> HTMLElement  patient header and sections
 *   renderPatient(patient, t, options) -> HTMLElement
 *   renderSection(section, t, options) -> HTMLElement
 *   renderEntry(entry, t, options) -> HTMLElement     one FHIR resource, as text
 *   checkSentence(check, report, t, now) -> string    one check in plain language
 *   formatFhirDate(value, lang) -> string             '2020-03' → 'March 2020' (Intl)
 *   formatTime(seconds, lang) -> string               POSIX seconds → date and time (Intl)
 *   codeSystemName(url) -> string                     'http://loinc.org' → 'LOINC'
 *
 * `technical: true` adds the verifier's codes and English messages, key IDs and each entry's
 * FHIR JSON (as text).
 *
 * Kinds (`report.kind`): a HealthProof presentation, an EU DCC (`hcert`) or a SMART Health Card
 * (`smart-health-card`) share this one rendering; where a sentence differs by kind (no ledger,
 * an expiry, a revocation list instead of a status list), the key `<key>.<kind>` is used when
 * the tables have it, `<key>` otherwise. A DCC's entries are its own JSON, not FHIR: the
 * section's text says what they hold, and the JSON is shown only with technical details. `now` (POSIX seconds) is used for ages ("3 days ago"); when omitted it
 * is derived from the report's trust list (`issued + age`), so rendering never reads a clock.
 * Styles: ./render.css (class prefix `hp-`).
 */

const SECTION_ORDER = [
  'allergies', 'medications', 'problems', 'immunizations', 'results', 'procedures',
  'devices', 'vital-signs', 'past-illness', 'functional-status', 'plan-of-care',
  'social-history', 'pregnancy', 'advance-directives', 'alerts', 'patient-story',
];

const CODE_SYSTEMS = {
  'http://snomed.info/sct': 'SNOMED CT',
  'http://loinc.org': 'LOINC',
  'http://www.whocc.no/atc': 'ATC',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://id.who.int/icd/release/11/mms': 'ICD-11',
  'http://standardterms.edqm.eu': 'EDQM',
  'http://unitsofmeasure.org': 'UCUM',
  'http://hl7.org/fhir/sid/cvx': 'CVX',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
};

/**
 * The readable name of a FHIR code system URL; HL7 terminology by its short name; any other
 * URL as given.
 * @param {unknown} url
 * @returns {string}
 */
export function codeSystemName(url) {
  if (typeof url !== 'string') return '';
  if (Object.hasOwn(CODE_SYSTEMS, url)) return CODE_SYSTEMS[url];
  const hl7 = /^http:\/\/terminology\.hl7\.org\/CodeSystem\/(.+)$/.exec(url);
  if (hl7) return `HL7 ${hl7[1]}`;
  return url;
}

/**
 * A FHIR date, dateTime or instant made readable with Intl.DateTimeFormat in `lang`: a year
 * stays a year, a year-month becomes month and year, a date a date, a dateTime date and time.
 * Anything else is returned unchanged (it is still shown, as text).
 * @param {unknown} value
 * @param {string} lang
 * @returns {string}
 */
export function formatFhirDate(value, lang) {
  if (typeof value !== 'string') return value == null ? '' : String(value);
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$/.exec(value);
  if (!m) return value;
  const [, y, mo, d, time] = m;
  if (mo && (+mo < 1 || +mo > 12)) return value;
  if (d) {
    const check = new Date(Date.UTC(+y, +mo - 1, +d));
    if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d) return value;
  }
  try {
    if (!mo) return y;
    if (!d) {
      const date = new Date(Date.UTC(+y, +mo - 1, 1));
      return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
    }
    if (!time) {
      const date = new Date(Date.UTC(+y, +mo - 1, +d));
      if (Number.isNaN(date.getTime())) return value;
      return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
    }
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return value;
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(date);
  } catch {
    return value;
  }
}

/**
 * POSIX seconds as a date and time in `lang`, in UTC (the record's times are the same for
 * every reader, wherever they are).
 * @param {number | null | undefined} seconds
 * @param {string} lang
 * @returns {string}
 */
export function formatTime(seconds, lang) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
  return new Intl.DateTimeFormat(lang, {
    year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit',
    timeZone: 'UTC', timeZoneName: 'short',
  }).format(new Date(seconds * 1000));
}

/** A day as a date only, in UTC. */
function formatDay(seconds, lang) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' })
    .format(new Date(seconds * 1000));
}

/** A country code as its name in `lang` (the code itself when Intl does not know it). */
function countryName(code, lang) {
  if (typeof code !== 'string' || !/^[A-Z]{2}$/.test(code)) return String(code ?? '');
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "3 days old" / "vouched 2 days ago": an age in seconds as relative text. */
function ageText(seconds, t, style) {
  const days = Math.floor(Math.max(0, seconds) / 86400);
  if (style === 'ago') {
    return new Intl.RelativeTimeFormat(t.lang, { numeric: 'auto' }).format(-days, 'day');
  }
  if (days === 0) return t('ui.age.today');
  return days === 1 ? t('ui.age.oneDay') : t('ui.age.days', { days });
}

/** The report's notion of now: given, or the trust list's issue time plus its age. */
function reportNow(report, now) {
  if (typeof now === 'number') return now;
  const tl = report?.trustList;
  return tl ? tl.issued + tl.age : null;
}

/** The report's kind: 'healthproof' when the report does not say (older packages). */
function kindOf(report) {
  return ['hcert', 'smart-health-card'].includes(report?.kind) ? report.kind : 'healthproof';
}

/** `key.<kind>` when the tables have one for this report's kind, else `key`. */
function byKind(t, key, report) {
  const kind = kindOf(report);
  return kind !== 'healthproof' && t.has(`${key}.${kind}`) ? `${key}.${kind}` : key;
}

// --- DOM helpers: text only -------------------------------------------------------------

/** An element with a class and children; strings become text nodes. */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child == null || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** A heading of level 1..6 (clamped). */
function heading(level, className, text) {
  return el(`h${Math.min(6, Math.max(1, level))}`, className, text);
}

/** A definition list from [label, value] pairs; values may be strings or nodes. */
function definitions(pairs, className = 'hp-dl') {
  const dl = el('dl', className);
  for (const [label, value] of pairs) {
    if (value == null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const dd = el('dd');
    if (Array.isArray(value)) {
      if (value.length === 1) dd.append(toNode(value[0]));
      else dd.append(el('ul', 'hp-plain', ...value.map((v) => el('li', null, toNode(v)))));
    } else {
      dd.append(toNode(value));
    }
    dl.append(el('div', 'hp-dl__row', el('dt', null, label), dd));
  }
  return dl;
}

function toNode(v) {
  return typeof v === 'string' ? document.createTextNode(v) : v;
}

// --- verdict and checks -----------------------------------------------------------------

/**
 * The verdict banner: verdict name, one lead sentence, and for a verified record who issued
 * it and when. `role="status"` so assistive technology announces a new verdict.
 * @param {import('healthproof').Report} report
 * @param {ReturnType<typeof import('./i18n.js').translator>} t
 * @returns {HTMLElement}
 */
export function renderVerdict(report, t) {
  const verdict = ['verified', 'verified-with-warnings', 'not-verified'].includes(report?.verdict)
    ? report.verdict : 'not-verified';
  const banner = el('div', `hp-verdict hp-verdict--${verdict}`);
  banner.setAttribute('role', 'status');
  banner.dataset.verdict = verdict;
  const icon = el('span', 'hp-verdict__icon', verdict === 'verified' ? '✓' : verdict === 'not-verified' ? '✗' : '!');
  icon.setAttribute('aria-hidden', 'true');
  const kind = kindOf(report);
  const body = el('div', 'hp-verdict__body',
    el('p', 'hp-verdict__name', t(`verdict.${verdict}`)),
    kind === 'healthproof' ? null : el('p', 'hp-verdict__kind', t(`kind.${kind}`)),
    el('p', 'hp-verdict__lead', t(byKind(t, `verdict.${verdict}.lead`, report))));
  banner.dataset.kind = kind;
  if (verdict !== 'not-verified' && report.issuer) {
    body.append(el('p', 'hp-verdict__issuer', t(byKind(t, 'verdict.issuer', report), {
      organisation: report.issuer.organisation,
      country: countryName(report.issuer.country, t.lang),
    })));
    if (typeof report.issuedAt === 'number') {
      body.append(el('p', 'hp-verdict__issued', t(byKind(t, 'verdict.issued', report), { date: formatDay(report.issuedAt, t.lang) })));
    }
    if (typeof report.expiresAt === 'number') {
      body.append(el('p', 'hp-verdict__expires', t('verdict.expires', { date: formatDay(report.expiresAt, t.lang) })));
    }
  }
  if (verdict !== 'verified') {
    // The reasons, right under the verdict: every failure first, then every warning.
    const reasons = [...(report.checks ?? [])]
      .filter((c) => c.outcome === 'failed' || c.outcome === 'warning')
      .sort((a, b) => (a.outcome === 'failed' ? 0 : 1) - (b.outcome === 'failed' ? 0 : 1));
    if (reasons.length) {
      body.append(el('ul', 'hp-verdict__reasons', ...reasons.map((c) => {
        const li = el('li', null, el('span', 'hp-code', c.code ?? c.id), ' ', t.code(c.code ?? ''));
        li.dataset.code = c.code ?? '';
        return li;
      })));
    }
  }
  banner.append(icon, body);
  return banner;
}

/**
 * One check as a sentence in plain language, from its id, outcome and code, with values from
 * the report (issuer, ledger, ages).
 * @param {import('healthproof').Check} check
 * @param {import('healthproof').Report} report
 * @param {ReturnType<typeof import('./i18n.js').translator>} t
 * @param {number} [now]
 * @returns {string}
 */
export function checkSentence(check, report, t, now) {
  if (check.outcome === 'failed' || check.outcome === 'warning') return t.code(check.code ?? '');
  if (check.outcome === 'not-applicable') {
    if ((report.checks ?? []).some((c) => c.outcome === 'failed')) return t('check.not-applicable.after-failure');
    const key = `check.not-applicable.${check.id}`;
    return t.has(key) ? t(byKind(t, key, report)) : t('check.not-applicable.other');
  }
  const at = reportNow(report, now);
  const ledger = report.ledger;
  const params = {};
  switch (check.id) {
    case 'trust-list': params.sequence = report.trustList?.sequence ?? ''; break;
    case 'issuer-known':
      params.organisation = report.issuer?.organisation ?? '';
      params.country = countryName(report.issuer?.country, t.lang);
      break;
    case 'checkpoint-signature': params.origin = ledger?.origin ?? ''; break;
    case 'witness-quorum':
      params.count = ledger?.cosigners.length ?? 0;
      params.quorum = ledger?.quorum ?? 0;
      break;
    case 'inclusion-proof':
      params.index = formatNumber(ledger?.leafIndex, t.lang);
      params.size = formatNumber(ledger?.treeSize, t.lang);
      break;
    case 'issued-at': params.date = formatDay(report.issuedAt, t.lang); break;
    case 'not-expired': params.date = formatDay(report.expiresAt, t.lang); break;
    case 'checkpoint-freshness': {
      const newest = Math.max(...(ledger?.cosigners ?? []).map((c) => c.timestamp ?? -Infinity));
      params.age = at != null && Number.isFinite(newest) ? ageText(at - newest, t, 'ago') : '';
      break;
    }
    case 'trust-list-freshness': params.age = ageText(report.trustList?.age ?? 0, t); break;
    default: break;
  }
  const key = `check.${check.id}.passed`;
  return t.has(key) ? t(byKind(t, key, report), params) : check.message;
}

function formatNumber(n, lang) {
  return typeof n === 'number' ? new Intl.NumberFormat(lang).format(n) : '';
}

/** The facts a check stands on, for its expandable details. */
function checkDetails(check, report, t, technical) {
  const pairs = [];
  const ledger = report.ledger;
  const lang = t.lang;
  switch (check.id) {
    case 'issuer-known':
    case 'signature':
    case 'key-valid':
    case 'key-usage':
    case 'key-not-revoked':
      if (report.issuer) {
        pairs.push([t(byKind(t, 'detail.organisation', report)), report.issuer.organisation]);
        if (report.issuer.country) {
          pairs.push([t('detail.country'), `${countryName(report.issuer.country, lang)} (${report.issuer.country})`]);
        }
        pairs.push([t('detail.key'), report.issuer.kid]);
      }
      break;
    case 'issued-at':
    case 'not-expired':
      if (typeof report.issuedAt === 'number') pairs.push([t(byKind(t, 'detail.issued', report)), formatTime(report.issuedAt, lang)]);
      if (typeof report.expiresAt === 'number') pairs.push([t('detail.expires'), formatTime(report.expiresAt, lang)]);
      if (ledger?.loggedBy != null) pairs.push([t('detail.loggedBy'), formatTime(ledger.loggedBy, lang)]);
      break;
    case 'checkpoint-signature':
    case 'inclusion-proof':
    case 'witness-quorum':
    case 'checkpoint-freshness':
      if (ledger) {
        pairs.push([t('detail.log'), ledger.origin]);
        pairs.push([t('detail.entry'), t('detail.entryOf', {
          index: formatNumber(ledger.leafIndex, lang), size: formatNumber(ledger.treeSize, lang),
        })]);
        pairs.push([t('detail.witnesses'), ledger.cosigners.map((c) => (c.timestamp == null
          ? t('detail.witnessNoTime', { name: c.name, keyName: c.keyName })
          : t('detail.witnessAt', { name: c.name, keyName: c.keyName, date: formatTime(c.timestamp, lang) })))]);
        pairs.push([t('detail.quorum'), String(ledger.quorum)]);
        if (ledger.loggedBy != null) pairs.push([t('detail.loggedBy'), formatTime(ledger.loggedBy, lang)]);
      }
      break;
    case 'trust-list':
    case 'trust-list-freshness':
      if (report.trustList) {
        pairs.push([t('detail.trustList'), t('detail.trustListValue', {
          sequence: report.trustList.sequence,
          date: formatTime(report.trustList.issued, lang),
          age: ageText(report.trustList.age, t),
        })]);
      }
      break;
    default: break;
  }
  if (technical) {
    if (check.code) pairs.push([t('detail.code'), check.code]);
    pairs.push([t('detail.message'), check.message]);
  }
  return pairs;
}

/**
 * The checks, in the verifier's order: each a `<details>` whose summary is the check's name,
 * outcome and plain sentence, and whose body holds the facts behind it (a plain row when
 * there are none). Failed checks and warnings with facts start open.
 * @param {import('healthproof').Report} report
 * @param {ReturnType<typeof import('./i18n.js').translator>} t
 * @param {{technical?: boolean, now?: number}} [options]
 * @returns {HTMLElement}
 */
export function renderChecks(report, t, { technical = false, now } = {}) {
  const list = el('ol', 'hp-checks');
  for (const check of report.checks ?? []) {
    const outcome = ['passed', 'failed', 'warning', 'not-applicable'].includes(check.outcome)
      ? check.outcome : 'failed';
    const mark = el('span', `hp-check__mark hp-check__mark--${outcome}`,
      { passed: '✓', failed: '✗', warning: '!', 'not-applicable': '–' }[outcome]);
    mark.setAttribute('aria-hidden', 'true');
    const summary = el('summary', 'hp-check__summary',
      mark,
      el('span', 'hp-check__title', t.has(`check.${check.id}`) ? t(`check.${check.id}`) : check.id),
      el('span', `hp-check__outcome hp-check__outcome--${outcome}`, t(`outcome.${outcome}`)),
      el('span', 'hp-check__sentence', checkSentence(check, report, t, now)));
    const pairs = checkDetails(check, report, t, technical);
    // Only a check with facts behind it expands; the others are a plain row.
    let item;
    if (pairs.length) {
      item = el('details', `hp-check hp-check--${outcome}`, summary, definitions(pairs));
      if (outcome === 'failed' || outcome === 'warning') item.open = true;
    } else {
      const row = el('div', 'hp-check__summary hp-check__summary--static', ...summary.childNodes);
      item = el('div', `hp-check hp-check--${outcome}`, row);
    }
    item.dataset.check = check.id;
    item.dataset.outcome = outcome;
    list.append(el('li', null, item));
  }
  return list;
}

// --- content ----------------------------------------------------------------------------

/** Readable text of a FHIR element of any shape (concepts, quantities, periods, …). */
function textOf(value, lang) {
  if (value == null) return '';
  if (typeof value === 'string') return formatFhirDate(value, lang);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => textOf(v, lang)).filter(Boolean).join('; ');
  if (typeof value !== 'object') return '';
  if ('coding' in value || ('text' in value && Object.keys(value).length === 1)) return conceptText(value);
  if ('value' in value && ('unit' in value || 'code' in value)) return quantityText(value);
  if ('start' in value || 'end' in value) return periodText(value, lang);
  if ('display' in value) return String(value.display);
  if ('reference' in value) return '';
  if ('low' in value || 'high' in value) return rangeText(value);
  return Object.entries(value)
    .filter(([k]) => !['id', 'system', 'reference', 'extension'].includes(k))
    .map(([, v]) => textOf(v, lang)).filter(Boolean).join(', ');
}

function conceptText(c) {
  if (!c || typeof c !== 'object') return textOf(c, 'en');
  if (typeof c.text === 'string' && c.text) return c.text;
  const coding = Array.isArray(c.coding) ? c.coding.find((x) => x && (x.display || x.code)) : null;
  return coding ? String(coding.display ?? coding.code) : '';
}

function quantityText(q) {
  if (!q || typeof q !== 'object') return '';
  const comparator = typeof q.comparator === 'string' ? `${q.comparator} ` : '';
  const unit = q.unit ?? q.code ?? '';
  return `${comparator}${q.value ?? ''}${unit ? ` ${unit}` : ''}`.trim();
}

function rangeText(r) {
  if (!r || typeof r !== 'object') return '';
  const low = r.low ? quantityText(r.low) : '';
  const high = r.high ? quantityText(r.high) : '';
  const range = low && high ? `${low} – ${high}` : low ? `≥ ${low}` : high ? `≤ ${high}` : '';
  return [range, typeof r.text === 'string' ? r.text : ''].filter(Boolean).join(' ');
}

function periodText(p, lang) {
  if (!p || typeof p !== 'object') return '';
  const start = p.start ? formatFhirDate(p.start, lang) : '';
  const end = p.end ? formatFhirDate(p.end, lang) : '';
  if (start && end) return `${start} – ${end}`;
  if (start) return `${start} –`;
  return end ? `– ${end}` : '';
}

/** The coded values of a concept: "display · SNOMED CT 286550009" each. */
function codingsNode(concepts) {
  const items = [];
  for (const concept of [].concat(concepts ?? [])) {
    for (const coding of Array.isArray(concept?.coding) ? concept.coding : []) {
      if (!coding || typeof coding !== 'object') continue;
      const li = el('li', 'hp-coding');
      if (coding.display != null) li.append(el('span', 'hp-coding__display', String(coding.display)));
      const system = codeSystemName(coding.system);
      li.append(el('span', 'hp-coding__code', [system, coding.code == null ? '' : String(coding.code)].filter(Boolean).join(' ')));
      items.push(li);
    }
  }
  return items.length ? el('ul', 'hp-codings', ...items) : null;
}

/** The main concept of a resource: what the entry is about. */
function mainConcept(entry) {
  for (const key of ['code', 'medicationCodeableConcept', 'vaccineCode']) {
    if (entry[key] && typeof entry[key] === 'object' && !Array.isArray(entry[key])) return [key, entry[key]];
  }
  return [null, null];
}

function entryTitle(entry, lang) {
  const [, concept] = mainConcept(entry);
  if (concept) {
    // A coding with neither text nor display (SMART Health Cards send bare CVX codes): its
    // code system and code, so the title says which list the number is from.
    const coding = !concept.text && Array.isArray(concept.coding) ? concept.coding.find((c) => c?.code != null) : null;
    if (coding && coding.display == null) return [codeSystemName(coding.system), String(coding.code)].filter(Boolean).join(' ');
    return conceptText(concept);
  }
  for (const key of ['title', 'description']) if (typeof entry[key] === 'string') return entry[key];
  if (entry.device?.display) return String(entry.device.display);
  if (Array.isArray(entry.category) && entry.category.length) return textOf(entry.category, lang);
  if (entry.provision?.code) return textOf(entry.provision.code, lang);
  return typeof entry.resourceType === 'string' ? entry.resourceType : '';
}

// Fields shown with a label, in this order: [label key, FHIR field names…].
const FIELDS = [
  ['field.status', 'status'],
  ['field.clinicalStatus', 'clinicalStatus'],
  ['field.verificationStatus', 'verificationStatus'],
  ['field.type', 'type'],
  ['field.category', 'category'],
  ['field.criticality', 'criticality'],
  ['field.severity', 'severity'],
  ['field.intent', 'intent'],
  ['field.scope', 'scope'],
  ['field.value', 'valueQuantity', 'valueCodeableConcept', 'valueString', 'valueBoolean', 'valueInteger', 'valueDateTime', 'valuePeriod', 'valueRange'],
  ['field.interpretation', 'interpretation'],
  ['field.referenceRange', 'referenceRange'],
  ['field.onset', 'onsetDateTime', 'onsetPeriod', 'onsetString', 'onsetAge'],
  ['field.abatement', 'abatementDateTime', 'abatementPeriod', 'abatementString'],
  ['field.effective', 'effectiveDateTime', 'effectivePeriod', 'dateTime'],
  ['field.occurrence', 'occurrenceDateTime', 'occurrenceString'],
  ['field.performed', 'performedDateTime', 'performedPeriod'],
  ['field.performer', 'performer'],
  ['field.lot', 'lotNumber'],
  ['field.period', 'period', 'timingPeriod'],
  ['field.recorded', 'recordedDate', 'created'],
  ['field.route', 'route'],
  ['field.device', 'device'],
  ['field.author', 'author'],
  ['field.policy', 'policyRule'],
];
// Fields whose values are FHIR codes (required bindings): shown in the reader's language
// when the code is one we translate (`value.<code>`), as written otherwise.
const CODED_FIELDS = new Set(['status', 'clinicalStatus', 'verificationStatus', 'type', 'category',
  'criticality', 'severity', 'intent']);
const HL7_TERMINOLOGY = 'http://terminology.hl7.org/CodeSystem/';

/** A coded value (a code string, or a concept from HL7 terminology) in the reader's language. */
function codedText(value, t) {
  if (Array.isArray(value)) return value.map((v) => codedText(v, t)).filter(Boolean).join('; ');
  if (typeof value === 'string') return t.has(`value.${value}`) ? t(`value.${value}`) : value;
  const coding = Array.isArray(value?.coding) ? value.coding[0] : null;
  if (!value?.text && typeof coding?.code === 'string' && typeof coding.system === 'string'
    && coding.system.startsWith(HL7_TERMINOLOGY) && t.has(`value.${coding.code}`)) {
    return t(`value.${coding.code}`);
  }
  return textOf(value, t.lang);
}

// Never shown as fields: identity, links to other resources, and what the title already says.
const SKIP = new Set(['resourceType', 'id', 'meta', 'text', 'subject', 'patient', 'reasonReference',
  'code', 'medicationCodeableConcept', 'vaccineCode', 'title', 'extension', 'identifier', 'primarySource']);

/**
 * One FHIR resource for a person to read: its title (concept text), its codes with their
 * code system, and its facts as a definition list, dates made readable. Fields this
 * renderer does not name are still shown as text under "Other data".
 * @param {import('healthproof').FhirJson} entry
 * @param {ReturnType<typeof import('./i18n.js').translator>} t
 * @param {{technical?: boolean, headingLevel?: number}} [options]
 * @returns {HTMLElement}
 */
export function renderEntry(entry, t, { technical = false, headingLevel = 4 } = {}) {
  const lang = t.lang;
  const article = el('article', 'hp-entry');
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    article.append(el('p', null, textOf(entry, lang)));
    return article;
  }
  if (typeof entry.resourceType === 'string') article.dataset.resource = entry.resourceType;
  article.append(heading(headingLevel, 'hp-entry__title', entryTitle(entry, lang)));
  const [, concept] = mainConcept(entry);
  // A single bare code is already the title ("CVX 207"): no second line repeating it.
  const bare = concept && !concept.text && Array.isArray(concept.coding) && concept.coding.length === 1
    && concept.coding[0]?.display == null;
  const codes = bare ? null : codingsNode(concept ?? entry.provision?.code ?? null);
  const pairs = [];
  const used = new Set();
  for (const [label, ...names] of FIELDS) {
    for (const name of names) {
      if (entry[name] == null) continue;
      used.add(name);
      if (name === 'device' && entryTitle(entry, lang) === String(entry.device?.display ?? '')) continue;
      const text = CODED_FIELDS.has(name) ? codedText(entry[name], t) : textOf(entry[name], lang);
      if (text) pairs.push([t(label), text]);
    }
  }
  if (Array.isArray(entry.component)) {
    used.add('component');
    pairs.push([t('field.component'), entry.component.map((c) => {
      const name = conceptText(c?.code);
      const value = textOf(c?.valueQuantity ?? c?.valueCodeableConcept ?? c?.valueString ?? c?.valueInteger, lang);
      return [name, value].filter(Boolean).join(': ');
    })]);
  }
  if (Array.isArray(entry.dosage)) {
    used.add('dosage');
    pairs.push([t('field.dosage'), entry.dosage.map((d) => [
      typeof d?.text === 'string' ? d.text : '', d?.route ? conceptText(d.route) : '',
    ].filter(Boolean).join(' — '))]);
  }
  if (Array.isArray(entry.reaction)) {
    used.add('reaction');
    pairs.push([t('field.reaction'), entry.reaction.map((r) => {
      const what = [textOf(r?.manifestation, lang), typeof r?.description === 'string' ? r.description : '']
        .filter(Boolean).join(' — ');
      return typeof r?.severity === 'string' ? `${what} (${codedText(r.severity, t)})` : what;
    })]);
  }
  if (Array.isArray(entry.protocolApplied)) {
    used.add('protocolApplied');
    pairs.push([t('field.dose'), entry.protocolApplied.map((p) => {
      const dose = p?.doseNumberPositiveInt ?? p?.doseNumberString;
      const series = p?.seriesDosesPositiveInt ?? p?.seriesDosesString;
      return dose != null && series != null ? t('field.doseOf', { dose, series }) : textOf(p, lang);
    })]);
  }
  if (Array.isArray(entry.activity)) {
    used.add('activity');
    pairs.push([t('field.activity'), entry.activity.map((a) => textOf(a?.detail ?? a, lang))]);
  }
  if (typeof entry.description === 'string' && entryTitle(entry, lang) !== entry.description) {
    pairs.push([t('field.description'), entry.description]);
  }
  used.add('description');
  if (entry.provision) {
    used.add('provision');
    const text = textOf(entry.provision, lang);
    if (text && text !== entryTitle(entry, lang)) pairs.push([t('field.provision'), text]);
  }
  if (Array.isArray(entry.hasMember)) {
    used.add('hasMember');
    const members = entry.hasMember.map((m) => textOf(m, lang)).filter(Boolean);
    if (members.length) pairs.push([t('field.members'), members]);
  }
  if (Array.isArray(entry.note)) {
    used.add('note');
    pairs.push([t('field.note'), entry.note.map((n) => (typeof n?.text === 'string' ? n.text : textOf(n, lang)))]);
  }
  const other = Object.entries(entry)
    .filter(([k]) => !SKIP.has(k) && !used.has(k))
    .map(([k, v]) => [k, textOf(v, lang)])
    .filter(([, v]) => v);
  if (other.length) pairs.push([t('field.other'), other.map(([k, v]) => `${k}: ${v}`)]);
  if (codes) article.append(codes);
  if (pairs.length) article.append(definitions(pairs));
  if (technical) {
    const json = el('details', 'hp-json', el('summary', null, t('ui.content.json')),
      el('pre', null, JSON.stringify(entry, null, 2)));
    article.append(json);
  }
  return article;
}

/** A patient's name, from FHIR HumanName[] (official first). */
function nameText(name) {
  const names = [].concat(name ?? []).filter((n) => n && typeof n === 'object');
  const chosen = names.find((n) => n.use === 'official') ?? names[0];
  if (!chosen) return textOf(name, 'en');
  if (typeof chosen.text === 'string' && chosen.text) return chosen.text;
  const given = [].concat(chosen.given ?? []).filter((g) => typeof g === 'string');
  return [...given, typeof chosen.family === 'string' ? chosen.family : ''].filter(Boolean).join(' ');
}

/**
 * The patient header: name, date of birth, gender, identifiers; a field the holder did not
 * share is shown as "not shared". `absent: 'omit'` leaves out what is absent instead (an EU
 * DCC or a SMART Health Card has no selective sharing: a missing field was never there).
 * @param {import('healthproof').Report['content']['patient']} patient
 * @param {ReturnType<typeof import('./i18n.js').translator>} t
 * @param {{headingLevel?: number, absent?: 'not-shared' | 'omit'}} [options]
 * @returns {HTMLElement}
 */
export function renderPatient(patient, t, { headingLevel = 3, absent = 'not-shared' } = {}) {
  const lang = t.lang;
  const p = patient ?? {};
  const box = el('section', 'hp-patient');
  box.append(heading(headingLevel, 'hp-patient__heading', t('patient.heading')));
  const notShared = () => (absent === 'omit' ? null : el('span', 'hp-muted', t('patient.notShared')));
  const name = p.name != null ? nameText(p.name) : null;
  if (name != null || absent !== 'omit') box.append(el('p', 'hp-patient__name', name ?? notShared()));
  let gender = null;
  if (typeof p.gender === 'string') {
    gender = t.has(`gender.${p.gender}`) ? t(`gender.${p.gender}`) : p.gender;
  } else if (p.gender != null) gender = textOf(p.gender, lang);
  const identifiers = [].concat(p.identifier ?? []).map((id) => {
    if (!id || typeof id !== 'object') return textOf(id, lang);
    const label = id.type ? conceptText(id.type) : codeSystemName(id.system);
    return [label, typeof id.value === 'string' ? id.value : ''].filter(Boolean).join(': ');
  });
  box.append(definitions([
    [t('patient.birthDate'), p.birthDate != null ? formatFhirDate(p.birthDate, lang) : notShared()],
    [t('patient.gender'), gender ?? notShared()],
    [t('patient.identifier'), p.identifier != null ? identifiers : notShared()],
  ], 'hp-dl hp-dl--inline'));
  return box;
}

/**
 * One IPS section: the issuer's title (and ours, when they differ), the narrative as text
 * (line breaks kept), then each entry.
 * `entries: 'json'` is for entries that are not FHIR (an EU DCC's own fields, which the text
 * already spells out): they are shown only with technical details, as the JSON signed.
 * @param {import('healthproof').Section} section
 * @param {ReturnType<typeof import('./i18n.js').translator>} t
 * @param {{technical?: boolean, headingLevel?: number, entries?: 'fhir' | 'json'}} [options]
 * @returns {HTMLElement}
 */
export function renderSection(section, t, { technical = false, headingLevel = 3, entries: entriesAs = 'fhir' } = {}) {
  const box = el('section', 'hp-section');
  box.dataset.section = String(section.key ?? '');
  const ours = t.has(`section.${section.key}`) ? t(`section.${section.key}`) : '';
  const title = typeof section.title === 'string' && section.title ? section.title : ours || String(section.key);
  const h = heading(headingLevel, 'hp-section__title', title);
  if (ours && ours !== title) h.append(' ', el('span', 'hp-section__ours', `(${ours})`));
  box.append(h);
  if (technical && section.code) box.append(el('p', 'hp-muted', `LOINC ${section.code}`));
  if (typeof section.text === 'string' && section.text.trim()) {
    box.append(el('p', 'hp-section__text', section.text));
  } else {
    box.append(el('p', 'hp-muted', t('ui.content.notext')));
  }
  const entries = Array.isArray(section.entries) ? section.entries : [];
  if (entriesAs === 'json') {
    if (technical && entries.length) {
      box.append(el('details', 'hp-json', el('summary', null, t('ui.content.jsonSigned')),
        el('pre', null, JSON.stringify(entries, null, 2))));
    }
  } else if (entries.length) {
    const list = el('div', 'hp-entries');
    list.setAttribute('role', 'group');
    list.setAttribute('aria-label', t('ui.content.entries'));
    for (const entry of entries) list.append(renderEntry(entry, t, { technical, headingLevel: headingLevel + 1 }));
    box.append(list);
  }
  return box;
}

/**
 * The disclosed content: patient header, then the sections in IPS order (unknown keys
 * last, as sent). For a report without content (not verified far enough), a sentence saying
 * so: content that did not verify is never shown.
 * @param {import('healthproof').Report} report
 * @param {ReturnType<typeof import('./i18n.js').translator>} t
 * @param {{technical?: boolean, headingLevel?: number}} [options]
 * @returns {HTMLElement}
 */
export function renderContent(report, t, { technical = false, headingLevel = 2 } = {}) {
  const box = el('section', 'hp-content');
  box.append(heading(headingLevel, 'hp-content__heading', t('ui.content.heading')));
  if (!report.content || report.verdict === 'not-verified') {
    box.append(el('p', 'hp-muted', t('ui.content.none')));
    return box;
  }
  const kind = kindOf(report);
  box.append(renderPatient(report.content.patient, t, {
    headingLevel: headingLevel + 1, absent: kind === 'healthproof' ? 'not-shared' : 'omit',
  }));
  const sections = [...(report.content.sections ?? [])].sort((a, b) => rank(a.key) - rank(b.key));
  if (!sections.length) box.append(el('p', 'hp-muted', t('ui.content.empty')));
  else box.append(el('p', 'hp-muted hp-content__note', t(byKind(t, 'ui.content.issuerLanguage', report))));
  const entries = kind === 'hcert' ? 'json' : 'fhir';
  for (const section of sections) box.append(renderSection(section, t, { technical, headingLevel: headingLevel + 1, entries }));
  return box;
}

function rank(key) {
  const i = SECTION_ORDER.indexOf(key);
  return i === -1 ? SECTION_ORDER.length : i;
}

/**
 * The whole result: verdict banner, the checks under a heading, and the content.
 * @param {import('healthproof').Report} report
 * @param {ReturnType<typeof import('./i18n.js').translator>} t
 * @param {{technical?: boolean, now?: number, headingLevel?: number}} [options]
 * @returns {HTMLElement}
 */
export function renderReport(report, t, { technical = false, now, headingLevel = 2 } = {}) {
  const root = el('div', 'hp-report');
  root.dataset.verdict = report?.verdict ?? 'not-verified';
  root.append(renderVerdict(report, t));
  const checks = el('section', 'hp-checks-box',
    heading(headingLevel, 'hp-checks__heading', t('ui.checks.heading')),
    renderChecks(report, t, { technical, now }));
  root.append(checks);
  root.append(renderContent(report, t, { technical, headingLevel }));
  return root;
}
