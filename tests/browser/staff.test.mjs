// The staff back office in the real browser (issue 10, item 6): an admin
// created with bp-admin logs in, sees the dashboard's numbers equal the
// stats API, finds attendance closed until the meetings begin, cancels a confirmed registration and sees who
// was promoted, exports the CSV, erases a person's data, prints the report
// and logs out; an expired session goes back to the login page; a staff
// account cannot erase; every step is in the audit log. axe-core on every
// staff page and screenshots at desktop width and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSite, openPage, axeViolations, screenshot, binary, DESKTOP, MOBILE } from './harness.mjs';

const ADMIN = 'admin@example.org';
const STAFF = 'personale@example.org';
const PASSWORD = 'cavallo-batteria-graffetta';
const EDITION = 'residenza-torino-2027';

let site;
let token;
const people = [];  // { code, first, email } in order of registration

function bpAdmin(args, input) {
  return execFileSync(binary('BP_ADMIN', 'admin/bp-admin'), [...args, '--data', site.data],
    { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

async function adminApi(path, init = {}) {
  return site.api(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers || {}) } });
}

async function logIn(page, email = ADMIN, { from = '/staff/' } = {}) {
  if (from) {
    await page.goto(from);
    await page.waitForURL(/\/staff\/login\?dopo=/);
  }
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Accedi' }).click();
}

before(async () => {
  site = await startSite();
  bpAdmin(['user', 'add', '--role', 'admin', ADMIN], `${PASSWORD}\n`);
  bpAdmin(['user', 'add', '--role', 'staff', STAFF], `${PASSWORD}\n`);
  token = bpAdmin(['token', 'add', ADMIN, '--label', 'test del browser']).trim();
  // 31 people on a 30-seat residency: 30 confirmed (the staff vouch for
  // them, as for phone registrations) and one waiting.
  for (let i = 1; i <= 31; i += 1) {
    const first = `Persona${String(i).padStart(2, '0')}`;
    const email = `persona${i}@example.org`;
    const r = await site.api('/api/registrations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ edition: EDITION, first_name: first, last_name: 'Rossi', email, organisation: 'APS Torino',
        role: 'volontario', region: 'piemonte', age_band: '18-35', consent: true }),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    people.push({ code: r.body.code, first, email });
    // The 30th is confirmed from the edition page in the test below.
    if (i <= 29) assert.equal((await adminApi(`/api/admin/registrations/${r.body.code}/confirm`, { method: 'POST', body: '{}' })).status, 200);
  }
});
after(async () => { if (site) await site.stop(); });

