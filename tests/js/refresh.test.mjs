// refreshProof against a demo log served over HTTP on localhost: the record's proof from
// its first witnessed checkpoint is refreshed to the newest one, with a consistency proof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, cpSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hp from '../../target/npm/healthproof/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'target/debug/healthproof');

test('refreshProof re-proves a record against the newest checkpoint, read from tiles', async (t) => {
  if (!existsSync(cli)) return t.skip('the CLI is not built (cargo xtask test builds it)');
  const dir = mkdtempSync(join(tmpdir(), 'hp-refresh-'));
  cpSync(join(root, 'examples/bundles'), join(dir, 'bundles'), { recursive: true });
  execFileSync(cli, ['demo', 'build', dir, '--filler', '3000'], { stdio: 'ignore' });
  const requests = [];
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(req.url)).replace(/^\/+/, '');
    requests.push(path);
    try {
      res.writeHead(200).end(readFileSync(join(dir, 'log', path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const url = `http://127.0.0.1:${server.address().port}`;
    const old = readFileSync(join(dir, 'presentations/pl-krzysztof-wisniewski-partial.hproof'), 'utf8');
    const fresh = await hp.refreshProof(old, url);
    assert.ok(fresh.newSize > fresh.oldSize, `${fresh.oldSize} -> ${fresh.newSize}`);
    assert.ok(requests.length <= 12, `checkpoint and a few tiles: ${requests.length}`);
    const trust = readFileSync(join(dir, 'trust-list.txt'), 'utf8');
    const signer = readFileSync(join(dir, 'trust-list-signer.txt'), 'utf8').trim();
    const report = hp.verify(fresh.presentation, trust, { trustListSigners: [signer], now: 1795348800 });
    assert.equal(report.verdict, 'verified');
    assert.equal(report.ledger.treeSize, fresh.newSize);
    const rootOf = (presentation) => presentation.split('\n\n').at(-2).split('\n')[2];
    assert.equal(hp.verifyConsistency(fresh.oldSize, fresh.newSize, fresh.consistency, rootOf(old), rootOf(fresh.presentation)), true);
    // A proof refreshed long after issuance moves "logged by" later: the DE record, issued
    // nine days before the newest witnessing, then reads as possibly back-dated. Holders
    // keep the proof from issuance (docs/FORMAT.md §5); refreshing is optional.
    const de = readFileSync(join(dir, 'presentations/de-anna-schmidt-partial.hproof'), 'utf8');
    const late = hp.verify((await hp.refreshProof(de, url)).presentation, trust, { trustListSigners: [signer], now: 1795348800 });
    assert.equal(late.checks.find((c) => c.id === 'issued-at').code, 'logged-late');
    // A log serving a tile that does not match its checkpoint is caught.
    const lying = async (u) => {
      const r = await fetch(u);
      if (!u.includes('/tile/0/')) return r;
      const bytes = new Uint8Array(await r.arrayBuffer());
      bytes[0] ^= 1;
      return { ok: true, status: 200, arrayBuffer: async () => bytes.buffer };
    };
    await assert.rejects(hp.refreshProof(old, url, { fetch: lying }), (e) => e instanceof hp.VerifyError && e.code === 'proof-mismatch');
  } finally {
    server.close();
  }
});
