import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodePool, decodeParallel, defaultWorkers, takeChunk, type ParallelStats } from '../../../src/ingest/decode-parallel';
import { decodeFiles } from '../../../src/ingest/ingest';
import type { SourceFile } from '../../../src/ingest/types';
import { projectRoot, walk } from '../../helpers/shared';

describe('takeChunk', () => {
  it('hands out chunk numbers from both ends until they meet', () => {
    const q = new Int32Array(new SharedArrayBuffer(16));
    q[1] = 0;
    q[2] = 5;
    expect([takeChunk(q, 'front'), takeChunk(q, 'back'), takeChunk(q, 'front'), takeChunk(q, 'back'), takeChunk(q, 'back'), takeChunk(q, 'front')]).toEqual([0, 4, 1, 3, 2, -1]);
    expect(q[0]).toBe(0);
  });
});

describe('defaultWorkers', () => {
  it('starts none for a few markdown pages or on small machines, at most 3', () => {
    expect(defaultWorkers(10, 8)).toBe(0);
    expect(defaultWorkers(5000, 2)).toBe(0);
    expect(defaultWorkers(5000, 3)).toBe(2);
    expect(defaultWorkers(5000, 16)).toBe(3);
  });
});

describe('decodeParallel', () => {
  const content = walk(join(projectRoot, 'content'), '.toml')
    .concat(walk(join(projectRoot, 'content'), '.md'))
    .map((p): SourceFile => ({ path: p.slice(projectRoot.length), text: readFileSync(p, 'utf8'), digest: '' }));
  // Enough work that a worker starts before this thread is done: 300 copies of the content.
  const files: SourceFile[] = [];
  for (let i = 0; i < 300; i++) for (const f of content) files.push({ ...f, path: `${i}/${f.path}` });

  it('gives exactly what decoding in this thread gives, with a worker doing part of it', async () => {
    const stats: ParallelStats = { workerChunks: 0, mainChunks: 0, recoveredChunks: 0, workerErrors: [] };
    const progress: number[] = [];
    // A worker that has loaded takes its first chunks while this thread decodes the TOML (a worker
    // still starting could find every chunk taken: the TOML decodes in a blink).
    const pool = DecodePool.start(1);
    await pool.loaded();
    const parallel = await pool.decode(files, { stats, onProgress: (_p, d) => progress.push(d) });
    await pool.close();
    expect(stats.workerErrors).toEqual([]);
    expect(stats.workerChunks).toBeGreaterThan(0);
    expect(stats.mainChunks).toBeGreaterThan(0);
    expect(parallel).toEqual(decodeFiles(files));
    expect(progress[progress.length - 1]).toBe(files.length);
  });
  it('decodes TOML-only input in this thread, workers or not', async () => {
    const stats: ParallelStats = { workerChunks: 0, mainChunks: 0, recoveredChunks: 0, workerErrors: [] };
    const toml = files.filter((f) => f.path.endsWith('.toml')).slice(0, 100);
    expect(await decodeParallel(toml, { workers: 1, stats })).toEqual(decodeFiles(toml));
    expect(stats.workerChunks).toBe(0);
  });
  it('decodes in this thread with no workers', async () => {
    const stats: ParallelStats = { workerChunks: 0, mainChunks: 0, recoveredChunks: 0, workerErrors: [] };
    const out = await decodeParallel(content, { workers: 0, stats });
    expect(out).toEqual(decodeFiles(content));
    expect(stats.workerChunks).toBe(0);
  });
});
