// Camera QR scanning: the browser's BarcodeDetector where it reads QR codes, otherwise the
// bundled jsQR decoder in its own worker (qr-worker.js), fed a downscaled frame at a time.
// Returns the scanned text; the caller decides whether it is a record.

const INTERVAL_MS = 150;
const MAX_SIDE = 960;

/** A BarcodeDetector string that is really UTF-8 read as ISO-8859-1 (the em dash of a
 *  presentation's signature lines), turned back into the UTF-8 text. */
export function repairLatin1(s) {
  if (!/[\u0080-\u00ff]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  } catch {
    return s;
  }
}

async function nativeDetector() {
  if (!('BarcodeDetector' in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new globalThis.BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/**
 * Starts the camera in `video` and scans until a QR code is read, then stops and calls
 * `onText(text)`. `accept(text)` may turn what was read into the text to deliver, or return
 * null to keep scanning (one part of a document spread over several codes). Returns
 * `{ engine: 'native' | 'bundled', stop() }`.
 * @throws an Error with `.code = 'camera-unavailable'` when no camera can be opened
 */
export async function startScan(video, onText, { accept = (text) => text } = {}) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (e) {
    const err = new Error(String(e?.message ?? e));
    err.code = 'camera-unavailable';
    throw err;
  }
  video.srcObject = stream;
  await video.play().catch(() => {});
  const detector = await nativeDetector();
  const worker = detector ? null : new Worker(new URL('qr-worker.js', document.baseURI), { type: 'module' });
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let timer = 0;
  let frame = 0;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
    worker?.terminate();
  };
  /** True when scanning is over. */
  const found = (text) => {
    const whole = accept(text);
    if (whole == null) return false;
    stop();
    onText(whole);
    return true;
  };
  const tick = async () => {
    if (stopped) return;
    try {
      if (video.readyState >= 2 && video.videoWidth > 0) {
        if (detector) {
          const codes = await detector.detect(video);
          const hit = codes.find((c) => typeof c.rawValue === 'string' && c.rawValue);
          if (hit && found(repairLatin1(hit.rawValue))) return;
        } else {
          const k = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
          canvas.width = Math.round(video.videoWidth * k);
          canvas.height = Math.round(video.videoHeight * k);
          g.drawImage(video, 0, 0, canvas.width, canvas.height);
          const image = g.getImageData(0, 0, canvas.width, canvas.height);
          const id = ++frame;
          const bytes = await new Promise((resolve) => {
            worker.onmessage = (e) => { if (e.data?.id === id) resolve(e.data.bytes); };
            worker.postMessage({ id, width: image.width, height: image.height, data: image.data }, [image.data.buffer]);
          });
          if (bytes && bytes.length) {
            let text;
            try {
              text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
            } catch {
              text = '';
            }
            if (found(text)) return;
          }
        }
      }
    } catch {
      // A frame that cannot be read is skipped; the next one may be sharper.
    }
    if (!stopped) timer = setTimeout(tick, INTERVAL_MS);
  };
  timer = setTimeout(tick, 0);
  return { engine: detector ? 'native' : 'bundled', stop };
}
