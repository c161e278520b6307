/**
 * The example synthesiser over the whole corpus: for every rule with an EQL, KQL or Lucene
 * query (every type but machine_learning and esql), the synthesised example must make the rule
 * fire and the near miss must not, both checked here independently with `evaluateRule`. At least
 * 95% of those rules must pass (the target); the exceptions are listed in the output.
 * ES|QL rules are checked the same way, with an 80% target (the 7 COMPLETION rules count as
 * failures: they cannot be evaluated here).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeExamples } from '../../src/eval/examples';
import { parseEsql } from '../../src/lang/esql';
import { evaluateRule } from '../../src/eval/rules';
import { loadSources } from '../../src/ingest/load';
import type { Rule } from '../../src/model/rule';
import { hasShared, mapYielding, rulesRoot } from '../helpers/shared';

const NOW = Date.UTC(2025, 0, 15, 12);

interface Outcome {
  rule: Rule;
  ok: boolean;
  why: string;
}

function check(rule: Rule): Outcome {
  const s = synthesizeExamples(rule, { now: NOW });
  if (!s.ok) return { rule, ok: false, why: s.reason };
  const ex = evaluateRule(rule, s.examples.example, { now: NOW });
  if (!ex.fired) return { rule, ok: false, why: 'the example does not fire' };
  if (s.examples.nearMiss === null) return { rule, ok: false, why: 'no near miss' };
  const miss = evaluateRule(rule, s.examples.nearMiss, { now: NOW });
  if (miss.fired) return { rule, ok: false, why: 'the near miss fires' };
  return { rule, ok: true, why: s.examples.nearMissNote };
}

function report(label: string, outcomes: Outcome[]): number {
  const failed = outcomes.filter((o) => !o.ok);
  const rate = (outcomes.length - failed.length) / outcomes.length;
  const lines = failed.map((o) => `  ${o.rule.files[0]?.replace(/^.*elastic-detection-rules\//, '')} (${o.rule.type}): ${o.why}`);
  console.log(`${label}: ${outcomes.length - failed.length}/${outcomes.length} rules (${(rate * 100).toFixed(1)}%) have a matching example and a non-matching near miss; exceptions:\n${lines.join('\n') || '  none'}`);
  return rate;
}

describe.skipIf(!hasShared)('synthesised examples over the corpus', () => {
  let rules: Rule[] = [];
  beforeAll(async () => {
    const loaded = await loadSources([rulesRoot], { workers: 0 });
    rules = loaded.result.rules;
  }, 120_000);

  it('≥ 95% of EQL, KQL and Lucene rules: the example fires, the near miss does not', async () => {
    const targets = rules.filter((r) => r.language === 'eql' || r.language === 'kuery' || r.language === 'lucene');
    expect(targets.length).toBe(1874);
    const outcomes = await mapYielding(targets, check);
    const rate = report('EQL/KQL/Lucene', outcomes);
    expect(rate).toBeGreaterThanOrEqual(0.95);
    // Every rule type with a query is represented among the successes.
    const okTypes = new Set(outcomes.filter((o) => o.ok).map((o) => o.rule.type));
    expect([...okTypes].sort()).toEqual(['eql', 'new_terms', 'query', 'threat_match', 'threshold']);
  }, 600_000);

  it('≥ 80% of ES|QL rules: the example fires, the near miss does not', async () => {
    const targets = rules.filter((r) => r.language === 'esql');
    expect(targets.length).toBe(212);
    const outcomes = await mapYielding(targets, check);
    const rate = report('ES|QL', outcomes);
    expect(rate).toBeGreaterThanOrEqual(0.8);
    // COMPLETION calls an LLM: those rules are refused, never half-evaluated.
    const completion = outcomes.filter((o) => {
      const p = parseEsql(o.rule.query ?? '');
      return p.ok && p.ast.commands.some((c) => c.kind === 'Completion');
    });
    expect(completion.length).toBe(7);
    for (const o of completion) expect(o.why).toBe('not evaluable in the browser: COMPLETION calls an LLM inference endpoint');
  }, 600_000);
});
