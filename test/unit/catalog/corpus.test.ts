/** Corpus counts, the fields and indicators indexes, and similar rules, over hand-made rules. */
import { describe, expect, it } from 'vitest';
import type { AnalysedRule } from '../../../src/analysis';
import { buildCorpusIndex, corpusKey, corpusSummaryLines, mostSharedIndicators } from '../../../src/catalog/corpus';
import type { Rule } from '../../../src/model/rule';
import { analyse, eqlRule, esqlRule, queryRule } from '../analysis/helpers';

function analysed(rules: [string, Rule][]): AnalysedRule[] {
  return rules.map(([id, rule]) => ({ id, analysis: analyse({ ...rule, id }).analysis }));
}

/** `field kind values(corpus)` per row. */
function counted(rows: { field: string; kind: string; caseInsensitive: boolean; values: { value: string; corpus: number }[] }[]): string[] {
  return rows.map((r) => `${r.field} ${r.kind}${r.caseInsensitive ? '~' : ''} ${r.values.map((v) => `${v.value}(${v.corpus})`).join(', ')}`);
}

/** Four rules sharing `bash` and `S-1-5-18` under every operator and role (fresh analyses on each call). */
function bashRules(): AnalysedRule[] {
  return analysed([
    ['r1', queryRule('process.name:(bash or sh or zsh) and not user.id:"S-1-5-18" and host.os.type:linux')],
    ['r2', eqlRule('process where process.name == "bash" and user.id != "S-1-5-18" and host.os.type == "linux"')],
    ['r3', eqlRule('process where process.name : ("BASH", "Dash") and not host.os.type == "linux"')],
    ['r4', esqlRule('FROM x | WHERE process.name == "Bash" AND user.id == "S-1-5-18"')],
  ]);
}

