// The extension's side of the one-way trust: what the courier returns is checked for shape
// and decoded here, and messages are accepted only from the extension's own pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkCollected, decodeItem, decodeDataUrl, decodeText, joinChunks, CandidateError } from '../src/candidates.js';
import { checkMessage, fromOwnPage, MessageError } from '../src/messages.js';
import { encodeFragment } from '../../www/src/shared/fragment.js';

const PRESENTATION = readFileSync(new URL('../../examples/presentations/de-anna-schmidt-partial.hproof', import.meta.url), 'utf8');
const ok = (items) => ({ url: 'http://127.0.0.1/portal', truncated: false, items });

test('a well-formed scan result passes with only the known fields', () => {
  const r = checkCollected(ok([{ kind: 'script', label: 'x', data: PRESENTATION, extra: 'dropped' }]));
  assert.deepEqual(Object.keys(r.items[0]).sort(), ['data', 'kind', 'label']);
});

test('malformed scan results are refused as a whole, with courier-malformed', () => {
  const cases = [
    null, 'text', [], { url: 1, truncated: false, items: [] },
    { url: 'u', truncated: 'no', items: [] },
    ok('not a list'),
    ok(Array.from({ length: 51 }, () => ({ kind: 'script', label: '', data: '' }))),
    ok([{ kind: 'eval', label: '', data: '' }]),
    ok([{ kind: 'script', label: 'x'.repeat(81), data: '' }]),
    ok([{ kind: 'script', label: '' }]),
    ok([{ kind: 'link', label: '', data: 'x' }]),
    ok([{ kind: 'link', label: '', url: 'u', error: 'made-up' }]),
    ok([{ kind: 'image', label: '', width: 10000, height: 1, grey: '' }]),
    ok([{ kind: 'image', label: '', width: 2, height: 2, grey: 'A'.repeat(100) }]),
    ok([{ kind: 'script', label: '', size: -1 }]),
  ];
  for (const c of cases) {
    assert.throws(() => checkCollected(c), (e) => e instanceof CandidateError && e.code === 'courier-malformed', JSON.stringify(c)?.slice(0, 80));
  }
});

test('each shape decodes to the same presentation text', () => {
  const bytes = Buffer.from(PRESENTATION);
  const shapes = [
    { kind: 'script', label: '', data: `\n  ${PRESENTATION}  \n` },
    { kind: 'link', label: '', url: 'http://127.0.0.1/a.hproof', data: PRESENTATION },
    { kind: 'fragment', label: '', data: encodeFragment(PRESENTATION).slice(1) },
    { kind: 'data-url', label: '', data: `data:application/healthproof;base64,${bytes.toString('base64')}` },
    { kind: 'data-url', label: '', data: `data:text/plain,${encodeURIComponent(PRESENTATION)}` },
    { kind: 'selection', label: '', data: PRESENTATION.replace(/\n/g, '\r\n') },
    { kind: 'selection', label: '', data: `see https://verify.example/${encodeFragment(PRESENTATION)} please` },
  ];
  for (const item of shapes) {
    const out = decodeItem(checkCollected(ok([item])).items[0], false);
    assert.equal(out.text, PRESENTATION, item.kind);
    assert.equal(out.source.kind, item.kind);
  }
});

test('bad items get a specific code, not a verdict', () => {
  const expect = [
    [{ kind: 'fragment', label: '', data: 'hp1.a' }, 'fragment-malformed'],
    [{ kind: 'fragment', label: '', data: 'hp1.aGVsbG9=' }, 'fragment-malformed'],
    [{ kind: 'fragment', label: '', data: 'hp1.aGVsbG9x' + 'b' }, 'fragment-malformed'], // non-canonical tail
    [{ kind: 'data-url', label: '', data: 'data:application/healthproof;base64,@@@' }, 'data-url-malformed'],
    [{ kind: 'data-url', label: '', data: 'data:application/healthproof;base64,/w==' }, 'not-text'],
    [{ kind: 'script', label: '', data: '<b>hello</b>' }, 'presentation-malformed'],
    [{ kind: 'selection', label: '', data: 'just some words' }, 'presentation-malformed'],
    [{ kind: 'script', label: '', size: 9e6 }, 'input-too-large'],
    [{ kind: 'link', label: '', url: 'https://elsewhere.example/a.hproof', error: 'link-cross-origin' }, 'link-cross-origin'],
    [{ kind: 'link', label: '', url: 'http://127.0.0.1/x.hproof', error: 'link-fetch-failed', status: 404 }, 'link-fetch-failed'],
  ];
  for (const [item, code] of expect) {
    const out = decodeItem(checkCollected(ok([item])).items[0], false);
    assert.equal(out.error?.code, code, JSON.stringify(item).slice(0, 80));
    assert.ok(out.error.message.length > 10);
  }
});

