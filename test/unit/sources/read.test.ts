import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { projectRoot } from '../../helpers/shared';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCache, PIPELINE_VERSION } from '../../../src/catalog/cache';
import type { ResolvedSource } from '../../../src/config';
import { SourcesBuilder } from '../../../src/sources/build';
import { CacheStore, SHARDS, storeDir } from '../../../src/sources/cache-store';
import { githubRepo, pathPrefix, sourceLinks } from '../../../src/sources/links';
import { listSource, readListing, readListingStreaming, RACY_MS } from '../../../src/sources/read';
import { ReaderThread } from '../../../src/ingest/read-thread';
import { ruleToml } from './rule-fixtures';


let dir: string;
const past = new Date(Date.now() - 60_000);
function put(rel: string, text: string): void {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  utimesSync(p, past, past);
}
const rel = (p: string): string => p.slice(dir.length + 1);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ruledex-read-'));
  // a detection-rules checkout: rules, building blocks, hunting (not read), a README (not read), etc
  put('dr/rules/a.toml', ruleToml('a', 'Rule A', 'process.name:"a.exe"'));
  put('dr/rules/README.md', '# Rules\n');
  put('dr/rules_building_block/b.toml', ruleToml('b', 'Rule B', 'process.name:"b.exe"'));
  put('dr/hunting/h.toml', ruleToml('h', 'Hunt', 'process.name:"h.exe"'));
  put('dr/detection_rules/etc/version.lock.json', JSON.stringify({ a: { rule_name: 'Rule A', type: 'query', version: 7 } }));
  // a mixed folder
  put('mixed/one.toml', ruleToml('m1', 'Mixed One', 'process.name:"m.exe"'));
  put('mixed/sub/page.md', readFileSync(join(projectRoot, 'content/docs/unusual-dns-query-volume-to-one-domain.md'), 'utf8'));
  put('mixed/.hidden/x.toml', ruleToml('x', 'Hidden', 'process.name:"x.exe"'));
  put('plain/only.toml', ruleToml('p', 'Plain', 'process.name:"p.exe"'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const src = (kind: ResolvedSource['kind'], sub: string, label = 'L'): ResolvedSource => ({ label, kind, dir: join(dir, sub) });

describe('listSource: the kind decides what is read', () => {
  it('detection-rules: TOML under rules/ and rules_building_block/, and the etc side files', () => {
    const l = listSource(src('detection-rules', 'dr'));
    expect(l.rulePaths.map(rel)).toEqual(['dr/rules/a.toml', 'dr/rules_building_block/b.toml']);
    expect(l.etcPaths.map((e) => [e.role, rel(e.path)])).toEqual([['version-lock', 'dr/detection_rules/etc/version.lock.json']]);
    expect(l.roots).toEqual([{ dir: join(dir, 'dr'), kind: 'detection-rules', toml: 2, markdown: 0 }]);
  });
  it('detection-rules on a folder without rules/: unreadable, saying what was expected', () => {
    const l = listSource(src('detection-rules', 'plain', 'Team'));
    expect(l.unreadable).toEqual([{ dir: join(dir, 'plain'), reason: 'source "Team" is of kind "detection-rules" but has no rules/ or rules_building_block/ folder (for a plain folder of rules use kind "toml")' }]);
  });
  it('toml and markdown: every file of that kind, hidden folders skipped', () => {
    expect(listSource(src('toml', 'mixed')).rulePaths.map(rel)).toEqual(['mixed/one.toml']);
    expect(listSource(src('markdown', 'mixed')).rulePaths.map(rel)).toEqual(['mixed/sub/page.md']);
    expect(listSource(src('auto', 'mixed')).rulePaths.map(rel)).toEqual(['mixed/one.toml', 'mixed/sub/page.md']);
  });
  it('a missing upstream folder says to sync', () => {
    const l = listSource({ label: 'Up', kind: 'detection-rules', dir: join(dir, 'nope'), upstream: { url: 'https://example.org/x.tar.gz' } });
    expect(l.unreadable).toEqual([{ dir: join(dir, 'nope'), reason: 'no such file or directory (source "Up" has an upstream: run `ruledex sync` first)' }]);
  });
});

describe('readListing: unchanged files are not opened', () => {
  it('uses the cached text when size, mtime and ctime match; reads otherwise; no stamp for fresh files', () => {
    const listing = listSource(src('toml', 'dr'));
    const first = readListing(listing);
    expect(first.skipped).toBe(0);
    expect(first.files.map((f) => [rel(f.path), f.stamp !== null])).toEqual([['dr/hunting/h.toml', true], ['dr/rules/a.toml', true], ['dr/rules_building_block/b.toml', true]]);
    const known = new Map(first.files.map((f) => [f.path, { digest: f.digest, text: `cached ${rel(f.path)}`, decoded: null, stamp: f.stamp ?? null }]));
    const second = readListing(listing, known);
    expect(second.skipped).toBe(3);
    // the text came from the cache (the file was not opened)
    expect(second.files.map((f) => f.text)).toEqual(['cached dr/hunting/h.toml', 'cached dr/rules/a.toml', 'cached dr/rules_building_block/b.toml']);
    // a rewritten file is read again
    writeFileSync(join(dir, 'dr/hunting/h.toml'), ruleToml('h', 'Hunt 2', 'process.name:"h.exe"'));
    const third = readListing(listing, known);
    expect(third.skipped).toBe(2);
    expect(third.files[0]?.text).toContain('Hunt 2');
    // …and, modified less than RACY_MS ago, gets no stamp (it will be read again next time)
    expect(third.files[0]?.stamp).toBeNull();
    expect(readListing(listing, known, () => Date.now() + RACY_MS + 1).files[0]?.stamp).not.toBeNull();
    put('dr/hunting/h.toml', ruleToml('h', 'Hunt', 'process.name:"h.exe"'));
  });

  it('readListingStreaming (a reader thread stats and reads) gives what readListing gives without a cache, unreadable files included', async () => {
    put('dr/rules/c.toml', ruleToml('c', 'Rule C', 'process.name:"c.exe"'));
    const listing = listSource(src('toml', 'dr'));
    listing.rulePaths.push(join(dir, 'dr/rules/missing.toml'));
    const reader = ReaderThread.start();
    const streamed: string[] = [];
    try {
      const first = readListing(listing);
      expect(await readListingStreaming(listing, reader, (f) => streamed.push(rel(f.path)))).toEqual(first);
      expect(streamed).toEqual(first.files.map((f) => rel(f.path)));
      expect(first.diagnostics.map((d) => [d.code, rel(d.file)])).toEqual([['unreadable-file', 'dr/rules/missing.toml']]);
      // A file modified just now gets no stamp, through the reader as here.
      writeFileSync(join(dir, 'dr/rules/c.toml'), ruleToml('c', 'Rule C 2', 'process.name:"c.exe"'));
      const again = await readListingStreaming(listing, reader);
      expect(again).toEqual(readListing(listing));
      expect(again.files.find((f) => rel(f.path) === 'dr/rules/c.toml')?.stamp).toBeNull();
    } finally {
      await reader.close();
      rmSync(join(dir, 'dr/rules/c.toml'));
    }
  });
});

describe('SourcesBuilder and the cache store', () => {
  const sources = (): ResolvedSource[] => [src('detection-rules', 'dr', 'Elastic'), src('markdown', 'mixed', 'Elastic'), src('toml', 'plain', 'Team')];
  it('same-label sources form one ingest (pages merge), other labels combine; the etc files apply', async () => {
    const b = await new SourcesBuilder(sources(), { cacheDir: null, workers: 0 }).build();
    expect(b.catalog.rules.map((r) => [r.id, r.source, r.version, r.files.map(rel)])).toEqual([
      ['a', 'Elastic', 7, ['dr/rules/a.toml']],
      ['b', 'Elastic', null, ['dr/rules_building_block/b.toml']],
      ['md-unusual-dns-query-volume-to-one-domain', 'Elastic', 4, ['mixed/sub/page.md']],
      ['p', 'Team', null, ['plain/only.toml']],
    ]);
    expect(b.loaded.read.roots.map((r) => [rel(r.dir), r.kind, r.toml, r.markdown])).toEqual([
      ['dr', 'detection-rules', 2, 0],
      ['mixed', 'plain', 0, 1],
      ['plain', 'plain', 1, 0],
    ]);
  });

  it('a fresh builder reads the store: nothing decoded, nothing opened, nothing written', async () => {
    const cacheDir = join(dir, 'cache');
    const cold = await new SourcesBuilder(sources(), { cacheDir, workers: 0 }).build();
    expect(cold.stats).toMatchObject({ decoded: 4, analysed: 4 });
    const warm = await new SourcesBuilder(sources(), { cacheDir, workers: 0 }).build();
    expect(warm.stats).toMatchObject({ decoded: 0, decodedFromCache: 4, analysed: 0, analysedFromCache: 4 });
    expect(warm.skipped).toBe(4);
    expect(warm.saved).toEqual({ written: 0, shards: SHARDS, bytes: 0 });
    expect(JSON.stringify(warm.catalog.rules)).toBe(JSON.stringify(cold.catalog.rules));
    // The same builder again (the dev loop): the cache stays in memory.
    const builder = new SourcesBuilder(sources(), { cacheDir, workers: 0 });
    await builder.build();
    put('plain/only.toml', ruleToml('p', 'Plain Renamed', 'process.name:"p.exe"'));
    const again = await builder.build();
    expect(again.stats).toMatchObject({ decoded: 1, analysed: 1, recomputed: ['p'] });
    expect(again.catalog.rules.find((r) => r.id === 'p')?.name).toBe('Plain Renamed');
  });

  it('a shard of another version or unreadable bytes loads as empty', () => {
    const d = join(dir, 'store');
    const store = new CacheStore(d);
    store.load();
    const cache = emptyCache();
    cache.files.set('x.toml', { digest: 'd', text: 't', decoded: null, stamp: null });
    expect(store.save(cache).written).toBe(1);
    expect(new CacheStore(d).load().files.get('x.toml')).toEqual({ digest: 'd', text: 't', decoded: null, stamp: null });
    const name = readdirSync(d).find((f) => f.endsWith('.v8')) as string;
    writeFileSync(join(d, name), 'garbage');
    expect(new CacheStore(d).load().files.size).toBe(0);
    expect(PIPELINE_VERSION).toMatch(/^ruledex-pipeline-/);
    expect(storeDir('/c', [{ label: 'A', kind: 'toml', dir: '/x' }])).not.toBe(storeDir('/c', [{ label: 'B', kind: 'toml', dir: '/x' }]));
  });
});

describe('source links', () => {
  it('reads GitHub archive URLs', () => {
    expect(githubRepo('https://github.com/elastic/detection-rules/archive/refs/tags/v9.0.0.tar.gz')).toEqual({ owner: 'elastic', repo: 'detection-rules', ref: 'v9.0.0' });
    expect(githubRepo('https://github.com/acme/rules/archive/refs/heads/dev/x.tar.gz')).toEqual({ owner: 'acme', repo: 'rules', ref: 'dev/x' });
    expect(githubRepo('https://codeload.github.com/acme/rules/tar.gz/refs/heads/main')).toEqual({ owner: 'acme', repo: 'rules', ref: 'main' });
    expect(githubRepo('https://api.github.com/repos/acme/rules/tarball/v1')).toEqual({ owner: 'acme', repo: 'rules', ref: 'v1' });
    expect(githubRepo('https://example.org/rules.tar.gz')).toBeNull();
  });
  it('links by kind and upstream', () => {
    expect(pathPrefix('./content/')).toBe('content/');
    expect(
      sourceLinks([
        { label: 'Elastic', kind: 'detection-rules', dir: '/c/sources/elastic', upstream: { url: 'https://github.com/elastic/detection-rules/archive/refs/tags/v9.0.0.tar.gz', ref: 'v9.0.0' } },
        { label: 'Local', kind: 'detection-rules', dir: 'checkout' },
        { label: 'Docs', kind: 'markdown', dir: 'docs', upstream: { url: 'https://codeload.github.com/elastic/docs-content/tar.gz/main' } },
        { label: 'Team', kind: 'toml', dir: 'team' },
        { label: 'Auto', kind: 'auto', dir: 'content' },
      ]),
    ).toEqual([
      { prefix: '/c/sources/elastic/', url: 'https://github.com/elastic/detection-rules/blob/v9.0.0/', label: 'github.com/elastic/detection-rules' },
      { prefix: 'checkout/', url: 'https://github.com/elastic/detection-rules/blob/main/', label: 'github.com/elastic/detection-rules' },
      { prefix: 'docs/', url: 'https://github.com/elastic/docs-content/blob/main/', label: 'github.com/elastic/docs-content' },
    ]);
  });
});
