import { describe, expect, it } from 'vitest';
import { computeCoverage, countRules, ruleStatus, type CoveringRule } from '../../../src/attack/coverage';
import { indexFromRules } from '../../../src/attack/from-rules';
import { readStixBundle } from '../../../src/attack/stix';
import { DEFENSE_EVASION, EXECUTION, PERSISTENCE, entry, rule, smallBundle } from './fixtures';

const index = readStixBundle(smallBundle(), { file: 'b.json' }).index;
if (!index) throw new Error('fixture bundle unreadable');

const rules = [
  rule('p1', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter', subs: [['T1059.001', 'PowerShell']] }]), entry(DEFENSE_EVASION, [{ id: 'T1055', name: 'Process Injection' }])], { severity: 'high' }),
  rule('p2', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter' }]), entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter' }])], { severity: 'low' }),
  rule('bb', [entry(DEFENSE_EVASION, [{ id: 'T1027', name: 'Obfuscated Files or Information' }])], { buildingBlock: true }),
  rule('dep', [entry(PERSISTENCE, [{ id: 'T1547', name: 'Boot or Logon Autostart Execution', subs: [['T1547.011', 'Plist Modification']] }])], { maturity: 'deprecated', deprecated: true, severity: 'critical' }),
  rule('dev', [entry(DEFENSE_EVASION, [{ id: 'T1999', name: 'Made Up' }])], { maturity: 'development' }),
  rule('none', []),
  rule('atlas', [{ ...entry(EXECUTION, [{ id: 'T1059', name: 'x' }]), framework: 'MITRE ATLAS' }]),
];
const ref = (id: string, status: CoveringRule['status'], severity = 'medium'): CoveringRule => ({ id, name: `Rule ${id}`, slug: `rule-${id}`, severity, status });
const P1 = ref('p1', 'production', 'high'), P2 = ref('p2', 'production', 'low'), BB = ref('bb', 'buildingBlock'), DEP = ref('dep', 'deprecated', 'critical'), DEV = ref('dev', 'other');

describe('ruleStatus and countRules', () => {
  it.each([
    [{ maturity: 'production', deprecated: false, buildingBlock: false }, 'production'],
    [{ maturity: 'production', deprecated: false, buildingBlock: true }, 'buildingBlock'],
    [{ maturity: 'production', deprecated: true, buildingBlock: true }, 'deprecated'],
    [{ maturity: 'deprecated', deprecated: false, buildingBlock: false }, 'deprecated'],
    [{ maturity: 'experimental', deprecated: false, buildingBlock: false }, 'other'],
  ] as const)('%j is %s', (r, status) => {
    expect(ruleStatus(r)).toBe(status);
  });

  it('orders the severity mix low, medium, high, critical, then others by name', () => {
    const c = countRules([ref('a', 'production', 'critical'), ref('b', 'production', 'weird'), ref('c', 'buildingBlock', 'low'), ref('d', 'deprecated', 'critical'), ref('e', 'other', 'another')]);
    expect(c).toEqual({ rules: 5, production: 2, buildingBlock: 1, deprecated: 1, other: 1, severity: { low: 1, critical: 2, another: 1, weird: 1 } });
    expect(Object.keys(c.severity)).toEqual(['low', 'critical', 'another', 'weird']);
  });
});

