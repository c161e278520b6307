/**
 * EQL parser benchmark.
 *
 *   npx tsx scripts/bench/parse-eql.ts [--fuzz N] [--runs N]
 *
 * 1. Cold: parses every EQL query of the corpus once, in a process that has not run the
 *    parser before (the corpus is read and decoded first, outside the timing). Prints
 *    queries/s, total seconds and the slowest query. On Linux it also prints the main
 *    thread's CPU time for the pass (10 ms resolution): on a shared, busy machine that is a
 *    steadier figure than wall time, which then mostly measures waiting for a core.
 * 2. Warm: the same again (`--runs`, default 3), best pass.
 * 3. Fuzz: N (default 100,000) seeded mutations of the corpus queries; prints cases/s, how
 *    many parsed, and the slowest case: as first timed, and after timing again (best of 5)
 *    the 20 slowest and the 20 longest inputs, which separates a slow parse from a pause of
 *    a busy machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { corpusQueries, hasShared, SHARED_MISSING } from '../../test/helpers/shared';
import { fuzz } from '../../test/helpers/fuzz';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** CPU milliseconds used so far by this process's main thread (Linux), or null. */
function mainThreadCpuMs(): number | null {
  const stat = `/proc/self/task/${process.pid}/stat`;
  if (!existsSync(stat)) return null;
  const fields = (readFileSync(stat, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  if (!hasShared) {
    console.log(SHARED_MISSING);
    return;
  }
  const queries = corpusQueries().filter((q) => q.language === 'eql');
  const chars = queries.reduce((n, q) => n + q.query.length, 0);

  // Import only now, so that nothing has run the parser before the cold pass.
  const t0 = performance.now();
  const { parseEql } = await import('../../src/lang/eql/parse');
  const importMs = performance.now() - t0;

  let failed = 0;
  let slowest = { ms: 0, file: '' };
  const cpu0 = mainThreadCpuMs();
  const c0 = performance.now();
  for (const q of queries) {
    const s = performance.now();
    const r = parseEql(q.query);
    const ms = performance.now() - s;
    if (ms > slowest.ms) slowest = { ms, file: q.file };
    if (!r.ok) failed++;
  }
  const coldMs = performance.now() - c0;
  const cpu1 = mainThreadCpuMs();
  console.log(`EQL corpus: ${queries.length} queries, ${(chars / 1024).toFixed(0)} KiB (module import ${importMs.toFixed(0)} ms, not counted)`);
  console.log(`  cold: ${(coldMs / 1000).toFixed(3)} s, ${Math.round(queries.length / (coldMs / 1000))} queries/s, ${failed} failed; slowest ${slowest.ms.toFixed(1)} ms (${slowest.file})`);
  if (cpu0 !== null && cpu1 !== null) console.log(`  cold, main-thread CPU: ${((cpu1 - cpu0) / 1000).toFixed(2)} s (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`);

  let best = Infinity;
  for (let i = 0; i < arg('--runs', 3); i++) {
    const w0 = performance.now();
    for (const q of queries) parseEql(q.query);
    best = Math.min(best, performance.now() - w0);
  }
  console.log(`  warm: ${(best / 1000).toFixed(3)} s, ${Math.round(queries.length / (best / 1000))} queries/s (best of ${arg('--runs', 3)})`);

  const cases = arg('--fuzz', 100_000);
  if (cases > 0) {
    let parsed = 0;
    const slowest: { ms: number; input: string }[] = [];
    const longest: { ms: number; input: string }[] = [];
    const keep = (list: { ms: number; input: string }[], item: { ms: number; input: string }, key: (x: { ms: number; input: string }) => number): void => {
      if (list.length >= 20 && key(item) <= key(list[list.length - 1] as { ms: number; input: string })) return;
      list.push(item);
      list.sort((a, b) => key(b) - key(a));
      if (list.length > 20) list.pop();
    };
    const f0 = performance.now();
    const report = fuzz(
      queries.map((q) => q.query),
      cases,
      20251201,
      (input) => {
        const t = performance.now();
        if (parseEql(input).ok) parsed++;
        const ms = performance.now() - t;
        keep(slowest, { ms, input }, (x) => x.ms);
        keep(longest, { ms, input }, (x) => x.input.length);
      },
    );
    const fuzzMs = performance.now() - f0;
    const retimed = [...slowest, ...longest]
      .map(({ input }) => {
        let best = Infinity;
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          parseEql(input);
          best = Math.min(best, performance.now() - t);
        }
        return { ms: best, input };
      })
      .sort((a, b) => b.ms - a.ms)[0] as { ms: number; input: string };
    console.log(
      `  fuzz: ${report.cases} cases in ${(fuzzMs / 1000).toFixed(2)} s, ${Math.round(report.cases / (fuzzMs / 1000))} cases/s, ` +
        `${parsed} parsed, ${report.cases - parsed} errors, ${report.crashes.length} crashes`,
    );
    console.log(`  fuzz slowest as first timed: ${report.slowest.ms.toFixed(1)} ms, input (${report.slowest.input.length} chars): ${JSON.stringify(report.slowest.input.slice(0, 100))}…`);
    console.log(`  fuzz slowest re-timed (20 slowest and 20 longest, best of 5): ${retimed.ms.toFixed(1)} ms, input (${retimed.input.length} chars): ${JSON.stringify(retimed.input.slice(0, 100))}…`);
  }
}

await main();
