// Registers the service worker that keeps the app shell for offline use
// (the worker keeps the data: see worker/cached-fetch.ts). Only in built
// sites: the dev server serves modules that change on every edit.
import { byId } from './dom';

export function registerOfflineCache(): void {
  const state = byId('offline-state');
  if (!import.meta.env.PROD) return;
  if (!('serviceWorker' in navigator)) {
    state.textContent = 'Offline use: not available in this browser.';
    return;
  }
  navigator.serviceWorker.register('./sw.js', { scope: './' }).then(
    (registration) => {
      const update = () => {
        state.textContent = registration.active
          ? 'Offline use: ready — this page, its engine and the data you used are kept for your next visit.'
          : 'Offline use: preparing…';
      };
      update();
      registration.addEventListener('updatefound', () =>
        registration.installing?.addEventListener('statechange', update),
      );
      void navigator.serviceWorker.ready.then(update);
    },
    (error: Error) => {
      state.textContent = `Offline use: unavailable (${error.message}).`;
    },
  );
}