test('an admin logs in, works through the back office, and every step is in the audit log', async () => {
  const page = await openPage(site);
  await logIn(page);
  await page.waitForURL(/\/staff\/$/);

  // A registration taken by phone is confirmed from the edition page.
  const phoned = people[29];
  await page.goto(`/staff/edizioni/${EDITION}`);
  await page.getByRole('button', { name: `Conferma l'iscrizione di ${phoned.first} Rossi` }).click();
  await page.getByText(`Iscrizione ${phoned.code} confermata`).waitFor();
  const phonedNow = (await adminApi(`/api/admin/registrations?edition=${EDITION}`)).body.registrations
    .find((r) => r.code === phoned.code);
  assert.equal(phonedNow.status, 'confirmed');
  await page.goto('/staff/');

  // Dashboard = stats API.
  const stats = (await adminApi('/api/admin/stats')).body;
  const residencies = page.locator('[data-chart="kinds"] li', { hasText: 'Residenze' });
  assert.equal(await residencies.locator('[data-figure="confirmed"]').textContent(), String(stats.kinds.residenza.confirmed));
  assert.equal(stats.kinds.residenza.confirmed, 30);
  // Figures as Italians write them: the modules' target of 2,160 people.
  assert.match(await page.locator('[data-chart="kinds"] li', { hasText: 'Moduli formativi' }).textContent(), /su 2\.160 \(/);
  const row = page.locator(`tr[data-edition="${EDITION}"]`);
  assert.equal(await row.locator('[data-figure="confirmed"]').textContent(), String(stats.editions[EDITION].confirmed));
  // «Inizio» sorts by date, not by the words it is written in ("12 maggio"
  // before "2 febbraio" as text).
  await page.locator('#tabella-edizioni thead button', { hasText: 'Inizio' }).click();
  // Each activity's editions among themselves.
  const groups = await page.locator('#tabella-edizioni tbody').evaluateAll((bodies) => bodies.map((b) =>
    [...b.querySelectorAll('tr:not(.group-row) td[data-sort]')].map((c) => c.dataset.sort).filter(Boolean)));
  assert.ok(groups.some((g) => g.length > 2), 'the editions have their start beside the words');
  for (const starts of groups) assert.deepEqual(starts, [...starts].sort(), 'in the order of their dates');

  // Attendance is taken from the start of a meeting: the residency is in
  // 2027, so its three meetings are closed, the page says from when, and
  // nobody can be marked present yet. (Saving attendance per meeting is in
  // tests/registration/staff_pages_test.cc, with the desk's clock moved.)
  await row.getByRole('link', { name: EDITION }).click();
  await page.waitForURL(new RegExp(`/staff/edizioni/${EDITION}$`));
  const first = people[0];
  for (const n of [1, 2, 3]) {
    const box = page.getByLabel(`${first.first} Rossi, incontro ${n} (non ancora svolto)`);
    assert.equal(await box.isDisabled(), true);
  }
  assert.match(await page.locator('#presenze-dopo').innerText(), /le presenze si segnano dal primo, 15 aprile 2027/);
  // On a phone the meetings' boxes are on screen beside the name, not past
  // six columns of details.
  await page.setViewportSize(MOBILE);
  const tick = await page.getByLabel(`${first.first} Rossi, incontro 1 (non ancora svolto)`).boundingBox();
  assert.ok(tick.x + tick.width <= MOBILE.width, `the first meeting's box is at ${tick.x}px`);
  const nameWidth = await page.locator(`tr[data-code="${first.code}"] th`).evaluate((n) => n.getBoundingClientRect().width);
  assert.ok(nameWidth >= 120, `the name column is ${nameWidth}px wide`);
  await page.setViewportSize(DESKTOP);
  assert.equal(await page.getByRole('button', { name: 'Salva presenze' }).count(), 0);
  const list = (await adminApi(`/api/admin/registrations?edition=${EDITION}`)).body.registrations;
  assert.equal(list.filter((r) => r.attended).length, 0);

  // The CSV's rows are the list's rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByText("Scarica l'elenco (CSV)").click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.match(csv[0], /^Codice;Stato;/);
  const shown = await page.locator('#iscritti tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.code));
  assert.deepEqual(csv.slice(1).map((line) => line.split(';')[0]).sort(), [...shown].sort());
  assert.equal(shown.length, 31);

  // Cancel a confirmed registration: the confirmation names who gets the seat.
  const waiting = people[30];
  const victim = people[1];
  await page.locator(`tr[data-code="${victim.code}"]`).getByRole('link', { name: 'Annulla' }).click();
  assert.match(await page.locator('#chi-subentra').textContent(), new RegExp(`${waiting.first} Rossi`));
  await page.getByRole('button', { name: "Sì, annulla l'iscrizione" }).click();
  assert.match(await page.locator('#promossa').textContent(), new RegExp(`${waiting.first} Rossi \\(${waiting.code}\\)`));

  // Erase a person's data with the typed confirmation.
  const erased = people[2];
  await page.goto(`/staff/persone/${erased.code}`);
  await page.getByRole('link', { name: 'Cancella i dati personali' }).click();
  await page.getByLabel('Per confermare scrivi CANCELLA').fill('CANCELLA');
  await page.getByRole('button', { name: 'Cancella i dati personali' }).click();
  await page.getByText('Dati personali cancellati.').waitFor();
  const after = (await adminApi(`/api/admin/registrations?edition=${EDITION}`)).body.registrations;
  assert.equal(after.find((r) => r.code === erased.code).email, '');

  // Correct a mistyped address: refused beside the field first, then saved,
  // and the person page says where the new links went.
  const corrected = people[3];
  await page.goto(`/staff/persone/${corrected.code}`);
  await page.getByRole('link', { name: 'Correggi i dati' }).click();
  await page.getByLabel('E-mail').fill('nuovo.indirizzo@example');
  await page.getByRole('button', { name: 'Salva le correzioni' }).click();
  assert.match(await page.locator('#email-error').textContent(), /indirizzo e-mail non valido/);
  assert.match(await page.getByRole('alert').textContent(), /I dati non sono stati salvati/);
  await screenshot(page, 'staff-correggi-errore');
  // The refused form answers 400, as it should: not a problem of the page.
  page.problems.splice(0, page.problems.length, ...page.problems.filter((p) => !/status of 400.*\/correggi/.test(p)));
  await page.getByLabel('E-mail').fill('nuovo.indirizzo@example.org');
  await page.getByRole('button', { name: 'Salva le correzioni' }).click();
  await page.getByText("Abbiamo mandato i nuovi link personali all'indirizzo nuovo.indirizzo@example.org").waitFor();
  const moved = (await adminApi(`/api/admin/registrations?edition=${EDITION}`)).body.registrations;
  assert.equal(moved.find((r) => r.code === corrected.code).email, 'nuovo.indirizzo@example.org');

  // Someone phones to sign up: the secretary registers them from the
  // edition's page. It is full by now: the form says so first, and the
  // person's page then says they are on the waiting list.
  await page.goto(`/staff/edizioni/${EDITION}`);
  await page.getByRole('link', { name: 'Iscrivi una persona' }).click();
  await page.getByText("I posti sono finiti: la persona va in lista d'attesa").waitFor();
  await page.getByLabel('Nome', { exact: true }).fill('Teresa');
  await page.getByLabel('Cognome').fill('Al Telefono');
  await page.getByLabel('E-mail').fill('teresa.telefono@example.org');
  await page.getByLabel('Ruolo').selectOption('volontario');
  await page.getByLabel('Regione').selectOption('puglia');
  await page.getByLabel("Fascia d'età").selectOption('over-35');
  await page.getByLabel("La persona ha avuto l'informativa sulla privacy ed è d'accordo").check();
  await page.getByRole('button', { name: 'Iscrivi', exact: true }).click();
  await page.getByRole('heading', { name: 'Teresa Al Telefono' }).waitFor();
  assert.match(await page.locator('#iscritta').textContent(), /è piena: iscrizione in lista d'attesa, al 1° posto\. Il messaggio con il suo link personale per teresa\.telefono@example\.org resta in coda/);
  const byPhone = (await adminApi(`/api/admin/registrations?edition=${EDITION}`)).body.registrations;
  assert.equal(byPhone.find((r) => r.email === 'teresa.telefono@example.org').status, 'waitlisted');

  // Write to the edition's confirmed people: a preview of one person's
  // copy (axe-core checks it below), then the sending, said with how many.
  const confirmed = moved.filter((r) => r.status === 'confirmed' && r.email).length;
  await page.goto(`/staff/edizioni/${EDITION}`);
  await page.getByRole('link', { name: 'Scrivi agli iscritti' }).click();
  await page.getByLabel('Oggetto', { exact: true }).fill('Cambio di aula');
  await page.getByLabel('Testo', { exact: true }).fill('La residenza comincia in aula magna.\nPortate una penna.');
  await page.getByRole('button', { name: "Vedi l'anteprima" }).click();
  await page.getByRole('heading', { name: 'Anteprima: il messaggio non è ancora partito' }).waitFor();
  assert.match(await page.locator('.mail-preview pre').textContent(), /^Ciao \S+,\n\nLa residenza comincia in aula magna\.\nPortate una penna\./);
  await page.getByRole('button', { name: `Manda a ${confirmed} persone` }).click();
  await page.getByText(`Messaggio messo in coda per ${confirmed} persone`).waitFor();
  assert.match(await page.locator('.sent-messages').textContent(), /Cambio di aula/);

  // The report prints as a clean A4 document with the programme and funder.
  await page.goto('/staff/rendicontazione');
  const reported = await page.locator('tr[data-kind="residenza"] [data-figure="confirmed"]').textContent();
  assert.equal(reported, String((await adminApi('/api/admin/stats')).body.kinds.residenza.confirmed));
  assert.equal((await page.locator('tr[data-kind="modulo"] td').nth(1).textContent()), '2.160', 'the target, as Italians write it');
  // «Stampa (A4)» is there where it works: with JavaScript.
  assert.equal(await page.getByRole('button', { name: 'Stampa (A4)' }).isVisible(), true);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.staff-nav').isVisible(), false);
  assert.match(await page.locator('.report-head').textContent(), /Reti solidali e competenti[\s\S]*Ministero del Lavoro/);
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  await screenshot(page, 'staff-rendicontazione-stampa');
  await page.emulateMedia({ media: 'screen' });

  // The audit log holds every step, and no secret.
  await page.goto('/staff/registro');
  const actions = await page.locator('#registro tbody td:nth-child(4)').allTextContents();
  // In the staff's words, not the stored codes.
  for (const action of ['accesso', "conferma di un'iscrizione", 'esportazione', "annullamento di un'iscrizione",
                        'cancellazione dei dati di una persona', 'correzione dei dati di una persona', 'rendicontazione'])
    assert.ok(actions.includes(action), action);
  assert.ok(!actions.includes('login'), 'no code shown');
  const log = await page.locator('#registro tbody').textContent();
  assert.doesNotMatch(log, new RegExp(erased.email));
  assert.doesNotMatch(log, /nuovo\.indirizzo/);
  assert.doesNotMatch(log, new RegExp(token));

  // Log out: back to the login page, the session is gone.
  await page.getByRole('button', { name: 'Esci' }).click();
  await page.getByText("Sei uscito dall'area staff.").waitFor();
  await page.goto('/staff/');
  await page.waitForURL(/\/staff\/login/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('an expired session sends you back to the login page', async () => {
  const page = await openPage(site);
  await logIn(page);
  await page.waitForURL(/\/staff\/$/);
  // 31 minutes without a request, as the server sees it.
  execFileSync('sqlite3', [join(site.data, 'registrations.sqlite3'),
    'UPDATE staff_sessions SET last_seen_at = last_seen_at - 31 * 60'], { stdio: 'pipe' });
  await page.goto(`/staff/edizioni/${EDITION}`);
  await page.waitForURL(/\/staff\/login\?dopo=/);
  // Logging in again goes back where the person was.
  await logIn(page, ADMIN, { from: null });
  await page.waitForURL(new RegExp(`/staff/edizioni/${EDITION}$`));

  // A message being written when the session expires: after the login the
  // form has the text back, and says why; once sent, the draft is gone.
  await page.goto(`/staff/edizioni/${EDITION}/scrivi`);
  await page.getByLabel('Oggetto', { exact: true }).fill('Orari del secondo giorno');
  await page.getByLabel('Testo', { exact: true }).fill('Si comincia alle 9.\nPortate il pranzo.');
  execFileSync('sqlite3', [join(site.data, 'registrations.sqlite3'),
    'UPDATE staff_sessions SET last_seen_at = last_seen_at - 31 * 60'], { stdio: 'pipe' });
  await page.getByRole('button', { name: "Vedi l'anteprima" }).click();
  await page.waitForURL(/\/staff\/login\?dopo=/);
  await logIn(page, ADMIN, { from: null });
  await page.waitForURL(new RegExp(`/staff/edizioni/${EDITION}/scrivi$`));
  await page.getByText('Abbiamo ripreso il testo che stavi scrivendo').waitFor();
  assert.equal(await page.getByLabel('Oggetto', { exact: true }).inputValue(), 'Orari del secondo giorno');
  assert.equal(await page.getByLabel('Testo', { exact: true }).inputValue(), 'Si comincia alle 9.\nPortate il pranzo.');
  await page.getByRole('button', { name: "Vedi l'anteprima" }).click();
  await page.getByRole('button', { name: /^Manda a / }).click();
  await page.getByText('Messaggio messo in coda per').waitFor();
  await page.goto(`/staff/edizioni/${EDITION}/scrivi`);
  assert.equal(await page.getByLabel('Oggetto', { exact: true }).inputValue(), '');
  assert.equal(await page.getByText('Abbiamo ripreso il testo').count(), 0);
  await page.close();
});

test('a staff account cannot erase and sees no admin pages', async () => {
  const page = await openPage(site);
  await logIn(page, STAFF);
  await page.waitForURL(/\/staff\/$/);
  assert.equal(await page.getByRole('link', { name: 'Account e token' }).count(), 0);
  const response = await page.goto(`/staff/persone/${people[5].code}/cancella`);
  assert.equal(response.status(), 403);
  await page.goto(`/staff/persone/${people[5].code}`);
  assert.equal(await page.getByRole('link', { name: 'Cancella i dati personali' }).count(), 0);
  await page.close();
});

// The person search is a POST (its words stay out of URLs and logs): sent
// as a form, «Indietro» from a person's page showed the browser's «Conferma
// reinvio modulo». It runs in place: back from the person, the results are
// there again, and the history entry is the plain page.
test('back from a person found by the search shows the results again, without sending a form', async () => {
  const page = await openPage(site);
  await logIn(page, STAFF);
  await page.waitForURL(/\/staff\/$/);
  await page.goto('/staff/persone');
  const person = people[7];
  await page.getByLabel('Nome, e-mail o codice').fill(person.email);
  await page.getByRole('button', { name: 'Cerca' }).click();
  const found = page.locator('#risultati').getByRole('link', { name: new RegExp(person.first) });
  await found.waitFor();
  assert.equal(new URL(page.url()).pathname, '/staff/persone');
  await found.click();
  await page.waitForURL(new RegExp(`/staff/persone/${person.code}$`));
  const back = await page.goBack();
  assert.ok(back === null || back.request().method() === 'GET', 'no form sent again');
  await page.locator('#risultati').getByRole('link', { name: new RegExp(person.first) }).waitFor();
  assert.equal(await page.getByLabel('Nome, e-mail o codice').inputValue(), person.email);
  await page.close();
});

const staffPages = () => [
  ['login', '/staff/login'],
  ['cruscotto', '/staff/'],
  ['edizione', `/staff/edizioni/${EDITION}`],
  ['foglio-firme', `/staff/edizioni/${EDITION}/foglio-firme`],
  ['annulla', `/staff/iscrizioni/${people[10].code}/annulla`],
  ['persone', '/staff/persone'],
  ['persona', `/staff/persone/${people[11].code}`],
  ['cancella', `/staff/persone/${people[11].code}/cancella`],
  ['dati', `/staff/persone/${people[11].code}/dati/pagina`],
  ['correggi', `/staff/persone/${people[11].code}/correggi`],
  ['scrivi', `/staff/edizioni/${EDITION}/scrivi`],
  ['scrivi-persona', `/staff/edizioni/${EDITION}/scrivi?persona=${people[11].code}`],
  ['iscrivi', `/staff/edizioni/${EDITION}/iscrivi`],
  ['sposta', `/staff/iscrizioni/${people[12].code}/sposta`],
  ['tutoraggio', '/staff/tutoraggio'],
  ['messaggi', '/staff/messaggi'],
  ['rendicontazione', '/staff/rendicontazione'],
  ['account', '/staff/account'],
  ['registro', '/staff/registro'],
  ['fine-programma', '/staff/fine-programma'],
  ['password', '/staff/password'],
];

for (const viewport of [DESKTOP, MOBILE]) {
  test(`every staff page passes axe-core at ${viewport.width}px (screenshots)`, async () => {
    const page = await openPage(site, { viewport, bypassCSP: true });
    const report = [];
    for (const [name, path] of staffPages()) {
      if (name === 'cruscotto') await logIn(page);
      else await page.goto(path);
      if (name !== 'login') await page.waitForURL((url) => url.pathname + url.search === path);
      for (const line of await axeViolations(page)) report.push(`${path}: ${line}`);
      await screenshot(page, `staff-${name}-${viewport.width}`);
      if (name === 'scrivi') {  // its preview, a page only a POST shows
        await page.getByLabel('Oggetto', { exact: true }).fill('Prova');
        await page.getByLabel('Testo', { exact: true }).fill('Un messaggio di prova.');
        await page.getByRole('button', { name: "Vedi l'anteprima" }).click();
        await page.getByRole('heading', { name: 'Anteprima: il messaggio non è ancora partito' }).waitFor();
        for (const line of await axeViolations(page)) report.push(`${path} (anteprima): ${line}`);
        await screenshot(page, `staff-scrivi-anteprima-${viewport.width}`);
        if (viewport === MOBILE) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `the preview scrolls sideways at 390 px by ${overflow}px`);
        }
      }
      // A form's fields and its button in one row share their bottom edge
      // (the edition page's "Cerca" stood 10 px below its field).
      if (viewport === DESKTOP) {
        const misaligned = await page.evaluate(() => [...document.querySelectorAll('form.inline-form')].flatMap((form) => {
          const button = form.querySelector('button');
          const field = form.querySelector('label input:not([type=hidden]), label select');
          if (!button || !field || button.getBoundingClientRect().top < field.getBoundingClientRect().top) return [];
          const gap = Math.abs(button.getBoundingClientRect().bottom - field.getBoundingClientRect().bottom);
          return gap > 1 ? [`${button.textContent.trim()} ${gap.toFixed(1)}px`] : [];
        }));
        assert.deepEqual(misaligned, [], `${path}: buttons out of line with their fields`);
      }
      if (viewport === MOBILE) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${path} scrolls sideways at 390 px by ${overflow}px`);
      }
      // Taking attendance on a phone: scrolled to the meetings' boxes, the
      // names stay in sight.
      if (name === 'edizione' && viewport === MOBILE) {
        const seen = await page.evaluate(() => {
          const scroller = document.querySelector('.attendance-table').closest('.table-scroll');
          const cell = document.querySelector('.attendance-table tbody th[scope="row"]');
          window.scrollTo(0, cell.getBoundingClientRect().top + window.scrollY - 100);
          scroller.scrollLeft = scroller.scrollWidth;
          const box = cell.getBoundingClientRect();
          const under = document.elementFromPoint(box.left + 5, box.top + 5);
          return { scrolled: scroller.scrollLeft, left: box.left, covered: !cell.contains(under) };
        });
        assert.ok(seen.scrolled > 0, 'the table is wider than a phone');
        assert.ok(seen.left >= 0 && seen.left < 40 && !seen.covered, `the names stay in sight (${JSON.stringify(seen)})`);
        // The boxes a thumb ticks: at least 24 px (WCAG 2.2, 2.5.8).
        const box = await page.evaluate(() => {
          const b = document.querySelector('.attendance-table input[type="checkbox"]');
          return b && Math.min(b.getBoundingClientRect().width, b.getBoundingClientRect().height);
        });
        assert.ok(box >= 24, `an attendance box is ${box}px on a phone`);
        // An address breaks before its "@", never inside its name or its
        // domain ("persona1@exa" / "mple.org" was unreadable).
        const lines = await page.evaluate(() => {
          const span = document.querySelector('.attendance-table tbody th[scope="row"] span.muted');
          return [...span.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => {
            const range = document.createRange();
            range.selectNodeContents(n);
            return { text: n.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
          });
        });
        assert.equal(lines.length, 2, `an address is its name and its domain (${JSON.stringify(lines)})`);
        assert.ok(lines[1].text.startsWith('@'), JSON.stringify(lines));
        for (const part of lines) assert.equal(part.lines, 1, `«${part.text}» is broken across lines`);
      }
    }
    assert.deepEqual(report, []);
    await page.close();
  });
}

test('disabling an account asks first: «Annulla» leaves it active, «OK» disables it and says whose it was', async () => {
  bpAdmin(['user', 'add', '--role', 'staff', 'temporaneo@example.org'], `${PASSWORD}\n`);
  const page = await openPage(site);
  await logIn(page);
  await page.waitForURL((url) => url.pathname === '/staff/');
  await page.goto('/staff/account');
  const row = page.locator('tr[data-email="temporaneo@example.org"]');
  let asked = '';
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
  await row.getByRole('button', { name: 'Disattiva' }).click();
  assert.match(asked, /^Disattivare l'account temporaneo@example\.org\?/);
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/staff/account');
  assert.equal((await row.locator('td').nth(1).textContent()).trim(), 'attivo');
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: 'Disattiva' }).click();
  await page.waitForURL(/fatto=stato/);
  assert.match(await page.locator('.notice.ok').textContent(), /Account temporaneo@example\.org disattivato/);
  assert.equal((await row.locator('td').nth(1).textContent()).trim(), 'disattivato');
  await page.close();
});

test('the staff pause the site’s registrations to an edition, the programme says so, and they reopen them', async () => {
  // axe-core is added as a script tag: the page's CSP is bypassed for it.
  const page = await openPage(site, { viewport: MOBILE, bypassCSP: true });
  await logIn(page, STAFF);
  await page.waitForURL((url) => url.pathname === '/staff/');
  await page.goto(`/staff/edizioni/${EDITION}`);
  let asked = '';
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
  await page.getByRole('button', { name: 'Sospendi le iscrizioni dal sito' }).click();
  await page.waitForURL(/iscrizioni=sospese/);
  assert.match(asked, /^Sospendere le iscrizioni dal sito a questa edizione\?/);
  assert.match(await page.locator('.notice.ok').textContent(), /Iscrizioni dal sito sospese/);
  assert.match(await page.locator('.pause-state').textContent(), new RegExp(`\\(${STAFF.replace('.', '\\.')}\\)`));
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'staff-edizione-sospesa-390');

  const visitor = await openPage(site, { viewport: MOBILE });
  await visitor.goto('/programma');
  // Said, with no «Iscriviti» button, and never also «Iscrizioni chiuse»:
  // it will reopen.
  const cell = visitor.locator('.edition-cell, tr.edition').filter({ has: visitor.locator(`[data-edition="${EDITION}"]`) });
  assert.equal(await cell.count(), 0, 'no «Iscriviti» for a paused edition');
  assert.ok((await visitor.getByText('Iscrizioni sospese per ora').count()) >= 1, 'the programme says the registrations are paused');
  assert.equal(await visitor.getByText('Iscrizioni chiuse').count(), 0, 'a paused edition is not said closed');
  // The form's choice of edition: there, not to be chosen, and why.
  const option = visitor.locator(`option[value="${EDITION}"]`);
  assert.match(await option.textContent(), / – iscrizioni sospese$/);
  assert.equal(await option.isDisabled(), true);
  await visitor.close();

  await page.getByRole('button', { name: 'Riapri le iscrizioni dal sito' }).click();
  await page.waitForURL(/iscrizioni=riaperte/);
  assert.match(await page.locator('.notice.ok').textContent(), /Iscrizioni dal sito riaperte/);
  assert.equal(await page.getByRole('button', { name: 'Sospendi le iscrizioni dal sito' }).count(), 1);
  await page.close();
});
