// Builds the static site into ../target/www from src/, the npm package in
// ../target/npm/healthproof (run `cargo xtask package` first), the demo trust list and its
// signer key, and the demo presentations. Deterministic: same inputs, same bytes (no dates,
// sorted listings; the service worker's cache name is a hash of everything it caches).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
// `--out DIR` builds elsewhere (the determinism test builds twice and compares).
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? process.argv[outFlag + 1] : join(repo, 'target', 'www');
const pkg = join(repo, 'target', 'npm', 'healthproof');
const examples = join(repo, 'examples');

if (!existsSync(join(pkg, 'index.js')) || !existsSync(join(pkg, 'wasm', 'healthproof_bg.wasm'))) {
  console.error(`www build: ${relative(process.cwd(), pkg)} is missing; run \`cargo xtask package\` first`);
  process.exit(1);
}

/** The content security policy, for the <meta> in index.html and for hosts' headers. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "style-src 'self'",
  "media-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const started = performance.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'wasm'), { recursive: true });
mkdirSync(join(out, 'demo'), { recursive: true });

// The healthproof package is not in node_modules: resolve the bare name to the built package.
const healthproof = {
  name: 'healthproof',
  setup(b) {
    b.onResolve({ filter: /^healthproof$/ }, () => ({ path: join(pkg, 'index.js') }));
  },
};

const common = {
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [healthproof],
  // The package's Node branch imports a computed specifier; the browser never takes it.
  external: ['node:*'],
};
await build({
  ...common,
  entryPoints: { app: join(here, 'src', 'app.js'), worker: join(here, 'src', 'worker.js'), 'qr-worker': join(here, 'src', 'qr-worker.js') },
  outdir: out,
});
await build({
  ...common,
  entryPoints: { style: join(here, 'src', 'page.css') },
  outdir: out,
  plugins: [],
});
cpSync(join(pkg, 'wasm', 'healthproof_bg.wasm'), join(out, 'wasm', 'healthproof_bg.wasm'));
cpSync(join(examples, 'trust-list.txt'), join(out, 'trust-list.txt'));
cpSync(join(examples, 'trust-list-signer.txt'), join(out, 'trust-list-signer.txt'));
const demos = readdirSync(join(examples, 'presentations')).filter((n) => n.endsWith('.hproof')).sort();
for (const name of demos) cpSync(join(examples, 'presentations', name), join(out, 'demo', name));
writeFileSync(join(out, 'demo', 'index.json'), JSON.stringify(demos.map((n) => n.replace(/\.hproof$/, '')), null, 1) + '\n');

const html = readFileSync(join(here, 'src', 'index.html'), 'utf8').replace('__CSP__', CSP);
if (html.includes('__CSP__')) throw new Error('index.html: CSP placeholder left');
writeFileSync(join(out, 'index.html'), html);
cpSync(join(here, 'src', 'icon.svg'), join(out, 'icon.svg'));
cpSync(join(here, 'src', 'manifest.webmanifest'), join(out, 'manifest.webmanifest'));
// For hosts that read a headers file (Netlify, Cloudflare Pages); others: see README.md.
writeFileSync(join(out, '_headers'), `/*\n  Content-Security-Policy: ${CSP}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n`);

// The service worker caches every file of the site; its cache name changes with any of them.
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, name.name);
    if (name.isDirectory()) walk(path);
    else if (name.name !== '_headers') files.push(relative(out, path).split('\\').join('/'));
  }
})(out);
const hash = createHash('sha256');
for (const f of files) hash.update(f).update('\0').update(readFileSync(join(out, f))).update('\0');
const version = hash.digest('hex').slice(0, 16);
await build({
  ...common,
  plugins: [],
  entryPoints: { sw: join(here, 'src', 'sw.js') },
  outdir: out,
  define: { __PRECACHE__: JSON.stringify(['./', ...files]), __VERSION__: JSON.stringify(version) },
});
console.log(`www: ${files.length + 1} files in ${relative(process.cwd(), out)} (cache ${version}) in ${Math.round(performance.now() - started)} ms`);
