// Text queries in the browser: a text tower's card (fetched with the
// collection), its vocabulary and its ONNX file, run with ONNX Runtime Web.
//
// Loaded only when the visitor starts typing: the vocabulary (gunzipped with
// the browser's DecompressionStream, as the CLI gunzips it with zlib, so the
// core's tokenizer reads the same bytes) and the model are downloaded with
// progress through the data cache and checked against the card's sha256.
// The session runs on the WASM backend (threads when isolated) and once on a
// check text while loading, as the image model does. Tokenizing, padding and
// normalising are the core's (the WASM module), so a text gives the ids and
// vector `lookalike query --text` gives it.
import type { ClipTokenizer, TextModelCardInfo } from '@lookalike-wasm/lookalike_wasm.mjs';
import type { DownloadProgress } from './cached-fetch';
import { ModelError } from './model-runner';
import { loadOrt, sessionOptions, type Ort, type OrtSession } from './ort-runtime';
import { fetchPinnedFile } from './pinned-file';
import type { LookalikeModule } from './wasm-runtime';

export interface TextEmbedding {
  vector: Float32Array;
  ids: Int32Array;
  tokenizeMs: number;
  modelMs: number;
}

const CHECK_TEXT = 'a photo of a dog';

/** The bytes a vocabulary file holds: gunzipped when they are gzip (the page's one gunzip, the CLI's is zlib). */
async function gunzipped(bytes: Uint8Array, what: string): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new ModelError(`${what} could not be decompressed: ${(error as Error).message ?? String(error)}`);
  }
}

export class TextModelRunner {
  private constructor(
    private readonly m: LookalikeModule,
    private readonly ort: Ort,
    private readonly session: OrtSession,
    private readonly tokenizer: ClipTokenizer,
    readonly card: TextModelCardInfo,
    private readonly cardJson: string,
    readonly threads: number,
  ) {}

  /** Loads the tower of `card` (its JSON `cardJson`, found at the absolute `cardUrl`). */
  static async load(
    m: LookalikeModule,
    cardUrl: string,
    cardJson: string,
    card: TextModelCardInfo,
    progress: (key: string, label: string, total: number | null) => DownloadProgress,
  ): Promise<TextModelRunner> {
    const fail = (message: string) => new ModelError(message);
    const [ort, vocabulary, modelBytes] = await Promise.all([
      loadOrt(progress('runtime:ort', 'ONNX Runtime', null)),
      fetchPinnedFile(
        {
          url: new URL(card.tokenizerFile, cardUrl).href,
          what: `the vocabulary ${card.tokenizerFile}`,
          sha256: card.tokenizerSha256,
          bytes: card.tokenizerBytes,
          onProgress: progress(
            `model:${card.name}:vocabulary`,
            `vocabulary of ${card.name}`,
            card.tokenizerBytes || null,
          ),
        },
        fail,
      ),
      fetchPinnedFile(
        {
          url: new URL(card.file, cardUrl).href,
          what: `the text model ${card.file}`,
          sha256: card.sha256,
          bytes: card.bytes,
          onProgress: progress(`model:${card.name}`, `text model ${card.name}`, card.bytes || null),
        },
        fail,
      ),
    ]);
    const loaded = m.ClipTokenizer.load(await gunzipped(vocabulary, `the vocabulary ${card.tokenizerFile}`));
    if (!loaded.ok) throw new ModelError(`the vocabulary ${card.tokenizerFile} cannot be read: ${loaded.error}`);
    const tokenizer = loaded.value;
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(modelBytes, sessionOptions('wasm'));
    } catch (error) {
      tokenizer.delete();
      throw new ModelError(`ONNX Runtime could not load ${card.file}: ${(error as Error).message ?? String(error)}`);
    }
    const runner = new TextModelRunner(m, ort, session, tokenizer, card, cardJson, ort.env.wasm.numThreads ?? 1);
    try {
      runner.checkNames();
      // The first run of a session is the slow one: better now than on the visitor's first query.
      const check = await runner.embed(CHECK_TEXT);
      if (check.vector.length !== card.outputDim)
        throw new ModelError(`the text model gave ${check.vector.length} values, its card says ${card.outputDim}`);
    } catch (error) {
      await runner.release();
      throw error;
    }
    return runner;
  }

  async embed(text: string): Promise<TextEmbedding> {
    const t0 = performance.now();
    const tokenized = this.tokenizer.tokenize(text, this.card.contextLength);
    if (!tokenized.ok) throw new ModelError(`this text cannot be tokenized: ${tokenized.error}`);
    const input = this.m.textModelInput(this.cardJson, tokenized.value.ids);
    if (!input.ok) throw new ModelError(input.error);
    const t1 = performance.now();
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {
      [this.card.idsName]: this.tensor(input.value.ids, input.value.dims),
    };
    if (this.card.maskName) feeds[this.card.maskName] = this.tensor(input.value.mask, input.value.dims);
    let output: Float32Array;
    try {
      const results = await this.session.run(feeds, [this.card.outputName]);
      const out = results[this.card.outputName];
      if (!out || !(out.data instanceof Float32Array))
        throw new ModelError(`the text model's output "${this.card.outputName}" is not float32`);
      output = out.data;
    } catch (error) {
      if (error instanceof ModelError) throw error;
      throw new ModelError(`the text model failed on this text: ${(error as Error).message ?? String(error)}`);
    }
    const t2 = performance.now();
    if (output.length !== this.card.outputDim)
      throw new ModelError(`the text model gave ${output.length} values, its card says ${this.card.outputDim}`);
    let vector = output;
    if (this.card.l2Normalize) {
      const normalised = this.m.l2Normalize(output);
      if (!normalised.ok) throw new ModelError(normalised.error);
      vector = normalised.value;
    }
    return { vector, ids: tokenized.value.ids, tokenizeMs: t1 - t0, modelMs: t2 - t1 };
  }

  async release(): Promise<void> {
    this.tokenizer.delete();
    await this.session.release();
  }

  private tensor(values: Int32Array, dims: [number, number]) {
    return this.card.idsType === 'int32'
      ? new this.ort.Tensor('int32', values, dims)
      : new this.ort.Tensor(
          'int64',
          BigInt64Array.from(values, (v) => BigInt(v)),
          dims,
        );
  }

  private checkNames(): void {
    const { idsName, maskName, outputName } = this.card;
    const fed = [idsName, maskName].filter(Boolean);
    const missing = fed.filter((n) => !this.session.inputNames.includes(n));
    const unfed = this.session.inputNames.filter((n) => !fed.includes(n));
    if (missing.length || unfed.length || !this.session.outputNames.includes(outputName))
      throw new ModelError(
        `the card names input${maskName ? 's' : ''} ${fed.join(', ')} and output "${outputName}", ` +
          `but the text model has inputs ${this.session.inputNames.join(', ')}; outputs ${this.session.outputNames.join(', ')}`,
      );
  }
}
