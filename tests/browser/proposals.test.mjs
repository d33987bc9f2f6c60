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
import { startSite, openPage, screenshot, binary, MOBILE } from './harness.mjs';

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
  await page.locator('#themes-error').filter({ hasText: 'themes' }).waitFor();
  await screenshot(page, 'proponi-errori-390');
  await page.locator('#submit').click();
  await page.waitForURL(/\/proponi$/);
  await page.locator('#form-summary').waitFor();
  assert.match(await page.locator('#consent_privacy-error').innerText(), /informativa/);
  assert.match(await page.locator('#summary-error').innerText(), /400/);
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
  assert.equal(await page.locator('#summary-error').innerText(), '');
  await screenshot(page, 'proponi-anteprima-390');
  await page.locator('#submit').click();
  await page.waitForURL(/\/proposta\/[a-z0-9]+\?token=/);
  const statusUrl = page.url().replace(/&inviata=1$/, '');
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
  await page.locator('#submit').click();
  await page.waitForURL(/modificata=1/);
  assert.match(await page.locator('.proposal-status').innerText(), /in revisione/);

  // The editor accepts.
  await desk.reload();
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
  await page.locator('#submit').click();
  await page.locator('#form-summary').waitFor();
  assert.match(await page.locator('#themes-error').innerText(), /themes/);
  assert.equal(await page.locator('#title').inputValue(), 'Prova senza script');
});
