// What the courier brought back, checked and decoded in the extension: every field is
// page-controlled, so the shape is checked before anything is read, sizes are capped, and each
// item becomes either text for the verifier (a HealthProof presentation, an EU DCC or a SMART
// Health Card: the verifier tells them apart) or a specific error code.
import jsQR from 'jsqr';
import { decodeFragment as decodeHp1, FragmentError } from '../../www/src/shared/fragment.js';

export const MAX_ITEMS = 50;
/** The core refuses larger presentations (`input-too-large`); this is a cheap early cap. */
export const MAX_PRESENTATION = 4 * 1024 * 1024;
const MAX_LABEL = 80;
const MAX_SIDE = 800;
const KINDS = ['selection', 'script', 'fragment', 'data-url', 'link', 'image'];
const ITEM_ERRORS = ['link-cross-origin', 'link-fetch-failed', 'image-cross-origin'];
const MAGIC = 'healthproof/v1\n';
const DATA_TYPES = ['application/healthproof', 'application/vnd.healthproof.presentation', 'application/smart-health-card'];
/** How an EU DCC (`HC1:`) or a SMART Health Card QR text (`shc:/`) starts (docs/FORMAT.md §10). */
const QR_TEXT = /^(HC1:|shc:\/)/;
/** A `.smart-health-card` file: a JSON object whose first member is `verifiableCredential`. */
const SHC_FILE = /^\{\s*"verifiableCredential"\s*:/;
/** An SHC compact JWS: three base64url parts, the header starting `{"` (`ey`). */
const SHC_JWS = /^ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A problem with one found item: a code the UI translates, and an English sentence. */
export class CandidateError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const isString = (v, max) => typeof v === 'string' && v.length <= max;
const isInt = (v, min, max) => Number.isInteger(v) && v >= min && v <= max;

/**
 * Checks the shape of the courier's result. Returns `{ url, truncated, items }` with only the
 * known fields of each item; throws CandidateError `courier-malformed` for anything else.
 */
export function checkCollected(result) {
  const bad = (why) => new CandidateError('courier-malformed', `The page scan returned ${why}.`);
  if (!result || typeof result !== 'object' || Array.isArray(result)) throw bad('no result object');
  const { url, truncated, items } = result;
  if (!isString(url, 8192)) throw bad('no page address');
  if (typeof truncated !== 'boolean') throw bad('no truncation flag');
  if (!Array.isArray(items) || items.length > MAX_ITEMS) throw bad('no item list, or too many items');
  return {
    url,
    truncated,
    items: items.map((item, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) throw bad(`a non-object item ${i}`);
      if (!KINDS.includes(item.kind)) throw bad(`an item of unknown kind`);
      if (!isString(item.label, MAX_LABEL)) throw bad(`an item without a label`);
      const out = { kind: item.kind, label: item.label };
      if (item.kind === 'link') {
        if (!isString(item.url, 8192)) throw bad('a link without an address');
        out.url = item.url;
      }
      if (item.error !== undefined) {
        if (!ITEM_ERRORS.includes(item.error)) throw bad('an unknown item error');
        out.error = item.error;
        if (item.status !== undefined) {
          if (!isInt(item.status, 0, 999)) throw bad('a bad HTTP status');
          out.status = item.status;
        }
      } else if (item.kind === 'image') {
        if (!isInt(item.width, 1, MAX_SIDE) || !isInt(item.height, 1, MAX_SIDE)) throw bad('a bad image size');
        if (!isString(item.grey, 4 * Math.ceil((item.width * item.height) / 3)) || !/^[A-Za-z0-9+/]*={0,2}$/.test(item.grey)) {
          throw bad('bad image data');
        }
        Object.assign(out, { width: item.width, height: item.height, grey: item.grey });
      } else if (item.size !== undefined) {
        if (!isInt(item.size, 0, Number.MAX_SAFE_INTEGER)) throw bad('a bad size');
        out.size = item.size;
      } else {
        if (!isString(item.data, MAX_PRESENTATION)) throw bad('an item without text');
        out.data = item.data;
      }
      return out;
    }),
  };
}

