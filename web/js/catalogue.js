// The programme's catalogue from /api/programme: modules by macro-action with
// their editions per hub, tutoring, residencies and the teachers' course.
// Dates in Italian ("12 maggio 2027"), seats left and the waiting list.
import { afterPreposition, el, formatDate, formatNumber, formatTime, plural } from './format.js';

export const KIND_LABELS = {
  modulo: 'Modulo formativo',
  tutoraggio: 'Tutoraggio',
  residenza: 'Residenza',
  'corso-docenti': 'Percorso per docenti',
};

export function dateRange(start, end) {
  const d1 = formatDate(start);
  const d2 = formatDate(end);
  const t1 = formatTime(start);
  const t2 = formatTime(end);
  if (!d1) return '';
  if (!d2 || d1 === d2) return t1 && t2 ? `${d1}, ${t1}–${t2}` : (t1 ? `${d1}, ore ${t1}` : d1);
  return `${afterPreposition('dal', d1)} ${afterPreposition('al', d2)}`;
}

export function place(edition) {
  const city = edition.city || '';
  return !city || city.toLowerCase() === 'online' ? 'Online' : city;
}

// "42 posti liberi su 60", "Posti esauriti: lista d'attesa", "Iscrizioni chiuse"
// ("Iscrizioni sospese per ora" while the staff pause them).
export function seatsText(edition) {
  if (edition.open === false) return { text: edition.paused ? 'Iscrizioni sospese per ora' : 'Iscrizioni chiuse', cls: 'closed' };
  const left = Number(edition.seats_left);
  if (Number.isFinite(left) && left <= 0) {
    const waiting = Number(edition.waiting || 0);
    return { text: `Posti esauriti: iscriviti in lista d'attesa${waiting ? ` (${plural(waiting, 'persona', 'persone')} in attesa)` : ''}`, cls: 'full' };
  }
  if (Number.isFinite(left)) {
    const capacity = Number(edition.capacity);
    return { text: `${plural(left, 'posto libero', 'posti liberi')}${Number.isFinite(capacity) && capacity ? ` su ${capacity}` : ''}`, cls: left <= 5 ? 'few' : 'ok' };
  }
  return { text: '', cls: 'ok' };
}

// "Iscrizioni entro il 30 gennaio 2027" for an open edition with a deadline
// (the server's page says the same); "" otherwise.
export function deadlineText(edition) {
  if (edition.open === false || !edition.deadline) return '';
  return `Iscrizioni entro ${afterPreposition('il', formatDate(edition.deadline))}`;
}

// One option label for the form's edition select.
export function editionLabel(activity, edition, vocab) {
  const hub = edition.hub ? `Hub ${vocab.label('hub', edition.hub)}` : '';
  const full = edition.open !== false && Number(edition.seats_left) <= 0 ? ' – lista d\'attesa' : '';
  const closed = edition.open === false ? (edition.paused ? ' – iscrizioni sospese' : ' – chiusa') : '';
  return [hub, formatDate(edition.start), place(edition)].filter(Boolean).join(' · ') + full + closed;
}

// The edition's «Iscriviti» button; none for a closed edition, whose seats
// text already says «Iscrizioni chiuse» or «sospese per ora».
function signupLink(edition, onSignup, activity) {
  if (edition.open === false) return null;
  const full = Number(edition.seats_left) <= 0;
  // The visible text is short; the hidden part says which edition it is.
  const context = el('span', { class: 'visually-hidden' }, ` – ${activity.title}, ${formatDate(edition.start)}${edition.hub ? `, hub ${edition.hub}` : ''}`);
  const a = el('a', { href: `?edizione=${encodeURIComponent(edition.id)}#iscrizione`, class: 'button small', 'data-edition': edition.id },
    full ? 'Lista d\'attesa' : 'Iscriviti', context);
  a.addEventListener('click', (event) => {
    event.preventDefault();
    onSignup(edition.id);
  });
  return a;
}

function editionsTable(activity, vocab, onSignup, caption) {
  const rows = (activity.editions || []).map((edition) => {
    const seats = seatsText(edition);
    return el('tr', { class: `edition hub-${edition.hub || 'none'}`, 'data-hub': edition.hub || '' },
      el('th', { scope: 'row' }, el('span', { class: `hub-dot hub-${edition.hub}` }, vocab.label('hub', edition.hub) || '—')),
      el('td', {}, dateRange(edition.start, edition.end)),
      el('td', {}, place(edition)),
      el('td', { class: `seats seats-${seats.cls}` }, seats.text,
        deadlineText(edition) ? el('span', { class: 'deadline' }, deadlineText(edition)) : null),
      el('td', {}, signupLink(edition, onSignup, activity)));
  });
  if (!rows.length) return el('p', { class: 'muted' }, 'Le date saranno pubblicate presto.');
  return el('div', { class: 'table-scroll' },
    el('table', { class: 'editions' },
      el('caption', { class: 'visually-hidden' }, caption),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Hub'), el('th', { scope: 'col' }, 'Quando'), el('th', { scope: 'col' }, 'Dove'),
        el('th', { scope: 'col' }, 'Posti'), el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Iscrizione')))),
      el('tbody', {}, ...rows)));
}

function activityCard(activity, vocab, onSignup, { heading = 'h3', code = '' } = {}) {
  return el('article', { class: 'activity card', id: `attivita-${activity.id}` },
    code ? el('p', { class: 'activity-code' }, code) : null,
    el(heading, {}, activity.title),
    activity.description ? el('p', { class: 'activity-description' }, activity.description) : null,
    (activity.workshops || []).length
      ? el('p', { class: 'workshops' }, el('strong', {}, 'Laboratori: '), activity.workshops.join(', '))
      : null,
    editionsTable(activity, vocab, onSignup, `Edizioni di «${activity.title}»`));
}

