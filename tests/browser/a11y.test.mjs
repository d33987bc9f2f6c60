// Accessibility of every page with axe-core (WCAG 2.0/2.1 A and AA): no
// serious or critical violation. Also the keyboard basics: a skip link that
// is the first stop and moves the focus to the content.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, openPage, settled, axeViolations, DESKTOP, MOBILE } from './harness.mjs';

let site;
let pages;
before(async () => {
  site = await startSite();
  const slug = (await site.api('/api/search?per_page=1')).body.results[0].slug;
  pages = [
    ['/', true],
    ['/?q=energia&hub=sud', true],
    ['/?q=zzzzqqqxxx', true],
    ['/?q=orti+sociali', true],
    [`/pratiche/${slug}`, false],
    ['/pratiche/pratica-che-non-esiste', false],
    ['/docenti', false],
    ['/programma', false],
    ['/privacy', false],
    ['/proponi', false],
    ['/proposta/nuovo-link', false],
  ];
});
after(async () => { if (site) await site.stop(); });

for (const viewport of [DESKTOP, MOBILE]) {
  test(`axe-core finds no serious or critical violation at ${viewport.width}px`, async () => {
    const report = [];
    for (const [path, isSearch] of pages) {
      // axe-core is injected as an inline script: only this context bypasses
      // the CSP, the other tests run with it.
      const page = await openPage(site, { viewport, bypassCSP: true });
      await page.goto(path);
      if (isSearch) await settled(page);
      await page.waitForLoadState('networkidle');
      if (path === '/programma') await page.locator('html[data-enhanced]').waitFor();
      for (const line of await axeViolations(page)) report.push(`${path}: ${line}`);
      await page.close();
    }
    assert.deepEqual(report, []);
  });
}

// The states the pages reach after a tap on a 360 px phone: a practice
// after «Condividi» (the link copied, or offered in a field when the
// clipboard is refused), and the results of a search with a filter on, the
// filters folded and then open.
test('axe-core finds nothing on a 360 px phone after «Condividi» and with the filters folded or open', async () => {
  const phone = { width: 360, height: 740 };
  const slug = (await site.api('/api/search?per_page=1')).body.results[0].slug;
  const report = [];
  for (const refuse of [false, true]) {
    const page = await openPage(site, { viewport: phone, bypassCSP: true });
    await page.addInitScript((refuseClipboard) => {
      delete Navigator.prototype.share;
      if (refuseClipboard && navigator.clipboard) {
        navigator.clipboard.writeText = () => Promise.reject(new DOMException('Refused', 'NotAllowedError'));
      }
    }, refuse);
    if (!refuse) await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.base });
    await page.goto(`/pratiche/${slug}`);
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Condividi', exact: true }).click();
    await page.locator('.back-top').getByRole('status').filter({ hasText: refuse ? 'Copia il link' : 'Link copiato' }).waitFor();
    for (const line of await axeViolations(page)) report.push(`practice, clipboard ${refuse ? 'refused' : 'granted'}: ${line}`);
    await page.close();
  }
  const theme = Object.keys((await site.api('/api/search?q=orti%20sociali')).body.facets.theme)[0];
  const page = await openPage(site, { viewport: phone, bypassCSP: true });
  await page.goto(`/?q=orti+sociali&theme=${theme}`);
  await settled(page);
  await page.waitForLoadState('networkidle');
  for (const line of await axeViolations(page)) report.push(`results, filters folded: ${line}`);
  await page.locator('#filters > summary').click();
  for (const line of await axeViolations(page)) report.push(`results, filters open: ${line}`);
  await page.close();
  assert.deepEqual(report, []);
});

test('a registration with errors passes axe-core too', async () => {
  const page = await openPage(site, { bypassCSP: true });
  await page.goto('/programma');
  await page.locator('html[data-enhanced]').waitFor();
  await page.locator('#submit').click();
  await page.locator('#form-summary').waitFor({ state: 'visible' });
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

test('the skip link is the first stop and leads to the content', async () => {
  for (const path of ['/', '/docenti', '/programma']) {
    const page = await openPage(site);
    await page.goto(path);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({ text: document.activeElement.textContent, href: document.activeElement.getAttribute('href') }));
    assert.equal(first.href, '#contenuto', path);
    assert.match(first.text, /Vai al contenuto/);
    assert.ok(await page.locator('.skip-link[href="#contenuto"]').isVisible(), 'visible when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'contenuto');
    await page.close();
  }
});

test('every interactive control of the search page shows a visible focus', async () => {
  const page = await openPage(site);
  await page.goto('/');
  await settled(page);
  const missing = [];
  for (let i = 0; i < 25; i += 1) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const label = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.id || el.name;
      return { label, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0, tag: el.tagName };
    });
    if (info.tag === 'BODY') break;
    if (!info.outline) missing.push(`${info.tag} ${info.label}`);
  }
  assert.deepEqual(missing, []);
  await page.close();
});