test('ordinary data: URLs and images are not candidates unless pointed at', () => {
  assert.equal(decodeDataUrl('data:image/png;base64,iVBORw0KGgo='), null);
  const image = { kind: 'image', label: '', width: 2, height: 2, grey: Buffer.alloc(4, 255).toString('base64') };
  assert.equal(decodeItem(checkCollected(ok([image])).items[0], false), null);
  assert.equal(decodeItem(checkCollected(ok([image])).items[0], true).error.code, 'qr-not-found');
  assert.equal(decodeText('plain words'), null);
});

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;
const PANEL = { id: ID, url: `${ORIGIN}panel.html`, origin: ORIGIN.slice(0, -1) };

test('messages from the extension’s own pages are accepted, clean copies', () => {
  assert.deepEqual(checkMessage({ type: 'scan', tabId: 7 }, PANEL, ID, ORIGIN), { type: 'scan', tabId: 7 });
  assert.deepEqual(checkMessage({ type: 'trust-import', list: 'x', signers: ['a+b+c'] }, { id: ID, url: `${ORIGIN}options.html` }, ID, ORIGIN),
    { type: 'trust-import', list: 'x', signers: ['a+b+c'] });
});

test('messages from a page, a content script or another extension are refused', () => {
  const senders = [
    undefined,
    { id: ID, url: 'http://127.0.0.1:8080/portal', tab: { id: 3 } }, // a content script
    { id: 'otherextensionidotherextensionid', url: `chrome-extension://otherextensionidotherextensionid/x.html` },
    { id: ID, url: `${ORIGIN}panel.html`, origin: 'http://127.0.0.1:8080' },
    { id: ID }, // no URL
  ];
  for (const s of senders) {
    assert.equal(fromOwnPage(s, ID, ORIGIN), false);
    assert.throws(() => checkMessage({ type: 'scan', tabId: 1 }, s, ID, ORIGIN), (e) => e instanceof MessageError && e.code === 'sender-refused');
  }
});

test('malformed messages are refused with message-malformed', () => {
  const bad = [
    null, [], 'scan', {}, { type: 'verify-everything' }, { type: 'scan' }, { type: 'scan', tabId: -1 },
    { type: 'scan', tabId: 1.5 }, { type: 'scan', tabId: '1' }, { type: 'scan', tabId: 1, extra: 1 },
    { type: 'trust-import', list: '', signers: ['k'] }, { type: 'trust-import', list: 'x', signers: [] },
    { type: 'trust-import', list: 'x', signers: ['has space'] }, { type: 'trust-import', list: 'x'.repeat(8 * 1024 * 1024 + 1), signers: ['k'] },
    { type: '__proto__' }, { type: 'constructor' },
  ];
  for (const m of bad) {
    assert.throws(() => checkMessage(m, PANEL, ID, ORIGIN), (e) => e instanceof MessageError && e.code === 'message-malformed', JSON.stringify(m)?.slice(0, 60));
  }
});

test('image pixels must be base64 of exactly width × height grey levels', () => {
  assert.throws(() => checkCollected(ok([{ kind: 'image', label: '', width: 2, height: 2, grey: '!!!!' }])),
    (e) => e.code === 'courier-malformed');
  const short = checkCollected(ok([{ kind: 'image', label: '', width: 2, height: 2, grey: 'AAA=' }])).items[0];
  assert.equal(decodeItem(short, true).error.code, 'qr-not-found');
});

