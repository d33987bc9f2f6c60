// The programme page and the registration form, in a real browser against
// the real server (with a temporary data folder): the catalogue, a
// registration that succeeds, field errors from the server, the waiting
// list, and the same form with JavaScript turned off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, openPage, screenshot, axeViolations, MOBILE } from './harness.mjs';

let site;
let programme;
before(async () => {
  site = await startSite();
  programme = (await site.api('/api/programme')).body;
});
after(async () => { if (site) await site.stop(); });

// An open edition with seats, that is not tutoring; `skip` editions already used.
function openEdition(skip = new Set()) {
  for (const activity of programme.activities) {
    if (activity.kind === 'tutoraggio') continue;
    for (const edition of activity.editions || []) {
      if (edition.open !== false && edition.seats_left > 0 && !skip.has(edition.id)) return { activity, edition };
    }
  }
  throw new Error('no open edition in the catalogue');
}

async function fillPerson(page, { email, edition }) {
  await page.locator('#edition').selectOption(edition);
  await page.locator('#first_name').fill('Giulia');
  await page.locator('#last_name').fill('Ferrero');
  await page.locator('#email').fill(email);
  await page.locator('#organisation').fill('APS Filo Verde');
  await page.locator('#role').selectOption('volontario');
  await page.locator('#region').selectOption('piemonte');
  await page.locator('#age-18-35').check();
  await page.locator('#consent').check();
}

