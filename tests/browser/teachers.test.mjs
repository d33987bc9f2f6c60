// A teacher's path, as issue 16 tells it: on /docenti filter by
// "secondaria di primo grado" and "scienze" (without and with JavaScript),
// open a practice and read its lesson sheet, print the A4 handout with its QR
// code, add three practices to "La mia raccolta", order them, give a title
// and a note, share the link and open it in a fresh browser (without
// JavaScript) where it prints as one handout. axe-core on the new pages;
// print screenshots of a practice, a lesson sheet and a collection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, openPage, axeViolations, screenshot, DESKTOP, MOBILE } from './harness.mjs';

let site;
before(async () => { site = await startSite(); });
after(async () => { if (site) await site.stop(); });

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
  assert.ok(a4.length > 1000, 'prints to A4');
  await screenshot(page, 'lesson-sheet-print');
  await page.emulateMedia({ media: 'screen' });
  assertClean(page);
  await page.close();
});

test('three practices go into a collection that is shared as a link and prints in a fresh browser', async () => {
  const page = await openPage(site, { viewport: DESKTOP });
  await page.goto('/docenti');
  const buttons = page.locator('.teacher-item .collect-button');
  await buttons.first().waitFor();
  assert.ok(await buttons.count() >= 3);
  const titles = [];
  for (let i = 0; i < 3; i += 1) {
    await buttons.nth(i).click();
    assert.equal(await buttons.nth(i).getAttribute('aria-pressed'), 'true');
    titles.push((await page.locator('.teacher-item h3').nth(i).textContent()).trim());
  }

  await page.goto('/raccolta');
  const items = page.locator('.collection-item');
  await items.first().waitFor();
  assert.equal(await items.count(), 3);
  await page.locator('#collection-title').fill('Energia e ambiente, 2ª B');
  await page.locator('#collection-title').press('Tab');
  // The third practice moves to the top; the focus follows the button.
  await items.nth(2).locator('.move-up').click();
  await items.nth(1).locator('.move-up').click();
  const order = [titles[2], titles[0], titles[1]];
  assert.deepEqual((await page.locator('.collection-item-title').allTextContents()).map((t) => t.trim()), order);
  await page.locator('#nota-0').fill('Da leggere prima della visita.');
  await page.locator('#nota-0').press('Tab');
  const link = await page.locator('.share-link').getAttribute('href');
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/raccolta\?titolo=/);
  assert.deepEqual(await axeViolationsOf(page), []);
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
  await screenshot(fresh, 'collection-print');
  const pdf = await fresh.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  await fresh.close();
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
  const state = await page.evaluate(() => localStorage.getItem('bp:raccolta'));
  await copy.evaluate((value) => localStorage.setItem('bp:raccolta', value), state);
  await copy.reload();
  await copy.locator('.collection-item').first().waitFor();
  const found = await axeViolations(copy);
  await copy.close();
  return found;
}
