// The bundled QR decoder (jsQR), for browsers without BarcodeDetector: decodes one camera
// frame off the main thread. In: { id, width, height, data: Uint8ClampedArray (RGBA) }.
// Out: { id, bytes: Uint8Array | null } — the raw bytes of a byte-mode code, untouched, so
// a presentation's UTF-8 (its em dash) survives whatever charset the code declares.
import jsQR from 'jsqr';

self.onmessage = (event) => {
  const { id, width, height, data } = event.data ?? {};
  if (typeof id !== 'number' || !(data instanceof Uint8ClampedArray) || data.length !== width * height * 4) return;
  const code = jsQR(data, width, height, { inversionAttempts: 'attemptBoth' });
  self.postMessage({ id, bytes: code ? Uint8Array.from(code.binaryData) : null });
};
