/**
 * Reads QR codes with jsQR: from a photo the voter picks (for phones that refuse the camera) and from
 * the frames of the camera's video. Everything stays on the device.
 */
import jsQRModule from 'jsqr';

// jsqr is a CommonJS bundle whose types declare an ES default export: the bundler hands over the
// function itself, TypeScript (NodeNext) expects it under .default. Accept either.
const jsQR: typeof jsQRModule.default = (jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? (jsQRModule as unknown as typeof jsQRModule.default);

/** Photos are scaled down to this many pixels on the long side before decoding (fast, and enough for a printed code). */
const MAX_SIDE = 1400;

function decodeCanvas(canvas: HTMLCanvasElement | OffscreenCanvas, width: number, height: number): string | null {
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (ctx === null) return null;
  const image = ctx.getImageData(0, 0, width, height);
  return jsQR(image.data, width, height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** The text of the QR code in a photo, or null when none is found. Throws when the file is not an image. */
export async function readQrFromFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) return null;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    return decodeCanvas(canvas, width, height);
  } finally {
    bitmap.close();
  }
}

/**
 * Starts the camera (the back one on a phone) in `video` and decodes frames until a QR code is read;
 * calls `found` once with its text. Returns the function that stops the camera. Rejects when the
 * camera cannot be used (no camera, permission refused, not a secure page).
 */
export async function scanWithCamera(video: HTMLVideoElement, found: (text: string) => void): Promise<() => void> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera');
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  let stopped = false;
  let timer = 0;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const canvas = document.createElement('canvas');
  const tick = () => {
    if (stopped) return;
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (width > 0 && height > 0) {
      const scale = Math.min(1, 800 / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.getContext('2d', { willReadFrequently: true })?.drawImage(video, 0, 0, canvas.width, canvas.height);
      const text = decodeCanvas(canvas, canvas.width, canvas.height);
      if (text !== null) {
        stop();
        found(text);
        return;
      }
    }
    timer = window.setTimeout(tick, 200);
  };
  tick();
  return stop;
}
