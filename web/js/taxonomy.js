// Labels of the controlled vocabularies, from /api/taxonomy, normalised into
// one shape: vocab(facet) -> ordered [{value, label, ...extra}] and
// label(facet, value). Tolerates arrays or objects keyed by slug, singular or
// plural names, so the page keeps working if the answer's layout shifts.
import { taxonomy as fetchTaxonomy } from './api.js';

const NAMES = {
  hub: ['hubs', 'hub'],
  region: ['regions', 'region'],
  theme: ['themes', 'theme'],
  dimension: ['dimensions', 'dimension'],
  sdg: ['sdgs', 'sdg'],
  audience: ['audiences', 'audience'],
  module: ['modules', 'module'],
  macro_action: ['macro_actions', 'macro_action', 'macroActions'],
  level: ['levels', 'level'],
  subject: ['subjects', 'subject'],
  duration: ['durations', 'duration'],
};

export const FACET_LABELS = {
  q: 'Testo',
  theme: 'Tema',
  hub: 'Hub',
  region: 'Regione',
  dimension: 'Dimensione',
  sdg: 'Obiettivo di sviluppo sostenibile',
  audience: 'Destinatari',
  level: 'Ordine di scuola',
  subject: 'Disciplina',
  duration: 'Durata della scheda didattica',
  year: 'Anno di avvio',
  module: 'Modulo formativo',
};

function itemKey(item) {
  for (const key of ['slug', 'id', 'number', 'value']) {
    if (item[key] !== undefined && item[key] !== null) return String(item[key]);
  }
  return '';
}

function normalise(raw) {
  if (!raw) return [];
  if (Array.isArray(raw)) {
    return raw.map((item) => (typeof item === 'object' ? { ...item, value: itemKey(item) } : { value: String(item), label: String(item) }));
  }
  return Object.entries(raw).map(([key, item]) => (typeof item === 'object'
    ? { ...item, value: itemKey(item) || key }
    : { value: key, label: String(item) }));
}

export class Vocabularies {
  constructor(raw) {
    const root = (raw && (raw.vocabularies || raw.taxonomy)) || raw || {};
    this.lists = {};
    this.byValue = {};
    for (const [facet, names] of Object.entries(NAMES)) {
      const key = names.find((name) => root[name] !== undefined);
      const list = normalise(key ? root[key] : null).map((item) => ({
        ...item,
        label: item.label || item.name || item.title || item.value,
        // Modules name their macro-action as `group` in /api/taxonomy.
        ...(facet === 'module' ? { macro_action: item.macro_action || item.group || '' } : {}),
      }));
      this.lists[facet] = list;
      this.byValue[facet] = new Map(list.map((item) => [item.value, item]));
    }
  }

  vocab(facet) {
    return this.lists[facet] || [];
  }

  item(facet, value) {
    return (this.byValue[facet] && this.byValue[facet].get(String(value))) || null;
  }

  label(facet, value) {
    const item = this.item(facet, value);
    if (facet === 'sdg') return item ? `${value}. ${item.label}` : `Obiettivo ${value}`;
    if (facet === 'module' && item) return `${String(value).toUpperCase()} – ${item.label}`;
    return item ? item.label : String(value);
  }

  hubOf(region) {
    const item = this.item('region', region);
    return item ? item.hub : '';
  }
}

// Resolves to a Vocabularies; an empty one if the taxonomy cannot be read,
// so pages still show slugs rather than nothing.
export async function loadVocabularies() {
  try {
    return new Vocabularies(await fetchTaxonomy());
  } catch (error) {
    console.warn('taxonomy unavailable', error);
    return new Vocabularies({});
  }
}
