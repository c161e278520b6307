/**
 * Incremental catalog builds (pure): a content-hash cache in front of the two per-item stages.
 *
 *   decode            per file, keyed by its path and checked by its sha256 digest → the file's
 *                     text and decoded record (plus the file's size and times when the reader
 *                     gave them, so that the next build can skip reading an unchanged file)
 *   parse + analyse   per rule, keyed by the rule's label and id,
 *                     the digests of every file the rule came from, and the digests of the
 *                     detection-rules side files (version lock, deprecations) → the analysis and
 *                     the parse/analysis diagnostics
 *
 * Assembly (TOML documents → rules, markdown merge, slugs) and the corpus counts run over every
 * rule on every build (the counts depend on every rule); within one process, a watch loop passes
 * what its previous build made (`assembled`: rules by decoded document; `counter`: the counts,
 * updated for the rules that changed) so neither starts from nothing. Parses of rules whose analysis came from the cache are made on first `get` (the
 * pages stage asks for them; a watch loop that only needs the JSON never does).
 *
 * Records are never mutated once made: a build that reuses one keeps the same object in the next
 * cache, so the store (`src/sources/cache-store.ts`) can tell by identity which of its shards
 * changed and rewrite only those.
 *
 * `PIPELINE_VERSION` must change whenever decode, the parsers or the analysis change what they
 * produce; a cache written by another version is ignored whole.
 */
import { analyseRule } from '../analysis';
import type { RuleAnalysis } from '../analysis/types';
import { DEFAULT_LABEL, decodeFile, ingest, type IngestInput } from '../ingest/ingest';
import type { AssembleMemo, DecodedFile, IngestOptions, IngestResult, SourceFile } from '../ingest/types';
import { combineIngests } from '../sources/combine';
import { parseRuleQueries } from '../lang/rule-queries';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';
import { completeCatalog, OnDemandParses, type Catalog } from './build';
import type { CorpusCounter } from './corpus-update';

export const PIPELINE_VERSION = 'ruledex-pipeline-3';

export interface CachedAnalysis {
  analysis: RuleAnalysis;
  diagnostics: Diagnostic[];
}

/** A file's size and times when it was read (`fs.Stats` fields), to skip re-reading it. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** What a reader may hand in: a source file, with its stamp when it came from disk. */
export type StampedFile = SourceFile & { stamp?: FileStamp | null };

/** One file as the cache keeps it (by path). */
export interface FileRecord {
  digest: string;
  text: string;
  decoded: DecodedFile | null;
  /** The stamp the file had when `text` was read; null when unknown or too fresh to trust. */
  stamp: FileStamp | null;
}

/** What the cache holds: plain data (see `src/sources/cache-store.ts` for the files on disk). */
export interface BuildCache {
  version: string;
  /** By file path. */
  files: Map<string, FileRecord>;
  /** By `analysisKey`. */
  analyses: Map<string, CachedAnalysis>;
}

export function emptyCache(): BuildCache {
  return { version: PIPELINE_VERSION, files: new Map(), analyses: new Map() };
}

export const sameStamp = (a: FileStamp | null | undefined, b: FileStamp | null | undefined): boolean =>
  a != null && b != null && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

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
  /** The ingest (decode + assemble + merge, sources combined) the catalog was built from. */
  ingested: IngestResult;
  stats: IncrementalStats;
  /** The cache to keep for the next build: only entries this build used (stale ones drop out). */
  cache: BuildCache;
}

function analysisKey(rule: Rule, label: string, digests: ReadonlyMap<string, string>, etcDigest: string): string {
  // The file digests are sha256 already: the key is their concatenation (no hashing needed).
  return [label, rule.id, etcDigest, ...rule.files.map((f) => `${f}@${digests.get(f) ?? '?'}`)].join('\u0000');
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
  input: Omit<IngestInput, 'files'> & { files: readonly StampedFile[] };
}

export interface IncrementalOptions {
  /** Files decoded elsewhere (worker threads), by path: used instead of decoding them here. */
  decoded?: ReadonlyMap<string, DecodedFile | null>;
  onProgress?: (phase: 'decode' | 'analyse', done: number, total: number) => void;
  /** Rules assembled by earlier builds of the same process (see `IngestOptions.assembled`). */
  assembled?: AssembleMemo;
  /** Counts of the previous build of the same process, updated when few rules changed. */
  counter?: CorpusCounter;
}

