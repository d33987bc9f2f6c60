// The staff pages work without JavaScript; this only enhances them:
// filtering a table as you type (input[data-filter="#table-id"]), sorting a
// table (table[data-sortable]) by a click on its column heading, and the
// "segna tutti presenti" button of the attendance form.

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

for (const button of document.querySelectorAll('[data-print]')) {
  button.addEventListener('click', () => window.print());
}
