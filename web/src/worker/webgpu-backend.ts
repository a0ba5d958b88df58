// WebGPU for the model only where it really works. Having `navigator.gpu`
// says little: the adapter may be missing, a software fallback, or give
// wrong numbers for some operators. So the model is first loaded on the WASM
// backend (the reference, and the fallback); then, when an adapter is there,
// the WebGPU build runs the same model on a check input and must give the
// WASM embedding (cosine ≥ 0.9999, the page's parity bar with the offline
// tools) and, unless the user asked for WebGPU, be faster than WASM.
//
// The page's `?backend=` parameter: `auto` (the default, as above), `wasm`
// (never try WebGPU), `webgpu` (use WebGPU whenever the check passes, on a
// software adapter too and even when slower).
import type { BackendPreference } from '../shared/protocol';
import type { DownloadProgress } from './cached-fetch';
import { loadOrtWebGpu, sessionOptions, type Ort, type OrtSession } from './ort-runtime';

export type { BackendPreference };

export const MIN_CHECK_COSINE = 0.9999;

/** The parts of WebGPU's API used here (the TypeScript libs have no WebGPU types). */
interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface Gpu {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
  }): Promise<{ info?: GpuAdapterInfo; isFallbackAdapter?: boolean } | null>;
}

/** Runs the model once on the check input and returns its output (and how long it took). */
export type CheckRun = (ort: Ort, session: OrtSession) => Promise<{ output: Float32Array; ms: number }>;

export type WebGpuOutcome = { ok: true; ort: Ort; session: OrtSession; note: string } | { ok: false; note: string };

function adapterName(info: GpuAdapterInfo | undefined): string {
  const parts = [info?.vendor, info?.architecture, info?.description].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(' ') : 'an unnamed adapter';
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; ++i) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : aa === bb ? 1 : 0;
}

/** The fastest of `times` runs, in ms (the first run of a session is slower and is not among them). */
export async function fastest(run: () => Promise<{ ms: number }>, times: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; ++i) best = Math.min(best, (await run()).ms);
  return best;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Tries the model on WebGPU. `wasm`: the model's WASM session, already run
 * once on the check input (`reference`, its output). Never throws: every way
 * of not using WebGPU comes back as a note the page shows.
 */
export async function tryWebGpu(
  model: Uint8Array,
  preference: BackendPreference,
  check: CheckRun,
  wasm: { ort: Ort; session: OrtSession; reference: Float32Array },
  progress: DownloadProgress,
): Promise<WebGpuOutcome> {
  const reference = wasm.reference;
  if (preference === 'wasm') return { ok: false, note: 'WebGPU not tried (?backend=wasm)' };
  const gpu = (navigator as unknown as { gpu?: Gpu }).gpu;
  if (!gpu) return { ok: false, note: 'this browser offers no WebGPU' };
  let adapterInfo: GpuAdapterInfo | undefined;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { ok: false, note: 'WebGPU has no adapter here (no usable GPU)' };
    adapterInfo = adapter.info;
    const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
    if (fallback && preference !== 'webgpu')
      return {
        ok: false,
        note: `the only WebGPU adapter is a software fallback (${adapterName(adapterInfo)}); ?backend=webgpu would use it`,
      };
  } catch (error) {
    return { ok: false, note: `WebGPU's adapter could not be requested: ${message(error)}` };
  }

  let ort: Ort;
  let session: OrtSession;
  try {
    ort = await loadOrtWebGpu(progress);
    session = await ort.InferenceSession.create(model, sessionOptions('webgpu'));
  } catch (error) {
    return { ok: false, note: `ONNX Runtime could not run the model on WebGPU: ${message(error)}` };
  }
  const give = async (note: string): Promise<WebGpuOutcome> => {
    await session.release().catch(() => undefined);
    return { ok: false, note };
  };
  try {
    const first = await check(ort, session);
    if (first.output.length !== reference.length)
      return give(`WebGPU gave ${first.output.length} values on the check input, WASM ${reference.length}: not used`);
    const agreement = cosine(first.output, reference);
    if (!(agreement >= MIN_CHECK_COSINE))
      return give(`WebGPU's result differs from WASM's on the check input (cosine ${agreement.toFixed(6)}): not used`);
    const gpuMs = await fastest(() => check(ort, session), 2);
    const cpuMs = await fastest(() => check(wasm.ort, wasm.session), 2);
    const speeds = `${gpuMs.toFixed(1)} ms per image against ${cpuMs.toFixed(1)} ms with WASM`;
    if (gpuMs > cpuMs && preference !== 'webgpu')
      return give(`WebGPU (${adapterName(adapterInfo)}) was slower here: ${speeds}`);
    return {
      ok: true,
      ort,
      session,
      note: `${adapterName(adapterInfo)}; checked against WASM (cosine ${agreement.toFixed(6)}), ${speeds}`,
    };
  } catch (error) {
    return give(`the model failed on WebGPU: ${message(error)}`);
  }
}
