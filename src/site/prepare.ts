/**
 * Prepares the site context (Node edge): catalog → site model, plus examples. `ruledex build`
 * calls `prepareSite` with the ingest it already did; `prepareFromEnv` reads the sources itself
 * (for `astro dev` and `astro build` run on their own).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';
import { readStixText, type AttackIndex } from '../attack';
import { buildCatalog, type Catalog } from '../catalog/build';
import type { LoadResult } from '../ingest/load';
import type { Diagnostic } from '../model/diagnostic';
import { markdownText, renderMarkdown } from '../views/markdown';
import { trustSanitised } from '../views/html';
import { buildSiteModel, type SourceLink } from '../views/site';
import { DiskCache, digestFiles, hashKey } from './cache';
import type { SiteContext } from './context';
import type { SynthesisResult } from '../eval/examples/index';
import { evaluatorRule, printedRule, type PrintParts } from '../views/rule-page';
import type { CatalogRule } from '../catalog/build';
import { DEFERRED_EXAMPLE, exampleKey, exampleRules, isDeferredExample, openExamplesCache, synthesiseOne, type ExamplesOptions } from './examples';
import { runPrepPool, type PrepTask } from './prep-pool';
import { defaultCacheDir, SRC_DIR } from '../paths';

export interface PrepareOptions {
  base?: string;
  site?: string | null;
  /** A STIX bundle (path). */
  attack?: string | null;
  title?: string;
  /** Synthesise examples for the evaluator (default true). */
  examples?: boolean | ExamplesOptions;
  onProgress?: (phase: string, done: number, total: number) => void;
  /**
   * Worker threads for markdown and examples (0: this thread). Default: 2 when the machine has
   * 2 cores or more (the main thread meanwhile runs Astro's bundling, see `ready`).
   */
  workers?: number;
  /**
   * Return before markdown and examples are made: the context's `ready` settles when they are
   * (`runAstro` waits for it before rendering pages, after bundling). Default true.
   */
  background?: boolean;
  /** Where rule files link to (default: `sourceLinksFor(loaded)`); `ruledex build` passes the configured sources' links. */
  sourceLinks?: SourceLink[];
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
    sourceLinks: options.sourceLinks ?? sourceLinksFor(loaded),
    ...(options.base !== undefined ? { base: options.base } : {}),
    site: options.site ?? null,
    ...(options.title !== undefined ? { title: options.title } : {}),
  });
  timings.model = performance.now() - t;
  t = performance.now();
  const exOpts = options.examples === false ? null : options.examples === true || options.examples === undefined ? {} : options.examples;
  const mdCache = new DiskCache(
    ((dir) => (dir ? join(dir, 'markdown.json') : null))(defaultCacheDir()),
    digestFiles(['views/markdown.ts', 'views/markdown-fast.ts', 'views/highlight.ts', 'views/html.ts'].map((f) => join(SRC_DIR, f))),
  );
  const markdown = (md: string) => trustSanitised(mdCache.get(hashKey(md), () => renderMarkdown(md)));
  const plainText = (md: string) => mdCache.get(textKey(md), () => markdownText(md));
  const examples = new Map<string, SynthesisResult>();
  const context: SiteContext = { model, examples, printed: new Map(), search: null, markdown, markdownText: plainText, saveCaches: () => mdCache.save(), timings };
  const workers = options.workers ?? (availableParallelism() >= 2 ? 2 : 0);
  const work = prepareContent(context, mdCache, exOpts, workers, options.onProgress);
  if (options.background ?? true) {
    // Whoever waits for `ready` sees a failure; nobody waiting (the build failed first) is no crash.
    work.catch(() => undefined);
    context.ready = work;
  } else await work;
  return { context, diagnostics };
}

/**
 * Milliseconds an example may take in a worker before the pool moves it to this thread (a
 * safety net that does not change the output: whether synthesis gives up is decided by its work
 * budget, src/eval/examples/work.ts): about 2 s (RULEDEX_EXAMPLE_DEADLINE_MS overrides the 2 s),
 * stretched by the machine's load beyond its cores.
 */
export function exampleDeadline(env: NodeJS.ProcessEnv = process.env, load = loadavg()[0] ?? 0, cores = availableParallelism()): number {
  const n = Number(env.RULEDEX_EXAMPLE_DEADLINE_MS);
  const base = Number.isFinite(n) && n > 0 ? n : 2000;
  return Math.round(base * Math.min(8, Math.max(1, load / Math.max(1, cores))));
}

