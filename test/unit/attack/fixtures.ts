/**
 * Small hand-made STIX bundles and rules for the ATT&CK unit tests. The bundle builder writes
 * objects in MITRE's shape (external_references[source_name=mitre-attack], kill_chain_phases,
 * x_mitre_is_subtechnique, relationships) with made-up STIX ids.
 */
import type { Rule, ThreatEntry } from '../../../src/model/rule';
import type { CoverageRule, FacetRule } from '../../../src/attack/types';

type Obj = Record<string, unknown>;

export function tacticObj(id: string, shortname: string, name: string, extra: Obj = {}): Obj {
  return {
    type: 'x-mitre-tactic',
    id: `x-mitre-tactic--${id}`,
    name,
    x_mitre_shortname: shortname,
    external_references: [{ source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/tactics/${id}/` }],
    ...extra,
  };
}

export function techObj(id: string, name: string, phases: string[], extra: Obj = {}): Obj {
  return {
    type: 'attack-pattern',
    id: `attack-pattern--${id}`,
    name,
    x_mitre_is_subtechnique: id.includes('.'),
    kill_chain_phases: phases.map((p) => ({ kill_chain_name: 'mitre-attack', phase_name: p })),
    external_references: [
      { source_name: 'capec', external_id: 'CAPEC-1' },
      { source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/` },
    ],
    ...extra,
  };
}

export function rel(kind: string, from: string, to: string): Obj {
  return { type: 'relationship', id: `relationship--${kind}-${from}-${to}`, relationship_type: kind, source_ref: `attack-pattern--${from}`, target_ref: `attack-pattern--${to}` };
}

export function matrixObj(tacticIds: string[]): Obj {
  return {
    type: 'x-mitre-matrix',
    id: 'x-mitre-matrix--m',
    name: 'Enterprise ATT&CK',
    external_references: [{ source_name: 'mitre-attack', external_id: 'enterprise-attack' }],
    tactic_refs: tacticIds.map((t) => `x-mitre-tactic--${t}`),
  };
}

export function bundle(objects: unknown[], extra: Obj = {}): Obj {
  return { type: 'bundle', id: 'bundle--b', objects, ...extra };
}

/**
 * A three-tactic world: Execution (TA0002), Persistence (TA0003), Defense Evasion (TA0005);
 * matrix order Persistence, Execution, Defense Evasion (not id order, on purpose).
 * T1059 (+ .001, .003) Execution; T1055 (+ .001) Defense Evasion + Persistence;
 * T1547 Persistence, its T1547.011 revoked by T1647 (Defense Evasion); T1088 deprecated;
 * T1027 and T1218 Defense Evasion.
 */
export function smallBundle(): Obj {
  return bundle(
    [
      { type: 'x-mitre-collection', id: 'x-mitre-collection--c', x_mitre_version: '17.1' },
      matrixObj(['TA0003', 'TA0002', 'TA0005']),
      tacticObj('TA0002', 'execution', 'Execution'),
      tacticObj('TA0003', 'persistence', 'Persistence'),
      tacticObj('TA0005', 'defense-evasion', 'Defense Evasion'),
      techObj('T1059', 'Command and Scripting Interpreter', ['execution'], { x_mitre_platforms: ['Windows', 'Linux'] }),
      techObj('T1059.001', 'PowerShell', ['execution'], { x_mitre_platforms: ['Windows'] }),
      techObj('T1059.003', 'Windows Command Shell', ['execution']),
      techObj('T1055', 'Process Injection', ['defense-evasion', 'persistence']),
      techObj('T1055.001', 'Dynamic-link Library Injection', ['defense-evasion', 'persistence']),
      techObj('T1027', 'Obfuscated Files or Information', ['defense-evasion']),
      techObj('T1647', 'Plist File Modification', ['defense-evasion']),
      techObj('T1218', 'System Binary Proxy Execution', ['defense-evasion']),
      techObj('T1547', 'Boot or Logon Autostart Execution', ['persistence']),
      techObj('T1547.011', 'Plist Modification', ['persistence'], { revoked: true }),
      techObj('T1088', 'Bypass User Account Control', ['defense-evasion'], { x_mitre_deprecated: true }),
      rel('subtechnique-of', 'T1059.001', 'T1059'),
      rel('subtechnique-of', 'T1059.003', 'T1059'),
      rel('subtechnique-of', 'T1055.001', 'T1055'),
      rel('revoked-by', 'T1547.011', 'T1647'),
      { type: 'intrusion-set', id: 'intrusion-set--x', name: 'Some group' },
    ],
    { x_attack_version: '99.0' },
  );
}

export interface Tech {
  id: string;
  name: string;
  subs?: [string, string][];
}

export function entry(tactic: [string, string], techniques: Tech[] = []): ThreatEntry {
  return {
    framework: 'MITRE ATT&CK',
    tactic: { id: tactic[0], name: tactic[1], reference: `https://attack.mitre.org/tactics/${tactic[0]}/` },
    techniques: techniques.map((t) => ({
      id: t.id,
      name: t.name,
      reference: `https://attack.mitre.org/techniques/${t.id}/`,
      subtechniques: (t.subs ?? []).map(([id, name]) => ({ id, name, reference: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/` })),
    })),
  };
}

export const EXECUTION: [string, string] = ['TA0002', 'Execution'];
export const PERSISTENCE: [string, string] = ['TA0003', 'Persistence'];
export const DEFENSE_EVASION: [string, string] = ['TA0005', 'Defense Evasion'];

export type TestRule = CoverageRule & FacetRule & Pick<Rule, 'files' | 'span' | 'rawToml'>;

export function rule(id: string, threat: ThreatEntry[], extra: Partial<TestRule> = {}): TestRule {
  return {
    id,
    name: `Rule ${id}`,
    slug: `rule-${id}`,
    threat,
    maturity: 'production',
    deprecated: false,
    buildingBlock: false,
    severity: 'medium',
    tags: [],
    integrations: [],
    type: 'eql',
    files: [`rules/${id}.toml`],
    span: { file: `rules/${id}.toml`, start: { offset: 10, line: 2, column: 1 }, end: { offset: 20, line: 2, column: 11 } },
    rawToml: null,
    ...extra,
  };
}
