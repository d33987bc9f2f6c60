// A teacher's path, as issue 16 tells it: on /docenti filter by
// "secondaria di primo grado" and "scienze" (without and with JavaScript),
// open a practice and read its lesson sheet, print the A4 handout with its QR
// code, keep several collections ("Le mie raccolte": add practices from the
// list and from a practice page to the one chosen, rename, order, note,
// delete), share one as a link and open it in a fresh browser (without
// JavaScript) where it prints as one handout, and in another that keeps it. axe-core on the new pages;
// print screenshots of a practice, a lesson sheet and a collection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, openPage, axeViolations, screenshot, DESKTOP, MOBILE } from './harness.mjs';

let site;
before(async () => { site = await startSite(); });
after(async () => { if (site) await site.stop(); });

// Pages of a PDF that Chromium wrote (its page objects).
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

function assertClean(page) {
  assert.deepEqual(page.problems, [], `problems on ${page.url()}`);
}

test('/docenti filters by school level and subject without JavaScript', async () => {
  const page = await openPage(site, { javaScriptEnabled: false });
  await page.goto('/docenti');
  await page.locator('label[for="d-level-secondaria-1"]').click();
  await page.locator('.filter-subject summary').isVisible();
  await page.locator('label[for="d-subject-scienze"]').click();
  await page.locator('.teacher-filters button[type="submit"]').click();
  await page.waitForURL(/level=secondaria-1/);
  assert.match(page.url(), /subject=scienze/);
  const items = page.locator('.teacher-item');
  assert.ok(await items.count() >= 1, 'at least one practice for secondaria-1 and scienze');
  for (const facts of await page.locator('.teacher-facts').allTextContents()) {
    assert.match(facts, /Secondaria di primo grado/);
    assert.match(facts, /Scienze/);
  }
  // The API agrees with the page, counts included.
  const { body } = await site.api('/api/search?level=secondaria-1&subject=scienze&per_page=50');
  assert.equal(await items.count(), body.total);
  assert.ok(body.facets.level['secondaria-1'] >= body.total);
  assert.deepEqual(page.problems.filter((p) => !p.startsWith('console')), []);
  await page.close();
});

test('on a phone a teacher types the class in the words: the level is ticked and the list is on screen', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/docenti');
  await page.locator('#d-q').fill('energia per le medie');
  await page.locator('.teacher-filters button[type="submit"]').click();
  await page.waitForURL(/#risultati$/);
  assert.equal(await page.locator('#d-q').inputValue(), 'energia');
  assert.ok(await page.locator('#d-level-secondaria-1').isChecked(), 'the level the words named is ticked');
  assert.match(await page.locator('.teacher-results .interpretation').textContent(),
    /«medie»: abbiamo scelto l'ordine di scuola Secondaria di primo grado/);
  // The answer opens at the list, not at the form a screen long.
  const status = await page.locator('#teacher-status').boundingBox();
  const viewport = page.viewportSize();
  assert.ok(status && status.y >= 0 && status.y < viewport.height, `the count is on screen (y=${status && status.y})`);
  for (const facts of await page.locator('.teacher-facts').allTextContents())
    assert.match(facts, /Secondaria di primo grado/);
  assertClean(page);
});

test('a practice shows its lesson sheet, and the handout prints with a QR code', async () => {
  const { body } = await site.api('/api/search?level=secondaria-1&subject=scienze&per_page=1');
  const slug = body.results[0].slug;
  const page = await openPage(site);
  await page.goto('/docenti?level=secondaria-1&subject=scienze');
  await page.locator(`.teacher-item a[href="/pratiche/${slug}"]`).click();
  await page.waitForURL(new RegExp(`/pratiche/${slug}$`));
  const sheet = page.locator('#scheda-didattica');
  assert.match(await sheet.locator('h2').textContent(), /Scheda didattica/);
  assert.match(await sheet.textContent(), /Secondaria di primo grado/);
  assert.ok(await sheet.locator('.sheet-activities li').count() >= 1, 'activities listed');
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'practice-full-print');
  assert.equal(await page.locator('.print-address .qr').isVisible(), true, 'the QR code is printed');
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('.print-address').isVisible(), false, 'the QR code is for paper only');

  await sheet.locator('a[href$="/scheda-didattica"]').click();
  await page.waitForURL(/\/scheda-didattica$/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.print-button').isVisible(), false, 'no button on paper');
  assert.equal(await page.locator('.site-header').isVisible(), false, 'no navigation on paper');
  assert.equal(await page.locator('.qr').isVisible(), true);
  assert.match(await page.locator('.attribution').textContent(), /Buone Pratiche – Reti solidali e competenti, CC BY/);
  const a4 = await page.pdf({ format: 'A4' });
  assert.equal(pdfPages(a4), 1, 'the handout is one A4 sheet');
  await screenshot(page, 'lesson-sheet-print');
  await page.emulateMedia({ media: 'screen' });
  assertClean(page);
  await page.close();
});

