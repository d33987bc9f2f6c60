// The search page in a real browser against the real server: typing,
// facets, history, the map, suggestions, and the practice page it leads to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, openPage, statusTotal, settled, screenshot, DESKTOP, MOBILE } from './harness.mjs';

// The smallest phone the site is checked on (the usability walk's).
const PHONE = { width: 360, height: 740 };

let site;
before(async () => { site = await startSite(); });
after(async () => { if (site) await site.stop(); });

function assertClean(page) {
  assert.deepEqual(page.problems, [], `problems on ${page.url()}`);
}

test('typing shows results as you type, with highlighted snippets and the query in the URL', async () => {
  const page = await openPage(site);
  await page.goto('/');
  await settled(page);
  const all = await statusTotal(page);
  assert.ok(all > 0, 'the library is browsable with an empty query');

  await page.locator('#q').pressSequentially('orti', { delay: 40 });
  await page.waitForURL(/[?&]q=orti/);
  await settled(page);
  const expected = (await site.api('/api/search?q=orti')).body;
  assert.ok(expected.total > 0, 'the fixture library has practices about "orti"');
  assert.equal(await statusTotal(page), expected.total);
  assert.equal(await page.locator('#result-list > li').count(), Math.min(10, expected.total));
  assert.equal(await page.locator('#result-list .result-title a').first().textContent(), expected.results[0].title);
  assert.ok(await page.locator('#result-list mark').count() > 0, 'snippets highlight the matched words');
  assertClean(page);
  await page.close();
});

test('stale answers never overwrite newer ones', async () => {
  const page = await openPage(site);
  // Hold the first query's answer until the second one is on the page, then
  // let it through (conditions, not fixed waits: on a slow machine a fixed
  // pause could end before the first request left or before its answer came,
  // and the test would pass without testing anything).
  let releaseStale;
  const staleReleased = new Promise((resolve) => { releaseStale = resolve; });
  let staleDone;
  const staleHandled = new Promise((resolve) => { staleDone = resolve; });
  await page.route(/\/api\/search\?q=comunit/, async (route) => {
    await staleReleased;
    await route.continue().catch(() => {});
    staleDone();
  });
  await page.goto('/');
  await settled(page);
  // Finished (its answer reached the page) or failed (dropped by the page,
  // which may happen as soon as the second search starts).
  const staleEnded = new Promise((resolve) => {
    const ended = (request) => { if (/\/api\/search\?q=comunit/.test(request.url())) resolve(); };
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
  });
  const staleSent = page.waitForRequest(/\/api\/search\?q=comunit/);
  await page.locator('#q').fill('comunit');
  await staleSent;
  await page.locator('#q').fill('gas');
  await page.waitForURL(/[?&]q=gas/);
  await settled(page);
  assert.match(await page.locator('#results-status').textContent(), /«gas»/);
  // The stale answer arrives now (unless the page dropped its request).
  releaseStale();
  await staleHandled;
  await staleEnded;
  // One more round trip through the page's event loop after the answer.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  const expected = (await site.api('/api/search?q=gas')).body;
  assert.equal(await statusTotal(page), expected.total);
  assert.match(await page.locator('#results-status').textContent(), /«gas»/);
  assertClean(page);
  await page.close();
});

test('a facet click updates results, counts and URL; back and forward restore the views', async () => {
  const page = await openPage(site);
  await page.goto('/');
  await settled(page);
  const initialTotal = await statusTotal(page);
  const initialUrl = page.url();

  // The theme with the most practices that does not cover the whole library.
  const all = (await site.api('/api/search')).body;
  const [theme] = Object.entries(all.facets.theme).sort((a, b) => b[1] - a[1]).find(([, n]) => n < all.total);
  await page.locator(`#facet-theme input[value="${theme}"]`).check();
  await page.waitForURL(new RegExp(`[?&]theme=${theme}`));
  await settled(page);

  const filtered = (await site.api(`/api/search?theme=${theme}`)).body;
  assert.equal(await statusTotal(page), filtered.total);
  assert.ok(filtered.total < initialTotal);
  // Counts of the other facets follow the filter (disjunctive counts).
  for (const [hub, n] of Object.entries(filtered.facets.hub)) {
    assert.equal(Number(await page.locator(`#facet-hub li[data-value="${hub}"] .facet-count`).evaluate((e) => e.firstChild.textContent)), n);
  }
  assert.equal(await page.locator('#chips .chip').count(), 1);

  // A second facet narrows further.
  const [hub] = Object.entries(filtered.facets.hub).find(([, n]) => n > 0);
  await page.locator(`#facet-hub input[value="${hub}"]`).check();
  await page.waitForURL(new RegExp(`hub=${hub}`));
  await settled(page);
  const both = (await site.api(`/api/search?theme=${theme}&hub=${hub}`)).body;
  assert.equal(await statusTotal(page), both.total);
  await screenshot(page, 'search-filtered-desktop');

  await page.goBack();
  await page.waitForURL((url) => !url.search.includes('hub='));
  await settled(page);
  assert.equal(await statusTotal(page), filtered.total);
  assert.equal(await page.locator(`#facet-hub input[value="${hub}"]`).isChecked(), false);
  assert.equal(await page.locator(`#facet-theme input[value="${theme}"]`).isChecked(), true);

  await page.goBack();
  await page.waitForURL(initialUrl);
  await settled(page);
  assert.equal(await statusTotal(page), initialTotal);
  assert.equal(await page.locator(`#facet-theme input[value="${theme}"]`).isChecked(), false);

  await page.goForward();
  await page.waitForURL(new RegExp(`theme=${theme}`));
  await settled(page);
  assert.equal(await statusTotal(page), filtered.total);

  // Removing the chip removes the filter.
  await page.locator('#chips .chip').first().click();
  await page.waitForURL((url) => !url.search.includes('theme='));
  await settled(page);
  assert.equal(await statusTotal(page), initialTotal);
  assertClean(page);
  await page.close();
});

