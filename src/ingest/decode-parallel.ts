/**
 * Parallel decoding (Node edge): the same pure `decodeFile`, spread over worker threads.
 *
 * A `DecodePool` starts its workers before there is work (so that their start-up, loading the
 * TypeScript loader and the decoders, overlaps with reading the files), then decodes one batch.
 * Markdown pages (remark: the costly decoder, small texts, small results) are cut into chunks in a
 * double-ended queue in shared memory; workers take chunks from the front. This thread decodes
 * the TOML files (js-toml: large texts and results that would cost as much to copy between
 * threads as to decode), then takes markdown chunks from the back until the queue is empty. A
 * chunk a worker took but never delivered (it crashed or could not start) is decoded here at the
 * end: the result is always complete, and always the same as `decodeFiles`.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BACK, FRONT, WORKER_DONE, takeChunk, type WorkerInput, type WorkerMessage } from './chunk-queue';
import { decodeFile, decodeFiles, type IngestHooks } from './ingest';
import { workerUrl } from '../paths';
import type { DecodedFile, SourceFile } from './types';

export { takeChunk, type WorkerInput, type WorkerMessage } from './chunk-queue';

export interface ParallelStats {
  /** Chunks decoded by workers, by this thread, and by this thread for a worker that did not deliver. */
  workerChunks: number;
  mainChunks: number;
  recoveredChunks: number;
  /** Workers that reported an error (could not start or crashed). */
  workerErrors: string[];
}

export interface ParallelOptions extends IngestHooks {
  /** Worker threads to start; 0 decodes in this thread. Default: `defaultWorkers(files)`. */
  workers?: number;
  /** Filled in with who decoded what. */
  stats?: ParallelStats;
}

/**
 * Workers worth starting for `markdownCount` pages: none for a few dozen pages, none on machines
 * with fewer than 3 cores (measured on a shared 2-core machine: a worker takes 0.5 s to start
 * and competes with this thread, so the whole ingest got slower, not faster), else one fewer than
 * the cores, at most 3. `--workers N` overrides this.
 */
export function defaultWorkers(markdownCount: number, cores = availableParallelism()): number {
  if (markdownCount < 60 || !workersPay(cores)) return 0;
  return Math.min(3, cores - 1);
}

/** Whether decode workers can pay on a machine with `cores` cores, whatever the input. */
export function workersPay(cores = availableParallelism()): boolean {
  return cores >= 3;
}

const MD_CHUNK = 8;
/** TOML files this thread decodes between progress reports. */
const TOML_CHUNK = 32;

interface PoolWorker {
  worker: Worker;
  /** Set when the worker failed or exited. */
  gone: string | null;
  /** Settles once the worker has loaded its decoder (or is gone). */
  loaded: Promise<void>;
}

export class DecodePool {
  private readonly workers: PoolWorker[] = [];

  private constructor(count: number) {
    const boot = workerUrl('decode-worker');
    for (let i = 0; i < count; i++) {
      try {
        const worker = new Worker(boot);
        let settle = (): void => undefined;
        const entry: PoolWorker = { worker, gone: null, loaded: new Promise<void>((r) => (settle = r)) };
        const onLoaded = (m: WorkerMessage): void => {
          if (m.chunk !== -2) return;
          worker.off('message', onLoaded);
          settle();
        };
        worker.on('message', onLoaded);
        worker.on('error', (e) => {
          entry.gone = e instanceof Error ? e.message : String(e);
          settle();
        });
        worker.on('exit', () => {
          entry.gone ??= 'exited';
          settle();
        });
        this.workers.push(entry);
      } catch {
        // No worker: the main thread does the work.
      }
    }
  }

