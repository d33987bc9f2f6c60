// The staff pages work without JavaScript; this only enhances them:
// filtering a table as you type (input[data-filter="#table-id"]), sorting a
// table (table[data-sortable]) by a click on its column heading, the
// "segna tutti presenti" button of the attendance form, a warning
// before an edit form's unsaved changes are lost (form[data-unsaved]), and
// the text of a message or a note kept through an expired session
// (form[data-draft]).

function filterTable(input) {
  const table = document.querySelector(input.dataset.filter);
  if (!table) return;
  const words = input.value.toLocaleLowerCase('it').split(/\s+/).filter(Boolean);
  for (const row of table.querySelectorAll('tbody tr:not(.group-row)')) {
    const text = row.textContent.toLocaleLowerCase('it');
    row.hidden = !words.every((w) => text.includes(w));
  }
}

function cellValue(row, index) {
  const cell = row.children[index];
  if (!cell) return '';
  // A date shown in words or as DD/MM/YYYY sorts by the ISO form the
  // server puts beside it.
  if (cell.dataset.sort) return cell.dataset.sort;
  const text = cell.textContent.trim();
  const number = Number(text.replace(/\./g, '').replace(',', '.'));
  return text !== '' && !Number.isNaN(number) ? number : text.toLocaleLowerCase('it');
}

function makeSortable(table) {
  const headings = table.querySelectorAll('thead th');
  headings.forEach((th, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.textContent = th.textContent;
    th.textContent = '';
    th.append(button);
    button.addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      headings.forEach((h) => h.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      for (const body of table.tBodies) {
        const rows = [...body.querySelectorAll('tr:not(.group-row)')];
        rows.sort((a, b) => {
          const x = cellValue(a, index);
          const y = cellValue(b, index);
          return (x > y ? 1 : x < y ? -1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach((r) => body.append(r));
      }
    });
  });
}

for (const input of document.querySelectorAll('input[data-filter]')) {
  input.addEventListener('input', () => filterTable(input));
}
for (const table of document.querySelectorAll('table[data-sortable]')) makeSortable(table);

// An action that ends someone's access (disabling an account, revoking a
// token) asks first, with the form's data-confirm text.
for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

// A button that acts on many rows at once («Segna tutti presenti») asks
// first too, with its own data-confirm text.
for (const button of document.querySelectorAll('button[data-confirm]')) {
  button.addEventListener('click', (event) => {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
}

// Shown only where it works (without JavaScript the page says Ctrl+P).
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

// An edit form changed and not saved: another form of the page (an
// editor's decision) or leaving the page asks first, with the form's
// data-unsaved text.
for (const form of document.querySelectorAll('form[data-unsaved]')) {
  let changed = false;
  form.addEventListener('input', () => { changed = true; });
  form.addEventListener('change', () => { changed = true; });
  form.addEventListener('submit', () => { changed = false; });
  for (const other of document.forms) {
    if (other === form) continue;
    other.addEventListener('submit', (event) => {
      if (!changed) return;
      if (window.confirm(form.dataset.unsaved)) changed = false;
      else event.preventDefault();
    });
  }
  window.addEventListener('beforeunload', (event) => {
    if (!changed) return;
    event.preventDefault();
    event.returnValue = '';
  });
}

// A message or a note being written when the session expired: its POST
// went to the login page, and the text with it. While it is typed, the
// form's text fields are kept in this tab's sessionStorage; the empty form
// shown again after the login gets them back, and says so. The page that
// confirms the sending ([data-draft-done]) and logging out drop them.
const DRAFT = 'bp-draft:';
for (const done of document.querySelectorAll('[data-draft-done]')) {
  sessionStorage.removeItem(DRAFT + done.dataset.draftDone);
}
for (const form of document.querySelectorAll('form[data-draft]')) {
  const key = DRAFT + form.dataset.draft;
  const fields = [...form.elements].filter((e) => e.name &&
    (e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT' && e.type === 'text')));
  let saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(key) || 'null'); } catch { saved = null; }
  if (saved && fields.every((f) => f.value === '') && fields.some((f) => saved[f.name])) {
    for (const f of fields) if (typeof saved[f.name] === 'string') f.value = saved[f.name];
    const note = document.createElement('p');
    note.className = 'notice warn';
    note.setAttribute('role', 'status');
    note.textContent = 'Abbiamo ripreso il testo che stavi scrivendo e che non è stato mandato ' +
      '(la sessione era scaduta): controllalo e invialo di nuovo.';
    form.before(note);
  }
  form.addEventListener('input', () => {
    sessionStorage.setItem(key, JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, f.value]))));
  });
}
// The person search is a POST: its words never reach a URL or a log. Sent
// as a form, «Indietro» from a person's page then asks to send it again
// (or shows the browser's error page). Here it runs in place instead: the
// page stays the plain GET in the history, its results are swapped in, and
// the words wait in this tab (sessionStorage) to run again on «Indietro».
const PEOPLE = 'bp-people-search';
const peopleForm = document.querySelector('form[data-people-search]');
if (peopleForm) {
  const runSearch = async (words) => {
    const body = new URLSearchParams(new FormData(peopleForm));
    body.set('cerca', words);
    let fresh = null;
    try {
      const res = await fetch(peopleForm.action, { method: 'POST', body, credentials: 'same-origin' });
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      if (res.ok && new URL(res.url).pathname === '/staff/persone') fresh = doc.querySelector('#persone-risultati');
    } catch { fresh = null; }
    // Anything else (the session expired, the server is away): the form as
    // it always worked.
    if (!fresh) { peopleForm.submit(); return; }
    document.querySelector('#persone-risultati').replaceWith(fresh);
    for (const table of fresh.querySelectorAll('table[data-sortable]')) makeSortable(table);
  };
  peopleForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const words = peopleForm.elements.cerca.value;
    sessionStorage.setItem(PEOPLE, words);
    runSearch(words);
  });
  const navigation = performance.getEntriesByType('navigation')[0];
  const last = sessionStorage.getItem(PEOPLE);
  if (last !== null && navigation && navigation.type === 'back_forward') {
    peopleForm.elements.cerca.value = last;
    runSearch(last);
  }
}
for (const form of document.querySelectorAll('form[action="/staff/logout"]')) {
  form.addEventListener('submit', () => {
    for (const k of Object.keys(sessionStorage)) {
      if (k.startsWith(DRAFT) || k === PEOPLE) sessionStorage.removeItem(k);
    }
  });
}
