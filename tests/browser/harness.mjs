// Shared set-up of the browser tests: builds a fresh index of
// library-content/, starts the real bp-server on a free loopback port with a
// temporary data folder (registrations never touch var/), launches Debian's
// Chromium headless through playwright-core, and offers helpers for console
// errors, axe-core and screenshots.
//
// Environment: BP_BUILD (build folder, default build/), BP_SERVER and
// BP_INDEX (binaries), CHROMIUM (default /usr/bin/chromium),
// BP_SCREENSHOTS (default build/screenshots).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILD = process.env.BP_BUILD || join(ROOT, 'build');
export const SCREENSHOTS = process.env.BP_SCREENSHOTS || join(BUILD, 'screenshots');
const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

export const DESKTOP = { width: 1280, height: 900 };
export const MOBILE = { width: 390, height: 844 };

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export function binary(envName, relative) {
  const path = process.env[envName] || join(BUILD, relative);
  if (!existsSync(path)) throw new Error(`${path} not found: build the project first (or set ${envName})`);
  return path;
}

async function waitReady(base, child, output, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bp-server exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bp-server not ready after ${timeoutMs} ms:\n${output.join('')}`);
}

// Starts everything; returns { base, browser, api(path), stop() } and the
// folders { work, content, index, data } (data: the server's data folder,
// for bp-admin). With `copyContent` the server
// serves a copy of library-content/ that the test may write into; `env` adds
// environment variables for the server.
export async function startSite({ copyContent = false, env = {} } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'bp-browser-'));
  const index = join(work, 'index');
  const data = join(work, 'data');
  mkdirSync(data);
  let content = join(ROOT, 'library-content');
  if (copyContent) {
    cpSync(content, join(work, 'content'), { recursive: true });
    content = join(work, 'content');
  }
  execFileSync(binary('BP_INDEX', 'indexer/bp-index'),
    ['build', '--content', content, '--index', index], { stdio: 'pipe' });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn(binary('BP_SERVER', 'server/bp-server'), [
    '--index', index, '--content', content, '--web', join(ROOT, 'web'),
    '--data', data, '--port', String(port), '--host', '127.0.0.1', '--threads', '4',
    '--public-url', base,
  ], { env: { ...process.env, BP_RATE_LIMIT: '0', BP_ADMIN_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => output.push(String(chunk)));
  child.stderr.on('data', (chunk) => output.push(String(chunk)));

  let browser = null;
  const stop = async () => {
    if (browser) await browser.close().catch(() => {});
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 5000);
        child.once('exit', () => { clearTimeout(timer); resolve(); });
      });
    }
    rmSync(work, { recursive: true, force: true });
  };

  try {
    await waitReady(base, child, output);
    // launch() gives every run a fresh temporary user-data-dir.
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const api = async (path, init) => {
    const response = await fetch(`${base}${path}`, init);
    const body = await response.json();
    return { status: response.status, body };
  };
  return { base, browser, api, stop, serverOutput: output, work, content, index, data };
}

// A page that records console errors, uncaught exceptions and failed
// requests (CSP refusals show up as console errors). `bypassCSP` is only for
// injecting axe-core. `userAgent` replaces headless Chromium's own (which
// the search analytics do not count, as a scripted browser).
export async function openPage(site, { viewport = DESKTOP, bypassCSP = false, javaScriptEnabled = true, userAgent } = {}) {
  const context = await site.browser.newContext({
    viewport, bypassCSP, javaScriptEnabled, locale: 'it-IT', timezoneId: 'Europe/Rome', baseURL: site.base,
    ...(userAgent ? { userAgent } : {}),
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()} (${message.location().url || ''})`);
  });
  page.on('pageerror', (error) => page.problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    const failure = request.failure();
    // Aborted fetches are the search page dropping stale requests on purpose.
    if (failure && /ERR_ABORTED/.test(failure.errorText)) return;
    page.problems.push(`request failed: ${request.url()} ${failure ? failure.errorText : ''}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(site.base) && !request.url().startsWith('data:')) {
      page.problems.push(`external request: ${request.url()}`);
    }
  });
  page.close = ((close) => async () => { await close.call(page); await context.close(); })(page.close);
  return page;
}

// Runs axe-core (WCAG 2.0/2.1 A and AA rules) and returns the serious and
// critical violations as readable lines.
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} → ${v.nodes.join(' | ')}`);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// The number in the live status line ("12 pratiche trovate ..."), 0 for none.
export async function statusTotal(page) {
  const text = await page.locator('#results-status').textContent();
  if (/^Nessuna/.test(text)) return 0;
  const m = /^([\d.]+)/.exec(text);
  return m ? Number(m[1].replace(/\./g, '')) : NaN;
}

// Waits until the results match the page's URL: no request in flight.
export async function settled(page) {
  await page.waitForFunction(() => document.getElementById('results')?.getAttribute('aria-busy') === 'false'
    && !/^Caricamento/.test(document.getElementById('results-status').textContent));
}
