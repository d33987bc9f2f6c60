// Facet panels: a fieldset of checkboxes per facet with disjunctive counts
// from /api/search. Panels are built once; each answer updates counts,
// checked states and order in place, never moving the control that has the
// focus, so keyboard users do not lose their place.
import { FACETS } from './url-state.js';
import { FACET_LABELS } from './taxonomy.js';
import { el, formatNumber } from './format.js';

const COLLAPSED_SIZE = 6;
const COLLAPSIBLE = new Set(['theme', 'region', 'sdg', 'year', 'audience', 'subject']);
const HUB_ORDER = ['nord', 'centro', 'sud'];

export class FacetPanels {
  // onToggle(facet, value, checked) is called on every checkbox change.
  constructor(container, vocabularies, { onToggle, regionExtra }) {
    this.container = container;
    this.vocab = vocabularies;
    this.onToggle = onToggle;
    this.panels = new Map();
    container.replaceChildren();
    for (const facet of FACETS) {
      const panel = this.buildPanel(facet, facet === 'region' ? regionExtra : null);
      this.panels.set(facet, panel);
      container.append(panel.root);
    }
    container.setAttribute('aria-busy', 'false');
  }

  buildPanel(facet, extra) {
    const id = `facet-${facet}`;
    const legend = el('legend', { class: 'facet-title' }, FACET_LABELS[facet]);
    const fieldset = el('fieldset', { class: 'facet', id, 'data-facet': facet }, legend);
    const panel = { facet, root: fieldset, items: new Map(), lists: new Map(), expanded: false, more: null };
    if (extra) fieldset.append(extra);

    if (facet === 'region') {
      // Regions grouped by hub: the hubs are visible and the list is the
      // keyboard and screen-reader equivalent of the map.
      const groups = el('div', { class: 'region-groups' });
      for (const hub of HUB_ORDER) {
        const title = el('p', { class: `hub-title hub-${hub}`, id: `${id}-${hub}` }, `Hub ${this.vocab.label('hub', hub)}`);
        const list = el('ul', { class: 'facet-list', 'aria-labelledby': `${id}-${hub}` });
        const group = el('div', { class: `region-group hub-${hub}` }, title, list);
        panel.lists.set(hub, { list, group });
        groups.append(group);
      }
      fieldset.append(groups);
    } else {
      const list = el('ul', { class: 'facet-list' });
      panel.lists.set('', { list, group: list });
      fieldset.append(list);
    }
    if (COLLAPSIBLE.has(facet) && facet !== 'region') {
      panel.more = el('button', { type: 'button', class: 'link-button facet-more', 'aria-expanded': 'false', 'aria-controls': id });
      panel.more.addEventListener('click', () => {
        panel.expanded = !panel.expanded;
        panel.more.setAttribute('aria-expanded', String(panel.expanded));
        this.applyVisibility(panel);
      });
      fieldset.append(panel.more);
    }
    for (const item of this.vocab.vocab(facet)) this.ensureItem(panel, item.value);
    return panel;
  }

  ensureItem(panel, value) {
    let item = panel.items.get(value);
    if (item) return item;
    const facet = panel.facet;
    const inputId = `f-${facet}-${value}`.replace(/[^a-zA-Z0-9_-]/g, '-');
    const input = el('input', { type: 'checkbox', id: inputId, name: facet, value });
    input.addEventListener('change', () => this.onToggle(facet, value, input.checked));
    const count = el('span', { class: 'facet-count' });
    const label = el('label', { for: inputId },
      facet === 'sdg' ? this.sdgBadge(value) : null,
      el('span', { class: 'facet-label' }, facet === 'sdg' ? this.vocab.label('sdg', value).replace(/^\d+\.\s*/, '') : this.vocab.label(facet, value)),
      count);
    const li = el('li', { class: 'facet-item', 'data-value': value }, input, label);
    item = { value, li, input, count, n: 0 };
    panel.items.set(value, item);
    const hub = facet === 'region' ? (this.vocab.hubOf(value) || 'nord') : '';
    (panel.lists.get(hub) || panel.lists.values().next().value).list.append(li);
    return item;
  }

  sdgBadge(value) {
    const badge = el('span', { class: `sdg-chip sdg-${value}`, 'aria-hidden': 'true' }, String(value));
    return badge;
  }

  // counts: facet -> value -> n (from the answer); state: the current state.
  update(counts, state) {
    for (const [facet, panel] of this.panels) {
      const facetCounts = (counts && counts[facet]) || {};
      const selected = new Set(state.filters[facet] || []);
      for (const value of [...Object.keys(facetCounts), ...selected]) this.ensureItem(panel, value);
      for (const item of panel.items.values()) {
        item.n = Number(facetCounts[item.value] || 0);
        item.input.checked = selected.has(item.value);
        item.count.replaceChildren(formatNumber(item.n), el('span', { class: 'visually-hidden' }, item.n === 1 ? ' pratica' : ' pratiche'));
        item.li.classList.toggle('is-zero', item.n === 0);
      }
      this.reorder(panel);
      this.applyVisibility(panel);
    }
  }

  reorder(panel) {
    // Never move the list the focus is in: the user is working there.
    if (panel.root.contains(document.activeElement)) return;
    const facet = panel.facet;
    let compare = null;
    if (facet === 'theme' || facet === 'audience') {
      compare = (a, b) => (b.n - a.n) || a.li.textContent.localeCompare(b.li.textContent, 'it');
    } else if (facet === 'year') {
      compare = (a, b) => Number(b.value) - Number(a.value);
    } else if (facet === 'sdg') {
      compare = (a, b) => Number(a.value) - Number(b.value);
    }
    if (!compare) return;
    for (const { list } of panel.lists.values()) {
      const items = [...panel.items.values()].filter((item) => item.li.parentNode === list).sort(compare);
      const current = [...list.children];
      if (items.every((item, i) => current[i] === item.li)) continue;
      for (const item of items) list.append(item.li);
    }
  }

  applyVisibility(panel) {
    const focused = document.activeElement;
    // Values that match nothing are hidden unless selected or focused.
    const visible = [...panel.items.values()].filter((item) => item.n > 0 || item.input.checked || item.li.contains(focused));
    const ordered = [...panel.lists.values()].flatMap(({ list }) => [...list.children]);
    const rank = new Map(ordered.map((li, i) => [li, i]));
    visible.sort((a, b) => rank.get(a.li) - rank.get(b.li));
    const shown = new Set(visible);
    if (panel.more) {
      const collapsible = visible.length > COLLAPSED_SIZE + 1;
      if (collapsible && !panel.expanded) {
        visible.forEach((item, i) => {
          if (i >= COLLAPSED_SIZE && !item.input.checked && !item.li.contains(focused)) shown.delete(item);
        });
      }
      panel.more.hidden = !collapsible;
      panel.more.textContent = panel.expanded ? 'Mostra meno' : `Mostra tutti (${visible.length})`;
    }
    for (const item of panel.items.values()) item.li.hidden = !shown.has(item);
    for (const { list, group } of panel.lists.values()) {
      group.hidden = ![...list.children].some((li) => !li.hidden);
    }
    panel.root.hidden = panel.items.size === 0 || visible.length === 0;
  }
}
