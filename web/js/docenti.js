// The teachers' page: the filters and the practices with a lesson sheet are
// rendered by the server (they work without JavaScript); here, the
// "Aggiungi a una raccolta" menus, and the 12 training modules grouped by
// macro-action, each with the practices linked to it (/api/search?module=mXX).
import { search } from './api.js';
import { loadVocabularies } from './taxonomy.js';
import { el, plural } from './format.js';
import { emptyState, toQueryString } from './url-state.js';
import { addButtons } from './collections.js';

const MAX_PER_MODULE = 50;

function practiceItem(result, vocab) {
  const url = result.url || `/pratiche/${encodeURIComponent(result.slug)}`;
  const place = [vocab.label('region', result.region), result.city].filter(Boolean).join(' · ');
  return el('li', { class: 'practice-item' },
    el('a', { href: url }, result.title || result.slug),
    place ? el('span', { class: 'practice-place' }, place) : null);
}

function searchLink(facet, value, text) {
  const state = emptyState();
  state.filters[facet] = [value];
  return el('a', { href: `/${toQueryString(state)}` }, text);
}

async function practicesFor(facet, value) {
  const state = emptyState();
  state.filters[facet] = [value];
  state.sort = 'title';
  return search(state, { perPage: MAX_PER_MODULE });
}

function moduleCard(module, answer, vocab) {
  const results = (answer && answer.results) || [];
  const total = Number((answer && answer.total) || 0);
  const code = String(module.value).toUpperCase();
  const list = results.length
    ? el('ul', { class: 'practice-list' }, ...results.map((r) => practiceItem(r, vocab)))
    : el('p', { class: 'muted' }, answer ? 'Nessuna pratica collegata per ora.' : 'Pratiche non disponibili in questo momento.');
  return el('article', { class: 'module card', id: `modulo-${module.value}` },
    el('p', { class: 'module-code' }, `Modulo ${code}`),
    el('h4', {}, module.label),
    module.description ? el('p', { class: 'module-description' }, module.description) : null,
    el('h5', { class: 'module-count' }, total ? plural(total, 'pratica collegata', 'pratiche collegate') : 'Pratiche collegate'),
    list,
    total > results.length ? el('p', {}, searchLink('module', module.value, `Vedi tutte le ${total} pratiche del modulo`)) : null,
    el('p', { class: 'module-links' },
      el('a', { href: `/programma#attivita-${encodeURIComponent(module.value)}` }, 'Date e iscrizioni del modulo')));
}

async function init() {
  const status = document.getElementById('docenti-status');
  const container = document.getElementById('modules');
  const toc = document.getElementById('toc');
  const vocab = await loadVocabularies();
  const modules = vocab.vocab('module');
  const macros = vocab.vocab('macro_action');

  const moduleAnswers = await Promise.all(modules.map((m) => practicesFor('module', m.value).catch(() => null)));
  const answers = new Map(modules.map((m, i) => [m.value, moduleAnswers[i]]));

  const groups = macros.length ? macros : [{ value: '', label: 'Moduli formativi' }];
  const sections = groups.map((macro) => {
    const own = modules.filter((m) => !macro.value || m.macro_action === macro.value);
    const id = `macro-${macro.value || 'tutti'}`;
    toc.insertBefore(el('li', {}, el('a', { href: `#${id}` }, macro.label)), toc.lastElementChild);
    return el('section', { class: 'macro', id, 'aria-labelledby': `${id}-title` },
      el('h3', { id: `${id}-title` }, macro.label),
      el('div', { class: 'module-grid' }, ...own.map((m) => moduleCard(m, answers.get(m.value), vocab))));
  });
  container.replaceChildren(...sections);
  container.setAttribute('aria-busy', 'false');

  status.textContent = modules.length
    ? `${plural(modules.length, 'modulo formativo', 'moduli formativi')} con le pratiche collegate.`
    : 'Non è stato possibile caricare i moduli. Riprova tra poco.';
}

addButtons();
init();
