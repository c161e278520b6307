/**
 * The reader thread: files come in path order, with their bytes or the reason they could not be
 * read; reading through it gives what reading in this thread gives, and `loadSources`, which
 * decodes as files arrive, gives what reading first and decoding after gives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFiles, ingest } from '../../../src/ingest/ingest';
import { loadSources } from '../../../src/ingest/load';
import { listSources, readListed, readListedStreaming } from '../../../src/ingest/read-sources';
import { ReaderThread, type ReadOutcome } from '../../../src/ingest/read-thread';
import { projectRoot } from '../../helpers/shared';

const dirs = [join(projectRoot, 'content'), join(projectRoot, 'test', 'fixtures')];
const tmp = mkdtempSync(join(tmpdir(), 'ruledex-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('ReaderThread', () => {
  it('reads paths in order: bytes, or the error code', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 40; i++) {
      const p = join(tmp, `f${i}.txt`);
      writeFileSync(p, `file ${i} ${'x'.repeat(i * 300)}`);
      paths.push(p);
    }
    paths.splice(17, 0, join(tmp, 'missing.txt'));
    const seen: [number, ReadOutcome][] = [];
    const reader = ReaderThread.start();
    await reader.read(paths, (i, r) => seen.push([i, r]));
    await reader.close();
    expect(seen.map(([i]) => i)).toEqual(paths.map((_, i) => i));
    const texts = seen.map(([, r]) => ('bytes' in r ? r.bytes.toString('utf8') : `error ${r.error.code}`));
    expect(texts[17]).toBe('error ENOENT');
    expect(texts[0]).toBe('file 0 ');
    expect(texts[40]).toBe(`file 39 ${'x'.repeat(39 * 300)}`);
    expect(seen.every(([, r]) => !('bytes' in r) || Buffer.isBuffer(r.bytes))).toBe(true);
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
