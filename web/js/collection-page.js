// /raccolta: without parameters, the editor of the reader's own collection
// (title, order, a note per practice, share link, print); with a shared
// link, the server-rendered collection plus "Stampa" and "Salva come mia
// raccolta".
import { el } from './format.js';
import { load, save, shareLink, fromLink } from './collections.js';

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

function editor(container) {
  let collection = load();
  const render = (focusSelector) => {
    collection = save(collection);
    if (!collection.items.length) {
      container.replaceChildren(el('p', { class: 'muted' },
        'La raccolta è vuota. Aggiungi le pratiche dalla ', el('a', { href: '/docenti' }, 'pagina per i docenti'),
        ' o dalla pagina di una pratica, con il pulsante «Aggiungi alla raccolta».'));
      return;
    }
    const title = el('input', { id: 'collection-title', type: 'text', maxlength: 120, value: collection.title, placeholder: 'per esempio: Acqua e rifiuti, classe 2ª B' });
    title.addEventListener('change', () => { collection.title = title.value; render(); });
    const items = collection.items.map((item, i) => {
      const note = el('textarea', { id: `nota-${i}`, rows: 2, maxlength: 500 }, item.note);
      note.addEventListener('change', () => { collection.items[i].note = note.value; render(); });
      const move = (delta, text, label) => {
        const button = el('button', { type: 'button', class: 'move', 'aria-label': `${label}: ${item.title}`, disabled: i + delta < 0 || i + delta >= collection.items.length }, text);
        button.addEventListener('click', () => {
          const [moved] = collection.items.splice(i, 1);
          collection.items.splice(i + delta, 0, moved);
          render(`[data-index="${i + delta}"] .move-${delta < 0 ? 'up' : 'down'}`);
        });
        button.classList.add(delta < 0 ? 'move-up' : 'move-down');
        return button;
      };
      const remove = el('button', { type: 'button', class: 'remove', 'aria-label': `Togli dalla raccolta: ${item.title}` }, 'Togli');
      remove.addEventListener('click', () => { collection.items.splice(i, 1); render('#collection-title'); });
      return el('li', { class: 'collection-item card', 'data-index': i },
        el('p', { class: 'collection-item-title' }, el('a', { href: `/pratiche/${item.slug}` }, item.title)),
        el('label', { for: `nota-${i}` }, 'Nota per la classe (facoltativa)'), note,
        el('p', { class: 'collection-item-actions' }, move(-1, '↑ Su', 'Sposta su'), ' ', move(1, '↓ Giù', 'Sposta giù'), ' ', remove));
    });
    const link = shareLink(collection);
    const copyButton = el('button', { type: 'button', class: 'copy-link' }, 'Copia il link della raccolta');
    copyButton.addEventListener('click', () => copy(link));
    container.replaceChildren(
      el('p', {}, el('label', { for: 'collection-title' }, 'Titolo della raccolta'), title),
      el('ol', { class: 'collection-items' }, ...items),
      el('p', { class: 'share-actions' }, copyButton, ' ',
        el('a', { href: link, class: 'share-link' }, 'Apri la raccolta da stampare o condividere'), status));
    if (focusSelector) container.querySelector(focusSelector)?.focus();
  };
  render();
}

function shared(actions) {
  const keep = el('button', { type: 'button', class: 'copy-link' }, 'Salva come mia raccolta');
  keep.addEventListener('click', () => {
    const incoming = fromLink(location.search);
    // Titles from the page, which knows them.
    const titles = new Map([...document.querySelectorAll('.handout-practice')]
      .map((a) => [a.dataset.slug, a.querySelector('.handout-title')?.textContent || '']));
    incoming.items.forEach((item) => { if (titles.get(item.slug)) item.title = titles.get(item.slug); });
    save(incoming);
    status.textContent = 'Raccolta salvata in questo browser: la trovi in «La mia raccolta».';
  });
  actions.replaceChildren(printButton(), ' ', keep, status);
}

const editorContainer = document.getElementById('collection-editor');
const actions = document.getElementById('collection-actions');
if (editorContainer) editor(editorContainer);
if (actions) shared(actions);
