import { describe, expect, it } from 'vitest';
import { buildCatalog, type Catalog } from '../../../src/catalog/build';
import { buildCatalogIncremental, deserializeCache, emptyCache, serializeCache } from '../../../src/catalog/cache';
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

  it('round-trips through JSON: a rebuild from the stored cache recomputes nothing', () => {
    const first = buildCatalogIncremental({ files: files() }, emptyCache());
    const stored = deserializeCache(serializeCache(first.cache));
    const again = buildCatalogIncremental({ files: files() }, stored);
    expect(again.stats).toMatchObject({ decoded: 0, decodedFromCache: 5, analysed: 0, analysedFromCache: 5, recomputed: [] });
    expect(comparable(again.catalog)).toEqual(comparable(cold(files())));
  });

  it('ignores a cache of another pipeline version or unreadable text; drops stale entries', () => {
    const first = buildCatalogIncremental({ files: files() }, emptyCache());
    const other = JSON.parse(serializeCache(first.cache)) as { version: string };
    other.version = 'ruledex-pipeline-0';
    expect(deserializeCache(JSON.stringify(other)).decoded.size).toBe(0);
    expect(deserializeCache('{not json').analyses.size).toBe(0);
    const fewer = buildCatalogIncremental({ files: files().slice(0, 2) }, first.cache);
    expect([fewer.cache.decoded.size, fewer.cache.analyses.size]).toEqual([2, 2]);
  });

  it('a changed label recomputes (the label is part of the key)', () => {
    const first = buildCatalogIncremental({ files: files() }, emptyCache(), { label: 'a' });
    const b = buildCatalogIncremental({ files: files() }, first.cache, { label: 'b' });
    expect(b.stats).toMatchObject({ decodedFromCache: 5, analysed: 5 });
    expect(b.catalog.rules.map((r) => r.source)).toEqual(['b', 'b', 'b', 'b', 'b']);
  });
});