/**
 * A markdown task's texts: up to this many characters (a few tens of milliseconds of a worker's
 * time: fewer hand-overs, see `prepareContent`), and at most MD_BATCH texts.
 */
const MD_BATCH_CHARS = 64_000;
const MD_BATCH = 96;
/** Fewer tasks than this are done in this thread. */
const MIN_POOL_TASKS = 64;
/** Rules per print task (about a millisecond each). */
const PRINT_BATCH = 24;

/**
 * What printing a rule in a worker reads of it: the rule without its texts for people (markdown,
 * raw TOML, versions) and the catalog's additions, which parsing and analysing never read and
 * which would only cost copying to the worker.
 */
export function printInput(rule: CatalogRule): Record<string, unknown> {
  const { analysis: _a, similar: _s, rawToml: _r, description: _d, note: _n, setup: _u, versions: _v, references: _f, falsePositives: _p, ...rest } = rule;
  return { ...rest, rawToml: null, description: '', note: null, setup: null, versions: [], references: [], falsePositives: [] };
}

/** Cache key of a markdown text's plain-text form (the HTML form's key is `hashKey(md)`). */
function textKey(md: string): string {
  return hashKey(`text\0${md}`);
}

/**
 * Fills the context's examples and the markdown cache: cached values first, the rest in worker
 * threads, or in this thread when `workers` is 0.
 *
 * Task order: markdown first, in batches, then the examples, ES|QL ones first. The pool hands a
 * worker its next task from this thread, which is busy with Astro's bundling (long synchronous
 * stretches) during the first seconds: a markdown batch keeps a worker busy far longer per
 * hand-over than one example (most take a few milliseconds), and by the time the examples come
 * this thread renders pages, which yields often. The costliest examples (ES|QL) go before the
 * cheap ones so that the last tasks are short and the workers finish together.
 */
