// The page's UI thread: wires the inputs, switches and views to the worker.
// It does UI only; all computing happens in the worker (worker/worker.ts).
import './styles.css';
import type { BackendPreference, Event, SearchSettings } from './shared/protocol';
import { setUpCamera } from './ui/camera';
import { Controls } from './ui/controls';
import { byId } from './ui/dom';
import { clearMessage, showError, showInfo } from './ui/message-view';
import { registerOfflineCache } from './ui/offline-cache';
import { setUpQueryInputs, showSamples } from './ui/query-inputs';
import { ResultsView } from './ui/results-view';
import { StatusView } from './ui/status-view';
import { TextQuery } from './ui/text-query';
import { WorkerClient } from './ui/worker-client';

const MAX_FILE_BYTES = 100 * 1024 * 1024;

const status = new StatusView();
let hasQuery = false;
let lastQueryWasItem = false;
/** A query given before the collection was ready (the newest one): it runs as soon as the collection is. */
let pendingQuery: ((settings: SearchSettings) => void) | null = null;

const client = new WorkerClient(onEvent, (text) => {
  status.state('failed', 'The search engine stopped.');
  showError(`The search worker failed: ${text}. Reload the page to try again.`);
});

const results = new ResultsView((itemId, title, image) => {
  const settings = currentSettings();
  if (!settings) return;
  results.showQuery(image, `More like: ${title}`);
  startQuery(() => client.query({ type: 'query-item', itemId, settings }));
  lastQueryWasItem = true;
  byId('results').focus();
});

const controls = new Controls(
  () => {
    // Before the collection is ready a waiting query takes the settings it has then.
    const settings = controls.settings();
    if (settings && hasQuery) startQuery(() => client.rerun(settings));
  },
  (name) => {
    status.state('loading', `Opening ${name}…`);
    if (lastQueryWasItem) hasQuery = false; // an item of another collection
    client.openCollection(name);
  },
);

function backendPreference(value: string | null): BackendPreference | undefined {
  return value === 'wasm' || value === 'webgpu' || value === 'auto' ? value : undefined;
}

/** ?list-budget=MB: the list memory a partitioned index may hold (default 128 MB), 8 MB at least. */
function listBudget(value: string | null): number | undefined {
  const mb = Number(value);
  return value !== null && Number.isFinite(mb) && mb >= 8 ? mb : undefined;
}

function currentSettings(): SearchSettings | null {
  const settings = controls.settings();
  if (!settings) showError('The collection is not loaded yet; please wait a moment.');
  return settings;
}

/** Runs `query` now, or keeps it (and says so) until the collection is ready. */
function whenReady(query: (settings: SearchSettings) => void): void {
  const settings = controls.settings();
  if (settings) return query(settings);
  pendingQuery = query;
  showInfo('The collection is still loading: your image will be searched as soon as it is ready.');
}

function startQuery(send: () => number): void {
  clearMessage();
  hasQuery = true;
  lastQueryWasItem = false;
  byId('results').setAttribute('aria-busy', 'true');
  send();
}

function queryFile(blob: Blob, name: string): void {
  if (blob.size > MAX_FILE_BYTES) {
    showError(`${name} is ${(blob.size / 1e6).toFixed(0)} MB; the page takes images up to 100 MB.`);
    return;
  }
  // The worker first, the preview after: the file is read while the page shows it.
  whenReady((settings) => startQuery(() => client.query({ type: 'query-file', file: blob, name, settings })));
  results.showQuery({ blob }, name);
}

const textQuery = new TextQuery({
  firstInput: () => client.loadTextModel(),
  submit: (text) => {
    // A text query searches the model that reads text: the switches follow.
    const feature = textQuery.feature();
    if (feature) controls.selectFeature(feature);
    const settings = currentSettings();
    if (!settings) return;
    results.showText(text);
    startQuery(() => client.query({ type: 'query-text', text, settings }));
  },
});

