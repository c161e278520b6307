/**
 * Incremental catalog builds (pure): a content-hash cache in front of the two per-item stages.
 *
 *   decode            per file, keyed by `path + sha256 digest` → the decoded record
 *   parse + analyse   per rule, keyed by the rule's label and id,
 *                     the digests of every file the rule came from, and the digests of the
 *                     detection-rules side files (version lock, deprecations) → the analysis and
 *                     the parse/analysis diagnostics
 *
 * Assembly (TOML documents → rules, markdown merge, slugs) and the corpus counts run over every
 * rule on every build: they are cheap next to decoding and parsing, and the counts depend on
 * every rule. Parses of rules whose analysis came from the cache are made on first `get` (the
 * pages stage asks for them; a watch loop that only needs the JSON never does).
 *
 * `PIPELINE_VERSION` must change whenever decode, the parsers or the analysis change what they
 * produce; a cache written by another version is ignored whole.
 */
import { analyseRule } from '../analysis';
import type { RuleAnalysis } from '../analysis/types';
import { DEFAULT_LABEL, decodeFile, ingest, type IngestInput } from '../ingest/ingest';
import type { DecodedFile, IngestOptions, SourceFile } from '../ingest/types';
import { combineIngests } from '../sources/combine';
import { parseRuleQueries, type RuleQueries } from '../lang/rule-queries';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';
import type { Catalog, CatalogRule } from './build';
import { buildCorpusIndex } from './corpus';

export const PIPELINE_VERSION = 'ruledex-pipeline-1';

export interface CachedAnalysis {
  analysis: RuleAnalysis;
  diagnostics: Diagnostic[];
}

/** What the cache holds; plain data, so it is written as JSON (see `src/sources/cache-store.ts`). */
export interface BuildCache {
  version: string;
  decoded: Map<string, DecodedFile | null>;
  analyses: Map<string, CachedAnalysis>;
}

export function emptyCache(): BuildCache {
  return { version: PIPELINE_VERSION, decoded: new Map(), analyses: new Map() };
}

export interface IncrementalStats {
  decoded: number;
  decodedFromCache: number;
  analysed: number;
  analysedFromCache: number;
  /** Ids of the rules parsed and analysed in this build. */
  recomputed: string[];
  /** Milliseconds spent decoding (or fetching from the cache) and assembling. */
  ingestMs: number;
}

export interface IncrementalResult {
  catalog: Catalog;
  stats: IncrementalStats;
  /** The cache to keep for the next build: only entries this build used (stale ones drop out). */
  cache: BuildCache;
}

const decodeKey = (f: SourceFile): string => `${f.digest}:${f.path}`;

function analysisKey(rule: Rule, label: string, digests: ReadonlyMap<string, string>, etcDigest: string): string {
  // The file digests are sha256 already: the key is their concatenation (no hashing needed).
  return [label, rule.id, etcDigest, ...rule.files.map((f) => `${f}@${digests.get(f) ?? '?'}`)].join('\u0000');
}

/** Parses on demand for rules whose analysis came from the cache. */
class LazyParses extends Map<string, RuleQueries> {
  constructor(private readonly rules: ReadonlyMap<string, Rule>) {
    super();
  }
  override get(id: string): RuleQueries | undefined {
    const have = super.get(id);
    if (have !== undefined) return have;
    const rule = this.rules.get(id);
    if (!rule) return undefined;
    const q = parseRuleQueries(rule);
    this.set(id, q);
    return q;
  }
  override has(id: string): boolean {
    return super.has(id) || this.rules.has(id);
  }
}

/**
 * Builds the catalog like `ingest` + `buildCatalog`, reusing `cache` for unchanged files and
 * rules. The catalog equals a cold build's (same rules, analyses, counts, diagnostics).
 */
export function buildCatalogIncremental(input: IngestInput, cache: BuildCache, options: IngestOptions = {}): IncrementalResult {
  return buildSourcesIncremental([{ label: options.label ?? DEFAULT_LABEL, input }], cache);
}

export interface LabelledInput {
  label: string;
  input: IngestInput;
}

