import { describe, expect, it } from 'vitest';
import { buildCatalog, type Catalog } from '../../../src/catalog/build';
import { buildCatalogIncremental, emptyCache, shardOf } from '../../../src/catalog/cache';
import { ingest } from '../../../src/ingest/ingest';
import type { SourceFile } from '../../../src/ingest/types';
import { ruleToml, sourceFile } from '../sources/rule-fixtures';

const files = (over: Record<number, string> = {}): SourceFile[] =>
  [1, 2, 3, 4, 5].map((n) => sourceFile(`rules/r${n}.toml`, ruleToml(`r-${n}`, `Rule ${n}`, over[n] ?? `event.category:process and process.name:"p${n}.exe" and user.name:"shared"`)));

/** A catalog without its timings; parses compared through `get` (the incremental map is lazy). */
function comparable(c: Catalog): unknown {
  const { timings: _t, parsed, ...rest } = c;
  return { ...rest, parsed: c.rules.map((r) => parsed.get(r.id)) };
}
const cold = (fs: SourceFile[]): Catalog => buildCatalog(ingest({ files: fs }));

describe('buildCatalogIncremental', () => {
  it('from an empty cache: computes everything and equals a cold build', () => {
    const { catalog, stats } = buildCatalogIncremental({ files: files() }, emptyCache());
    expect(stats).toMatchObject({ decoded: 5, decodedFromCache: 0, analysed: 5, analysedFromCache: 0, recomputed: ['r-1', 'r-2', 'r-3', 'r-4', 'r-5'] });
    expect(comparable(catalog)).toEqual(comparable(cold(files())));
  });

  it('after touching one rule: only that rule is decoded, parsed and analysed; counts cover all rules', () => {
    const first = buildCatalogIncremental({ files: files() }, emptyCache());
    const touched = files({ 3: 'event.category:process and process.name:"p1.exe" and user.name:"shared"' });
    const { catalog, stats } = buildCatalogIncremental({ files: touched }, first.cache);
    expect(stats).toMatchObject({ decoded: 1, decodedFromCache: 4, analysed: 1, analysedFromCache: 4, recomputed: ['r-3'] });
    expect(comparable(catalog)).toEqual(comparable(cold(touched)));
    // the corpus counts changed for r-1 too (it now shares p1.exe with r-3), though r-1 was not re-analysed
    const ind = (c: Catalog, id: string): unknown => c.rules.find((r) => r.id === id)?.similar.map((s) => s.id);
    expect(ind(catalog, 'r-1')).toEqual(ind(cold(touched), 'r-1'));
    expect(ind(catalog, 'r-1')).not.toEqual(ind(first.catalog, 'r-1'));
  });

  it('keeps reused records as the same objects (the store rewrites only changed shards by identity)', () => {
    const first = buildCatalogIncremental({ files: files() }, emptyCache());
    const touched = files({ 2: 'process.name:"other.exe"' });
    const again = buildCatalogIncremental({ files: touched }, first.cache);
    const same = (k: string): boolean => again.cache.files.get(k) === first.cache.files.get(k);
    expect(['rules/r1.toml', 'rules/r2.toml', 'rules/r3.toml', 'rules/r4.toml', 'rules/r5.toml'].map(same)).toEqual([true, false, true, true, true]);
    const reused = [...again.cache.analyses.values()].filter((a) => [...first.cache.analyses.values()].includes(a)).length;
    expect(reused).toBe(4);
    // A new stamp for unchanged content makes a new record with the same decoded value.
    const stamped = buildCatalogIncremental({ files: files().map((f) => ({ ...f, stamp: { size: 1, mtimeMs: 2, ctimeMs: 3 } })) }, first.cache);
    expect(stamped.stats).toMatchObject({ decoded: 0, decodedFromCache: 5 });
    expect(stamped.cache.files.get('rules/r1.toml')).toEqual({ ...first.cache.files.get('rules/r1.toml'), stamp: { size: 1, mtimeMs: 2, ctimeMs: 3 } });
    expect(stamped.cache.files.get('rules/r1.toml')?.decoded).toBe(first.cache.files.get('rules/r1.toml')?.decoded);
  });

  it('ignores a cache of another pipeline version; drops stale entries', () => {
    const first = buildCatalogIncremental({ files: files() }, emptyCache());
    const other = buildCatalogIncremental({ files: files() }, { ...first.cache, version: 'ruledex-pipeline-0' });
    expect(other.stats).toMatchObject({ decoded: 5, analysed: 5 });
    const fewer = buildCatalogIncremental({ files: files().slice(0, 2) }, first.cache);
    expect([fewer.cache.files.size, fewer.cache.analyses.size]).toEqual([2, 2]);
  });

  it('shardOf spreads keys (FNV-1a)', () => {
    expect(shardOf('', 32)).toBe(0x811c9dc5 % 32);
    expect(shardOf('a', 4294967296)).toBe(0xe40c292c);
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 800; i++) counts[shardOf(`rules/r${i}.toml`, 8)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(60);
  });

  it('a changed label recomputes (the label is part of the key)', () => {
    const first = buildCatalogIncremental({ files: files() }, emptyCache(), { label: 'a' });
    const b = buildCatalogIncremental({ files: files() }, first.cache, { label: 'b' });
    expect(b.stats).toMatchObject({ decodedFromCache: 5, analysed: 5 });
    expect(b.catalog.rules.map((r) => r.source)).toEqual(['b', 'b', 'b', 'b', 'b']);
  });
});
