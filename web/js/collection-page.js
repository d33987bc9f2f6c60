// /raccolta: without parameters, "Le mie raccolte": the reader's collections
// (choose, create, rename, delete) and the editor of the chosen one (order,
// a note per practice, share link, print); with a shared link, the
// server-rendered collection plus "Stampa" and "Salva tra le mie raccolte".
import { el, plural } from './format.js';
import { loadAll, create, update, remove, choose, shareLink, fromLink, MAX_COLLECTIONS } from './collections.js';

const status = el('p', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });

function printButton() {
  const button = el('button', { type: 'button', class: 'copy-link' }, 'Stampa la raccolta');
  button.addEventListener('click', () => window.print());
  return button;
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'Link della raccolta copiato negli appunti.';
  } catch {
    const field = el('input', { type: 'text', readonly: true, value: text, 'aria-label': 'Link della raccolta', class: 'copy-fallback' });
    status.replaceChildren('Copia il link selezionato: ', field);
    field.focus();
    field.select();
  }
}

// The list of collections: one button each to show it in the editor, and
// "Nuova raccolta".
function chooser(state, render) {
  const entries = state.collections.map((c) => {
    const current = c.id === state.active;
    const button = el('button', { type: 'button', class: 'button secondary collection-choose', 'data-id': c.id, 'aria-current': current ? 'true' : false },
      c.title || 'Senza titolo');
    button.addEventListener('click', () => { choose(c.id); render('#collection-title'); });
    return el('li', {}, button, ' ', el('span', { class: 'muted' }, plural(c.items.length, 'pratica', 'pratiche')));
  });
  const add = el('button', { type: 'button', class: 'button secondary collection-new' }, 'Nuova raccolta');
  add.addEventListener('click', () => {
    if (!create('')) status.textContent = `Puoi tenere al massimo ${MAX_COLLECTIONS} raccolte: eliminane una.`;
    render('#collection-title');
  });
  return el('nav', { class: 'collection-chooser', 'aria-label': 'Le mie raccolte' },
    entries.length ? el('ul', { class: 'collection-list' }, ...entries) : '', el('p', {}, add));
}

// Deleting asks once more, inline (no modal dialog).
function deleteControl(collection, render) {
  const holder = el('p', { class: 'collection-delete' });
  const ask = el('button', { type: 'button', class: 'button secondary remove collection-delete-ask' }, 'Elimina questa raccolta');
  ask.addEventListener('click', () => {
    const yes = el('button', { type: 'button', class: 'button remove collection-delete-confirm' }, 'Sì, elimina');
    const no = el('button', { type: 'button', class: 'button secondary collection-delete-cancel' }, 'Annulla');
    yes.addEventListener('click', () => {
      remove(collection.id);
      status.textContent = `Raccolta «${collection.title}» eliminata.`;
      render('.collection-new');
    });
    no.addEventListener('click', () => render('.collection-delete-ask'));
    holder.replaceChildren(`Eliminare «${collection.title}» da questo browser? `, yes, ' ', no);
    yes.focus();
  });
  holder.append(ask);
  return holder;
}

// `edited` refreshes what shows the collection's text (title, link) in
// place: a note or a title is saved on `change`, which fires as the focus
// leaves for the next field, and drawing the editor again there would
// drop the focus (and a click on «Copia il link»).
function items(collection, render, edited) {
  return collection.items.map((item, i) => {
    const note = el('textarea', { id: `nota-${i}`, rows: 2, maxlength: 500 }, item.note);
    note.addEventListener('change', () => { collection.items[i].note = note.value; update(collection); edited(); });
    const move = (delta, text, label) => {
      const button = el('button', { type: 'button', class: 'button secondary move', 'aria-label': `${label}: ${item.title}`, disabled: i + delta < 0 || i + delta >= collection.items.length }, text);
      button.addEventListener('click', () => {
        const [moved] = collection.items.splice(i, 1);
        collection.items.splice(i + delta, 0, moved);
        update(collection);
        render(`[data-index="${i + delta}"] .move-${delta < 0 ? 'up' : 'down'}`);
      });
      button.classList.add(delta < 0 ? 'move-up' : 'move-down');
      return button;
    };
    const drop = el('button', { type: 'button', class: 'button secondary remove', 'aria-label': `Togli dalla raccolta: ${item.title}` }, 'Togli');
    drop.addEventListener('click', () => { collection.items.splice(i, 1); update(collection); render('#collection-title'); });
    return el('li', { class: 'collection-item card', 'data-index': i },
      el('p', { class: 'collection-item-title' }, el('a', { href: `/pratiche/${item.slug}` }, item.title)),
      el('label', { for: `nota-${i}` }, 'Nota per la classe (facoltativa)'), note,
      el('p', { class: 'collection-item-actions' }, move(-1, '↑ Su', 'Sposta su'), ' ', move(1, '↓ Giù', 'Sposta giù'), ' ', drop));
  });
}

