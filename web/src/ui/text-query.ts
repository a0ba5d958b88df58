// The text box: shown when the collection's model has a text tower (CLIP's
// text encoder). The text model is downloaded only once the visitor starts
// typing (its size is shown before), then cached like the image model.
import type { TextSearchInfo } from '../shared/protocol';
import { byId, setText } from './dom';
import { formatBytes } from './format';

export interface TextQueryHandlers {
  /** The visitor began typing: time to fetch the text model. */
  firstInput(): void;
  submit(text: string): void;
}

export class TextQuery {
  private readonly form = byId<HTMLFormElement>('text-form');
  private readonly input = byId<HTMLInputElement>('text-input');
  private readonly button = byId<HTMLButtonElement>('text-submit');
  private readonly hint = byId('text-hint');
  private info: TextSearchInfo | null = null;
  private asked = false;

  constructor(handlers: TextQueryHandlers) {
    this.input.addEventListener('input', () => {
      if (this.asked || !this.info || this.info.unavailable) return;
      this.asked = true;
      handlers.firstInput();
    });
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (text && this.info && !this.info.unavailable) handlers.submit(text);
    });
  }

  /** The collection's text search (null: no text tower, the box is hidden). */
  show(info: TextSearchInfo | null): void {
    this.info = info;
    this.asked = false;
    this.form.hidden = info === null;
    if (!info) return;
    this.input.disabled = this.button.disabled = info.unavailable !== null;
    setText(
      this.hint,
      info.unavailable
        ? `Text search is unavailable: ${info.unavailable}`
        : `The text model (${formatBytes(info.downloadBytes)}) downloads when you start typing, once; then it is cached.`,
    );
  }

  /** What the worker says about the text model. */
  modelState(state: 'loading' | 'ready' | 'failed', message: string | null): void {
    if (!this.info) return;
    if (state === 'loading') setText(this.hint, `Loading the text model (${formatBytes(this.info.downloadBytes)})…`);
    else if (state === 'ready') setText(this.hint, 'Text model ready: press Enter to search.');
    // A search (Enter) tries again; typing does not, so a broken file is not fetched at every keystroke.
    else setText(this.hint, `The text model could not be loaded: ${message ?? 'unknown error'}. Search to try again.`);
  }

  /** The feature a text query searches, or null when text search is not offered. */
  feature(): string | null {
    return this.info && !this.info.unavailable ? this.info.feature : null;
  }
}
