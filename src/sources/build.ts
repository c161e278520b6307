/**
 * The configured sources → catalog, incrementally (Node edge). What `ruledex build`, `ruledex
 * catalog` and the `ruledex dev` watch loop call:
 *
 *   const builder = new SourcesBuilder(opts.sources, { cacheDir });
 *   const { catalog, loaded, stats } = await builder.build();   // again after a change
 *
 * Each source is listed by its kind (`src/sources/read.ts`); sources with the same label (several
 * `--source DIR`s) form one ingest, so markdown pages merge with their TOML rules as in a plain
 * ingest; different labels are combined (`combineIngests`). Files are read through the cache's
 * stamps (an unchanged file is not even opened), then built through the content-hash cache
 * (`buildSourcesIncremental`: only new or changed files decoded, only their rules parsed and
 * analysed; corpus counts over every rule). The cache lives in memory between builds of one
 * builder, and in its store folder (`storeDir(cacheDir, sources)`) between processes;
 * `cacheDir: null` keeps it in memory only.
 */
import { CorpusCounter } from '../catalog/corpus-update';
import { buildSourcesIncremental, cacheMisses, emptyCache, type BuildCache, type IncrementalResult, type LabelledInput, type StampedFile } from '../catalog/cache';
import type { ResolvedSource } from '../config/schema';
import { decodeParallel, workersPay } from '../ingest/decode-parallel';
import { decodeFile } from '../ingest/ingest';
import { ReaderThread } from '../ingest/read-thread';
import type { LoadResult } from '../ingest/load';
import type { ReadSourcesResult } from '../ingest/read-sources';
import type { AssembleMemo, DecodedFile } from '../ingest/types';
import { CacheStore, storeDir, type SaveStats } from './cache-store';
import { listSource, readListing, readListingStreaming, type SourceRead } from './read';

export type BuildPhase = 'read' | 'decode' | 'analyse';

export interface BuildOptions {
  /** Folder of the build cache; null: no cache on disk. */
  cacheDir: string | null;
  /** Decode worker threads for the files the cache misses (default: by their number and the cores). */
  workers?: number;
}

export interface SourcesBuild extends IncrementalResult {
  /** The ingest, in the shape the site and the summary take (`read` lists every source's files). */
  loaded: LoadResult;
  /** Source folders that could not be read at all (the build went on without them). */
  unreadable: { dir: string; reason: string }[];
  /** Files taken from the cache without being opened. */
  skipped: number;
  /** What the save wrote (null without a cache folder). */
  saved: SaveStats | null;
  /** Milliseconds: listing and reading, loading the cache, decoding misses in workers, building, saving the cache. */
  timings: { read: number; loadCache: number; decode: number; build: number; saveCache: number };
}

/** Sources grouped by label, in order of first appearance. */
function byLabel(sources: readonly ResolvedSource[]): { label: string; sources: ResolvedSource[] }[] {
  const groups: { label: string; sources: ResolvedSource[] }[] = [];
  for (const s of sources) {
    const g = groups.find((x) => x.label === s.label);
    if (g) g.sources.push(s);
    else groups.push({ label: s.label, sources: [s] });
  }
  return groups;
}

export class SourcesBuilder {
  private cache: BuildCache | null = null;
  private readonly store: CacheStore | null;
  /** Rules assembled by this builder's builds, by decoded document: unchanged files are not assembled again. */
  private readonly assembled: AssembleMemo = new WeakMap();
  /** The corpus counts of this builder's last build, updated when few rules changed. */
  private readonly counter = new CorpusCounter();

  constructor(
    readonly sources: readonly ResolvedSource[],
    readonly options: BuildOptions,
  ) {
    this.store = options.cacheDir === null ? null : new CacheStore(storeDir(options.cacheDir, sources));
  }

  /** The store folder (null without a cache folder). */
  get storeDir(): string | null {
    return this.store?.dir ?? null;
  }

  async build(onProgress?: (phase: BuildPhase, done: number, total: number) => void): Promise<SourcesBuild> {
    const t0 = performance.now();
    const cache = this.cache ?? this.store?.load() ?? emptyCache();
    const t1 = performance.now();
    const parts: LabelledInput[] = [];
    const read: ReadSourcesResult = { files: [], etc: [], roots: [], diagnostics: [], unreadable: [] };
    let skipped = 0;
    // A cold build (no cache) without decode workers (machines with few cores): a reader thread
    // reads the files while this thread decodes each as it arrives. With a cache, most files are
    // only stat'ed, which this thread does faster alone (the watch loop's rebuilds).
    const streaming = cache.files.size === 0 && (this.options.workers === 0 || (this.options.workers === undefined && !workersPay()));
    const reader = streaming ? ReaderThread.start() : null;
    const decoded = new Map<string, DecodedFile | null>();
    let decodeMs = 0;
    const decodeNow = (f: StampedFile): void => {
      const t = performance.now();
      decoded.set(f.path, decodeFile(f));
      decodeMs += performance.now() - t;
    };
    try {
      for (const group of byLabel(this.sources)) {
        const part = { files: [] as LabelledInput['input']['files'][number][], etc: [] as ReadSourcesResult['etc'], diagnostics: [] as ReadSourcesResult['diagnostics'] };
        for (const source of group.sources) {
          const r: SourceRead = reader ? await readListingStreaming(listSource(source), reader, decodeNow) : readListing(listSource(source), cache.files);
          part.files.push(...r.files);
          part.etc.push(...r.etc);
          part.diagnostics.push(...r.diagnostics);
          read.roots.push(...r.roots);
          read.unreadable.push(...r.unreadable);
          skipped += r.skipped;
        }
        read.files.push(...part.files);
        read.etc.push(...part.etc);
        read.diagnostics.push(...part.diagnostics);
        parts.push({ label: group.label, input: part });
      }
    } finally {
      void reader?.close();
    }
    onProgress?.('read', read.files.length, read.files.length);
    const t2 = performance.now();
    const misses = cacheMisses(parts, cache).filter((f) => !decoded.has(f.path));
    if (decoded.size > 0) onProgress?.('decode', decoded.size, decoded.size);
    if (misses.length > 0 && this.options.workers !== 0) {
      const out = await decodeParallel(misses, {
        ...(this.options.workers === undefined ? {} : { workers: this.options.workers }),
        onProgress: (_phase, d, t) => onProgress?.('decode', d, t),
      });
      misses.forEach((f, i) => decoded.set(f.path, out[i] ?? null));
    }
    const t3 = performance.now();
    const built = buildSourcesIncremental(parts, cache, { ...(decoded.size > 0 ? { decoded } : {}), ...(onProgress ? { onProgress } : {}), assembled: this.assembled, counter: this.counter });
    const t4 = performance.now();
    this.cache = built.cache;
    const saved = this.store ? this.store.save(built.cache) : null;
    const t5 = performance.now();
    const loaded: LoadResult = { result: built.ingested, read, timings: { read: t2 - t1 - decodeMs, decode: t3 - t2 + decodeMs, assemble: built.stats.ingestMs } };
    return {
      ...built,
      loaded,
      unreadable: read.unreadable,
      skipped,
      saved,
      timings: { read: t2 - t1 - decodeMs, loadCache: t1 - t0, decode: t3 - t2 + decodeMs, build: t4 - t3, saveCache: t5 - t4 },
    };
  }
}

/** One build of `sources` through the cache in `cacheDir` (see `SourcesBuilder`). */
export async function buildFromSources(sources: readonly ResolvedSource[], options: BuildOptions): Promise<SourcesBuild> {
  return new SourcesBuilder(sources, options).build();
}
