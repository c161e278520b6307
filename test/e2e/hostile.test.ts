/**
 * Nothing executes: one site build of content/ plus every hostile fixture (test/fixtures/hostile
 * and the inputs test/hostile/generate.ts writes), every page of it opened in Chromium from a
 * loopback server. A page fails on any dialog, console error or page error, any failed or
 * refused request, any script that Ruledex did not ship (script requests must be files under
 * dist/_astro or the layout's theme.js; inline scripts: none, the layout emits none and the CSP
 * lists no hashes), and any event-handler attribute, `javascript:`/`data:`/`vbscript:` URL,
 * frame, object or embed left in the DOM. Rule pages with an evaluator run it on their example
 * (hostile regexes and wildcards included) and must reach a verdict.
 *
 * Every page must also carry one restrictive Content-Security-Policy meta, first in <head>:
 * default-src and script-src without 'unsafe-inline', 'unsafe-eval' or wildcards, object-src
 * 'none', base-uri 'self' or 'none'.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDist, type Served } from '../../scripts/check-dist/serve';
import { writeGenerated } from '../hostile/generate';
import { buildSite, hasChromium, launchChromium, type BuiltSite } from './helpers';

const FIX = 'test/fixtures/hostile';
const PARALLEL = 4;

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith(ext)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** What is wrong with a page's CSP (empty: restrictive enough). */
function cspProblems(policy: string): string[] {
  const dirs = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) dirs.set(name.toLowerCase(), values);
  }
  const out: string[] = [];
  const loose = (name: string, values: string[] | undefined): void => {
    if (!values) return void out.push(`no ${name}`);
    for (const v of values) {
      if (/^'unsafe-|^'wasm-unsafe-eval'$|^\*$|^(?:data|blob|filesystem|https?):$/i.test(v)) out.push(`${name} allows ${v}`);
    }
  };
  loose('default-src', dirs.get('default-src'));
  loose('script-src', dirs.get('script-src') ?? dirs.get('default-src'));
  for (const d of ['script-src-elem', 'script-src-attr']) if (dirs.has(d)) loose(d, dirs.get(d));
  if (dirs.get('object-src')?.join(' ') !== "'none'") out.push(`object-src is ${JSON.stringify(dirs.get('object-src')?.join(' ') ?? null)}, not 'none'`);
  const base = dirs.get('base-uri')?.join(' ');
  if (base !== "'self'" && base !== "'none'") out.push(`base-uri is ${JSON.stringify(base ?? null)}`);
  return out;
}

/** Static checks of one HTML file: the CSP meta, once, first in <head>. */
function htmlProblems(html: string): string[] {
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)];
  if (metas.length !== 1) return [`${metas.length} CSP metas`];
  const head = /<head>([\s\S]*?)<\/head>/i.exec(html)?.[1] ?? '';
  const firstScript = head.search(/<script\b/i);
  const at = head.indexOf(metas[0]![0]);
  const out = cspProblems((metas[0]![1] ?? '').replace(/&#39;|&apos;/g, "'").replace(/&quot;|&#34;/g, '"'));
  if (at < 0) out.push('CSP meta outside <head>');
  else if (firstScript >= 0 && firstScript < at) out.push('a script before the CSP meta');
  return out;
}

describe('the CSP check', () => {
  it('accepts the site policy and rejects loose ones', () => {
    expect(cspProblems("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'")).toEqual([]);
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; object-src 'none'")).toEqual([
      "script-src allows 'unsafe-inline'",
      "script-src allows 'unsafe-eval'",
      'base-uri is null',
    ]);
    expect(cspProblems("default-src *; object-src 'self'; base-uri 'self'")).toEqual(['default-src allows *', 'script-src allows *', `object-src is "'self'", not 'none'`]);
    expect(cspProblems("script-src https: data:; object-src 'none'; base-uri 'none'")).toEqual(['no default-src', 'script-src allows https:', 'script-src allows data:']);
  });
});

