// Every way to give a query: file picker, drag and drop (files or an image
// dragged from another page), paste (an image or a URL), an image URL, and
// the collection's sample queries.
import type { SampleView } from '../shared/protocol';
import { sitePathOrNull } from '../shared/safe-url';
import { byId, clear, el } from './dom';

export interface QueryHandlers {
  file(file: Blob, name: string): void;
  url(url: string): void;
  error(message: string): void;
}

function firstUrl(text: string): string | null {
  const line = text.split(/\r?\n/).find((l) => l.trim() && !l.startsWith('#'));
  return line && /^https?:\/\//i.test(line.trim()) ? line.trim() : null;
}

export function setUpQueryInputs(handlers: QueryHandlers): void {
  const input = byId<HTMLInputElement>('file-input');
  const zone = byId('drop-zone');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) handlers.file(file, file.name);
    input.value = ''; // choosing the same file again searches again
  });

  // Dropping anywhere on the page works; the zone only shows where.
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  document.addEventListener('dragleave', (e) => {
    if (e.relatedTarget === null) zone.classList.remove('dragging');
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    const data = e.dataTransfer;
    const file = data?.files[0];
    if (file) return handlers.file(file, file.name);
    const url = firstUrl(data?.getData('text/uri-list') || data?.getData('text/plain') || '');
    if (url) return handlers.url(url);
    handlers.error('Nothing to search in what was dropped: drop an image file or an image from another page.');
  });

  document.addEventListener('paste', (e) => {
    const items = Array.from(e.clipboardData?.items ?? []);
    const image = items.find((item) => item.kind === 'file' && item.type.startsWith('image/'))?.getAsFile();
    if (image) {
      e.preventDefault();
      return handlers.file(image, image.name || 'pasted image');
    }
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return; // pasting text into a field
    const url = firstUrl(e.clipboardData?.getData('text/plain') ?? '');
    if (url) {
      e.preventDefault();
      handlers.url(url);
    }
  });

  byId<HTMLFormElement>('url-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = byId<HTMLInputElement>('url-input').value.trim();
    if (value) handlers.url(value);
  });
}

export function showSamples(samples: SampleView[], onPick: (sample: SampleView) => void): void {
  const list = byId('sample-list');
  clear(list);
  for (const sample of samples) {
    const path = sitePathOrNull(sample.image);
    if (!path) continue;
    const button = el(
      'button',
      { type: 'button', title: sample.title, 'aria-label': `Search with the sample ${sample.title}` },
      el('img', { src: path, alt: '', loading: 'lazy' }),
    );
    button.addEventListener('click', () => onPick(sample));
    list.append(el('li', {}, button));
  }
  byId('samples').hidden = list.childElementCount === 0;
}