// "M01" from the activity's module field, or from an id such as "m01".
function moduleCode(activity) {
  const code = activity.module || (/^m\d{2}$/i.test(activity.id || '') ? activity.id : '');
  return String(code).toUpperCase();
}

// Modules as one table per macro-action: a row per module, a column per
// hub, each cell with the hub's editions (date, place, seats, sign-up).
export function renderModules(container, activities, vocab, onSignup) {
  const modules = activities.filter((a) => a.kind === 'modulo');
  const hubs = vocab.vocab('hub').length ? vocab.vocab('hub').map((h) => h.value) : ['nord', 'centro', 'sud'];
  const macros = vocab.vocab('macro_action');
  const groups = macros.length ? macros : [{ value: '', label: '' }];
  const sections = [];
  for (const macro of groups) {
    const own = modules.filter((m) => !macro.value || m.macro_action === macro.value || (!m.macro_action && macro === groups[0]));
    if (!own.length) continue;
    const rows = own.map((m) => el('tr', { id: `attivita-${m.id}` },
      el('th', { scope: 'row' },
        moduleCode(m) ? el('span', { class: 'activity-code' }, `Modulo ${moduleCode(m)}`) : null,
        el('span', { class: 'module-title' }, m.title),
        m.description ? el('span', { class: 'module-description' }, m.description) : null),
      ...hubs.map((hub) => {
        const editions = (m.editions || []).filter((e) => e.hub === hub);
        return el('td', { 'data-hub': `Hub ${vocab.label('hub', hub)}`, class: `hub-${hub}` },
          ...(editions.length
            ? editions.map((edition) => {
              const seats = seatsText(edition);
              return el('div', { class: 'edition-cell' },
                el('span', { class: 'when' }, dateRange(edition.start, edition.end)),
                el('span', { class: 'where' }, place(edition)),
                el('span', { class: `seats seats-${seats.cls}` }, seats.text),
                deadlineText(edition) ? el('span', { class: 'deadline' }, deadlineText(edition)) : null,
                signupLink(edition, onSignup, m));
            })
            : [el('span', { class: 'muted' }, 'Date in arrivo')]));
      })));
    sections.push(el('section', { class: 'macro' },
      el('h3', { class: 'macro-title' }, macro.label ? `Macro-azione: ${macro.label}` : 'Moduli'),
      el('div', { class: 'table-scroll' },
        el('table', { class: 'module-matrix' },
          el('caption', { class: 'visually-hidden' }, `Edizioni dei moduli della macro-azione ${macro.label}, per hub`),
          el('thead', {}, el('tr', {},
            el('th', { scope: 'col' }, 'Modulo'),
            ...hubs.map((hub) => el('th', { scope: 'col', class: `hub-${hub}` }, el('span', { class: `hub-dot hub-${hub}` }, `Hub ${vocab.label('hub', hub)}`))))),
          el('tbody', {}, ...rows)))));
  }
  container.replaceChildren(...(sections.length ? sections : [el('p', { class: 'muted' }, 'Nessun modulo in calendario.')]));
}

export function renderKind(container, activities, kind, vocab, onSignup, empty) {
  const own = activities.filter((a) => a.kind === kind);
  container.replaceChildren(...(own.length
    ? own.map((a) => activityCard(a, vocab, onSignup))
    : [el('p', { class: 'muted' }, empty)]));
}

export function renderTutoring(container, activities, vocab, onRequest) {
  const own = activities.filter((a) => a.kind === 'tutoraggio');
  if (!own.length) {
    container.replaceChildren(el('p', { class: 'muted' }, 'Il tutoraggio sarà disponibile presto.'));
    return;
  }
  const blocks = own.map((activity) => {
    const topics = activity.topics || activity.themes || [];
    const button = el('button', { type: 'button', class: 'button secondary' }, 'Richiedi il tutoraggio');
    button.addEventListener('click', () => onRequest(activity));
    return el('article', { class: 'activity card', id: `attivita-${activity.id}` },
      el('h3', {}, activity.title),
      activity.description ? el('p', {}, activity.description) : null,
      topics.length ? el('p', {}, el('strong', {}, 'Argomenti: '), topics.map((t) => vocab.label('theme', t)).join(', ')) : null,
      el('p', { class: 'muted' }, 'Non ci sono date fisse: indichi il tema e i tuoi bisogni, e il tutor dell\'hub della tua regione ti ricontatta.'),
      button);
  });
  container.replaceChildren(...blocks);
}

export function targetsText(targets) {
  if (!targets || typeof targets !== 'object') return '';
  // In the programme's order, «e» before the last, as the server writes it
  // (get_programme_page).
  const parts = [];
  const names = [['modulo', 'nei moduli formativi'], ['tutoraggio', 'nel tutoraggio'],
    ['residenza', 'nelle residenze'], ['corso-docenti', 'nel corso per i docenti']];
  for (const [kind, where] of names) {
    const n = targets[kind];
    const value = typeof n === 'object' && n ? (n.target ?? n.people ?? n.value) : n;
    if (Number(value)) parts.push(`${formatNumber(Number(value))} persone ${where}`);
  }
  const text = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} e ${parts[parts.length - 1]}` : parts.join('');
  return text ? `Il programma vuole raggiungere ${text}.` : '';
}
