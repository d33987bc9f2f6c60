// The search page's whole state lives in the URL: q, one repeated parameter
// per facet (theme=a&theme=b), sort and page. A link reproduces the view.

// Facets shown as panels, in display order, plus `module`, which the
// teachers' page links to (/?module=m03) and shows as a chip only.
export const FACETS = ['theme', 'hub', 'region', 'dimension', 'sdg', 'audience', 'level', 'subject', 'duration', 'year'];
export const URL_FACETS = [...FACETS, 'module'];
export const SORTS = ['relevance', 'date', 'title'];

export function emptyState() {
  return { q: '', filters: {}, sort: 'relevance', page: 1 };
}

// The words of a typed or linked query as searched and quoted: one space
// between them, none around, at most 500 characters (the box's maxlength;
// the server's search page reads ?q= the same way).
export function queryWords(text) {
  return [...String(text).replace(/\s+/g, ' ').trim()].slice(0, 500).join('').trimEnd();
}

// Reads a state from a query string ("?q=...&theme=...").
export function parseState(search) {
  const params = new URLSearchParams(search);
  const state = emptyState();
  state.q = queryWords(params.get('q') || '');
  for (const facet of URL_FACETS) {
    const values = [...new Set(params.getAll(facet).filter(Boolean))];
    if (values.length) state.filters[facet] = values;
  }
  const sort = params.get('sort');
  if (SORTS.includes(sort)) state.sort = sort;
  const page = Number.parseInt(params.get('page') || '1', 10);
  state.page = Number.isFinite(page) && page >= 1 ? page : 1;
  return state;
}

// The query string for a state, without defaults, stable order.
export function toQueryString(state) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const facet of URL_FACETS) {
    for (const value of state.filters[facet] || []) params.append(facet, value);
  }
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function cloneState(state) {
  const filters = {};
  for (const [facet, values] of Object.entries(state.filters)) filters[facet] = [...values];
  return { ...state, filters };
}

export function hasFilters(state) {
  return Object.values(state.filters).some((values) => values.length > 0);
}

// Returns a new state with `value` added to or removed from `facet`; any
// change of filters goes back to page 1.
export function toggleFilter(state, facet, value, on) {
  const next = cloneState(state);
  const values = new Set(next.filters[facet] || []);
  if (on) values.add(value); else values.delete(value);
  if (values.size) next.filters[facet] = [...values]; else delete next.filters[facet];
  next.page = 1;
  return next;
}

// Writes the state into the address bar. `push` adds a history entry (a
// filter, a page, a submitted search); typing replaces the current one.
export function writeUrl(state, { push }) {
  const url = `${location.pathname}${toQueryString(state)}`;
  if (url === `${location.pathname}${location.search}`) return;
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}
