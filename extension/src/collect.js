// The courier: runs in the page's tab, in the extension's isolated world, once per user
// gesture, and only gathers bytes. It never verifies, never writes into the page, never
// messages anyone: its return value goes straight back to the background's executeScript
// call, which treats all of it as untrusted input (checked by `candidates.js`).
//
// `collect` is injected by `scripting.executeScript({ func })`, which sends its source text:
// it must be self-contained (no imports, no outer variables).

/**
 * Finds HealthProof presentations, EU DCCs and SMART Health Cards in the page.
 * @param {{ link?: string, selection?: boolean, image?: string }} focus what the gesture
 *   pointed at (a context-menu click on a link, a selection or an image); empty for the page
 * @returns {Promise<{ items: object[], url: string, truncated: boolean }>}
 */
export async function collect(focus) {
  const MAX_ITEMS = 50;
  const MAX_TEXT = 4 * 1024 * 1024; // above the core's presentation cap: it says how large
  const MAX_IMAGES = 12;
  const MAX_SIDE = 800; // QR images are scaled down to this many pixels a side
  const MIN_SIDE = 21; // a version-1 QR code without quiet zone
  const SCRIPT_TYPES = ['application/healthproof', 'application/vnd.healthproof.presentation', 'application/smart-health-card'];
  // Other data blocks (`text/plain`, `application/json`, …) count when their text starts as
  // an EU DCC (`HC1:`), a SMART Health Card QR text (`shc:/`) or a .smart-health-card file.
  const DOCUMENT_START = /^(HC1:|shc:\/|\{\s*"verifiableCredential"\s*:)/;
  const FILE_EXTENSIONS = ['.hproof', '.smart-health-card'];
  const items = [];
  let truncated = false;
  const add = (item) => {
    if (items.length >= MAX_ITEMS) truncated = true;
    else items.push(item);
  };
  const label = (el) => String(el.getAttribute('aria-label') || el.getAttribute('alt') ||
    el.getAttribute('title') || el.id || el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 80);
  const text = (s) => (s.length > MAX_TEXT ? { size: s.length } : { data: s });
  const want = (kind) => !focus || (!focus.link && !focus.selection && !focus.image) ||
    (kind === 'link' && focus.link) || (kind === 'selection' && focus.selection) ||
    (kind === 'image' && focus.image);

  if (want('selection')) {
    const selected = String(globalThis.getSelection?.() ?? '');
    if (selected.trim()) add({ kind: 'selection', label: '', ...text(selected) });
  }

  if (want('script')) {
    for (const el of document.querySelectorAll('script[type]')) {
      const content = el.textContent;
      if (!SCRIPT_TYPES.includes(el.type.trim().toLowerCase()) && !DOCUMENT_START.test(content.slice(0, 256).trimStart())) continue;
      add({ kind: 'script', label: (el.id || el.title || '').slice(0, 80), ...text(content) });
    }
  }

  if (want('link')) {
    const hrefs = [];
    if (!focus?.link && location.hash.startsWith('#hp1.')) hrefs.push([location.href, 'this page']);
    for (const el of document.querySelectorAll('a[href], area[href]')) {
      if (focus?.link && el.href !== focus.link) continue;
      hrefs.push([el.href, label(el)]);
    }
    if (focus?.link && hrefs.length === 0) hrefs.push([focus.link, '']);
    for (const [href, name] of hrefs) {
      let url;
      try {
        url = new URL(href);
      } catch {
        continue;
      }
      const fragment = url.hash.startsWith('#hp1.') ? url.hash.slice(1) : null;
      if (fragment !== null) {
        add({ kind: 'fragment', label: name, ...text(fragment) });
      } else if (url.protocol === 'data:') {
        add({ kind: 'data-url', label: name, ...text(href) });
      } else if (FILE_EXTENSIONS.some((e) => url.pathname.toLowerCase().endsWith(e))) {
        // Same-origin only, with the page's own credentials rules: the gesture lets the
        // extension read what the page itself could; other origins are not fetched at all.
        const shown = url.origin + url.pathname;
        if (url.origin !== location.origin) {
          add({ kind: 'link', label: name, url: shown, error: 'link-cross-origin' });
          continue;
        }
        try {
          const response = await fetch(url.href, { credentials: 'same-origin', redirect: 'error', cache: 'no-store' });
          if (!response.ok) {
            add({ kind: 'link', label: name, url: shown, error: 'link-fetch-failed', status: response.status });
            continue;
          }
          const body = await response.text();
          add({ kind: 'link', label: name, url: shown, ...text(body) });
        } catch {
          add({ kind: 'link', label: name, url: shown, error: 'link-fetch-failed', status: 0 });
        }
      }
    }
  }

  if (want('image')) {
    let images = 0;
    for (const el of document.querySelectorAll('img, canvas')) {
      if (focus?.image && el.currentSrc !== focus.image && el.src !== focus.image) continue;
      const w = el.naturalWidth ?? el.width;
      const h = el.naturalHeight ?? el.height;
      if (!(w >= MIN_SIDE && h >= MIN_SIDE) || w > 3 * h || h > 3 * w) continue;
      if (images++ >= MAX_IMAGES) {
        truncated = true;
        break;
      }
      const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      const width = Math.max(1, Math.round(w * scale));
      const height = Math.max(1, Math.round(h * scale));
      try {
        // A canvas of our own, never attached to the page.
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        const g = canvas.getContext('2d', { willReadFrequently: true });
        g.fillStyle = '#fff';
        g.fillRect(0, 0, width, height);
        g.imageSmoothingEnabled = false;
        g.drawImage(el, 0, 0, width, height);
        const rgba = g.getImageData(0, 0, width, height).data;
        // Grey levels, one byte a pixel, as base64: results must be JSON.
        const grey = new Uint8Array(width * height);
        for (let i = 0, j = 0; j < grey.length; i += 4, j++) {
          grey[j] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
        }
        let binary = '';
        for (let i = 0; i < grey.length; i += 0x8000) {
          binary += String.fromCharCode.apply(null, grey.subarray(i, i + 0x8000));
        }
        add({ kind: 'image', label: label(el), width, height, grey: btoa(binary) });
      } catch {
        // A cross-origin image taints the canvas: its pixels are not ours to read.
        add({ kind: 'image', label: label(el), error: 'image-cross-origin' });
      }
    }
  }

  return { items, url: location.origin + location.pathname, truncated };
}
