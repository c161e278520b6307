import { describe, expect, it } from 'vitest';
import { indexFromRules } from '../../../src/attack/from-rules';
import { ENTERPRISE_TACTICS } from '../../../src/attack/ids';
import { DEFENSE_EVASION, EXECUTION, PERSISTENCE, entry, rule } from './fixtures';

describe('indexFromRules', () => {
  const rules = [
    rule('a', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter', subs: [['T1059.001', 'PowerShell']] }])]),
    rule('b', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter' }]), entry(DEFENSE_EVASION, [{ id: 'T1218', name: 'System Binary Proxy Execution' }])]),
    rule('c', [entry(DEFENSE_EVASION, [{ id: 'T1218', name: 'Signed Binary Proxy Execution' }]), entry(PERSISTENCE, [{ id: 'T1218', name: 'Signed Binary Proxy Execution' }])]),
    rule('d', [entry(DEFENSE_EVASION, [{ id: 'T1218', name: 'System Binary Proxy Execution' }])]),
    rule('e', [entry(['TA0099', 'Made Up'], [{ id: 'T9999', name: 'Z' }]), entry(DEFENSE_EVASION, [{ id: 'T1562', name: 'B' }])]),
    rule('f', [entry(DEFENSE_EVASION, [{ id: 'T1562', name: 'A' }])]),
    rule('g', [{ ...entry(EXECUTION, [{ id: 'T1000', name: 'Other framework' }]), framework: 'MITRE ATLAS' }]),
    rule('h', [entry(['TAX', 'Bad'], [{ id: 'T12', name: 'Bad id' }])]),
  ];
  const index = indexFromRules(rules);

  it('lists the 14 enterprise tactics in matrix order, then tactics only rules name', () => {
    expect(index.origin).toBe('rules');
    expect(index.tactics.map((t) => t.id)).toEqual([...ENTERPRISE_TACTICS.map((t) => t.id), 'TA0099']);
    expect(index.tacticById.get('TA0099')).toEqual({ id: 'TA0099', shortname: 'made-up', name: 'Made Up', url: 'https://attack.mitre.org/tactics/TA0099/' });
  });

  it('names each id as most rules do, counting a rule once, ties to the alphabetically first', () => {
    // T1218: "System…" in b and d, "Signed…" in c only (c lists it twice).
    expect(index.techniqueById.get('T1218')?.name).toBe('System Binary Proxy Execution');
    expect(index.techniqueById.get('T1562')?.name).toBe('A');
  });

  it('gives techniques the tactics rules file them under, in matrix order', () => {
    expect(index.techniqueById.get('T1218')?.tactics).toEqual(['TA0003', 'TA0005']);
    expect(index.techniqueById.get('T1059.001')).toEqual({
      id: 'T1059.001', name: 'PowerShell', url: 'https://attack.mitre.org/techniques/T1059/001/', subtechnique: true, parentId: 'T1059',
      tactics: ['TA0002'], platforms: [], status: 'active', replacedBy: null, stixId: null,
    });
  });

  it('skips other frameworks and malformed ids', () => {
    expect(index.techniques.map((t) => t.id)).toEqual(['T1059', 'T1059.001', 'T1218', 'T1562', 'T9999']);
  });
});
