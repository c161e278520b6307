/**
 * The evaluator under seeded random input (eval-fuzz.ts): 5,000 cases over EQL (events,
 * sequences, samples), KQL, Lucene and ES|QL queries, generated, from the case tables and the
 * example content, or damaged, and the content rules evaluated on damaged examples. No case
 * throws, none is slow (a case over 100 ms is timed again, best of three, and must then be under
 * 100 ms: a first timing can include a pause of a busy machine), and enough cases compile and
 * match that the run exercises more than error paths.
 */
import { describe, expect, it } from 'vitest';
import { loadSources } from '../../src/ingest/load';
import { describeCase, fuzzEvaluator, loadSeeds, retime } from './eval-fuzz';
import { projectRoot } from '../helpers/shared';
import { join } from 'node:path';

const CASES = 5000;
const SLOW_MS = 100;

describe('evaluator fuzzing', () => {
  it(`${CASES} seeded cases: no throw, none slow`, async () => {
    const { result } = await loadSources([join(projectRoot, 'content')], { workers: 0 });
    const seeds = loadSeeds(result.rules);
    expect(seeds.examples.size).toBeGreaterThan(10);
    const report = fuzzEvaluator(CASES, 20251202, seeds, SLOW_MS);
    expect(report.cases).toBe(CASES);
    expect(report.crashes.map((c) => `${describeCase(c.case)}\n${c.error}`)).toEqual([]);
    const reallySlow = report.slow.map((s) => ({ ms: retime(s.case), what: describeCase(s.case) })).filter((s) => s.ms > SLOW_MS);
    expect(reallySlow).toEqual([]);
    // Every language and rule type is reached, compiles, and matches sometimes.
    for (const key of ['eql', 'kuery', 'lucene', 'esql', 'rule:eql', 'rule:query', 'rule:new_terms', 'rule:threat_match']) {
      const b = report.byLanguage[key];
      expect(b?.compiled, key).toBeGreaterThan((b?.cases ?? 0) / 2);
      expect(b?.matched, key).toBeGreaterThan(0);
    }
    console.log(
      `evaluator fuzz: ${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s (${Math.round(report.cases / (report.ms / 1000))}/s), ${report.compiled} compiled, ${report.matched} matched; slowest first timing ${report.slowest.ms.toFixed(1)} ms`,
    );
  }, 120_000);
});