test('a link reproduces the view: query, filters, sort and page', async () => {
  const all = (await site.api('/api/search')).body;
  const [dimension] = Object.keys(all.facets.dimension);
  const page = await openPage(site);
  await page.goto(`/?dimension=${dimension}&sort=title`);
  await settled(page);
  const expected = (await site.api(`/api/search?dimension=${dimension}&sort=title`)).body;
  assert.equal(await statusTotal(page), expected.total);
  assert.equal(await page.locator('#sort').inputValue(), 'title');
  assert.equal(await page.locator(`#facet-dimension input[value="${dimension}"]`).isChecked(), true);
  const titles = await page.locator('#result-list .result-title a').allTextContents();
  assert.deepEqual(titles, expected.results.map((r) => r.title));
  if (expected.total > 10) {
    await page.locator('#pagination a[rel="next"]').click();
    await page.waitForURL(/page=2/);
    await settled(page);
    const second = (await site.api(`/api/search?dimension=${dimension}&sort=title&page=2`)).body;
    assert.equal(await page.locator('#result-list .result-title a').first().textContent(), second.results[0].title);
  }
  assertClean(page);
  await page.close();
});

test('the map is coloured by the region counts and clicking a region filters by it', async () => {
  const page = await openPage(site);
  await page.goto('/');
  await settled(page);
  await page.locator('.map[data-ready="true"]').waitFor();
  assert.equal(await page.locator('.map-region').count(), 20);
  const all = (await site.api('/api/search')).body;
  const [region, n] = Object.entries(all.facets.region).sort((a, b) => b[1] - a[1])[0];
  assert.match(await page.locator(`path[data-region="${region}"]`).getAttribute('class'), /step-5/);
  const empty = (await page.locator('.map-region.step-0').count());
  assert.equal(empty, 20 - Object.values(all.facets.region).filter((c) => c > 0).length);

  await page.locator(`path[data-region="${region}"]`).click();
  await page.waitForURL(new RegExp(`region=${region}`));
  await settled(page);
  assert.equal(await statusTotal(page), n);
  assert.match(await page.locator(`path[data-region="${region}"]`).getAttribute('class'), /is-selected/);
  // The same filter as a list for keyboard and screen-reader users.
  assert.equal(await page.locator(`#facet-region input[value="${region}"]`).isChecked(), true);
  await screenshot(page, 'search-map-region-desktop');

  await page.locator(`#facet-region input[value="${region}"]`).focus();
  await page.keyboard.press('Space');
  await page.waitForURL((url) => !url.search.includes('region='));
  await settled(page);
  assert.equal(await statusTotal(page), all.total);
  assertClean(page);
  await page.close();
});

test('suggestions form an accessible combobox', async () => {
  const page = await openPage(site);
  await page.goto('/');
  await settled(page);
  const input = page.locator('#q');
  await input.pressSequentially('agri', { delay: 40 });
  const expected = (await site.api('/api/suggest?q=agri')).body.suggestions;
  if (expected.length === 0) return;
  await page.locator('#q-suggestions [role="option"]').first().waitFor();
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowDown');
  const active = await input.getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Escape');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assertClean(page);
  await page.close();
});

test('a theme suggested while its name is typed opens its practices', async () => {
  const expected = (await site.api('/api/suggest?q=spreco%20al')).body.suggestions;
  assert.equal(expected[0].kind, 'theme');
  const page = await openPage(site);
  await page.goto('/');
  await settled(page);
  await page.locator('#q').pressSequentially('spreco al', { delay: 40 });
  const option = page.locator('#q-suggestions [role="option"]').first();
  await option.waitFor();
  assert.equal(await option.locator('.suggestion-text').textContent(), expected[0].text);
  assert.equal(await option.locator('.suggestion-kind').textContent(), 'tema');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`[?&]theme=${expected[0].slug}`));
  await settled(page);
  assert.equal(await page.locator(`#facet-theme input[value="${expected[0].slug}"]`).isChecked(), true);
  assertClean(page);
  await page.close();
});