describe.skipIf(!hasChromium)('the hostile build in Chromium', () => {
  let gen: string;
  let site: BuiltSite;
  let server: Served;
  let browser: Browser;
  let buildSeconds = 0;

  beforeAll(async () => {
    gen = mkdtempSync(join(tmpdir(), 'ruledex-hostile-e2e-'));
    // The big inputs; not the hundred wrong-typed rules (test/hostile/catalog.test.ts checks
    // those; their pages are the same template a hundred times, and they double the time here).
    writeGenerated(gen, { wrongTypes: false });
    const t0 = performance.now();
    site = await buildSite(['--source', 'content', '--source', FIX, '--source', gen]);
    buildSeconds = (performance.now() - t0) / 1000;
    server = await serveDist(site.dir);
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    site?.remove();
    if (gen) rmSync(gen, { recursive: true, force: true });
  });

  it('every page carries a restrictive CSP as the first thing in <head>', () => {
    const pages = files(site.dir, '.html');
    const bad = pages.flatMap((p) => htmlProblems(readFileSync(join(site.dir, p), 'utf8')).map((m) => `${p}: ${m}`));
    expect(bad).toEqual([]);
    // The hostile rules have pages (by encoded id) and the build says what it did with them.
    expect(pages).toContain('rules/~2e2e2f2e2e2f6574632f706173737764/index.html');
    expect(pages).toContain('rules/hx-regex-eql/index.html');
    expect(site.output).toMatch(/error \[query-syntax\]/);
  });

  it('opens every page with no dialog, error, refused request or foreign script', async () => {
    const pages = files(site.dir, '.html');
    expect(pages.length).toBeGreaterThan(200);
    const shipped = new Set([...files(join(site.dir, '_astro'), '.js').map((f) => `${server.origin}/_astro/${f}`), `${server.origin}/theme.js`]);
    const problems: string[] = [];
    let verdicts = 0;
    let evaluators = 0;
    const t0 = performance.now();

    const checker = await browser.newPage();
    await checker.goto(`${server.origin}/robots.txt`);
    const times: { path: string; ms: number }[] = [];

    async function visit(page: Page, path: string, current: { path: string }): Promise<void> {
      current.path = path;
      const start = performance.now();
      const html = readFileSync(join(site.dir, path), 'utf8');
      const redirect = /<meta http-equiv="refresh"/i.test(html);
      const url = `${server.origin}/${path.replace(/(^|\/)index\.html$/, '$1')}`;
      const res = await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
      if (!path.endsWith('404.html') && res?.status() !== 200) problems.push(`${path}: HTTP ${res?.status()}`);
      if (redirect) {
        // A slug page: it must lead on (its target is visited on its own); only static checks.
        await page.waitForURL((u) => u.href !== url, { timeout: 10_000, waitUntil: 'commit' }).catch(() => problems.push(`${path}: redirect did not happen`));
        const to = /<meta http-equiv="refresh" content="0; ?url=([^"]*)"/i.exec(html)?.[1] ?? '';
        if (!to.startsWith('/')) problems.push(`${path}: redirect to ${to}`);
      } else if (await page.locator('rx-evaluator').count()) {
        evaluators++;
        await page.locator('rx-evaluator').scrollIntoViewIfNeeded();
        await page
          .waitForFunction(() => document.querySelector('rx-evaluator [data-role="verdict"]')?.getAttribute('data-verdict') != null, null, { timeout: 60_000 })
          .then(() => verdicts++)
          .catch(() => problems.push(`${path}: the evaluator reached no verdict in 60 s`));
      }
      // The live DOM (after Ruledex's scripts ran); a redirect page, already gone, as parsed (scripts do not run in DOMParser).
      const dom = await (redirect ? checker : page).evaluate((source) => {
        const doc = source === null ? document : new DOMParser().parseFromString(source, 'text/html');
        const out: string[] = [];
        for (const s of Array.from(doc.scripts)) if (!s.src) out.push(`inline script: ${s.textContent?.slice(0, 80)}`);
        for (const el of Array.from(doc.querySelectorAll('*'))) {
          const tag = el.tagName.toLowerCase();
          if (['iframe', 'frame', 'object', 'embed', 'base', 'applet'].includes(tag)) out.push(`<${tag}> element`);
          for (const a of Array.from(el.attributes)) {
            if (/^on/i.test(a.name)) out.push(`<${tag} ${a.name}>`);
            if (/^(?:href|src|action|formaction|xlink:href|data|srcdoc|poster|background)$/i.test(a.name) && /^\s*(?:javascript|data|vbscript):/i.test(a.value)) out.push(`<${tag} ${a.name}="${a.value.slice(0, 40)}">`);
          }
        }
        const scripts = Array.from(doc.scripts).filter((s) => s.hasAttribute('src'));
        return { out, scripts: scripts.map((s) => (source === null ? s.src : new URL(s.getAttribute('src') ?? '', location.origin).href)) };
      }, redirect ? html : null);
      for (const m of dom.out) problems.push(`${path}: ${m}`);
      for (const s of dom.scripts) if (!shipped.has(s)) problems.push(`${path}: <script src="${s}">`);
      times.push({ path, ms: performance.now() - start });
    }

    const queue = [...pages];
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        const page = await browser.newPage();
        const current = { path: '' };
        page.on('dialog', (d) => {
          problems.push(`${current.path}: ${d.type()} dialog ${JSON.stringify(d.message())}`);
          void d.dismiss();
        });
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(`${current.path}: console ${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`${current.path}: page error: ${e.message}`));
        page.on('request', (r) => {
          if (r.resourceType() === 'script' && !shipped.has(r.url())) problems.push(`${current.path}: script request ${r.url()}`);
          if (!r.url().startsWith(server.origin)) problems.push(`${current.path}: request to ${r.url()}`);
        });
        page.on('requestfailed', (r) => {
          if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${current.path}: failed ${r.url()} ${r.failure()?.errorText}`);
        });
        page.on('response', (r) => {
          if (r.status() >= 400 && !current.path.endsWith('404.html')) problems.push(`${current.path}: ${r.status()} ${r.url()}`);
        });
        for (let p = queue.shift(); p !== undefined; p = queue.shift()) await visit(page, p, current);
        await page.close();
      }),
    );
    console.log(`hostile site: built in ${buildSeconds.toFixed(0)} s (${/elapsed:.*/.exec(site.output)?.[0] ?? ''}); ${pages.length} pages opened in ${((performance.now() - t0) / 1000).toFixed(0)} s (${PARALLEL} tabs), ${verdicts} evaluator verdicts`);
    await checker.close();
    console.log(`slowest pages: ${times.sort((a, b) => b.ms - a.ms).slice(0, 8).map((t) => `${t.path} ${(t.ms / 1000).toFixed(1)} s`).join(', ')}`);
    expect(problems).toEqual([]);
    expect(evaluators).toBeGreaterThan(30);
    expect(verdicts).toBe(evaluators);
  }, 600_000);
});
