/**
 * Benchmark: parse the corpus's 212 ES|QL queries cold (the first pass in this process; the
 * parser modules are loaded and the corpus read before the clock starts, and the garbage of
 * reading 2,192 TOML files is collected first so that it is not billed to the parser), then
 * warm; then a seeded fuzz run over mutated corpus queries (100,000 cases by default).
 *
 *   npx tsx scripts/bench/parse-esql.ts [--fuzz N] [--seed S] [--node-default]
 *
 * Runs with V8's background pool sized as the `ruledex` command sizes it (see ./runtime.ts);
 * `--node-default` keeps Node's default pool of 4 threads.
 *
 * Prints queries/s and KiB/s per pass (wall; CPU of this thread and of the process, which also
 * counts V8's background compiler: on a loaded machine the thread's CPU is the steadier figure),
 * cases/s and the slowest fuzz case (timed again, best of 3, to tell a slow parse from a GC pause
 * or a descheduling on a shared machine).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { corpusQueries, hasShared, SHARED_MISSING } from '../../test/helpers/shared';
import { fuzz } from '../../test/helpers/fuzz';
import { parseEsql } from '../../src/lang/esql';
import { runAsRuledex, runtimeLine } from './runtime';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function bestOf3(input: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    parseEsql(input);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** CPU time of this thread alone in ms (Linux; null elsewhere): unlike process CPU, not inflated by V8's compiler and GC threads. */
function threadMs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/** A full garbage collection, through V8's `gc` exposed at run time. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

function main(): number {
  if (!hasShared) {
    console.error(SHARED_MISSING);
    return 1;
  }
  const queries = corpusQueries()
    .filter((q) => q.language === 'esql')
    .map((q) => q.query);
  const kib = queries.reduce((n, q) => n + q.length, 0) / 1024;
  collectGarbage();

  const pass = (label: string): void => {
    let failed = 0;
    const m0 = threadMs();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const q of queries) if (!parseEsql(q).ok) failed++;
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const m1 = threadMs();
    console.log(
      `${label}: ${queries.length} ES|QL queries (${kib.toFixed(0)} KiB) in ${s.toFixed(3)} s = ` +
        `${Math.round(queries.length / s)} queries/s, ${Math.round(kib / s)} KiB/s; failed ${failed}; CPU: this thread ${m0 === null || m1 === null ? '?' : ((m1 - m0) / 1000).toFixed(3)} s, process ${((c.user + c.system) / 1e6).toFixed(3)} s`,
    );
  };
  pass('cold');
  pass('warm');
  pass('warm');
  console.log(`load average: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores (wall times are inflated when it exceeds the cores)`);

  const cases = arg('--fuzz', 100_000);
  const seed = arg('--seed', 0xe5c1);
  if (cases > 0) {
    let errors = 0;
    const t0 = performance.now();
    const r = fuzz(queries, cases, seed, (input) => {
      if (!parseEsql(input).ok) errors++;
    });
    const s = (performance.now() - t0) / 1000;
    console.log(
      `fuzz: ${r.cases} cases (seed ${seed}) in ${s.toFixed(2)} s = ${Math.round(r.cases / s)} cases/s; ` +
        `${errors} syntax errors, ${r.crashes.length} crashes; slowest ${r.slowest.ms.toFixed(2)} ms ` +
        `(${r.slowest.input.length} chars; again, best of 3: ${bestOf3(r.slowest.input).toFixed(2)} ms)`,
    );
    for (const c of r.crashes.slice(0, 3)) console.log(`  crash: ${JSON.stringify(c.input.slice(0, 200))}: ${c.error.split('\n')[0]}`);
    if (r.crashes.length > 0) return 1;
  }
  return 0;
}

const relaunched = await runAsRuledex();
if (relaunched !== null) process.exitCode = relaunched;
else {
  console.log(runtimeLine());
  process.exitCode = main();
}
