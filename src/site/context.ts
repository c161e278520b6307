/**
 * The hand-over between `ruledex build` and Astro: the CLI computes the site context ONCE (ingest,
 * catalog, ATT&CK, examples) and puts it in a `globalThis` slot before calling Astro's `build()`
 * in the same process; the pages (bundled by Vite into their own module graph, hence the global
 * slot rather than a module variable) read it with `getSite()`.
 *
 * When Astro runs on its own (`astro dev`, `astro build`), `getSite()` computes the context from
 * the environment: RULEDEX_SOURCES (paths separated by the platform's path delimiter; default
 * `content`), RULEDEX_ATTACK (a STIX bundle), RULEDEX_BASE, RULEDEX_SITE, RULEDEX_LABEL.
 */
import type { LayerFile } from '../attack';
import type { SynthesisResult } from '../eval/examples/index';
import type { SiteModel } from '../views/site';
import type { PrintedRule } from '../views/rule-page';
import type { SearchBundle } from '../search/build-index';
import type { SafeHtml } from '../views/html';

export interface SiteContext {
  model: SiteModel;
  /** Synthesised examples by rule id (absent: none made for this build). */
  examples: Map<string, SynthesisResult>;
  /** Printed queries and their analysis, by rule id (filled on first use). */
  printed: Map<string, PrintedRule>;
  /** The search index (built on first use). */
  search: SearchBundle | null;
  /** Markdown → sanitised HTML, cached across builds. */
  markdown: (md: string) => SafeHtml;
  /** Markdown → plain text (meta descriptions), cached likewise. */
  markdownText?: (md: string) => string;
  /** Saves the caches the build filled (call after Astro). */
  saveCaches: () => void;
  /** Milliseconds spent preparing, by phase (for the build summary). */
  timings: Record<string, number>;
  /** The prep workers print the rules' queries (into `printed`): this thread need not print ahead. */
  printsInWorkers?: boolean;
  /** The Navigator layers, once made (`layersOf`). */
  layers?: LayerFile[];
  /** Settles when examples and markdown are made (`prepareSite` with `background`); pages wait for it. */
  ready?: Promise<void>;
  /** Rules whose example synthesis the build stopped at its deadline: their pages let the browser make it. */
  deferredExamples?: Set<string>;
  /** The JSON API files are written by `writeDirect` after Astro: their routes generate nothing. */
  direct?: boolean;
  /**
   * Work for this thread while it would otherwise wait for `ready` (set by `runAstro`: the direct
   * files the model alone makes, then the rule pages' printed queries), in short steps: each
   * returns true while more remains. `getReadySite` runs steps until `ready` settles, yielding
   * between them (the worker pool's messages are handled on this thread).
   */
  whileWaiting?: (() => boolean) | null;
}

const SLOT = Symbol.for('ruledex.site-context');

type Slot = { [SLOT]?: Promise<SiteContext> };

/** Called by `ruledex build` before Astro builds: the pages will use this context. */
export function provideSite(ctx: SiteContext | Promise<SiteContext>): void {
  (globalThis as Slot)[SLOT] = Promise.resolve(ctx);
}

/** Forgets the provided context (after a build, so a second build in the process starts fresh). */
export function clearSite(): void {
  delete (globalThis as Slot)[SLOT];
}

/**
 * The site context: the one `ruledex build` provided, else one computed from the environment
 * (memoised). Its model is complete; its examples and markdown may still be in the making (see
 * `ready`): pages that read them get the context from `getReadySite()`.
 */
export function getSite(): Promise<SiteContext> {
  const g = globalThis as Slot;
  const existing = g[SLOT];
  if (existing) return existing;
  const p = import('./prepare').then((m) => m.prepareFromEnv());
  g[SLOT] = p;
  return p;
}

/**
 * The site context once its examples and markdown are made (`ready` settled): for the rule pages
 * and the examples JSON, the only pages that read them. Every other page renders with
 * `getSite()` while the workers still make them.
 */
export async function getReadySite(): Promise<SiteContext> {
  const ctx = await getSite();
  if (!ctx.ready) return ctx;
  let settled = false;
  const mark = (): void => {
    settled = true;
  };
  ctx.ready.then(mark, mark);
  await Promise.resolve();
  for (let step = ctx.whileWaiting; step && !settled; step = ctx.whileWaiting) {
    if (!step()) ctx.whileWaiting = null;
    await new Promise((ok) => setImmediate(ok));
  }
  await ctx.ready;
  return ctx;
}
