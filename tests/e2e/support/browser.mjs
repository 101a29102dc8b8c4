// Debian's Chromium driven by playwright-core, one fresh browser profile per actor (an admin
// at a desk, a student on a phone), plus the helpers the browser tests share.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from '../../support/server.mjs';

export const CHROMIUM = process.env.HEADCOUNT_CHROMIUM || '/usr/bin/chromium';
/// Screenshots land next to the binary: build/e2e-artifacts/.
export const ARTIFACTS = process.env.HEADCOUNT_E2E_ARTIFACTS || path.join(path.dirname(BIN), 'e2e-artifacts');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

/// A browser with a new, empty profile. `problems` collects what must never happen on our
/// pages: uncaught exceptions and Content-Security-Policy violations.
export async function openBrowser({ viewport = DESKTOP } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'headcount-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // Playwright passes the new profile as --user-data-dir itself
    args: ARGS,
    viewport,
    acceptDownloads: true,
    timeout: 60000,
  });
  // a step that fails should fail in seconds, not Playwright's default 30
  context.setDefaultTimeout(10000);
  const page = context.pages()[0] ?? await context.newPage();
  const problems = [];
  const watch = (p) => {
    p.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    p.on('console', (msg) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect)/.test(msg.text())) problems.push(`csp: ${msg.text()}`);
    });
  };
  watch(page);
  context.on('page', watch);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/// Signs in through the form on whatever page is open (it shows the form when signed out).
export async function signIn(page, login, password) {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ state: 'detached' });
}

/// Waits until the top bar says the live connection is up.
export async function waitForLive(page, timeout = 10000) {
  await page.locator('#connection[data-state="online"]').waitFor({ timeout });
}

/// A full-page screenshot at build/e2e-artifacts/<name>.png; returns the path.
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
  return file;
}

/// Polls `fn` until it returns a truthy value (which is returned) or `timeout` ms pass.
export async function eventually(fn, { timeout = 5000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${message} not met within ${timeout} ms (last: ${last?.message ?? JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/// RFC 4180 rows, for checking downloaded CSV.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { /* CRLF: the \n ends it */ } else if (c === '\n') {
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