// After a space the list offers what follows the words typed in the
// practices' titles and summaries ("comunità " -> "comunità energetica"),
// as /api/suggest answers for the words and the space; picking one fills
// the search box with it.
test('after a space the list offers what follows the words typed', async () => {
  const typed = 'comunità ';
  const expected = (await site.api(`/api/suggest?q=${encodeURIComponent(typed)}`)).body.suggestions;
  const next = expected.find((s) => s.kind === 'term');
  assert.ok(next && next.text.startsWith(typed) && next.text.length > typed.length, 'the API continues "comunità "');
  const page = await openPage(site);
  await page.goto('/');
  await settled(page);
  await page.locator('#q').pressSequentially(typed, { delay: 40 });
  const want = expected.slice(0, 8).map((s) => s.text).join('|');
  await page.waitForFunction((list) => [...document.querySelectorAll('#q-suggestions .suggestion-text')]
    .map((e) => e.textContent).join('|') === list, want);
  const texts = await page.locator('#q-suggestions .suggestion-text').allTextContents();
  await page.locator('#q-suggestions [role="option"]').nth(texts.indexOf(next.text)).click();
  assert.equal(await page.locator('#q').inputValue(), next.text);
  assertClean(page);
  await page.close();
});

// A practice found only through the editors' plain words or its questions
// shows them as its snippet and says why, on the page the server renders
// and on the one the JS renders.
const FOUND_THROUGH = [
  // "telefono" is in the editors' plain words of practices whose own text
  // never says it, and taxonomy.yaml does not expand it ("medicine", which
  // this test used before, is listed under `farmaci` in `everyday_words:`,
  // so it now finds the practices whose text says "farmaci"); "accorge" only
  // in a question of one practice (library-content).
  { q: 'telefono', field: 'in_parole_semplici', line: 'Trovata grazie alla descrizione in parole semplici' },
  { q: 'accorge', field: 'domande', line: 'Trovata grazie alle domande a cui risponde' },
];
for (const { q, field } of FOUND_THROUGH) {
  test(`a practice found through its ${field} shows them and says why, typed or from a link`, async () => {
    const answer = (await site.api(`/api/search?q=${q}`)).body;
    assert.ok(answer.results.some((r) => r.found_in === field), `some practice is found through its ${field}`);
    const check = async (page) => {
      const cards = page.locator('#result-list > li');
      assert.equal(await cards.count(), answer.results.length);
      for (const [i, result] of answer.results.entries()) {
        const line = cards.nth(i).locator('.result-why');
        if (result.found_in) {
          assert.equal(await line.textContent(),
            FOUND_THROUGH.find((f) => f.field === result.found_in).line);
          assert.ok(await cards.nth(i).locator('.result-snippet mark').count() > 0, 'the words found are highlighted');
        } else {
          assert.equal(await line.count(), 0);
        }
      }
    };
    const page = await openPage(site);
    await page.goto(`/?q=${q}`);  // rendered by the server
    await settled(page);
    await check(page);
    await page.goto('/');
    await settled(page);
    await page.locator('#q').pressSequentially(q, { delay: 40 });  // rendered by the JS
    await page.waitForURL(new RegExp(`[?&]q=${q}`));
    await settled(page);
    await check(page);
    assertClean(page);
    await page.close();
  });
}

// A relaxed answer (not every practice has every word) says under each
// result the words it lacks, on the page the server renders and on the one
// the JS renders.
test('a relaxed answer says under each result which words it lacks, typed or from a link', async () => {
  const q = 'doposcuola rione';
  const answer = (await site.api(`/api/search?q=${encodeURIComponent(q)}`)).body;
  assert.equal(answer.interpretation.relaxed, true);
  assert.ok(answer.results.some((r) => (r.missing || []).length) && answer.results.some((r) => !r.missing),
    'some results lack a word, others have both');
  const check = async (page) => {
    const cards = page.locator('#result-list > li');
    assert.equal(await cards.count(), answer.results.length);
    for (const [i, result] of answer.results.entries()) {
      const line = cards.nth(i).locator('.result-missing');
      if (result.missing) {
        assert.equal(await line.textContent(), `Non contiene: ${result.missing.map((w) => `«${w}»`).join(', ')}`);
      } else {
        assert.equal(await line.count(), 0);
      }
    }
  };
  const page = await openPage(site);
  await page.goto(`/?q=${encodeURIComponent(q)}`);  // rendered by the server
  await settled(page);
  await check(page);
  await page.goto('/');
  await settled(page);
  await page.locator('#q').pressSequentially(q, { delay: 40 });  // rendered by the JS
  await page.waitForURL(/[?&]q=doposcuola(\+|%20)rione/);
  await settled(page);
  await check(page);
  assertClean(page);
  await page.close();
});

