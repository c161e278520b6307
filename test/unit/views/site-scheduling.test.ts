/**
 * How `ruledex build` schedules the site's work: pages other than the rule pages render from
 * `getSite()` while examples and markdown are made; the rule pages take `getReadySite()`, which
 * runs the context's `whileWaiting` steps until `ready` settles. The direct files written in
 * steps are the files `writeDirect` writes at once, and printing rules ahead does not change
 * their pages.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSite, getReadySite, getSite, provideSite, type SiteContext } from '../../../src/site/context';
import { directWriter, writeDirect } from '../../../src/site/direct';
import { aliasPages, printAhead, ruleView } from '../../../src/site/routes';
import { redirectHtml } from '../../../src/views/redirect';
import { renderMarkdown } from '../../../src/views/markdown';
import { trustSanitised } from '../../../src/views/html';
import { catalogApiJson } from '../../../src/views/api';
import { exampleModel } from './fixture';

async function context(ready?: Promise<void>): Promise<SiteContext> {
  const model = await exampleModel();
  return {
    model,
    examples: new Map(),
    printed: new Map(),
    search: null,
    markdown: (md) => trustSanitised(renderMarkdown(md)),
    saveCaches: () => undefined,
    timings: {},
    ...(ready ? { ready } : {}),
  };
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const dirs: string[] = [];
afterEach(() => {
  clearSite();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('getReadySite', () => {
  it('gives the context at once to getSite, and to getReadySite only once ready settles, running whileWaiting steps meanwhile', async () => {
    let release!: () => void;
    const ready = new Promise<void>((ok) => (release = ok));
    const ctx = await context(ready);
    const log: string[] = [];
    let steps = 0;
    ctx.whileWaiting = () => {
      steps++;
      log.push(`step ${steps}`);
      if (steps === 3) release();
      return true;
    };
    provideSite(ctx);
    expect(await getSite()).toBe(ctx);
    const got = await getReadySite();
    log.push('ready');
    expect(got).toBe(ctx);
    // Steps stop once `ready` settles (the third released it), with the work not finished.
    expect(log).toEqual(['step 1', 'step 2', 'step 3', 'ready']);
    expect(ctx.whileWaiting).not.toBeNull();
  });

  it('drops whileWaiting once a step says nothing is left, and still waits for ready', async () => {
    let release!: () => void;
    const ready = new Promise<void>((ok) => (release = ok));
    const ctx = await context(ready);
    let steps = 0;
    ctx.whileWaiting = () => ++steps < 2;
    provideSite(ctx);
    let settled = false;
    const p = getReadySite().then(() => (settled = true));
    for (let i = 0; i < 5; i++) await new Promise((ok) => setImmediate(ok));
    expect(steps).toBe(2);
    expect(ctx.whileWaiting).toBeNull();
    expect(settled).toBe(false);
    release();
    await p;
    expect(settled).toBe(true);
  });

  it('rethrows a failed preparation', async () => {
    const ready = Promise.reject(new Error('worker pool failed'));
    ready.catch(() => undefined);
    const ctx = await context(ready);
    provideSite(ctx);
    await expect(getReadySite()).rejects.toThrow('worker pool failed');
  });
});

describe('directWriter', () => {
  it('writes in steps exactly the files writeDirect writes at once', async () => {
    const ctx = await context();
    const once = mkdtempSync(join(tmpdir(), 'ruledex-direct-'));
    const stepped = mkdtempSync(join(tmpdir(), 'ruledex-direct-'));
    dirs.push(once, stepped);
    const a = writeDirect(ctx, once);
    const w = directWriter(ctx, stepped);
    let calls = 0;
    while (w.step(2)) calls++;
    // Two rules a step, then two redirect pages a step (from the step of the last rules), the
    // Navigator layers, then the catalog JSON (200 KB a step: the fixture's fits in one).
    const aliases = aliasPages(ctx).length;
    expect(aliases).toBeGreaterThan(0);
    expect(calls).toBe(Math.ceil(ctx.model.rules.length / 2) - 1 + Math.ceil(aliases / 2) + 1);
    expect(w.step(2)).toBe(false);
    const b = w.finish();
    expect(b).toEqual(a);
    expect(files(stepped)).toEqual(files(once));
    expect([...files(once).keys()].some((f) => f.startsWith('api/navigator/'))).toBe(true);
    expect(files(once).get('api/catalog.json')).toBe(catalogApiJson(ctx.model));
    const first = aliasPages(ctx)[0]!;
    expect(files(once).get(`rules/${first.segment}/index.html`)).toBe(redirectHtml(first.page));
  });
});

describe('printAhead', () => {
  it('prints rules ahead of their pages, which take the same view and drop the printed form', async () => {
    const ctx = await context();
    const rules = ctx.model.rules;
    const plain = rules.map((r) => JSON.stringify(ruleView(ctx, r)));
    expect(ctx.printed.size).toBe(0);
    expect(printAhead(ctx, 0, 3)).toBe(3);
    expect(ctx.printed.size).toBe(3);
    expect(printAhead(ctx, 3, rules.length)).toBe(rules.length);
    expect(ctx.printed.size).toBe(rules.length);
    expect(rules.map((r) => JSON.stringify(ruleView(ctx, r)))).toEqual(plain);
    expect(ctx.printed.size).toBe(0);
  });
});
