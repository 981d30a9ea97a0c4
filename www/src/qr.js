// QR codes for sharing: the presentation's raw UTF-8 bytes in byte mode, error correction
// L, as docs/FORMAT.md §4.2 describes (the HealthProof CLI's `present --qr` makes the same
// symbol). Drawn on a canvas, module by module: no markup, no image URLs.
import qrcode from 'qrcode-generator';

/** Most bytes any QR code holds in byte mode (version 40, level L). */
export const QR_MAX_BYTES = 2953;

/**
 * A canvas with the QR code of `text`, or `{ tooLarge: true }` with the byte count when no
 * QR code can hold it.
 * @param {string} text
 * @param {string} label  accessible name of the image
 * @returns {{ canvas: HTMLCanvasElement, version: number, bytes: number } | { tooLarge: true, bytes: number }}
 */
export function makeQr(text, label) {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > QR_MAX_BYTES) return { tooLarge: true, bytes: bytes.length };
  const qr = qrcode(0, 'L');
  // The library's byte mode takes one character per byte.
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  qr.addData(binary, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  const scale = 4;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = (n + 2 * quiet) * scale;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#000';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c)) g.fillRect((c + quiet) * scale, (r + quiet) * scale, scale, scale);
    }
  }
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return { canvas, version: (n - 17) / 4, bytes: bytes.length };
}