test('a very long query says which of its last words it did not search, typed or from a link', async () => {
  const q = 'orto scuola torino energia solare comunita riparazione bicicletta quartiere famiglie poverta cibo '
    + 'spreco volontari giovani lavoro sartoria microcredito';
  const answer = (await site.api(`/api/search?q=${encodeURIComponent(q)}`)).body;
  assert.deepEqual(answer.interpretation.unread, ['sartoria', 'microcredito']);
  const expected = 'Ricerca troppo lunga: non abbiamo cercato le ultime parole («sartoria», «microcredito»).';
  const page = await openPage(site);
  await page.goto(`/?q=${encodeURIComponent(q)}`);  // rendered by the server
  await settled(page);
  assert.ok((await page.locator('#interpretation').textContent()).includes(expected));
  const server = await page.locator('#interpretation').textContent();
  await page.goto('/');
  await settled(page);
  await page.locator('#q').fill(q);  // rendered by the JS
  await page.waitForURL(/[?&]q=orto(\+|%20)scuola.*microcredito/);
  await settled(page);
  assert.equal(await page.locator('#interpretation').textContent(), server);
  assertClean(page);
  await page.close();
});

test('nothing with the filters chosen offers the words without them', async () => {
  const page = await openPage(site);
  const q = 'bolognina';
  const alone = (await site.api(`/api/search?q=${q}&per_page=1`)).body.total;
  assert.ok(alone > 0);
  let hub = null;
  for (const h of ['nord', 'centro', 'sud'])
    if (hub === null && (await site.api(`/api/search?q=${q}&hub=${h}&per_page=1`)).body.total === 0) hub = h;
  assert.ok(hub, 'a hub without the practice');
  await page.goto(`/?q=${q}&hub=${hub}`);
  await settled(page);
  const offer = page.locator('#empty-without-filters a');
  await offer.waitFor();
  assert.match(await offer.textContent(), new RegExp(`^Mostra ${alone} pratich?[ae] per «${q}» senza i filtri$`));
  // Typed again with the filter still on: the JS asks for the words alone.
  await page.locator('#q').fill('Bolognina');
  await page.waitForURL(/q=Bolognina/);
  await settled(page);
  assert.equal(await statusTotal(page), 0);
  await page.locator('#empty-without-filters a', { hasText: '«Bolognina» senza i filtri' }).waitFor();
  assert.equal(await page.locator('#empty-words-tip').isVisible(), false, 'the words are not the problem');
  assert.equal(await page.locator('#empty-filters-tip').isVisible(), true, 'the filter is');
  // The themes to try are the hub's, with their counts, the hub kept.
  const hubThemes = (await site.api(`/api/search?hub=${hub}&per_page=1`)).body.facets.theme;
  await page.locator('#empty-themes a').first().waitFor();
  assert.equal(await page.locator('#empty-themes-within').textContent(), ' con i filtri scelti');
  for (const link of await page.locator('#empty-themes a').all()) {
    const href = new URL(await link.getAttribute('href'), site.base);
    assert.equal(href.searchParams.get('hub'), hub);
    assert.ok(hubThemes[href.searchParams.get('theme')] > 0, `${href} has practices in the hub`);
  }
  assert.match(await page.locator('#empty-themes').textContent(), /\(\d+ pratich?[ae]\)/);
  await page.locator('#empty-without-filters a').click();
  await page.waitForURL((url) => !url.search.includes('hub='));
  await settled(page);
  assert.ok(await statusTotal(page) > 0);
  assert.equal(await page.locator('#empty-state').isVisible(), false);
  assertClean(page);
  await page.close();
});

test('a stated correction and the empty state help when nothing matches', async () => {
  const page = await openPage(site);
  await page.goto('/?q=zzzzqqqxxx');
  await settled(page);
  assert.equal(await statusTotal(page), 0);
  assert.equal(await page.locator('#empty-state').isVisible(), true);
  // No filter to take away, nothing to sort; a practice that is missing can be proposed.
  assert.equal(await page.locator('#empty-state').getByText('togli').isVisible(), false, '«togli uno o più filtri» without a filter');
  assert.equal(await page.getByLabel('Ordina per').isVisible(), false, '«Ordina per» without results');
  assert.equal(await page.locator('#empty-state').getByRole('link', { name: 'Proponi una pratica' }).getAttribute('href'), '/proponi');
  // The themes to try are the library's with the most practices, never
  // one without.
  const counts = (await site.api('/api/search?per_page=1')).body.facets.theme;
  const offered = page.locator('#empty-themes a');
  assert.equal(await offered.count(), 4);
  for (const link of await offered.all()) {
    const theme = new URL(await link.getAttribute('href'), site.base).searchParams.get('theme');
    assert.ok(counts[theme] > 0, `${theme} has practices`);
  }
  // Filters that find nothing together are what to change; with a filter,
  // taking it away is no advice when the words find nothing anywhere.
  const hubs = (await site.api('/api/search?per_page=1')).body.facets.hub;
  const regions = (await site.api('/api/search?per_page=1&hub=nord')).body.facets.region;
  const northern = Object.keys(regions).find((r) => regions[r] > 0);
  assert.ok(hubs.sud > 0 && northern);
  await page.goto(`/?hub=sud&region=${northern}`);
  await settled(page);
  assert.equal(await statusTotal(page), 0, `${northern} is not in the Sud`);
  assert.equal(await page.locator('#empty-state').getByText('togli').isVisible(), true, '«togli» when the filters find nothing');
  const theme = Object.keys(counts).find((t) => counts[t] > 0);
  await page.goto(`/?q=zzzzqqqxxx&theme=${theme}`);
  await settled(page);
  assert.equal(await page.locator('#empty-state').getByText('togli').isVisible(), false, 'the words find nothing');
  await page.locator('#clear-filters').click();
  await settled(page);
  assert.equal(await page.locator('#empty-state').getByText('togli').isVisible(), false, '«togli» after «Azzera i filtri»');
  await page.locator('#empty-reset').click();
  await page.waitForURL((url) => url.search === '');
  await settled(page);
  assert.ok(await statusTotal(page) > 0);
  assert.equal(await page.getByLabel('Ordina per').isVisible(), true, '«Ordina per» is back with the results');

  const misspelled = 'comunità energetca';
  const answer = (await site.api(`/api/search?q=${encodeURIComponent(misspelled)}`)).body;
  await page.goto(`/?q=${encodeURIComponent(misspelled)}`);
  await settled(page);
  // One sentence about the correction, and the answer is the corrected
  // search's: no "did you mean" that would search again.
  const corrected = Object.entries(answer.interpretation.corrected);
  assert.ok(corrected.length > 0, `the API corrects «${misspelled}»`);
  const said = await page.locator('#interpretation').textContent();
  for (const [from, to] of corrected) assert.ok(said.includes(`«${from}» in «${to}»`), said);
  assert.equal(await page.getByText('Forse cercavi').count(), 0);
  assert.equal(await statusTotal(page), answer.total);
  assertClean(page);
  await page.close();
});