test('EU DCC and SMART Health Card texts are found in every shape, as the verifier reads them', () => {
  // Shapes only: the texts are verified end to end in interop.test.mjs with the public data.
  const hc1 = 'HC1:' + 'NCF0 6BF$S%3*DH+-.W/:5Z'.repeat(8); // Base45 characters, space included
  const qr = 'shc:/' + '56762909524320603460292437404460'.repeat(4);
  const file = '{"verifiableCredential":["eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6IngifQ.eyJ4IjoxfQ.c2ln"]}';
  const jws = 'eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6IngifQ.eyJ4IjoxfQ.c2ln';
  const shapes = [
    [{ kind: 'script', label: '', data: `\n  ${hc1}\n` }, hc1],
    [{ kind: 'script', label: '', data: qr }, qr],
    [{ kind: 'script', label: '', data: `  ${file}\n` }, file],
    [{ kind: 'selection', label: '', data: ` ${hc1} ` }, hc1],
    [{ kind: 'selection', label: '', data: `${qr}\n${qr}` }, `${qr}\n${qr}`],
    [{ kind: 'selection', label: '', data: jws }, jws],
    [{ kind: 'data-url', label: '', data: `data:text/plain,${encodeURIComponent(hc1)}` }, hc1],
    [{ kind: 'data-url', label: '', data: `data:application/smart-health-card;base64,${Buffer.from(file).toString('base64')}` }, file],
    [{ kind: 'data-url', label: '', data: `data:application/json,${encodeURIComponent(file)}` }, file],
    [{ kind: 'link', label: '', url: 'http://127.0.0.1/card.smart-health-card', data: `${file}\n` }, file],
  ];
  for (const [item, text] of shapes) {
    const out = decodeItem(checkCollected(ok([item])).items[0], false);
    assert.equal(out.text, text, JSON.stringify(item).slice(0, 60));
  }
  // A damaged .smart-health-card file still reaches the verifier, for its precise code.
  assert.equal(decodeItem(checkCollected(ok([{ kind: 'link', label: '', url: 'http://127.0.0.1/x.smart-health-card', data: '{"nope":1}' }])).items[0], false).text, '{"nope":1}');
  // Other JSON and other text: no candidate, or a code when it was embedded as ours.
  assert.equal(decodeDataUrl('data:application/json,%7B%22a%22%3A1%7D'), null);
  assert.equal(decodeText('HC2:whatever'), null);
  assert.equal(decodeItem(checkCollected(ok([{ kind: 'script', label: '', data: '{"a":1}' }])).items[0], false).error.code, 'presentation-malformed');
});

test('SMART Health Card chunks found apart become one card, in chunk order, at the first one’s place', () => {
  const chunk = (c, n, digits) => ({ source: { kind: 'image', label: `part ${c}` }, text: `shc:/${c}/${n}/${digits}` });
  const other = { source: { kind: 'script', label: 'x' }, text: 'HC1:ABC' };
  const error = { source: { kind: 'link', label: 'y' }, error: { code: 'link-cross-origin', message: 'm' } };
  const out = joinChunks([chunk(2, 3, '22'), other, chunk(3, 3, '33'), error, chunk(1, 3, '11'), chunk(1, 2, '44'), chunk(1, 3, '55')]);
  assert.deepEqual(out, [
    { source: { kind: 'image', label: 'part 2 + part 3 + part 1' }, text: 'shc:/1/3/11\nshc:/2/3/22\nshc:/3/3/33' },
    other,
    error,
    { source: { kind: 'image', label: 'part 1' }, text: 'shc:/1/2/44' },
    // Chunk 1 of 3 again: another card, incomplete, still passed on for the verifier's code.
    { source: { kind: 'image', label: 'part 1' }, text: 'shc:/1/3/55' },
  ]);
  const single = { source: { kind: 'image', label: 'a' }, text: 'shc:/1/1/66' };
  assert.deepEqual(joinChunks([single]), [single]);
});
