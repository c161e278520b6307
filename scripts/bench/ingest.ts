/**
 * Ingest benchmark: reading and decoding the real corpus, each measurement cold in its own
 * process (a fresh child of this script), because ingest runs once per build and JIT warm-up is
 * a real part of its cost.
 *
 *   npx tsx scripts/bench/ingest.ts              all scenarios, 3 runs each, best and median
 *   npx tsx scripts/bench/ingest.ts --runs 5
 *   npx tsx scripts/bench/ingest.ts --only toml  one scenario
 *
 * Scenarios:
 *   toml         read + decode the 2,192 detection-rules TOML files in one thread (fast path)
 *   toml-plain   the same with js-toml on every whole file (no fast path), for comparison
 *   markdown     read + decode the security-docs pages in one thread
 *   full         the whole ingest (both corpora: read, decode, assemble) as the CLI runs it
 *                (decode workers by `defaultWorkers`: none on machines with fewer than 3 cores)
 *   full-1t      the whole ingest in one thread
 *   full-1w      the whole ingest with one decode worker for the markdown pages
 *
 * Figures: wall seconds, files/s, CPU seconds (all threads), peak RSS. The machine is shared, so
 * each scenario runs several times and the best run is the one to quote (the median shows noise).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shared = resolve(process.env.RULEDEX_SHARED ?? join(root, '..', 'shared'));
const rulesRoot = join(shared, 'corpus', 'elastic-detection-rules');
const docsRoot = join(shared, 'corpus', 'elastic-security-docs');

const SCENARIOS = ['toml', 'toml-plain', 'markdown', 'full', 'full-1t', 'full-1w'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Figures {
  scenario: Scenario;
  files: number;
  rules: number;
  wall: number;
  cpu: number;
  rss: number;
  phases: Record<string, number>;
}

/** One measurement, run inside a fresh child process. */
async function child(scenario: Scenario): Promise<Figures> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let files = 0;
  let rules = 0;
  const phases: Record<string, number> = {};
  if (scenario === 'full' || scenario === 'full-1t' || scenario === 'full-1w') {
    const { loadSources } = await import('../../src/ingest/load');
    const r = await loadSources([rulesRoot, docsRoot], scenario === 'full-1t' ? { workers: 0 } : scenario === 'full-1w' ? { workers: 1 } : {});
    files = r.read.files.length;
    rules = r.result.rules.length;
    Object.assign(phases, r.timings);
  } else {
    const { readSources } = await import('../../src/ingest/read-sources');
    const { decodeToml } = await import('../../src/ingest/decode-toml');
    const { decodeMarkdown } = await import('../../src/ingest/decode-markdown');
    const tRead = performance.now();
    const read = await readSources([scenario === 'markdown' ? docsRoot : rulesRoot]);
    const tDecode = performance.now();
    for (const f of read.files) {
      if (f.path.endsWith('.toml')) {
        const d = decodeToml(f, scenario === 'toml-plain' ? { plain: true } : {});
        if (d.doc) rules++;
      } else if (scenario === 'markdown' && f.path.endsWith('.md')) {
        if (decodeMarkdown(f).page) rules++;
      }
    }
    const tEnd = performance.now();
    files = read.files.filter((f) => (scenario === 'markdown' ? f.path.endsWith('.md') : f.path.endsWith('.toml'))).length;
    phases.load = tRead - t0;
    phases.read = tDecode - tRead;
    phases.decode = tEnd - tDecode;
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { scenario, files, rules, wall, cpu: (cpu.user + cpu.system) / 1000, rss: process.resourceUsage().maxRSS * 1024, phases };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { child: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' } } });
  if (values.child) {
    process.stdout.write(`${JSON.stringify(await child(values.child as Scenario))}\n`);
    return;
  }
  if (!existsSync(rulesRoot) || !existsSync(docsRoot)) {
    console.error(`../shared corpus not found (looked in ${shared}); set RULEDEX_SHARED.`);
    process.exitCode = 2;
    return;
  }
  const runs = Number(values.runs ?? 3);
  const scenarios = values.only ? [values.only as Scenario] : [...SCENARIOS];
  const { availableParallelism } = await import('node:os');
  const { defaultWorkers } = await import('../../src/ingest/decode-parallel');
  console.log(`ingest benchmark: node ${process.version}, ${availableParallelism()} cores (full: ${defaultWorkers(206)} decode workers), ${runs} cold run(s) per scenario, corpus ${shared}\n`);
  console.log('scenario     files  rules   best s  median s   files/s (best)   cpu s   peak RSS   phases of the best run (s)');
  for (const s of scenarios) {
    const results: Figures[] = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', s], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`${s} failed: ${r.stderr}`);
      results.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures);
    }
    const best = results.reduce((a, b) => (b.wall < a.wall ? b : a));
    const phases = Object.entries(best.phases)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(3)}`)
      .join(', ');
    console.log(
      `${s.padEnd(11)} ${String(best.files).padStart(6)} ${String(best.rules).padStart(6)} ${(best.wall / 1000).toFixed(3).padStart(8)} ${(median(results.map((r) => r.wall)) / 1000).toFixed(3).padStart(9)} ${Math.round(best.files / (best.wall / 1000)).toLocaleString('en-US').padStart(16)} ${(best.cpu / 1000).toFixed(2).padStart(7)} ${`${(best.rss / 1024 / 1024).toFixed(0)} MB`.padStart(10)}   ${phases}`,
    );
  }
}

await main();
