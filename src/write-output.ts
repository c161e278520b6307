/**
 * Writing generated files that are too big to hold as one string (Node edge): the catalog JSON
 * (`ruledex catalog --json`, the site's `catalog.json` and `api/catalog.json`).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file from pieces of text, creating its directory, in blocks of about a megabyte (a
 * catalog is tens of megabytes: joined into one string first, it costs a second copy and the
 * garbage collector's time); returns the bytes written, or an error message.
 */
export function writeOutput(path: string, chunks: Iterable<string>): { bytes: number } | { error: string } {
  let fd: number | null = null;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
    const bytes = writeChunks(fd, chunks);
    return { bytes };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Writes pieces of text to a file descriptor in blocks of about a megabyte; returns the bytes written. */
export function writeChunks(fd: number, chunks: Iterable<string>): number {
  let bytes = 0;
  let block: string[] = [];
  let size = 0;
  const flush = (): void => {
    const buf = Buffer.from(block.join(''), 'utf8');
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    bytes += buf.length;
    block = [];
    size = 0;
  };
  for (const c of chunks) {
    block.push(c);
    size += c.length;
    if (size >= 1 << 20) flush();
  }
  flush();
  return bytes;
}
