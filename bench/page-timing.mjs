// The benchmarks' instrumentation of the page (an init script added by the
// benchmark, not part of the app): when the visitor asks (a file chosen, or a
// text submitted), when the request reaches the worker, when its result comes
// back, and when the results are painted.
//
// "Painted" comes from the Element Timing API: the benchmark marks the result
// grid's score texts and thumbnails with `elementtiming` as the page inserts
// them (before they are painted), and the browser reports each one's
// renderTime, the time of the frame that first showed it.
//
//   await context.addInitScript(instrumentPage, { trigger: 'file' });   // or 'text'
//   window.__bench.runs: [{chosen, sentAt, resultAt, timings, domAt, painted, thumbsPainted, thumbnails}]
export function instrumentPage({ trigger }) {
  // What starts a run: the file input's change, or the text form's submit.
  const start =
    trigger === 'text'
      ? { event: 'submit', id: 'text-form', message: 'query-text' }
      : { event: 'change', id: 'file-input', message: 'query-file' };
  const NativeWorker = window.Worker;
  const bench = { runs: [], current: null, waiters: [] };
  window.__bench = bench;
  // Waiting for a run without polling the page: a waitForFunction that
  // polls on every animation frame, or a requestAnimationFrame loop during
  // the query would align the results' frame to the next vsync tick (up to
  // 16.7 ms later) as no page of ours does.
  const wake = () => bench.waiters.splice(0).forEach((w) => w());
  bench.settled = (count) =>
    new Promise((resolve) => {
      const check = () => (bench.runs.length > count || bench.current?.error ? resolve() : bench.waiters.push(check));
      check();
    });
  document.addEventListener(
    start.event,
    (event) => {
      if (event.target?.id === start.id) bench.current = { chosen: performance.now() };
    },
    true,
  );
  window.Worker = class extends NativeWorker {
    postMessage(message, transfer) {
      if (message?.type === start.message && bench.current && !bench.current.sentAt)
        bench.current.sentAt = performance.now();
      return super.postMessage(message, transfer);
    }

    constructor(...a) {
      super(...a);
      this.addEventListener('message', (event) => {
        if (event.data?.type === 'result' && bench.current && !bench.current.resultAt) {
          bench.current.resultAt = performance.now();
          bench.current.timings = event.data.timings;
        }
        if (event.data?.type === 'error' && bench.current) {
          bench.current.error = event.data.message;
          wake();
        }
      });
    }
  };
  let serial = 0;
  const finish = (run) => {
    if (run.done || run.pendingText.size || run.pendingImages.size) return;
    run.done = true;
    bench.runs.push(run);
    if (bench.current === run) bench.current = null;
    wake();
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const [id, kind] = entry.identifier.split(':');
      const run = bench.marked?.get(id);
      if (!run) continue;
      const time = entry.renderTime || entry.loadTime;
      if (kind === 'text') {
        run.pendingText.delete(entry.identifier);
        run.painted = Math.max(run.painted ?? 0, time);
      } else {
        run.pendingImages.delete(entry.identifier);
        run.thumbsPainted = Math.max(run.thumbsPainted ?? 0, time);
      }
      finish(run);
    }
  }).observe({ type: 'element', buffered: false });
  document.addEventListener('DOMContentLoaded', () => {
    const grid = document.getElementById('result-grid');
    new MutationObserver(() => {
      const run = bench.current;
      if (!run || !run.resultAt || run.domAt) return;
      run.domAt = performance.now();
      const id = String(++serial);
      (bench.marked ??= new Map()).set(id, run);
      run.pendingText = new Set();
      run.pendingImages = new Set();
      grid.querySelectorAll('li.result').forEach((li, i) => {
        const score = li.querySelector('.score');
        if (score) {
          score.setAttribute('elementtiming', `${id}:text:${i}`);
          run.pendingText.add(`${id}:text:${i}`);
        }
        const img = li.querySelector('img');
        // Only thumbnails in the viewport are painted without scrolling.
        if (img && li.getBoundingClientRect().top < innerHeight) {
          img.setAttribute('elementtiming', `${id}:image:${i}`);
          run.pendingImages.add(`${id}:image:${i}`);
        }
      });
      run.thumbnails = run.pendingImages.size;
      if (!run.pendingText.size) throw new Error('the result grid has no score texts to time');
    }).observe(grid, { childList: true });
  });
}
