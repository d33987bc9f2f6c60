// The search page rendered by the server: it works with JavaScript turned
// off (results, facets, "did you mean", pagination, the same URLs as the JS
// front end), the JS takes over from it without asking for the first page
// again, and on a phone the filters end with a "Mostra N pratiche" button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, openPage, statusTotal, screenshot, DESKTOP, MOBILE } from './harness.mjs';

let site;
before(async () => { site = await startSite(); });
after(async () => { if (site) await site.stop(); });

test('a search with filters shows its results with JavaScript turned off', async () => {
  const expected = (await site.api('/api/search?q=energia&hub=sud')).body;
  assert.ok(expected.total > 0, 'the library has practices about energy in the south');
  const page = await openPage(site, { javaScriptEnabled: false });
  await page.goto('/?q=energia&hub=sud');
  assert.equal(await statusTotal(page), expected.total);
  const titles = await page.locator('#result-list .result-title a').allTextContents();
  assert.deepEqual(titles, expected.results.map((r) => r.title));
  assert.ok(await page.locator('#result-list mark').count() > 0, 'snippets highlight the matched words');
  assert.equal(await page.locator('#q').inputValue(), 'energia');
  assert.ok(await page.locator('#f-hub-sud').isChecked(), 'the active filter is ticked');
  assert.match(await page.locator('#chips').textContent(), /Hub: Sud/);
  await screenshot(page, 'search-nojs-desktop');

  // Ticking another filter and pressing the button runs the new search.
  const other = await page.locator('#facet-theme input[type=checkbox]:not(:checked)').first();
  const theme = await other.getAttribute('value');
  await other.check();
  await page.locator('#filters-apply').click();
  await page.waitForURL((url) => url.searchParams.getAll('theme').includes(theme));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('q'), 'energia');
  assert.deepEqual(url.searchParams.getAll('hub'), ['sud']);
  const filtered = (await site.api(`/api/search${url.search}`)).body;
  assert.equal(await statusTotal(page), filtered.total);

  // The order applies with its own button, and the hint does not promise
  // results while typing.
  assert.equal(await page.locator('#q-hint').innerText(), 'Premi Invio per cercare.');
  await page.getByLabel('Ordina per').selectOption('title');
  await page.getByRole('button', { name: 'Ordina', exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('sort') === 'title');
  const byTitle = (await site.api(`/api/search${new URL(page.url()).search}`)).body;
  assert.deepEqual(await page.locator('#result-list .result-title a').allTextContents(), byTitle.results.map((r) => r.title));

  // A chip is a link that removes its filter.
  await page.locator('#chips a', { hasText: 'Hub: Sud' }).click();
  await page.waitForURL((u) => !u.searchParams.has('hub'));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('without JavaScript: the correction is stated and pagination links to the same URLs the JS writes', async () => {
  const page = await openPage(site, { javaScriptEnabled: false });
  await page.goto('/?q=orti+socali');
  const answer = (await site.api('/api/search?q=orti%20socali')).body;
  const corrected = Object.entries(answer.interpretation.corrected);
  assert.ok(corrected.length > 0, 'the API corrects «orti socali»');
  const said = await page.locator('#interpretation').textContent();
  for (const [from, to] of corrected) assert.ok(said.includes(`Abbiamo corretto «${from}» in «${to}»`), said);
  assert.equal(await statusTotal(page), answer.total);
  await page.goto('/');
  const all = await statusTotal(page);
  if (all > 10) {
    assert.equal(await page.locator('#pagination a[rel=next]').getAttribute('href'), '/?page=2');
    await page.locator('#pagination a[rel=next]').click();
    await page.waitForURL(/page=2/);
    assert.match(await page.locator('#results-status').textContent(), /pagina 2 di/);
    assert.equal(await page.locator('#result-list').getAttribute('start'), '11');
  }
  await page.setViewportSize(MOBILE);
  await screenshot(page, 'search-nojs-mobile');
  await page.close();
});

test('without JavaScript the empty state advises removing filters only when there are some, and hides «Ordina per»', async () => {
  const page = await openPage(site, { javaScriptEnabled: false });
  await page.goto('/?q=zzzzqqqxxx');
  assert.equal(await page.locator('#empty-state').isVisible(), true);
  assert.equal(await page.locator('#empty-state').getByText('togli').isVisible(), false);
  assert.equal(await page.getByLabel('Ordina per').isVisible(), false);
  assert.equal(await page.locator('#empty-state').getByRole('link', { name: 'Proponi una pratica' }).getAttribute('href'), '/proponi');
  // Words that find nothing anywhere: taking a filter away would not help.
  const theme = Object.keys((await site.api('/api/search?per_page=1')).body.facets.theme)[0];
  await page.goto(`/?q=zzzzqqqxxx&theme=${theme}`);
  assert.equal(await page.locator('#empty-state').getByText('togli').isVisible(), false);
  // Filters that find nothing together: they are what to change, and there
  // are no words to check.
  const regions = (await site.api('/api/search?per_page=1&hub=nord')).body.facets.region;
  const northern = Object.keys(regions).find((r) => regions[r] > 0);
  await page.goto(`/?hub=sud&region=${northern}`);
  assert.equal(await page.locator('#empty-state').isVisible(), true);
  assert.equal(await page.locator('#empty-state').getByText('togli').isVisible(), true);
  assert.equal(await page.locator('#empty-words-tip').isVisible(), false);
  await page.goto(`/?q=zzzzqqqxxx&theme=${theme}`);
  // «Vai ai risultati» works as a plain link too.
  await page.locator('#search-form button[type=submit]').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the JS front end takes over the server-rendered page without asking for it again', async () => {
  const page = await openPage(site);
  const calls = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/api/search' || path === '/api/taxonomy') calls.push(path);
  });
  await page.goto('/?q=orti&sort=date');
  await page.waitForFunction(() => document.querySelectorAll('#facets .facet-item').length > 0
    && document.documentElement.classList.contains('js'));
  await page.waitForLoadState('networkidle');
  assert.deepEqual(calls, [], 'the first answer and the vocabularies come with the page');
  const expected = (await site.api('/api/search?q=orti&sort=date')).body;
  assert.equal(await statusTotal(page), expected.total);
  assert.equal(await page.locator('#sort').inputValue(), 'date');
  // From here on the JS searches as you type.
  await page.locator('#q').fill('gas');
  await page.waitForURL(/[?&]q=gas/);
  await page.waitForFunction(() => /«gas»/.test(document.getElementById('results-status').textContent));
  assert.ok(calls.includes('/api/search'));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('on a phone the filters end with "Mostra N pratiche", rows are at least 44 px and no keyboard hint', async () => {
  const context = await site.browser.newContext({
    viewport: MOBILE, hasTouch: true, isMobile: true, locale: 'it-IT', baseURL: site.base,
  });
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForFunction(() => document.querySelectorAll('#facets .facet-item').length > 0);
  assert.equal(await page.locator('#filters').evaluate((d) => d.open), false, 'the panel starts folded');
  assert.equal(await page.locator('.hint-keys').isVisible(), false);
  await page.locator('#filters > summary').tap();
  const row = page.locator('#facet-hub .facet-item:not([hidden]) label').first();
  const box = await row.boundingBox();
  assert.ok(box.height >= 44, `facet row ${box.height}px tall`);
  await row.tap();
  await page.waitForURL(/hub=/);
  const apply = page.locator('#filters-apply');
  await apply.waitFor({ state: 'visible' });
  const expected = (await site.api(`/api/search${new URL(page.url()).search}`)).body;
  await page.waitForFunction((n) => document.getElementById('filters-apply').textContent.includes(String(n)), expected.total);
  assert.ok((await apply.boundingBox()).y < MOBILE.height, 'the button is on screen (sticky)');
  await screenshot(page, 'search-filters-mobile');
  await apply.tap();
  assert.equal(await page.locator('#filters').evaluate((d) => d.open), false, 'the button closes the panel');
  await context.close();
});
