/**
 * Access to the real data in `../shared` for corpus tests. The data is read at run time and
 * never copied into the project; when it is absent, corpus tests skip with a clear message.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as parseToml } from 'js-toml';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const sharedRoot = resolve(process.env.RULEDEX_SHARED ?? join(projectRoot, '..', 'shared'));
export const rulesRoot = join(sharedRoot, 'corpus', 'elastic-detection-rules');
export const docsRoot = join(sharedRoot, 'corpus', 'elastic-security-docs');
export const seedsRoot = join(sharedRoot, 'seeds');
export const attackBundle = join(sharedRoot, 'attack', 'enterprise-attack-17.1-subset.json');

export const hasShared = existsSync(rulesRoot) && existsSync(docsRoot);
export const SHARED_MISSING = `../shared is absent (looked in ${sharedRoot}): corpus tests are skipped. Set RULEDEX_SHARED to the shared folder to run them.`;
if (!hasShared) console.warn(SHARED_MISSING);

export function walk(dir: string, ext: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (name.endsWith(ext)) out.push(p);
    }
  };
  visit(dir);
  return out;
}

export interface CorpusQuery {
  /** Path relative to the detection-rules checkout, e.g. `rules/windows/x.toml`. */
  file: string;
  ruleId: string;
  name: string;
  type: string;
  language: string;
  query: string;
  /** `query` or `threat_query`. */
  key: 'query' | 'threat_query';
}

let cache: CorpusQuery[] | null = null;

/** Every query string of the corpus TOML (`query` and `threat_query`), decoded with js-toml. */
export function corpusQueries(): CorpusQuery[] {
  if (cache) return cache;
  const out: CorpusQuery[] = [];
  for (const sub of ['rules', 'rules_building_block']) {
    for (const path of walk(join(rulesRoot, sub), '.toml')) {
      const doc = parseToml(readFileSync(path, 'utf8')) as { rule?: Record<string, unknown> };
      const rule = doc.rule ?? {};
      const file = path.slice(rulesRoot.length + 1);
      const base = { file, ruleId: String(rule.rule_id), name: String(rule.name), type: String(rule.type) };
      if (typeof rule.query === 'string' && typeof rule.language === 'string') {
        out.push({ ...base, language: rule.language, query: rule.query, key: 'query' });
      }
      if (typeof rule.threat_query === 'string') {
        out.push({ ...base, language: String(rule.threat_language ?? 'kuery'), query: rule.threat_query, key: 'threat_query' });
      }
    }
  }
  cache = out;
  return out;
}

/** Deterministic PRNG (mulberry32) for seeded fuzz tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deep copy of an AST without its `loc` properties, for round-trip comparisons. */
export function stripLocs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'loc' ? undefined : v))) as T;
}

/**
 * `items.map(fn)` that hands the event loop back every `every` items: a corpus-wide loop can run
 * for a minute on a loaded machine, and a worker that never yields misses vitest's RPC calls.
 */
export async function mapYielding<T, R>(items: readonly T[], fn: (item: T) => R, every = 20): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) {
    out.push(fn(items[i] as T));
    if ((i + 1) % every === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}
