// Rendering of one search answer: the result cards (snippet HTML from the API,
// everything else as text), the count in the live region, chips for the
// active filters, "did you mean", pagination and the empty state.
import { el, plural, formatNumber } from './format.js';
import { FACET_LABELS } from './taxonomy.js';
import { URL_FACETS, toQueryString, cloneState } from './url-state.js';

// Keeps only <mark> from the API's snippet, which the server already escapes:
// a second guard so a snippet can never inject markup or handlers.
export function safeSnippet(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) out.append(node.textContent);
    else if (node.nodeName === 'MARK') out.append(el('mark', {}, node.textContent));
    else out.append(node.textContent);
  }
  return out;
}

// «a», «b»: the query's words as the page quotes them (search_page.cc's
// quoted_words()).
export function quotedWords(words) {
  return words.map((w) => `«${w}»`).join(', ');
}

// Why a result was found when its own text does not say (`found_in`).
const WHY = {
  in_parole_semplici: 'Trovata grazie alla descrizione in parole semplici',
  domande: 'Trovata grazie alle domande a cui risponde',
};

// The link of a result. From a search (`q` given), it goes through
// /vai/{position}/{slug}, which counts the click for the editors and
// redirects to the practice (the same link the server renders; no JavaScript
// needed); rel=nofollow keeps crawlers from counting.
function resultLink(result, q, position) {
  const page = result.url || `/pratiche/${encodeURIComponent(result.slug)}`;
  if (!q || !position) return { href: page };
  return { href: `/vai/${position}/${encodeURIComponent(result.slug)}?${new URLSearchParams({ q })}`, rel: 'nofollow' };
}

export function resultCard(result, vocab, { q = '', position = 0 } = {}) {
  const link = resultLink(result, q, position);
  const place = [vocab.label('region', result.region), result.city].filter(Boolean).join(' · ');
  const meta = el('p', { class: 'result-meta' },
    result.hub ? el('span', { class: `hub-dot hub-${result.hub}` }, `Hub ${vocab.label('hub', result.hub)}`) : null,
    place ? el('span', {}, place) : null,
    result.year ? el('span', {}, `dal ${result.year}`) : null);
  // Found only through the editors' plain words or questions: the snippet
  // is cut from them, and the card says so (as the server-rendered page does).
  const why = WHY[result.found_in] ? el('p', { class: 'result-why' }, WHY[result.found_in]) : null;
  // A case file in another language says so (screen readers read it so).
  const lang = result.language && result.language !== 'it' ? { lang: result.language } : {};
  const snippet = el('p', { class: 'result-snippet', ...lang });
  if (result.snippet) snippet.append(safeSnippet(result.snippet));
  else snippet.textContent = result.summary || '';
  // A relaxed answer's practice without some of the words (as the server
  // renders it).
  const missing = (result.missing || []).length
    ? el('p', { class: 'result-missing' }, `Non contiene: ${quotedWords(result.missing)}`)
    : null;
  const tags = el('ul', { class: 'result-tags', 'aria-label': 'Temi' },
    ...(result.themes || []).slice(0, 4).map((theme) => el('li', { class: 'tag' }, vocab.label('theme', theme))));
  return el('li', { class: 'result' },
    el('article', {},
      el('h3', { class: 'result-title', ...lang }, el('a', link, result.title || result.slug)),
      meta,
      why,
      snippet,
      missing,
      (result.themes || []).length ? tags : null));
}

export function statusText(answer, state) {
  const total = Number(answer.total || 0);
  // «😀», «?!»: nothing to search, every practice is listed (search_page.cc
  // status_text says the same).
  // Letters and decimal digits, as ICU's u_isalnum (bp::text::has_word_character).
  const noWords = state.q && !/[\p{L}\p{Nd}]/u.test(state.q);
  const count = noWords
    ? `Nessuna parola da cercare in «${state.q}»: ${total === 0 ? 'nessuna pratica' : plural(total, 'pratica', 'pratiche')}`
    : total === 0 ? 'Nessuna pratica trovata' : `${plural(total, 'pratica trovata', 'pratiche trovate')}`;
  const query = state.q && !noWords ? ` per «${state.q}»` : '';
  const pages = Math.max(1, Math.ceil(total / (answer.per_page || 10)));
  const page = total > 0 && pages > 1 ? ` – pagina ${formatNumber(answer.page || state.page)} di ${formatNumber(pages)}` : '';
  return `${count}${query}${page}`;
}

export function renderChips(list, state, vocab, onRemove) {
  const chips = [];
  for (const facet of URL_FACETS) {
    for (const value of state.filters[facet] || []) {
      const text = `${FACET_LABELS[facet]}: ${vocab.label(facet, value)}`;
      const button = el('button', { type: 'button', class: 'chip', 'aria-label': `Rimuovi il filtro ${text}` },
        el('span', {}, text), el('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'));
      button.addEventListener('click', () => onRemove(facet, value));
      chips.push(el('li', {}, button));
    }
  }
  list.replaceChildren(...chips);
  return chips.length;
}

// Numbered pages around the current one, with previous and next. Each is a
// real link (it works in a new tab); onGo intercepts plain clicks.
export function renderPagination(nav, answer, state, onGo) {
  const perPage = answer.per_page || 10;
  const pages = Math.ceil(Number(answer.total || 0) / perPage);
  const current = answer.page || state.page;
  if (pages <= 1) {
    nav.hidden = true;
    nav.replaceChildren();
    return;
  }
  const link = (page, text, attributes = {}) => {
    const target = cloneState(state);
    target.page = page;
    const a = el('a', { href: `/${toQueryString(target)}`, ...attributes }, text);
    a.addEventListener('click', (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      onGo(page);
    });
    return a;
  };
  const items = [];
  if (current > 1) items.push(el('li', {}, link(current - 1, '‹ Precedente', { rel: 'prev' })));
  const shown = new Set([1, pages, current - 1, current, current + 1].filter((p) => p >= 1 && p <= pages));
  let last = 0;
  for (const page of [...shown].sort((a, b) => a - b)) {
    if (page - last > 1) items.push(el('li', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    items.push(el('li', {}, page === current
      ? el('span', { class: 'current', 'aria-current': 'page' }, el('span', { class: 'visually-hidden' }, 'Pagina '), String(page))
      : link(page, el('span', {}, el('span', { class: 'visually-hidden' }, 'Pagina '), String(page)))));
    last = page;
  }
  if (current < pages) items.push(el('li', {}, link(current + 1, 'Successiva ›', { rel: 'next' })));
  nav.replaceChildren(el('ul', {}, ...items));
  nav.hidden = false;
}
