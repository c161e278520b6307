import { describe, expect, it } from 'vitest';
import { checkRules, findNameConflicts } from '../../../src/attack/check';
import { indexFromRules } from '../../../src/attack/from-rules';
import { withRedirects } from '../../../src/attack/redirects';
import { readStixBundle } from '../../../src/attack/stix';
import type { ThreatPath } from '../../../src/attack/locate';
import { formatDiagnostic } from '../../../src/model/diagnostic';
import { DEFENSE_EVASION, EXECUTION, PERSISTENCE, entry, rule, smallBundle, type TestRule } from './fixtures';

const stix = readStixBundle(smallBundle(), { file: 'b.json' }).index;
if (!stix) throw new Error('fixture bundle unreadable');
const index = withRedirects(stix, [{ from: 'T1064', to: 'T1059', source: 'detection-rules' }]);

const lines = (rules: TestRule[], idx = index): string[] => checkRules(rules, idx).map(formatDiagnostic);

describe('checkRules against a bundle', () => {
  it('is silent on a correct mapping', () => {
    expect(lines([rule('ok', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter', subs: [['T1059.001', 'PowerShell']] }]), entry(PERSISTENCE, [{ id: 'T1055', name: 'Process Injection' }])])])).toEqual([]);
  });

  it('reports malformed ids as errors', () => {
    expect(lines([rule('m', [entry(['TA2', 'Execution'], [{ id: 'T12', name: 'x', subs: [['T1059.1', 'y']] }])])])).toEqual([
      'rules/m.toml:2:1: error [attack-malformed-id] tactic id "TA2" is not of the form TA####',
      'rules/m.toml:2:1: error [attack-malformed-id] technique id "T12" is not of the form T#### or T####.###',
      'rules/m.toml:2:1: error [attack-malformed-id] technique id "T1059.1" is not of the form T#### or T####.###',
    ]);
  });

  it('reports a tactic the bundle lacks, and a tactic name that disagrees with it', () => {
    expect(lines([rule('t', [entry(['TA0040', 'Impact']), entry(['TA0005', 'Stealth'])])])).toEqual([
      'rules/t.toml:2:1: warning [attack-name-mismatch] tactic TA0005 is named "Stealth" here but "Defense Evasion" in ATT&CK 17.1',
      'rules/t.toml:2:1: warning [attack-unknown-tactic] tactic TA0040 (Impact) is not in ATT&CK 17.1',
    ]);
  });

  it('reports a technique the bundle lacks', () => {
    expect(lines([rule('u', [entry(PERSISTENCE, [{ id: 'T1546', name: 'Event Triggered Execution', subs: [['T1546.018', 'Python Startup Hooks']] }])])])).toEqual([
      'rules/u.toml:2:1: warning [attack-unknown-technique] T1546 (Event Triggered Execution) is not in ATT&CK 17.1: newer than the loaded ATT&CK, or a typo',
      'rules/u.toml:2:1: warning [attack-unknown-technique] T1546.018 (Python Startup Hooks) is not in ATT&CK 17.1: newer than the loaded ATT&CK, or a typo',
    ]);
  });

  it('reports revoked ids with their replacement, from revoked-by and from detection-rules redirects, and deprecated ids', () => {
    const r = rule('r', [
      entry(DEFENSE_EVASION, [{ id: 'T1547', name: 'Boot or Logon Autostart Execution', subs: [['T1547.011', 'Plist Modification']] }, { id: 'T1088', name: 'Bypass User Account Control' }]),
      entry(EXECUTION, [{ id: 'T1064', name: 'Scripting' }]),
    ]);
    // Same place (the rule span): sorted by code, then in the order found.
    expect(lines([r])).toEqual([
      'rules/r.toml:2:1: warning [attack-deprecated-technique] T1088 (Bypass User Account Control) is deprecated in ATT&CK 17.1',
      'rules/r.toml:2:1: warning [attack-revoked-technique] T1547.011 (Plist Modification) is revoked; replaced by T1647 (Plist File Modification) per ATT&CK 17.1 revoked-by',
      'rules/r.toml:2:1: warning [attack-revoked-technique] T1064 is revoked; replaced by T1059 (Command and Scripting Interpreter) per detection-rules redirects',
      'rules/r.toml:2:1: warning [attack-tactic-mismatch] T1547 (Boot or Logon Autostart Execution) is filed under TA0005 Defense Evasion, but ATT&CK 17.1 puts it under TA0003 Persistence',
    ]);
  });

  it('names the intermediate ids of a redirect chain', () => {
    const chained = withRedirects(index, [{ from: 'T1002', to: 'T1547.011', source: 'detection-rules' }]);
    expect(lines([rule('c', [entry(DEFENSE_EVASION, [{ id: 'T1002', name: 'Data Compressed' }])])], chained)).toEqual([
      'rules/c.toml:2:1: warning [attack-revoked-technique] T1002 is revoked; replaced by T1647 (Plist File Modification) (via T1547.011) per detection-rules redirects and ATT&CK 17.1 revoked-by',
    ]);
  });

  it('reports a name that disagrees with the bundle', () => {
    expect(lines([rule('n', [entry(EXECUTION, [{ id: 'T1059', name: 'Command-Line Interface', subs: [['T1059.001', 'Powershell']] }])])])).toEqual([
      'rules/n.toml:2:1: warning [attack-name-mismatch] T1059 is named "Command-Line Interface" here but "Command and Scripting Interpreter" in ATT&CK 17.1',
      'rules/n.toml:2:1: warning [attack-name-mismatch] T1059.001 is named "Powershell" here but "PowerShell" in ATT&CK 17.1',
    ]);
  });

  it('reports a technique filed under a tactic it does not belong to (also after a redirect)', () => {
    const x = rule('x', [entry(EXECUTION, [{ id: 'T1027', name: 'Obfuscated Files or Information' }]), entry(PERSISTENCE, [{ id: 'T1547', name: 'Boot or Logon Autostart Execution', subs: [['T1547.011', 'Plist Modification']] }])]);
    expect(lines([x])).toEqual([
      'rules/x.toml:2:1: warning [attack-revoked-technique] T1547.011 (Plist Modification) is revoked; replaced by T1647 (Plist File Modification) per ATT&CK 17.1 revoked-by',
      'rules/x.toml:2:1: warning [attack-tactic-mismatch] T1027 (Obfuscated Files or Information) is filed under TA0002 Execution, but ATT&CK 17.1 puts it under TA0005 Defense Evasion',
      'rules/x.toml:2:1: warning [attack-tactic-mismatch] T1647 (Plist File Modification) is filed under TA0003 Persistence, but ATT&CK 17.1 puts it under TA0005 Defense Evasion',
    ]);
  });

  it('reports sub-techniques under the wrong parent, techniques as sub-techniques and the reverse', () => {
    expect(lines([rule('p', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter', subs: [['T1055.001', 'Dynamic-link Library Injection']] }, { id: 'T1059.003', name: 'Windows Command Shell', subs: [['T1059', 'Command and Scripting Interpreter']] }])])]).map((l) => l.replace(/^.*\[/, '['))).toEqual([
      '[attack-subtechnique-parent] sub-technique T1055.001 is listed under T1059, not its parent T1055',
      '[attack-subtechnique-parent] T1059.003 is a sub-technique listed as a technique; list it under T1059',
      '[attack-subtechnique-parent] T1059 is a technique listed as a sub-technique of T1059.003',
      '[attack-tactic-mismatch] T1055.001 (Dynamic-link Library Injection) is filed under TA0002 Execution, but ATT&CK 17.1 puts it under TA0003 Persistence, TA0005 Defense Evasion',
    ]);
  });

  it('notes entries of other frameworks and does not check them', () => {
    expect(lines([rule('f', [{ ...entry(['AML.TA0000', 'Recon'], [{ id: 'AML.T0000', name: 'x' }]), framework: 'MITRE ATLAS' }])])).toEqual([
      'rules/f.toml:2:1: info [attack-other-framework] threat framework "MITRE ATLAS" is not MITRE ATT&CK; the entry is not counted',
    ]);
  });

  it('places diagnostics with the locator, falling back to the span, then to no place', () => {
    const seen: ThreatPath[] = [];
    const r = rule('l', [entry(EXECUTION, [{ id: 'T1059', name: 'Wrong' }, { id: 'T1027', name: 'Obfuscated Files or Information' }])]);
    const ds = checkRules([r, { ...r, id: 'l2', span: null, files: [] }], index, {
      locate: (rr, path) => {
        if (rr.id !== 'l') return null;
        seen.push(path);
        return path.field === 'name' ? { line: 40, column: 1 } : path.technique === 1 ? { line: 30, column: 5 } : null;
      },
    });
    expect(ds.map((d) => [d.file, d.line, d.column, d.code, d.ruleId])).toEqual([
      ['rule l2', null, null, 'attack-name-mismatch', 'l2'],
      ['rule l2', null, null, 'attack-tactic-mismatch', 'l2'],
      ['rules/l.toml', 30, 5, 'attack-tactic-mismatch', 'l'],
      ['rules/l.toml', 40, 1, 'attack-name-mismatch', 'l'],
    ]);
    expect(seen).toEqual([
      { threat: 0, technique: 0, field: 'name' },
      { threat: 0, technique: 1, field: 'id' },
    ]);
  });
});

describe('name conflicts between rules', () => {
  const rules = [
    ...['a', 'b', 'c'].map((id) => rule(id, [entry(DEFENSE_EVASION, [{ id: 'T1218', name: 'System Binary Proxy Execution' }])])),
    rule('d', [entry(DEFENSE_EVASION, [{ id: 'T1218', name: 'Signed Binary Proxy Execution' }]), entry(EXECUTION, [{ id: 'T1218', name: 'Signed Binary Proxy Execution' }])]),
    rule('e', [entry(['TA0005', 'Defense evasion'])]),
  ];

  it('finds ids with several names, most used first, each rule counted once', () => {
    expect(findNameConflicts(rules)).toEqual([
      { kind: 'technique', id: 'T1218', names: [{ name: 'System Binary Proxy Execution', rules: ['a', 'b', 'c'] }, { name: 'Signed Binary Proxy Execution', rules: ['d'] }] },
      { kind: 'tactic', id: 'TA0005', names: [{ name: 'Defense Evasion', rules: ['a', 'b', 'c', 'd'] }, { name: 'Defense evasion', rules: ['e'] }] },
    ]);
  });

  it('reports the minority name at each place it occurs when the index comes from the rules', () => {
    expect(lines(rules, indexFromRules(rules))).toEqual([
      'rules/d.toml:2:1: warning [attack-name-conflict] T1218 is named "Signed Binary Proxy Execution" here (1 rule) but "System Binary Proxy Execution" in 3 rules',
      'rules/d.toml:2:1: warning [attack-name-conflict] T1218 is named "Signed Binary Proxy Execution" here (1 rule) but "System Binary Proxy Execution" in 3 rules',
      'rules/e.toml:2:1: warning [attack-name-conflict] tactic TA0005 is named "Defense evasion" here (1 rule) but "Defense Evasion" in 4 rules',
    ]);
  });

  it('defers to the bundle for ids it knows, and compares rules for ids it lacks', () => {
    const withUnknown = [...rules, rule('g', [entry(PERSISTENCE, [{ id: 'T1999', name: 'Made Up' }])]), rule('h', [entry(PERSISTENCE, [{ id: 'T1999', name: 'Made up' }])])];
    expect(checkRules(withUnknown, index).map((d) => `${d.ruleId} ${d.code}: ${d.message}`)).toEqual([
      'd attack-name-mismatch: T1218 is named "Signed Binary Proxy Execution" here but "System Binary Proxy Execution" in ATT&CK 17.1',
      'd attack-name-mismatch: T1218 is named "Signed Binary Proxy Execution" here but "System Binary Proxy Execution" in ATT&CK 17.1',
      'd attack-tactic-mismatch: T1218 (System Binary Proxy Execution) is filed under TA0002 Execution, but ATT&CK 17.1 puts it under TA0005 Defense Evasion',
      'e attack-name-mismatch: tactic TA0005 is named "Defense evasion" here but "Defense Evasion" in ATT&CK 17.1',
      'g attack-unknown-technique: T1999 (Made Up) is not in ATT&CK 17.1: newer than the loaded ATT&CK, or a typo',
      'h attack-name-conflict: T1999 is named "Made up" here (1 rule) but "Made Up" in 1 rule',
      'h attack-unknown-technique: T1999 (Made up) is not in ATT&CK 17.1: newer than the loaded ATT&CK, or a typo',
    ]);
  });
});