/**
 * Several labelled sources: each decoded (through the cache) and ingested with its label, then
 * combined (`combineIngests`: cross-source duplicate ids reported, slugs kept unique), then
 * parsed and analysed through the cache, then counted over every rule.
 */
export function buildSourcesIncremental(parts: readonly LabelledInput[], cache: BuildCache): IncrementalResult {
  const prev = cache.version === PIPELINE_VERSION ? cache : emptyCache();
  const next = emptyCache();
  const stats: IncrementalStats = { decoded: 0, decodedFromCache: 0, analysed: 0, analysedFromCache: 0, recomputed: [], ingestMs: 0 };

  const t0 = performance.now();
  const ingestedParts = parts.map(({ label, input }) => {
    const decoded = input.files.map((f) => {
      const k = decodeKey(f);
      let d = prev.decoded.get(k);
      if (d === undefined && !prev.decoded.has(k)) {
        d = decodeFile(f);
        stats.decoded++;
      } else stats.decodedFromCache++;
      next.decoded.set(k, d ?? null);
      return d ?? null;
    });
    return { label, result: ingest({ ...input, decoded }, { label }) };
  });
  const ingested = ingestedParts.length === 1 && ingestedParts[0] ? ingestedParts[0].result : combineIngests(ingestedParts);

  const t1 = performance.now();
  const digests = new Map(parts.flatMap((p) => p.input.files.map((f) => [f.path, f.digest] as const)));
  const etcDigest = parts.flatMap((p) => (p.input.etc ?? []).map((e) => `${e.role}:${e.digest}`)).join(',');
  const byId = new Map(ingested.rules.map((r) => [r.id, r]));
  const parsed = new LazyParses(byId);
  const diagnostics: Diagnostic[] = [...ingested.diagnostics];
  const analysed = ingested.rules.map((rule) => {
    const k = analysisKey(rule, rule.source, digests, etcDigest);
    let c = prev.analyses.get(k);
    if (c) stats.analysedFromCache++;
    else {
      const q = parseRuleQueries(rule);
      parsed.set(rule.id, q);
      const r = analyseRule(rule, q);
      c = { analysis: r.analysis, diagnostics: [...q.diagnostics, ...r.diagnostics] };
      stats.analysed++;
      stats.recomputed.push(rule.id);
    }
    next.analyses.set(k, c);
    diagnostics.push(...c.diagnostics);
    return { id: rule.id, analysis: c.analysis };
  });

  const t2 = performance.now();
  const index = buildCorpusIndex(analysed);
  const t3 = performance.now();
  const rules: CatalogRule[] = ingested.rules.map((rule, i) => {
    const c = index.rules[i];
    return { ...rule, analysis: c?.analysis ?? (analysed[i] as { analysis: RuleAnalysis }).analysis, similar: c?.similar ?? [] };
  });
  const catalog: Catalog = {
    rules,
    diagnostics: diagnostics.sort(compareDiagnostics),
    fields: index.fields,
    indicators: index.indicators,
    stats: index.stats,
    attackRedirects: ingested.attackRedirects,
    parsed,
    // parse and analyse run together here; decode + assemble are in `stats.ingestMs`.
    timings: { parse: 0, analyse: t2 - t1, counts: t3 - t2 },
  };
  stats.ingestMs = t1 - t0;
  return { catalog, stats, cache: next };
}

/** The cache as JSON text (Maps as objects). */
export function serializeCache(cache: BuildCache): string {
  return JSON.stringify({ version: cache.version, decoded: Object.fromEntries(cache.decoded), analyses: Object.fromEntries(cache.analyses) });
}

/** Reads `serializeCache` output; an unreadable or other-version cache gives an empty one. */
export function deserializeCache(text: string): BuildCache {
  try {
    const v = JSON.parse(text) as { version?: unknown; decoded?: Record<string, DecodedFile | null>; analyses?: Record<string, CachedAnalysis> };
    if (v.version !== PIPELINE_VERSION || typeof v.decoded !== 'object' || typeof v.analyses !== 'object' || !v.decoded || !v.analyses) return emptyCache();
    return { version: PIPELINE_VERSION, decoded: new Map(Object.entries(v.decoded)), analyses: new Map(Object.entries(v.analyses)) };
  } catch {
    return emptyCache();
  }
}
