// The page's one worker: hosts the WASM module and ONNX Runtime Web, owns
// every download, decode, feature, model run and search, and answers the
// UI thread with the messages of shared/protocol.ts.
/// <reference lib="webworker" />
import type {
  BackendPreference,
  ErrorStage,
  Event,
  Hit,
  ProgressEvent,
  QueryDescription,
  Request,
  ResourceKind,
  RuntimeInfo,
  SearchIndexInfo,
  SearchSettings,
  Timings,
} from '../shared/protocol';
import { parseCollectionsIndex, parseSidecar, SidecarError } from '../shared/sidecar';
import { isModelSpec } from '../shared/feature-titles';
import { bytesToText, DownloadError, fetchBytes } from './cached-fetch';
import { CollectionSession } from './collection-session';
import { IndexError, IndexStore } from './index-store';
import { ModelError } from './model-runner';
import type { TextModelRunner } from './text-model-runner';
import { plannedOrtThreads } from './ort-runtime';
import { QueryError, QueryImage, type DecodedQuery } from './query-image';
import { fetchRemoteImage, parseQueryUrl } from './remote-image';
import { loadLookalikeModule, type LookalikeModule } from './wasm-runtime';
import { warmUp } from './warm-up';

declare const self: DedicatedWorkerGlobalScope;

const MAX_K = 200;

type CurrentQuery =
  | { kind: 'image'; image: QueryImage; name: string; vectors: Map<string, Float32Array> }
  | { kind: 'text'; text: string; ids: Int32Array | null; vectors: Map<string, Float32Array> }
  | { kind: 'item'; itemId: number; name: string }
  | { kind: 'vector'; vector: Float32Array; feature: string; name: string };

class StageError extends Error {
  constructor(
    readonly stage: ErrorStage,
    message: string,
  ) {
    super(message);
  }
}

let m: LookalikeModule | null = null;
let siteUrl = '';
let session: CollectionSession | null = null;
let current: CurrentQuery | null = null;
let backendPreference: BackendPreference = 'auto';
let listBudgetMB: number | undefined;
/** ONNX Runtime Web once a model has loaded: its backend, why, and thread count. */
let ortRuntime: { backend: 'wasm' | 'webgpu'; note: string; threads: number } | null = null;

function post(event: Event): void {
  self.postMessage(event);
}

function resourceOf(key: string): ResourceKind {
  const prefix = key.split(':')[0];
  return (['wasm', 'collection', 'index', 'model', 'runtime', 'query'] as const).find((r) => r === prefix) ?? 'index';
}

function progress(key: string, label: string, expected: number | null) {
  return (loaded: number, total: number | null, fromCache: boolean, done: boolean): void => {
    const event: ProgressEvent = {
      type: 'progress',
      key,
      resource: resourceOf(key),
      label,
      loaded,
      total: total ?? expected,
      fromCache,
      done,
    };
    post(event);
  };
}

function runtimeInfo(): RuntimeInfo {
  const info = m?.buildInfo();
  return {
    wasmVersion: info?.version ?? '',
    kernels: info?.kernels ?? '',
    bundleVersion: info?.bundleVersion ?? 0,
    coreFormats: info?.coreFormats ?? [],
    crossOriginIsolated: self.crossOriginIsolated,
    ortThreads: ortRuntime?.threads ?? plannedOrtThreads(),
    ortLoaded: ortRuntime !== null,
    ortBackend: ortRuntime?.backend ?? null,
    ortBackendNote: ortRuntime?.note ?? null,
  };
}

