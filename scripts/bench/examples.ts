/**
 * Benchmark: example synthesis (the evaluator's pre-filled examples) over the full corpus, as the
 * site build makes them — every rule with a query, given as `evaluatorRule` (the fields the
 * build's workers receive), at a fixed reference time so the output is deterministic.
 *
 *   npx tsx scripts/bench/examples.ts [--repeat N] [--lang esql|eql|kuery|lucene] [--node-default]
 *
 * Prints the rules, how many got an example and a near miss, how many failed and how many gave
 * up at the work budget, the time per rule (total, median, p95), the 10 slowest rules (with
 * their work units) and CPU seconds: this thread's (Linux; the synthesis itself) and the
 * process's (with V8's compiler and GC threads). `--repeat N` synthesises the corpus N times
 * (default 1; the first pass includes JIT warm-up and the regex cache filling); each rule's time
 * is its best pass, the totals are per pass. Runs under V8's background pool as `ruledex` runs
 * (./runtime.ts). Skips with a message when ../shared is absent.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { docsRoot, hasShared, rulesRoot, SHARED_MISSING } from '../../test/helpers/shared';
import { loadSources } from '../../src/ingest/load';
import { synthesizeExamples, type SynthesisResult } from '../../src/eval/examples/index';
import { lastWorkUsed } from '../../src/eval/examples/work';
import { evaluatorRule } from '../../src/views/rule-page';
import type { Rule } from '../../src/model/rule';
import { runBenchmark } from './runtime';

/** The reference time of the examples (the corpus test's). */
const NOW = Date.UTC(2025, 0, 15, 12);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** CPU time of this thread in ms (Linux; null elsewhere). */
function threadMs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

const sec = (ms: number): string => (ms / 1000).toFixed(2);
const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

interface Entry {
  rule: Rule;
  input: Rule;
  ms: number;
  work: number;
  result: SynthesisResult | null;
}

async function main(): Promise<number> {
  if (!hasShared) {
    console.log(`examples benchmark skipped: ${SHARED_MISSING}`);
    return 0;
  }
  const repeat = Math.max(1, Number(arg('--repeat') ?? 1));
  const lang = arg('--lang');
  const loaded = await loadSources([rulesRoot, docsRoot]);
  const rules = loaded.result.rules.filter((r) => r.query !== null && r.language !== null && (lang === undefined || r.language === lang));
  // What a build worker receives: the evaluator's fields of the rule, structured-cloned.
  const entries: Entry[] = rules.map((rule) => ({ rule, input: structuredClone(evaluatorRule(rule)) as unknown as Rule, ms: Infinity, work: 0, result: null }));
  const passes: { wall: number; thread: number | null; cpu: number }[] = [];
  for (let pass = 0; pass < repeat; pass++) {
    const thread0 = threadMs();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const e of entries) {
      const a = performance.now();
      e.result = synthesizeExamples(e.input, { now: NOW });
      e.ms = Math.min(e.ms, performance.now() - a);
      e.work = lastWorkUsed();
    }
    const cpu = process.cpuUsage(cpu0);
    const thread1 = threadMs();
    passes.push({ wall: performance.now() - t0, thread: thread0 !== null && thread1 !== null ? thread1 - thread0 : null, cpu: (cpu.user + cpu.system) / 1000 });
  }
  const results = entries.map((e) => e.result as SynthesisResult);
  const ok = results.filter((r) => r.ok).length;
  const nearMisses = results.filter((r) => r.ok && r.examples.nearMiss !== null).length;
  const partial = results.filter((r) => !r.ok && r.partial?.example !== undefined).length;
  const overBudget = results.filter((r) => !r.ok && r.overBudget === true).length;
  const times = entries.map((e) => e.ms).sort((a, b) => a - b);
  const sum = times.reduce((a, b) => a + b, 0);
  console.log(`rules with a query: ${entries.length}${lang ? ` (${lang})` : ''}; reference time ${new Date(NOW).toISOString()}`);
  console.log(`examples: ${ok} with a near miss (${nearMisses} near misses), ${partial} with an example only, ${results.length - ok - partial} without; ${overBudget} over the work budget`);
  console.log(`per rule (best of ${repeat} pass${repeat > 1 ? 'es' : ''}): total ${sec(sum)} s, median ${quantile(times, 0.5).toFixed(2)} ms, p95 ${quantile(times, 0.95).toFixed(2)} ms, max ${(times[times.length - 1] ?? 0).toFixed(1)} ms`);
  const byLang = new Map<string, number>();
  for (const e of entries) byLang.set(e.rule.language ?? '?', (byLang.get(e.rule.language ?? '?') ?? 0) + e.ms);
  console.log(`by language: ${[...byLang].sort((a, b) => b[1] - a[1]).map(([l, ms]) => `${l} ${sec(ms)} s`).join(', ')}`);
  console.log('slowest rules:');
  for (const e of [...entries].sort((a, b) => b.ms - a.ms).slice(0, 10)) {
    const r = e.result as SynthesisResult;
    const outcome = r.ok ? 'ok' : r.overBudget ? 'over budget' : 'failed';
    const file = (e.rule.files[0] ?? e.rule.id).replace(/^.*\/(elastic-detection-rules|elastic-security-docs)\//, '');
    console.log(`  ${e.ms.toFixed(1).padStart(8)} ms  ${String(e.work).padStart(7)} units  ${e.rule.language} ${outcome.padEnd(11)} ${file}`);
  }
  passes.forEach((p, i) => {
    console.log(`pass ${i + 1}: wall ${sec(p.wall)} s, this thread's CPU ${p.thread === null ? 'n/a' : `${sec(p.thread)} s`}, process CPU ${sec(p.cpu)} s`);
  });
  console.log(`load average: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (CPU figures are steadier than wall times on a shared machine)`);
  return 0;
}

await runBenchmark(main);
