// TypeScript types of the lookalike WebAssembly module (lookalike_wasm.mjs).
//
// Every entry point answers with a Result: `{ok: true, value}` or
// `{ok: false, kind, error}` where `error` is a complete, user-facing message.
// Bad data (corrupt image bytes, an unknown feature, a wrong dimension) never
// aborts the module. Only programming errors (a wrong argument count, passing
// a deleted handle) throw, as JavaScript Errors with a message.
//
// RgbImage, SearchIndex and ClipTokenizer are handles to memory inside the module: call
// `.delete()` when done with them.

export type ErrorKind = 'invalid-argument' | 'unsupported' | 'corrupt' | 'too-large' | 'io' | 'internal';

export type Result<T> = { ok: true; value: T } | { ok: false; kind: ErrorKind; error: string };

/** Lower-case format names; the core decodes jpeg, png, bmp, gif and tga. */
export type ImageFormatName = 'jpeg' | 'png' | 'bmp' | 'gif' | 'tga' | 'webp' | 'avif' | 'heic' | 'tiff' | 'unknown';

export type MetricName = 'l1' | 'l2' | 'cosine' | 'correlation';

/** Bytes as an ArrayBuffer or any typed array / DataView over one. */
export type ByteSource = ArrayBuffer | ArrayBufferView;

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** A copy of the pixels, width·height·3 bytes, row-major RGB. */
  rgb(): Uint8Array;
  /** A copy as RGBA with alpha 255 (ready for `new ImageData`). */
  rgba(): Uint8Array;
  delete(): void;
}

/**
 * The least of a query image a feature or model needs (featureInfo(spec).decodeNeed,
 * parseModelCard(json).decodeNeed): decodeImage may reduce a large photo as long as its
 * shorter and longer sides stay at least these. {0, 0}: the full image.
 */
export interface DecodeNeed {
  shorterSide: number;
  longerSide: number;
}

export interface DecodeOptions {
  /** Apply the EXIF Orientation tag (default true). */
  applyExifOrientation?: boolean;
  /** Refuse images whose header declares more pixels (default 64 000 000). */
  maxPixels?: number;
  /** Also return a copy of the pixels (default 'none'). */
  pixels?: 'none' | 'rgb' | 'rgba';
  /** Decode reduced, as the CLI does for the feature or model this need comes from (default: full size). */
  need?: DecodeNeed;
}

export interface DecodedImage {
  /** The upright image, alpha composited onto white. */
  image: RgbImage;
  width: number;
  height: number;
  format: ImageFormatName;
  /** The EXIF orientation found (1 when none). */
  orientation: number;
  /** The file's size, before orientation and reduction. */
  storedWidth: number;
  storedHeight: number;
  hadAlpha: boolean;
  /** The image is the file's reduced by this factor (1: full size), each side ceil(side / reduction). */
  reduction: number;
  /** Of the reduction, the JPEG decoder's DCT scale (1, 2, 4 or 8); the rest is an area filter. */
  jpegScale: number;
  /** Present when options.pixels was 'rgb' or 'rgba'. */
  pixels?: Uint8Array;
  channels?: 3 | 4;
}

export interface FeatureInfo {
  /** Canonical spec, every parameter spelled out: "colour:bins=8x4x4". */
  spec: string;
  name: string;
  version: number;
  dim: number;
  /** File-name-safe form used in bundle names: "colour". */
  slug: string;
  /** What the feature needs of the decoded image (decodeImage's options.need). */
  decodeNeed: DecodeNeed;
}

export interface ComputedFeature extends FeatureInfo {
  vector: Float32Array;
}

export interface ModelCardInfo {
  name: string;
  description: string;
  /** "model:<name>", the spec bundles of this model's embeddings record. */
  featureSpec: string;
  /** The ONNX file, relative to the card's folder. */
  file: string;
  url: string;
  sha256: string;
  bytes: number;
  inputName: string;
  outputName: string;
  outputDim: number;
  l2Normalize: boolean;
  /** [1, 3, height, width] */
  dims: [number, number, number, number];
  /** What the card's preprocessing needs of the decoded image (decodeImage's options.need). */
  decodeNeed: DecodeNeed;
}

export interface ModelInput {
  /** NCHW float32, 3·height·width values. */
  tensor: Float32Array;
  dims: [number, number, number, number];
  inputName: string;
}

export interface TokenizedText {
  /** <|startoftext|>, the text's tokens, <|endoftext|>; at most the context length. */
  ids: Int32Array;
  /** The text's tokens did not fit: cut, the last id set to <|endoftext|>. */
  truncated: boolean;
}