/** The files of `parts` the cache cannot answer (new, or changed since it was written). */
export function cacheMisses(parts: readonly LabelledInput[], cache: BuildCache): StampedFile[] {
  const prev = cache.version === PIPELINE_VERSION ? cache : emptyCache();
  return parts.flatMap((p) => p.input.files.filter((f) => prev.files.get(f.path)?.digest !== f.digest));
}

/**
 * Several labelled sources: each decoded (through the cache) and ingested with its label, then
 * combined (`combineIngests`: cross-source duplicate ids reported, slugs kept unique), then
 * parsed and analysed through the cache, then counted over every rule.
 */
export function buildSourcesIncremental(parts: readonly LabelledInput[], cache: BuildCache, options: IncrementalOptions = {}): IncrementalResult {
  const prev = cache.version === PIPELINE_VERSION ? cache : emptyCache();
  const next = emptyCache();
  const stats: IncrementalStats = { decoded: 0, decodedFromCache: 0, analysed: 0, analysedFromCache: 0, recomputed: [], ingestMs: 0 };
  const misses = cacheMisses(parts, prev).length;
  const every = Math.max(1, Math.floor(misses / 50));

  const t0 = performance.now();
  const ingestedParts = parts.map(({ label, input }) => {
    const decoded = input.files.map((f) => {
      const old = prev.files.get(f.path);
      let rec: FileRecord;
      if (old && old.digest === f.digest) {
        stats.decodedFromCache++;
        const stamp = f.stamp ?? null;
        // Same content: keep the record (same object) unless the stamp moved.
        rec = (stamp === null && old.stamp === null) || sameStamp(stamp, old.stamp) ? old : { ...old, stamp };
      } else {
        const d = options.decoded?.has(f.path) ? (options.decoded.get(f.path) ?? null) : decodeFile(f);
        stats.decoded++;
        rec = { digest: f.digest, text: f.text, decoded: d, stamp: f.stamp ?? null };
        if (options.onProgress && (stats.decoded % every === 0 || stats.decoded === misses)) options.onProgress('decode', stats.decoded, misses);
      }
      next.files.set(f.path, rec);
      return rec.decoded;
    });
    if (misses === 0) options.onProgress?.('decode', 0, 0);
    return { label, result: ingest({ ...input, decoded }, { label, ...(options.assembled ? { assembled: options.assembled } : {}) }) };
  });
  const ingested = ingestedParts.length === 1 && ingestedParts[0] ? ingestedParts[0].result : combineIngests(ingestedParts);

  const t1 = performance.now();
  const digests = new Map(parts.flatMap((p) => p.input.files.map((f) => [f.path, f.digest] as const)));
  const etcDigest = parts.flatMap((p) => (p.input.etc ?? []).map((e) => `${e.role}:${e.digest}`)).join(',');
  const byId = new Map(ingested.rules.map((r) => [r.id, r]));
  const parsed = new OnDemandParses(byId);
  const diagnostics: Diagnostic[] = [...ingested.diagnostics];
  const keys = ingested.rules.map((rule) => analysisKey(rule, rule.source, digests, etcDigest));
  const toAnalyse = keys.filter((k) => !prev.analyses.has(k)).length;
  const everyRule = Math.max(1, Math.floor(toAnalyse / 50));
  if (toAnalyse === 0) options.onProgress?.('analyse', 0, 0);
  const analysed = ingested.rules.map((rule, i) => {
    const k = keys[i] as string;
    let c = prev.analyses.get(k);
    if (c) stats.analysedFromCache++;
    else {
      const q = parseRuleQueries(rule);
      const r = analyseRule(rule, q);
      c = { analysis: r.analysis, diagnostics: [...q.diagnostics, ...r.diagnostics] };
      stats.analysed++;
      stats.recomputed.push(rule.id);
      if (options.onProgress && (stats.analysed % everyRule === 0 || stats.analysed === toAnalyse)) options.onProgress('analyse', stats.analysed, toAnalyse);
    }
    next.analyses.set(k, c);
    diagnostics.push(...c.diagnostics);
    return { id: rule.id, analysis: c.analysis };
  });

  const t2 = performance.now();
  // parse and analyse run together here; decode + assemble are in `stats.ingestMs`.
  const catalog = completeCatalog(ingested, analysed, diagnostics, parsed, { parse: 0, analyse: t2 - t1 }, options.counter);
  stats.ingestMs = t1 - t0;
  return { catalog, ingested, stats, cache: next };
}

/** 32-bit FNV-1a of a string: which shard of the store a cache entry lives in. */
export function shardOf(key: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}