test('a practice page opens from the results and prints without the navigation', async () => {
  const page = await openPage(site);
  await page.goto('/?q=orti');
  await settled(page);
  const link = page.locator('#result-list .result-title a').first();
  const title = await link.textContent();
  await link.click();
  await page.waitForURL(/\/pratiche\/[a-z0-9-]+$/);
  assert.equal(await page.locator('h1').textContent(), title);
  assert.equal(await page.locator('.site-header').isVisible(), true);
  assert.ok(await page.locator('.meta').isVisible());
  await page.locator('.copy-citation').waitFor();
  // "Torna alla ricerca", above the title and at the end, leads back to the same search.
  const back = page.locator('main a', { hasText: 'Torna alla ricerca' });
  assert.equal(await back.count(), 2);
  for (const href of await back.evaluateAll((links) => links.map((a) => a.getAttribute('href')))) assert.match(href, /\?q=orti/);
  assert.ok(await back.first().evaluate((a) => Boolean(a.compareDocumentPosition(document.querySelector('main h1')) & Node.DOCUMENT_POSITION_FOLLOWING)),
    'the first «Torna alla ricerca» comes before the title');

  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'navigation hidden in print');
  assert.equal(await page.locator('.copy-link').isVisible(), false, 'buttons hidden in print');
  assert.equal(await page.locator('.practice h1').isVisible(), true);
  assert.equal(await page.locator('.citation').isVisible(), true, 'the citation is printed');
  await screenshot(page, 'practice-print');
  await page.emulateMedia({ media: 'screen' });

  // "Copia link" confirms in a live region (or offers the text to copy).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.base });
  await page.locator('.copy-link').click();
  await page.locator('.copy-status').filter({ hasText: /copiat|Copia/ }).waitFor();
  assertClean(page);
  await page.close();
});

