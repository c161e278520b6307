/**
 * Incremental rebuild: the full corpus built cold against a rebuild after one rule changed.
 *
 *   npx tsx scripts/bench/rebuild.ts            in-process figures + `ruledex catalog` processes
 *   npx tsx scripts/bench/rebuild.ts --site     also `ruledex build` (the whole site) cold and rebuilt
 *   npx tsx scripts/bench/rebuild.ts --runs N   rebuilds per figure (median; default 5)
 *   npx tsx scripts/bench/rebuild.ts --node-default   in-process figures with Node's default V8 pool
 *
 * The corpus (detection-rules checkout + security-docs pages, one label so pages merge) is copied
 * to a temporary folder, where one rule is edited between builds. Figures, wall and CPU time of
 * this process (`process.cpuUsage`: user + system, all threads), with the load average:
 *
 *   in-process  `SourcesBuilder.build()` (list + read, cache load, decode, assemble, parse,
 *               analyse, counts, cache save): cold without a cache, cold writing the cache, a
 *               rebuild by a fresh builder reading the cache from disk (what a new process does),
 *               and a rebuild by the same builder (what `ruledex dev` does per change)
 *   processes   `ruledex catalog --json` as child processes: cold (no cache) and after touching
 *               one rule (cache warm); wall and child CPU (resource usage)
 *   --site      `ruledex build --no-examples`-less full site build: cold caches and after
 *               touching one rule, with the summary's phase timings (what dominates)
 *
 * Checks that the rebuilt catalog equals a cold build of the changed sources.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/catalog/build';
import { serializeCatalog } from '../../src/catalog/json';
import type { ResolvedSource } from '../../src/config';
import { SourcesBuilder, type SourcesBuild } from '../../src/sources/build';
import { docsRoot, hasShared, rulesRoot, SHARED_MISSING } from '../../test/helpers/shared';
import { runAsRuledex, runtimeLine } from './runtime';

if (!hasShared) {
  console.log(SHARED_MISSING);
  process.exit(0);
}
// In-process figures under the runtime `ruledex` uses (the processes it starts are `ruledex` itself).
const relaunched = await runAsRuledex();
if (relaunched !== null) process.exit(relaunched);
console.log(runtimeLine());
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const withSite = args.includes('--site');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const s = (ms: number): string => `${(ms / 1000).toFixed(2).padStart(6)} s`;

interface Timed {
  wall: number;
  cpu: number;
}
async function timed<T>(f: () => Promise<T>): Promise<Timed & { value: T }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000, value };
}

const work = mkdtempSync(join(tmpdir(), 'ruledex-rebuild-'));
const rulesCopy = join(work, 'detection-rules');
const docsCopy = join(work, 'security-docs');
cpSync(rulesRoot, rulesCopy, { recursive: true });
cpSync(docsRoot, docsCopy, { recursive: true });
const sources: ResolvedSource[] = [
  { label: 'elastic', kind: 'detection-rules', dir: rulesCopy },
  { label: 'elastic', kind: 'markdown', dir: docsCopy },
];
// Let every copied file age past the stamp's racy window, as files in a real checkout have.
await new Promise((r) => setTimeout(r, 2100));

// The rule to touch: a TOML query with a process.name test; each edit adds a different clause.
const target = join(rulesCopy, 'rules', 'windows', 'execution_command_shell_started_by_svchost.toml');
const original = readFileSync(target, 'utf8');
let edits = 0;
function touchRule(): void {
  edits++;
  writeFileSync(target, original.replace("query = '''\n", `query = '''\nprocess.name : "touched-${edits}.exe" or\n`));
}

const cacheDir = join(work, 'cache');
const strip = (c: Catalog): string => serializeCatalog({ ...c, corpusStats: c.stats });

console.log(`corpus copy: ${work} (load ${load()})`);
// The first build of the process also compiles (JIT) every stage; the second is the fair cold
// figure for rebuilds made in the same warm process, so ratios are against it.
const coldFirst = await timed(() => new SourcesBuilder(sources, { cacheDir: null }).build());
const coldNoCache = await timed(() => new SourcesBuilder(sources, { cacheDir: null }).build());
const files = coldNoCache.value.loaded.read.files.length;
console.log(`${files} files, ${coldNoCache.value.catalog.rules.length} rules`);
console.log(`in-process (wall / CPU)                     wall       CPU`);
console.log(`cold, no cache, first in the process    ${s(coldFirst.wall)}  ${s(coldFirst.cpu)}`);
console.log(`cold, no cache (ratios are against this) ${s(coldNoCache.wall)}  ${s(coldNoCache.cpu)}`);
const coldCache = await timed(() => new SourcesBuilder(sources, { cacheDir }).build());
console.log(`cold, writing the cache                 ${s(coldCache.wall)}  ${s(coldCache.cpu)}   (${((coldCache.value.saved?.bytes ?? 0) / 1e6).toFixed(1)} MB in ${coldCache.value.saved?.written} shards)`);

const fresh: Timed[] = [];
let last: SourcesBuild | null = null;
for (let i = 0; i < RUNS; i++) {
  touchRule();
  const r = await timed(() => new SourcesBuilder(sources, { cacheDir }).build());
  fresh.push(r);
  last = r.value;
}
const b = last as SourcesBuild;
const fw = median(fresh.map((x) => x.wall));
const fc = median(fresh.map((x) => x.cpu));
console.log(`rebuild, one rule touched, fresh builder ${s(fw)}  ${s(fc)}   = ${((fw / coldNoCache.wall) * 100).toFixed(1)}% wall, ${((fc / coldNoCache.cpu) * 100).toFixed(1)}% CPU of cold (median of ${RUNS})`);
const t = b.timings;
console.log(
  `  of which: read ${s(t.read)} (${b.skipped} files unopened), load cache ${s(t.loadCache)}, decode+assemble ${s(b.stats.ingestMs)}, parse+analyse ${s(b.catalog.timings.analyse)}, counts ${s(b.catalog.timings.counts)}, save ${s(t.saveCache)} (${b.saved?.written} of ${b.saved?.shards} shards)`,
);
console.log(`  recomputed: ${b.stats.recomputed.join(', ')}; decoded ${b.stats.decoded}, analysed ${b.stats.analysed}`);

const builder = new SourcesBuilder(sources, { cacheDir });
await builder.build();
const warm: Timed[] = [];
let lastWarm: SourcesBuild | null = null;
for (let i = 0; i < RUNS; i++) {
  touchRule();
  const r = await timed(() => builder.build());
  warm.push(r);
  lastWarm = r.value;
}
const ww = median(warm.map((x) => x.wall));
const wc = median(warm.map((x) => x.cpu));
console.log(`rebuild, one rule touched, same builder  ${s(ww)}  ${s(wc)}   = ${((ww / coldNoCache.wall) * 100).toFixed(1)}% wall, ${((wc / coldNoCache.cpu) * 100).toFixed(1)}% CPU of cold (dev loop)`);
{
  const w = lastWarm as SourcesBuild;
  const t = w.timings;
  console.log(`  of which: read ${s(t.read)}, decode+assemble ${s(w.stats.ingestMs)}, parse+analyse ${s(w.catalog.timings.analyse)}, counts ${s(w.catalog.timings.counts)} (updated, not recounted), save ${s(t.saveCache)}`);
}

const check = await new SourcesBuilder(sources, { cacheDir: null }).build();
const rebuilt = await new SourcesBuilder(sources, { cacheDir }).build();
const cold = strip(check.catalog);
const equal = strip(rebuilt.catalog) === cold && strip((lastWarm as SourcesBuild).catalog) === cold;
console.log(`rebuilt catalogs (fresh builder, and the same builder's last) equal a cold build of the changed sources: ${equal}`);
if (!equal) process.exitCode = 1;

/** Prints the child's resource usage on exit. */
const RUSAGE_HOOK = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nRUSAGE "+JSON.stringify(process.resourceUsage())+"\\n"))`;
function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Timed & { output: string }> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', RUSAGE_HOOK, 'bin/ruledex.mjs', ...argv], { cwd: root, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      const wall = performance.now() - t0;
      const m = /RUSAGE (\{.*\})/.exec(output);
      const u = m ? (JSON.parse(m[1] as string) as { userCPUTime: number; systemCPUTime: number }) : null;
      if (code !== 0) fail(new Error(`exit ${code}:\n${output.slice(-3000)}`));
      else ok({ wall, cpu: u ? (u.userCPUTime + u.systemCPUTime) / 1000 : NaN, output });
    });
  });
}

