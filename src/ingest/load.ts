/**
 * Ingest from directories (Node edge): read the sources, decode them (in worker threads when
 * that pays), then run the pure `ingest`. What the CLI commands and benchmarks call.
 *
 * Without decode workers (the default on machines with fewer than 3 cores), a reader thread
 * reads the files while this thread decodes those already read (`readListedStreaming`).
 */
import { DecodePool, defaultWorkers, workersPay } from './decode-parallel';
import { assembleToml } from './assemble';
import { DEFAULT_LABEL, decodeFile, ingest, type AssembledToml } from './ingest';
import { ReaderThread } from './read-thread';
import { listSources, readListed, readListedStreaming, type ReadSourcesResult } from './read-sources';
import type { DecodedFile, IngestResult } from './types';

export type LoadPhase = 'read' | 'decode' | 'assemble';

export interface LoadOptions {
  /** Source label of every rule (`elastic` by default). */
  label?: string;
  /** Decode worker threads; undefined picks by input size and cores, 0 decodes in this thread. */
  workers?: number;
  onProgress?: (phase: LoadPhase, done: number, total: number) => void;
}

export interface LoadResult {
  result: IngestResult;
  /** What the reader found (files, side files, roots, unreadable source directories). */
  read: ReadSourcesResult;
  /**
   * Milliseconds per phase. When files are decoded as they are read, `decode` is the time spent
   * decoding and `read` the rest of reading (listing, and waiting for the reader).
   */
  timings: { read: number; decode: number; assemble: number };
  /** Decode worker threads started besides this thread (0: everything decoded in this thread; absent: not reported). */
  workers?: number;
}

export async function loadSources(dirs: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  if (options.workers === 0 || (options.workers === undefined && !workersPay())) return loadStreaming(dirs, options);
  const t0 = performance.now();
  const listing = listSources(dirs);
  // Start decode workers now: they load while this thread reads the files.
  const pool = DecodePool.start(options.workers ?? defaultWorkers(listing.rulePaths.filter((p) => p.toLowerCase().endsWith('.md')).length));
  const workers = pool.size;
  let read: ReadSourcesResult;
  let decoded;
  let t1: number;
  try {
    read = await readListed(listing, { onProgress: (d, t) => options.onProgress?.('read', d, t) });
    t1 = performance.now();
    decoded = await pool.decode(read.files, { onProgress: (_phase, d, t) => options.onProgress?.('decode', d, t) });
  } finally {
    void pool.close();
  }
  const t2 = performance.now();
  const result = ingest({ files: read.files, etc: read.etc, diagnostics: read.diagnostics, decoded }, options.label === undefined ? {} : { label: options.label });
  const t3 = performance.now();
  options.onProgress?.('assemble', result.rules.length, result.rules.length);
  return { result, read, timings: { read: t1 - t0, decode: t2 - t1, assemble: t3 - t2 }, workers };
}

/**
 * Reads in a reader thread and decodes in this one as files arrive. Each TOML document is
 * assembled into its rule at once, so the document is garbage while still young.
 */
async function loadStreaming(dirs: readonly string[], options: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  const reader = ReaderThread.start();
  const label = options.label ?? DEFAULT_LABEL;
  const decoded: (DecodedFile | null)[] = [];
  const assembled: (AssembledToml | undefined)[] = [];
  let decodeMs = 0;
  let assembleMs = 0;
  let read: ReadSourcesResult;
  try {
    const listing = listSources(dirs);
    read = await readListedStreaming(listing, reader, {
      onProgress: (d, t) => options.onProgress?.('read', d, t),
      onFile: (file, i) => {
        const t = performance.now();
        const d = decodeFile(file);
        const t1 = performance.now();
        decodeMs += t1 - t;
        if (d?.kind === 'toml') {
          assembled[i] = assembleToml(d, file, { label });
          decoded[i] = null;
          assembleMs += performance.now() - t1;
        } else decoded[i] = d;
      },
    });
  } finally {
    void reader.close();
  }
  options.onProgress?.('decode', read.files.length, read.files.length);
  const t1 = performance.now();
  const result = ingest({ files: read.files, etc: read.etc, diagnostics: read.diagnostics, decoded, assembled }, { label });
  const t2 = performance.now();
  options.onProgress?.('assemble', result.rules.length, result.rules.length);
  return { result, read, timings: { read: t1 - t0 - decodeMs - assembleMs, decode: decodeMs, assemble: t2 - t1 + assembleMs }, workers: 0 };
}