// «Stampa» and «Condividi» above the practice: added by practice.js only (no
// dead buttons without JavaScript), finger-sized, hidden on paper. Without
// navigator.share (headless Chromium on Linux has none) «Condividi» copies
// the page's canonical address and says so in a polite live region; when
// the clipboard is refused it shows the address selected in a text field;
// where the system can share, it gets the title and the address.
test('a practice page offers «Stampa» and «Condividi» with JavaScript, which print and share its address', async () => {
  const slug = (await site.api('/api/search?per_page=1')).body.results[0].slug;
  const canonical = `${site.base}/pratiche/${slug}`;

  const bare = await openPage(site, { viewport: PHONE, javaScriptEnabled: false });
  await bare.goto(`/pratiche/${slug}`);
  assert.equal(await bare.getByRole('button', { name: 'Stampa', exact: true }).count(), 0, 'no «Stampa» without JavaScript');
  assert.equal(await bare.getByRole('button', { name: 'Condividi', exact: true }).count(), 0, 'no «Condividi» without JavaScript');
  assert.equal(await bare.getByRole('button', { name: 'Copia link', exact: true }).count(), 0, 'no dead «Copia link» without JavaScript');
  await bare.close();

  const page = await openPage(site, { viewport: PHONE });
  await page.addInitScript(() => {
    window.printCalls = 0;
    window.print = () => { window.printCalls += 1; };
    // No system share sheet, whatever this Chromium build offers.
    delete Navigator.prototype.share;
    delete Navigator.prototype.canShare;
  });
  await page.goto(`/pratiche/${slug}`);
  assert.equal(await page.locator('link[rel="canonical"]').getAttribute('href'), canonical);
  const group = page.getByRole('group', { name: 'Stampa o condividi la pratica' });
  const print = group.getByRole('button', { name: 'Stampa', exact: true });
  const share = group.getByRole('button', { name: 'Condividi', exact: true });
  await share.waitFor();
  for (const button of [print, share]) {
    const box = await button.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `a button is ${box.width}×${box.height}px`);
    assert.ok(box.y + box.height <= PHONE.height, 'in the first screen');
  }
  assert.equal(await page.evaluate(() => typeof navigator.share), 'undefined');

  await print.click();
  assert.equal(await page.evaluate(() => window.printCalls), 1, '«Stampa» calls window.print()');

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.base });
  const said = page.locator('.back-top').getByRole('status');
  assert.equal(await said.getAttribute('aria-live'), 'polite');
  assert.equal(await said.textContent(), '', 'the live region is there, empty, before the click');
  await share.click();
  await said.filter({ hasText: 'Link copiato' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), canonical, 'the canonical address is copied');
  await screenshot(page, 'practice-share-360');

  await page.emulateMedia({ media: 'print' });
  assert.equal(await print.isVisible(), false, '«Stampa» is not printed');
  assert.equal(await share.isVisible(), false, '«Condividi» is not printed');
  await page.emulateMedia({ media: 'screen' });
  assertClean(page);
  await page.close();

  // The clipboard refused: the address is offered selected, ready to copy.
  const refused = await openPage(site, { viewport: PHONE });
  await refused.addInitScript(() => {
    delete Navigator.prototype.share;
    if (navigator.clipboard) {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Refused', 'NotAllowedError'));
    }
  });
  await refused.goto(`/pratiche/${slug}`);
  await refused.getByRole('button', { name: 'Condividi', exact: true }).click();
  const field = refused.locator('.back-top input.copy-fallback');
  await field.waitFor({ state: 'visible' });
  assert.equal(await field.inputValue(), canonical);
  assert.deepEqual(await field.evaluate((input) => [input === document.activeElement, input.selectionStart, input.selectionEnd]),
    [true, 0, canonical.length], 'the field has the focus and the whole address selected');
  assert.match(await refused.locator('.back-top').getByRole('status').textContent(), /Copia il link selezionato/);
  assertClean(refused);
  await refused.close();

  // Where the system can share, «Condividi» opens its sheet with the title and the address.
  const sharing = await openPage(site, { viewport: PHONE });
  await sharing.addInitScript(() => {
    window.shared = [];
    Object.defineProperty(Navigator.prototype, 'share', {
      configurable: true,
      value: async (data) => { window.shared.push({ ...data }); },
    });
  });
  await sharing.goto(`/pratiche/${slug}`);
  await sharing.getByRole('button', { name: 'Condividi', exact: true }).click();
  await sharing.waitForFunction(() => window.shared.length > 0);
  const title = (await sharing.locator('.practice h1').textContent()).trim();
  assert.deepEqual(await sharing.evaluate(() => window.shared), [{ title, url: canonical }]);
  assert.equal(await sharing.locator('.back-top').getByRole('status').textContent(), '', 'nothing to announce: the system shared');
  assertClean(sharing);
  await sharing.close();
});

test('on a phone a practice shows three of its questions and the rest on a tap', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  // Ten questions in its case file.
  await page.goto('/pratiche/cammino-lento-valle-santa-rieti');
  const shown = page.locator('.questions > ul > li');
  assert.equal(await shown.count(), 3);
  const more = page.locator('.more-questions > summary');
  assert.equal(await more.innerText(), 'Altre 7 domande');
  assert.ok((await more.boundingBox()).height >= 44, 'the summary is as tall as a finger');
  const hidden = page.locator('.more-questions li').first();
  assert.equal(await hidden.isVisible(), false);
  // On paper all ten questions are there, without the toggle; internal links
  // are not followed by a relative path that leads nowhere.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await hidden.isVisible(), true, 'the folded questions print');
  assert.equal(await more.isVisible(), false, 'no «Altre 7 domande» on paper');
  const printed = await page.locator('main a[href^="/"]').evaluateAll((links) =>
    links.filter((a) => a.offsetParent).map((a) => getComputedStyle(a, '::after').content).filter((c) => c.includes('/')));
  assert.deepEqual(printed, [], 'no relative address printed after a link');
  await screenshot(page, 'practice-questions-print-390');
  await page.emulateMedia({ media: 'screen' });
  // Printing from the browser (beforeprint) opens them where CSS cannot, and folds them again after.
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  assert.equal(await page.locator('.more-questions').evaluate((d) => d.open), true);
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  assert.equal(await hidden.isVisible(), false);
  await more.click();
  assert.equal(await hidden.isVisible(), true);
  assert.equal(await page.locator('.more-questions li').count(), 7);
  assertClean(page);
  await page.close();
});

