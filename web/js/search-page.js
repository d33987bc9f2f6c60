// The search page: wires the URL state, the API client, the facet panels,
// the map, the suggestions and the result list together. The server has
// already rendered the first answer (it works without JavaScript); this
// module takes over from that HTML, reading the embedded answer and
// vocabularies (#search-data) instead of asking for them again.
import { search } from './api.js';
import { parseState, writeUrl, cloneState, toggleFilter, hasFilters, toQueryString, emptyState, queryWords } from './url-state.js';
import { loadVocabularies, Vocabularies } from './taxonomy.js';
import { FacetPanels } from './facets.js';
import { RegionMap } from './map.js';
import { SuggestBox } from './suggest.js';
import { resultCard, statusText, renderChips, renderPagination, quotedWords } from './results.js';
import { el, plural } from './format.js';

const TYPING_DELAY_MS = 250;
// A typed query counts for the editors' report once the person has stopped
// typing this long (the searches made while typing do not count).
const SETTLED_DELAY_MS = 2000;
const $ = (id) => document.getElementById(id);

const dom = {
  hero: document.querySelector('.hero'),
  form: $('search-form'),
  input: $('q'),
  sort: $('sort'),
  sortBox: $('sort-box'),
  skipResults: $('skip-results'),
  filters: $('filters'),
  filtersCount: $('filters-count'),
  facets: $('facets'),
  status: $('results-status'),
  heading: $('results-heading'),
  results: $('results'),
  list: $('result-list'),
  chipsBox: $('active-filters'),
  chips: $('chips'),
  clear: $('clear-filters'),
  interpretation: $('interpretation'),
  empty: $('empty-state'),
  emptyMessage: $('empty-message'),
  emptyThemes: $('empty-themes'),
  emptyThemesTip: $('empty-themes-tip'),
  emptyThemesWithin: $('empty-themes-within'),
  emptyFiltersTip: $('empty-filters-tip'),
  emptyWithoutFilters: $('empty-without-filters'),
  emptyWordsTip: $('empty-words-tip'),
  emptyReset: $('empty-reset'),
  pagination: $('pagination'),
  filtersForm: $('filters-form'),
  apply: $('filters-apply'),
};

document.documentElement.classList.add('js');

// The server's first answer for this URL and the vocabularies, or null.
function embedded() {
  const node = $('search-data');
  if (!node) return null;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return null;
  }
}
const initial = embedded();

let state = parseState(location.search);
let vocab = null;
let panels = null;
let map = null;
let controller = null;
let sequence = 0;
let typingTimer = 0;
let settledTimer = 0;
// The query and filters last counted (the server counted the page it
// rendered): the same search is not counted again for a sort or a page.
const countKey = (s) => (s.q ? JSON.stringify([s.q, s.filters]) : '');
let counted = countKey(state);

// Whether `s` is a new search to count, and marks it counted.
function countNow(s) {
  const key = countKey(s);
  if (!key || key === counted) return false;
  counted = key;
  return true;
}
// Applies a new state: writes the URL (push for deliberate actions, replace
// while typing) and runs the search.
function go(next, { push = true } = {}) {
  state = next;
  writeUrl(state, { push });
  run({ analytics: push && countNow(state) });
}

async function run({ answer = null, analytics = false } = {}) {
  if (answer) {
    render(answer);
    return;
  }
  if (controller) controller.abort();
  const mine = new AbortController();
  controller = mine;
  const ticket = ++sequence;
  dom.results.setAttribute('aria-busy', 'true');
  dom.results.classList.add('is-loading');
  try {
    const answer = await search(state, { signal: mine.signal, analytics });
    // A newer request started meanwhile: this answer is stale.
    if (ticket !== sequence) return;
    render(answer);
  } catch (error) {
    if (error.name === 'AbortError' || ticket !== sequence) return;
    console.warn('search failed', error);
    // A 400 is the query's own fault (too long, bad characters): its
    // message says what to do.
    dom.status.textContent = error.status === 400 && error.message
      ? error.message
      : 'La ricerca non è disponibile in questo momento. Riprova tra poco.';
    dom.list.replaceChildren();
  } finally {
    if (ticket === sequence) {
      dom.results.setAttribute('aria-busy', 'false');
      dom.results.classList.remove('is-loading');
    }
  }
}

function render(answer) {
  const results = answer.results || [];
  const first = ((answer.page || 1) - 1) * (answer.per_page || 10) + 1;
  dom.list.replaceChildren(...results.map((result, i) => resultCard(result, vocab, { q: state.q, position: first + i })));
  dom.list.start = first;
  dom.status.textContent = statusText(answer, state);
  document.title = state.q ? `${state.q} – Buone Pratiche` : 'Buone Pratiche – Reti solidali e competenti';

  const chipCount = renderChips(dom.chips, state, vocab, (facet, value) => {
    go(toggleFilter(state, facet, value, false));
    // The chip is about to disappear: keep the focus near the results.
    dom.heading.focus();
  });
  dom.chipsBox.hidden = chipCount === 0;
  dom.filtersCount.textContent = chipCount ? `(${plural(chipCount, 'attivo', 'attivi')})` : '';
  const total = Number(answer.total || 0);
  dom.apply.textContent = total ? `Mostra ${plural(total, 'pratica', 'pratiche')}` : 'Mostra i risultati';

  renderInterpretation(answer.interpretation, answer.total > 0);
  renderEmpty(Number(answer.total || 0) === 0);
  renderPagination(dom.pagination, answer, state, (page) => {
    const next = cloneState(state);
    next.page = page;
    go(next);
    showResults();
  });

  panels.update(answer.facets || {}, state);
  map.update((answer.facets || {}).region || {}, state.filters.region || []);
}

