// The programme page, rendered by the server (catalogue, seats, the form and
// its options: it works without JavaScript). This module only enhances it:
// "Iscriviti" links pick the edition in the form instead of reloading, the
// chosen edition's activity and seats are described as it changes, and the
// form is sent with validation in the page.
import { programme } from './api.js';
import { loadVocabularies } from './taxonomy.js';
import { el, plural } from './format.js';
import { renderModules, renderKind, renderTutoring, editionLabel, seatsText, targetsText, KIND_LABELS } from './catalogue.js';
import { RegistrationForm } from './registration-form.js';

const $ = (id) => document.getElementById(id);

function fillEditions(select, activities, vocab) {
  const groups = [];
  for (const activity of activities) {
    if (activity.kind === 'tutoraggio') continue;
    const options = (activity.editions || []).map((edition) => el('option', {
      value: edition.id,
      disabled: edition.open === false,
    }, editionLabel(activity, edition, vocab)));
    if (!options.length) continue;
    const code = activity.module || (/^m\d{2}$/i.test(activity.id || '') ? activity.id : '');
    const prefix = code ? `${String(code).toUpperCase()} ` : '';
    groups.push(el('optgroup', { label: `${KIND_LABELS[activity.kind] || ''}: ${prefix}${activity.title}` }, ...options));
  }
  const keep = select.value;
  select.replaceChildren(select.options[0], ...groups);
  select.value = keep;
}

function fillTopics(select, activities, vocab) {
  const tutoring = activities.find((a) => a.kind === 'tutoraggio');
  const topics = tutoring ? (tutoring.topics || tutoring.themes || []) : [];
  if (!topics.length) return;
  select.replaceChildren(select.options[0], ...topics.map((t) => el('option', { value: t }, vocab.label('theme', t))));
}

function describeEdition(info, activities, id) {
  for (const activity of activities) {
    const edition = (activity.editions || []).find((e) => e.id === id);
    if (edition) {
      const seats = seatsText(edition);
      info.textContent = seats.cls === 'full'
        ? `${seats.text}. Se si libera un posto ti scriviamo.`
        : seats.text;
      return;
    }
  }
  info.textContent = '';
}

// The chosen edition's activity, from its <optgroup>'s label: the option's
// own text («Hub Sud · 18 marzo 2027 · Online») does not name it.
function showActivity(line, select) {
  const group = select.selectedOptions[0]?.closest('optgroup');
  line.textContent = group ? group.label : '';
}

async function init() {
  const status = $('catalogue-status');
  const form = new RegistrationForm($('registration-form'), { summary: $('form-summary'), confirmation: $('confirmation') });
  const select = $('edition');
  const activity = () => showActivity($('edition-activity'), select);
  select.addEventListener('change', activity);
  // form.reset() ("Iscrivi un'altra persona") changes the choice after its event.
  $('registration-form').addEventListener('reset', () => setTimeout(activity));
  // The edition chosen by the server (?edizione=ID).
  activity();
  const blocks = ['modules-list', 'tutoring-list', 'residencies-list', 'teachers-list'].map($);

  const signup = (id) => {
    // «Iscriviti» after a registration: the form again, with the person's details.
    if (form.form.hidden) form.reopen();
    form.setKind('edition');
    select.value = id;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    $('iscrizione').scrollIntoView({ block: 'start' });
    select.focus();
  };
  const requestTutoring = () => {
    if (form.form.hidden) form.reopen();
    form.setKind('tutoring');
    $('iscrizione').scrollIntoView({ block: 'start' });
    $('topic').focus();
  };

  // The server rendered the catalogue: its links only need to pick the
  // edition in the form instead of reloading the page.
  const serverRendered = blocks.every((block) => block && block.dataset.rendered === 'server');
  for (const link of document.querySelectorAll('a[data-edition]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      signup(link.dataset.edition);
    });
  }
  for (const link of document.querySelectorAll('a[data-action="tutoring"]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      requestTutoring();
    });
  }

  // A tutoring link followed before this script ran (or shared).
  if (new URLSearchParams(location.search).has('tutoraggio')) form.setKind('tutoring');
  form.restore();
  // The page is ready for a person (and for the browser tests).
  document.documentElement.dataset.enhanced = 'true';

  let vocab;
  let data;
  try {
    [vocab, data] = await Promise.all([loadVocabularies(), programme()]);
  } catch (error) {
    console.warn('programme unavailable', error);
    if (!serverRendered) {
      status.textContent = 'Il calendario non è disponibile in questo momento. Puoi comunque inviare l\'iscrizione se conosci l\'edizione, oppure riprovare tra poco.';
    }
    for (const block of blocks) block.setAttribute('aria-busy', 'false');
    return;
  }
  const activities = data.activities || [];
  if (!serverRendered) {
    renderModules($('modules-list'), activities, vocab, signup);
    renderTutoring($('tutoring-list'), activities, vocab, requestTutoring);
    renderKind($('residencies-list'), activities, 'residenza', vocab, signup, 'Le residenze saranno pubblicate presto.');
    renderKind($('teachers-list'), activities, 'corso-docenti', vocab, signup, 'Il percorso per docenti sarà pubblicato presto.');
    for (const block of blocks) block.setAttribute('aria-busy', 'false');
    fillEditions(select, activities, vocab);
    activity();
    fillTopics($('topic'), activities, vocab);
    const editions = activities.reduce((n, a) => n + (a.kind === 'tutoraggio' ? 0 : (a.editions || []).length), 0);
    status.textContent = `${plural(activities.length, 'attività', 'attività')} e ${plural(editions, 'edizione', 'edizioni')} in calendario. ${targetsText(data.targets)}`.trim();
  }

  const info = $('edition-info');
  select.addEventListener('change', () => describeEdition(info, activities, select.value));

  // A link to an activity (#attivita-m03) scrolls to it now that it exists.
  if (location.hash.startsWith('#attivita-')) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView({ block: 'start' });
  }

  // ?edizione=ID (a shared link, or an "Iscriviti" link opened in a new tab).
  const wanted = new URLSearchParams(location.search).get('edizione');
  if (wanted && [...select.options].some((o) => o.value === wanted)) {
    select.value = wanted;
    activity();
    describeEdition(info, activities, wanted);
  }
}

init();