describe('computeCoverage against a bundle', () => {
  const cov = computeCoverage(rules, index);

  it('lists covered techniques by id with their rules, counts and tactics; a revoked id counts for its replacement', () => {
    expect(cov.techniques.map((t) => [t.id, t.known, t.subtechnique, t.rules.map((r) => r.id), t.byTactic.map((p) => p.tacticId), t.redirectedFrom])).toEqual([
      ['T1027', true, false, ['bb'], ['TA0005'], []],
      ['T1055', true, false, ['p1'], ['TA0005'], []],
      ['T1059', true, false, ['p1', 'p2'], ['TA0002'], []],
      ['T1059.001', true, true, ['p1'], ['TA0002'], []],
      ['T1547', true, false, ['dep'], ['TA0003'], []],
      ['T1647', true, false, ['dep'], ['TA0003'], ['T1547.011']],
      ['T1999', false, false, ['dev'], ['TA0005'], []],
    ]);
    const t1059 = cov.techniques.find((t) => t.id === 'T1059');
    expect(t1059?.rules).toEqual([P1, P2]);
    expect(t1059?.counts).toEqual({ rules: 2, production: 2, buildingBlock: 0, deprecated: 0, other: 0, severity: { low: 1, high: 1 } });
    expect(cov.techniques.find((t) => t.id === 'T1999')).toMatchObject({ name: 'T1999', parentId: null });
  });

  it('gives each tactic, in matrix order, its rules and covered / uncovered techniques and sub-techniques', () => {
    expect(cov.tactics.map((t) => ({ id: t.id, shortname: t.shortname, rules: t.rules, techniques: t.techniques, subtechniques: t.subtechniques, outside: t.outside }))).toEqual([
      { id: 'TA0003', shortname: 'persistence', rules: [DEP], techniques: { total: 2, covered: 1, uncovered: ['T1055'] }, subtechniques: { total: 1, covered: 0, uncovered: ['T1055.001'] }, outside: ['T1647'] },
      { id: 'TA0002', shortname: 'execution', rules: [P1, P2], techniques: { total: 1, covered: 1, uncovered: [] }, subtechniques: { total: 2, covered: 1, uncovered: ['T1059.003'] }, outside: [] },
      { id: 'TA0005', shortname: 'defense-evasion', rules: [BB, DEV, P1], techniques: { total: 4, covered: 2, uncovered: ['T1218', 'T1647'] }, subtechniques: { total: 1, covered: 0, uncovered: ['T1055.001'] }, outside: ['T1999'] },
    ]);
    expect(cov.tactics[2]?.counts).toEqual({ rules: 3, production: 1, buildingBlock: 1, deprecated: 0, other: 1, severity: { medium: 2, high: 1 } });
  });

  it('lists the techniques no rule covers and the unmapped rules, and totals', () => {
    expect(cov.uncovered).toEqual([
      { id: 'T1055.001', name: 'Dynamic-link Library Injection', subtechnique: true, tactics: ['TA0003', 'TA0005'] },
      { id: 'T1059.003', name: 'Windows Command Shell', subtechnique: true, tactics: ['TA0002'] },
      { id: 'T1218', name: 'System Binary Proxy Execution', subtechnique: false, tactics: ['TA0005'] },
    ]);
    expect(cov.unmappedRules.map((r) => r.id)).toEqual(['atlas', 'none']);
    expect([cov.mappedRules, cov.indexOrigin, cov.attackVersion]).toEqual([5, 'stix', '17.1']);
    expect(cov.totals).toEqual({ rules: 7, tactics: 3, techniques: 6, subtechniques: 1, indexTechniques: 6, indexSubtechniques: 3, coveredIndexTechniques: 5, coveredIndexSubtechniques: 1 });
  });

  it('counts ids as declared when redirects are off', () => {
    const raw = computeCoverage(rules, index, { resolveRedirects: false });
    expect(raw.techniques.map((t) => t.id)).toEqual(['T1027', 'T1055', 'T1059', 'T1059.001', 'T1547', 'T1547.011', 'T1999']);
    expect(raw.totals.subtechniques).toBe(2);
  });

  it('does not depend on the order of the rules', () => {
    expect(JSON.stringify(computeCoverage([...rules].reverse(), index))).toBe(JSON.stringify(cov));
  });
});

describe('computeCoverage against an index built from the same rules', () => {
  it('has nothing uncovered and places techniques where rules file them', () => {
    const own = indexFromRules(rules);
    const cov = computeCoverage(rules, own);
    expect(cov.uncovered).toEqual([]);
    expect(cov.tactics.map((t) => [t.id, t.rules.length, t.techniques.covered, t.techniques.total, t.subtechniques.covered, t.subtechniques.total])).toEqual([
      ['TA0043', 0, 0, 0, 0, 0],
      ['TA0042', 0, 0, 0, 0, 0],
      ['TA0001', 0, 0, 0, 0, 0],
      ['TA0002', 2, 1, 1, 1, 1],
      ['TA0003', 1, 1, 1, 1, 1],
      ['TA0004', 0, 0, 0, 0, 0],
      ['TA0005', 3, 3, 3, 0, 0],
      ['TA0006', 0, 0, 0, 0, 0],
      ['TA0007', 0, 0, 0, 0, 0],
      ['TA0008', 0, 0, 0, 0, 0],
      ['TA0009', 0, 0, 0, 0, 0],
      ['TA0011', 0, 0, 0, 0, 0],
      ['TA0010', 0, 0, 0, 0, 0],
      ['TA0040', 0, 0, 0, 0, 0],
    ]);
    expect(cov.totals).toMatchObject({ tactics: 3, techniques: 5, subtechniques: 2 });
  });
});
