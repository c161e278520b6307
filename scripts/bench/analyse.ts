/**
 * Benchmark: the catalog stages over the full corpus in one process — ingest (read + decode +
 * assemble + merge), parse every query, analyse every rule, corpus counts and indexes — and the
 * figures `ruledex catalog` prints (indicators, distinct keys, the ten most shared).
 *
 *   npx tsx scripts/bench/analyse.ts [--workers N] [--repeat N] [--node-default]
 *
 * Runs with V8's background pool sized as the `ruledex` command sizes it (see ./runtime.ts);
 * `--node-default` keeps Node's default pool of 4 threads.
 *
 * `--workers 0` decodes in this thread (default: ingest picks). `--repeat N` runs the
 * parse/analyse/counts stages N more times (warm) after the first, cold, run.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { docsRoot, hasShared, rulesRoot, SHARED_MISSING } from '../../test/helpers/shared';
import { loadSources } from '../../src/ingest/load';
import { buildCatalog } from '../../src/catalog/build';
import { corpusSummaryLines } from '../../src/catalog/corpus';
import { runBenchmark } from './runtime';
import type { Rule } from '../../src/model/rule';

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

const sec = (ms: number): string => (ms / 1000).toFixed(3);
/** CPU time of this thread alone in ms (Linux; null elsewhere): unlike process CPU, not inflated by V8's compiler and GC threads. */
function threadMs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}
const threads = (workers: number): string => (workers > 0 ? `${workers + 1} threads (this one and ${workers} decode worker${workers > 1 ? 's' : ''})` : '1 thread decoding (files read by a reader thread meanwhile)');

async function main(): Promise<number> {
  if (!hasShared) {
    console.error(SHARED_MISSING);
    return 1;
  }
  const workers = arg('--workers');
  const repeat = arg('--repeat') ?? 0;

  const cpuStart = process.cpuUsage();
  const thread0 = threadMs();
  const t0 = performance.now();
  const loaded = await loadSources([rulesRoot, docsRoot], workers === undefined ? {} : { workers });
  const t1 = performance.now();
  const ingestCpu = process.cpuUsage(cpuStart);
  const rules: Rule[] = loaded.result.rules;

  const run = (label: string): void => {
    const thread1 = threadMs();
    const cpu0 = process.cpuUsage();
    const a = performance.now();
    // The catalog stages as the build runs them: each rule parsed and analysed in one step, then
    // the corpus counts and indexes.
    const catalog = buildCatalog(loaded.result);
    const d = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const index = catalog;
    let predicates = 0;
    let stages = 0;
    for (const r of catalog.rules) {
      stages += r.analysis.stages.length;
      for (const s of r.analysis.stages) predicates += s.predicates.length;
    }
    const diagnostics = catalog.diagnostics.length - loaded.result.diagnostics.length;
    const tm = catalog.timings;
    console.log(
      `${label}: parse ${sec(tm.parse)} s + analyse ${sec(tm.analyse)} s (one pass: ${stages} stages, ${predicates} predicates, ${diagnostics} diagnostics), counts ${sec(tm.counts)} s` +
        ` (${index.fields.length} fields, ${index.indicators.length} keys); process CPU of the three: ${sec((cpu.user + cpu.system) / 1000)} s`,
    );
    const thread2 = threadMs();
    if (label === 'cold') {
      const total = t1 - t0 + (d - a);
      console.log(
        `catalog stages (ingest + parse + analyse + counts): ${sec(total)} s wall, ${threads(loaded.workers ?? 0)}  [ingest ${sec(t1 - t0)} s: read ${sec(loaded.timings.read)}, decode ${sec(loaded.timings.decode)}, assemble ${sec(loaded.timings.assemble)}; ` +
          `process CPU: ingest ${sec((ingestCpu.user + ingestCpu.system) / 1000)} s, rest ${sec((cpu.user + cpu.system) / 1000)} s; process CPU counts every thread, V8's compiler and GC helpers too]`,
      );
      if (thread0 !== null && thread1 !== null && thread2 !== null) {
        console.log(`this thread's CPU: ingest ${sec(thread1 - thread0)} s, parse + analyse + counts ${sec(thread2 - thread1)} s, total ${sec(thread2 - thread1 + (thread1 - thread0))} s`);
      }
      console.log(`load average: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times are inflated when it exceeds the cores)`);
      console.log(`rules: ${rules.length}`);
      for (const line of corpusSummaryLines({ rules: [], fields: catalog.fields, indicators: catalog.indicators, stats: catalog.stats })) console.log(line);
    }
  };
  run('cold');
  for (let i = 0; i < repeat; i++) run(`warm ${i + 1}`);
  return 0;
}

await runBenchmark(main);