function stageOf(error: unknown, fallback: ErrorStage): ErrorStage {
  if (error instanceof StageError) return error.stage;
  if (error instanceof QueryError) return error.stage;
  if (error instanceof DownloadError) return 'download';
  if (error instanceof IndexError) return 'index';
  if (error instanceof ModelError) return 'model';
  if (error instanceof SidecarError) return 'collection';
  return fallback;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---- initialisation --------------------------------------------------------

/** The documents that describe a collection: the site's list of collections and the collection's sidecar. */
interface CollectionDocuments {
  index: ReturnType<typeof parseCollectionsIndex>;
  sidecar: ReturnType<typeof parseSidecar>;
  sidecarUrl: string;
}

/**
 * Fetches a collection's documents (no WebAssembly needed, so the page starts
 * this while the module loads) and starts downloading the index it opens with.
 */
async function fetchCollectionDocuments(name: string | undefined): Promise<CollectionDocuments> {
  const indexUrl = new URL('index/collections.json', siteUrl).href;
  let indexText: string;
  try {
    indexText = bytesToText(
      (
        await fetchBytes(indexUrl, {
          what: 'the list of collections',
          policy: 'network-first',
          onProgress: progress('collection:index', 'collections', null),
        })
      ).bytes,
    );
  } catch (error) {
    if (/HTTP 404/.test(message(error)))
      throw new StageError(
        'collection',
        'this site has no collection yet (index/collections.json is missing). ' +
          'Build one with `lookalike index` and assemble the site with scripts/build-site.sh.',
      );
    throw error;
  }
  const index = parseCollectionsIndex(indexText);
  const ref = index.collections.find((c) => c.name === (name ?? index.defaultName));
  if (!ref) throw new StageError('collection', `there is no collection "${name}" on this site`);
  const sidecarUrl = new URL(`index/${ref.file}`, siteUrl).href;
  const sidecarBytes = await fetchBytes(sidecarUrl, {
    what: `the collection ${ref.name}`,
    policy: 'network-first',
    onProgress: progress(`collection:${ref.name}`, `collection ${ref.title}`, null),
  });
  const sidecar = parseSidecar(bytesToText(sidecarBytes.bytes), `index/${ref.file}`);
  IndexStore.prefetchDefault(sidecar, sidecarUrl, progress);
  return { index, sidecar, sidecarUrl };
}

async function openCollection(name: string | undefined, documents?: Promise<CollectionDocuments>): Promise<void> {
  if (!m) throw new StageError('collection', 'the WebAssembly module is not loaded');
  const { index, sidecar, sidecarUrl } = await (documents ?? fetchCollectionDocuments(name));

  session?.dispose();
  // An image query carries over to the new collection (its features are
  // per spec); an item of the old collection does not, nor a text (the new
  // collection may have no text tower).
  if (current?.kind === 'item' || current?.kind === 'text') releaseQuery();
  session = new CollectionSession(m, siteUrl, index, sidecar, sidecarUrl, progress, backendPreference, listBudgetMB);
  await session.readModelCards();
  await session.readTextCards();

  // Load what the default settings need before saying "ready", so the first
  // query is fast. A model that cannot load is offered as unavailable (with
  // the reason) and the next best feature becomes the default; any failure
  // is reported and leaves the page usable.
  let summary = session.summary();
  for (let attempt = 0; attempt < 2 && summary.defaultFeature; ++attempt) {
    const feature = summary.defaultFeature;
    const loads: Promise<unknown>[] = [session.store.get(feature, summary.defaultMetric)];
    if (isModelSpec(feature))
      loads.push(
        session
          .model(feature)
          .then((runner) => {
            ortRuntime = { backend: runner.backend, note: runner.backendNote, threads: runner.threads };
          })
          .catch((error: unknown) => {
            session?.markUnavailable(feature, `the model could not be loaded: ${message(error)}`);
            throw error;
          }),
      );
    const results = await Promise.allSettled(loads);
    for (const r of results)
      if (r.status === 'rejected')
        post({ type: 'error', requestId: null, stage: stageOf(r.reason, 'index'), message: message(r.reason) });
    const next = session.summary();
    if (next.defaultFeature === feature) break;
    summary = next;
  }
  // The facts line describes the default index as loaded (its HNSW parameters are in the bundle only).
  let defaultIndex: SearchIndexInfo | null = null;
  if (summary.defaultFeature && session.store.isLoaded(summary.defaultFeature, summary.defaultMetric)) {
    defaultIndex = await session.store.get(summary.defaultFeature, summary.defaultMetric).then(
      ({ index }) => index.view(),
      () => null,
    );
  }
  post({ type: 'ready', collection: summary, runtime: runtimeInfo(), index: defaultIndex });
  const opened = session;
  void warmUp(
    m,
    summary.features.map((f) => f.spec),
    (spec, vector) => {
      // A search on an index that is already loaded (never a download).
      if (!opened.store.isLoaded(spec, summary.defaultMetric)) return;
      opened.store.get(spec, summary.defaultMetric).then(
        ({ index }) => {
          // Never a download: a partitioned index is warmed only with the lists it holds.
          if (index.view().kind === 'partitioned') return;
          try {
            void index.search(vector, { k: 10 }).catch(() => undefined);
          } catch {
            // the collection was closed meanwhile
          }
        },
        () => undefined,
      );
    },
  );
}

async function init(
  url: string,
  collection: string | undefined,
  backend: BackendPreference | undefined,
  budgetMB: number | undefined,
): Promise<void> {
  siteUrl = url;
  backendPreference = backend ?? 'auto';
  listBudgetMB = budgetMB;
  // The collection's documents and its first index download while the module loads.
  const documents = fetchCollectionDocuments(collection);
  documents.catch(() => undefined); // reported below, once the module is there
  try {
    m = await loadLookalikeModule(progress('wasm:module', 'WebAssembly module', null));
  } catch (error) {
    post({ type: 'fatal', message: `The search engine could not start: ${message(error)}` });
    return;
  }
  post({ type: 'runtime', runtime: runtimeInfo() });
  try {
    await openCollection(collection, documents);
  } catch (error) {
    post({ type: 'fatal', message: message(error) });
  }
}

// ---- queries ---------------------------------------------------------------

function releaseQuery(): void {
  if (current?.kind === 'image') current.image.delete();
  current = null;
}

function requireSession(): CollectionSession {
  if (!session) throw new StageError('collection', 'no collection is open yet');
  return session;
}

function checkSettings(s: CollectionSession, settings: SearchSettings): void {
  const entry = s.store.entry(settings.feature, settings.metric);
  if (!entry)
    throw new StageError('input', `this collection has no index for ${settings.feature} with ${settings.metric}`);
  if (!Number.isInteger(settings.k) || settings.k < 1 || settings.k > MAX_K)
    throw new StageError('input', `k must be a whole number from 1 to ${MAX_K}`);
  s.labelIndex(settings.label);
}

/** The query image decoded for `feature` (now, its time in `timings`, or earlier). */
async function decodedFor(
  s: CollectionSession,
  query: Extract<CurrentQuery, { kind: 'image' }>,
  feature: string,
  timings: Timings,
): Promise<DecodedQuery> {
  let need;
  try {
    need = s.decodeNeed(feature);
  } catch (error) {
    throw new StageError('feature', message(error));
  }
  const { decoded, ms } = await query.image.decode(need);
  if (ms !== null) timings.decode = ms;
  return decoded;
}

async function queryVector(
  s: CollectionSession,
  query: Extract<CurrentQuery, { kind: 'image' }>,
  feature: string,
  timings: Timings,
): Promise<{ vector: Float32Array; decoded: DecodedQuery }> {
  const decoded = await decodedFor(s, query, feature, timings);
  const cached = query.vectors.get(feature);
  if (cached) return { vector: cached, decoded };
  let vector: Float32Array;
  if (isModelSpec(feature)) {
    const runner = await s.model(feature).catch((error: unknown) => {
      throw new StageError('model', message(error));
    });
    noteOrtRuntime({ backend: runner.backend, note: runner.backendNote, threads: runner.threads });
    const embedding = await runner.embed(decoded.image);
    timings.preprocess = embedding.preprocessMs;
    timings.model = embedding.modelMs;
    vector = embedding.vector;
  } else {
    const t0 = performance.now();
    const feature_ = m!.computeFeature(feature, decoded.image);
    if (!feature_.ok) throw new StageError('feature', feature_.error);
    timings.preprocess = performance.now() - t0;
    vector = feature_.value.vector;
  }
  query.vectors.set(feature, vector);
  return { vector, decoded };
}

/** Says once, when it changes, what ONNX Runtime runs on (a runtime event re-renders the page's facts). */
function noteOrtRuntime(runtime: { backend: 'wasm' | 'webgpu'; note: string; threads: number }): void {
  if (
    ortRuntime?.backend === runtime.backend &&
    ortRuntime.note === runtime.note &&
    ortRuntime.threads === runtime.threads
  )
    return;
  ortRuntime = runtime;
  post({ type: 'runtime', runtime: runtimeInfo() });
}

/** The text tower the page was last told is ready (so it is told once). */
let announcedTextModel: TextModelRunner | null = null;

/** The text tower, loading it on first use (its downloads show as progress); says when it is ready or failed. */
async function textModel(s: CollectionSession): Promise<TextModelRunner> {
  const loading = s.textModel();
  let settled = false;
  void loading.then(
    () => (settled = true),
    () => (settled = true),
  );
  await Promise.resolve();
  if (!settled) post({ type: 'text-model', state: 'loading', message: null });
  try {
    const runner = await loading;
    if (runner !== announcedTextModel) post({ type: 'text-model', state: 'ready', message: null });
    announcedTextModel = runner;
    // The image model's backend stays what the facts describe once it is loaded.
    if (!ortRuntime)
      noteOrtRuntime({ backend: 'wasm', note: `text model ${runner.card.name}`, threads: runner.threads });
    return runner;
  } catch (error) {
    post({ type: 'text-model', state: 'failed', message: message(error) });
    throw new StageError('model', `the text model could not be loaded: ${message(error)}`);
  }
}

async function textQueryVector(
  s: CollectionSession,
  query: Extract<CurrentQuery, { kind: 'text' }>,
  feature: string,
  timings: Timings,
): Promise<Float32Array> {
  const text = s.textSearch();
  if (!text || feature !== text.feature)
    throw new StageError(
      'input',
      text
        ? `a text query searches ${text.feature} (the model that reads text); ${feature} describes images only: choose it, or search with an image`
        : 'this collection has no text tower: search with an image',
    );
  const cached = query.vectors.get(feature);
  if (cached) return cached;
  const runner = await textModel(s);
  const embedding = await runner.embed(query.text);
  timings.tokenize = embedding.tokenizeMs;
  timings.model = embedding.modelMs;
  query.ids = embedding.ids;
  query.vectors.set(feature, embedding.vector);
  return embedding.vector;
}

/** The query's vector for `feature` (an image's, a text's, or one given) and, for an image, how it was decoded; null for "more like this". */
async function vectorOf(
  s: CollectionSession,
  query: CurrentQuery,
  feature: string,
  timings: Timings,
): Promise<{ vector: Float32Array; decoded: DecodedQuery | null } | null> {
  if (query.kind === 'image') return queryVector(s, query, feature, timings);
  if (query.kind === 'text') return { vector: await textQueryVector(s, query, feature, timings), decoded: null };
  if (query.kind === 'vector') {
    if (query.feature !== feature)
      throw new StageError('input', `the query vector is a ${query.feature} vector, not ${feature}`);
    return { vector: query.vector, decoded: null };
  }
  return null;
}

/** What the result says of the query; notes about an image's decoding go to `notes`. */
async function describe(
  s: CollectionSession,
  query: CurrentQuery,
  decoded: DecodedQuery | null,
  notes: string[],
): Promise<QueryDescription> {
  const none = {
    width: null,
    height: null,
    decodedWidth: null,
    decodedHeight: null,
    reduction: null,
    format: null,
    decodedBy: null,
    orientation: null,
    item: null,
    tokens: null,
  };
  if (query.kind === 'item') return { ...none, kind: 'item', name: query.name, item: await s.item(query.itemId) };
  if (query.kind === 'text') return { ...none, kind: 'text', name: query.text, tokens: query.ids?.length ?? null };
  if (query.kind === 'vector') return { ...none, kind: 'vector', name: query.name };
  const d = decoded!;
  if (d.decodedBy === 'browser')
    notes.push(
      `${d.format.toUpperCase()} is decoded by the browser, not by the core decoder the offline tools use: results may differ slightly from theirs`,
    );
  if (d.orientation !== null && d.orientation !== 1) notes.push(`turned upright (EXIF orientation ${d.orientation})`);
  return {
    ...none,
    kind: 'image',
    name: query.name,
    width: d.width,
    height: d.height,
    decodedWidth: d.decodedWidth,
    decodedHeight: d.decodedHeight,
    reduction: d.reduction,
    format: d.format,
    decodedBy: d.decodedBy,
    orientation: d.orientation,
  };
}

async function run(requestId: number, settings: SearchSettings, started: number, timings: Timings): Promise<void> {
  const s = requireSession();
  const query = current;
  if (!query) throw new StageError('input', 'there is no query yet: choose an image or type a text first');
  checkSettings(s, settings);
  const notes: string[] = [];
  const options = { k: settings.k, label: s.labelIndex(settings.label) };

  const loadStarted = performance.now();
  const wasLoaded = s.store.isLoaded(settings.feature, settings.metric);
  // The query's vector and the index (downloaded on first use; with every
  // item's label when filtering) in parallel.
  const [queried, { index }] = await Promise.all([
    vectorOf(s, query, settings.feature, timings),
    options.label >= 0
      ? s.store.withLabels(settings.feature, settings.metric)
      : s.store.get(settings.feature, settings.metric),
  ]);
  if (!wasLoaded)
    notes.push(
      `index for ${settings.feature} / ${settings.metric} loaded in ${Math.round(performance.now() - loadStarted)} ms`,
    );
  // A vector (an image's, a text's, one given), or "more like this": the
  // item's stored vector, the item itself not among the k results
  // (VectorIndex::search_by_id, as `lookalike query --item`).
  const t0 = performance.now();
  const result =
    query.kind === 'item'
      ? await index.searchById(query.itemId, options)
      : await index.search(queried!.vector, options);
  timings.search = performance.now() - t0;
  if (!result.ok) throw new StageError('search', result.error);
  const hits = result.value;
  const description = await describe(s, query, queried?.decoded ?? null, notes);

  const fetched = index.lastFetch();
  if (fetched && fetched.listsFetched > 0)
    notes.push(
      `${fetched.listsFetched} of the ${fetched.listsScored} lists searched downloaded (${(fetched.bytesFetched / 1e6).toFixed(1)} MB)`,
    );
  // The results' records: a large collection fetches the pages they are on.
  const itemsStarted = performance.now();
  const items = await s.items(hits.ids);
  if (!s.catalog.labelsAtHand) timings.items = performance.now() - itemsStarted;
  const missing = Array.from(hits.ids).filter((id) => !items.has(id));
  if (missing.length)
    notes.push(
      `${missing.length} result${missing.length === 1 ? ' has' : 's have'} no record in the collection (e.g. item ${missing[0]}): rebuild it with lookalike index`,
    );
  const out: Hit[] = Array.from(hits.ids, (id, i) => ({
    rank: i + 1,
    id,
    score: hits.scores[i]!,
    item: items.get(id) ?? null,
  }));
  timings.total = performance.now() - started;
  post({
    type: 'result',
    requestId,
    query: description,
    settings,
    hits: out,
    timings,
    notes,
    index: index.view(),
    queryVector: queried?.vector ?? null, // copied by postMessage; the worker keeps its own
  });
}

function freshTimings(): Timings {
  return {
    download: null,
    read: null,
    tokenize: null,
    decode: null,
    preprocess: null,
    model: null,
    search: null,
    items: null,
    total: 0,
  };
}

/** How the query's bytes were got: downloaded (URL, sample) or read (a file), in milliseconds. */
type Fetched = Pick<Timings, 'download' | 'read'>;

async function imageQuery(
  requestId: number,
  bytes: Uint8Array,
  mime: string,
  name: string,
  settings: SearchSettings,
  started: number,
  fetched: Fetched,
): Promise<void> {
  if (!m) throw new StageError('input', 'the WebAssembly module is not loaded');
  // Decoded for the feature asked for before it replaces the current query,
  // so an image that cannot be decoded leaves the last one in place.
  const query = {
    kind: 'image' as const,
    image: new QueryImage(m, bytes, mime),
    name,
    vectors: new Map<string, Float32Array>(),
  };
  const timings = { ...freshTimings(), ...fetched };
  try {
    await decodedFor(requireSession(), query, settings.feature, timings);
  } catch (error) {
    query.image.delete();
    throw error;
  }
  releaseQuery();
  current = query;
  await run(requestId, settings, started, timings);
}

async function readFile(file: Blob, name: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    throw new StageError('input', `${name} could not be read: ${message(error)}`);
  }
}

