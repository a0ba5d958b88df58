// ONNX Runtime Web plumbing: loaded only when a model is used (the page
// works without it), its .wasm served from the site and downloaded through
// the data cache with progress, threads only when the page is cross-origin
// isolated (SharedArrayBuffer needs it; GitHub Pages cannot send the
// headers, `lookalike serve` does).
//
// Two builds of ONNX Runtime Web: the WASM one (always; the reference and
// the fallback) and the WebGPU one, whose binary is twice as large and is
// downloaded only when a WebGPU adapter is there to try (webgpu-backend.ts).
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortWebGpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { fetchBytes, type DownloadProgress } from './cached-fetch';

export type Ort = typeof import('onnxruntime-web/wasm');
export type OrtSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/**
 * Firefox loads the scripts of a worker's own workers (ONNX Runtime's
 * threads, started from this worker) through that worker's thread, which
 * ONNX Runtime blocks while it waits for them to start: creating a session
 * with threads hung there in 2 of 5 tries (Firefox ESR 153, the browser
 * tests). One thread in Firefox, until ONNX Runtime starts its threads
 * without blocking.
 */
function nestedWorkersMayHang(): boolean {
  return /\bFirefox\//.test(navigator.userAgent);
}

/** The thread count ONNX Runtime Web uses here (1 unless cross-origin isolated, and 1 in Firefox). */
export function plannedOrtThreads(): number {
  if (!self.crossOriginIsolated || nestedWorkersMayHang()) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

function loader(
  importBuild: () => Promise<Ort>,
  wasmUrl: string,
  what: string,
): (onProgress: DownloadProgress) => Promise<Ort> {
  let loading: Promise<Ort> | null = null;
  return (onProgress) => {
    if (!loading) {
      loading = (async () => {
        const [ort, wasm] = await Promise.all([
          importBuild(),
          fetchBytes(new URL(wasmUrl, self.location.href).href, { what, policy: 'cache-first', onProgress }),
        ]);
        ort.env.wasm.wasmBinary = wasm.bytes;
        ort.env.wasm.numThreads = plannedOrtThreads();
        ort.env.wasm.proxy = false; // already in a worker
        // Warnings (e.g. "some nodes were not assigned to the preferred
        // execution provider") are not the user's concern.
        ort.env.logLevel = 'error';
        return ort;
      })();
      loading.catch(() => {
        loading = null;
      });
    }
    return loading;
  };
}

/** ONNX Runtime Web with the WASM backend (SIMD; threads when isolated). */
export const loadOrt = loader(() => import('onnxruntime-web/wasm'), ortWasmUrl, 'the ONNX Runtime module');

/** ONNX Runtime Web with the WebGPU backend (and WASM for the operators WebGPU lacks). */
export const loadOrtWebGpu = loader(
  () => import('onnxruntime-web/webgpu') as Promise<Ort>,
  ortWebGpuWasmUrl,
  'the ONNX Runtime WebGPU module',
);

/**
 * Session options both backends share: errors only in the console, and QDQ
 * fusion off as in the CLI's worker (offline-tools/embed/onnx_worker.mjs): a
 * DequantizeLinear → op → QuantizeLinear group stays float arithmetic, which
 * native and WebAssembly compute alike, rather than a fused int8 kernel that
 * ONNX Runtime approximates differently per platform.
 */
export function sessionOptions(executionProvider: 'wasm' | 'webgpu') {
  return {
    executionProviders: [executionProvider],
    graphOptimizationLevel: 'all' as const,
    logSeverityLevel: 3 as const,
    extra: { session: { disable_quant_qdq: '1' } },
  };
}
