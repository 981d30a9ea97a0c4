// The one place the extension touches the browser's extension APIs. Chromium exposes them as
// `chrome.*`, Firefox as `browser.*` (both promise-based in Manifest V3); every other module
// calls these functions, so a difference between the two is handled here and only here.

const api = globalThis.browser ?? globalThis.chrome;

/** The extension's own id. */
export const extensionId = () => api.runtime.id;

/** The absolute URL of a file in the extension package. */
export const extensionUrl = (path) => api.runtime.getURL(path);

/** The extension's origin, with a trailing slash (`chrome-extension://id/`). */
export const extensionOrigin = () => api.runtime.getURL('');

/**
 * Runs `func(...args)` once in the tab's top frame, in the extension's isolated world, and
 * returns its (JSON-serialisable) result. Needs the activeTab grant of a user gesture.
 */
export async function runInTab(tabId, func, args) {
  const results = await api.scripting.executeScript({ target: { tabId }, func, args });
  return results?.[0]?.result;
}

/** The active tab of the current window, or null. */
export async function activeTab() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab ?? null;
}

export async function setBadge(tabId, text, color) {
  await api.action.setBadgeText({ tabId, text });
  if (color) await api.action.setBadgeBackgroundColor({ tabId, color });
}

/** Opens the toolbar popup where the browser allows it (after a gesture); false otherwise. */
export async function openPanel() {
  try {
    await api.action.openPopup();
    return true;
  } catch {
    return false;
  }
}

export const local = {
  get: (keys) => api.storage.local.get(keys),
  set: (items) => api.storage.local.set(items),
  remove: (keys) => api.storage.local.remove(keys),
};

/** Per-session storage (cleared when the browser closes), for results by tab. */
export const session = {
  get: (keys) => api.storage.session.get(keys),
  set: (items) => api.storage.session.set(items),
  remove: (keys) => api.storage.session.remove(keys),
};

/** Sends a message to the extension's background; resolves to its answer. */
export const sendToBackground = (message) => api.runtime.sendMessage(message);

/**
 * Listens for messages; `handler(message, sender)` returns a promise of the answer. Written
 * for both browsers: Chromium wants `sendResponse` and `true`, Firefox accepts a promise.
 */
export function onMessage(handler) {
  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    handler(message, sender).then(sendResponse, (e) =>
      sendResponse({ ok: false, code: 'internal-error', message: String(e?.message ?? e) }));
    return true;
  });
}

export function onInstalled(listener) {
  api.runtime.onInstalled.addListener(listener);
}

const menus = () => api.contextMenus ?? api.menus;

export function createMenu(properties) {
  menus().create(properties, () => void api.runtime.lastError);
}

export function onMenuClicked(listener) {
  menus().onClicked.addListener(listener);
}

export function onTabUpdated(listener) {
  api.tabs.onUpdated.addListener(listener);
}

export function onTabRemoved(listener) {
  api.tabs.onRemoved.addListener(listener);
}

export function openOptions() {
  return api.runtime.openOptionsPage();
}

/** The browser UI language (`en-US`), for the automatic choice of language. */
export const uiLanguage = () => api.i18n?.getUILanguage?.() ?? 'en';
