/**
 * Parse benchmark across languages (prints figures; not a test): every corpus query, cold, in
 * one process, in the order EQL → KQL (query + threat_query) → Lucene → ES|QL, then a warm pass.
 * Per-language figures with fuzzing are in parse-eql.ts, parse-kql.ts and parse-esql.ts.
 *
 *   npx tsx scripts/bench/parse.ts
 */
import { cpus, loadavg } from 'node:os';
import { corpusQueries, hasShared, SHARED_MISSING } from '../../test/helpers/shared';
import { parseQuery } from '../../src/lang/index';
import { isQueryLanguage, type QueryLanguage } from '../../src/model/rule';

if (!hasShared) {
  console.log(SHARED_MISSING);
  process.exit(0);
}

const order: QueryLanguage[] = ['eql', 'kuery', 'lucene', 'esql'];
const queries = corpusQueries();
const byLang = new Map<QueryLanguage, string[]>(order.map((l) => [l, []]));
for (const q of queries) if (isQueryLanguage(q.language)) byLang.get(q.language)?.push(q.query);

function pass(): Map<QueryLanguage, { n: number; failed: number; ms: number }> {
  const out = new Map<QueryLanguage, { n: number; failed: number; ms: number }>();
  for (const lang of order) {
    const list = byLang.get(lang) ?? [];
    let failed = 0;
    const t0 = performance.now();
    for (const q of list) if (!parseQuery(lang, q).ok) failed++;
    out.set(lang, { n: list.length, failed, ms: performance.now() - t0 });
  }
  return out;
}

const cpu0 = process.cpuUsage();
const cold = pass();
const cpuCold = process.cpuUsage(cpu0);
const warm = pass();

console.log(`parse benchmark: ${queries.length} corpus queries, node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}`);
console.log(`  ${'language'.padEnd(8)} ${'queries'.padStart(7)} ${'failed'.padStart(6)} ${'cold s'.padStart(8)} ${'cold q/s'.padStart(9)} ${'warm s'.padStart(8)} ${'warm q/s'.padStart(9)}`);
for (const lang of order) {
  const c = cold.get(lang), w = warm.get(lang);
  if (!c || !w) continue;
  console.log(
    `  ${lang.padEnd(8)} ${String(c.n).padStart(7)} ${String(c.failed).padStart(6)} ${(c.ms / 1000).toFixed(3).padStart(8)} ${String(Math.round(c.n / (c.ms / 1000))).padStart(9)} ${(w.ms / 1000).toFixed(3).padStart(8)} ${String(Math.round(w.n / (w.ms / 1000))).padStart(9)}`,
  );
}
const ek = (cold.get('eql')?.ms ?? 0) + (cold.get('kuery')?.ms ?? 0);
const ekN = (cold.get('eql')?.n ?? 0) + (cold.get('kuery')?.n ?? 0);
console.log(`  EQL+KQL cold: ${ekN} queries in ${(ek / 1000).toFixed(3)} s (${Math.round(ekN / (ek / 1000))} q/s); target < 0.3 s`);
console.log(`  process CPU during the cold pass: ${((cpuCold.user + cpuCold.system) / 1e6).toFixed(3)} s (includes V8 background compilation)`);
