// The practice page's small behaviours: "Copia link" copies the page's
// address, "Copia citazione" the citation line; both confirm in a live
// region and fall back to selecting the text when the clipboard is refused.
// "Stampa" and "Condividi" (above the practice) print the page and share its
// address (the system's share sheet where there is one, else the clipboard);
// they exist only with JavaScript, so the page never shows a dead button.
// "Aggiungi a una raccolta" keeps the practice in the reader's collections;
// the lesson-sheet handout gets a "Stampa" button.
import { addButtons } from './collections.js';

// A polite live region, present (empty) from the start so that screen
// readers announce what is later written into it.
function liveRegion(className) {
  const region = document.createElement('span');
  region.className = className;
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  return region;
}

const status = liveRegion('copy-status');

async function copy(text, done, { where = status, label = 'Testo da copiare', prompt = 'Copia il testo selezionato: ' } = {}) {
  // Emptied first, so the same message clicked twice is announced twice.
  where.textContent = '';
  try {
    await navigator.clipboard.writeText(text);
    where.textContent = done;
  } catch {
    // No clipboard (insecure origin, permission refused): show the text
    // selected, ready for Ctrl+C.
    const field = document.createElement('input');
    field.type = 'text';
    field.readOnly = true;
    field.value = text;
    field.setAttribute('aria-label', label);
    field.className = 'copy-fallback';
    where.replaceChildren(prompt, field);
    field.focus();
    field.select();
  }
}

// The page's own address: the canonical link, else the one "Copia link"
// carries, else the address bar's without its fragment.
function pageUrl() {
  const canonical = document.querySelector('link[rel="canonical"]');
  const button = document.querySelector('.copy-link[data-url]');
  return (canonical && canonical.href) || (button && button.dataset.url) || location.href.split('#')[0];
}

function actionButton(className, text) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `page-action ${className}`;
  button.textContent = text;
  return button;
}

// "Stampa" and "Condividi" beside "Torna alla ricerca", above the practice;
// hidden on paper with the rest of that line (.no-print).
function pageActions() {
  const place = document.querySelector('.back-top');
  if (!place) return;
  const group = document.createElement('div');
  group.className = 'page-actions no-print';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Stampa o condividi la pratica');
  const print = actionButton('print-page', 'Stampa');
  const share = actionButton('share-page', 'Condividi');
  const said = liveRegion('page-actions-status');
  print.addEventListener('click', () => window.print());
  share.addEventListener('click', async () => {
    const url = pageUrl();
    const heading = document.querySelector('.practice h1');
    const title = (heading && heading.textContent.trim()) || document.title;
    if (typeof navigator.share === 'function') {
      try {
        await navigator.share({ title, url });
        return;
      } catch (error) {
        // Closed by the reader: nothing to do. Refused (no permission, a
        // desktop without share targets): copy the link instead.
        if (error && error.name === 'AbortError') return;
      }
    }
    await copy(url, 'Link copiato negli appunti.', { where: said, label: 'Link della pratica', prompt: 'Copia il link selezionato: ' });
  });
  group.append(print, share);
  place.append(group, said);
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
  pageActions();
  addButtons();
  for (const button of document.querySelectorAll('.print-button')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
  const button = document.querySelector('.copy-link');
  const citation = document.querySelector('.citation');
  if (!button) return;
  // In the page hidden: without JavaScript it would copy nothing.
  button.hidden = false;
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
