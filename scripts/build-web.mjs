// Writes the programme's editions and tutoring topics into the registration
// form of web/programma.html, between the <!-- editions:start/end --> and
// <!-- topics:start/end --> markers, from library-content/programme.yaml.
// So the form works with JavaScript turned off; with JavaScript the page
// rebuilds both lists from /api/programme (with seats left). Run by
// tests/browser/run.sh before the browser tests (`npm run build:web`); a
// changed programma.html afterwards means programme.yaml changed: commit it.
//
// Usage: node scripts/build-web.mjs [--check]   (--check: exit 1 if stale)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pagePath = join(root, 'web/programma.html');
const programmePath = join(root, 'library-content/programme.yaml');
const taxonomy = parse(readFileSync(join(root, 'library-content/taxonomy.yaml'), 'utf8'));

const KIND_LABELS = {
  modulo: 'Modulo formativo', residenza: 'Residenza', 'corso-docenti': 'Percorso per docenti',
};
const hubLabel = (slug) => (taxonomy.hubs.find((h) => h.slug === slug) || { label: slug }).label;
const themeLabel = (slug) => (taxonomy.themes.find((t) => t.slug === slug) || { label: slug }).label;

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// "2027-05-12T09:30" (Europe/Rome wall clock) -> "12 maggio 2027"
const dateFormat = new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
function italianDate(local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(local || ''));
  return m ? dateFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12))) : '';
}

function optionsHtml(programme) {
  const lines = [];
  for (const activity of programme.activities || []) {
    if (activity.kind === 'tutoraggio') continue;
    const editions = activity.editions || [];
    if (!editions.length) continue;
    const code = activity.module || (/^m\d{2}$/i.test(activity.id || '') ? activity.id : '');
    const label = `${KIND_LABELS[activity.kind] || ''}: ${code ? `${String(code).toUpperCase()} ` : ''}${activity.title}`;
    lines.push(`              <optgroup label="${escape(label)}">`);
    for (const e of editions) {
      const text = [`Hub ${hubLabel(e.hub)}`, italianDate(e.start), !e.city || String(e.city).toLowerCase() === 'online' ? 'Online' : e.city]
        .filter(Boolean).join(' · ') + (e.open === false ? ' – chiusa' : '');
      lines.push(`                <option value="${escape(e.id)}"${e.open === false ? ' disabled' : ''}>${escape(text)}</option>`);
    }
    lines.push('              </optgroup>');
  }
  return lines.join('\n');
}

function topicsHtml(programme) {
  const tutoring = (programme.activities || []).find((a) => a.kind === 'tutoraggio');
  const topics = tutoring ? (tutoring.topics || tutoring.themes || []) : taxonomy.themes.map((t) => t.slug);
  return topics.map((t) => `              <option value="${escape(t)}">${escape(themeLabel(t))}</option>`).join('\n');
}

function replaceBetween(html, name, content) {
  const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(\\s*<!-- ${name}:end -->)`);
  if (!re.test(html)) throw new Error(`web/programma.html has no <!-- ${name}:start/end --> markers`);
  return html.replace(re, (_, start, end) => `${start}${content ? `\n${content}` : ''}${end}`);
}

const programme = existsSync(programmePath) ? parse(readFileSync(programmePath, 'utf8')) : { activities: [] };
const before = readFileSync(pagePath, 'utf8');
let after = replaceBetween(before, 'editions', optionsHtml(programme));
after = replaceBetween(after, 'topics', topicsHtml(programme));

if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('web/programma.html is out of date with library-content/programme.yaml: run `npm run build:web` and commit it');
    process.exit(1);
  }
} else if (after !== before) {
  writeFileSync(pagePath, after);
  console.log('web/programma.html: editions and topics updated from programme.yaml (commit the change)');
} else {
  console.log('web/programma.html: editions and topics up to date');
}