// The first line of the first result's title and the page's scroll.
function firstTitle(page) {
  return page.evaluate(() => {
    const line = document.querySelector('#result-list .result-title a').getClientRects()[0];
    return { top: Math.round(line.top), bottom: Math.round(line.bottom), scrollY: window.scrollY };
  });
}

// On a 360×740 phone the first result's title is on the first screen after
// a search (from a link, with or without JavaScript, or typed and sent):
// the filters are folded under «Filtri e mappa», which counts the active
// ones; an active filter stays in sight as a chip above the results and
// ticked in the panel, which opens on a tap.
test('on a 360×740 phone the first result is on the first screen and an active filter stays in sight', async () => {
  const q = 'orti sociali';
  const answer = (await site.api(`/api/search?q=${encodeURIComponent(q)}`)).body;
  assert.ok(answer.total > 0, `the library has practices for «${q}»`);
  const onFirstScreen = async (page, how) => {
    const title = await firstTitle(page);
    assert.equal(title.scrollY, 0, `${how}: the page opens at its top`);
    assert.ok(title.top >= 0 && title.bottom <= PHONE.height,
      `${how}: the first result's title spans ${title.top}–${title.bottom}px of a ${PHONE.height}px screen`);
  };

  for (const javaScriptEnabled of [true, false]) {
    const how = javaScriptEnabled ? 'from a link' : 'from a link without JavaScript';
    const page = await openPage(site, { viewport: PHONE, javaScriptEnabled });
    await page.goto(`/?q=${encodeURIComponent(q)}`);
    if (javaScriptEnabled) await settled(page);
    assert.equal(await page.locator('#result-list .result-title a').first().textContent(), answer.results[0].title);
    await onFirstScreen(page, how);
    assert.equal(await page.locator('#filters').evaluate((d) => d.open), false, `${how}: the filters are folded`);
    const summary = await page.locator('#filters > summary').boundingBox();
    assert.ok(summary.height >= 44 && summary.y + summary.height <= PHONE.height, `${how}: «Filtri e mappa» is on screen and finger-sized`);
    await screenshot(page, `search-results-360-${javaScriptEnabled ? 'js' : 'nojs'}`);
    assertClean(page);
    await page.close();
  }

  const typed = await openPage(site, { viewport: PHONE });
  await typed.goto('/');
  await settled(typed);
  await typed.locator('#q').fill(q);
  await typed.keyboard.press('Enter');
  await typed.waitForURL(/[?&]q=orti(\+|%20)sociali/);
  await settled(typed);
  assert.equal(await typed.locator('#result-list .result-title a').first().textContent(), answer.results[0].title);
  await onFirstScreen(typed, 'typed and sent');
  assertClean(typed);
  await typed.close();

  // An active filter: a chip on the first screen, counted on the summary,
  // ticked in the panel once it is open.
  const [theme] = Object.entries(answer.facets.theme).sort((a, b) => b[1] - a[1])[0];
  const filtered = (await site.api(`/api/search?q=${encodeURIComponent(q)}&theme=${theme}`)).body;
  assert.ok(filtered.total > 0);
  for (const javaScriptEnabled of [true, false]) {
    const how = javaScriptEnabled ? 'with a filter' : 'with a filter, without JavaScript';
    const page = await openPage(site, { viewport: PHONE, javaScriptEnabled });
    await page.goto(`/?q=${encodeURIComponent(q)}&theme=${theme}`);
    if (javaScriptEnabled) await settled(page);
    const chip = page.locator('#chips .chip');
    assert.equal(await chip.count(), 1);
    const box = await chip.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height, `${how}: the chip is on the first screen`);
    assert.match(await page.locator('#filters > summary').textContent(), /\(1 attivo\)/);
    await onFirstScreen(page, how);
    const tick = page.locator(`#facet-theme input[value="${theme}"]`);
    assert.equal(await tick.isVisible(), false, `${how}: folded`);
    await page.locator('#filters > summary').click();
    assert.equal(await tick.isVisible(), true, `${how}: the panel opens on the active filter`);
    assert.equal(await tick.isChecked(), true);
    assertClean(page);
    await page.close();
  }

  // On a wide screen the panel is open beside the results, the filter ticked.
  const wide = await openPage(site, { viewport: DESKTOP });
  await wide.goto(`/?q=${encodeURIComponent(q)}&theme=${theme}`);
  await settled(wide);
  assert.equal(await wide.locator(`#facet-theme input[value="${theme}"]`).isVisible(), true);
  assert.equal(await wide.locator(`#facet-theme input[value="${theme}"]`).isChecked(), true);
  assertClean(wide);
  await wide.close();
});

test('«Vai ai risultati» skips the filters: visible on focus, it moves the focus to the results', async () => {
  for (const viewport of [MOBILE, DESKTOP]) {
    const page = await openPage(site, { viewport });
    await page.goto('/?q=energia');
    await settled(page);
    await page.locator('#search-form button[type=submit]').focus();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Vai ai risultati' });
    assert.equal(await skip.evaluate((a) => a === document.activeElement), true, 'the next stop after «Cerca»');
    const box = await skip.boundingBox();
    assert.ok(box.height >= 24 && box.width > 50, `visible when focused (${box.width}×${box.height})`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading');
    assert.equal(new URL(page.url()).hash, '', 'no fragment in the search\'s address');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => Boolean(document.activeElement.closest('.results-area'))), true,
      'the next Tab stays among the results, not in the filters');
    await page.locator('#q').focus();
    assert.ok((await skip.boundingBox()).height <= 1, 'hidden again without the focus');
    assertClean(page);
    await page.close();
  }
});