/** Bytes → text; a record is UTF-8 (docs/FORMAT.md §4). */
function utf8(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CandidateError('not-text', 'The record is not UTF-8 text.');
  }
}

/** `#hp1.` fragment (or a URL or text holding one) → presentation text, by the shared decoder. */
export function decodeFragment(fragment) {
  let text;
  try {
    text = decodeHp1(fragment.startsWith('hp1.') ? `#${fragment}` : fragment);
  } catch (e) {
    if (e instanceof FragmentError) throw new CandidateError(e.code, e.message);
    throw e;
  }
  if (text === null) throw new CandidateError('fragment-malformed', 'The link holds no #hp1. record.');
  return text;
}

/**
 * A `data:` URL → presentation text, or null when it is plainly something else (an image):
 * those are not HealthProof candidates at all.
 */
export function decodeDataUrl(href) {
  const m = /^data:([^,]*),(.*)$/s.exec(href);
  if (!m) throw new CandidateError('data-url-malformed', 'The data: link has no comma.');
  const params = m[1].split(';').map((p) => p.trim().toLowerCase());
  const base64 = params.at(-1) === 'base64';
  const type = params[0] || 'text/plain';
  let bytes;
  if (base64) {
    let binary;
    try {
      binary = atob(m[2].replace(/%([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
    } catch {
      throw new CandidateError('data-url-malformed', 'The data: link is not valid base64.');
    }
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } else {
    try {
      bytes = new TextEncoder().encode(decodeURIComponent(m[2]));
    } catch {
      throw new CandidateError('data-url-malformed', 'The data: link has a broken %-escape.');
    }
  }
  const ours = DATA_TYPES.includes(type);
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  if (!ours && !head.startsWith(MAGIC) && !QR_TEXT.test(head) && !SHC_FILE.test(head)) return null;
  return utf8(bytes);
}

/**
 * Text holding a document the verifier reads, as it reads it, or null: a HealthProof
 * presentation (LF line ends, one final newline: a page or a selection may have changed
 * either, and the signatures cover neither), an EU DCC or SHC QR text (chunks separated by
 * white space), a `.smart-health-card` file or an SHC compact JWS (trimmed).
 */
export function documentText(s) {
  const trimmed = s.trim();
  if (trimmed.startsWith('healthproof/v1')) return trimmed.replace(/\r\n/g, '\n') + '\n';
  if (QR_TEXT.test(trimmed) || SHC_FILE.test(trimmed) || SHC_JWS.test(trimmed)) return trimmed;
  return null;
}

/**
 * Text that may be a document (see documentText), a `#hp1.` link or a `data:` URL (a
 * selection, a QR payload) → the text for the verifier, or null when it is none of these.
 */
export function decodeText(s) {
  const trimmed = s.trim();
  const document = documentText(trimmed);
  if (document !== null) return document;
  const hp1 = /#(hp1\.[A-Za-z0-9_-]+)/.exec(trimmed);
  if (hp1) return decodeFragment(hp1[1]);
  if (trimmed.startsWith('data:')) return decodeDataUrl(trimmed);
  return null;
}

/** Finds a QR code in grey pixels; its raw bytes, or null. */
export function decodeQr(width, height, greyBase64) {
  const binary = atob(greyBase64);
  if (binary.length !== width * height) return null;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < binary.length; i++, j += 4) {
    const v = binary.charCodeAt(i);
    rgba[j] = rgba[j + 1] = rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  const code = jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' });
  return code ? Uint8Array.from(code.binaryData) : null;
}

/**
 * One checked item → `{ source, text }` (presentation text for the verifier), `{ source,
 * error }`, or null when the item turned out not to be a HealthProof candidate (an ordinary
 * image, a data: URL of another type).
 * @param {boolean} focused whether the gesture pointed at this item (then "nothing here" is
 *   an answer worth showing)
 */
export function decodeItem(item, focused) {
  const source = { kind: item.kind, label: item.label, ...(item.url ? { url: item.url } : {}) };
  const fail = (code, message, extra = {}) => ({ source, error: { code, message, ...extra } });
  if (item.error) {
    if (item.error === 'image-cross-origin' && !focused) return null;
    const sentences = {
      'link-cross-origin': 'The link points to another site; only the page’s own site is read.',
      'link-fetch-failed': `The page’s site did not return the file${item.status ? ` (HTTP ${item.status})` : ''}.`,
      'image-cross-origin': 'The image comes from another site, so its pixels cannot be read.',
    };
    return fail(item.error, sentences[item.error], item.status ? { status: item.status } : {});
  }
  if (item.size !== undefined) {
    return fail('input-too-large', `The record is ${item.size} characters, more than a presentation may hold.`);
  }
  try {
    let text;
    switch (item.kind) {
      case 'script':
      case 'link': {
        // A linked .smart-health-card file goes to the verifier whatever it holds, so a
        // damaged one gets the verifier's precise code.
        const shcFile = item.kind === 'link' && /\.smart-health-card$/i.test(item.url ?? '');
        text = shcFile ? item.data.trim() : documentText(item.data);
        if (text === null) {
          return fail('presentation-malformed', 'It holds neither a HealthProof record, nor an EU DCC or SMART Health Card.');
        }
        break;
      }
      case 'fragment':
        text = decodeFragment(item.data);
        break;
      case 'data-url':
        text = decodeDataUrl(item.data);
        if (text === null) return null;
        break;
      case 'selection':
        text = decodeText(item.data);
        if (text === null) {
          return fail('presentation-malformed', 'The selected text is not a HealthProof record or #hp1. link, an EU DCC or a SMART Health Card.');
        }
        break;
      case 'image': {
        const bytes = decodeQr(item.width, item.height, item.grey);
        if (!bytes) return focused ? fail('qr-not-found', 'No QR code could be read in the image.') : null;
        text = decodeText(utf8(bytes));
        if (text === null) {
          return focused ? fail('qr-not-record', 'The QR code holds something other than a HealthProof record, an EU DCC or a SMART Health Card.') : null;
        }
        break;
      }
      default:
        return null;
    }
    if (text.length > MAX_PRESENTATION) {
      return fail('input-too-large', `The record is ${text.length} characters, more than a presentation may hold.`);
    }
    return { source, text };
  } catch (e) {
    if (e instanceof CandidateError) return fail(e.code, e.message);
    throw e;
  }
}

/**
 * SMART Health Card chunks found as separate items (a card in three QR images, docs/FORMAT.md
 * §10.3 `shc:/C/N/…`) → one item per card, its chunks joined by line breaks as the verifier
 * reads them, in page order at the first chunk's place, labelled with every chunk's label. A
 * chunk index seen twice starts another card; a card with chunks missing is still passed on,
 * for the verifier's code. Everything else is returned as it was.
 */
export function joinChunks(decoded) {
  const out = [];
  const open = new Map(); // N → the card being gathered
  for (const item of decoded) {
    const m = typeof item.text === 'string' ? /^shc:\/(\d{1,2})\/(\d{1,2})\//.exec(item.text) : null;
    if (!m || Number(m[2]) < 2) {
      out.push(item);
      continue;
    }
    const [index, total] = [Number(m[1]), Number(m[2])];
    let card = open.get(total);
    if (!card || card.chunks.has(index)) {
      card = { source: { ...item.source }, labels: [], chunks: new Map() };
      open.set(total, card);
      out.push(card);
    }
    card.chunks.set(index, item.text);
    if (item.source.label) card.labels.push(item.source.label);
  }
  return out.map((item) => {
    if (!item.chunks) return item;
    const text = [...item.chunks.keys()].sort((a, b) => a - b).map((k) => item.chunks.get(k)).join('\n');
    const label = item.labels.join(' + ').slice(0, MAX_LABEL);
    return { source: { ...item.source, label }, text };
  });
}
