// "Proponi una buona pratica" in a real browser, at a phone's width, against
// the real server with a copy of the library: a volunteer fills the form,
// sees the errors beside the fields, fixes them, sees the preview and
// submits; an editor (a staff account with the editor role) asks for a
// change in the back office; the volunteer edits and sends again; the editor
// accepts; bp-index proposals pull writes the case file; after the index is
// built the practice is found by the search page and the volunteer's page
// links to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSite, openPage, screenshot, binary, DESKTOP, MOBILE } from './harness.mjs';

let site;
const EDITOR = 'redazione@example.org';
const PASSWORD = 'una-password-lunga-e-nuova-2026';
let apiToken;

before(async () => {
  site = await startSite({ copyContent: true });
  const admin = binary('BP_ADMIN', 'admin/bp-admin');
  execFileSync(admin, ['user', 'add', '--role', 'editor', EDITOR, '--data', site.data], { input: `${PASSWORD}\n` });
  apiToken = execFileSync(admin, ['token', 'add', EDITOR, '--label', 'pull', '--data', site.data]).toString().trim();
});
after(async () => { if (site) await site.stop(); });

const TITLE = 'Lo sportello di quartiere per le bollette della Barriera';

test('a volunteer proposes from a phone, an editor asks a change, accepts, and the practice is published', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/proponi');
  assert.match(await page.locator('.what-next').innerText(), /tre settimane/);

  // First try: a theme left out, a summary too long, no consent.
  await page.locator('#title').fill(TITLE);
  await page.locator('#summary').fill('x'.repeat(410));
  assert.equal(await page.locator('#summary-count').innerText(), '410/400');
  await page.locator('#in_parole_semplici').fill('è'.repeat(601));
  assert.equal(await page.locator('#in_parole_semplici-count').innerText(), '601/600');
  await page.locator('#region').selectOption('piemonte');
  await page.locator('#dimensions-sociale').check();
  await page.locator('#sections-contesto').fill('Nella Barriera di Milano molte famiglie non riescono a leggere le bollette.');
  // The live checks answer beside the fields before anything is sent.
  await page.locator('#summary-error').filter({ hasText: '410 caratteri' }).waitFor();
  await page.locator('#in_parole_semplici-error').filter({ hasText: '601 caratteri' }).waitFor();
  await page.locator('#domande').fill('Chi mi spiega la bolletta della luce?\nCome si chiede il bonus per le bollette');
  await page.locator('#domande-error').filter({ hasText: 'punto di domanda' }).waitFor();
  // Nothing yet under the fields not reached: no «obbligatorio» while the
  // person is still on their way down the form.
  assert.equal(await page.locator('#themes-error').innerText(), '');
  assert.equal(await page.locator('#sections-cosa-e-stato-fatto-error').innerText(), '');
  await screenshot(page, 'proponi-errori-390');
  await page.locator('#submit').click();
  await page.waitForURL(/\/proponi#form-summary$/);
  await page.locator('#form-summary').waitFor();
  assert.match(await page.locator('#consent_privacy-error').innerText(), /informativa/);
  assert.match(await page.locator('#summary-error').innerText(), /400/);
  assert.equal(await page.locator('#themes-error').innerText(), 'scegli almeno un tema');
  // The browser logs the refused form's 400 answer: that one is expected.
  page.problems.splice(0, page.problems.length, ...page.problems.filter((p) => !/status of 400/.test(p)));

  // Fixed: the preview shows the text as the practice page will.
  await page.locator('#summary').fill('Volontari e un CAF aiutano le famiglie a capire le bollette e a chiedere i bonus.');
  await page.locator('#in_parole_semplici').fill('Il martedì in parrocchia qualcuno ti spiega la bolletta della luce e ti aiuta a chiedere lo sconto.');
  await page.locator('#themes-contrasto-alla-poverta').check();
  await page.locator('#domande').fill('Chi mi spiega la bolletta della luce?\n\nCome si chiede il bonus per le bollette?\n'
    + 'Dove trovo aiuto con le pratiche del gas in quartiere?');
  await page.locator('#sections-cosa-e-stato-fatto').fill('Ogni martedì **uno sportello** in parrocchia.\n\n<script>alert(1)</script>');
  await page.locator('#proposer-name').fill('Marta Bianchi');
  await page.locator('#proposer-email').fill('marta@example.org');
  await page.locator('#consent_publication').check();
  await page.locator('#consent_privacy').check();
  await page.locator('#preview strong').filter({ hasText: 'uno sportello' }).waitFor();
  assert.equal(await page.locator('#preview script').count(), 0);
  // The script is not shown, and the volunteer is told so beside the section.
  await page.locator('#sections-cosa-e-stato-fatto-error').filter({ hasText: 'codice HTML' }).waitFor();
  await page.locator('#sections-cosa-e-stato-fatto').fill('Ogni martedì **uno sportello** in parrocchia.');
  await page.waitForFunction(() => document.getElementById('sections-cosa-e-stato-fatto-error').textContent === '');
  assert.equal(await page.locator('#summary-error').innerText(), '');
  await screenshot(page, 'proponi-anteprima-390');
  await page.locator('#submit').click();
  await page.waitForURL(/\/proposta\/[a-z0-9]+\?token=/);
  const statusUrl = page.url().replace(/&inviata=1#contenuto$/, '');
  assert.match(await page.locator('.proposal-status').innerText(), /nuova/);
  assert.deepEqual(page.problems, []);

  // The editor, in the back office, asks for a change.
  const desk = await openPage(site);
  await desk.goto('/staff/proposte');
  await desk.locator('#login-email').fill(EDITOR);
  await desk.locator('#login-password').fill(PASSWORD);
  await desk.locator('#login-password').press('Enter');
  await desk.waitForURL(/\/staff\/proposte$/);
  await desk.getByRole('link', { name: TITLE }).click();
  // Asking changes without saying which: the reason is beside the comment,
  // on the same proposal's page, as a sentence.
  await desk.getByRole('button', { name: 'Chiedi modifiche' }).click();
  await desk.locator('#commento-error').filter({ hasText: /^Scrivi che cosa deve cambiare: .*\.$/ }).waitFor();
  assert.equal(await desk.locator('h1').innerText(), TITLE);
  desk.problems.splice(0, desk.problems.length, ...desk.problems.filter((p) => !/status of 400/.test(p)));
  await desk.locator('#commento').fill('Aggiungete il numero di famiglie aiutate, per favore.');
  await desk.getByRole('button', { name: 'Chiedi modifiche' }).click();
  await desk.locator('.notice.ok').waitFor();
  await screenshot(desk, 'staff-proposta');

  // The volunteer reads the comment and edits.
  await page.goto(statusUrl);
  assert.match(await page.locator('.proposal-history').innerText(), /numero di famiglie/);
  await page.locator('#results-0-indicator').fill('Famiglie aiutate');
  await page.locator('#results-0-value').fill('85');
  await page.locator('#results-0-unit').fill('famiglie');
  // A new photo too: the form checks every field before sending it, and
  // the proposer and consents it does not show must not stop it.
  const newCover = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  await page.locator('#cover').setInputFiles({ name: 'nuova.png', mimeType: 'image/png', buffer: newCover });
  await page.locator('#cover_alt').fill('Lo sportello in parrocchia');
  await page.locator('#submit').click();
  await page.waitForURL(/modificata=1/);
  assert.match(await page.locator('.proposal-status').innerText(), /in revisione/);

  // Back on the editors' desk: counted among those to read, and marked.
  await desk.goto('/staff/proposte');
  assert.match(await desk.locator('tr', { hasText: TITLE }).innerText(), /inviata di nuovo, da rileggere/);
  assert.match(await desk.locator('main p').first().innerText(), /^[1-9]\d* da leggere/);
  await desk.getByRole('link', { name: TITLE }).click();
  // Said to the editors in their own words, not the proposer's.
  assert.match(await desk.locator('.proposal-status').innerText(), /inviata di nuovo dopo la vostra richiesta: da rileggere/);
  // A notice is never text from the address: a link cannot make the back
  // office say something.
  await desk.goto(`${desk.url()}?fatto=Chiama+il+numero+800`);
  assert.equal(await desk.locator('.notice.ok').count(), 0);

  // An editor's change that breaks the case file is refused in plain sight.
  await desk.goto(desk.url().replace(/\?.*$/, ''));
  for (const box of await desk.locator('input[name="themes"]:checked').all()) await box.uncheck();
  await desk.getByRole('button', { name: 'Salva le modifiche' }).click();
  await desk.locator('p.notice.error', { hasText: 'Le modifiche non sono state salvate' }).waitFor();
  assert.equal(await desk.locator('#themes-error').innerText(), 'scegli almeno un tema');
  assert.match(await desk.locator('#form-summary h2').innerText(), /^Le modifiche non sono state salvate/);
  desk.problems.splice(0, desk.problems.length, ...desk.problems.filter((p) => !/status of 400/.test(p)));

  // The editor accepts. A field changed and not saved: the decision asks
  // first, and «Annulla» keeps the page as it is.
  await desk.goto(desk.url().replace(/\/modifica$/, ''));
  const proposalUrl = desk.url();
  await desk.locator('#title').fill(`${TITLE} (bozza)`);
  let asked = '';
  desk.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await desk.getByRole('button', { name: 'Accetta' }).click();
  assert.match(asked, /senza salvarli/);
  assert.equal(desk.url(), proposalUrl);
  assert.equal(await desk.locator('.notice.ok').count(), 0);
  desk.once('dialog', (d) => d.accept());
  await desk.getByRole('button', { name: 'Accetta' }).click();
  await desk.locator('.notice.ok').filter({ hasText: 'accettata' }).waitFor();

  // Into git: pull, check, build.
  const tokenFile = join(site.work, 'token');
  writeFileSync(tokenFile, `${apiToken}\n`);
  const index = binary('BP_INDEX', 'indexer/bp-index');
  const out = execFileSync(index, ['proposals', 'pull', '--server', site.base, '--token-file', tokenFile,
    '--content', site.content]).toString();
  assert.match(out, /git add .*lo-sportello-di-quartiere-per-le-bollette-della-barriera\.md/);
  assert.ok(existsSync(join(site.content, 'practices', 'nord', 'lo-sportello-di-quartiere-per-le-bollette-della-barriera.md')));
  execFileSync(index, ['check', '--content', site.content]);
  execFileSync(index, ['build', '--content', site.content, '--index', site.index]);

  // Found by the search page; the volunteer's page links to it.
  const search = await openPage(site, { viewport: MOBILE });
  await search.goto('/?q=sportello+bollette+Barriera');
  await search.getByRole('link', { name: TITLE }).first().waitFor();
  // Its page tells it in plain words too.
  await search.goto('/pratiche/lo-sportello-di-quartiere-per-le-bollette-della-barriera');
  assert.match(await search.locator('.plain-words').innerText(), /In parole semplici\s+Il martedì in parrocchia qualcuno ti spiega la bolletta/);
  // And the questions it answers, one per line as they were typed.
  assert.deepEqual(await search.locator('.questions li').allInnerTexts(), [
    'Chi mi spiega la bolletta della luce?', 'Come si chiede il bonus per le bollette?',
    'Dove trovo aiuto con le pratiche del gas in quartiere?']);
  // The server notices the slug in the index on its worker's next round.
  for (let i = 0; i < 40; i++) {
    await page.goto(statusUrl);
    if (await page.locator('a', { hasText: 'Vai alla pratica pubblicata' }).count()) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.match(await page.locator('.proposal-status').innerText(), /pubblicata/);
  await screenshot(page, 'proposta-pubblicata-390');
  assert.deepEqual(page.problems, []);
});

test('without JavaScript the form still posts and answers with the errors beside the fields', async () => {
  const page = await openPage(site, { viewport: MOBILE, javaScriptEnabled: false });
  await page.goto('/proponi');
  await page.locator('#title').fill('Prova senza script');
  // A 1×1 PNG: refused with the rest, it must be chosen again, and says so.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  await page.locator('#cover').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: png });
  await page.locator('#submit').click();
  await page.locator('#form-summary').waitFor();
  assert.match(await page.locator('#cover-error').innerText(), /scegli di nuovo l'immagine/);
  assert.equal(await page.locator('#themes-error').innerText(), 'scegli almeno un tema');
  // What the summary lists is said for people: no field names, slugs or files.
  const summary = await page.locator('#form-summary').innerText();
  assert.doesNotMatch(summary, /themes|slug|taxonomy|front matter|Hub/);
  // In the order of the fields on the page (the e-mail and the consents,
  // checked first, come last as on the form).
  const order = await page.evaluate(() => {
    const ids = [...document.querySelectorAll('#form-summary a')].map((a) => a.getAttribute('href').slice(1));
    const fields = ids.map((id) => document.getElementById(id));
    const sorted = fields.every((f, i) => f && (i === 0 || (fields[i - 1].compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) || fields[i - 1] === f));
    return { ids, sorted };
  });
  assert.ok(order.ids.includes('consent_privacy') && order.ids.includes('themes'), order.ids.join(' '));
  assert.ok(order.sorted, order.ids.join(' '));
  assert.equal(await page.locator('#title').inputValue(), 'Prova senza script');
});

test('a photo chosen stays chosen while the rest of the form is mended', async () => {
  // A form sent back by the server would lose the photo: with a photo,
  // every field (the proposer and the consents too) is checked first.
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/proponi');
  await page.locator('#title').fill('Il doposcuola nella casa del popolo di Rifredi');
  await page.locator('#summary').fill('Studenti universitari aiutano ogni pomeriggio i ragazzi delle medie con i compiti.');
  await page.locator('#in_parole_semplici').fill('Ogni pomeriggio alla casa del popolo dei ragazzi più grandi aiutano quelli delle medie a fare i compiti.');
  await page.locator('#region').selectOption('toscana');
  await page.locator('#dimensions-sociale').check();
  await page.locator('#domande').fill('Chi aiuta mio figlio con i compiti?\n\nQuanto costa il doposcuola?\n'
    + 'Serve iscriversi prima?');
  await page.locator('#sections-contesto').fill('A Rifredi molte famiglie non possono pagare ripetizioni.');
  await page.locator('#sections-cosa-e-stato-fatto').fill('Un doposcuola gratuito tre pomeriggi alla settimana.');
  await page.locator('#proposer-name').fill('Luca Neri');
  await page.locator('#proposer-email').fill('luca@example.org');
  await page.locator('#consent_publication').check();
  // The privacy consent forgotten.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  await page.locator('#cover').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: png });
  await page.locator('#cover_alt').fill('Ragazzi che studiano a un tavolo');
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/proponi') posted += 1; });
  // No theme either: a group's message takes the focus to the group.
  await page.locator('#submit').click();
  await page.locator('#themes-error').filter({ hasText: 'scegli almeno un tema' }).waitFor();
  assert.match(await page.evaluate(() => document.activeElement.id), /^themes-/);
  await page.locator('#themes-contrasto-alla-poverta').check();
  await page.locator('#submit').click();
  await page.locator('#consent_privacy-error').filter({ hasText: /informativa/ }).waitFor();
  assert.equal(posted, 0, 'the form was not sent');
  assert.equal(await page.locator('#cover').evaluate((i) => i.files.length), 1, 'the photo is still chosen');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'consent_privacy');
  await page.locator('#consent_privacy').check();
  await page.locator('#submit').click();
  await page.waitForURL(/\/proposta\/[a-z0-9]+\?token=/);
  assert.equal(posted, 1);
  const code = new URL(page.url()).pathname.split('/').pop();
  const stored = execFileSync('sqlite3', [join(site.data, 'registrations.sqlite3'),
    `SELECT length(image) FROM proposals WHERE code = '${code}'`]).toString().trim();
  assert.equal(stored, String(png.length));
  assert.deepEqual(page.problems, []);
});

test('numbers are written the Italian way, and a text too large for the preview says so', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/proponi');
  await page.locator('#title').fill('Prova di un testo enorme');
  // The summary written and emptied: its message, from the live check.
  await page.locator('#summary').fill('x');
  await page.locator('#summary').fill('');
  await page.waitForFunction(() => document.getElementById('summary-error').textContent.trim() !== '');
  // A huge paste: the counter groups the thousands, the server refuses the
  // preview (413) and the form says why instead of keeping stale messages.
  await page.locator('#summary').fill('x'.repeat(1120000));
  assert.equal(await page.locator('#summary-count').innerText(), '1.120.000/400');
  await page.locator('#form-error').filter({ hasText: 'troppo lungo' }).waitFor();
  assert.match(await page.locator('#summary-error').innerText(), /troppo lungo per l'anteprima/);
  await page.locator('#summary').fill('Un riassunto breve.');
  await page.waitForFunction(() => document.getElementById('form-error').textContent === '');
  assert.equal(await page.locator('#summary-error').innerText(), '');
  // An image too large, in megabytes with a decimal comma.
  await page.locator('#cover').setInputFiles({ name: 'grande.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(6 * 1048576) });
  await page.locator('#cover-error').filter({ hasText: /6,0 MB/ }).waitFor();
  // The browser logs the refused preview (413): expected here.
  assert.deepEqual(page.problems.filter((p) => !/status of 413/.test(p)), []);
  await page.close();
});

test('when the live check fails, its stale messages go', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/proponi');
  await page.locator('#title').fill('Prova');
  // The summary written and emptied: its message, from the live check.
  await page.locator('#summary').fill('x');
  await page.locator('#summary').fill('');
  await page.waitForFunction(() => document.getElementById('summary-error').textContent.trim() !== '');
  await page.route('**/api/proposals/preview', (route) => route.fulfill({
    status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>',
  }));
  await page.locator('#summary').fill('Un riassunto.');
  await page.locator('#form-error').filter({ hasText: 'non è disponibile' }).waitFor();
  assert.equal(await page.locator('#summary-error').innerText(), '');
  assert.equal(await page.locator('#summary').getAttribute('aria-invalid'), null);
  await page.close();
});

test('the checker\'s advice shows beside its field while typing, without marking it wrong', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/proponi');
  await page.locator('#title').fill('X');
  const advice = page.locator('#title-error.is-advice');
  await advice.waitFor();
  assert.match(await advice.innerText(), /^Da migliorare: il titolo 'X' è molto breve/);
  assert.equal(await page.locator('#title').getAttribute('aria-invalid'), null);
  await page.locator('#title').fill('Orti condivisi al quartiere Libertà');
  await page.waitForFunction(() => document.getElementById('title-error').textContent.trim() === '');
  assert.equal(await page.locator('#title-error.is-advice').count(), 0);
  await page.close();
});

test('the links and the results are fields like the others, one row per result on a desktop', async () => {
  const page = await openPage(site, { viewport: DESKTOP });
  await page.goto('/proponi');
  const box = (id) => page.locator(`#${id}`).boundingBox();
  const title = await box('title');
  for (const id of ['resources-0-title', 'resources-0-url']) {
    const b = await box(id);
    assert.ok(b.height >= 44, `#${id} is ${b.height}px tall`);
    assert.equal(b.height, title.height, `#${id} as tall as the title`);
  }
  const [indicator, value, unit] = await Promise.all(['indicator', 'value', 'unit'].map((f) => box(`results-0-${f}`)));
  assert.ok(value.y === indicator.y && unit.y === indicator.y, 'indicator, value and unit on one row');
  assert.ok(indicator.width > value.width, 'the indicator is the widest');
  // On a phone: the indicator above, value and unit side by side below it.
  await page.setViewportSize(MOBILE);
  const [i2, v2, u2] = await Promise.all(['indicator', 'value', 'unit'].map((f) => box(`results-0-${f}`)));
  assert.ok(v2.y > i2.y && u2.y === v2.y && u2.x > v2.x, 'value and unit below the indicator');
  assert.ok(u2.x + u2.width <= i2.x + i2.width + 0.5, 'within the indicator\'s width');
  await page.close();
});

test('on a phone the error summary of a form sent empty shows its heading', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/proponi');
  await page.locator('#submit').click();
  await page.waitForURL(/\/proponi#form-summary$/);
  await page.locator('#form-summary').waitFor();
  await page.waitForFunction(() => document.activeElement.id === 'form-summary');
  const top = await page.locator('#form-summary h2').evaluate((h) => h.getBoundingClientRect().top);
  assert.ok(top >= 0, `the summary's heading starts at ${top}px`);
  await screenshot(page, 'proponi-riepilogo-errori-390');
  await page.close();
});

test('withdrawing a proposal asks first, and «No» keeps it', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  const answer = await page.request.post('/api/proposals', { data: {
    title: 'La dispensa solidale del mercoledì a San Salvario',
    summary: 'Volontari e commercianti raccolgono le eccedenze e le distribuiscono alle famiglie del quartiere.',
    region: 'piemonte', city: 'Torino', themes: ['spreco-alimentare'], dimensions: ['sociale'], year: 2023,
    status: 'in-corso', sections: { contesto: 'Nel quartiere molte famiglie faticano a fare la spesa.' },
    proposer: { name: 'Luca Rossi', email: 'luca@example.org', role: 'volontario' },
    consent_publication: true, consent_privacy: true } });
  assert.equal(answer.status(), 201, await answer.text());
  const statusPath = new URL((await answer.json()).status_url).pathname
    + new URL((await answer.json()).status_url).search;
  await page.goto(statusPath);
  await page.getByRole('button', { name: 'Ritira la proposta' }).click();
  await page.getByRole('heading', { name: 'Vuoi ritirare la proposta?' }).waitFor();
  await screenshot(page, 'proposta-ritiro-390');
  const no = page.getByRole('link', { name: 'No, tienila' });
  assert.ok((await no.boundingBox()).height >= 44);
  await no.click();
  assert.match(await page.locator('.proposal-status').innerText(), /nuova/);
  await page.getByRole('button', { name: 'Ritira la proposta' }).click();
  await page.getByRole('button', { name: 'Sì, ritira la proposta' }).click();
  await page.locator('.proposal-status').filter({ hasText: 'ritirata' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Ritira la proposta' }).count(), 0);
  assert.deepEqual(page.problems, []);
});
