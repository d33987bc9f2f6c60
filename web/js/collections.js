// "Le mie raccolte": the reader's collections of practices, kept in this
// browser (localStorage, no account, nothing sent). Each collection is
// shared as a link that carries it whole:
//   /raccolta?titolo=…&p=slug&n=nota&p=…&n=…
// the format server/src/collection_page.h reads (each `n` is the note of the
// `p` at the same position).
//
// Storage: `bp:raccolte` = {collections: [{id, title, items: [{slug, title,
// note}]}], active: id}. A single collection saved by an earlier version
// under `bp:raccolta` becomes the first one.
import { el, plural } from './format.js';

const KEY = 'bp:raccolte';
const OLD_KEY = 'bp:raccolta';
export const MAX_ITEMS = 30;
export const MAX_COLLECTIONS = 20;
const MAX_TITLE = 120;
const MAX_NOTE = 500;

function newId() {
  return `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

function cleanItems(items) {
  const seen = new Set();
  return (Array.isArray(items) ? items : [])
    .filter((i) => i && /^[a-z0-9-]{1,200}$/.test(i.slug) && !seen.has(i.slug) && seen.add(i.slug))
    .slice(0, MAX_ITEMS)
    .map((i) => ({ slug: i.slug, title: String(i.title || i.slug), note: String(i.note || '').slice(0, MAX_NOTE) }));
}

function cleanCollection(c) {
  return {
    id: typeof c.id === 'string' && /^[a-z0-9]{1,40}$/.test(c.id) ? c.id : newId(),
    title: String(c.title || '').slice(0, MAX_TITLE),
    items: cleanItems(c.items),
  };
}

function clean(state) {
  const seen = new Set();
  const collections = (Array.isArray(state && state.collections) ? state.collections : [])
    .filter((c) => c && typeof c === 'object')
    .map(cleanCollection)
    .filter((c) => !seen.has(c.id) && seen.add(c.id))
    .slice(0, MAX_COLLECTIONS);
  const active = collections.some((c) => c.id === state.active) ? state.active : (collections[0] || {}).id || '';
  return { collections, active };
}

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

// Every collection, and the one the editor shows.
export function loadAll() {
  const stored = read(KEY);
  if (stored) return clean(stored);
  const old = read(OLD_KEY);
  if (old && (old.title || (Array.isArray(old.items) && old.items.length))) {
    return saveAll({ collections: [{ title: old.title || 'La mia raccolta', items: old.items }] });
  }
  return clean({});
}

export function saveAll(state) {
  const tidy = clean(state);
  try {
    localStorage.setItem(KEY, JSON.stringify(tidy));
    localStorage.removeItem(OLD_KEY);
  } catch {
    // Storage full or refused (private mode): the page keeps working, unsaved.
  }
  return tidy;
}

// A title nobody has used yet: "Raccolta 1", "Raccolta 2", …
function freshTitle(collections) {
  for (let n = collections.length + 1; ; n += 1) {
    const title = `Raccolta ${n}`;
    if (!collections.some((c) => c.title === title)) return title;
  }
}

// Adds a collection (with `items`, empty by default) and makes it the active
// one; returns it, or null when there are MAX_COLLECTIONS already.
export function create(title, items = []) {
  const state = loadAll();
  if (state.collections.length >= MAX_COLLECTIONS) return null;
  const collection = cleanCollection({ title: String(title || '').trim() || freshTitle(state.collections), items });
  state.collections.push(collection);
  state.active = collection.id;
  saveAll(state);
  return collection;
}

// Replaces the stored collection with the same id (rename, reorder, notes).
export function update(collection) {
  const state = loadAll();
  const at = state.collections.findIndex((c) => c.id === collection.id);
  if (at >= 0) state.collections[at] = cleanCollection(collection);
  return saveAll(state).collections.find((c) => c.id === collection.id) || null;
}

export function remove(id) {
  const state = loadAll();
  state.collections = state.collections.filter((c) => c.id !== id);
  if (state.active === id) state.active = '';
  return saveAll(state);
}

export function choose(id) {
  const state = loadAll();
  state.active = id;
  return saveAll(state);
}

// Adds `slug` to collection `id`, or takes it out; true when it is now in.
export function toggle(id, slug, title) {
  const state = loadAll();
  const collection = state.collections.find((c) => c.id === id);
  if (!collection) return false;
  const at = collection.items.findIndex((i) => i.slug === slug);
  if (at >= 0) collection.items.splice(at, 1);
  else if (collection.items.length < MAX_ITEMS) collection.items.push({ slug, title, note: '' });
  return saveAll(state).collections.find((c) => c.id === id).items.some((i) => i.slug === slug);
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
  // Each note belongs to the `p` before it, as the server reads the link
  // (server/src/collection_page.h).
  const items = [];
  for (const [key, value] of params) {
    if (key === 'p') items.push({ slug: value, title: value, note: '' });
    else if (key === 'n' && items.length) items[items.length - 1].note = value;
  }
  return { title: (params.get('titolo') || '').slice(0, MAX_TITLE), items: cleanItems(items) };
}

// A menu "Aggiungi a una raccolta" in each `.collect[data-slug]` placeholder
// under `root` (the server leaves them empty: without JavaScript there is no
// collection to add to): a checkbox per collection and a field to start a
// new one with this practice. A native <details>, so it opens with the
// keyboard and reads as a disclosure.
export function addButtons(root = document) {
  const menus = [];
  // `except`: the menu whose checkbox just changed keeps its panel (the box
  // stays the element the reader is on); the others are drawn again.
  const refreshAll = (except) => menus.forEach((m) => m.refresh(m !== except));
  let counter = 0;
  for (const spot of root.querySelectorAll('.collect[data-slug]')) {
    const { slug, title } = spot.dataset;
    const n = (counter += 1);
    const summary = el('summary', { class: 'collect-button' });
    const panel = el('div', { class: 'collect-panel' });
    const menu = el('details', { class: 'collect-menu' }, summary, panel);
    const self = {};
    const drawPanel = (collections) => {
      const status = el('p', { class: 'collect-status', role: 'status' });
      const boxes = collections.map((c) => {
        const id = `collect-${n}-${c.id}`;
        const box = el('input', { type: 'checkbox', id, class: 'collect-choice', 'data-id': c.id });
        box.checked = c.items.some((i) => i.slug === slug);
        const label = el('label', { for: id }, `${c.title} (${plural(c.items.length, 'pratica', 'pratiche')})`);
        box.addEventListener('change', () => {
          const now = toggle(c.id, slug, title);
          status.textContent = box.checked && !now ? `La raccolta è piena (${MAX_ITEMS} pratiche).` : '';
          box.checked = now;
          const size = (loadAll().collections.find((x) => x.id === c.id) || c).items.length;
          label.textContent = `${c.title} (${plural(size, 'pratica', 'pratiche')})`;
          refreshAll(self);
        });
        return el('li', {}, box, ' ', label);
      });
      const name = el('input', { type: 'text', id: `collect-new-${n}`, class: 'collect-new-title', maxlength: MAX_TITLE, placeholder: 'per esempio: Acqua e rifiuti, 2ª B' });
      const make = el('button', { type: 'button', class: 'button collect-create' }, 'Crea e aggiungi');
      make.addEventListener('click', () => {
        const made = create(name.value, [{ slug, title, note: '' }]);
        if (!made) {
          status.textContent = `Hai già ${MAX_COLLECTIONS} raccolte: eliminane una dalla pagina «Le mie raccolte».`;
          return;
        }
        refreshAll(null);
        panel.querySelector(`[data-id="${made.id}"]`)?.focus();
      });
      name.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); make.click(); } });
      panel.replaceChildren(
        boxes.length ? el('fieldset', {}, el('legend', {}, 'Le mie raccolte'), el('ul', { class: 'collect-choices' }, ...boxes)) : '',
        el('p', { class: 'collect-new' }, el('label', { for: name.id }, 'Nuova raccolta'), ' ', name, ' ', make),
        status,
        el('p', {}, el('a', { href: '/raccolta', class: 'collect-open' }, 'Apri «Le mie raccolte»')));
    };
    self.refresh = (withPanel) => {
      const { collections } = loadAll();
      const inside = collections.filter((c) => c.items.some((i) => i.slug === slug));
      summary.textContent = inside.length
        ? `In ${inside.length === 1 ? `«${inside[0].title}»` : `${inside.length} raccolte`} ✓`
        : 'Aggiungi a una raccolta';
      summary.dataset.count = String(inside.length);
      summary.setAttribute('aria-label', `Raccolte per «${title}»: ${summary.textContent}`);
      if (withPanel && menu.open) drawPanel(collections);
    };
    menu.addEventListener('toggle', () => self.refresh(true));
    menus.push(self);
    self.refresh(false);
    spot.replaceChildren(menu);
  }
  // Another tab changed the collections.
  window.addEventListener('storage', (e) => { if (e.key === KEY) refreshAll(null); });
}
