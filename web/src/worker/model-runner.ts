// Learned embeddings in the browser: a model card (JSON) + its ONNX file,
// run with ONNX Runtime Web on the query's tensor.
//
// Fetches the card and the model with progress and caching, checks the
// model's sha256 against the card, creates the session on the WASM backend
// (threads when isolated), checks input/output names and the output size,
// runs the model once on a check input (the first run of a session is the
// slow one; better while loading than on the user's first query), then
// tries WebGPU (webgpu-backend.ts). Queries are preprocessed and L2-normalised
// by the core, so the tensor and the vector are the offline tools' own.
import { fetchBytes, bytesToText, type DownloadProgress } from './cached-fetch';
import { loadOrt, sessionOptions, type Ort, type OrtSession } from './ort-runtime';
import { fetchPinnedFile } from './pinned-file';
import { tryWebGpu, type BackendPreference, type CheckRun } from './webgpu-backend';
import type { LookalikeModule, RgbImage } from './wasm-runtime';
import type { ModelCardInfo } from '@lookalike-wasm/lookalike_wasm.mjs';

export class ModelError extends Error {}

export interface Embedding {
  vector: Float32Array;
  preprocessMs: number;
  modelMs: number;
}

export type ModelBackend = 'wasm' | 'webgpu';

/** A deterministic picture (gradients, blocks, stripes) preprocessed as the card says: the input of the backend check. */
function checkTensor(m: LookalikeModule, cardJson: string): { tensor: Float32Array; dims: number[] } {
  const width = 256,
    height = 192;
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; ++y)
    for (let x = 0; x < width; ++x) {
      const p = (y * width + x) * 3;
      pixels[p] = (x * 255) / (width - 1);
      pixels[p + 1] = (y * 255) / (height - 1);
      pixels[p + 2] = (Math.floor(x / 16) + Math.floor(y / 16)) % 2 ? 210 : 40;
      if (x > width / 2 && y > height / 3 && y < (2 * height) / 3) pixels[p] = pixels[p + 1] = 250;
    }
  const image = m.imageFromPixels(pixels, width, height, 3);
  if (!image.ok) throw new ModelError(`the check image could not be made: ${image.error}`);
  try {
    const input = m.preprocessForModel(cardJson, image.value);
    if (!input.ok) throw new ModelError(input.error);
    return { tensor: input.value.tensor, dims: input.value.dims };
  } finally {
    image.value.delete();
  }
}

export class ModelRunner {
  private constructor(
    private readonly m: LookalikeModule,
    private readonly ort: Ort,
    private readonly session: OrtSession,
    readonly card: ModelCardInfo,
    private readonly cardJson: string,
    readonly threads: number,
    readonly backend: ModelBackend,
    /** Why this backend (WebGPU's adapter and check, or why not WebGPU). */
    readonly backendNote: string,
  ) {}

  /** Loads the card at `cardUrl` (absolute) and its model; `preference`: the page's ?backend= (webgpu-backend.ts). */
  static async load(
    m: LookalikeModule,
    cardUrl: string,
    progress: (key: string, label: string, total: number | null) => DownloadProgress,
    preference: BackendPreference = 'auto',
  ): Promise<ModelRunner> {
    const cardBytes = await fetchBytes(cardUrl, { what: 'the model card', policy: 'network-first' });
    const cardJson = bytesToText(cardBytes.bytes);
    const parsed = m.parseModelCard(cardJson);
    if (!parsed.ok) throw new ModelError(`the model card ${cardUrl} is invalid: ${parsed.error}`);
    const card = parsed.value;
    const [ort, modelBytes] = await Promise.all([
      loadOrt(progress('runtime:ort', 'ONNX Runtime', null)),
      fetchPinnedFile(
        {
          url: new URL(card.file, cardUrl).href,
          what: `the model ${card.file}`,
          sha256: card.sha256,
          bytes: card.bytes,
          onProgress: progress(`model:${card.name}`, `model ${card.name}`, card.bytes || null),
        },
        (message) => new ModelError(message),
      ),
    ]);
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(modelBytes, sessionOptions('wasm'));
    } catch (error) {
      throw new ModelError(`ONNX Runtime could not load ${card.file}: ${(error as Error).message ?? String(error)}`);
    }
    if (!session.inputNames.includes(card.inputName) || !session.outputNames.includes(card.outputName)) {
      const names = `inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')}`;
      await session.release();
      throw new ModelError(
        `the card names input "${card.inputName}" and output "${card.outputName}", but the model has ${names}`,
      );
    }
    const threads = ort.env.wasm.numThreads ?? 1;

    const input = checkTensor(m, cardJson);
    const check: CheckRun = async (o, s) => {
      const t0 = performance.now();
      const results = await s.run({ [card.inputName]: new o.Tensor('float32', input.tensor, input.dims) }, [
        card.outputName,
      ]);
      const out = results[card.outputName];
      if (!out || !(out.data instanceof Float32Array))
        throw new ModelError(`the model's output "${card.outputName}" is not float32`);
      return { output: out.data, ms: performance.now() - t0 };
    };
    let reference: Float32Array;
    try {
      reference = (await check(ort, session)).output;
    } catch (error) {
      await session.release();
      if (error instanceof ModelError) throw error;
      throw new ModelError(`the model failed on a check input: ${(error as Error).message ?? String(error)}`);
    }
    if (reference.length !== card.outputDim) {
      await session.release();
      throw new ModelError(`the model gave ${reference.length} values, its card says ${card.outputDim}`);
    }
    const webgpu = await tryWebGpu(
      modelBytes,
      preference,
      check,
      { ort, session, reference },
      progress('runtime:ort-webgpu', 'ONNX Runtime (WebGPU)', null),
    );
    if (webgpu.ok) {
      await session.release();
      return new ModelRunner(m, webgpu.ort, webgpu.session, card, cardJson, threads, 'webgpu', webgpu.note);
    }
    return new ModelRunner(m, ort, session, card, cardJson, threads, 'wasm', webgpu.note);
  }

  async embed(image: RgbImage): Promise<Embedding> {
    const t0 = performance.now();
    const input = this.m.preprocessForModel(this.cardJson, image);
    if (!input.ok) throw new ModelError(input.error);
    const t1 = performance.now();
    let output: Float32Array;
    try {
      const tensor = new this.ort.Tensor('float32', input.value.tensor, input.value.dims);
      const results = await this.session.run({ [this.card.inputName]: tensor }, [this.card.outputName]);
      const out = results[this.card.outputName];
      if (!out || !(out.data instanceof Float32Array))
        throw new ModelError(`the model's output "${this.card.outputName}" is not float32`);
      output = out.data;
    } catch (error) {
      if (error instanceof ModelError) throw error;
      throw new ModelError(`the model failed on this image: ${(error as Error).message ?? String(error)}`);
    }
    const t2 = performance.now();
    if (output.length !== this.card.outputDim)
      throw new ModelError(`the model gave ${output.length} values, its card says ${this.card.outputDim}`);
    let vector = output;
    if (this.card.l2Normalize) {
      const normalised = this.m.l2Normalize(output);
      if (!normalised.ok) throw new ModelError(normalised.error);
      vector = normalised.value;
    }
    return { vector, preprocessMs: t1 - t0, modelMs: t2 - t1 };
  }
}
