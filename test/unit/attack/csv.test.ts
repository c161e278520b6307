import { describe, expect, it } from 'vitest';
import { computeCoverage } from '../../../src/attack/coverage';
import { COVERAGE_CSV_COLUMNS, coverageCsv } from '../../../src/attack/csv';
import { indexFromRules } from '../../../src/attack/from-rules';
import { readStixBundle } from '../../../src/attack/stix';
import { DEFENSE_EVASION, EXECUTION, entry, rule, smallBundle } from './fixtures';

const index = readStixBundle(smallBundle(), { file: 'b.json' }).index;
if (!index) throw new Error('fixture bundle unreadable');

const rules = [
  rule('a', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter', subs: [['T1059.001', 'PowerShell']] }])], { name: 'Alpha, "quoted"', severity: 'high' }),
  rule('b', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter' }]), entry(DEFENSE_EVASION, [{ id: 'T1999', name: 'Made Up' }])], { name: 'Bravo', buildingBlock: true }),
];

describe('coverageCsv', () => {
  it('writes covered pairs, then (with a bundle) uncovered pairs, in matrix tactic order, quoted per RFC 4180', () => {
    const csv = coverageCsv(computeCoverage(rules, index));
    expect(csv).toBe(
      [
        COVERAGE_CSV_COLUMNS.join(','),
        'TA0003,Persistence,T1055,Process Injection,false,,true,0,0,0,0,0,0,0,0,0,',
        'TA0003,Persistence,T1055.001,Dynamic-link Library Injection,true,T1055,true,0,0,0,0,0,0,0,0,0,',
        'TA0003,Persistence,T1547,Boot or Logon Autostart Execution,false,,true,0,0,0,0,0,0,0,0,0,',
        'TA0002,Execution,T1059,Command and Scripting Interpreter,false,,true,2,1,1,0,0,0,1,1,0,"Alpha, ""quoted"" | Bravo"',
        'TA0002,Execution,T1059.001,PowerShell,true,T1059,true,1,1,0,0,0,0,0,1,0,"Alpha, ""quoted"""',
        'TA0002,Execution,T1059.003,Windows Command Shell,true,T1059,true,0,0,0,0,0,0,0,0,0,',
        'TA0005,Defense Evasion,T1027,Obfuscated Files or Information,false,,true,0,0,0,0,0,0,0,0,0,',
        'TA0005,Defense Evasion,T1055,Process Injection,false,,true,0,0,0,0,0,0,0,0,0,',
        'TA0005,Defense Evasion,T1055.001,Dynamic-link Library Injection,true,T1055,true,0,0,0,0,0,0,0,0,0,',
        'TA0005,Defense Evasion,T1218,System Binary Proxy Execution,false,,true,0,0,0,0,0,0,0,0,0,',
        'TA0005,Defense Evasion,T1647,Plist File Modification,false,,true,0,0,0,0,0,0,0,0,0,',
        'TA0005,Defense Evasion,T1999,T1999,false,,false,1,0,1,0,0,0,1,0,0,Bravo',
        '',
      ].join('\n'),
    );
  });

  it('writes covered pairs only for an index built from rules (nothing there is uncovered)', () => {
    const csv = coverageCsv(computeCoverage(rules, indexFromRules(rules)));
    expect(csv.split('\n').slice(1, -1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['TA0002,Execution,T1059', 'TA0002,Execution,T1059.001', 'TA0005,Defense Evasion,T1999']);
  });
});
