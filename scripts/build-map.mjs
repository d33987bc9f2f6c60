// Builds web/assets/italia-regioni.json from the npm package @svg-maps/italy
// (CC BY 4.0, Victor Cazanave): the 20 region outlines, keyed by the region
// slugs of library-content/taxonomy.yaml. Run with `npm run build:map` after
// `npm ci`; the output is committed so scripts/run needs no Node.js.
import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import italy from '@svg-maps/italy';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// @svg-maps/italy ids (English names) -> taxonomy slugs.
const SLUGS = {
  'piedmont': 'piemonte', 'aosta-valley': 'valle-d-aosta', 'lombardy': 'lombardia',
  'trentino-south-tyrol': 'trentino-alto-adige', 'veneto': 'veneto',
  'friuli-venezia-giulia': 'friuli-venezia-giulia', 'liguria': 'liguria',
  'emilia-romagna': 'emilia-romagna', 'tuscany': 'toscana', 'umbria': 'umbria',
  'marche': 'marche', 'lazio': 'lazio', 'abruzzo': 'abruzzo', 'molise': 'molise',
  'campania': 'campania', 'apulia': 'puglia', 'basilicata': 'basilicata',
  'calabria': 'calabria', 'sicily': 'sicilia', 'sardinia': 'sardegna',
};

// Checks the mapping against the taxonomy so a renamed slug fails loudly.
const taxonomy = readFileSync(join(root, 'library-content/taxonomy.yaml'), 'utf8');
const taxonomySlugs = [...taxonomy.matchAll(/\{slug: ([a-z-]+), label: [^}]*hub: [a-z]+\}/g)].map((m) => m[1]);

const regions = italy.locations.map((loc) => {
  const slug = SLUGS[loc.id];
  if (!slug) throw new Error(`unmapped region id in @svg-maps/italy: ${loc.id}`);
  return { slug, d: loc.path };
});
const missing = taxonomySlugs.filter((s) => !regions.some((r) => r.slug === s));
if (taxonomySlugs.length !== 20 || missing.length) {
  throw new Error(`taxonomy regions not covered by the map: ${missing.join(', ') || taxonomySlugs.length}`);
}

const out = {
  source: '@svg-maps/italy 2.0.0 (https://github.com/VictorCazanave/svg-maps), CC BY 4.0',
  viewBox: italy.viewBox,
  regions,
};
const file = join(root, 'web/assets/italia-regioni.json');
writeFileSync(file, JSON.stringify(out) + '\n');
console.log(`wrote ${file} (${regions.length} regions)`);