test('on a phone the main menu is four finger-sized links in two rows', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/');
  const boxes = await page.locator('.site-nav a').evaluateAll((links) =>
    links.map((a) => { const r = a.getBoundingClientRect(); return { top: Math.round(r.top), height: r.height }; }));
  assert.equal(boxes.length, 4);
  for (const box of boxes) assert.ok(box.height >= 44, `a menu link is ${box.height}px tall`);
  assert.equal(new Set(boxes.map((box) => box.top)).size, 2, 'the menu takes two rows');
  assertClean(page);
  await page.close();
});

test('on a phone the filters\' "Mostra tutti" and a practice\'s keywords are finger-sized', async () => {
  const page = await openPage(site, { viewport: MOBILE });
  await page.goto('/');
  await page.waitForFunction(() => document.querySelectorAll('#facets .facet-item').length > 0);
  await page.locator('#filters > summary').click();
  const heights = (selector) => page.locator(selector).evaluateAll((nodes) =>
    nodes.filter((node) => node.offsetParent).map((node) => node.getBoundingClientRect().height));
  const more = await heights('.facet-more');
  assert.ok(more.length > 0, 'a filter offers "Mostra tutti"');
  for (const h of more) assert.ok(h >= 44, `"Mostra tutti" is ${h}px tall`);
  const slug = (await site.api('/api/search?per_page=1')).body.results[0].slug;
  await page.goto(`/pratiche/${slug}`);
  const tags = await heights('.tag-list a.tag');
  assert.ok(tags.length > 0, 'the practice has keywords');
  for (const h of tags) assert.ok(h >= 44, `a keyword is ${h}px tall`);
  assertClean(page);
  await page.close();
});

test('no console errors and a screenshot of every page, desktop and 390 px', async () => {
  const slug = (await site.api('/api/search?per_page=1')).body.results[0].slug;
  const pages = [
    ['search', '/'],
    ['search-results', '/?q=energia'],
    ['practice', `/pratiche/${slug}`],
    ['docenti', '/docenti'],
    ['programma', '/programma'],
    ['privacy', '/privacy'],
  ];
  for (const [viewportName, viewport] of [['desktop', DESKTOP], ['mobile', MOBILE]]) {
    for (const [name, path] of pages) {
      const page = await openPage(site, { viewport });
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      if (name.startsWith('search')) await settled(page);
      await screenshot(page, `${name}-${viewportName}`);
      // No horizontal scrolling from 360 px up.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways at ${viewport.width}px by ${overflow}px`);
      assertClean(page);
      await page.close();
    }
  }
});

test('no layout shift while the page and its results load (CLS under 0.1)', async () => {
  for (const viewport of [DESKTOP, MOBILE]) {
    const page = await openPage(site, { viewport });
    await page.addInitScript(() => {
      window.layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto('/');
    await settled(page);
    await page.locator('.map[data-ready="true"]').waitFor({ state: 'attached' });
    await page.locator('#q').pressSequentially('energia', { delay: 30 });
    await page.waitForURL(/q=energia/);
    await settled(page);
    await page.waitForTimeout(300);
    const cls = await page.evaluate(() => window.layoutShift);
    assert.ok(cls < 0.1, `cumulative layout shift ${cls.toFixed(3)} at ${viewport.width}px`);
    await page.close();
  }
});

test('no page scrolls sideways on a 360 px phone', async () => {
  const slug = (await site.api('/api/search?per_page=1')).body.results[0].slug;
  for (const path of ['/?q=energia', `/pratiche/${slug}`, '/docenti', '/programma']) {
    const page = await openPage(site, { viewport: { width: 360, height: 740 } });
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways at 360px by ${overflow}px`);
    assertClean(page);
    await page.close();
  }
});

test('the search page loads under 60 KB over the network, its first answer included', async () => {
  // Bytes as transferred (compressed), every request of the page but the
  // map outline (/assets/, loaded once and cached): the page, its CSS and
  // JavaScript, and any API call the first view needs.
  const page = await openPage(site);
  const responses = [];
  page.on('requestfinished', (request) => responses.push(request));
  await page.goto('/');
  await settled(page);
  await page.waitForLoadState('networkidle');
  let bytes = 0;
  const counted = [];
  for (const request of responses) {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/assets/')) continue;
    const sizes = await request.sizes();
    bytes += sizes.responseBodySize;
    counted.push(`${url.pathname} ${sizes.responseBodySize}`);
  }
  assert.ok(bytes < 60 * 1024, `search page weighs ${bytes} bytes (${counted.join(', ')})`);
  await page.close();
});
