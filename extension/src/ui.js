// What the panel and the options page share: the translator (the shared one, extended with the
// extension's own strings) and DOM building with text nodes only.
import { translator, pickLanguage, LANGUAGES } from '../../www/src/shared/i18n.js';
import { EXTENSION_MESSAGES } from './locales.js';
import { uiLanguage } from './browser.js';

export { LANGUAGES };

/** The language to use: the setting, or the browser's when the setting is `auto`. */
export function resolveLanguage(setting) {
  if (setting && setting !== 'auto') return pickLanguage([setting]);
  return pickLanguage([uiLanguage(), ...(globalThis.navigator?.languages ?? [])]);
}

/**
 * The shared translator for `lang`, with the extension's own keys looked up first. `t.code`
 * explains extension codes (`link-cross-origin`, …) as well as the verifier's.
 */
export function extensionTranslator(lang) {
  const shared = translator(lang);
  const own = EXTENSION_MESSAGES[shared.lang] ?? EXTENSION_MESSAGES.en;
  const fill = (template, params) => (params
    ? template.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(params, name) ? String(params[name]) : whole))
    : template);
  const t = (key, params) => {
    if (Object.hasOwn(own, key)) return fill(own[key], params);
    if (Object.hasOwn(EXTENSION_MESSAGES.en, key)) return fill(EXTENSION_MESSAGES.en[key], params);
    return shared(key, params);
  };
  t.lang = shared.lang;
  t.has = (key) => Object.hasOwn(EXTENSION_MESSAGES.en, key) || shared.has(key);
  t.code = (c) => (Object.hasOwn(EXTENSION_MESSAGES.en, `code.${c}`) ? t(`code.${c}`) : shared.code(c));
  /** `key.one` or `key.other` as Intl.PluralRules picks for `count`, with `{count}` filled. */
  t.plural = (key, count, params = {}) => {
    const form = `${key}.${new Intl.PluralRules(t.lang).select(count)}`;
    return t(t.has(form) ? form : `${key}.other`, { ...params, count });
  };
  return t;
}

/** An element with a class and children; strings become text nodes (never HTML). */
export function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return node;
}
