// The proposal form with JavaScript: the counters of the texts with a limit, a check of the
// chosen image before it is sent, and, while the person writes, the same
// checks the server makes (POST /api/proposals/preview) shown beside each
// field, with the preview of the practice's text. Without JavaScript the
// form posts as it is and the server answers with the same messages.
import { formatNumber } from './format.js';
import { attachEmailHint } from './email-hint.js';

const form = document.getElementById('proposal-form');

const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const IMAGE_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

// The id of a field's element ("sections.contesto" -> "sections-contesto").
const fieldId = (field) => (field || 'form').replace(/\./g, '-');

// The fields the person has been to (typed in, chose, ticked: their ids
// and their group's): while they write, the checks speak only of those, not
// «obbligatorio» under a field they have not reached yet. After a submit
// (the check before sending, or a page the server sent back with errors)
// every field's message shows.
const touched = new Set();
let submitted = Boolean(form) &&
  [...form.querySelectorAll('.field-error')].some((slot) => slot.textContent.trim() !== '');

function touch(target) {
  if (target.id) touched.add(target.id);
  for (const group of [target.closest('.field'), target.closest('fieldset')]) {
    if (!group) continue;
    for (const slot of group.querySelectorAll(':scope > .field-error')) touched.add(slot.id.replace(/-error$/, ''));
  }
}

// Error slots the server filled (a page answered with errors) are kept
// until the next check answers. A warning (never blocking: "il titolo è
// molto breve") shows in the same place when the field has no error, as
// advice, without marking the field invalid.
function showErrors(errors, imageError, warnings = [], complete = false) {
  if (complete) submitted = true;
  const collect = (list) => {
    const byId = new Map();
    for (const e of list) {
      const id = fieldId(e.field);
      byId.set(id, (byId.has(id) ? byId.get(id) + ' · ' : '') + e.message);
    }
    return byId;
  };
  const byId = collect(errors);
  const advice = collect(warnings);
  if (imageError) byId.set('cover', imageError);
  for (const slot of form.querySelectorAll('.field-error')) {
    const id = slot.id.replace(/-error$/, '');
    if (!complete && /^(proposer-|consent_)/.test(id)) continue;  // checked on submit only
    const reached = submitted || touched.has(id) || id === 'form' || id === 'cover';
    const message = reached ? byId.get(id) || '' : '';
    const hint = message || !reached ? '' : advice.get(id) || '';
    slot.textContent = message || (hint ? `Da migliorare: ${hint}` : '');
    slot.classList.toggle('is-advice', Boolean(hint));
    const control = document.getElementById(id);
    if (control && control.matches('input, textarea, select')) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }
}

// Takes the person to the first message in the page's order: to its
// field, or, for a group (themes, sections), to the group's first control.
function focusFirstError() {
  const slot = [...form.querySelectorAll('.field-error')].find(
    (el) => el.textContent && !el.classList.contains('is-advice'));
  if (!slot) return;
  const own = document.getElementById(slot.id.replace(/-error$/, ''));
  const group = slot.closest('fieldset, .field');
  const target = own && own.matches('input, textarea, select') ? own
    : (group && group.querySelector('input:not([type="hidden"]), textarea, select'));
  if (target) target.focus();
  slot.scrollIntoView({ block: 'center' });
}

function imageProblem() {
  const input = document.getElementById('cover');
  const file = input && input.files && input.files[0];
  if (!file) return '';
  if (file.size > MAX_IMAGE_BYTES)
    return `L'immagine è di ${formatNumber(file.size / 1048576, 1)} MB: il massimo è 5 MB. Riducila e sceglila di nuovo.`;
  if (!IMAGE_TYPES[file.type]) return "Scegli un'immagine JPEG, PNG o WebP.";
  return '';
}

// The form's fields without the image (the preview needs only its name).
function previewBody() {
  const data = new FormData(form);
  data.delete('cover');
  data.delete('website');
  const input = document.getElementById('cover');
  const file = input && input.files && input.files[0];
  if (file && IMAGE_TYPES[file.type]) data.set('cover_name', `copertina.${IMAGE_TYPES[file.type]}`);
  return data;
}

// The text field with the longest text: the one to shorten when the form
// is over the size the server accepts.
function longestField() {
  let longest = null;
  for (const field of form.querySelectorAll('input[type="text"], input[type="url"], textarea')) {
    if (!longest || field.value.length > longest.value.length) longest = field;
  }
  return longest;
}