  /** Starts `count` workers now; they wait for `decode`. */
  static start(count: number): DecodePool {
    return new DecodePool(Math.max(0, count));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Settles once every worker has loaded its decoder or is gone (decoding need not wait for it). */
  async loaded(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.loaded));
  }

  /** Decodes `files` with the pool's workers and this thread. Call once. */
  async decode(files: readonly SourceFile[], options: ParallelOptions = {}): Promise<(DecodedFile | null)[]> {
    const live = this.workers.filter((w) => w.gone === null);
    const isMd = (f: SourceFile): boolean => f.path.toLowerCase().endsWith('.md');
    const mdIndex = [...files.keys()].filter((i) => isMd(files[i]!));
    if (live.length === 0 || mdIndex.length === 0) return decodeFiles(files, options);
    const stats = options.stats;
    const out: (DecodedFile | null)[] = new Array<DecodedFile | null>(files.length).fill(null);

    // Workers get the markdown pages only (copying every TOML text to a worker would cost more
    // than it saves) and take chunks from the front; this thread decodes the TOML, then takes
    // markdown chunks from the back.
    const pages = mdIndex.map((i) => files[i]!);
    const chunks: [number, number][] = [];
    for (let i = 0; i < pages.length; i += MD_CHUNK) chunks.push([i, Math.min(pages.length, i + MD_CHUNK)]);
    const queue = new Int32Array(new SharedArrayBuffer(4 * 4));
    queue[FRONT] = 0;
    queue[BACK] = chunks.length;
    const results: ((DecodedFile | null)[] | undefined)[] = new Array(chunks.length);
    const job: WorkerInput = { files: pages, chunks, queue };

    const finished = live.map(
      (w) =>
        new Promise<void>((resolve) => {
          const done = (): void => {
            w.worker.off('message', onMessage);
            resolve();
          };
          const onMessage = (m: WorkerMessage): void => {
            if (m.chunk === -2) return;
            if (m.chunk < 0) return done();
            results[m.chunk] = m.records;
            if (stats) stats.workerChunks++;
            const [s, e] = chunks[m.chunk]!;
            Atomics.add(queue, WORKER_DONE, e - s);
          };
          w.worker.on('message', onMessage);
          w.worker.once('error', (e) => {
            stats?.workerErrors.push(e instanceof Error ? e.message : String(e));
            done();
          });
          w.worker.once('exit', done);
          w.worker.postMessage(job);
        }),
    );

    let mine = 0;
    const report = (): void => options.onProgress?.('decode', Math.min(files.length, mine + Atomics.load(queue, WORKER_DONE)), files.length);
    const every = Math.max(1, TOML_CHUNK);
    let k = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      if (isMd(f)) continue;
      out[i] = decodeFile(f);
      mine++;
      if (++k % every === 0) {
        if (stats) stats.mainChunks++;
        report();
        // Let worker messages in now and then, so their records are taken in while we work.
        if (k % (every * 8) === 0) await new Promise<void>((r) => setImmediate(r));
      }
    }
    for (let c = takeChunk(queue, 'back'); c >= 0; c = takeChunk(queue, 'back')) {
      const [s, e] = chunks[c]!;
      results[c] = pages.slice(s, e).map((f) => decodeFile(f));
      mine += e - s;
      if (stats) stats.mainChunks++;
      report();
    }
    await Promise.all(finished);
    chunks.forEach(([s, e], c) => {
      let recs = results[c];
      if (!recs) {
        // A worker took this chunk and did not deliver it.
        recs = pages.slice(s, e).map((f) => decodeFile(f));
        mine += e - s;
        if (stats) stats.recoveredChunks++;
      }
      recs.forEach((r, j) => {
        out[mdIndex[s + j]!] = r;
      });
    });
    report();
    return out;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate().catch(() => 0)));
  }
}

/** Decodes `files` in `options.workers` worker threads plus this one (a pool for one batch). */
export async function decodeParallel(files: readonly SourceFile[], options: ParallelOptions = {}): Promise<(DecodedFile | null)[]> {
  const workers = options.workers ?? defaultWorkers(files.filter((f) => f.path.toLowerCase().endsWith('.md')).length);
  if (workers <= 0) return decodeFiles(files, options);
  const pool = DecodePool.start(workers);
  try {
    return await pool.decode(files, options);
  } finally {
    await pool.close();
  }
}