// The server refuses a request line over 8 KiB (414): a link longer than
// this would open an error page, not the collection.
const MAX_LINK = 8000;

// The share link's controls, or, when the link would be too long to open,
// what to do instead.
function showShare(container, collection) {
  const link = shareLink(collection);
  const url = new URL(link);
  const tooLong = url.pathname.length + url.search.length > MAX_LINK;
  container.querySelector('.share-link')?.setAttribute('href', link);
  const actions = container.querySelector('.share-actions');
  if (actions) actions.hidden = tooLong;
  const note = container.querySelector('.share-too-long');
  if (note) note.hidden = !tooLong;
}

function editor(container) {
  const render = (focusSelector) => {
    const state = loadAll();
    const collection = state.collections.find((c) => c.id === state.active);
    const parts = [chooser(state, render)];
    const edited = () => {
      const name = collection.title || 'Senza titolo';
      container.querySelector('#collection-editing-title')?.replaceChildren(`Raccolta «${name}»`);
      for (const b of container.querySelectorAll('.collection-choose')) if (b.dataset.id === collection.id) b.textContent = name;
      showShare(container, collection);
    };
    if (!collection) {
      parts.push(el('p', { class: 'muted' },
        'Non hai ancora raccolte. Creane una con «Nuova raccolta», oppure aggiungi le pratiche dalla ',
        el('a', { href: '/docenti' }, 'pagina per i docenti'),
        ' o dalla pagina di una pratica con «Aggiungi a una raccolta».'));
    } else {
      const title = el('input', { id: 'collection-title', type: 'text', maxlength: 120, value: collection.title, placeholder: 'per esempio: Acqua e rifiuti, classe 2ª B' });
      title.addEventListener('change', () => { collection.title = title.value; update(collection); edited(); });
      const section = [el('h2', { class: 'collection-editing', id: 'collection-editing-title' }, `Raccolta «${collection.title || 'Senza titolo'}»`),
        el('p', {}, el('label', { for: 'collection-title' }, 'Titolo della raccolta'), title)];
      if (!collection.items.length) {
        section.push(el('p', { class: 'muted' }, 'Questa raccolta è vuota. Aggiungi le pratiche dalla ',
          el('a', { href: '/docenti' }, 'pagina per i docenti'), ' o dalla pagina di una pratica.'));
      } else {
        const link = shareLink(collection);
        const copyButton = el('button', { type: 'button', class: 'copy-link' }, 'Copia il link della raccolta');
        copyButton.addEventListener('click', () => copy(shareLink(collection)));
        section.push(el('ol', { class: 'collection-items' }, ...items(collection, render, edited)),
          el('p', { class: 'share-actions' }, copyButton, ' ',
            el('a', { href: link, class: 'share-link' }, 'Apri la raccolta da stampare o condividere')),
          el('p', { class: 'notice warn share-too-long', hidden: true },
            'Questa raccolta è troppo lunga per stare in un link: accorcia le note o togli qualche pratica.'));
      }
      section.push(deleteControl(collection, render));
      parts.push(el('section', { class: 'collection-current', 'aria-labelledby': 'collection-editing-title' }, ...section));
    }
    parts.push(status);
    container.replaceChildren(...parts);
    if (collection) showShare(container, collection);
    // A move to the first or last place disables the button that was used:
    // the focus goes to the item's other one, never to the page.
    let target = focusSelector ? container.querySelector(focusSelector) : null;
    if (target?.disabled) target = target.closest('li')?.querySelector('.move:not(:disabled)') || target.closest('li')?.querySelector('a');
    target?.focus();
  };
  render();
  window.addEventListener('storage', () => render());
}

function shared(actions) {
  const keep = el('button', { type: 'button', class: 'copy-link' }, 'Salva tra le mie raccolte');
  let saved = null;  // a second click would save a second copy
  keep.addEventListener('click', () => {
    if (saved) {
      status.textContent = `Raccolta «${saved.title}» già salvata in questo browser: la trovi in «Le mie raccolte».`;
      return;
    }
    const incoming = fromLink(location.search);
    // Titles from the page, which knows them.
    const titles = new Map([...document.querySelectorAll('.handout-practice')]
      .map((a) => [a.dataset.slug, a.querySelector('.handout-title')?.textContent || '']));
    incoming.items.forEach((item) => { if (titles.get(item.slug)) item.title = titles.get(item.slug); });
    const made = create(incoming.title, incoming.items);
    saved = made;
    status.textContent = made
      ? `Raccolta «${made.title}» salvata in questo browser: la trovi in «Le mie raccolte».`
      : `Hai già ${MAX_COLLECTIONS} raccolte: eliminane una per salvare questa.`;
  });
  actions.replaceChildren(printButton(), ' ', keep, status);
}

const editorContainer = document.getElementById('collection-editor');
const actions = document.getElementById('collection-actions');
if (editorContainer) editor(editorContainer);
if (actions) shared(actions);