function renderInterpretation(interpretation, found) {
  const corrected = Object.entries((interpretation && interpretation.corrected) || {});
  const parts = [];
  if (corrected.length) {
    parts.push(`Abbiamo corretto ${corrected.map(([from, to]) => `«${from}» in «${to}»`).join(', ')}.`);
  }
  // With no result, no result lacks a word (search_page.cc says the same).
  if (found && interpretation && interpretation.relaxed && (interpretation.dropped || []).length) {
    parts.push(`Non tutte le parole sono presenti in ogni risultato (${quotedWords(interpretation.dropped)}).`);
  }
  const synonyms = (interpretation && interpretation.synonyms) || [];
  if (synonyms.length) {
    // The first few, as the server-rendered page (search_page.cc) shows them.
    const shown = quotedWords(synonyms.slice(0, 5));
    // With no result, what was also searched for (search_page.cc says the same).
    parts.push(`${found ? 'Risultati anche per' : 'Abbiamo cercato anche'}: ${shown}${synonyms.length > 5 ? '…' : '.'}`);
  }
  const unread = (interpretation && interpretation.unread) || [];
  if (unread.length) {
    const shown = quotedWords(unread.slice(0, 5));
    parts.push(`Ricerca troppo lunga: non abbiamo cercato le ultime parole (${shown}${unread.length > 5 ? ', …' : ''}).`);
  }
  dom.interpretation.textContent = parts.join(' ');
  dom.interpretation.hidden = parts.length === 0;
}

// Brings the results into view and moves the focus to their heading (after
// a page change, "Mostra N pratiche", or "Vai ai risultati").
function showResults() {
  dom.status.scrollIntoView({ block: 'start' });
  dom.heading.focus({ preventScroll: true });
}

function renderEmpty(isEmpty) {
  dom.empty.hidden = !isEmpty;
  dom.results.hidden = isEmpty;
  // Nothing to sort.
  dom.sortBox.hidden = isEmpty;
  if (!isEmpty) return;
  // "Togli uno o più filtri" only when there is a filter to take away;
  // with words too, only when they find something without the filters
  // (offerWithoutFilters says, as the server did on a first page).
  if (!(state.q && hasFilters(state))) dom.emptyFiltersTip.hidden = !hasFilters(state);
  dom.emptyMessage.textContent = state.q
    ? `Non abbiamo trovato pratiche per «${state.q}»${hasFilters(state) ? ' con i filtri scelti' : ''}. Qualche idea:`
    : 'Nessuna pratica corrisponde ai filtri scelti. Qualche idea:';
  offerThemes();
  offerWithoutFilters();
}

// The themes to try, as the server renders them (empty_themes_view): the
// four with the most practices within the filters (without the words), or
// in the whole library when the filters alone leave nothing.
let themesAsked = 0;
const EMPTY_THEMES = 4;
function offerThemes() {
  // The links shown stay until the answer replaces them (the server's, on
  // a first page, are already these).
  const asked = ++themesAsked;
  const base = emptyState();
  if (state.q) base.filters = cloneState(state).filters;
  const ask = (target) => search(target, { perPage: 1 }).then((answer) =>
    (answer && answer.total > 0) || !hasFilters(target) ? { target, answer } : ask(emptyState()));
  ask(base)
    .then(({ target, answer }) => {
      if (asked !== themesAsked || !answer) return;
      const counts = (answer.facets && answer.facets.theme) || {};
      const themes = vocab.vocab('theme')
        .map((theme, i) => ({ theme, i, count: Number(counts[theme.value] || 0) }))
        .filter((t) => t.count > 0)
        .sort((a, b) => b.count - a.count || a.i - b.i)
        .slice(0, EMPTY_THEMES);
      const links = [];
      themes.forEach(({ theme, count }, n) => {
        const next = cloneState(target);
        next.filters.theme = [theme.value];
        const a = el('a', { href: `/${toQueryString(next)}` }, theme.label);
        a.addEventListener('click', (event) => {
          event.preventDefault();
          dom.input.value = '';
          go(next);
        });
        links.push(a, ` (${plural(count, 'pratica', 'pratiche')})`);
        if (n < themes.length - 1) links.push(', ');
      });
      dom.emptyThemes.replaceChildren(...links);
      dom.emptyThemesWithin.textContent = hasFilters(target) ? ' con i filtri scelti' : '';
      dom.emptyThemesTip.hidden = themes.length === 0;
    })
    .catch(() => {});
}

