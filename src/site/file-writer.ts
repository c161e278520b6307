/**
 * Writing many files from a thread of its own (Node edge). The site's direct files (one JSON per
 * rule, raw TOML, redirect pages, the Navigator layers, the catalog JSON: about 7,000 files over
 * the corpus) cost this thread more in system calls (mkdir, open, write, close) than in making
 * their text; a writer thread takes the calls, and this thread only hands it the texts, in
 * batches.
 *
 * The writer is a tiny worker (plain JavaScript, no loader needed). Each operation creates the
 * file's folder when it is new and writes (`write`: create or truncate) or appends (`append`) the
 * text. The first failure stops the writer: `finish` rejects with it. When no worker can be
 * started, the files are written in this thread as they come.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One operation: write (create or truncate) or append `text` to the file at `path`. */
interface WriteOp {
  op: 'write' | 'append';
  path: string;
  text: string;
}

/** Operations per message, and characters: few messages, none too large. */
const BATCH_OPS = 128;
const BATCH_CHARS = 2 << 20;

const WRITER = `
const { parentPort } = require('node:worker_threads');
const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const made = new Set();
let failed = null;
parentPort.on('message', (ops) => {
  if (ops === null) {
    parentPort.postMessage(failed);
    return;
  }
  if (failed !== null) return;
  for (const o of ops) {
    try {
      const dir = dirname(o.path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      if (o.op === 'write') writeFileSync(o.path, o.text);
      else appendFileSync(o.path, o.text);
    } catch (e) {
      failed = { path: o.path, message: e instanceof Error ? e.message : String(e) };
      return;
    }
  }
});
`;

export class FileWriter {
  private readonly worker: Worker | null;
  /** The writer thread's own failure (it stopped), if any. */
  private crashed: Error | null = null;
  private batch: WriteOp[] = [];
  private chars = 0;
  /** Folders this thread made, and its first failure (when it writes itself). */
  private readonly made = new Set<string>();
  private failed: { path: string; message: string } | null = null;

  /** Starts the writer thread (or, when none can start, a writer that writes in this thread). */
  constructor(options: { thread?: boolean } = {}) {
    let w: Worker | null = null;
    if (options.thread !== false) {
      try {
        w = new Worker(WRITER, { eval: true });
        // Not what keeps the process alive (a build that fails never calls `finish`).
        w.unref();
        w.on('error', (e) => (this.crashed = e instanceof Error ? e : new Error(String(e))));
      } catch {
        w = null;
      }
    }
    this.worker = w;
  }

  /** Creates (or truncates) the file at `path`, with its folder, and writes `text`. */
  write(path: string, text: string): void {
    this.add({ op: 'write', path, text });
  }

  /** Appends `text` to the file at `path` (created when missing). */
  append(path: string, text: string): void {
    this.add({ op: 'append', path, text });
  }

  /** Waits until every file is written; rejects with the first failure (its path and reason). */
  async finish(): Promise<void> {
    const w = this.worker;
    if (w === null) {
      if (this.failed !== null) throw new Error(`cannot write ${this.failed.path}: ${this.failed.message}`);
      return;
    }
    this.post();
    w.ref();
    const failed = await new Promise<{ path: string; message: string } | null>((resolve, reject) => {
      if (this.crashed !== null) return reject(this.crashed);
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', () => reject(this.crashed ?? new Error('the file writer thread stopped')));
      w.postMessage(null);
    });
    await w.terminate();
    if (failed !== null) throw new Error(`cannot write ${failed.path}: ${failed.message}`);
  }

  private add(o: WriteOp): void {
    if (this.worker === null) {
      if (this.failed !== null) return;
      try {
        const dir = dirname(o.path);
        if (!this.made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          this.made.add(dir);
        }
        if (o.op === 'write') writeFileSync(o.path, o.text);
        else appendFileSync(o.path, o.text);
      } catch (e) {
        this.failed = { path: o.path, message: e instanceof Error ? e.message : String(e) };
      }
      return;
    }
    this.batch.push(o);
    this.chars += o.text.length;
    if (this.batch.length >= BATCH_OPS || this.chars >= BATCH_CHARS) this.post();
  }

  private post(): void {
    if (this.batch.length === 0 || this.worker === null) return;
    this.worker.postMessage(this.batch);
    this.batch = [];
    this.chars = 0;
  }
}
