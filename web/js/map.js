// A map of Italy by region, coloured by the number of matching practices
// (the region facet's counts). Clicking a region toggles the region filter.
// The SVG is hidden from assistive technology: the region checkboxes beside
// it (grouped by hub) are the same filter for keyboard and screen readers.
import { el, formatNumber, plural } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const STEPS = 5;

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

// Class step for a count: 0 for none, then 1..STEPS by share of the maximum.
export function step(n, max) {
  if (!n || !max) return 0;
  return Math.max(1, Math.min(STEPS, Math.ceil((n / max) * STEPS)));
}

export class RegionMap {
  constructor(vocabularies, { onToggle }) {
    this.vocab = vocabularies;
    this.onToggle = onToggle;
    this.paths = new Map();
    this.titles = new Map();
    this.counts = {};
    this.selected = new Set();
    this.legend = el('p', { class: 'map-legend' });
    this.figure = el('figure', { class: 'map', 'data-ready': 'false' });
    this.canvas = el('div', { class: 'map-canvas' });
    this.figure.append(this.canvas, el('figcaption', {},
      el('span', { class: 'map-caption' }, 'Pratiche per regione. Tocca una regione per filtrare.'),
      this.legend));
    this.ready = this.load();
  }

  async load() {
    try {
      const response = await fetch('/assets/italia-regioni.json');
      if (!response.ok) throw new Error(`map asset: ${response.status}`);
      const data = await response.json();
      const root = svg('svg', { viewBox: data.viewBox, 'aria-hidden': 'true', focusable: 'false', class: 'map-svg' });
      const hubs = new Map();
      for (const region of data.regions) {
        const hub = this.vocab.hubOf(region.slug) || 'nord';
        if (!hubs.has(hub)) {
          const group = svg('g', { class: `map-hub hub-${hub}` });
          hubs.set(hub, group);
        }
        const path = svg('path', { d: region.d, class: 'map-region step-0', 'data-region': region.slug });
        const title = svg('title');
        path.append(title);
        path.addEventListener('click', () => this.onToggle('region', region.slug, !this.selected.has(region.slug)));
        hubs.get(hub).append(path);
        this.paths.set(region.slug, path);
        this.titles.set(region.slug, title);
      }
      for (const hub of ['nord', 'centro', 'sud']) if (hubs.has(hub)) root.append(hubs.get(hub));
      root.append(this.hubOutlines(data));
      // Hub names where each hub lies, as on the programme's material.
      const labels = { nord: [150, 120], centro: [235, 330], sud: [470, 505] };
      for (const [hub, [x, y]] of Object.entries(labels)) {
        const text = svg('text', { x, y, class: `map-hub-label hub-${hub}` });
        text.textContent = (this.vocab.label('hub', hub) || hub).toUpperCase();
        root.append(text);
      }
      this.canvas.append(root);
      this.figure.dataset.ready = 'true';
      this.paint();
    } catch (error) {
      console.warn('map unavailable', error);
      this.figure.hidden = true;
    }
  }

  // Each hub's outline, drawn just outside its regions: the regions' strokes
  // masked by everything but the hub itself, so the borders between regions
  // of the same hub vanish and only the hub's edge remains.
  hubOutlines(data) {
    const layer = svg('g', { class: 'map-hub-outlines', 'pointer-events': 'none' });
    const defs = svg('defs');
    layer.append(defs);
    const [x, y, w, h] = data.viewBox.split(/\s+/).map(Number);
    for (const hub of ['nord', 'centro', 'sud']) {
      const regions = data.regions.filter((r) => (this.vocab.hubOf(r.slug) || 'nord') === hub);
      if (!regions.length) continue;
      const id = `map-outside-${hub}`;
      const mask = svg('mask', { id, maskUnits: 'userSpaceOnUse', x, y, width: w, height: h });
      mask.append(svg('rect', { x, y, width: w, height: h, fill: '#fff' }));
      const outline = svg('g', { class: `map-hub-outline hub-${hub}`, mask: `url(#${id})` });
      for (const region of regions) {
        mask.append(svg('path', { d: region.d, fill: '#000', stroke: '#000', 'stroke-width': 0.5 }));
        outline.append(svg('path', { d: region.d }));
      }
      defs.append(mask);
      layer.append(outline);
    }
    return layer;
  }

  update(counts, selected) {
    this.counts = counts || {};
    this.selected = new Set(selected || []);
    this.paint();
  }

  paint() {
    const max = Math.max(0, ...Object.values(this.counts).map(Number));
    for (const [slug, path] of this.paths) {
      const n = Number(this.counts[slug] || 0);
      path.setAttribute('class', `map-region step-${step(n, max)}${this.selected.has(slug) ? ' is-selected' : ''}`);
      this.titles.get(slug).textContent = `${this.vocab.label('region', slug)}: ${plural(n, 'pratica', 'pratiche')}`;
    }
    // Selected regions on top so their outline is not hidden by neighbours.
    for (const slug of this.selected) {
      const path = this.paths.get(slug);
      if (path) path.parentNode.append(path);
    }
    this.legend.replaceChildren(
      el('span', { class: 'legend-scale', 'aria-hidden': 'true' },
        ...Array.from({ length: STEPS + 1 }, (_, i) => el('span', { class: `legend-step step-${i}` }))),
      el('span', { class: 'legend-text' }, max ? `da 0 a ${formatNumber(max)} pratiche` : 'nessuna pratica'));
  }
}
