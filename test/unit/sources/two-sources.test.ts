import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCatalog, type Catalog } from '../../../src/catalog/build';
import { run as sync } from '../../../src/cli/commands/sync';
import { loadConfig, resolveAgainst, resolveOptions } from '../../../src/config';
import { buildFromSources } from '../../../src/sources/build';
import { SHARDS, storeDir } from '../../../src/sources/cache-store';
import { loadLabelledSources } from '../../../src/sources/load';
import { closedPort, serve, targz, type Served } from './tar-helpers';
import { ruleToml } from './rule-fixtures';

const upstream = targz([
  { name: 'detection-rules-1.2.3/', type: '5' },
  { name: 'detection-rules-1.2.3/rules/', type: '5' },
  { name: 'detection-rules-1.2.3/rules/e1.toml', body: ruleToml('e-1', 'Shared Name', 'process.name:"a.exe"') },
  { name: 'detection-rules-1.2.3/rules/e2.toml', body: ruleToml('e-2', 'Elastic Two', 'process.name:"b.exe"') },
]);
const sha = createHash('sha256').update(upstream).digest('hex');

let server: Served;
let dir: string;
beforeAll(async () => {
  server = await serve({ '/dr.tar.gz': { body: upstream } });
  dir = mkdtempSync(join(tmpdir(), 'ruledex-two-'));
  mkdirSync(join(dir, 'team', 'rules'), { recursive: true });
  writeFileSync(join(dir, 'team/rules/t1.toml'), ruleToml('team-1', 'Shared Name', 'process.name:"c.exe"'));
  writeFileSync(join(dir, 'team/rules/dup.toml'), ruleToml('e-2', 'Team Copy', 'process.name:"d.exe"'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a command, capturing what it writes. */
async function capture(f: () => Promise<number>): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { status: await f(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('two labelled sources in one catalog, one synced from a loopback server', () => {
  it('syncs, then loads both with their labels and reports the duplicate id', async () => {
    const config = join(dir, 'ruledex.config.json');
    writeFileSync(config, JSON.stringify({ sources: [{ label: 'Elastic', kind: 'detection-rules', upstream: { url: server.url('/dr.tar.gz'), ref: 'v1.2.3', sha256: sha } }, { label: 'Team', kind: 'toml', path: 'team' }], cacheDir: '.cache' }));
    const r = await capture(() => sync(['--config', config, '--quiet']));
    expect(r).toEqual({ status: 0, out: `Elastic (v1.2.3): 2 files from ${(upstream.length / 1e6).toFixed(1)} MB in ${/in (\d+\.\d) s/.exec(r.out)?.[1]} s → ${join(dir, '.cache/sources/elastic')}\n  sha256 ${sha} (verified)\n`, err: '' });
    expect(readdirSync(join(dir, '.cache/sources/elastic/rules')).sort()).toEqual(['e1.toml', 'e2.toml']);

    const { config: cfg } = await loadConfig(config);
    const opts = resolveAgainst(resolveOptions(cfg), dir);
    const { result } = await loadLabelledSources(opts.sources, { workers: 0 });
    const rel = (p: string): string => p.slice(dir.length + 1);
    expect(result.rules.map((x) => [x.id, x.source, x.slug, rel(x.files[0]!)])).toEqual([
      ['e-1', 'Elastic', 'shared-name', '.cache/sources/elastic/rules/e1.toml'],
      ['e-2', 'Elastic', 'elastic-two', '.cache/sources/elastic/rules/e2.toml'],
      ['team-1', 'Team', 'shared-name-2', 'team/rules/t1.toml'],
    ]);
    expect(result.diagnostics.map((d) => [d.severity, d.code, rel(d.file), d.line, d.message])).toEqual([
      ['error', 'duplicate-rule-id-across-sources', 'team/rules/dup.toml', 12, `rule id e-2 of source "Team" is already used by ${join(dir, '.cache/sources/elastic/rules/e2.toml')} of source "Elastic": this rule is dropped (not merged)`],
      ['warning', 'slug-collision', 'team/rules/t1.toml', 12, `slug "shared-name" of "Shared Name" (source "Team") is taken by rule e-1 (${join(dir, '.cache/sources/elastic/rules/e1.toml')}, source "Elastic"): this rule's pages use "shared-name-2"`],
    ]);
    expect(result.stats.tomlFiles).toBe(4);
    const catalog = buildCatalog(result);
    expect(catalog.rules.map((x) => [x.id, x.source])).toEqual([['e-1', 'Elastic'], ['e-2', 'Elastic'], ['team-1', 'Team']]);
  });

  it('builds both sources incrementally through the cache file: touching one rule recomputes only it', async () => {
    const { config: cfg } = await loadConfig(join(dir, 'ruledex.config.json'));
    const opts = resolveAgainst(resolveOptions(cfg), dir);
    // Files older than the stamps' racy window, so that their stamps are kept from the first build on.
    const past = new Date(Date.now() - 60_000);
    for (const f of ['team/rules/t1.toml', 'team/rules/dup.toml', '.cache/sources/elastic/rules/e1.toml', '.cache/sources/elastic/rules/e2.toml']) utimesSync(join(dir, f), past, past);
    const first = await buildFromSources(opts.sources, { cacheDir: opts.cacheDir, workers: 0 });
    expect(first.stats).toMatchObject({ decoded: 4, analysed: 3, recomputed: ['e-1', 'e-2', 'team-1'] });
    const store = storeDir(join(dir, '.cache'), opts.sources);
    expect(store.startsWith(join(dir, '.cache', 'catalog'))).toBe(true);
    expect(first.saved?.shards).toBe(SHARDS);
    // Shards without entries are not written.
    expect(readdirSync(store).filter((f) => f.endsWith('.v8')).length).toBe(first.saved?.written);
    writeFileSync(join(dir, 'team/rules/t1.toml'), ruleToml('team-1', 'Shared Name', 'process.name:"changed.exe"'));
    const second = await buildFromSources(opts.sources, { cacheDir: opts.cacheDir, workers: 0 });
    expect(second.stats).toMatchObject({ decoded: 1, decodedFromCache: 3, analysed: 1, analysedFromCache: 2, recomputed: ['team-1'] });
    // Only the shards holding the changed file's record and the rule's old and new analysis are rewritten.
    expect(second.saved?.written).toBeGreaterThanOrEqual(1);
    expect(second.saved?.written).toBeLessThanOrEqual(3);
    expect(second.skipped).toBe(3);
    const cold = buildCatalog((await loadLabelledSources(opts.sources, { workers: 0 })).result);
    const strip = (c: Catalog): unknown => ({ ...c, timings: null, parsed: c.rules.map((r) => c.parsed.get(r.id)) });
    expect(strip(second.catalog)).toEqual(strip(cold));
    expect(second.catalog.rules.map((r) => [r.id, r.source, r.query])).toEqual([
      ['e-1', 'Elastic', 'process.name:"a.exe"\n'],
      ['e-2', 'Elastic', 'process.name:"b.exe"\n'],
      ['team-1', 'Team', 'process.name:"changed.exe"\n'],
    ]);
  });

  it('a failed sync (offline, bad checksum) exits 1 with a clear message and keeps the synced copy', async () => {
    const port = await closedPort();
    const config = join(dir, 'offline.json');
    writeFileSync(config, JSON.stringify({ sources: [{ label: 'Elastic', kind: 'detection-rules', upstream: { url: `http://127.0.0.1:${port}/dr.tar.gz` } }], cacheDir: '.cache' }));
    const r = await capture(() => sync(['--config', config, '--quiet']));
    expect(r).toEqual({ status: 1, out: '', err: `ruledex sync: Elastic: cannot reach 127.0.0.1:${port} (ECONNREFUSED): are you offline? The cached copy, if any, is unchanged.\n` });
    writeFileSync(config, JSON.stringify({ sources: [{ label: 'Elastic', kind: 'detection-rules', upstream: { url: server.url('/dr.tar.gz'), sha256: 'f'.repeat(64) } }], cacheDir: '.cache' }));
    const bad = await capture(() => sync(['--config', config, '--quiet']));
    expect(bad.status).toBe(1);
    expect(bad.err).toBe(`ruledex sync: Elastic: checksum mismatch for ${server.url('/dr.tar.gz')}: expected sha256 ${'f'.repeat(64)}, got ${sha}. The cached copy is unchanged.\n`);
    expect(readdirSync(join(dir, '.cache/sources/elastic/rules')).sort()).toEqual(['e1.toml', 'e2.toml']);
  });

  it('reports unusable configs and unknown labels with exit 2', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ sources: [{ label: 'Elastic', kind: 'git' }] }));
    expect(await capture(() => sync(['--config', config]))).toEqual({
      status: 2,
      out: '',
      err: `${config}:1:32: error [config-invalid] sources[0].kind: expected one of "detection-rules", "toml", "markdown", got the string "git"\n${config}:1:13: error [config-invalid] sources[0]: expected "path" or "upstream" (where the rules are)\n`,
    });
    writeFileSync(config, JSON.stringify({ sources: [{ label: 'Team', kind: 'toml', path: 'team' }] }));
    expect(await capture(() => sync(['--config', config, '--source', 'Nope']))).toEqual({ status: 2, out: '', err: `ruledex sync: no source labelled "Nope" in ${config} (labels: "Team")\n` });
    expect(await capture(() => sync(['--config', config, '--source', 'Team']))).toEqual({ status: 2, out: '', err: `ruledex sync: source "Team" has no upstream in ${config}: nothing to fetch\n` });
  });
});
