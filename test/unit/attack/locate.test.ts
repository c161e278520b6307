import { describe, expect, it } from 'vitest';
import { idAt, tomlThreatLocator } from '../../../src/attack/locate';
import { DEFENSE_EVASION, entry } from './fixtures';

const PRIVILEGE_ESCALATION: [string, string] = ['TA0004', 'Privilege Escalation'];

// A rule whose T1055 appears under two tactics, with a sub-technique, as detection-rules writes it.
const TOML = `[metadata]
creation_date = "2020/01/01"

[rule]
name = "Example"

[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "T1055"
name = "Process Injection"
reference = "https://attack.mitre.org/techniques/T1055/"
[[rule.threat.technique.subtechnique]]
id = "T1055.001"
name = "Dynamic-link Library Injection"
reference = "https://attack.mitre.org/techniques/T1055/001/"

[rule.threat.tactic]
id = "TA0005"
name = "Defense Evasion"
reference = "https://attack.mitre.org/tactics/TA0005/"

[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
  reference = "https://attack.mitre.org/techniques/T1055/"
  name = "Process Injection"
  id = 'T1055'

[rule.threat.tactic]
id = "TA0004"
name = "Privilege Escalation"
reference = "https://attack.mitre.org/tactics/TA0004/"
`;

const threat = [
  entry(DEFENSE_EVASION, [{ id: 'T1055', name: 'Process Injection', subs: [['T1055.001', 'Dynamic-link Library Injection']] }]),
  entry(PRIVILEGE_ESCALATION, [{ id: 'T1055', name: 'Process Injection' }]),
];

describe('tomlThreatLocator', () => {
  const locate = tomlThreatLocator();
  const rule = { rawToml: TOML, threat };

  it('finds the id line of each tactic, technique and sub-technique, same ids told apart by order', () => {
    expect(locate(rule, { threat: 0, technique: 0, field: 'id' })).toEqual({ line: 10, column: 1 });
    expect(locate(rule, { threat: 0, technique: 0, subtechnique: 0, field: 'id' })).toEqual({ line: 14, column: 1 });
    expect(locate(rule, { threat: 0, field: 'id' })).toEqual({ line: 19, column: 1 });
    expect(locate(rule, { threat: 1, technique: 0, field: 'id' })).toEqual({ line: 28, column: 3 });
    expect(locate(rule, { threat: 1, field: 'id' })).toEqual({ line: 31, column: 1 });
  });

  it('finds the name line of the same table, whatever the key order', () => {
    expect(locate(rule, { threat: 0, technique: 0, field: 'name' })).toEqual({ line: 11, column: 1 });
    expect(locate(rule, { threat: 0, technique: 0, subtechnique: 0, field: 'name' })).toEqual({ line: 15, column: 1 });
    expect(locate(rule, { threat: 1, technique: 0, field: 'name' })).toEqual({ line: 27, column: 3 });
    expect(locate(rule, { threat: 1, field: 'name' })).toEqual({ line: 32, column: 1 });
  });

  it('gives up (null) without TOML, for a path that points nowhere, or when the ids in the text do not match the threat list', () => {
    expect(locate({ rawToml: null, threat }, { threat: 0, field: 'id' })).toBeNull();
    expect(locate(rule, { threat: 5, field: 'id' })).toBeNull();
    expect(locate(rule, { threat: 0, technique: 3, field: 'id' })).toBeNull();
    const inline = { rawToml: 'threat = [{framework = "MITRE ATT&CK", tactic = {id = "TA0005"}}]', threat: [entry(DEFENSE_EVASION)] };
    expect(locate(inline, { threat: 0, field: 'id' })).toBeNull();
  });

  it('reads the id at a path', () => {
    expect(idAt(threat, { threat: 0, technique: 0, subtechnique: 0, field: 'id' })).toBe('T1055.001');
    expect(idAt(threat, { threat: 1, field: 'id' })).toBe('TA0004');
    expect(idAt(threat, { threat: 1, technique: 0, subtechnique: 0, field: 'id' })).toBeNull();
  });
});
