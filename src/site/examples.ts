/**
 * Example inputs for every evaluable rule (the evaluator island's pre-filled events), made with
 * `synthesizeExamples` at the model's reference time, so the output is deterministic.
 *
 * Synthesis is a search and some rules take seconds, so results are cached on disk, keyed by the
 * rule's evaluated fields, the reference time and a digest of the evaluator and parser sources:
 * a rebuild after editing a few rules only synthesises those. `prepareSite` (prepare.ts) makes the
 * missing ones in worker threads (prep-pool.ts); a rule over the synthesis work budget is left to the browser.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { synthesizeExamples, type SynthesisResult } from '../eval/examples/index';
import { keepEntries } from './cache';
import { evaluatorRule } from '../views/rule-page';
import type { SiteModel } from '../views/site';
import { defaultCacheDir, SRC_DIR } from '../paths';

export interface ExamplesOptions {
  /** Cache file; null disables the cache. Default: `examples.json` in `defaultCacheDir()`. */
  cache?: string | null;
}

const CACHE_VERSION = 1;

function listFiles(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) listFiles(p, out);
    else if (/\.(ts|js)$/.test(n)) out.push(p);
  }
}

/** Digest of the code examples depend on (evaluator, parsers, rule model). */
export function codeDigest(): string {
  const h = createHash('sha256');
  const files: string[] = [];
  for (const d of ['eval', 'lang', 'model']) listFiles(join(SRC_DIR, d), files);
  for (const f of files) {
    h.update(f.slice(SRC_DIR.length));
    h.update('\0');
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

interface CacheFile {
  version: number;
  code: string;
  entries: Record<string, SynthesisResult>;
}

function readCache(path: string, code: string): Record<string, SynthesisResult> {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    if (c.version === CACHE_VERSION && c.code === code && c.entries && typeof c.entries === 'object') return c.entries;
  } catch {
    // No cache, or unreadable: start afresh.
  }
  return {};
}

function writeCache(path: string, code: string, entries: Record<string, SynthesisResult>): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: CACHE_VERSION, code, entries } satisfies CacheFile));
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written only costs time next build.
  }
}

/**
 * The cache's mark for an example the build gave up on (synthesis exceeded its work budget, a
 * count that depends only on the rule): kept so that a rebuild does the same (the page lets the
 * browser make it) instead of trying again.
 */
export const DEFERRED_EXAMPLE: SynthesisResult = { ok: false, reason: 'ruledex: deferred to the browser' };

/** The cache's mark, or a synthesis over its work budget. */
export function isDeferredExample(r: SynthesisResult): boolean {
  return !r.ok && (r.overBudget === true || r.reason === (DEFERRED_EXAMPLE as { reason: string }).reason);
}

/** The rules of a model that get examples (those with a query). */
export function exampleRules(model: SiteModel): SiteModel['rules'] {
  return model.rules.filter((r) => r.query !== null && r.language !== null);
}

/** A rule's example cache key: its evaluated fields and the reference time. */
export function exampleKey(model: SiteModel, rule: SiteModel['rules'][number]): string {
  return createHash('sha256').update(`${model.now}\0${JSON.stringify(evaluatorRule(rule))}`).digest('hex').slice(0, 32);
}

/** The examples cache: what earlier builds made (for this code), and `save` for what this one used. */
export interface ExamplesCache {
  cached: Record<string, SynthesisResult>;
  save(used: ReadonlyMap<string, SynthesisResult>, fresh: number): void;
}

export function openExamplesCache(options: ExamplesOptions = {}): ExamplesCache {
  const dir = defaultCacheDir();
  const cachePath = options.cache === undefined ? (dir ? join(dir, 'examples.json') : null) : options.cache;
  const code = cachePath ? codeDigest() : '';
  const cached = cachePath ? readCache(cachePath, code) : {};
  return {
    cached,
    save(used, fresh) {
      if (cachePath && fresh > 0) writeCache(cachePath, code, keepEntries(used, cached, 5_000));
    },
  };
}

export function synthesiseOne(model: SiteModel, rule: SiteModel['rules'][number]): SynthesisResult {
  try {
    return synthesizeExamples(rule, { now: model.now });
  } catch (e) {
    return { ok: false, reason: `example synthesis failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
