import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskCache, keepEntries } from '../../../src/site/cache';

describe('build caches', () => {
  it('keep the used entries, then old ones up to the cap', () => {
    expect(keepEntries(new Map([['a', 1], ['b', 2]]), { c: 3, a: 9, d: 4 }, 3)).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('persist values across builds for the same code digest only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rx-cache-'));
    try {
      const path = join(dir, 'c.json');
      const one = new DiskCache(path, 'v1');
      let made = 0;
      expect(one.get('k', () => `made ${++made}`)).toBe('made 1');
      expect(one.get('k', () => `made ${++made}`)).toBe('made 1');
      one.save();
      const two = new DiskCache(path, 'v1');
      expect(two.get('k', () => `made ${++made}`)).toBe('made 1');
      expect(two.misses).toBe(0);
      const other = new DiskCache(path, 'v2');
      expect(other.get('k', () => `made ${++made}`)).toBe('made 2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
