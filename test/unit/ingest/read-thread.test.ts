/**
 * The reader thread: files come in path order, with their bytes or the reason they could not be
 * read; reading through it gives what reading in this thread gives, and `loadSources`, which
 * decodes as files arrive, gives what reading first and decoding after gives.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual as isEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFiles, ingest } from '../../../src/ingest/ingest';
import { loadSources } from '../../../src/ingest/load';
import { listSources, readListed, readListedStreaming, toSourceFile } from '../../../src/ingest/read-sources';
import { ReaderThread, type ReadOutcome } from '../../../src/ingest/read-thread';
import { projectRoot } from '../../helpers/shared';

const dirs = [join(projectRoot, 'content'), join(projectRoot, 'test', 'fixtures')];
const tmp = mkdtempSync(join(tmpdir(), 'ruledex-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('ReaderThread', () => {
  // Either thread may read a file; `share: false` leaves them all to the reader thread.
  it.each([true, false])('reads paths in order: text and digest as toSourceFile makes them, bytes when not UTF-8 text, or the error code (share %s)', async (share) => {
    const paths: string[] = [];
    for (let i = 0; i < 40; i++) {
      const p = join(tmp, `f${i}.txt`);
      writeFileSync(p, `${i === 3 ? '\ufeff' : ''}file ${i} ${'x'.repeat(i * 300)} é`);
      paths.push(p);
    }
    writeFileSync(join(tmp, 'nul.bin'), Buffer.from([0x61, 0, 0x62]));
    writeFileSync(join(tmp, 'latin1.txt'), Buffer.from([0x63, 0xe9, 0x0a]));
    paths.splice(17, 0, join(tmp, 'missing.txt'));
    paths.splice(5, 0, join(tmp, 'nul.bin'), join(tmp, 'latin1.txt'));
    const seen: [number, ReadOutcome][] = [];
    const reader = ReaderThread.start();
    await reader.read(paths, (i, r) => seen.push([i, r]), { share });
    await reader.close();
    expect(seen.map(([i]) => i)).toEqual(paths.map((_, i) => i));
    const kinds = seen.map(([, r]) => ('text' in r ? 'text' : 'bytes' in r ? 'bytes' : 'error' in r ? `error ${r.error.code}` : 'unchanged'));
    expect(kinds.filter((k) => k !== 'text')).toEqual(['bytes', 'bytes', 'error ENOENT']);
    expect([kinds[5], kinds[6], kinds[19]]).toEqual(['bytes', 'bytes', 'error ENOENT']);
    seen.forEach(([i, r]) => {
      if ('text' in r) expect({ path: 'p', ...r }).toEqual(toSourceFile('p', readFileSync(paths[i] as string)));
      if ('bytes' in r) expect(Buffer.isBuffer(r.bytes) && r.bytes.equals(readFileSync(paths[i] as string))).toBe(true);
    });
    // The byte-order mark is not part of the text (the digest covers the file's bytes).
    expect((seen[3]?.[1] as { text: string }).text.startsWith('file 3 ')).toBe(true);
  });

  it('shares the reads of many files between the two threads, in order', async () => {
    const listing = listSources(dirs);
    const paths = Array.from({ length: 40 }, () => listing.rulePaths).flat();
    const order: number[] = [];
    const reader = ReaderThread.start();
    let same = 0;
    await reader.read(paths, (i, r) => {
      order.push(i);
      const bytes = readFileSync(paths[i] as string);
      if ('text' in r ? isEqual({ path: 'p', ...r }, toSourceFile('p', bytes)) : 'bytes' in r && r.bytes.equals(bytes)) same++;
    });
    await reader.close();
    expect(order).toEqual(paths.map((_, i) => i));
    expect(same).toBe(paths.length);
  });

  it('reads what readListed reads, file by file', async () => {
    const listing = listSources(dirs);
    const plain = await readListed(listing);
    const got: string[] = [];
    const reader = ReaderThread.start();
    const streamed = await readListedStreaming(listing, reader, { onFile: (f, i) => got.push(`${i} ${f.path}`) });
    await reader.close();
    expect(streamed).toEqual(plain);
    expect(got).toEqual(plain.files.map((f, i) => `${i} ${f.path}`));
    expect(plain.files.length).toBeGreaterThan(60);
  });

  it('loadSources decoding as files arrive gives the ingest of reading first', async () => {
    const loaded = await loadSources(dirs, { workers: 0 });
    const read = await readListed(listSources(dirs));
    expect(loaded.read).toEqual(read);
    expect(loaded.result).toEqual(ingest({ files: read.files, etc: read.etc, diagnostics: read.diagnostics, decoded: decodeFiles(read.files) }));
  });
});