test('/docenti names the teachers\' course and leads to it on /programma, with and without JavaScript', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await openPage(site, { javaScriptEnabled });
    await page.goto('/docenti');
    const link = page.locator('.teacher-course a[href="/programma#corso-docenti"]');
    assert.equal(await link.count(), 1, `the course is linked (JavaScript ${javaScriptEnabled})`);
    const title = (await link.textContent()).trim();
    assert.equal(title, 'Percorso formativo per la comunità educante');
    await link.click();
    await page.waitForURL(/\/programma#corso-docenti$/);
    // The anchor is the course's section, under the same name.
    assert.equal((await page.locator('#corso-docenti h2').textContent()).trim(), title);
    assert.ok(await page.locator('#corso-docenti .activity').count() >= 1, 'the course is listed there');
    await page.close();
  }
});

test('/docenti prints the filtered list without the form, the buttons or the modules', async () => {
  const page = await openPage(site, { viewport: DESKTOP });
  await page.goto('/docenti?level=secondaria-1&subject=scienze');
  await page.locator('#modules .module').first().waitFor();
  const items = await page.locator('.teacher-item').count();
  assert.ok(items >= 1);
  const chosen = page.locator('.chosen-filters');
  assert.equal((await chosen.textContent()).trim(),
    'Filtri scelti: Ordine di scuola: Secondaria di primo grado; Disciplina: Scienze.');
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'docenti-print');
  assert.equal(await page.locator('.teacher-filters').isVisible(), false, 'no filter form on paper');
  assert.equal(await page.locator('#d-q').isVisible(), false, 'no search box on paper');
  assert.equal(await page.locator('.teacher-filters button[type="submit"]').isVisible(), false, 'no button on paper');
  assert.equal(await page.locator('.modules-section').isVisible(), false, 'no module cards on paper');
  assert.equal(await page.locator('.teacher-links').first().isVisible(), false, 'no per-practice buttons on paper');
  assert.equal(await chosen.isVisible(), true, 'the filters chosen are printed');
  assert.equal(await page.locator('.teacher-course').isVisible(), true, 'the course line is printed');
  assert.equal(await page.locator('.teacher-item').first().isVisible(), true, 'the list is printed');
  assert.equal(await page.locator('.teacher-item').count(), items);
  // Nine practices on two A4 sheets (eleven with the screen's page).
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdfPages(pdf) <= Math.ceil(items / 5), `${items} practices on ${pdfPages(pdf)} A4 sheets`);
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('.teacher-filters').isVisible(), true, 'the form is on screen');
  assertClean(page);
  await page.close();
});

