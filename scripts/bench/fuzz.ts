/**
 * Fuzzing benchmark: the evaluator and the four parsers under seeded random input.
 *
 *   npx tsx scripts/bench/fuzz.ts [--cases N] [--parse N] [--seed S]
 *
 * 1. Evaluator: N (default 100,000) cases of test/hostile/eval-fuzz.ts: generated, tabled and
 *    damaged queries of every language (EQL sequences and samples included) run over random
 *    events, and the example content's rules evaluated on damaged examples.
 * 2. Parsers: N (default 100,000) per language of test/helpers/fuzz.ts's mutations, seeded with
 *    the case tables' queries and the corpus queries (../shared) when present.
 *
 * Each prints cases/s, crashes (with the first few), and the slowest case: as first timed and
 * re-timed (best of 5 over the 20 slowest), which separates a slow case from a pause of a busy
 * machine. Also the process CPU time and the load average. Exit status 1 when anything crashed
 * or a re-timed case took over a second.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-toml';
import { loadSources } from '../../src/ingest/load';
import { parseQuery } from '../../src/lang';
import type { QueryLanguage } from '../../src/model/rule';
import { describeCase, fuzzEvaluator, LANGUAGES, loadSeeds, retime } from '../../test/hostile/eval-fuzz';
import { fuzz } from '../../test/helpers/fuzz';
import { corpusQueries, hasShared, projectRoot } from '../../test/helpers/shared';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const clip = (s: string, n = 120): string => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);
const load1 = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';

let failed = false;

async function evaluator(cases: number, seed: number): Promise<void> {
  const { result } = await loadSources([join(projectRoot, 'content')], { workers: 0 });
  const seeds = loadSeeds(result.rules);
  const cpu0 = process.cpuUsage();
  const report = fuzzEvaluator(cases, seed, seeds, 20);
  const cpu = process.cpuUsage(cpu0);
  console.log(`evaluator: ${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s, ${Math.round(report.cases / (report.ms / 1000))} cases/s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, load ${load1()})`);
  console.log(`  ${report.compiled} compiled, ${report.matched} with matches; crashes: ${report.crashes.length}`);
  for (const [k, b] of Object.entries(report.byLanguage).sort()) console.log(`    ${k.padEnd(22)} ${String(b.cases).padStart(7)} cases, ${String(b.compiled).padStart(7)} compiled, ${String(b.matched).padStart(7)} matched`);
  for (const c of report.crashes.slice(0, 5)) console.log(`  CRASH ${describeCase(c.case)}\n    ${c.error.split('\n').slice(0, 4).join('\n    ')}`);
  if (report.slowest.case) console.log(`  slowest as first timed: ${report.slowest.ms.toFixed(1)} ms: ${describeCase(report.slowest.case).slice(0, 240)}`);
  const retimed = report.slow
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 20)
    .map((s) => ({ ms: retime(s.case, 5), c: s.case }))
    .sort((a, b) => b.ms - a.ms)[0];
  if (retimed) console.log(`  slowest re-timed (20 slowest, best of 5): ${retimed.ms.toFixed(1)} ms: ${describeCase(retimed.c).slice(0, 240)}`);
  if (report.crashes.length > 0 || (retimed?.ms ?? 0) > 1000) failed = true;
}

function tableQueries(language: QueryLanguage): string[] {
  const files: Record<QueryLanguage, string[]> = { eql: ['eql.toml', 'eval-eql.toml'], kuery: ['kql.toml', 'eval-kql.toml'], lucene: ['lucene.toml', 'eval-lucene.toml'], esql: ['esql.toml', 'eval-esql.toml'] };
  const out: string[] = [];
  for (const f of files[language]) {
    const doc = load(readFileSync(join(projectRoot, 'test', 'cases', f), 'utf8')) as { case?: { query?: unknown }[] };
    for (const c of doc.case ?? []) if (typeof c.query === 'string') out.push(c.query);
  }
  return out;
}

function parsers(cases: number, seed: number): void {
  console.log(`parsers: seeds from the case tables${hasShared ? ' and the corpus (../shared)' : ' (../shared is absent: no corpus seeds)'}`);
  for (const language of LANGUAGES) {
    const seeds = [...tableQueries(language), ...(hasShared ? corpusQueries().filter((q) => q.language === language).map((q) => q.query) : [])];
    let parsed = 0;
    const slowest: { ms: number; input: string }[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = fuzz(seeds, cases, seed, (input) => {
      const s = performance.now();
      if (parseQuery(language, input).ok) parsed++;
      const ms = performance.now() - s;
      if (slowest.length < 20 || ms > (slowest[slowest.length - 1]?.ms ?? 0)) {
        slowest.push({ ms, input });
        slowest.sort((a, b) => b.ms - a.ms);
        slowest.length = Math.min(slowest.length, 20);
      }
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const retimed = slowest
      .map(({ input }) => {
        let best = Infinity;
        for (let i = 0; i < 5; i++) {
          const s = performance.now();
          parseQuery(language, input);
          best = Math.min(best, performance.now() - s);
        }
        return { ms: best, input };
      })
      .sort((a, b) => b.ms - a.ms)[0];
    console.log(
      `  ${language.padEnd(7)} ${report.cases} cases from ${seeds.length} seeds in ${(ms / 1000).toFixed(1)} s, ${Math.round(report.cases / (ms / 1000))} cases/s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s), ${parsed} parsed, crashes: ${report.crashes.length}`,
    );
    console.log(`          slowest as first timed ${report.slowest.ms.toFixed(1)} ms ${clip(report.slowest.input)}; re-timed ${retimed ? `${retimed.ms.toFixed(1)} ms ${clip(retimed.input)}` : '-'}`);
    for (const c of report.crashes.slice(0, 3)) console.log(`    CRASH ${clip(c.input)}\n      ${c.error.split('\n').slice(0, 3).join('\n      ')}`);
    if (report.crashes.length > 0 || (retimed?.ms ?? 0) > 1000) failed = true;
  }
}

const seed = arg('--seed', 20251202);
await evaluator(arg('--cases', 100_000), seed);
parsers(arg('--parse', 100_000), seed);
process.exitCode = failed ? 1 : 0;
