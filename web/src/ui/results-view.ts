// The query and its results: a grid of thumbnails with rank, score (the
// metric's natural value), label, and author / licence / source when known.
// Clicking a result asks for "more like this". Every piece of metadata is
// inserted as text; links are http(s) only.
import {
  higherIsCloser,
  METRIC_TITLES,
  type Hit,
  type ItemView,
  type QueryDescription,
  type SearchSettings,
} from '../shared/protocol';
import { httpUrlOrNull, sitePathOrNull } from '../shared/safe-url';
import { byId, clear, el, setText } from './dom';
import { formatScore } from './format';

function itemName(item: ItemView | null, id: number): string {
  return item?.source.title || (item?.label ? `${item.label} image ${id}` : `Item ${id}`);
}

/**
 * Where a result's picture is: its thumbnail in the site, or for a
 * collection that links to the photos' own URLs (too many to copy into the
 * site: lookalike index --thumbnails) the photo at its source.
 */
export interface ItemImage {
  thumbnail?: string | null;
  linked?: string | null;
}

function itemImage(item: ItemView | null): ItemImage {
  const thumbnail = sitePathOrNull(item?.thumbnail);
  return thumbnail ? { thumbnail } : { linked: httpUrlOrNull(item?.source.url) };
}

/**
 * An image from another host: without the referrer, and in CORS mode where
 * the page is cross-origin isolated (lookalike serve), which loads another
 * origin's image only with CORS or CORP; on hosts such as GitHub Pages any
 * photo host works.
 */
function linkedImage(image: HTMLImageElement): void {
  image.referrerPolicy = 'no-referrer';
  if (self.crossOriginIsolated) image.crossOrigin = 'anonymous';
}

function link(href: string | null, text: string): HTMLAnchorElement | null {
  const url = httpUrlOrNull(href);
  return url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow' }, text) : null;
}

/**
 * The first results' thumbnails load at once: a lazy image is only requested
 * after the page has laid out the grid, a frame later. The rest (k may be
 * 200) load as they scroll into view.
 */
const EAGER_THUMBNAILS = 12;

/**
 * Runs `task` once the frame that shows the current DOM changes has been
 * produced by the main thread (a task queued from the next animation frame),
 * or after `fallbackMs` if the page makes no frames (a hidden tab).
 */
function afterNextFrame(task: () => void, fallbackMs = 100): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    task();
  };
  const fallback = setTimeout(once, fallbackMs);
  requestAnimationFrame(() => setTimeout(once, 0));
}

export class ResultsView {
  private previewUrl: string | null = null;

  constructor(private readonly onMoreLikeThis: (itemId: number, title: string, image: ItemImage) => void) {}

  /** Shows the query image right away (before results): a blob, a remote URL or an item's picture. */
  showQuery(source: { blob?: Blob; url?: string } & ItemImage, caption: string): void {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = null;
    const image = byId<HTMLImageElement>('query-image');
    image.removeAttribute('crossorigin');
    image.removeAttribute('referrerpolicy');
    image.hidden = false;
    if (source.blob) {
      this.previewUrl = URL.createObjectURL(source.blob);
      image.src = this.previewUrl;
    } else if (source.url && httpUrlOrNull(source.url)) {
      image.crossOrigin = 'anonymous'; // the worker could read it, so CORS allows it
      image.src = httpUrlOrNull(source.url)!;
    } else if (source.thumbnail && sitePathOrNull(source.thumbnail)) {
      image.src = source.thumbnail;
    } else if (source.linked && httpUrlOrNull(source.linked)) {
      linkedImage(image);
      image.src = httpUrlOrNull(source.linked)!;
    } else {
      image.removeAttribute('src');
      image.hidden = true;
    }
    image.alt = `Query: ${caption}`;
    image.onerror = () => {
      image.hidden = true; // e.g. TGA, which browsers do not display; the search still works
    };
    byId('query-caption').textContent = caption;
    byId('query-view').hidden = false;
  }

  /** Shows a text query right away (before results): no picture, the text as the caption. */
  showText(text: string): void {
    this.showQuery({}, `Text: “${text}”`);
  }

