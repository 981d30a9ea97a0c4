// Every message the background accepts: its shape, and who may send it. Only the extension's
// own pages (panel, options) talk to the background; the courier in the page returns its
// findings through executeScript and sends nothing, so any message from a tab's web content,
// another extension or a page is refused before it is read.

const TYPES = {
  scan: { tabId: 'tab' },
  results: { tabId: 'tab' },
  'trust-info': {},
  'trust-import': { list: 'text', signers: 'keys' },
  'trust-reset': {},
};
const MAX_LIST = 8 * 1024 * 1024; // the core's trust-list cap (DCC signer certificates)
const MAX_KEY = 512;

/** A refused message: a stable code and a sentence. */
export class MessageError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * True when `sender` is one of this extension's own pages: the same extension id and a URL
 * under the extension's origin (a content script's sender URL is the web page's).
 */
export function fromOwnPage(sender, extensionId, extensionOrigin) {
  return Boolean(sender) && sender.id === extensionId && typeof sender.url === 'string' &&
    sender.url.startsWith(extensionOrigin) &&
    (sender.origin === undefined || sender.origin === extensionOrigin.replace(/\/$/, ''));
}

/** Checks a message's sender and shape; returns a clean copy or throws MessageError. */
export function checkMessage(message, sender, extensionId, extensionOrigin) {
  if (!fromOwnPage(sender, extensionId, extensionOrigin)) {
    throw new MessageError('sender-refused', 'Only the extension’s own pages may ask the verifier.');
  }
  if (!message || typeof message !== 'object' || Array.isArray(message)) {
    throw new MessageError('message-malformed', 'A message must be an object.');
  }
  const spec = Object.hasOwn(TYPES, message.type) ? TYPES[message.type] : null;
  if (!spec) throw new MessageError('message-malformed', 'Unknown message type.');
  const extra = Object.keys(message).filter((k) => k !== 'type' && !Object.hasOwn(spec, k));
  if (extra.length) throw new MessageError('message-malformed', `Unexpected field ${extra[0]}.`);
  const out = { type: message.type };
  for (const [field, kind] of Object.entries(spec)) {
    const v = message[field];
    const ok = kind === 'tab' ? Number.isInteger(v) && v >= 0 && v <= 2 ** 31
      : kind === 'text' ? typeof v === 'string' && v.length > 0 && v.length <= MAX_LIST
        : Array.isArray(v) && v.length >= 1 && v.length <= 16 &&
          v.every((k) => typeof k === 'string' && k.length > 0 && k.length <= MAX_KEY && !/\s/.test(k));
    if (!ok) throw new MessageError('message-malformed', `Field ${field} is missing or malformed.`);
    out[field] = kind === 'keys' ? [...v] : v;
  }
  return out;
}