/** CLIP's tokenizer (the core's: the same ids as `lookalike tokenize`). */
export interface ClipTokenizer {
  /** Cleans, pre-tokenizes and BPE-encodes the text; `contextLength` 2 to 4096 (default 77). */
  tokenize(text: string, contextLength?: number): Result<TokenizedText>;
  vocabularySize(): number;
  startOfText(): number;
  endOfText(): number;
  delete(): void;
}

export interface ClipTokenizerStatic {
  /**
   * A vocabulary file's bytes, decompressed (gunzip a .gz first): OpenAI's
   * bpe_simple_vocab_16e6.txt, Hugging Face's tokenizer.json, or a merges.txt.
   */
  load(vocabulary: ByteSource): Result<ClipTokenizer>;
}

/** A text tower's card (core/include/lookalike/model/text_model_card.h). */
export interface TextModelCardInfo {
  name: string;
  description: string;
  /** The image card whose embedding space this tower shares. */
  pairsWith: string;
  /** "model:<pairsWith>": the feature whose bundles its embeddings search. */
  featureSpec: string;
  /** The ONNX file, relative to the card's folder. */
  file: string;
  url: string;
  sha256: string;
  bytes: number;
  /** Texts per inference call at most (0: any). */
  maxBatch: number;
  /** The vocabulary file, relative to the card's folder (gzip'd or not). */
  tokenizerFile: string;
  tokenizerSha256: string;
  tokenizerBytes: number;
  contextLength: number;
  idsName: string;
  /** The attention mask input, or "" when the model takes none. */
  maskName: string;
  idsType: 'int64' | 'int32';
  padding: 'none' | 'context';
  padId: number;
  outputName: string;
  outputDim: number;
  l2Normalize: boolean;
}

export interface TextModelInput {
  /** The ids padded as the card says; dims[1] values. */
  ids: Int32Array;
  /** 1 for a token, 0 for padding. */
  mask: Int32Array;
  dims: [number, number];
}

export type IndexKind = 'flat' | 'hnsw' | 'partitioned';
export type ElementType = 'float32' | 'int8';

export interface HnswInfo {
  /** Links per node per layer (2·m on the bottom layer). */
  m: number;
  efConstruction: number;
  /** The candidate list a search uses when SearchOptions.ef is absent or 0. */
  efSearch: number;
}

export interface IndexInfo {
  featureSpec: string;
  /** The version of the feature extractor that made the vectors (from the bundle). */
  featureVersion: number;
  metric: MetricName;
  dim: number;
  /** Live items (removed ones are not counted and never returned). */
  count: number;
  kind: IndexKind;
  element: ElementType;
  /** Scores come from float32 vectors (float32 elements, or int8 with float copies kept). */
  floatVectors: boolean;
  /** HNSW parameters; null for a flat index. */
  hnsw: HnswInfo | null;
}

export interface SearchOptions {
  /** How many results (default 10, at most 100 000). */
  k?: number;
  /** HNSW candidate list (0 or absent: the bundle's efSearch; raised to k when smaller). Ignored by flat indexes. */
  ef?: number;
  /** Only items whose label (as given to setLabels) is this; absent or -1: all. */
  label?: number;
}

export interface SearchHits {
  ids: Uint32Array;
  /** The metric's natural values: distances ascending, similarities descending. */
  scores: Float32Array;
}

export interface SearchIndex {
  info(): IndexInfo;
  /** The live ids, ascending. */
  ids(): Result<Uint32Array>;
  /** Item labels for label filters: positions in the collection's label list, -1 for none. */
  setLabels(ids: Uint32Array | number[], labels: Int32Array | number[]): Result<null>;
  search(query: Float32Array | number[], options?: SearchOptions): Result<SearchHits>;
  /**
   * "More like this": searches with the stored vector of an item and leaves
   * that item out of the k results (as `lookalike query --item` does).
   */
  searchById(id: number, options?: SearchOptions): Result<SearchHits>;
  /** The vector scores are computed on: prepared for the metric (normalised for cosine and correlation), dequantised for int8. */
  storedVector(id: number): Result<Float32Array>;
  delete(): void;
}

export interface SearchIndexStatic {
  /**
   * Reads an index bundle (.lkx, docs/FORMAT.md), flat or HNSW, float32 or
   * int8. Everything is validated first: a truncated, corrupt or newer bundle
   * gives an error result ('corrupt' or 'unsupported') with a precise message.
   */
  load(bundle: ByteSource): Result<SearchIndex>;
}

