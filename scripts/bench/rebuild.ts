/**
 * Incremental rebuild: the full corpus cold build (decode, assemble, parse, analyse, counts, in
 * this thread) against a rebuild after one rule changed, with the content-hash cache.
 *
 *   npx tsx scripts/bench/rebuild.ts
 *
 * Figures: cold build; warm rebuild with the cache in memory (what a watch loop does: the changed
 * file re-read, the rest kept); the same with the cache read from and written to its JSON file
 * (what a fresh `ruledex build` process does), plus re-reading every source from disk. Checks the
 * rebuilt catalog equals a cold build of the changed sources.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { buildCatalog, type Catalog } from '../../src/catalog/build';
import { buildCatalogIncremental, emptyCache } from '../../src/catalog/cache';
import { ingest } from '../../src/ingest/ingest';
import { readSources } from '../../src/ingest/read-sources';
import type { SourceFile } from '../../src/ingest/types';
import { CACHE_FILE, loadBuildCache, saveBuildCache } from '../../src/sources/cache-store';
import { docsRoot, hasShared, rulesRoot, SHARED_MISSING } from '../../test/helpers/shared';

if (!hasShared) {
  console.log(SHARED_MISSING);
  process.exit(0);
}
const ms = (t: number): string => `${t.toFixed(0).padStart(6)} ms`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const tr = performance.now();
const read = await readSources([rulesRoot, docsRoot]);
const readMs = performance.now() - tr;
const input = { files: read.files, etc: read.etc, diagnostics: read.diagnostics };

const t0 = performance.now();
const coldCatalog = buildCatalog(ingest(input));
const coldMs = performance.now() - t0;

const first = buildCatalogIncremental(input, emptyCache());

// Touch one rule: a different query in one TOML file.
const idx = read.files.findIndex((f) => f.path.endsWith('.toml') && f.text.includes("query = '''\n") && f.text.includes('process.name'));
const orig = read.files[idx] as SourceFile;
const text = orig.text.replace("query = '''\n", "query = '''\nprocess.name : \"touched.exe\" or\n");
const touched: SourceFile = { path: orig.path, text, digest: createHash('sha256').update(text).digest('hex') };
const files2 = read.files.map((f, i) => (i === idx ? touched : f));
const input2 = { ...input, files: files2 };

const warm: number[] = [];
let last = first;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  last = buildCatalogIncremental(i % 2 === 0 ? input2 : input, first.cache);
  warm.push(performance.now() - t);
}
const rebuilt = buildCatalogIncremental(input2, first.cache);

const dir = mkdtempSync(join(tmpdir(), 'ruledex-bench-'));
const ts = performance.now();
saveBuildCache(dir, first.cache);
const saveMs = performance.now() - ts;
const tf = performance.now();
const reread = await readSources([rulesRoot, docsRoot]);
const rereadMs = performance.now() - tf;
const tl = performance.now();
const fromDisk = loadBuildCache(dir);
const loadMs = performance.now() - tl;
const tb = performance.now();
const viaDisk = buildCatalogIncremental({ ...input2, files: reread.files.map((f) => (f.path === touched.path ? touched : f)) }, fromDisk);
const diskBuildMs = performance.now() - tb;
const cacheBytes = statSync(join(dir, CACHE_FILE)).size;
rmSync(dir, { recursive: true, force: true });

const strip = (c: Catalog): unknown => {
  const { timings: _t, parsed: _p, ...rest } = c;
  return rest;
};
const equal = isDeepStrictEqual(strip(rebuilt.catalog), strip(buildCatalog(ingest(input2))));
// Via JSON: js-toml's null-prototype tables come back as plain objects, so compare as JSON.
const equalDisk = JSON.stringify(strip(viaDisk.catalog)) === JSON.stringify(strip(rebuilt.catalog));
void last;

console.log(`corpus: ${read.files.length} files, ${coldCatalog.rules.length} rules (read from disk in ${readMs.toFixed(0)} ms, not counted below)`);
console.log(`cold build (ingest + buildCatalog, one thread)      ${ms(coldMs)}`);
console.log(`rebuild, one rule touched, cache in memory (median) ${ms(median(warm))}  = ${((median(warm) / coldMs) * 100).toFixed(1)}% of cold  [recomputed: ${rebuilt.stats.recomputed.join(', ')}; decoded ${rebuilt.stats.decoded}, analysed ${rebuilt.stats.analysed}]`);
console.log(`  of which decode-lookup + assemble ${ms(rebuilt.stats.ingestMs)}, parse+analyse ${ms(rebuilt.catalog.timings.analyse)}, corpus counts ${ms(rebuilt.catalog.timings.counts)}`);
console.log(`rebuild from the cache file: load ${ms(loadMs)} + build ${ms(diskBuildMs)} = ${ms(loadMs + diskBuildMs)} = ${(((loadMs + diskBuildMs) / coldMs) * 100).toFixed(1)}% of cold (+ re-reading all sources ${ms(rereadMs)}, writing the cache ${ms(saveMs)}, ${(cacheBytes / 1e6).toFixed(1)} MB)`);
console.log(`rebuilt catalog equals a cold build of the changed sources: ${equal}; via the cache file: ${equalDisk}`);
if (!equal || !equalDisk) process.exitCode = 1;
