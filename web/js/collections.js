// "La mia raccolta": the reader's collection of practices, kept in this
// browser (localStorage, no account, nothing sent) and shared as a link that
// carries it whole: /raccolta?titolo=…&p=slug&n=nota&p=…&n=…, the format
// server/src/collection_page.h reads (each `n` is the note of the `p` at the
// same position).
import { el } from './format.js';

const KEY = 'bp:raccolta';
export const MAX_ITEMS = 30;
const MAX_TITLE = 120;
const MAX_NOTE = 500;

function clean(collection) {
  const items = Array.isArray(collection && collection.items) ? collection.items : [];
  const seen = new Set();
  return {
    title: String((collection && collection.title) || '').slice(0, MAX_TITLE),
    items: items
      .filter((i) => i && /^[a-z0-9-]{1,200}$/.test(i.slug) && !seen.has(i.slug) && seen.add(i.slug))
      .slice(0, MAX_ITEMS)
      .map((i) => ({ slug: i.slug, title: String(i.title || i.slug), note: String(i.note || '').slice(0, MAX_NOTE) })),
  };
}

export function load() {
  try {
    return clean(JSON.parse(localStorage.getItem(KEY) || '{}'));
  } catch {
    return clean({});
  }
}

export function save(collection) {
  const tidy = clean(collection);
  try {
    localStorage.setItem(KEY, JSON.stringify(tidy));
  } catch {
    // Storage full or refused (private mode): the page keeps working, unsaved.
  }
  return tidy;
}

export function has(slug) {
  return load().items.some((i) => i.slug === slug);
}

// Adds or removes a practice; returns true when it is now in the collection.
export function toggle(slug, title) {
  const collection = load();
  const at = collection.items.findIndex((i) => i.slug === slug);
  if (at >= 0) collection.items.splice(at, 1);
  else if (collection.items.length < MAX_ITEMS) collection.items.push({ slug, title, note: '' });
  return save(collection).items.some((i) => i.slug === slug);
}

export function shareLink(collection, origin = location.origin) {
  const params = new URLSearchParams();
  if (collection.title) params.append('titolo', collection.title);
  for (const item of collection.items) {
    params.append('p', item.slug);
    params.append('n', item.note || '');
  }
  return `${origin}/raccolta?${params.toString()}`;
}

// The collection a shared link carries (titles are the slugs until the page
// tells them).
export function fromLink(search) {
  const params = new URLSearchParams(search);
  const notes = params.getAll('n');
  return clean({
    title: params.get('titolo') || '',
    items: params.getAll('p').map((slug, i) => ({ slug, title: slug, note: notes[i] || '' })),
  });
}

// A toggle button "Aggiungi alla raccolta" in each `.collect[data-slug]`
// placeholder under `root` (the server leaves them empty: without
// JavaScript there is no collection to add to).
export function addButtons(root = document) {
  for (const spot of root.querySelectorAll('.collect[data-slug]')) {
    const { slug, title } = spot.dataset;
    const button = el('button', { type: 'button', class: 'collect-button', 'aria-pressed': String(has(slug)) });
    const label = () => {
      const inside = has(slug);
      button.setAttribute('aria-pressed', String(inside));
      button.textContent = inside ? 'Nella raccolta ✓' : 'Aggiungi alla raccolta';
      button.setAttribute('aria-label', `${inside ? 'Togli dalla raccolta' : 'Aggiungi alla raccolta'}: ${title}`);
    };
    button.addEventListener('click', () => {
      const before = load().items.length;
      const inside = toggle(slug, title);
      if (!inside && before >= MAX_ITEMS) button.textContent = `La raccolta è piena (${MAX_ITEMS} pratiche)`;
      else label();
    });
    label();
    spot.replaceChildren(button, ' ', el('a', { href: '/raccolta', class: 'collect-open' }, 'La mia raccolta'));
  }
}