test('the catalogue shows modules by hub with Italian dates and seats left', async () => {
  const page = await openPage(site);
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  const modules = programme.activities.filter((a) => a.kind === 'modulo');
  assert.ok(modules.length > 0);
  assert.equal(await page.locator('.module-matrix tbody tr').count(), modules.length);
  const text = await page.locator('#moduli').textContent();
  assert.match(text, /\d{1,2} (gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre) \d{4}/);
  assert.match(text, /posti liberi|lista d'attesa|Iscrizioni chiuse/);
  // Every edition of the catalogue can be chosen in the form.
  const editions = programme.activities.filter((a) => a.kind !== 'tutoraggio').flatMap((a) => a.editions || []);
  assert.equal(await page.locator('#edition option[value]:not([value=""])').count(), editions.length);
  // Every target, the teachers' course too, «e» before the last.
  assert.match(await page.locator('#catalogue-status').textContent(),
    /persone nelle residenze e [\d.]+ persone nel corso per i docenti\.$/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the form opened for an edition names its activity, and a new choice names the new one', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  const first = openEdition();
  const second = programme.activities.find((a) => a.kind !== 'tutoraggio' && a.id !== first.activity.id && (a.editions || []).some((e) => e.open !== false));
  await page.goto(`/programma?edizione=${encodeURIComponent(first.edition.id)}#iscrizione`);
  await page.locator('html[data-enhanced]').waitFor();
  const named = page.locator('#edition-activity');
  assert.ok((await named.textContent()).includes(first.activity.title), await named.textContent());
  const other = second.editions.find((e) => e.open !== false);
  await page.locator('#edition').selectOption(other.id);
  assert.ok((await named.textContent()).includes(second.title), await named.textContent());
  await screenshot(page, 'programma-edition-activity-390');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the teachers\' page lists the 12 modules with their practices and the practices with a lesson sheet', async () => {
  const page = await openPage(site);
  await page.goto('/docenti');
  await page.locator('#modules[aria-busy="false"]').waitFor();
  assert.equal(await page.locator('.module').count(), 12);
  assert.equal(await page.locator('.macro').count(), 3);
  const m01 = (await site.api('/api/search?module=m01&per_page=50')).body;
  assert.equal(await page.locator('#modulo-m01 .practice-item').count(), m01.results.length);
  // Practices with a lesson sheet: those with a school level.
  const levels = Object.keys((await site.api('/api/search?per_page=1')).body.facets.level);
  const teachers = (await site.api(`/api/search?per_page=50&${levels.map((l) => `level=${l}`).join('&')}`)).body;
  assert.ok(teachers.total >= 12);
  assert.equal(await page.locator('#teacher-practices .teacher-item').count(), teachers.total);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a registration succeeds and shows the code and the cancellation link', async () => {
  const page = await openPage(site);
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  const { activity, edition } = openEdition();
  // "Iscriviti" in the catalogue picks the edition in the form, and the
  // line under it names the activity (the option says only hub, date, place).
  const named = page.locator('#edition-activity');
  assert.equal(await named.getAttribute('aria-live'), 'polite');
  assert.equal((await named.textContent()).trim(), '', 'no activity before a choice');
  await page.locator(`a[data-edition="${edition.id}"]`).click();
  assert.equal(await page.locator('#edition').inputValue(), edition.id);
  assert.ok((await named.textContent()).includes(activity.title), await named.textContent());
  assert.equal(await named.isVisible(), true);
  await fillPerson(page, { email: 'giulia.ferrero@example.org', edition: edition.id });
  await screenshot(page, 'programma-form-filled-desktop');
  await page.locator('#submit').click();
  await page.locator('#confirmation').waitFor({ state: 'visible' });
  const confirmation = await page.locator('#confirmation').textContent();
  assert.match(confirmation, /Iscrizione confermata|Conferma la tua iscrizione|lista d'attesa/);
  const code = await page.locator('#confirmation .code').textContent();
  assert.ok(code.length >= 8, `registration code "${code}"`);
  const cancel = await page.locator('#confirmation a', { hasText: 'annulla' }).getAttribute('href');
  assert.match(cancel, /token=/);
  assert.equal(await page.locator('#registration-form').isVisible(), false);
  await screenshot(page, 'programma-confirmation-desktop');
  assert.deepEqual(page.problems, []);

  // The same person on the same edition again: the server's 409, explained.
  await page.getByRole('button', { name: 'Iscrivi un\'altra persona' }).click();
  // The empty form's first field has the focus (a hidden input comes first).
  assert.equal(await page.evaluate(() => document.activeElement?.closest('form')?.id ?? document.activeElement?.tagName),
    await page.evaluate(() => document.querySelector('#edition')?.form?.id));
  assert.notEqual(await page.evaluate(() => document.activeElement?.type), 'hidden');
  await fillPerson(page, { email: 'giulia.ferrero@example.org', edition: edition.id });
  await page.locator('#submit').click();
  await page.locator('#form-summary').waitFor({ state: 'visible' });
  assert.match(await page.locator('#form-summary').textContent(), /già iscritt/);
  assert.equal((await page.locator('#form-summary h3').textContent()).trim(), 'Controlla la tua e-mail');
  // The way to the lost links is a link, not a path to copy.
  assert.equal((await page.locator('#form-summary a[href="/iscrizione/nuovo-link"]').textContent()).trim(),
    "Non trovi l'e-mail? Fatti inviare di nuovo i link");
  assert.ok((await page.locator('#email-error').textContent()).trim().length > 0);
  await page.close();
});

test('a tutoring request needs a topic and a description instead of an edition', async () => {
  const tutoring = programme.activities.find((a) => a.kind === 'tutoraggio');
  if (!tutoring) return;
  const page = await openPage(site);
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  await page.locator('#tutoraggio [data-action="tutoring"]').first().click();
  assert.equal(await page.locator('#kind-tutoring').isChecked(), true);
  assert.equal(await page.locator('#field-edition').isVisible(), false);
  await page.locator('#needs').fill('Vorremmo capire come avviare un gruppo di acquisto nel nostro quartiere.');
  await page.locator('#first_name').fill('Sara');
  await page.locator('#last_name').fill('Conti');
  await page.locator('#email').fill('sara.conti@example.org');
  await page.locator('#role').selectOption('attivista');
  await page.locator('#region').selectOption('puglia');
  await page.locator('#age-18-35').check();
  await page.locator('#consent').check();
  // Everything but the topic: the error is on the topic, not on the
  // edition field the tutoring form hides.
  await page.locator('#submit').click();
  await page.locator('#form-summary').waitFor({ state: 'visible' });
  assert.match(await page.locator('#topic-error').textContent(), /argomento/);
  assert.doesNotMatch(await page.locator('#form-summary').textContent(), /edizione/i);
  page.problems.splice(0, page.problems.length, ...page.problems.filter((p) => !/status of 400/.test(p)));
  const topic = await page.locator('#topic option:not([value=""])').first().getAttribute('value');
  await page.locator('#topic').selectOption(topic);
  await page.locator('#submit').click();
  await page.locator('#confirmation').waitFor({ state: 'visible' });
  assert.match(await page.locator('#confirmation').textContent(), /Iscrizione confermata|Conferma la tua iscrizione|lista d'attesa/);
  // Tutoring has no dates: no calendar to add.
  assert.doesNotMatch(await page.locator('#confirmation').textContent(), /calendario/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a slip in the e-mail\'s domain is pointed out with the address to use, never refused', async () => {
  const page = await openPage(site, { viewport: { width: 390, height: 844 } });
  // The page's clock, moved by hand past the hint's delay after typing.
  await page.clock.install();
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  await page.locator('#email').pressSequentially('mario.rossi@gmial.com');
  const hint = page.locator('#email-suggestion');
  await page.clock.runFor(500);
  await hint.filter({ hasText: 'Forse intendevi mario.rossi@gmail.com?' }).waitFor();
  await hint.getByRole('button', { name: 'mario.rossi@gmail.com' }).click();
  assert.equal(await page.locator('#email').inputValue(), 'mario.rossi@gmail.com');
  assert.equal((await hint.textContent()).trim(), '');
  // A domain of its own, or a known one, says nothing.
  for (const address of ['anna@apsfiloverde.it', 'anna@libero.it']) {
    await page.locator('#email').fill(address);
    await page.clock.runFor(500);
    assert.equal((await hint.textContent()).trim(), '', address);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('an invalid registration shows the server\'s errors beside each field', async () => {
  const page = await openPage(site);
  // The server's 400 is expected here: not a problem of the page.
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  await page.locator('#email').fill('non-una-email');
  await page.locator('#age-under-14').check();
  await page.locator('#guardian-fields').waitFor({ state: 'visible' });
  await page.locator('#submit').click();
  await page.locator('#form-summary').waitFor({ state: 'visible' });
  for (const field of ['first_name', 'last_name', 'email', 'role', 'region', 'consent', 'edition', 'guardian_name']) {
    const message = (await page.locator(`#${field}-error`).textContent()).trim();
    assert.ok(message.length > 0, `an error beside ${field}`);
  }
  assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#email-error').textContent(), /e-mail/);
  assert.doesNotMatch(await page.locator('#form-summary').textContent(), /null/, 'no stray «null» under the list');
  // The summary links to the fields and has the focus.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'form-summary');
  assert.ok(await page.locator('#form-summary a[href="#email"]').count() === 1);
  await screenshot(page, 'programma-errors-desktop');
  // Typing in a field takes its error away at once, while it still has the
  // focus: the page does not move under the next tap (the guardian's consent
  // just below), which then ticks its box.
  await page.locator('#guardian_name').pressSequentially('Maria Rossi');
  assert.equal(await page.locator('#guardian_name').getAttribute('aria-invalid'), null);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'guardian_name');
  await page.locator('#guardian_consent').check();
  assert.equal(await page.locator('#guardian_consent').isChecked(), true);
  const problems = page.problems.filter((p) => !/status of 400/.test(p));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a full edition explains the waiting list', async () => {
  const page = await openPage(site);
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  assert.match(await page.locator('main').textContent(), /lista d'attesa/);
  // A full edition is announced as such when chosen.
  const full = programme.activities.flatMap((a) => a.editions || []).find((e) => e.open !== false && e.seats_left <= 0);
  if (full) {
    await page.locator('#edition').selectOption(full.id);
    assert.match(await page.locator('#edition-info').textContent(), /lista d'attesa/);
  }
  // The answer for a full edition (the fresh catalogue has none: the
  // server's answer is stood in for) explains the position and what follows.
  await page.route('**/api/registrations', (route) => route.fulfill({
    status: 201,
    contentType: 'application/json',
    body: JSON.stringify({ code: 'attesa0000000000000001', status: 'waitlisted', position: 3, cancel_url: `${site.base}/iscrizione/attesa0000000000000001?token=t` }),
  }));
  await fillPerson(page, { email: 'attesa@example.org', edition: openEdition().edition.id });
  await page.locator('#submit').click();
  await page.locator('#confirmation').waitFor({ state: 'visible' });
  const text = await page.locator('#confirmation').textContent();
  assert.match(text, /Sei in lista d'attesa/);
  assert.match(text, /numero 3/);
  assert.match(text, /ti avvisiamo per e-mail/);
  await screenshot(page, 'programma-waitlisted-desktop');
  await page.close();
});

test('the form works with JavaScript turned off', async () => {
  const page = await openPage(site, { javaScriptEnabled: false });
  await page.goto('/programma');
  // The server renders the catalogue and the form's editions from
  // programme.yaml: the same editions as the API, with their seats.
  const staticIds = await page.locator('#edition option').evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
  const apiIds = programme.activities.filter((a) => a.kind !== 'tutoraggio').flatMap((a) => a.editions || []).map((e) => e.id);
  assert.deepEqual(staticIds, apiIds, 'the programme page lists the catalogue\'s editions');
  const cells = await page.locator('#modules-list .edition-cell').count();
  assert.ok(cells >= 30, `module editions shown without JavaScript: ${cells}`);
  assert.match(await page.locator('#modules-list').textContent(), /posti liberi su|lista d'attesa|Iscrizioni chiuse/);
  // An "Iscriviti" link works without JavaScript: it picks the edition.
  const first = await page.locator('#modules-list a[data-edition]').first();
  const wanted = await first.getAttribute('data-edition');
  await first.click();
  await page.waitForURL(/edizione=/);
  assert.equal(await page.locator('#edition').inputValue(), wanted);
  const { edition } = openEdition(new Set([openEdition().edition.id]));
  await page.locator('#edition').selectOption(edition.id);
  await page.locator('#first_name').fill('Marco');
  await page.locator('#last_name').fill('Rossi');
  await page.locator('#email').fill('marco.rossi@example.org');
  await page.locator('#role').selectOption('operatore');
  await page.locator('#region').selectOption('lazio');
  await page.locator('#age-over-35').check();
  await page.locator('#consent').check();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/registrations') && r.request().method() === 'POST'),
    page.locator('#submit').click(),
  ]);
  assert.ok([200, 201, 303].includes(response.status()), `status ${response.status()}`);
  if (response.status() === 303) await page.waitForURL(/\/iscrizione\//);
  await page.waitForLoadState('domcontentloaded');
  const answer = await page.locator('body').textContent();
  assert.match(answer, /[Ii]scrizione/);
  assert.match(answer, /Codice|codice/);
  assert.deepEqual(page.problems, []);
  await screenshot(page, 'programma-nojs-answer');

  // The same form, invalid: the server's page lists what to correct.
  await page.goto('/programma');
  await page.locator('#email').fill('sbagliata');
  const [bad] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/registrations') && r.request().method() === 'POST'),
    page.locator('#submit').click(),
  ]);
  assert.equal(bad.status(), 400);
  // The answer's page, not the form still on screen (which says "e-mail" too).
  await page.waitForURL(/\/api\/registrations$/);
  assert.match(await page.locator('h1').textContent(), /Controlla i dati inseriti/);
  assert.match(await page.locator('.field-errors').textContent(), /e-mail/);
  await page.close();
});

test('after registering, the address stays the programme\'s, a reload keeps the code, and another «Iscriviti» keeps the person', async () => {
  const page = await openPage(site);
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  const { edition } = openEdition(new Set(['small', 'm03-nord']));
  await fillPerson(page, { email: 'ricarica@example.org', edition: edition.id });
  await page.locator('#submit').click();
  await page.locator('#confirmation').waitFor({ state: 'visible' });
  const code = await page.locator('#confirmation .code').textContent();
  // The personal link (it can cancel the registration) is never in the
  // address bar, where sharing the programme would give it away; the
  // page's relative links keep working.
  assert.equal(new URL(page.url()).pathname, '/programma');
  assert.doesNotMatch(page.url(), /token=/);
  await page.reload();
  await page.locator('#confirmation').waitFor({ state: 'visible' });
  assert.match(await page.locator('#confirmation').textContent(), new RegExp(code));
  // «Iscriviti» on another activity: the form again for it, with the
  // person's details as typed.
  const other = openEdition(new Set(['small', 'm03-nord', edition.id])).edition;
  await page.locator(`a[data-edition="${other.id}"]`).first().click();
  await page.locator('#registration-form').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#edition').inputValue(), other.id);
  assert.equal(await page.locator('#email').inputValue(), 'ricarica@example.org');
  assert.equal(await page.locator('#confirmation').isVisible(), false);
  // The personal page, from the confirmation's link: on a phone the
  // calendar and data links are finger-sized buttons.
  await page.reload();
  await page.locator('#confirmation').waitFor({ state: 'visible' });
  const personal = await page.locator('#confirmation a', { hasText: 'annulla' }).getAttribute('href');
  await page.goto(personal);
  assert.match(await page.locator('main').textContent(), new RegExp(code));
  await page.setViewportSize(MOBILE);
  const links = page.locator('.registration-links a');
  assert.ok(await links.count() >= 2);
  for (const name of ['Aggiungi al calendario (.ics)', 'I tuoi dati', 'Scarica i tuoi dati (JSON)']) {
    const box = await page.getByRole('link', { name, exact: true }).boundingBox();
    assert.ok(box.height >= 44, `«${name}» is ${box.height}px tall`);
  }
  await screenshot(page, 'registration-page-390');
  // «I tuoi dati»: the same data as the JSON, readable on the phone.
  await page.getByRole('link', { name: 'I tuoi dati', exact: true }).click();
  await page.getByRole('heading', { name: 'I tuoi dati', level: 1 }).waitFor();
  assert.match(await page.locator('main').textContent(), /Indirizzo e-mail\s*ricarica@example\.org/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `«I tuoi dati» scrolls sideways at 390 px by ${overflow}px`);
  await screenshot(page, 'personal-data-390');
  await page.close();
});

test('from the personal page a person moves to another edition of the same course, on a phone', async () => {
  // A course with two open editions with seats.
  const activity = programme.activities.find((a) => a.kind !== 'tutoraggio'
    && (a.editions || []).filter((e) => e.open !== false && e.seats_left > 0).length >= 2);
  assert.ok(activity, 'a course with two open editions');
  const [from, to] = activity.editions.filter((e) => e.open !== false && e.seats_left > 0);
  const r = await site.api('/api/registrations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ edition: from.id, first_name: 'Marta', last_name: 'Conti', email: 'sposta@example.org',
      organisation: 'APS Filo Verde', role: 'volontario', region: 'umbria', age_band: '18-35', consent: true }),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const page = await openPage(site, { viewport: MOBILE, bypassCSP: true });  // axe-core is injected
  await page.goto(r.body.cancel_url);
  await page.getByRole('link', { name: 'Cambia edizione' }).click();
  await page.getByRole('heading', { name: 'Cambia edizione', level: 1 }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `«Cambia edizione» scrolls sideways at 390 px by ${overflow}px`);
  await screenshot(page, 'change-edition-390');
  await page.locator(`input[value="${to.id}"]`).check();
  await page.getByRole('button', { name: 'Passa a questa edizione' }).click();
  await page.locator('#moved-notice').waitFor();
  assert.match(await page.locator('#moved-notice').textContent(), /hai lasciato quella di/);
  assert.equal((await site.api(`/api/registrations/${r.body.code}?token=${new URL(r.body.cancel_url).searchParams.get('token')}`)).body.edition, to.id);
  await screenshot(page, 'change-edition-done-390');
  await page.close();
});

test('on a phone the registration code wraps inside its box', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  // A real code is 26 characters: wider than a 390 px screen in monospace.
  const code = 'gzzifhq5dic6ff76ef5r6mb2pi';
  await page.route('**/api/registrations', (route) => route.fulfill({
    status: 201,
    contentType: 'application/json',
    body: JSON.stringify({ code, status: 'confirmed', cancel_url: `${site.base}/iscrizione/${code}?token=t` }),
  }));
  await fillPerson(page, { email: 'codice.lungo@example.org', edition: openEdition().edition.id });
  await page.locator('#submit').click();
  await page.locator('#confirmation').waitFor({ state: 'visible' });
  const fit = await page.locator('#confirmation .code').evaluate((node) => {
    const box = node.closest('.confirmation');
    const inner = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
    return { overflow: box.scrollWidth - box.clientWidth, right: Math.max(...[...node.getClientRects()].map((r) => r.right)), inner };
  });
  assert.equal(fit.overflow, 0, 'the confirmation does not scroll sideways');
  assert.ok(fit.right <= fit.inner + 0.5, `the code ends at ${fit.right}px, its box at ${fit.inner}px`);
  await screenshot(page, 'programma-confirmation-390');
  await page.close();
});

test('on a phone the page\'s contents, "Iscriviti" and the error summary are easy to tap and to see', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  const heights = (selector) => page.locator(selector).evaluateAll((nodes) =>
    nodes.filter((node) => node.offsetParent).map((node) => node.getBoundingClientRect().height));
  for (const path of ['/docenti', '/programma']) {
    await page.goto(path);
    const toc = await heights('.toc a');
    assert.ok(toc.length > 0);
    for (const h of toc) assert.ok(h >= 44, `an «In questa pagina» link on ${path} is ${h}px tall`);
    if (path !== '/docenti') continue;
    // A practice's main action, the lesson sheet, is the filled button; the
    // collection menu beside it is outlined (secondary).
    const sheets = await heights('.teacher-item a[href$="/scheda-didattica"]');
    assert.ok(sheets.length > 0);
    for (const h of sheets) assert.ok(h >= 44, `«Scheda didattica da stampare» is ${h}px tall`);
    await page.locator('.teacher-item .collect-button').first().waitFor();
    const [sheet, collect] = await page.locator('.teacher-item').first().evaluate((item) =>
      [item.querySelector('a[href$="/scheda-didattica"]'), item.querySelector('.collect-button')].map((n) => getComputedStyle(n).backgroundColor));
    assert.equal(sheet, 'rgb(11, 97, 87)', 'the lesson sheet is the primary (filled) button');
    assert.equal(collect, 'rgb(255, 255, 255)', '«Aggiungi a una raccolta» is the secondary (outlined) one');
  }
  await page.locator('html[data-enhanced]').waitFor();
  const signup = await heights('a[data-edition]');
  assert.ok(signup.length > 0);
  for (const h of signup) assert.ok(h >= 44, `an «Iscriviti» link is ${h}px tall`);

  // Sent empty: the focused summary's outline keeps clear of the next question.
  await page.locator('#submit').click();
  await page.locator('#form-summary').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'form-summary');
  const gap = await page.evaluate(() => {
    const summary = document.getElementById('form-summary');
    const style = getComputedStyle(summary);
    const outline = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    return document.getElementById('kind-group').getBoundingClientRect().top - summary.getBoundingClientRect().bottom - outline;
  });
  assert.ok(gap >= 4, `the summary's outline is ${gap}px from «Che cosa vuoi fare?»`);
  await page.close();
});