const cliCache = join(work, 'cli-cache');
const catalogArgs = ['catalog', '--source', rulesCopy, '--source', docsCopy, '--json', join(work, 'catalog.json'), '--quiet', '--cache-dir', cliCache];
console.log(`\nruledex catalog processes (load ${load()})       wall       CPU`);
const cCold = await cli([...catalogArgs, '--no-cache']);
console.log(`cold, --no-cache                        ${s(cCold.wall)}  ${s(cCold.cpu)}`);
const cFill = await cli(catalogArgs);
console.log(`cold, writing the cache                 ${s(cFill.wall)}  ${s(cFill.cpu)}`);
const cRe: Timed[] = [];
let cOut = '';
for (let i = 0; i < Math.max(3, Math.ceil(RUNS / 2)); i++) {
  touchRule();
  const r = await cli(catalogArgs);
  cRe.push(r);
  cOut = r.output;
}
const cw = median(cRe.map((x) => x.wall));
const cc = median(cRe.map((x) => x.cpu));
console.log(`rebuild, one rule touched               ${s(cw)}  ${s(cc)}   = ${((cw / cCold.wall) * 100).toFixed(1)}% wall, ${((cc / cCold.cpu) * 100).toFixed(1)}% CPU of cold (median of ${cRe.length})`);
console.log(`  ${(/elapsed: .*/.exec(cOut) ?? [''])[0]}`);
console.log(`  ${(/cache: .*/.exec(cOut) ?? [''])[0]}`);

if (withSite) {
  const siteCache = join(work, 'site-cache');
  const out = join(work, 'dist');
  const bundle = resolve(rulesRoot, '..', '..', 'attack', 'enterprise-attack-17.1-subset.json');
  const buildArgs = ['build', '--source', rulesCopy, '--source', docsCopy, '--attack', bundle, '--out', out, '--quiet', '--cache-dir', siteCache];
  console.log(`\nruledex build (the site) processes (load ${load()})  wall       CPU`);
  const sCold = await cli(buildArgs);
  console.log(`cold (empty caches)                     ${s(sCold.wall)}  ${s(sCold.cpu)}`);
  console.log(`  ${(/elapsed: .*/.exec(sCold.output) ?? [''])[0]}`);
  touchRule();
  const sRe = await cli(buildArgs);
  console.log(`rebuild, one rule touched               ${s(sRe.wall)}  ${s(sRe.cpu)}   = ${((sRe.wall / sCold.wall) * 100).toFixed(1)}% wall, ${((sRe.cpu / sCold.cpu) * 100).toFixed(1)}% CPU of cold`);
  console.log(`  ${(/elapsed: .*/.exec(sRe.output) ?? [''])[0]}`);
  console.log(`  ${(/cache: .*/.exec(sRe.output) ?? [''])[0]}`);
}
console.log(`(load at the end ${load()})`);
rmSync(work, { recursive: true, force: true });
