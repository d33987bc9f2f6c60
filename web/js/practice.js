// The practice page's small behaviours: "Copia link" copies the page's
// address, "Copia citazione" the citation line; both confirm in a live
// region and fall back to selecting the text when the clipboard is refused.
// "Aggiungi a una raccolta" keeps the practice in the reader's collections;
// the lesson-sheet handout gets a "Stampa" button.
import { addButtons } from './collections.js';

const status = document.createElement('span');
status.className = 'copy-status';
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');

async function copy(text, done) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = done;
  } catch {
    // No clipboard (insecure origin, permission refused): show the text
    // selected, ready for Ctrl+C.
    const field = document.createElement('input');
    field.type = 'text';
    field.readOnly = true;
    field.value = text;
    field.setAttribute('aria-label', 'Testo da copiare');
    field.className = 'copy-fallback';
    status.replaceChildren('Copia il testo selezionato: ', field);
    field.focus();
    field.select();
  }
}

// "Torna alla ricerca" (at the top and at the bottom of the page) goes back
// to the search the reader came from, with its query and filters, rather
// than to an empty search page.
function backToSearch() {
  let from;
  try {
    from = new URL(document.referrer);
  } catch {
    return;
  }
  if (from.origin !== location.origin || from.pathname !== '/') return;
  for (const link of document.querySelectorAll('main a.back-to-search')) link.href = from.href;
}

// On paper every folded list (the questions beyond the first three) is
// open: print.css opens them where the browser allows it (::details-content),
// this handler everywhere else; afterprint folds them again.
function printOpen() {
  let opened = [];
  window.addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll('.practice details:not([open])')].filter((d) => !d.closest('.no-print'));
    for (const details of opened) details.open = true;
  });
  window.addEventListener('afterprint', () => {
    for (const details of opened) details.open = false;
    opened = [];
  });
}

function init() {
  backToSearch();
  printOpen();
  addButtons();
  for (const button of document.querySelectorAll('.print-button')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
  const button = document.querySelector('.copy-link');
  const citation = document.querySelector('.citation');
  if (!button) return;
  const actions = button.parentElement;
  actions.classList.add('share-actions');
  const url = button.dataset.url || location.href.split('#')[0];
  button.addEventListener('click', () => copy(url, 'Link copiato negli appunti.'));
  if (citation) {
    const cite = document.createElement('button');
    cite.type = 'button';
    cite.className = 'copy-citation';
    cite.textContent = 'Copia citazione';
    const text = citation.textContent.replace(/^\s*Come citare:\s*/, '').trim();
    cite.addEventListener('click', () => copy(text, 'Citazione copiata negli appunti.'));
    button.after(cite);
  }
  actions.append(status);
}

init();
