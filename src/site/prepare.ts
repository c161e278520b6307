/**
 * Prepares the site context (Node edge): catalog → site model, plus examples. `ruledex build`
 * calls `prepareSite` with the ingest it already did; `prepareFromEnv` reads the sources itself
 * (for `astro dev` and `astro build` run on their own).
 */
import { readFileSync } from 'node:fs';
import { delimiter, join, resolve, sep } from 'node:path';
import { readStixText, type AttackIndex } from '../attack';
import { buildCatalog, type Catalog } from '../catalog/build';
import type { LoadResult } from '../ingest/load';
import type { Diagnostic } from '../model/diagnostic';
import { renderMarkdown } from '../views/markdown';
import { trustSanitised } from '../views/html';
import { buildSiteModel, type SourceLink } from '../views/site';
import { DiskCache, digestFiles, hashKey } from './cache';
import type { SiteContext } from './context';
import { cacheDir, srcDir, synthesiseAll, type ExamplesOptions } from './examples';

export interface PrepareOptions {
  base?: string;
  site?: string | null;
  /** A STIX bundle (path). */
  attack?: string | null;
  title?: string;
  /** Synthesise examples for the evaluator (default true). */
  examples?: boolean | ExamplesOptions;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface Prepared {
  context: SiteContext;
  diagnostics: Diagnostic[];
}

const DETECTION_RULES = { url: 'https://github.com/elastic/detection-rules/blob/main/', label: 'github.com/elastic/detection-rules' };

/** Source links for detection-rules checkouts among the roots: their files link to GitHub. */
export function sourceLinksFor(loaded: LoadResult): SourceLink[] {
  const out: SourceLink[] = [];
  for (const root of loaded.read.roots) {
    if (root.kind !== 'detection-rules') continue;
    const prefix = root.dir.endsWith('/') || root.dir.endsWith(sep) ? root.dir : `${root.dir}/`;
    out.push({ prefix, ...DETECTION_RULES });
  }
  return out;
}

export function readAttack(path: string): { index: AttackIndex | null; diagnostics: Diagnostic[] } {
  const text = readFileSync(path, 'utf8');
  const r = readStixText(text, { file: path });
  return { index: r.index, diagnostics: r.diagnostics };
}

export async function prepareSite(loaded: LoadResult, options: PrepareOptions = {}, catalog?: Catalog): Promise<Prepared> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const cat = catalog ?? buildCatalog(loaded.result);
  timings.analyse = performance.now() - t;
  const diagnostics: Diagnostic[] = [];
  let attack: AttackIndex | null = null;
  if (options.attack) {
    const r = readAttack(options.attack);
    diagnostics.push(...r.diagnostics);
    if (!r.index) throw new Error(`${options.attack} is not an ATT&CK STIX bundle: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    attack = r.index;
  }
  const formerNames: Record<string, string[]> = {};
  for (const [id, e] of Object.entries(loaded.result.etc.versionLock)) if (e.previousNames.length > 0) formerNames[id] = e.previousNames;
  t = performance.now();
  const model = buildSiteModel({
    catalog: cat,
    attack,
    formerNames,
    sourceLinks: sourceLinksFor(loaded),
    ...(options.base !== undefined ? { base: options.base } : {}),
    site: options.site ?? null,
    ...(options.title !== undefined ? { title: options.title } : {}),
  });
  timings.model = performance.now() - t;
  t = performance.now();
  const exOpts = options.examples === false ? null : options.examples === true || options.examples === undefined ? {} : options.examples;
  const examples = exOpts ? await synthesiseAll(model, { ...exOpts, ...(options.onProgress ? { onProgress: (d, n) => options.onProgress?.('examples', d, n) } : {}) }) : new Map();
  timings.examples = performance.now() - t;
  const mdCache = new DiskCache(
    ((dir) => (dir ? join(dir, 'markdown.json') : null))(cacheDir()),
    digestFiles(['views/markdown.ts', 'views/highlight.ts', 'views/html.ts'].map((f) => join(srcDir(), f))),
  );
  const markdown = (md: string) => trustSanitised(mdCache.get(hashKey(md), () => renderMarkdown(md)));
  return { context: { model, examples, printed: new Map(), search: null, markdown, saveCaches: () => mdCache.save(), timings }, diagnostics };
}

/** The environment's sources and options (see `context.ts`). */
export async function prepareFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<SiteContext> {
  const { loadSources } = await import('../ingest/load');
  const sources = (env.RULEDEX_SOURCES ?? 'content').split(delimiter).filter((s) => s.trim() !== '').map((s) => resolve(s));
  const loaded = await loadSources(sources, { workers: 0, ...(env.RULEDEX_LABEL ? { label: env.RULEDEX_LABEL } : {}) });
  const prepared = await prepareSite(loaded, {
    ...(env.RULEDEX_BASE ? { base: env.RULEDEX_BASE } : {}),
    site: env.RULEDEX_SITE ?? null,
    attack: env.RULEDEX_ATTACK ?? null,
    examples: env.RULEDEX_EXAMPLES !== '0',
  });
  return prepared.context;
}