async function prepareContent(
  ctx: SiteContext,
  mdCache: DiskCache,
  exOpts: ExamplesOptions | null,
  workers: number,
  onProgress: PrepareOptions['onProgress'],
): Promise<void> {
  const t = performance.now();
  const model = ctx.model;
  const exTasks: PrepTask[] = [];
  const mdTasks: PrepTask[] = [];
  let nextId = 0;
  const exOf = new Map<number, { id: string; key: string }>();
  const mdOf = new Map<number, { texts: string[]; plain: boolean }>();
  const exCache = exOpts ? openExamplesCache(exOpts) : null;
  const used = new Map<string, SynthesisResult>();
  let fresh = 0;
  if (exCache) {
    for (const rule of exampleRules(model)) {
      const key = exampleKey(model, rule);
      const r = exCache.cached[key];
      if (r !== undefined) {
        used.set(key, r);
        if (isDeferredExample(r)) (ctx.deferredExamples ??= new Set()).add(rule.id);
        else ctx.examples.set(rule.id, r);
        continue;
      }
      const id = nextId++;
      exOf.set(id, { id: rule.id, key });
      exTasks.push({ id, kind: 'example', rule: evaluatorRule(rule), now: model.now });
    }
  }
  const texts = new Set<string>();
  const plain = new Set<string>();
  for (const r of model.rules) {
    for (const md of [r.description, r.note, r.setup]) if (md && mdCache.peek(hashKey(md)) === undefined) texts.add(md);
    if (r.description && mdCache.peek(textKey(r.description)) === undefined) plain.add(r.description);
  }
  const list = [...texts];
  for (const [items, isPlain] of [[list, false], [[...plain], true]] as const) {
    for (let i = 0; i < items.length; ) {
      let end = i;
      for (let chars = 0; end < items.length && end - i < MD_BATCH && chars < MD_BATCH_CHARS; end++) chars += (items[end] as string).length;
      const id = nextId++;
      const batch = items.slice(i, end);
      i = end;
      mdOf.set(id, { texts: batch, plain: isPlain });
      mdTasks.push({ id, kind: 'markdown', texts: batch, plain: isPlain });
    }
  }
  const esqlFirst = (task: PrepTask): number => (task.kind === 'example' && task.rule.language === 'esql' ? 0 : 1);
  const tasks: PrepTask[] = [...mdTasks, ...exTasks.sort((a, b) => esqlFirst(a) - esqlFirst(b) || a.id - b.id)];
  // With workers, they also print the rules' queries (parse, print, parse and analyse the printed
  // text: a millisecond or so a rule, which this thread would otherwise spend before each rule
  // page): last, short tasks for the end.
  const printOf = new Map<number, string[]>();
  if (workers > 0 && tasks.length >= MIN_POOL_TASKS) {
    const withQuery = model.rules.filter((r) => r.query !== null && r.language !== null && !ctx.printed.has(r.id));
    for (let i = 0; i < withQuery.length; i += PRINT_BATCH) {
      const batch = withQuery.slice(i, i + PRINT_BATCH);
      const id = nextId++;
      printOf.set(id, batch.map((r) => r.id));
      tasks.push({ id, kind: 'print', rules: batch.map(printInput) });
    }
    ctx.printsInWorkers = printOf.size > 0;
  }
  const byId = (id: string) => model.byId.get(id);
  const runHere = (task: PrepTask): void => {
    // A print task not done: the rule pages print those rules themselves (`printedOf`).
    if (task.kind === 'print') return;
    if (task.kind === 'markdown') {
      for (const md of task.texts) {
        if (task.plain) mdCache.put(textKey(md), markdownText(md));
        else mdCache.put(hashKey(md), renderMarkdown(md));
      }
    }
    else {
      const ex = exOf.get(task.id);
      const rule = ex ? byId(ex.id) : undefined;
      if (!ex || !rule) return;
      const r = synthesiseOne(model, rule);
      used.set(ex.key, isDeferredExample(r) ? DEFERRED_EXAMPLE : r);
      if (isDeferredExample(r)) (ctx.deferredExamples ??= new Set()).add(ex.id);
      else ctx.examples.set(ex.id, r);
      fresh++;
    }
  };
  // A worker takes a second or more to start (TypeScript loader, eval and markdown modules): worth it only for real catalogs.
  if (workers <= 0 || tasks.length < MIN_POOL_TASKS) {
    let done = 0;
    for (const task of tasks) {
      runHere(task);
      onProgress?.('prepare', ++done, tasks.length);
      if (done % 20 === 0) await new Promise((res) => setImmediate(res));
    }
  } else {
    // The load counts the workers about to start (and this thread rendering pages meanwhile):
    // on 2 cores a worker gets about 2/3 of one, and a deadline the machine's idle load sets
    // would stop costly but legitimate syntheses (to run them again here).
    const load = (loadavg()[0] ?? 0) + workers;
    const outcome = await runPrepPool(tasks, { workers, deadlineMs: exampleDeadline(process.env, load), onReply: (d, n) => onProgress?.('prepare', d, n) });
    for (const reply of outcome.replies.values()) {
      if (reply.kind === 'markdown') {
        const m = mdOf.get(reply.id);
        if (!m) continue;
        m.texts.forEach((md, i) => {
          if (m.plain) mdCache.put(textKey(md), reply.html[i] ?? markdownText(md));
          else mdCache.put(hashKey(md), reply.html[i] ?? renderMarkdown(md));
        });
      } else if (reply.kind === 'print') {
        (printOf.get(reply.id) ?? []).forEach((id, i) => {
          const rule = byId(id);
          const parts: PrintParts | undefined = reply.parts[i];
          if (rule && parts && !ctx.printed.has(id)) ctx.printed.set(id, printedRule(rule, parts));
        });
      } else if (reply.kind === 'example') {
        const ex = exOf.get(reply.id);
        if (!ex) continue;
        // Over its work budget (the same on every machine): the page lets the browser make it.
        used.set(ex.key, isDeferredExample(reply.result) ? DEFERRED_EXAMPLE : reply.result);
        if (isDeferredExample(reply.result)) (ctx.deferredExamples ??= new Set()).add(ex.id);
        else ctx.examples.set(ex.id, reply.result);
        fresh++;
      }
    }
    // Tasks past the safety deadline are among the failed ones: run here, to the same result.
    for (const task of outcome.failed) runHere(task);
  }
  exCache?.save(used, fresh);
  ctx.timings.prepare = performance.now() - t;
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
    // Inside Astro's bundle the worker entry is not next to this module: work in this thread.
    workers: 0,
    background: false,
  });
  return prepared.context;
}