describe('corpus counts', () => {
  const input = bashRules();
  const index = buildCorpusIndex(input);
  const rule = (id: string) => index.rules.find((r) => r.id === id);

  it('a value of an in list and the same single eq value share a key; letter case counts only under case-insensitive operators', () => {
    // bash: r1 (in), r2 (==) exact; r3 `: "BASH"` case-insensitive; r4 `== "Bash"` exact, another spelling.
    expect(counted(rule('r1')?.analysis.indicators ?? [])).toEqual(['process.name in bash(3), sh(1), zsh(1)']);
    expect(counted(rule('r2')?.analysis.indicators ?? [])).toEqual(['event.category eq process(2)', 'process.name eq bash(3)']);
    // The case-insensitive BASH counts every spelling: r1, r2, r3, r4.
    expect(counted(rule('r3')?.analysis.indicators ?? [])).toEqual(['event.category eq process(2)', 'process.name in~ BASH(4), Dash(1)']);
    // The exact Bash counts itself and the case-insensitive r3, not the exact bash of r1, r2.
    expect(counted(rule('r4')?.analysis.indicators ?? [])).toEqual(['process.name eq Bash(2)', 'user.id eq S-1-5-18(1)']);
  });

  it('indicator and exclusion roles count apart; scope rows count by their polarity', () => {
    expect(counted(rule('r1')?.analysis.exclusions ?? [])).toEqual(['user.id eq S-1-5-18(2)']);
    expect(counted(rule('r2')?.analysis.exclusions ?? [])).toEqual(['user.id eq S-1-5-18(2)']);
    expect(index.indicators.find((e) => e.key === corpusKey('indicator', 'user.id', 'eq', 'S-1-5-18'))?.ruleIds).toEqual(['r4']);
    expect(index.indicators.find((e) => e.key === corpusKey('exclusion', 'user.id', 'eq', 'S-1-5-18'))?.ruleIds).toEqual(['r1', 'r2']);
    expect(counted(rule('r1')?.analysis.scope ?? [])).toEqual(['host.os.type eq linux(2)']);
    expect(counted(rule('r3')?.analysis.scope ?? [])).toEqual(['host.os.type eq linux(1)']);
  });

  it('leaves its input untouched (counts are filled in copies)', () => {
    expect(input[0]?.analysis.indicators[0]?.values[0]?.corpus).toBe(0);
  });

  it('with fillInPlace, fills the input analyses themselves, with the same counts and indexes', () => {
    const own = bashRules();
    const inPlace = buildCorpusIndex(own, { fillInPlace: true });
    expect(inPlace.rules.map((r) => r.analysis)).toEqual(own.map((r) => r.analysis));
    inPlace.rules.forEach((r, i) => expect(r.analysis).toBe(own[i]?.analysis));
    expect(inPlace).toEqual(index);
  });

  it('indexes keys (case folded) with rule ids, spellings, the most common spelling, and the case-insensitive flag', () => {
    const bash = index.indicators.find((e) => e.key === 'indicator|process.name|eq|bash');
    expect(bash).toEqual({
      key: 'indicator|process.name|eq|bash',
      role: 'indicator',
      scope: false,
      field: 'process.name',
      kind: 'eq',
      value: 'bash',
      spellings: ['BASH', 'Bash', 'bash'],
      caseInsensitive: true,
      rules: 4,
      ruleIds: ['r1', 'r2', 'r3', 'r4'],
    });
    expect(index.indicators.find((e) => e.key === 'indicator|process.name|eq|sh')).toMatchObject({ spellings: ['sh'], caseInsensitive: false, rules: 1 });
    expect(index.indicators.slice(0, 4).map((e) => [e.key, e.rules])).toEqual([
      ['indicator|process.name|eq|bash', 4],
      ['exclusion|user.id|eq|s-1-5-18', 2],
      ['indicator|event.category|eq|process', 2],
      ['indicator|host.os.type|eq|linux', 2],
    ]);
    expect(index.indicators.map((e) => e.key)).toHaveLength(9);
  });

  it('indexes fields: rules using them, by role and kind, and their most common values', () => {
    const f = index.fields.find((x) => x.field === 'process.name');
    expect(f).toEqual({
      field: 'process.name',
      scope: false,
      rules: 4,
      indicatorRules: 4,
      exclusionRules: 0,
      kinds: [{ kind: 'eq', rules: 4 }],
      topValues: [
        { role: 'indicator', kind: 'eq', value: 'bash', caseInsensitive: true, rules: 4, key: 'indicator|process.name|eq|bash' },
        { role: 'indicator', kind: 'eq', value: 'Dash', caseInsensitive: true, rules: 1, key: 'indicator|process.name|eq|dash' },
        { role: 'indicator', kind: 'eq', value: 'sh', caseInsensitive: false, rules: 1, key: 'indicator|process.name|eq|sh' },
        { role: 'indicator', kind: 'eq', value: 'zsh', caseInsensitive: false, rules: 1, key: 'indicator|process.name|eq|zsh' },
      ],
      distinctValues: 4,
      ruleIds: ['r1', 'r2', 'r3', 'r4'],
    });
    expect(index.fields.map((x) => x.field)).toEqual(['event.category', 'host.os.type', 'process.name', 'user.id']);
    expect(index.fields.find((x) => x.field === 'host.os.type')).toMatchObject({ scope: true, rules: 3, indicatorRules: 2, exclusionRules: 1 });
    expect(index.fields.find((x) => x.field === 'user.id')).toMatchObject({ rules: 3, indicatorRules: 1, exclusionRules: 2, ruleIds: ['r1', 'r2', 'r4'] });
  });

  it('summarises: totals, distinct keys, most shared indicators (scope left out)', () => {
    expect(index.stats).toEqual({
      rules: 4,
      rulesWithIndicators: 4,
      indicatorRows: 7,
      indicatorValues: 10,
      exclusionRows: 2,
      exclusionValues: 2,
      scopeRows: 3,
      distinctIndicatorKeys: 6,
      distinctExclusionKeys: 1,
      distinctScopeKeys: 2,
      sharedIndicatorKeys: 2,
    });
    expect(mostSharedIndicators(index, 2).map((e) => e.key)).toEqual(['indicator|process.name|eq|bash', 'indicator|event.category|eq|process']);
    expect(corpusSummaryLines(index, 1)).toEqual([
      'indicators: 10 values in 7 rows (4 of 4 rules)',
      'exclusions: 2 values in 2 rows; scope rows: 3 (2 distinct keys)',
      'distinct indicator keys: 6 (2 shared by 2+ rules); distinct exclusion keys: 1',
      '1 most shared indicators:',
      '   1. process.name eq "bash" (case-insensitive): 4 rules',
    ]);
  });
});

describe('similar rules', () => {
  it('ranks by Jaccard over indicator keys, then shared keys, then id; top n; scope ignored', () => {
    const input = analysed([
      ['a', queryRule('x:1 and y:2 and z:3 and host.os.type:linux')],
      ['b', queryRule('x:1 and y:2 and z:3 and host.os.type:windows')],
      ['c', queryRule('x:1 and y:2')],
      ['d', queryRule('x:1 and y:2 and w:9')],
      ['e', queryRule('x:1 and y:2 and v:8')],
      ['f', queryRule('q:0')],
    ]);
    const index = buildCorpusIndex(input, { similar: 3 });
    const sim = (id: string) => index.rules.find((r) => r.id === id)?.similar;
    expect(sim('a')).toEqual([
      { id: 'b', score: 1, shared: 3 },
      { id: 'c', score: 0.6667, shared: 2 },
      { id: 'd', score: 0.5, shared: 2 },
    ]);
    // c: a and b 2/3, d and e 2/3 → shared ties → id order.
    expect(sim('c')).toEqual([
      { id: 'a', score: 0.6667, shared: 2 },
      { id: 'b', score: 0.6667, shared: 2 },
      { id: 'd', score: 0.6667, shared: 2 },
    ]);
    expect(sim('f')).toEqual([]);
  });
});