// Nothing with the filters chosen: how many the words alone find, as a
// link (the server renders the same on a first page).
let withoutFiltersAsked = 0;
function offerWithoutFilters() {
  const box = dom.emptyWithoutFilters;
  if (!box) return;
  const asked = ++withoutFiltersAsked;
  box.hidden = true;
  box.replaceChildren();
  // Advice on the words only when there are words (hidden again below when
  // they find something without the filters).
  if (dom.emptyWordsTip) dom.emptyWordsTip.hidden = !state.q;
  if (!state.q || !hasFilters(state)) return;
  const target = emptyState();
  target.q = state.q;
  target.sort = state.sort;
  search(target, { perPage: 1 })
    .then((answer) => {
      if (asked !== withoutFiltersAsked || !answer) return;
      // The words alone find nothing either: no filter is in the way.
      dom.emptyFiltersTip.hidden = !(answer.total > 0);
      if (!(answer.total > 0)) return;
      const a = el('a', { class: 'button', href: `/${toQueryString(target)}` },
        `Mostra ${plural(answer.total, 'pratica', 'pratiche')} per «${target.q}» senza i filtri`);
      a.addEventListener('click', (event) => {
        event.preventDefault();
        go(target);
      });
      box.replaceChildren(a);
      box.hidden = false;
      if (dom.emptyWordsTip) dom.emptyWordsTip.hidden = true;
    })
    .catch(() => {});
}

// A query sent (Enter, «Cerca», a suggestion picked) makes room for its
// results on a phone: the introduction above the search box gives way
// (.hero-results in search.css), as on a page the server rendered for a
// query. Not while typing, so the box never moves under the fingers.
function searched(q) {
  if (dom.hero) dom.hero.classList.toggle('hero-results', Boolean(q));
}

function syncControls() {
  if (dom.input.value !== state.q) dom.input.value = state.q;
  dom.sort.value = state.sort;
}

function onToggle(facet, value, on) {
  go(toggleFilter(state, facet, value, on));
}

async function init() {
  syncControls();
  vocab = initial && initial.taxonomy ? new Vocabularies(initial.taxonomy) : await loadVocabularies();
  map = new RegionMap(vocab, { onToggle });
  panels = new FacetPanels(dom.facets, vocab, { onToggle, regionExtra: map.figure });

  const suggestions = new SuggestBox(dom.input, $('q-suggestions'), {
    onPickTerm: (text) => {
      const next = cloneState(state);
      next.q = text;
      next.page = 1;
      searched(next.q);
      go(next);
    },
  });

  dom.input.addEventListener('input', () => {
    clearTimeout(typingTimer);
    clearTimeout(settledTimer);
    settledTimer = setTimeout(() => {
      if (queryWords(dom.input.value) === state.q && countNow(state)) {
        search(state, { perPage: 1, analytics: true }).catch(() => {});
      }
    }, SETTLED_DELAY_MS);
    typingTimer = setTimeout(() => {
      const q = queryWords(dom.input.value);
      if (q === state.q) return;
      const next = cloneState(state);
      next.q = q;
      next.page = 1;
      go(next, { push: false });
    }, TYPING_DELAY_MS);
  });

  dom.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    suggestions.dismiss();
    const next = cloneState(state);
    next.q = queryWords(dom.input.value);
    next.page = 1;
    searched(next.q);
    go(next);
  });

  dom.sort.addEventListener('change', () => {
    const next = cloneState(state);
    next.sort = dom.sort.value;
    next.page = 1;
    go(next);
  });

  dom.clear.addEventListener('click', (event) => {
    event.preventDefault();
    const next = cloneState(state);
    next.filters = {};
    next.page = 1;
    go(next);
    dom.input.focus();
  });

  dom.emptyReset.addEventListener('click', (event) => {
    event.preventDefault();
    dom.input.value = '';
    go(emptyState());
    searched('');
    dom.input.focus();
  });

  window.addEventListener('popstate', () => {
    clearTimeout(typingTimer);
    suggestions.dismiss();
    state = parseState(location.search);
    syncControls();
    // Back to the home page shows its introduction again (a phone folds it
    // away for results).
    searched(state.q);
    run();
  });

  // Filters are open beside the results on wide screens, folded on phones.
  const wide = window.matchMedia('(min-width: 60em)');
  const applyWidth = () => { dom.filters.open = wide.matches; };
  applyWidth();
  wide.addEventListener('change', applyWidth);

  // Every tick already searched: the button only closes the panel on a
  // phone and brings the results into view.
  dom.filtersForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!wide.matches) dom.filters.open = false;
    showResults();
  });

  // "Vai ai risultati" skips the filters. Handled here so the fragment does
  // not enter the URL (and the history) of the search.
  dom.skipResults.addEventListener('click', (event) => {
    event.preventDefault();
    showResults();
  });

  // The first answer is in the page when it was rendered for this very URL.
  const fresh = initial && initial.answer && initial.query === toQueryString(state);
  await run({ answer: fresh ? initial.answer : null });
}

init();
