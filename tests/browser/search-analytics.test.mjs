// What people search, for the editors (issue 17, item 7), in the real
// browser against the real server: searches typed and submitted, a result
// opened through the counting link, then the editor's /staff/ricerche page
// shows the query that found nothing with its taxonomy.yaml line, and
// «Proponi una pratica su questo» opens the proposal form with it. Partial
// words typed on the way are not counted, and nobody gets a cookie.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startSite, openPage, settled, axeViolations, screenshot, binary, DESKTOP, MOBILE } from './harness.mjs';

const EDITOR = 'redazione@example.org';
const PASSWORD = 'cavallo-batteria-graffetta';
// Headless Chromium says "HeadlessChrome", which is not counted: a person's browser.
const PERSON = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

let site;
before(async () => {
  // Every query counts (threshold 1) and the worker flushes at each round.
  site = await startSite({ env: { BP_ANALYTICS_MIN_SEARCHES: '1', BP_ANALYTICS_FLUSH_SECONDS: '1' } });
  execFileSync(binary('BP_ADMIN', 'admin/bp-admin'), ['user', 'add', '--role', 'editor', EDITOR, '--data', site.data],
    { input: `${PASSWORD}\n${PASSWORD}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
});
after(async () => { if (site) await site.stop(); });

function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
}

test('searches and clicks reach the editors\' report, with a path from a query that found nothing', async () => {
  const page = await openPage(site, { userAgent: PERSON });
  // The page's timers run on a clock the test moves: a pause in typing
  // lasts exactly as long as the test says, however slow the machine (with
  // the real clock, a machine slow enough to stretch the pause past 2 s made
  // "orni" a search of its own).
  await page.clock.install();
  await page.goto('/');
  await settled(page);
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
  // Typing pauses long enough for a search on "orni" (300 ms, past the
  // typing delay), which is not counted; the submitted query is.
  await page.locator('#q').pressSequentially('orni', { delay: 30 });
  await page.clock.runFor(300);
  await page.waitForURL(/[?&]q=orni/);
  await settled(page);
  await page.locator('#q').pressSequentially('torinco', { delay: 30 });
  await page.locator('#q').press('Enter');
  await page.waitForURL(/[?&]q=ornitorinco$/);
  await settled(page);
  await page.clock.resume();
  assert.equal(await page.locator('#empty-state').isVisible(), true);

  // A search with results, and its first result opened.
  await page.locator('#q').fill('orti');
  await page.locator('#q').press('Enter');
  await page.waitForURL(/[?&]q=orti$/);
  await settled(page);
  const link = page.locator('#result-list .result-title a').first();
  assert.match(await link.getAttribute('href'), /^\/vai\/1\/[a-z0-9-]+\?q=orti$/);
  assert.equal(await link.getAttribute('rel'), 'nofollow');
  const title = await link.textContent();
  await link.click();
  await page.waitForURL(/\/pratiche\/[a-z0-9-]+$/);
  assert.equal(await page.locator('h1').textContent(), title);
  // The redirect keeps the search as referrer: both «Torna alla ricerca»
  // links (top and bottom) lead back.
  const back = page.locator('main a', { hasText: 'Torna alla ricerca' });
  assert.equal(await back.count(), 2);
  for (const link of await back.all()) assert.match(await link.getAttribute('href'), /\?q=orti/);
  assert.deepEqual(await page.context().cookies(), [], 'searching sets no cookie');
  // A search whose results nobody opens.
  await page.goto('/?q=bicicletta');
  await settled(page);
  assert.ok(await page.locator('#result-list .result-title a').count() > 0);
  await page.close();

  // The editor's report for this week.
  const staff = await openPage(site, { bypassCSP: true });
  await staff.goto('/staff/login?dopo=/staff/');
  await staff.getByLabel('E-mail').fill(EDITOR);
  await staff.getByLabel('Password').fill(PASSWORD);
  await staff.getByRole('button', { name: 'Accedi' }).click();
  await staff.waitForURL(/\/staff\/$/);
  await staff.getByRole('link', { name: 'Ricerche' }).first().click();
  await staff.waitForURL(/\/staff\/ricerche$/);
  const week = `/staff/ricerche?settimana=${today()}`;
  // The server's worker moves the counts to the store within a few seconds,
  // the search and the later click not always in the same batch: wait for
  // both.
  const fix = staff.locator('li[data-query="ornitorinco"]');
  const opened = staff.locator('#search-positions tbody th', { hasText: /^1$/ });
  const unopened = staff.locator('li[data-query="bicicletta"]');
  for (let i = 0; i < 40 && !((await fix.count()) && (await opened.count()) && (await unopened.count())); i++) {
    await staff.waitForTimeout(500);
    await staff.goto(week);
  }
  assert.equal(await fix.count(), 1, 'the query that found nothing is listed');
  assert.match(await fix.locator('pre[data-block="synonyms"]').textContent(), /- \["ornitorinco", "parola usata nelle schede"\]/);
  assert.equal(await staff.locator('li[data-query="orni"]').count(), 0, 'a pause while typing is not a search');
  assert.equal(await staff.locator('#search-top th', { hasText: /^orni$/ }).count(), 0);
  assert.equal(await staff.locator('#search-top th', { hasText: /^orti$/ }).count(), 1);
  assert.equal(await opened.count(), 1, 'position 1 was opened');
  assert.deepEqual(await axeViolations(staff), []);
  await screenshot(staff, 'staff-ricerche');

  // On a phone (390 px) the report does not scroll sideways, and the line
  // to add to taxonomy.yaml is on screen whole: wrapped, not cut off.
  await staff.setViewportSize(MOBILE);
  await staff.goto(week);
  const sideways = await staff.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(sideways <= 1, `/staff/ricerche scrolls sideways at 390 px by ${sideways}px`);
  const line = fix.locator('pre[data-block="synonyms"]');
  assert.equal(await line.isVisible(), true);
  const box = await line.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= MOBILE.width + 1,
    `the taxonomy line runs from ${box.x} to ${box.x + box.width} px, past the 390 px screen`);
  const hidden = await line.evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(hidden <= 1, `${hidden}px of the taxonomy line are hidden at 390 px`);
  assert.deepEqual(await axeViolations(staff), []);
  await screenshot(staff, 'staff-ricerche-390');
  await staff.setViewportSize(DESKTOP);

  // Results nobody opened: under «Che cosa fare», the same lines, and the
  // results as people get them.
  assert.equal(await unopened.count(), 1, 'the query whose results nobody opened is listed');
  await unopened.getByText('Che cosa fare').click();
  assert.match(await unopened.locator('pre[data-block="synonyms"]').textContent(), /- \["bicicletta", "parola usata nelle schede"\]/);
  await unopened.getByRole('link', { name: 'Vedi i risultati che ricevono le persone' }).click();
  await staff.waitForURL(/\/\?q=bicicletta&anteprima=1$/);
  await settled(staff);
  assert.ok(await staff.locator('#result-list .result-title a').count() > 0, 'the results people got');
  await staff.goto(week);

  await fix.getByRole('button', { name: 'Proponi una pratica su questo' }).click();
  await staff.waitForURL(/\/proponi\?titolo=ornitorinco$/);
  assert.equal(await staff.locator('#title').inputValue(), 'ornitorinco');
  await staff.close();
});
