// The UI thread's side of the worker protocol (shared/protocol.ts).
import type { BackendPreference, Event, Request, SearchSettings } from '../shared/protocol';

type QueryRequest = Extract<Request, { requestId: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'requestId'> : never;

export class WorkerClient {
  private readonly worker: Worker;
  private nextRequestId = 1;
  /** The id of the newest query request; answers to older ones are ignored. */
  latestRequestId = 0;

  constructor(onEvent: (event: Event) => void, onCrash: (message: string) => void) {
    this.worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'lookalike' });
    this.worker.addEventListener('message', (e: MessageEvent<Event>) => onEvent(e.data));
    this.worker.addEventListener('error', (e) => {
      e.preventDefault();
      onCrash(e.message || 'the search worker failed to start (module workers need a current browser)');
    });
    this.worker.addEventListener('messageerror', () => onCrash('a message from the search worker could not be read'));
  }

  init(siteUrl: string, collection?: string, backend?: BackendPreference, listBudgetMB?: number): void {
    this.send({
      type: 'init',
      siteUrl,
      ...(collection ? { collection } : {}),
      ...(backend ? { backend } : {}),
      ...(listBudgetMB ? { listBudgetMB } : {}),
    });
  }

  /** Asks the worker to load the collection's text tower (the visitor started typing). */
  loadTextModel(): void {
    this.send({ type: 'load-text-model' });
  }

  openCollection(name: string): void {
    this.send({ type: 'open-collection', name });
  }

  /** Sends a query request and returns its id. */
  query(request: WithoutId<QueryRequest>): number {
    const requestId = this.nextRequestId++;
    this.latestRequestId = requestId;
    this.send({ ...request, requestId } as QueryRequest);
    return requestId;
  }

  rerun(settings: SearchSettings): number {
    return this.query({ type: 'rerun', settings });
  }

  private send(request: Request): void {
    this.worker.postMessage(request);
  }
}
