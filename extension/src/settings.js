// The extension's settings and audit trail, in extension storage only (storage.local): never
// in the page, never sent anywhere.
import { local } from './browser.js';

export const LANGUAGE_CODES = ['en', 'de', 'fr', 'es', 'it', 'et'];
export const DEFAULTS = Object.freeze({
  language: 'auto',
  maxTrustListAgeDays: 90,
  technical: false,
});
/** The audit trail keeps this many entries, dropping the oldest. */
export const MAX_AUDIT = 2000;

/** Current settings, each checked (a bad stored value falls back to its default). */
export async function settings() {
  const s = await local.get(['language', 'maxTrustListAgeDays', 'technical', 'verifyAt']);
  return {
    language: s.language === 'auto' || LANGUAGE_CODES.includes(s.language) ? s.language : DEFAULTS.language,
    maxTrustListAgeDays: Number.isInteger(s.maxTrustListAgeDays) && s.maxTrustListAgeDays >= 1 &&
      s.maxTrustListAgeDays <= 3650 ? s.maxTrustListAgeDays : DEFAULTS.maxTrustListAgeDays,
    technical: typeof s.technical === 'boolean' ? s.technical : DEFAULTS.technical,
    // A fixed verification time (POSIX seconds) instead of the clock: for tests and "as of"
    // checks; whenever it is set, the panel says so above every result.
    verifyAt: Number.isInteger(s.verifyAt) && s.verifyAt > 0 ? s.verifyAt : null,
  };
}

/** The trust list in force: an imported one, or `fallback` (the bundled default). */
export async function trust(fallback) {
  const s = await local.get(['trust', 'minTrustListSequence']);
  const t = s.trust;
  const imported = t && typeof t.list === 'string' && Array.isArray(t.signers);
  return {
    list: imported ? t.list : fallback.list,
    signers: imported ? t.signers : fallback.signers,
    imported: Boolean(imported),
    importedAt: imported ? t.importedAt ?? null : null,
    minSequence: Number.isInteger(s.minTrustListSequence) ? s.minTrustListSequence : 0,
  };
}

/** Appends entries to the audit trail. */
export async function appendAudit(entries) {
  if (!entries.length) return;
  const { audit } = await local.get('audit');
  const all = (Array.isArray(audit) ? audit : []).concat(entries);
  await local.set({ audit: all.slice(-MAX_AUDIT) });
}

export async function readAudit() {
  const { audit } = await local.get('audit');
  return Array.isArray(audit) ? audit : [];
}

export const clearAudit = () => local.remove('audit');
