/**
 * Reading files in a thread of their own (Node edge), so that this thread can decode the files
 * already read while the next ones are read: a few thousand small files cost a few hundred
 * milliseconds of system calls, which otherwise come before any decoding.
 *
 * The reader is a tiny worker (plain JavaScript, no loader needed) that reads the paths in order
 * with `readFileSync` and posts them in small batches: a file that is UTF-8 without a NUL byte as
 * its text (byte-order mark removed) and sha256 digest, as `toSourceFile` makes them, any other
 * as its bytes (for `toSourceFile` to say what is wrong). `read` hands each file to `onFile` in
 * path order, as it arrives. When no worker can be started, it reads in this thread.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * One file as read: its text and digest (a UTF-8 file without a NUL byte), else its bytes, or the
 * error (`code`, else the message) that stopped the read.
 */
export type ReadOutcome = { text: string; digest: string } | { bytes: Buffer } | { error: { code?: string; message: string } };

/** Files per message: large enough to keep messages few, small enough to start decoding early. */
const BATCH = 16;

const READER = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { isUtf8 } = require('node:buffer');
const { createHash } = require('node:crypto');
parentPort.once('message', ({ paths, batch }) => {
  let out = [];
  for (let i = 0; i < paths.length; i++) {
    try {
      const buf = readFileSync(paths[i]);
      if (buf.indexOf(0) >= 0 || !isUtf8(buf)) out.push({ bytes: buf });
      else {
        const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
        out.push({ text: buf.toString('utf8', bom ? 3 : 0), digest: createHash('sha256').update(buf).digest('hex') });
      }
    } catch (e) {
      out.push({ error: { code: e && typeof e.code === 'string' ? e.code : undefined, message: e instanceof Error ? e.message : String(e) } });
    }
    if (out.length >= batch || i === paths.length - 1) {
      parentPort.postMessage(out);
      out = [];
    }
  }
  parentPort.postMessage(null);
});
`;

function outcome(path: string): ReadOutcome {
  try {
    return { bytes: readFileSync(path) };
  } catch (e) {
    const code = e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
    return { error: { ...(code ? { code } : {}), message: e instanceof Error ? e.message : String(e) } };
  }
}

/** A started reader: `read` streams the files of `paths` (call it once). */
export class ReaderThread {
  private readonly worker: Worker | null;

  private constructor() {
    let w: Worker | null = null;
    try {
      w = new Worker(READER, { eval: true });
      w.unref();
    } catch {
      w = null;
    }
    this.worker = w;
  }

  /** Starts the reader now (it loads while the caller lists the files). */
  static start(): ReaderThread {
    return new ReaderThread();
  }

  /**
   * Reads `paths` and calls `onFile(i, outcome)` for each, in order. In this thread when the
   * reader could not start or stopped (the files it had not delivered are read here).
   */
  async read(paths: readonly string[], onFile: (i: number, r: ReadOutcome) => void): Promise<void> {
    const w = this.worker;
    let next = 0;
    if (w !== null && paths.length > 0) {
      await new Promise<void>((resolve) => {
        const finish = (): void => {
          w.off('message', onMessage);
          w.off('error', finish);
          w.off('exit', finish);
          resolve();
        };
        const onMessage = (batch: ReadOutcome[] | null): void => {
          if (batch === null) return finish();
          for (const r of batch) {
            // Bytes arrive as a plain Uint8Array: make it a Buffer again (no copy).
            onFile(next, 'bytes' in r ? { bytes: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) } : r);
            next++;
          }
        };
        w.on('message', onMessage);
        w.once('error', finish);
        w.once('exit', finish);
        w.postMessage({ paths, batch: BATCH });
      });
    }
    for (; next < paths.length; next++) onFile(next, outcome(paths[next] as string));
  }

  async close(): Promise<void> {
    await this.worker?.terminate().catch(() => 0);
  }
}
