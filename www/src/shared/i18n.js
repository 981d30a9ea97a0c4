// Interface strings for the traveler's page and the browser extension: one table per
// language (./locales/*.js), a translator with English as the fallback, and the language
// choice from the browser's preferences.
//
//   import { translator, pickLanguage, LANGUAGES } from './shared/i18n.js';
//   const t = translator(pickLanguage(navigator.languages));
//   t('verdict.verified');                    // 'Verified'
//   t('check.inclusion-proof.passed', { index: 5, size: 9 });
//   t.code('proof-mismatch');                 // the sentence explaining a failure code
//
// Keys: `ui.*` interface text; `verdict.*`; `outcome.*`; `check.<id>` (title),
// `check.<id>.passed` (sentence); `code.<code>` for every failure and warning code the
// core emits (a test greps the Rust sources so none goes untranslated); `section.<key>`;
// `patient.<field>`; `field.<fhir-field>`. Placeholders are `{name}`; values are inserted as
// text, and every string is meant for textContent, never for HTML.

import en from './locales/en.js';
import de from './locales/de.js';
import fr from './locales/fr.js';
import es from './locales/es.js';
import it from './locales/it.js';
import et from './locales/et.js';

/** Every supported language: its code and its name in itself (for the switcher). */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
  { code: 'it', name: 'Italiano' },
  { code: 'et', name: 'Eesti' },
];

/** The string tables, by language code (read-only use). */
export const MESSAGES = { en, de, fr, es, it, et };

/**
 * The first supported language in the browser's preference list (`navigator.languages`),
 * by primary subtag (`de-AT` → `de`); English when none is supported.
 * @param {readonly string[] | undefined} languages
 * @returns {string}
 */
export function pickLanguage(languages) {
  for (const tag of languages ?? []) {
    const primary = String(tag).toLowerCase().split(/[-_]/)[0];
    if (Object.hasOwn(MESSAGES, primary)) return primary;
  }
  return 'en';
}

/**
 * A translate function for `lang` (unsupported languages get English).
 *
 * `t(key, params)` returns the string for `key` with `{name}` placeholders replaced by
 * `String(params.name)`; a key missing in `lang` falls back to English, and a key missing
 * everywhere returns the key itself (visible, so a gap is noticed, never silent).
 * `t.lang` is the language code; `t.has(key)` tells whether the key exists in English;
 * `t.code(code)` explains a failure or warning code, with a generic sentence naming the
 * code for one this version does not know.
 * @param {string} lang
 * @returns {((key: string, params?: Record<string, unknown>) => string) & {lang: string, has: (key: string) => boolean, code: (code: string) => string}}
 */
export function translator(lang) {
  const code = Object.hasOwn(MESSAGES, lang) ? lang : 'en';
  const table = MESSAGES[code];
  const t = (key, params) => {
    const template = Object.hasOwn(table, key) ? table[key] : Object.hasOwn(en, key) ? en[key] : key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole);
  };
  t.lang = code;
  t.has = (key) => Object.hasOwn(en, key);
  t.code = (c) => (t.has(`code.${c}`) ? t(`code.${c}`) : t('code.unknown', { code: c }));
  return t;
}
