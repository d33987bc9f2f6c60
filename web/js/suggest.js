// Suggestions from /api/suggest in an ARIA 1.2 combobox: the input keeps the
// focus, arrows move the active option (aria-activedescendant), Enter picks
// it, Escape closes the list. A title suggestion opens the practice, a theme
// the practices of that theme; a term replaces the query.
import { suggest } from './api.js';
import { el } from './format.js';

const DELAY_MS = 120;
// What a person reads next to a suggestion that leads somewhere (a term has
// no label: it only fills the search box).
const KIND_LABELS = { title: 'scheda', theme: 'tema' };

export class SuggestBox {
  constructor(input, listbox, { onPickTerm }) {
    this.input = input;
    this.listbox = listbox;
    this.onPickTerm = onPickTerm;
    this.items = [];
    this.active = -1;
    this.timer = 0;
    this.controller = null;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listbox.id);
    input.addEventListener('input', () => this.schedule());
    input.addEventListener('keydown', (event) => this.onKey(event));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    listbox.addEventListener('mousedown', (event) => event.preventDefault());
  }

  schedule() {
    clearTimeout(this.timer);
    const q = this.input.value.trim();
    if (q.length < 2) {
      this.cancel();
      this.close();
      return;
    }
    // After a space the server offers what follows the words typed
    // ("spreco " -> "spreco alimentare"): the space is sent.
    const asked = /\s$/.test(this.input.value) ? `${q} ` : q;
    this.timer = setTimeout(() => this.fetch(asked), DELAY_MS);
  }

  cancel() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  async fetch(q) {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    try {
      const answer = await suggest(q, { signal: controller.signal });
      if (controller !== this.controller || document.activeElement !== this.input) return;
      const list = Array.isArray(answer) ? answer : (answer && answer.suggestions) || [];
      this.show(list.slice(0, 8));
    } catch (error) {
      if (error.name !== 'AbortError') this.close();
    }
  }

  show(list) {
    this.items = list.map((item) => (typeof item === 'string' ? { text: item, kind: 'term' } : item));
    this.active = -1;
    const options = this.items.map((item, i) => el('li', {
      id: `${this.listbox.id}-${i}`,
      role: 'option',
      class: `suggestion suggestion-${KIND_LABELS[item.kind] ? item.kind : 'term'}`,
      'aria-selected': 'false',
    }, el('span', { class: 'suggestion-text' }, item.text),
    KIND_LABELS[item.kind] ? el('span', { class: 'suggestion-kind' }, KIND_LABELS[item.kind]) : null));
    options.forEach((option, i) => option.addEventListener('click', () => this.pick(i)));
    this.listbox.replaceChildren(...options);
    if (options.length) this.open(); else this.close();
  }

  open() {
    this.listbox.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }

  close() {
    this.listbox.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  isOpen() {
    return !this.listbox.hidden && this.items.length > 0;
  }

  move(delta) {
    if (!this.isOpen()) return;
    const n = this.items.length;
    this.active = this.active < 0 ? (delta > 0 ? 0 : n - 1) : (this.active + delta + n) % n;
    [...this.listbox.children].forEach((option, i) => option.setAttribute('aria-selected', String(i === this.active)));
    this.input.setAttribute('aria-activedescendant', `${this.listbox.id}-${this.active}`);
    this.listbox.children[this.active].scrollIntoView({ block: 'nearest' });
  }

  onKey(event) {
    if (event.key === 'ArrowDown') {
      if (!this.isOpen()) this.schedule(); else this.move(1);
      event.preventDefault();
    } else if (event.key === 'ArrowUp') {
      this.move(-1);
      event.preventDefault();
    } else if (event.key === 'Escape') {
      if (this.isOpen()) { this.close(); event.preventDefault(); }
    } else if (event.key === 'Enter' && this.isOpen() && this.active >= 0) {
      event.preventDefault();
      this.pick(this.active);
    }
  }

  pick(i) {
    const item = this.items[i];
    this.close();
    this.cancel();
    clearTimeout(this.timer);
    if (!item) return;
    if (item.kind === 'title' && item.slug) {
      location.assign(`/pratiche/${encodeURIComponent(item.slug)}`);
      return;
    }
    if (item.kind === 'theme' && item.slug) {
      location.assign(`/?theme=${encodeURIComponent(item.slug)}`);
      return;
    }
    this.input.value = item.text;
    this.onPickTerm(item.text);
  }

  // Called when a search is submitted or results come, to hide stale options.
  dismiss() {
    clearTimeout(this.timer);
    this.cancel();
    this.close();
  }
}
