/**
 * Example synthesis gives up by a work budget (src/eval/examples/work.ts), a count that depends
 * only on the rule: the same rule gives the same result however slow the clock runs, and a rule
 * over the budget gives up the same way every time (the site lets the browser make it).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { synthesizeExamples, OVER_BUDGET_REASON } from '../../../src/eval/examples';
import { lastWorkUsed, SYNTHESIS_WORK_BUDGET } from '../../../src/eval/examples/work';
import { evaluateRule } from '../../../src/eval/rules';
import { ruleFromToml } from '../../helpers/rule';
import { isDeferredExample } from '../../../src/site/examples';

const rule = ruleFromToml;

const NOW = Date.UTC(2025, 0, 15, 12);

// Many distinct values of a wildcard field (the shape of the corpus's costliest rule).
const paths = rule(`type = "threshold"
language = "kuery"
query = '''event.category:file and file.path : (/proc/*/cmdline or /proc/*/stat) and not process.name : (ps or top)'''
[rule.threshold]
field = ["host.id"]
value = 1
[[rule.threshold.cardinality]]
field = "file.path"
value = 40`);

// ES|QL repeats events until the aggregation holds (this loop stopped at a wall-clock deadline before).
const esql = rule(`type = "esql"
language = "esql"
query = '''FROM logs-*
| WHERE event.category == "authentication" AND event.outcome == "failure" AND NOT user.name IN ("svc-backup")
| STATS Esql.users = COUNT_DISTINCT(user.name) BY source.ip
| WHERE Esql.users >= 12'''`);

/** A clock that jumps 10 s at every reading, and a 1 ms deadline in the environment. */
function slowClock(): void {
  let t = NOW;
  vi.spyOn(Date, 'now').mockImplementation(() => (t += 10_000));
  let p = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (p += 10_000));
  vi.stubEnv('RULEDEX_EXAMPLE_DEADLINE_MS', '1');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the synthesis work budget', () => {
  it('the same rule gives the same examples (and spends the same work) however slow the clock', () => {
    for (const r of [paths, esql]) {
      const normal = synthesizeExamples(r, { now: NOW });
      const work = lastWorkUsed();
      slowClock();
      const slow = synthesizeExamples(r, { now: NOW });
      const slowWork = lastWorkUsed();
      vi.restoreAllMocks();
      expect(JSON.stringify(slow)).toBe(JSON.stringify(normal));
      expect(slowWork).toBe(work);
      expect(work).toBeGreaterThan(0);
      expect(work).toBeLessThan(SYNTHESIS_WORK_BUDGET);
      expect(normal.ok).toBe(true);
      if (!normal.ok) continue;
      expect(evaluateRule(r, normal.examples.example, { now: NOW }).fired).toBe(true);
      expect(evaluateRule(r, normal.examples.nearMiss!, { now: NOW }).fired).toBe(false);
    }
  });

  it('the threshold example has 40 distinct paths, each matching a pattern', () => {
    const s = synthesizeExamples(paths, { now: NOW });
    if (!s.ok) throw new Error(s.reason);
    const got = (s.examples.example.events as { file: { path: string } }[]).map((e) => e.file.path);
    expect(new Set(got).size).toBe(40);
    expect(got.every((p) => /^\/proc\/.*\/(cmdline|stat)$/.test(p))).toBe(true);
  });

  it('over the budget, synthesis gives up the same way every time, with or without a slow clock', () => {
    const budget = 2_000;
    const a = synthesizeExamples(paths, { now: NOW, workBudget: budget });
    slowClock();
    const b = synthesizeExamples(paths, { now: NOW, workBudget: budget });
    expect(a).toEqual({ ok: false, reason: `${OVER_BUDGET_REASON} (2000 work units)`, overBudget: true });
    expect(b).toEqual(a);
    expect(isDeferredExample(a)).toBe(true);
    expect(isDeferredExample({ ok: false, reason: 'no near miss was found' })).toBe(false);
  });

  it('a budget just above what a rule spends changes nothing; just below, it gives up', () => {
    const full = synthesizeExamples(esql, { now: NOW });
    const used = lastWorkUsed();
    expect(synthesizeExamples(esql, { now: NOW, workBudget: used })).toEqual(full);
    expect(synthesizeExamples(esql, { now: NOW, workBudget: used - 1 }).ok).toBe(false);
    expect(isDeferredExample(synthesizeExamples(esql, { now: NOW, workBudget: used - 1 }))).toBe(true);
  });
});
