// ONNX Runtime Web plumbing: loaded only when a model is used (the page
// works without it), its .wasm served from the site and downloaded through
// the data cache with progress, threads only when the page is cross-origin
// isolated (SharedArrayBuffer needs it; GitHub Pages cannot send the
// headers, `lookalike serve` does).
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { fetchBytes, type DownloadProgress } from './cached-fetch';

export type Ort = typeof import('onnxruntime-web/wasm');

/** The thread count ONNX Runtime Web uses here (1 unless cross-origin isolated). */
export function plannedOrtThreads(): number {
  if (!self.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

let loading: Promise<Ort> | null = null;

export function loadOrt(onProgress: DownloadProgress): Promise<Ort> {
  if (!loading) {
    loading = (async () => {
      const [ort, wasm] = await Promise.all([
        import('onnxruntime-web/wasm'),
        fetchBytes(new URL(ortWasmUrl, self.location.href).href, { what: 'the ONNX Runtime module', policy: 'cache-first', onProgress }),
      ]);
      ort.env.wasm.wasmBinary = wasm.bytes;
      ort.env.wasm.numThreads = plannedOrtThreads();
      ort.env.wasm.proxy = false; // already in a worker
      return ort;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
