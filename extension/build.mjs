// Builds the extension for Chromium and Firefox from one source: bundles (esbuild), the
// manifest for each browser, the icons, and a zip of each build, in ../target/extension/.
//
//   node build.mjs        (npm run build)
//
// Inputs from the rest of the repository, used in place: the npm package's wasm build
// (../target/npm/healthproof, made by `cargo xtask package`), the shared rendering module
// (../www/src/shared) and the demo trust list (../examples).
import { build } from 'esbuild';
import { deflateRawSync, deflateSync, crc32 } from 'node:zlib';
import { mkdirSync, rmSync, readFileSync, writeFileSync, copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
export const OUT = join(ROOT, 'target', 'extension');
const PACKAGE = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8'));
const VERSION = '0.1.0';

/** Every input outside extension/, with the command that makes it when it is missing. */
const INPUTS = [
  ['target/npm/healthproof/wasm/healthproof.js', 'cargo xtask package'],
  ['target/npm/healthproof/wasm/healthproof_bg.wasm', 'cargo xtask package'],
  ['www/src/shared/render.js', 'the shared rendering module of www/'],
  ['www/src/shared/render.css', 'the shared rendering module of www/'],
  ['www/src/shared/i18n.js', 'the shared rendering module of www/'],
  ['www/src/shared/fragment.js', 'the shared rendering module of www/'],
  ['examples/trust-list.txt', 'cargo xtask demo-data'],
  ['examples/trust-list-signer.txt', 'cargo xtask demo-data'],
];

/**
 * Extension pages and the background may run only the extension's own scripts and its wasm;
 * they may connect nowhere (the wasm is embedded, the trust list too) and embed nothing.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The manifest for `target` ('chromium' or 'firefox'): one object, two differences. */
export function manifest(target) {
  const icons = { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png', 48: 'icons/icon-48.png', 128: 'icons/icon-128.png' };
  const m = {
    manifest_version: 3,
    name: 'HealthProof for clinicians',
    short_name: 'HealthProof',
    version: VERSION,
    description: 'Finds signed health records (HealthProof presentations) in a page on your click and verifies them offline, on this device.',
    icons,
    action: {
      default_title: 'Verify HealthProof records on this page',
      default_popup: 'panel.html',
      default_icon: { 16: icons[16], 32: icons[32] },
    },
    options_ui: { page: 'options.html', open_in_tab: true },
    // activeTab + scripting: the page is read only after a click on the extension, and only
    // that tab; storage: settings, trust list, audit trail; contextMenus: the right-click entry.
    permissions: ['activeTab', 'scripting', 'storage', 'contextMenus'],
    commands: {
      _execute_action: {
        suggested_key: { default: 'Alt+Shift+H' },
        description: 'Verify HealthProof records on this page',
      },
    },
    content_security_policy: { extension_pages: CSP },
  };
  if (target === 'chromium') {
    m.background = { service_worker: 'background.js' };
    m.minimum_chrome_version = '121';
  } else if (target === 'firefox') {
    m.background = { scripts: ['background.js'] };
    m.browser_specific_settings = {
      gecko: {
        id: 'healthproof-clinician@healthproof.example',
        // 140 (an ESR, common in hospitals): the first with data_collection_permissions.
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: '142.0' },
    };
  } else {
    throw new Error(`unknown target ${target}`);
  }
  return m;
}

// --- icons: a white check mark on a dark teal rounded square, drawn here (no image files) ---

function png(width, height, rgba) {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0;
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function icon(size) {
  const S = 4; // supersampling per axis
  const rgba = Buffer.alloc(size * size * 4);
  const segDist = (px, py, ax, ay, bx, by) => {
    const dx = bx - ax, dy = by - ay;
    const k = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - ax - k * dx, py - ay - k * dy);
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0, mark = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = (x + (sx + 0.5) / S) / size, v = (y + (sy + 0.5) / S) / size;
          const r = 0.2, cx = Math.min(Math.max(u, r), 1 - r), cy = Math.min(Math.max(v, r), 1 - r);
          if (Math.hypot(u - cx, v - cy) <= r) {
            bg++;
            const d = Math.min(segDist(u, v, 0.24, 0.52, 0.43, 0.71), segDist(u, v, 0.43, 0.71, 0.77, 0.31));
            if (d <= 0.085) mark++;
          }
        }
      }
      const n = S * S, i = (y * size + x) * 4;
      const m = mark / Math.max(bg, 1);
      rgba[i] = Math.round(11 + (255 - 11) * m);
      rgba[i + 1] = Math.round(93 + (255 - 93) * m);
      rgba[i + 2] = Math.round(107 + (255 - 107) * m);
      rgba[i + 3] = Math.round((255 * bg) / n);
    }
  }
  return png(size, size, rgba);
}

// --- zip (PKZIP APPNOTE 6.3: local headers, deflate, central directory), reproducible ------

function zip(dir, out) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  const locals = [];
  const central = [];
  let offset = 0;
  for (const p of files) {
    const name = Buffer.from(relative(dir, p).split('\\').join('/'), 'utf8');
    const data = readFileSync(p);
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt16LE(0, 10); // 00:00
    head.writeUInt16LE(0x21, 12); // 1980-01-01: reproducible
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    locals.push(head, name, packed);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt16LE(0, 12);
    c.writeUInt16LE(0x21, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(packed.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(out, Buffer.concat([...locals, cd, end]));
}

/** Builds into `out` (default ../target/extension): chromium/, firefox/ and their zips. */
export async function buildAll(out = OUT) {
  const missing = INPUTS.filter(([p]) => !existsSync(join(ROOT, p)));
  if (missing.length) {
    throw new Error('missing inputs:\n' + missing.map(([p, how]) => `  ../${p} (from ${how})`).join('\n'));
  }
  rmSync(out, { recursive: true, force: true });
  const bundles = await build({
    entryPoints: { background: 'src/background.js', panel: 'src/panel.js', options: 'src/options.js' },
    absWorkingDir: HERE,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome121', 'firefox140'],
    loader: { '.wasm': 'binary', '.txt': 'text' },
    charset: 'utf8',
    legalComments: 'inline',
    write: false,
    outdir: 'out',
    logLevel: 'warning',
    // The glue's default wasm URL (`import.meta.url`) is never used: the bytes are passed in.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  const icons = Object.fromEntries([16, 32, 48, 128].map((s) => [s, icon(s)]));
  for (const target of ['chromium', 'firefox']) {
    const dir = join(out, target);
    mkdirSync(join(dir, 'icons'), { recursive: true });
    for (const file of bundles.outputFiles) writeFileSync(join(dir, relative(join(HERE, 'out'), file.path)), file.contents);
    for (const name of readdirSync(join(HERE, 'static'))) copyFileSync(join(HERE, 'static', name), join(dir, name));
    copyFileSync(join(ROOT, 'www/src/shared/render.css'), join(dir, 'render.css'));
    for (const [s, data] of Object.entries(icons)) writeFileSync(join(dir, 'icons', `icon-${s}.png`), data);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest(target), null, 2) + '\n');
    zip(dir, join(out, `healthproof-${target}.zip`));
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const out = await buildAll();
    for (const name of readdirSync(out)) console.log(`${PACKAGE.name}: ${join('target/extension', name)}`);
  } catch (e) {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  }
}