function onEvent(event: Event): void {
  switch (event.type) {
    case 'progress':
      status.progress(event);
      break;
    case 'runtime':
      status.setRuntime(event.runtime);
      break;
    case 'fatal':
      status.state('failed', 'Not ready.');
      showError(event.message);
      break;
    case 'text-model':
      textQuery.modelState(event.state, event.message);
      break;
    case 'ready':
      status.setRuntime(event.runtime);
      status.setCollection(event.collection);
      if (event.index) status.setIndex(event.index);
      controls.show(event.collection);
      textQuery.show(event.collection.textSearch);
      showSamples(event.collection.samples, (sample) => {
        const settings = currentSettings();
        if (!settings) return;
        results.showQuery({ thumbnail: sample.image }, `Sample: ${sample.title}`);
        startQuery(() => client.query({ type: 'query-sample', sampleIndex: sample.index, settings }));
      });
      byId('collection-title').textContent =
        `${event.collection.title} — ${event.collection.count.toLocaleString('en')} images`;
      byId('licence-note').textContent = event.collection.licenceNote ?? '';
      status.state(
        'ready',
        event.collection.textSearch
          ? 'Ready: drop, paste or choose an image, or describe one.'
          : 'Ready: drop, paste or choose an image.',
      );
      // Downloads are done: fold their details away (one click opens them),
      // unless something failed and the user may want to look.
      if (byId('message').hidden) byId<HTMLDetailsElement>('details').open = false;
      document.body.dataset['ready'] = 'true';
      // A User Timing mark: "navigation to ready" in the browser's own performance timeline (bench/web_search_latency.mjs reads it).
      performance.mark('lookalike-ready');
      document.body.dataset['readyCount'] = String(Number(document.body.dataset['readyCount'] ?? 0) + 1);
      {
        const settings = controls.settings();
        const waiting = pendingQuery;
        pendingQuery = null;
        if (settings && waiting) waiting(settings);
        else if (settings && hasQuery) startQuery(() => client.rerun(settings));
      }
      break;
    case 'result':
      if (event.requestId !== client.latestRequestId) return; // an older question
      byId('results').removeAttribute('aria-busy');
      results.showResults(event.query, event.settings, event.hits);
      status.setIndex(event.index);
      status.timings(event.timings, event.query);
      status.notes(event.notes);
      document.body.dataset['lastResult'] = String(event.requestId);
      break;
    case 'error':
      if (event.requestId !== null && event.requestId !== client.latestRequestId) return;
      byId('results').removeAttribute('aria-busy');
      showError(event.message);
      if (event.requestId !== null) {
        results.clearResults('No results: see the message above.');
        document.body.dataset['lastError'] = String(event.requestId);
      }
      break;
  }
}

setUpQueryInputs({
  file: queryFile,
  url: (url) => {
    results.showQuery({ url }, url);
    whenReady((settings) => startQuery(() => client.query({ type: 'query-url', url, settings })));
  },
  error: showError,
});
setUpCamera((blob) => queryFile(blob, 'camera photo'), showError);
registerOfflineCache();

// For programs driving the page (benchmarks, tests): a query vector computed
// elsewhere, searched with the current controls' settings (its feature by
// default) and shown like any other query.
Object.assign(globalThis, {
  lookalike: {
    queryVector(vector: Float32Array | number[], feature?: string): void {
      const settings = currentSettings();
      if (!settings) return;
      const spec = feature ?? settings.feature;
      results.showQuery({ thumbnail: null }, 'Query vector');
      startQuery(() =>
        client.query({ type: 'query-vector', vector: Float32Array.from(vector), feature: spec, settings }),
      );
    },
  },
});

// The site's root is this page's folder, so the site works from any sub-path.
// ?collection=<name> opens another collection of the site; ?backend=wasm|webgpu|auto
// chooses the model's ONNX Runtime backend (worker/webgpu-backend.ts);
// ?list-budget=<MB> bounds a partitioned index's list memory (default 128).
const params = new URLSearchParams(location.search);
client.init(
  new URL('./', document.baseURI).href,
  params.get('collection') ?? undefined,
  backendPreference(params.get('backend')),
  listBudget(params.get('list-budget')),
);
