/**
 * Browser tests in headless Chromium against the example site built with `--base /catalog/` and
 * served from a sub-path: search, the evaluator, the matrix, and every page and asset loading.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDist, type Served } from '../../scripts/check-dist/serve';
import { checkLinks, formatReport } from '../../scripts/check-dist/links';
import { buildSite, hasChromium, launchChromium, type BuiltSite } from './helpers';

const BASE = '/catalog/';

function htmlPages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.html')) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!hasChromium)('the example site in Chromium, under /catalog/', () => {
  let site: BuiltSite;
  let server: Served;
  let browser: Browser;

  beforeAll(async () => {
    site = await buildSite(['--base', BASE]);
    server = await serveDist(site.dir, { base: BASE });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    site?.remove();
  });

  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
    page.on('requestfailed', (r) => {
      // Requests cut short by the next navigation (the favicon) are not failures.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
    });
    await page.goto(server.origin + path);
    return { page, problems };
  }

  async function searchNames(page: Page, query: string): Promise<string[]> {
    const input = page.locator('rx-search input[type="search"]');
    await input.fill(query);
    await page.locator('#rx-results li[role="option"]').first().waitFor();
    await page.waitForFunction((q) => (document.querySelector('rx-search input') as HTMLInputElement).value === q, query);
    // Let the (async) search for this exact query render.
    await page.waitForTimeout(150);
    return page.locator('#rx-results li[role="option"] .name').allTextContents();
  }

  it('search: T1059.002 lists exactly the rules mapped to it; T1059 adds those on its sub-techniques', async () => {
    const { page, problems } = await open(BASE);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rx-q');
    expect(await searchNames(page, 'T1059.002')).toEqual(['AppleScript Interpreter Followed by Repeated Outbound Connections']);
    expect((await searchNames(page, 'T1059')).sort()).toEqual([
      'AppleScript Interpreter Followed by Repeated Outbound Connections',
      'Encoded PowerShell Command Line',
      'Shell Spawned by a Web Server Process',
    ]);
    // Results show ATT&CK ids and severity.
    expect(await page.locator('#rx-results li[role="option"] .meta').first().textContent()).toMatch(/^(medium|high|low|critical) · .* · .*T1059/);
    // Arrows and Enter open a result.
    await searchNames(page, 'osascript');
    await page.keyboard.press('ArrowDown');
    const second = await page.locator('#rx-results li[aria-selected="true"] .name').textContent();
    await Promise.all([page.waitForURL(/\/catalog\/rules\/[^/]+\/$/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe(second);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('evaluator: an EQL sequence matches its example and stops matching when a join key is edited', async () => {
    const { page, problems } = await open(`${BASE}rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/`);
    const verdict = page.locator('rx-evaluator [data-role="verdict"]');
    await page.locator('rx-evaluator').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('rx-evaluator [data-role="verdict"]')?.getAttribute('data-verdict') !== null);
    expect(await verdict.getAttribute('data-verdict')).toBe('match');
    expect(await verdict.textContent()).toMatch(/^Match: the rule fires \(1 alert: events #1, #2, #3, #4\)/);
    // The timeline shows which event filled which term.
    expect(await page.locator('rx-evaluator [data-role="timeline"] li.hit').count()).toBe(4);
    // The trace marks predicates that held in the printed query.
    expect(await page.locator('rx-evaluator [data-role="trace"] .tr-true').count()).toBeGreaterThan(3);
    // Edit the join key (host.id) of the first event.
    const editor = page.locator('#ev-events');
    const text = await editor.inputValue();
    await editor.fill(text.replace('"id":"example-id"', '"id":"another-host"'));
    await page.waitForFunction(() => document.querySelector('rx-evaluator [data-role="verdict"]')?.getAttribute('data-verdict') === 'no-match');
    expect(await verdict.textContent()).toBe('No match: the rule does not fire on 4 events.');
    // Back to the example: matches again.
    await page.locator('rx-evaluator button[data-action="example"]').click();
    await page.waitForFunction(() => document.querySelector('rx-evaluator [data-role="verdict"]')?.getAttribute('data-verdict') === 'match');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('matrix: a technique cell leads to a page listing its rules', async () => {
    const { page, problems } = await open(`${BASE}attack/`);
    await Promise.all([page.waitForURL(`**${BASE}attack/techniques/T1059/`), page.locator('a', { hasText: 'Command and Scripting Interpreter' }).first().click()]);
    expect(await page.locator('h1').textContent()).toBe('T1059 Command and Scripting Interpreter');
    expect(await page.locator('main .rule-list').first().locator('li > a').allTextContents()).toEqual([
      'AppleScript Interpreter Followed by Repeated Outbound Connections',
      'Encoded PowerShell Command Line',
      'Shell Spawned by a Web Server Process',
    ]);
    await Promise.all([page.waitForURL(`**${BASE}attack/techniques/T1059.002/`), page.locator('main a', { hasText: 'AppleScript' }).last().click()]);
    expect(await page.locator('main .rule-list li > a').allTextContents()).toEqual(['AppleScript Interpreter Followed by Repeated Outbound Connections']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('browse: filters update the table and the live counts', async () => {
    const { page, problems } = await open(`${BASE}rules/?severity=medium`);
    const shown = page.locator('[data-role="shown"]');
    await page.waitForFunction(() => document.querySelector('[data-role="shown"]')?.textContent === '7');
    await page.locator('fieldset[data-facet="os"] input[value="macOS"]').check();
    await page.waitForFunction(() => document.querySelector('[data-role="shown"]')?.textContent === '2');
    expect(await page.locator('tbody tr:not([hidden]) td:first-child a').allTextContents()).toEqual([
      'AppleScript Interpreter Followed by Repeated Outbound Connections',
      'Launch Agent Plist Written by a Script Interpreter',
    ]);
    expect(await page.locator('fieldset[data-facet="os"] [data-count="Windows"]').textContent()).toBe('3');
    expect(new URL(page.url()).search).toBe('?severity=medium&os=macOS');
    // Unchecking brings the other OS back.
    await page.locator('fieldset[data-facet="os"] input[value="macOS"]').uncheck();
    await page.waitForFunction(() => document.querySelector('[data-role="shown"]')?.textContent === '7');
    expect(await shown.textContent()).toBe('7');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the theme follows the system and the toggle, which is remembered', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(server.url);
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(await bg()).toBe('rgb(13, 17, 23)');
    await page.locator('#theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await bg()).toBe('rgb(255, 255, 255)');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await page.locator('#theme-toggle').getAttribute('aria-label')).toBe('Switch to the dark theme');
    await page.close();
  });

  it('a slug leads to the canonical rule page', async () => {
    const { page } = await open(`${BASE}rules/windows-event-log-cleared-with-wevtutil/`);
    await page.waitForURL(`**${BASE}rules/92461a6d-3240-4f15-b2b2-c595107351bf/`);
    expect(await page.locator('h1').textContent()).toBe('Deprecated - Windows Event Log Cleared with wevtutil');
    await page.close();
  });

  it('every page and asset loads under the base path, with no CSP violation or script error', async () => {
    const pages = htmlPages(site.dir);
    expect(pages.length).toBeGreaterThan(100);
    const problems: string[] = [];
    const page = await browser.newPage();
    let current = '';
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${current}: console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${current}: error: ${e.message}`));
    page.on('requestfailed', (r) => {
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${current}: failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !current.endsWith('404.html')) problems.push(`${current}: ${r.status()} ${r.url()}`);
    });
    for (const p of pages) {
      current = p;
      if (p.startsWith('rules/') && !/^rules\/[0-9a-f-]{36}\/|^rules\/md-|^rules\/index/.test(p)) continue; // redirects: covered above
      const url = server.url + p.replace(/(^|\/)index\.html$/, '$1');
      const res = await page.goto(url, { waitUntil: 'load' });
      if (!p.endsWith('404.html') && res?.status() !== 200) problems.push(`${p}: HTTP ${res?.status()}`);
    }
    // The search index and the evaluator chunk load too.
    current = 'search';
    await page.goto(`${server.url}search/?q=osascript`);
    await page.waitForFunction(() => /rules? match/.test(document.querySelector('rx-results [data-role="status"]')?.textContent ?? ''));
    expect(await page.locator('rx-results [data-role="status"]').textContent()).toBe('2 rules match “osascript”.');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('the /catalog/ build has no broken links', () => {
    const r = checkLinks(site.dir, { base: BASE });
    if (r.brokenTotal > 0) console.log(formatReport(r));
    expect(r.brokenTotal).toBe(0);
  });
});