  showResults(query: QueryDescription, settings: SearchSettings, hits: Hit[]): void {
    const caption =
      query.kind === 'item'
        ? `More like: ${query.name}`
        : query.kind === 'text'
          ? `Text: “${query.name}”${query.tokens !== null ? ` (${query.tokens} tokens)` : ''}`
          : `${query.name}${query.width ? ` — ${query.width}×${query.height} ${query.format?.toUpperCase() ?? ''}` : ''}` +
            (query.decodedBy === 'browser' ? ' (decoded by the browser)' : '');
    setText(byId('query-caption'), caption);
    const direction = higherIsCloser(settings.metric) ? 'higher is closer' : 'lower is closer';
    setText(
      byId('results-summary'),
      hits.length
        ? `${hits.length} result${hits.length === 1 ? '' : 's'} by ${METRIC_TITLES[settings.metric]} (${direction})` +
            (settings.label ? `, label ${settings.label}` : '')
        : `No results${settings.label ? ` with label ${settings.label}` : ''}.`,
    );
    const thumbnails: { image: HTMLImageElement; src: string }[] = [];
    byId('result-grid').replaceChildren(
      ...hits.map((hit, i) => this.card(hit, settings, i < EAGER_THUMBNAILS, thumbnails)),
    );
    // The thumbnails are requested once the frame with the scores is on its
    // way: requesting ten images costs the main thread a few milliseconds,
    // which would hold that frame back; now they overlap with its raster.
    afterNextFrame(() => {
      for (const { image, src } of thumbnails) if (image.isConnected) image.src = src;
    });
  }

  clearResults(text: string): void {
    clear(byId('result-grid'));
    byId('results-summary').textContent = text;
  }

  /** One result; its thumbnail's `src` is left to the caller (added to `thumbnails`). */
  private card(
    hit: Hit,
    settings: SearchSettings,
    eager: boolean,
    thumbnails: { image: HTMLImageElement; src: string }[],
  ): HTMLLIElement {
    const item = hit.item;
    const name = itemName(item, hit.id);
    const picture = itemImage(item);
    let image: HTMLElement;
    if (picture.thumbnail || picture.linked) {
      const img = el('img', { alt: name, loading: eager ? 'eager' : 'lazy', decoding: 'async' });
      if (picture.linked) {
        linkedImage(img);
        // A photo its host no longer serves (or refuses here): its name instead; the source link stays.
        img.addEventListener('error', () => img.replaceWith(el('span', { className: 'no-thumb' }, name)), {
          once: true,
        });
      }
      thumbnails.push({ image: img, src: picture.thumbnail ?? picture.linked! });
      image = img;
    } else {
      image = el('span', { className: 'no-thumb' }, name);
    }
    // The name holds the visible text (the rank, and the title when there is
    // no thumbnail) in the order it is seen, as speech input needs.
    const button = el(
      'button',
      { type: 'button', className: 'more', 'aria-label': `Rank ${hit.rank}: ${name} — more like this` },
      el('span', { className: 'rank', 'aria-hidden': 'true' }, String(hit.rank)),
      image,
    );
    button.addEventListener('click', () => this.onMoreLikeThis(hit.id, name, picture));

    const credit: (Node | string)[] = [];
    const attribution = item?.source;
    if (attribution?.owner) credit.push(`by ${attribution.owner}`);
    const licence = attribution?.licence
      ? (link(attribution.licence_url, attribution.licence) ?? attribution.licence)
      : null;
    if (licence) credit.push(credit.length ? ' · ' : '', licence);
    const source = link(attribution?.page ?? attribution?.url ?? null, 'source');
    if (source) credit.push(credit.length ? ' · ' : '', source);

    return el(
      'li',
      {
        className: 'result',
        'data-id': String(hit.id),
        'data-score': String(hit.score),
        'data-rank': String(hit.rank),
      },
      button,
      el(
        'div',
        { className: 'meta' },
        el(
          'span',
          { className: 'score', title: `${METRIC_TITLES[settings.metric]}: ${hit.score}` },
          `${settings.metric} ${formatScore(hit.score)}`,
        ),
        item?.label ? el('span', { className: 'label' }, item.label) : null,
        attribution?.title ? el('span', { className: 'title' }, attribution.title) : null,
        credit.length ? el('span', { className: 'credit' }, ...credit) : null,
      ),
    );
  }
}
