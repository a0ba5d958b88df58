// Turning query bytes into an upright RGB image inside the WASM module.
//
// JPEG, PNG, BMP, GIF and TGA go through the core's decoder, the very code
// the offline tools use, so the query's pixels are the same as offline. A
// large photo is decoded reduced for what the feature or model needs (its
// decodeNeed), exactly as the CLI decodes it for that feature: a QueryImage
// keeps the bytes and one decode per need, so switching features decodes
// again only when the new feature needs another size.
// Formats the core lacks (WebP, AVIF, HEIC, ...) go through the browser's own
// decoder (createImageBitmap + OffscreenCanvas, here in the worker); the
// result then says decodedBy: 'browser', and the page says so.
import type { DecodeNeed, LookalikeModule, RgbImage } from './wasm-runtime';

export class QueryError extends Error {
  constructor(
    readonly stage: 'input' | 'decode',
    message: string,
  ) {
    super(message);
  }
}

export interface DecodedQuery {
  image: RgbImage;
  /** The photo's size, upright. */
  width: number;
  height: number;
  /** The image's size: the photo's, or reduced by `reduction` (each side ceil(side / reduction)). */
  decodedWidth: number;
  decodedHeight: number;
  reduction: number;
  format: string;
  decodedBy: 'core' | 'browser';
  orientation: number | null;
}

const MAX_PIXELS = 64_000_000;

export function canDecodeInBrowser(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

async function decodeWithBrowser(
  m: LookalikeModule,
  bytes: Uint8Array,
  mime: string,
  format: string,
): Promise<DecodedQuery> {
  let bitmap: ImageBitmap;
  try {
    const blob = new Blob([bytes.slice().buffer], mime ? { type: mime } : {});
    bitmap = await createImageBitmap(blob, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch {
    const known =
      format === 'unknown'
        ? 'not an image format this page can read'
        : `this browser cannot decode ${format.toUpperCase()} images`;
    throw new QueryError(
      'decode',
      `${known}. The page decodes JPEG, PNG, BMP, GIF and TGA itself and leaves other formats ` +
        '(WebP, AVIF, HEIC) to the browser; convert the image to JPEG or PNG and try again.',
    );
  }
  try {
    const { width, height } = bitmap;
    if (width * height > MAX_PIXELS)
      throw new QueryError(
        'decode',
        `image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels), over the limit of 64.0 megapixels`,
      );
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new QueryError('decode', 'the browser gave no 2D canvas to read the decoded pixels from');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, width, height).data;
    const result = m.imageFromPixels(pixels, width, height, 4);
    if (!result.ok) throw new QueryError('decode', result.error);
    return {
      image: result.value,
      width,
      height,
      decodedWidth: width,
      decodedHeight: height,
      reduction: 1,
      format,
      decodedBy: 'browser',
      orientation: null,
    };
  } finally {
    bitmap.close();
  }
}

async function decodeQuery(
  m: LookalikeModule,
  bytes: Uint8Array,
  mime: string,
  need: DecodeNeed,
): Promise<DecodedQuery> {
  if (bytes.length === 0) throw new QueryError('input', 'the file is empty (0 bytes)');
  const sniffed = m.sniffFormat(bytes);
  const format = sniffed.ok ? sniffed.value.format : 'unknown';
  if (sniffed.ok && sniffed.value.coreDecodes) {
    const decoded = m.decodeImage(bytes, { maxPixels: MAX_PIXELS, need });
    if (!decoded.ok) throw new QueryError('decode', decoded.error);
    const d = decoded.value;
    const turned = d.orientation >= 5 && d.orientation <= 8;
    return {
      image: d.image,
      width: turned ? d.storedHeight : d.storedWidth,
      height: turned ? d.storedWidth : d.storedHeight,
      decodedWidth: d.width,
      decodedHeight: d.height,
      reduction: d.reduction,
      format: d.format,
      decodedBy: 'core',
      orientation: d.orientation,
    };
  }
  if (!canDecodeInBrowser())
    throw new QueryError(
      'decode',
      `${format === 'unknown' ? 'unrecognised image format' : `${format.toUpperCase()} images`}: ` +
        'the page decodes JPEG, PNG, BMP, GIF and TGA, and this browser offers no decoder for other formats in a worker',
    );
  return decodeWithBrowser(m, bytes, mime, format);
}

/** A query image: its bytes, and its decodes, one per need asked so far. */
export class QueryImage {
  private readonly decodes = new Map<string, DecodedQuery>();

  constructor(
    private readonly m: LookalikeModule,
    private readonly bytes: Uint8Array,
    private readonly mime: string,
  ) {}

  /** The image decoded for `need`: now (`ms`, its time) or earlier (`ms` null). */
  async decode(need: DecodeNeed): Promise<{ decoded: DecodedQuery; ms: number | null }> {
    const key = `${need.shorterSide}x${need.longerSide}`;
    // The browser's decoder has no reductions: its one decode serves every need.
    const known = this.decodes.get(key) ?? this.decodes.get('browser');
    if (known) return { decoded: known, ms: null };
    const t0 = performance.now();
    const decoded = await decodeQuery(this.m, this.bytes, this.mime, need);
    const ms = performance.now() - t0;
    this.decodes.set(decoded.decodedBy === 'browser' ? 'browser' : key, decoded);
    return { decoded, ms };
  }

  delete(): void {
    for (const d of this.decodes.values()) d.image.delete();
    this.decodes.clear();
  }
}
