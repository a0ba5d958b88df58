// Warming the WASM module up while the page is idle: V8 compiles WebAssembly
// functions lazily, on first call, so the first query would pay tens of
// milliseconds of compilation inside "decode" and "preprocess". Decoding a
// small PNG and JPEG (made here with the browser's encoder), the JPEG also
// reduced (the DCT's 1/2, 1/4, 1/8 and the area filter, the paths a phone
// photo takes), and computing the collection's classic features (and a
// search) once moves that cost before the user's first query. Failures are
// ignored: this is only an optimisation.
import { isModelSpec } from '../shared/feature-titles';
import type { LookalikeModule } from './wasm-runtime';

export async function warmUp(
  m: LookalikeModule,
  featureSpecs: string[],
  onFeature: (spec: string, vector: Float32Array) => void = () => undefined,
): Promise<void> {
  if (typeof OffscreenCanvas !== 'function') return;
  try {
    const canvas = new OffscreenCanvas(64, 48);
    const context = canvas.getContext('2d');
    if (!context) return;
    const gradient = context.createLinearGradient(0, 0, 64, 48);
    gradient.addColorStop(0, '#c03020');
    gradient.addColorStop(1, '#2040d0');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 64, 48);
    for (const type of ['image/png', 'image/jpeg']) {
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type })).arrayBuffer());
      const decoded = m.decodeImage(bytes);
      if (!decoded.ok) continue;
      for (const spec of featureSpecs) {
        if (isModelSpec(spec)) continue;
        const feature = m.computeFeature(spec, decoded.value.image);
        if (feature.ok) onFeature(spec, feature.value.vector);
      }
      decoded.value.image.delete();
      // 64×48 reduced by 2, 4 and 8 × 3 (DCT 1/8, then the area filter).
      for (const shorterSide of [24, 12, 2]) {
        const reduced = m.decodeImage(bytes, { need: { shorterSide, longerSide: 0 } });
        if (reduced.ok) reduced.value.image.delete();
      }
    }
  } catch {
    // nothing to do: the first query will simply be slower
  }
}
