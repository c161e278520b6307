/**
 * Determinism: two builds of the same input (the example content plus the committed hostile
 * fixtures) into two directories give a byte-identical dist/. The first build starts with an
 * empty cache folder (RULEDEX_CACHE_DIR); the second runs after it and reads the caches the
 * first wrote (decode, analysis, examples, markdown): a cached build must write what a cold one
 * does.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type BuiltSite } from './helpers';

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

describe('two builds of the same input', () => {
  const args = ['--source', 'content', '--source', 'test/fixtures/hostile', '--site', 'https://example.test'];
  let a: BuiltSite;
  let b: BuiltSite;
  const cache = mkdtempSync(join(tmpdir(), 'ruledex-cache-'));
  const before = process.env.RULEDEX_CACHE_DIR;
  beforeAll(async () => {
    process.env.RULEDEX_CACHE_DIR = cache;
    a = await buildSite(args);
    b = await buildSite(args);
  }, 600_000);
  afterAll(() => {
    if (before === undefined) delete process.env.RULEDEX_CACHE_DIR;
    else process.env.RULEDEX_CACHE_DIR = before;
    a?.remove();
    b?.remove();
    rmSync(cache, { recursive: true, force: true });
  });

  it('write a byte-identical dist/', () => {
    const files = tree(a.dir);
    expect(files.length).toBeGreaterThan(300);
    expect(tree(b.dir)).toEqual(files);
    const differing = files.filter((f) => !readFileSync(join(a.dir, f)).equals(readFileSync(join(b.dir, f))));
    expect(differing).toEqual([]);
    // The second build did read the first one's caches.
    expect(readdirSync(cache).length).toBeGreaterThan(0);
  });
});
