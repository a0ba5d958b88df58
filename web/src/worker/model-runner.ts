// Learned embeddings in the browser: a model card (JSON) + its ONNX file,
// run with ONNX Runtime Web on the query's tensor.
//
// MODEL SEAM (models work, issue 7). What is here: fetching the card and the
// model with progress and caching, checking the model's sha256 against the
// card, creating the session on the WASM backend (threads when isolated),
// checking input/output names and the output size, preprocessing with the
// core (the same tensor as the offline tools) and L2 normalisation with the
// core. What the models work adds: WebGPU when available and verified,
// parity tests against the CLI's embeddings, latency benchmarks.
import { fetchBytes, bytesToText, type DownloadProgress } from './cached-fetch';
import { loadOrt, type Ort } from './ort-runtime';
import type { LookalikeModule, RgbImage } from './wasm-runtime';
import type { ModelCardInfo } from '@lookalike-wasm/lookalike_wasm.mjs';

export class ModelError extends Error {}

export interface Embedding {
  vector: Float32Array;
  preprocessMs: number;
  modelMs: number;
}

type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

export class ModelRunner {
  private constructor(
    private readonly m: LookalikeModule,
    private readonly ort: Ort,
    private readonly session: Session,
    readonly card: ModelCardInfo,
    private readonly cardJson: string,
    readonly threads: number,
  ) {}

  /** Loads the card at `cardUrl` (absolute) and its model. */
  static async load(m: LookalikeModule, cardUrl: string,
    progress: (key: string, label: string, total: number | null) => DownloadProgress): Promise<ModelRunner> {
    const cardBytes = await fetchBytes(cardUrl, { what: 'the model card', policy: 'network-first' });
    const cardJson = bytesToText(cardBytes.bytes);
    const parsed = m.parseModelCard(cardJson);
    if (!parsed.ok) throw new ModelError(`the model card ${cardUrl} is invalid: ${parsed.error}`);
    const card = parsed.value;
    const version = card.sha256 ? `?v=${card.sha256.slice(0, 16)}` : '';
    const modelUrl = new URL(card.file + version, cardUrl).href;
    const [ort, model] = await Promise.all([
      loadOrt(progress('runtime:ort', 'ONNX Runtime', null)),
      fetchBytes(modelUrl, {
        what: `the model ${card.file}`, policy: 'cache-first', expectedBytes: card.bytes || null,
        onProgress: progress(`model:${card.name}`, `model ${card.name}`, card.bytes || null),
      }),
    ]);
    if (card.sha256) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', model.bytes.slice().buffer));
      const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
      if (hex !== card.sha256) {
        if (model.fromCache) await caches.open('lookalike-data-v1').then((c) => c.delete(modelUrl)).catch(() => undefined);
        throw new ModelError(`the model ${card.file} is damaged or not the one the card names (sha256 ${hex.slice(0, 12)}…, expected ${card.sha256.slice(0, 12)}…)`);
      }
    }
    let session: Session;
    try {
      session = await ort.InferenceSession.create(model.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    } catch (error) {
      throw new ModelError(`ONNX Runtime could not load ${card.file}: ${(error as Error).message ?? String(error)}`);
    }
    if (!session.inputNames.includes(card.inputName) || !session.outputNames.includes(card.outputName)) {
      const names = `inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')}`;
      await session.release();
      throw new ModelError(`the card names input "${card.inputName}" and output "${card.outputName}", but the model has ${names}`);
    }
    return new ModelRunner(m, ort, session, card, cardJson, ort.env.wasm.numThreads ?? 1);
  }

  async embed(image: RgbImage): Promise<Embedding> {
    const t0 = performance.now();
    const input = this.m.preprocessForModel(this.cardJson, image);
    if (!input.ok) throw new ModelError(input.error);
    const t1 = performance.now();
    let output: Float32Array;
    try {
      const tensor = new this.ort.Tensor('float32', input.value.tensor, input.value.dims);
      const results = await this.session.run({ [this.card.inputName]: tensor });
      const out = results[this.card.outputName];
      if (!out || !(out.data instanceof Float32Array)) throw new ModelError(`the model's output "${this.card.outputName}" is not float32`);
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
