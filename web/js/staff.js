// The staff pages work without JavaScript; this only enhances them:
// filtering a table as you type (input[data-filter="#table-id"]), sorting a
// table (table[data-sortable]) by a click on its column heading, the
// "segna tutti presenti" button of the attendance form, and a warning
// before an edit form's unsaved changes are lost (form[data-unsaved]).

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