test('a practice prints its related practices before its address, and the licence\'s address', async () => {
  const { body } = await site.api('/api/search?level=secondaria-1&per_page=1');
  const page = await openPage(site);
  await page.goto(`/pratiche/${body.results[0].slug}`);
  await page.emulateMedia({ media: 'print' });
  const order = await page.evaluate(() => {
    const related = document.querySelector('.related');
    const address = document.querySelector('.print-address');
    return related && address ? related.compareDocumentPosition(address) & Node.DOCUMENT_POSITION_FOLLOWING : -1;
  });
  assert.ok(order > 0, 'the address and QR code come after «Pratiche correlate»');
  const licence = page.locator('.licence a[rel~="license"]');
  const href = await licence.getAttribute('href');
  assert.match(href, /^https:\/\/creativecommons\.org\//);
  const printed = await licence.evaluate((a) => getComputedStyle(a, '::after').content);
  assert.equal(printed, `" (${href})"`, 'the licence link prints its address');
  // A related practice reads as one line on paper: «Titolo (scelta dalla redazione) · Marche».
  const place = await page.locator('.related-place').first().evaluate((e) => getComputedStyle(e, '::before').content);
  assert.equal(place, '"· "');
  await page.emulateMedia({ media: 'screen' });
  assertClean(page);
  await page.close();
});

test('several collections: create from the list and the practice page, rename, order, delete, share, reopen elsewhere', async () => {
  const page = await openPage(site, { viewport: DESKTOP });
  await page.goto('/docenti');
  const menus = page.locator('.teacher-item .collect-menu');
  await menus.first().locator('summary').waitFor();
  assert.ok(await menus.count() >= 4);
  const titles = [];
  for (let i = 0; i < 4; i += 1) titles.push((await page.locator('.teacher-item h3').nth(i).textContent()).trim());

  // The first practice starts a new collection; the next two join it.
  await menus.nth(0).locator('summary').click();
  await menus.nth(0).locator('.collect-new-title').fill('Energia, 2ª B');
  await menus.nth(0).locator('.collect-create').click();
  assert.match(await menus.nth(0).locator('summary').textContent(), /In «Energia, 2ª B» ✓/);
  for (const i of [1, 2]) {
    await menus.nth(i).locator('summary').click();
    const box = menus.nth(i).locator('.collect-choice');
    // The menu is filled on its toggle event, which follows the click.
    await box.first().waitFor();
    assert.equal(await box.count(), 1, 'the collection made from another item is offered');
    await box.check();
    assert.match(await menus.nth(i).locator('summary').textContent(), /In «Energia, 2ª B»/);
  }

  // The fourth, from its practice page, into a second collection and the first.
  await page.locator('.teacher-item h3 a').nth(3).click();
  await page.waitForURL(/\/pratiche\//);
  const menu = page.locator('.collect-menu');
  await menu.locator('summary').click();
  await menu.locator('.collect-new-title').fill('Acqua, 3ª A');
  await menu.locator('.collect-create').click();
  await menu.locator('.collect-choice').first().check();
  assert.match(await menu.locator('summary').textContent(), /In 2 raccolte ✓/);

  await page.goto('/raccolta');
  const choices = page.locator('.collection-choose');
  await choices.first().waitFor();
  assert.deepEqual((await choices.allTextContents()).map((t) => t.trim()), ['Energia, 2ª B', 'Acqua, 3ª A']);
  assert.equal(await page.locator('.collection-choose[aria-current="true"]').textContent(), 'Acqua, 3ª A');
  assert.equal(await page.locator('.collection-item').count(), 1);

  await choices.first().click();
  const items = page.locator('.collection-item');
  assert.equal(await items.count(), 4);
  // Rename, reorder (the third to the top, the fourth out), a note.
  await page.locator('#collection-title').fill('Energia e ambiente, 2ª B');
  await page.locator('#collection-title').press('Tab');
  assert.equal(await page.locator('.collection-choose[aria-current="true"]').textContent(), 'Energia e ambiente, 2ª B');
  // Saving the title as the focus leaves it does not drop the focus: Tab
  // reaches the next control, as in any form.
  assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest('.collection-item'))),
    'the first practice of the list has the focus');
  assert.equal(await page.locator('#collection-editing-title').textContent(), 'Raccolta «Energia e ambiente, 2ª B»');
  await items.nth(2).locator('.move-up').click();
  await items.nth(1).locator('.move-up').click();
  // At the top the «Su» it was moved with is off: the focus is on its «Giù».
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'button secondary move move-down');
  await items.nth(3).locator('.remove').click();
  const order = [titles[2], titles[0], titles[1]];
  assert.deepEqual((await page.locator('.collection-item-title').allTextContents()).map((t) => t.trim()), order);
  await page.locator('#nota-0').fill('Da leggere prima della visita.');
  await page.locator('#nota-0').press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Sposta giù: ${order[0]}`,
    'the next control after the note has the focus');
  const link = await page.locator('.share-link').getAttribute('href');
  assert.match(decodeURIComponent(link.replace(/\+/g, ' ')), /Da leggere prima della visita/, 'the link holds the note');
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/raccolta\?titolo=Energia/);
  assert.deepEqual(await axeViolationsOf(page), []);

  // The second collection is deleted after a second click; the first stays.
  await page.locator('.collection-choose', { hasText: 'Acqua, 3ª A' }).click();
  await page.locator('.collection-delete-ask').click();
  await page.locator('.collection-delete-confirm').click();
  assert.deepEqual((await page.locator('.collection-choose').allTextContents()).map((t) => t.trim()), ['Energia e ambiente, 2ª B']);
  await page.reload();
  assert.equal(await page.locator('.collection-item').count(), 3, 'kept across a reload');
  assertClean(page);
  await page.close();

  // Another browser, without JavaScript and without the localStorage.
  const fresh = await openPage(site, { javaScriptEnabled: false, viewport: MOBILE });
  await fresh.goto(link);
  assert.equal(await fresh.locator('h1').textContent(), 'Energia e ambiente, 2ª B');
  assert.deepEqual((await fresh.locator('.collection-contents > li > a').allTextContents()).map((t) => t.trim()), order);
  assert.match(await fresh.locator('.collection-contents .collection-note').first().textContent(), /Da leggere prima della visita/);
  assert.equal(await fresh.locator('.handout-practice').count(), 3);
  await fresh.emulateMedia({ media: 'print' });
  // On paper a link's label leads nowhere: each sheet is its number.
  assert.equal((await fresh.locator('.handout-practice .handout-kicker').first().innerText()).trim(), '1');
  await screenshot(fresh, 'collection-print');
  const pdf = await fresh.pdf({ format: 'A4' });
  assert.equal(pdfPages(pdf), 4, 'a cover, then one A4 sheet per practice');
  await fresh.close();

  // Another browser with JavaScript keeps it among its own collections.
  const other = await openPage(site, { viewport: DESKTOP });
  await other.goto(link);
  const keep = other.locator('#collection-actions button', { hasText: 'Salva tra le mie raccolte' });
  await keep.click();
  // A second click saves no second copy.
  await keep.click();
  await other.locator('#collection-actions', { hasText: 'già salvata' }).waitFor();
  await other.goto('/raccolta');
  await other.locator('.collection-choose').first().waitFor();
  assert.deepEqual((await other.locator('.collection-choose').allTextContents()).map((t) => t.trim()), ['Energia e ambiente, 2ª B']);
  assert.deepEqual((await other.locator('.collection-item-title').allTextContents()).map((t) => t.trim()), order);
  assert.equal(await other.locator('#nota-0').inputValue(), 'Da leggere prima della visita.');
  assertClean(other);
  await other.close();
});

test('a collection too long for a link says so instead of offering a link that cannot open', async () => {
  const { body } = await site.api('/api/search?per_page=30');
  const items = body.results.map((r) => ({ slug: r.slug, title: r.title, note: 'è'.repeat(300) }));
  assert.ok(items.length >= 10, 'enough practices for a long link');
  const page = await openPage(site);
  await page.goto('/raccolta');
  await page.evaluate((items) => localStorage.setItem('bp:raccolte',
    JSON.stringify({ collections: [{ id: 'lunga', title: 'Lunga', items }], active: 'lunga' })), items);
  await page.reload();
  await page.locator('.collection-item').first().waitFor();
  assert.equal(await page.locator('.share-too-long').isVisible(), true);
  assert.equal(await page.locator('.share-actions').isVisible(), false);
  // Shorter notes: the link is offered again, without a reload.
  await page.evaluate(() => {
    const state = JSON.parse(localStorage.getItem('bp:raccolte'));
    for (const item of state.collections[0].items) item.note = '';
    localStorage.setItem('bp:raccolte', JSON.stringify(state));
  });
  await page.reload();
  await page.locator('.share-actions').waitFor();
  assert.equal(await page.locator('.share-too-long').isVisible(), false);
  assertClean(page);
  await page.close();
});

test('the single collection an earlier version kept becomes the first of "Le mie raccolte"', async () => {
  const { body } = await site.api('/api/search?level=primaria&per_page=2');
  const [a, b] = body.results;
  const page = await openPage(site);
  await page.goto('/raccolta');
  await page.evaluate((items) => localStorage.setItem('bp:raccolta', JSON.stringify({ title: 'Vecchia raccolta', items })),
    [{ slug: a.slug, title: a.title, note: 'prima' }, { slug: b.slug, title: b.title, note: '' }]);
  await page.reload();
  await page.locator('.collection-item').first().waitFor();
  assert.deepEqual((await page.locator('.collection-choose').allTextContents()).map((t) => t.trim()), ['Vecchia raccolta']);
  assert.deepEqual((await page.locator('.collection-item-title').allTextContents()).map((t) => t.trim()), [a.title, b.title]);
  assert.equal(await page.locator('#nota-0').inputValue(), 'prima');
  assert.equal(await page.evaluate(() => localStorage.getItem('bp:raccolta')), null, 'moved, not copied');
  assertClean(page);
  await page.close();
});

test('axe-core finds nothing serious on the teachers\' pages, desktop and 390 px', async () => {
  const { body } = await site.api('/api/search?level=secondaria-1&per_page=3');
  const slugs = body.results.map((r) => r.slug);
  const shared = `/raccolta?titolo=Prova&${slugs.map((s) => `p=${s}&n=nota`).join('&')}`;
  const report = [];
  for (const viewport of [DESKTOP, MOBILE]) {
    for (const path of ['/docenti?level=secondaria-1', `/pratiche/${slugs[0]}`, `/pratiche/${slugs[0]}/scheda-didattica`, shared, '/raccolta']) {
      const page = await openPage(site, { viewport, bypassCSP: true });
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      // The collections menu open, as a teacher uses it.
      const menu = page.locator('.collect-menu summary').first();
      if (await menu.count()) {
        await menu.click();
        await page.locator('.collect-new-title').first().waitFor();
      }
      for (const line of await axeViolations(page)) report.push(`${path} ${viewport.width}px: ${line}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) report.push(`${path} scrolls sideways at ${viewport.width}px by ${overflow}px`);
      await page.close();
    }
  }
  assert.deepEqual(report, []);
});

// axe-core on a page already open with the CSP on: a copy in a context that
// bypasses it, with the same localStorage state reproduced by the page's URL.
async function axeViolationsOf(page) {
  const copy = await openPage(site, { bypassCSP: true });
  await copy.goto(page.url());
  const state = await page.evaluate(() => localStorage.getItem('bp:raccolte'));
  await copy.evaluate((value) => localStorage.setItem('bp:raccolte', value), state);
  await copy.reload();
  await copy.locator('.collection-item').first().waitFor();
  const found = await axeViolations(copy);
  await copy.close();
  return found;
}
