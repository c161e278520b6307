/**
 * Benchmark for the KQL and Lucene parsers (prints figures; not a test).
 *
 *   npx tsx scripts/bench/parse-kql.ts               cold + warm corpus pass, 100,000-case fuzz
 *   npx tsx scripts/bench/parse-kql.ts --fuzz 20000  fewer fuzz cases
 *   npx tsx scripts/bench/parse-kql.ts --repeat 7    the cold pass in 7 fresh processes: min and median
 *
 * Cold = the first pass over every corpus KQL string (792 `query` + 9 `threat_query`) and the
 * Lucene query in a fresh process; the parser modules are loaded before the clock starts, the
 * corpus TOML is read before it too. Wall time and process CPU time (all threads: it includes
 * V8's background compilation) are both printed: the machines are shared, and wall time
 * varies with their load. The fuzz run mutates corpus queries (test/helpers/fuzz.ts) and
 * reports cases/s and the slowest case, timed again (best of 3) to tell a slow parse from a
 * scheduler pause.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { corpusQueries, hasShared, SHARED_MISSING } from '../../test/helpers/shared';
import { fuzz } from '../../test/helpers/fuzz';
import { parseKql } from '../../src/lang/kql';
import { parseLucene } from '../../src/lang/lucene';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

interface Pass {
  queries: number;
  wallMs: number;
  cpuMs: number;
  luceneMs: number;
  failed: number;
}

function corpus(): { kql: string[]; lucene: string[] } {
  const all = corpusQueries();
  return {
    kql: all.filter((q) => q.language === 'kuery').map((q) => q.query),
    lucene: all.filter((q) => q.language === 'lucene').map((q) => q.query),
  };
}

function pass(kql: string[], lucene: string[]): Pass {
  let failed = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const q of kql) if (!parseKql(q).ok) failed++;
  const t1 = performance.now();
  const c = process.cpuUsage(c0);
  for (const q of lucene) if (!parseLucene(q).ok) failed++;
  const t2 = performance.now();
  return { queries: kql.length, wallMs: t1 - t0, cpuMs: (c.user + c.system) / 1000, luceneMs: t2 - t1, failed };
}

function line(label: string, p: Pass): string {
  return `${label}: kuery ${p.queries} queries in ${(p.wallMs / 1000).toFixed(3)} s = ${Math.round((p.queries * 1000) / p.wallMs)} queries/s (process CPU ${(p.cpuMs / 1000).toFixed(3)} s); lucene 1 query in ${p.luceneMs.toFixed(1)} ms; failed ${p.failed}`;
}

function best3(run: (s: string) => void, input: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    run(input);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function main(): number {
  if (!hasShared) {
    console.error(SHARED_MISSING);
    return 1;
  }
  const load = `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on this machine`;

  if (process.argv.includes('--cold-json')) {
    const { kql, lucene } = corpus();
    console.log(JSON.stringify(pass(kql, lucene)));
    return 0;
  }

  const repeat = arg('--repeat', 0);
  if (repeat > 0) {
    const script = new URL(import.meta.url).pathname;
    const runs: Pass[] = [];
    for (let i = 0; i < repeat; i++) {
      const out = execFileSync(process.execPath, [...process.execArgv, script, '--cold-json'], { encoding: 'utf8' });
      runs.push(JSON.parse(out.trim().split('\n').pop() as string) as Pass);
    }
    const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
    const wall = sorted(runs.map((r) => r.wallMs));
    const cpu = sorted(runs.map((r) => r.cpuMs));
    const mid = (xs: number[]): number => xs[Math.floor(xs.length / 2)] as number;
    const n = runs[0]?.queries ?? 0;
    console.log(`cold, ${repeat} fresh processes (${load}):`);
    console.log(`  wall: min ${(wall[0] as number).toFixed(0)} ms (${Math.round((n * 1000) / (wall[0] as number))} queries/s), median ${mid(wall).toFixed(0)} ms (${Math.round((n * 1000) / mid(wall))} queries/s)`);
    console.log(`  process CPU: min ${(cpu[0] as number).toFixed(0)} ms, median ${mid(cpu).toFixed(0)} ms; failed ${runs.reduce((s, r) => s + r.failed, 0)}`);
    return 0;
  }

  const { kql, lucene } = corpus();
  console.log(`(${load})`);
  console.log(line('cold', pass(kql, lucene)));
  console.log(line('warm', pass(kql, lucene)));

  const cases = arg('--fuzz', 100_000);
  const seed = arg('--seed', 20240917);
  const runs: [string, string[], (s: string) => void][] = [
    ['kuery', kql, (s) => void parseKql(s)],
    ['lucene', [...lucene, ...kql.slice(0, 200)], (s) => void parseLucene(s)],
  ];
  for (const [name, seeds, run] of runs) {
    if (cases <= 0) break;
    const t0 = performance.now();
    const slow: string[] = [];
    const r = fuzz(seeds, cases, seed, (s) => {
      const t = performance.now();
      run(s);
      if (performance.now() - t > 10) slow.push(s);
    });
    const secs = (performance.now() - t0) / 1000;
    const retimed = slow.map((s) => ({ ms: best3(run, s), len: s.length })).sort((a, b) => b.ms - a.ms)[0];
    console.log(
      `fuzz ${name}: ${r.cases} cases in ${secs.toFixed(2)} s = ${Math.round(r.cases / secs)} cases/s; crashes ${r.crashes.length}; ` +
        `slowest ${r.slowest.ms.toFixed(1)} ms (${r.slowest.input.length} chars); ${slow.length} cases over 10 ms, the worst of them timed again: ` +
        (retimed ? `${retimed.ms.toFixed(2)} ms (${retimed.len} chars)` : 'none'),
    );
    for (const c of r.crashes.slice(0, 3)) console.log(`  crash: ${JSON.stringify(c.input.slice(0, 200))}: ${c.error.split('\n')[0]}`);
  }
  return 0;
}

process.exitCode = main();
