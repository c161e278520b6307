/**
 * The configured sources → catalog, incrementally (Node edge). What `ruledex build` (and a
 * future `ruledex dev` watch loop) calls:
 *
 *   const { catalog, stats } = await buildFromSources(opts.sources, { cacheDir: opts.cacheDir });
 *
 * Reads each source directory, builds through the content-hash cache in `<cacheDir>/catalog-cache.json`
 * (only new or changed files are decoded, only their rules parsed and analysed; corpus counts
 * over every rule), and writes the cache back. `cacheDir: null` builds cold without a cache.
 */
import { buildSourcesIncremental, emptyCache, type BuildCache, type IncrementalResult } from '../catalog/cache';
import type { ResolvedSource } from '../config/schema';
import { readSources, type ReadSourcesResult } from '../ingest/read-sources';
import { loadBuildCache, saveBuildCache } from './cache-store';

export interface SourcesBuild extends IncrementalResult {
  /** What the reader found in each source, in order. */
  reads: { source: ResolvedSource; read: ReadSourcesResult }[];
  /** Milliseconds: reading sources, loading the cache, building, saving the cache. */
  timings: { read: number; loadCache: number; build: number; saveCache: number };
}

export async function buildFromSources(sources: readonly ResolvedSource[], options: { cacheDir: string | null; cache?: BuildCache }): Promise<SourcesBuild> {
  const t0 = performance.now();
  const reads: SourcesBuild['reads'] = [];
  for (const source of sources) reads.push({ source, read: await readSources([source.dir]) });
  const t1 = performance.now();
  const cache = options.cache ?? (options.cacheDir === null ? emptyCache() : loadBuildCache(options.cacheDir));
  const t2 = performance.now();
  const built = buildSourcesIncremental(
    reads.map(({ source, read }) => ({ label: source.label, input: { files: read.files, etc: read.etc, diagnostics: read.diagnostics } })),
    cache,
  );
  const t3 = performance.now();
  if (options.cacheDir !== null) saveBuildCache(options.cacheDir, built.cache);
  const t4 = performance.now();
  return { ...built, reads, timings: { read: t1 - t0, loadCache: t2 - t1, build: t3 - t2, saveCache: t4 - t3 } };
}