async function handle(request: Request): Promise<void> {
  const started = performance.now();
  switch (request.type) {
    case 'init':
      await init(request.siteUrl, request.collection, request.backend, request.listBudgetMB);
      return;
    case 'load-text-model':
      // Not awaited: a download of many megabytes must not hold image queries back.
      if (session) void textModel(session).catch(() => undefined);
      return;
    case 'open-collection':
      try {
        await openCollection(request.name);
      } catch (error) {
        post({ type: 'error', requestId: null, stage: stageOf(error, 'collection'), message: message(error) });
        // The open collection stays; the page returns to it.
        if (session) post({ type: 'ready', collection: session.summary(), runtime: runtimeInfo(), index: null });
      }
      return;
    default:
      break;
  }
  const requestId = request.requestId;
  try {
    switch (request.type) {
      case 'query-file': {
        const bytes = await readFile(request.file, request.name);
        await imageQuery(requestId, bytes, request.file.type, request.name, request.settings, started, {
          download: null,
          read: performance.now() - started,
        });
        break;
      }
      case 'query-url': {
        const url = parseQueryUrl(request.url, siteUrl);
        const t0 = performance.now();
        const { bytes, mime } = await fetchRemoteImage(url, progress('query:url', 'query image', null));
        await imageQuery(requestId, bytes, mime, url.href, request.settings, started, {
          download: performance.now() - t0,
          read: null,
        });
        break;
      }
      case 'query-sample': {
        const sample = requireSession().sample(request.sampleIndex);
        if (!sample) throw new StageError('input', `there is no sample ${request.sampleIndex}`);
        const t0 = performance.now();
        const { bytes, contentType } = await fetchBytes(sample.url, {
          what: `the sample ${sample.title}`,
          policy: 'cache-first',
        });
        await imageQuery(requestId, bytes, contentType ?? '', `sample: ${sample.title}`, request.settings, started, {
          download: performance.now() - t0,
          read: null,
        });
        break;
      }
      case 'query-vector': {
        releaseQuery();
        current = { kind: 'vector', vector: request.vector, feature: request.feature, name: 'query vector' };
        await run(requestId, request.settings, started, freshTimings());
        break;
      }
      case 'query-item': {
        const s = requireSession();
        const item = await s.item(request.itemId);
        if (!item) throw new StageError('input', `there is no item ${request.itemId} in this collection`);
        releaseQuery();
        current = { kind: 'item', itemId: item.id, name: item.source.title ?? item.label ?? `item ${item.id}` };
        await run(requestId, request.settings, started, freshTimings());
        break;
      }
      case 'query-text': {
        requireSession();
        if (!request.text.trim()) throw new StageError('input', 'type a few words describing the picture you want');
        releaseQuery();
        current = { kind: 'text', text: request.text, ids: null, vectors: new Map() };
        await run(requestId, request.settings, started, freshTimings());
        break;
      }
      case 'rerun': {
        const timings = freshTimings();
        await run(requestId, request.settings, started, timings);
        break;
      }
    }
  } catch (error) {
    post({ type: 'error', requestId, stage: stageOf(error, 'search'), message: message(error) });
  }
}

// Requests are handled one at a time, in order. A query request that a newer
// query request already replaces is skipped (the page shows only the newest
// answer), as is a re-run that a newer re-run replaces.
const pending: Request[] = [];
let busy = false;

function superseded(request: Request): boolean {
  if (!('requestId' in request)) return false;
  const newer = pending.filter((r) => 'requestId' in r && r.requestId > request.requestId);
  if (request.type === 'rerun') return newer.some((r) => r.type !== 'open-collection' && r.type !== 'init');
  return newer.some((r) => r.type.startsWith('query-'));
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  while (pending.length) {
    const request = pending.shift()!;
    if (superseded(request)) continue;
    try {
      await handle(request);
    } catch (error) {
      post({ type: 'error', requestId: null, stage: 'search', message: `unexpected error: ${message(error)}` });
    }
  }
  busy = false;
}

self.addEventListener('message', (event: MessageEvent<Request>) => {
  pending.push(event.data);
  void drain();
});

self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  post({ type: 'error', requestId: null, stage: 'search', message: `unexpected error: ${message(event.reason)}` });
});
