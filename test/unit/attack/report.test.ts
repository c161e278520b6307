import { describe, expect, it } from 'vitest';
import { computeCoverage } from '../../../src/attack/coverage';
import { indexFromRules } from '../../../src/attack/from-rules';
import { withRedirects } from '../../../src/attack/redirects';
import { coverageReport } from '../../../src/attack/report';
import { readStixBundle } from '../../../src/attack/stix';
import { DEFENSE_EVASION, EXECUTION, PERSISTENCE, entry, rule, smallBundle } from './fixtures';

const stix = readStixBundle(smallBundle(), { file: 'b.json' }).index;
if (!stix) throw new Error('fixture bundle unreadable');
const index = withRedirects(stix, [{ from: 'T1064', to: 'T1059', source: 'detection-rules' }]);

const rules = [
  rule('a', [entry(EXECUTION, [{ id: 'T1064', name: 'Scripting' }]), entry(DEFENSE_EVASION, [{ id: 'T1999', name: 'Made Up' }])]),
  rule('b', [entry(PERSISTENCE, [{ id: 'T1547', name: 'Boot or Logon Autostart Execution' }])], { buildingBlock: true }),
  rule('c', []),
];

describe('coverageReport', () => {
  it('prints per tactic rules and covered / total techniques, totals, unknown and redirected ids', () => {
    expect(coverageReport(computeCoverage(rules, index), { against: 'ATT&CK 17.1 (b.json)', filters: ['os=Windows'] })).toBe(
      [
        'ATT&CK coverage of 3 rules [os=Windows]: 2 mapped, 1 without ATT&CK mapping',
        'against ATT&CK 17.1 (b.json)',
        '',
        'tactic                  rules  prod  bb  depr  techniques  uncovered  sub-techniques  uncovered',
        'TA0003 Persistence          1     0   1     0         1/2          1             0/1          1',
        'TA0002 Execution            1     1   0     0         1/1          0             0/2          2',
        'TA0005 Defense Evasion      1     1   0     0         0/4          4             0/1          1',
        '----------------------  -----  ----  --  ----  ----------  ---------  --------------  ---------',
        'all tactics (distinct)      2                         2/6          4             0/3          3',
        '',
        'Rules reference 3 tactics, 3 techniques and 0 sub-techniques.',
        'Not in the loaded ATT&CK (1): T1999 (1)',
        'Counted under their replacement: T1064 → T1059',
        '',
      ].join('\n'),
    );
  });

  it('says when there is no bundle', () => {
    const text = coverageReport(computeCoverage(rules, indexFromRules(rules)), { against: "the rules' own mappings" });
    expect(text.split('\n').slice(-2)).toEqual(['No ATT&CK bundle loaded (--attack FILE): "uncovered" counts only ids some rule names.', '']);
    expect(text).not.toContain('Not in the loaded ATT&CK');
  });
});
