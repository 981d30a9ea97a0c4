/**
 * @file A presentation carried in a URL fragment, as docs/FORMAT.md §4.2 defines it:
 * `#hp1.` followed by the canonical, unpadded base64url (RFC 4648 §5) of the file's UTF-8
 * bytes. The fragment is never sent to a server.
 *
 * No compression: the format names exactly this encoding, so every reader (this page, the
 * extension, other verifiers) decodes it with base64 alone, and a decoder has no inflation
 * bomb to bound. Raw DEFLATE would shorten the demo links by 34–59 %; that would be a format
 * change (a new prefix), proposed in www/README.md, not something a page invents alone.
 *
 *   encodeFragment(text) -> '#hp1.aGVhbHRo…'
 *   decodeFragment(hashOrUrl) -> text | null        null: no hp1 fragment at all
 *     throws FragmentError (.code 'fragment-malformed') for an hp1 fragment that is not
 *     canonical base64url of UTF-8, or 'input-too-large' past MAX_FRAGMENT_CHARS.
 *   linkFor(baseUrl, text) -> baseUrl without its fragment + encodeFragment(text)
 */

/** The prefix, version 1. */
export const PREFIX = '#hp1.';

/** Longest fragment accepted: base64 of a presentation at the core's 1 MiB input cap. */
export const MAX_FRAGMENT_CHARS = PREFIX.length + Math.ceil((1 << 20) * 4 / 3);

/** A malformed fragment, with a stable `code`. */
export class FragmentError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'FragmentError';
    this.code = code;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

/**
 * The fragment for a presentation's text.
 * @param {string} text
 * @returns {string}
 */
export function encodeFragment(text) {
  const bytes = new TextEncoder().encode(text);
  let out = PREFIX;
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/**
 * The presentation text in a `#hp1.` fragment, or null when `hashOrUrl` (a `location.hash`,
 * a bare fragment or a whole URL) carries none.
 * @param {string} hashOrUrl
 * @returns {string | null}
 * @throws {FragmentError}
 */
export function decodeFragment(hashOrUrl) {
  const s = String(hashOrUrl ?? '').trim();
  // Only a fragment counts: the first '#' must be the one that starts `#hp1.`.
  const at = s.indexOf('#');
  if (at === -1 || !s.startsWith(PREFIX, at)) return null;
  const data = s.slice(at + PREFIX.length);
  if (s.length > MAX_FRAGMENT_CHARS) {
    throw new FragmentError('input-too-large', 'the link is longer than any record can be');
  }
  if (data.length === 0) throw new FragmentError('fragment-malformed', 'the link carries no data after #hp1.');
  if (data.length % 4 === 1) throw new FragmentError('fragment-malformed', 'the data has an impossible length');
  const bytes = new Uint8Array(Math.floor((data.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (const c of data) {
    const v = VALUES.get(c);
    if (v === undefined) {
      throw new FragmentError('fragment-malformed', `the character ${JSON.stringify(c)} is not base64url`);
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[j++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  // Canonical: the unused low bits of the last character must be zero.
  if (acc !== 0) throw new FragmentError('fragment-malformed', 'the base64url is not canonical');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FragmentError('fragment-malformed', 'the data is not UTF-8 text');
  }
}

/**
 * A link to `baseUrl` (its own fragment dropped) carrying the presentation.
 * @param {string} baseUrl
 * @param {string} text
 * @returns {string}
 */
export function linkFor(baseUrl, text) {
  return String(baseUrl).split('#')[0] + encodeFragment(text);
}