export interface PartitionedInfo {
  featureSpec: string;
  featureVersion: number;
  metric: MetricName;
  dim: number;
  count: number;
  kind: 'partitioned';
  element: 'int8';
  /** Inverted lists, and the data files <stem>.0000.bin … beside the header <stem>.lkp. */
  lists: number;
  dataFiles: number;
  defaultNprobe: number;
  defaultRerank: number;
  headerBytes: number;
}

/** Where a list's bytes are: one Range request, bytes offset … offset + bytes − 1 of data file `file`. */
export interface ListRange {
  file: number;
  offset: number;
  bytes: number;
  count: number;
}

export interface PartitionedSearchOptions {
  k?: number;
  /** Lists probed (0 or absent: the index's default). */
  nprobe?: number;
  /** Candidates scored with the metric's exact value (0 or absent: the index's default). */
  rerank?: number;
  label?: number;
  /** An item id left out of the results ("more like this"). */
  exclude?: number;
}

export interface PartitionedHits extends SearchHits {
  /** The list each hit came from (for storedVector). */
  lists: Uint32Array;
}

export interface PartitionedQuery {
  /** Scores the wanted lists that are cached; returns those still to be fetched and added. */
  advance(): Result<Uint32Array>;
  done(): boolean;
  hits(): Result<PartitionedHits>;
  stats(): { listsScored: number; itemsScored: number };
  delete(): void;
}

export interface PartitionedIndex {
  info(): PartitionedInfo;
  listRange(list: number): Result<ListRange>;
  /** Validates the bytes against the header (length, checksum, contents) and caches the list. */
  addList(list: number, bytes: ByteSource): Result<null>;
  hasList(list: number): boolean;
  /** The list memory the module may hold (default 128 MiB); least recently used lists go first. */
  setCacheBudget(bytes: number): Result<null>;
  cacheInfo(): { bytes: number; lists: number; budget: number };
  setLabels(ids: Uint32Array | number[], labels: Int32Array | number[]): Result<null>;
  startSearch(query: Float32Array | number[], options?: PartitionedSearchOptions): Result<PartitionedQuery>;
  /** An item's stored vector (dequantised, prepared for the metric); its list must be cached. */
  storedVector(id: number, list: number): Result<Float32Array>;
  delete(): void;
}

export interface PartitionedIndexStatic {
  /** Reads a partitioned index header (.lkp, docs/FORMAT.md); every byte validated. */
  load(header: ByteSource): Result<PartitionedIndex>;
}

export interface BuildInfo {
  version: string;
  /** The index bundle format version SearchIndex.load reads. */
  bundleVersion: number;
  /** The metric kernel set in use ("simd128"). */
  kernels: string;
  features: string[];
  metrics: MetricName[];
  coreFormats: ImageFormatName[];
}

export interface LookalikeModule {
  buildInfo(): BuildInfo;

  sniffFormat(bytes: ByteSource): Result<{ format: ImageFormatName; coreDecodes: boolean }>;
  decodeImage(bytes: ByteSource, options?: DecodeOptions): Result<DecodedImage>;
  /** Wraps pixels decoded elsewhere; 4 channels (straight alpha) are composited onto white. */
  imageFromPixels(pixels: ByteSource, width: number, height: number, channels: 3 | 4): Result<RgbImage>;

  featureNames(): string[];
  featureInfo(spec: string): Result<FeatureInfo>;
  computeFeature(spec: string, image: RgbImage): Result<ComputedFeature>;

  parseModelCard(json: string): Result<ModelCardInfo>;
  preprocessForModel(cardJson: string, image: RgbImage): Result<ModelInput>;
  l2Normalize(vector: Float32Array | number[]): Result<Float32Array>;

  parseTextModelCard(json: string): Result<TextModelCardInfo>;
  /** One text's model input: its framed ids (ClipTokenizer.tokenize) padded as the card says. */
  textModelInput(cardJson: string, ids: Int32Array | number[]): Result<TextModelInput>;
  ClipTokenizer: ClipTokenizerStatic;

  metricNames(): MetricName[];
  metricValue(metric: string, a: Float32Array | number[], b: Float32Array | number[]): Result<number>;

  SearchIndex: SearchIndexStatic;
  PartitionedIndex: PartitionedIndexStatic;
}

export interface ModuleOptions {
  /** The .wasm bytes. Required in Node; the page passes the bytes it downloaded (with progress). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to find lookalike_wasm.wasm when wasmBinary is not given (browsers only). */
  locateFile?: (path: string, prefix: string) => string;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}

declare function createLookalikeModule(options?: ModuleOptions): Promise<LookalikeModule>;
export default createLookalikeModule;