// When the check cannot answer field by field (the form is over the
// server's size limit: 413; or the check is unavailable), the messages it
// gave before are stale: they go, and one message for the form says why.
function checkFailed(status) {
  const errors = [];
  if (status === 413) {
    errors.push({ field: 'form', message: "Il testo è troppo lungo per l'anteprima: accorcia il campo indicato." });
    const field = longestField();
    if (field) errors.push({ field: field.id, message: "Il testo è troppo lungo per l'anteprima: accorcialo." });
  } else {
    errors.push({ field: 'form', message: "Il controllo durante la scrittura non è disponibile ora: i dati saranno controllati all'invio." });
  }
  showErrors(errors, imageProblem());
  showPreview('');
}

function showPreview(html) {
  const panel = document.getElementById('preview-panel');
  const preview = document.getElementById('preview');
  if (panel && preview) {
    // The HTML comes from the server's renderer, sanitised as on the
    // practice page (raw HTML and javascript: links removed).
    preview.innerHTML = html || '';
    panel.hidden = !html;
  }
}

let timer = 0;
let sequence = 0;

async function check() {
  const mine = ++sequence;
  let res;
  try {
    res = await fetch('/api/proposals/preview', { method: 'POST', body: previewBody() });
  } catch {
    return;  // offline: the server checks again on submit
  }
  // An error page (a proxy's HTML, say) is not an answer either.
  const answer = res.ok ? await res.json().catch(() => null) : null;
  if (mine !== sequence) return;  // a newer check is on its way
  if (!answer) {
    checkFailed(res.status);
    return;
  }
  showErrors(answer.errors || [], imageProblem(), answer.warnings || []);
  showPreview(answer.html);
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(check, 500);
}

// The characters typed in a text with a limit, as the checker counts them.
const LIMITS = { summary: 400, in_parole_semplici: 600 };

function updateCounter(id) {
  const field = document.getElementById(id);
  const counter = document.getElementById(`${id}-count`);
  if (!field || !counter) return;
  const n = [...field.value].length;
  counter.textContent = `${formatNumber(n)}/${formatNumber(LIMITS[id])}`;
  counter.classList.toggle('over', n > LIMITS[id]);
}

if (form) {
  form.addEventListener('input', (event) => {
    touch(event.target);
    if (Object.hasOwn(LIMITS, event.target.id)) updateCounter(event.target.id);
    schedule();
  });
  form.addEventListener('change', (event) => {
    touch(event.target);
    schedule();
  });
  form.addEventListener('submit', async (event) => {
    const problem = imageProblem();
    if (problem) {
      event.preventDefault();
      showErrors([], problem);
      document.getElementById('cover').focus();
      return;
    }
    // A chosen image is lost when the server sends the form back with an
    // error (a page cannot fill a file field): every field is checked
    // first, the image stays chosen while the person mends them.
    const input = document.getElementById('cover');
    if (!input || !input.files || !input.files[0] || form.dataset.checked === 'yes') return;
    event.preventDefault();
    clearTimeout(timer);
    ++sequence;  // a check under way is stale now
    let answer = null;
    try {
      const res = await fetch('/api/proposals/preview?completa=1', { method: 'POST', body: previewBody() });
      answer = res.ok ? await res.json().catch(() => null) : null;
    } catch {
      answer = null;  // offline: the server checks it all on submit
    }
    // Only what this form can mend stops it: the form that sends changes
    // to a proposal has no proposer or consent fields (the server keeps
    // them from the proposal), whose errors the check still reports.
    const errors = ((answer && answer.errors) || []).filter((e) =>
      document.getElementById(`${fieldId(e.field)}-error`));
    if (errors.length > 0) {
      showErrors(errors, '', answer.warnings || [], true);
      focusFirstError();
      return;
    }
    form.dataset.checked = 'yes';
    form.requestSubmit(event.submitter || undefined);
  });
  for (const id of Object.keys(LIMITS)) updateCounter(id);
  const email = document.getElementById('proposer-email');
  if (email) attachEmailHint(email);
  const summary = document.getElementById('form-summary');
  if (summary) {
    // Its top in view, not its middle: the list can be taller than a
    // phone's screen (scroll-margin-top in base.css keeps a gap above).
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: 'start' });
  }
}
