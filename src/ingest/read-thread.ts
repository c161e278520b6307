/**
 * Reading files in a thread of their own (Node edge), so that this thread can decode the files
 * already read while the next ones are read: a few thousand small files cost a few hundred
 * milliseconds of system calls, which otherwise come before any decoding.
 *
 * The reader is a tiny worker (plain JavaScript, no loader needed) that reads the paths with
 * `readFileSync` and posts them in small batches: a file that is UTF-8 without a NUL byte as its
 * text (byte-order mark removed) and sha256 digest, as `toSourceFile` makes them, any other as its
 * bytes (for `toSourceFile` to say what is wrong). The two threads share the work: each takes the
 * next paths from a shared counter (the reader 16 at a time, this thread one), so this thread
 * reads files itself whenever it has nothing to decode (while the reader starts, which takes a
 * good part of 100 ms, and whenever it waits for a batch), and waits only when every path is
 * taken. `read` hands each file to `onFile` in path order. When no worker can be started, or the
 * reader stops delivering, this thread reads the rest.
 *
 * With `stamps`, each file is `stat`ed first and its outcome carries its stamp (size, mtime,
 * ctime; null when it was modified less than `racyMs` before, see src/sources/read.ts).
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** A file's size and times (`fs.Stats` fields), as the build cache records them. */
export interface Stamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * One file as read: its text and digest (a UTF-8 file without a NUL byte), else its bytes, or the
 * error (`code`, else the message) that stopped the read; with stamps, its stamp too.
 */
export type ReadOutcome =
  | { text: string; digest: string; stamp?: Stamp | null }
  | { bytes: Buffer; stamp?: Stamp | null }
  | { error: { code?: string; message: string } };

/** Stamping: files modified less than `racyMs` before being stat'ed get a null stamp. */
export interface StampOptions {
  racyMs: number;
}

/** Files the reader takes at a time: large enough to keep messages few, small enough to start decoding early. */
const BATCH = 16;
/** How long this thread waits for a batch before it reads the files the reader took itself. */
const STALL_MS = 2000;

/** The shared counter's slots: the next path nobody has taken, and the number of batches posted. */
const NEXT = 0;
const POSTED = 1;

/**
 * How one file is read, as JavaScript source: the reader thread runs it, and so does this thread
 * (`readHere`), so both make the same outcome of a file. It uses `statSync`, `readFileSync`,
 * `isUtf8` and `createHash`, which each side provides.
 */
const READ_ONE = `function readOne(path, stamps) {
  try {
    let stamp = null;
    if (stamps) {
      const st = statSync(path);
      stamp = Date.now() - st.mtimeMs > stamps.racyMs ? { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs } : null;
    }
    const buf = readFileSync(path);
    if (buf.indexOf(0) >= 0 || !isUtf8(buf)) return stamps ? { bytes: buf, stamp } : { bytes: buf };
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
    const r = { text: buf.toString('utf8', bom ? 3 : 0), digest: createHash('sha256').update(buf).digest('hex') };
    if (stamps) r.stamp = stamp;
    return r;
  } catch (e) {
    const code = e && typeof e.code === 'string' ? e.code : undefined;
    return { error: code === undefined ? { message: e instanceof Error ? e.message : String(e) } : { code, message: e instanceof Error ? e.message : String(e) } };
  }
}`;

const READER = `
const { parentPort } = require('node:worker_threads');
const { readFileSync, statSync } = require('node:fs');
const { isUtf8 } = require('node:buffer');
const { createHash } = require('node:crypto');
${READ_ONE}
parentPort.on('message', ({ paths, batch, port, shared, stamps }) => {
  for (;;) {
    const start = Atomics.add(shared, ${NEXT}, batch);
    if (start >= paths.length) break;
    const end = Math.min(start + batch, paths.length);
    const out = [];
    for (let i = start; i < end; i++) out.push(readOne(paths[i], stamps));
    port.postMessage({ start, out });
    Atomics.add(shared, ${POSTED}, 1);
    Atomics.notify(shared, ${POSTED});
  }
  port.close();
});
`;

/** `READ_ONE` in this thread: what the reader makes of one file. */
const readHere = new Function('statSync', 'readFileSync', 'isUtf8', 'createHash', `${READ_ONE}\nreturn readOne;`)(statSync, readFileSync, isUtf8, createHash) as (
  path: string,
  stamps: StampOptions | undefined,
) => ReadOutcome;

/** A started reader: `read` streams the files of `paths` (one read at a time). */
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
   * Reads `paths` and calls `onFile(i, outcome)` for each, in order, sharing the reads with the
   * reader (see above); in this thread alone when the reader could not start. `stamps` stats the
   * files first (see above). `share: false` leaves every read to the reader while it delivers
   * (for tests: which thread reads a file does not change what `onFile` gets).
   */
  async read(paths: readonly string[], onFile: (i: number, r: ReadOutcome) => void, options: { share?: boolean; stamps?: StampOptions } = {}): Promise<void> {
    const stamps = options.stamps;
    const w = this.worker;
    const n = paths.length;
    const shared = new Int32Array(new SharedArrayBuffer(8));
    let port: MessagePort | null = null;
    if (w !== null && n > 0) {
      const channel = new MessageChannel();
      try {
        w.postMessage({ paths, batch: BATCH, port: channel.port2, shared, stamps }, [channel.port2]);
        port = channel.port1;
      } catch {
        channel.port1.close();
      }
    }
    /** Files read (by either thread) and not yet handed to `onFile`. */
    const ready = new Map<number, ReadOutcome>();
    let next = 0;
    try {
      while (next < n) {
        const r = ready.get(next);
        if (r !== undefined) {
          ready.delete(next);
          onFile(next, r);
          next++;
          continue;
        }
        if (port !== null) {
          const m = receiveMessageOnPort(port) as { message: { start: number; out: ReadOutcome[] } } | undefined;
          if (m !== undefined) {
            const { start, out } = m.message;
            out.forEach((o, k) => {
              // Bytes arrive as a plain Uint8Array: make it a Buffer again (no copy).
              if (start + k >= next && !ready.has(start + k)) ready.set(start + k, 'bytes' in o ? { ...o, bytes: Buffer.from(o.bytes.buffer, o.bytes.byteOffset, o.bytes.byteLength) } : o);
            });
            continue;
          }
        }
        const i = port === null || options.share !== false ? Atomics.add(shared, NEXT, 1) : n;
        if (i < n) {
          ready.set(i, readHere(paths[i] as string, stamps));
          continue;
        }
        // Every path is taken and the next one is the reader's: wait for its next batch, or
        // read what it took here when it stops delivering.
        const posted = Atomics.load(shared, POSTED);
        if (port === null || Atomics.wait(shared, POSTED, posted, STALL_MS) === 'timed-out') {
          for (let k = next; k < n; k++) if (!ready.has(k)) ready.set(k, readHere(paths[k] as string, stamps));
        }
      }
    } finally {
      port?.close();
    }
  }

  async close(): Promise<void> {
    await this.worker?.terminate().catch(() => 0);
  }
}
