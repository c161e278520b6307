import { describe, expect, it } from 'vitest';
import { readStixBundle, readStixText, stixCounts } from '../../../src/attack/stix';
import { prng } from '../../helpers/shared';
import { bundle, matrixObj, rel, smallBundle, tacticObj, techObj } from './fixtures';

const opts = { file: 'enterprise-attack.json' };
const codes = (ds: { code: string }[]): string[] => ds.map((d) => d.code);

describe('readStixBundle on a well-formed bundle', () => {
  const { index, diagnostics } = readStixBundle(smallBundle(), opts);

  it('reads without diagnostics', () => {
    expect(diagnostics).toEqual([]);
    expect(index).not.toBeNull();
  });

  it('orders tactics as the matrix tactic_refs do, not by id', () => {
    expect(index?.tactics.map((t) => t.id)).toEqual(['TA0003', 'TA0002', 'TA0005']);
    expect(index?.tactics[0]).toEqual({ id: 'TA0003', shortname: 'persistence', name: 'Persistence', url: 'https://attack.mitre.org/tactics/TA0003/' });
    expect(index?.tacticByShortname.get('defense-evasion')?.id).toBe('TA0005');
  });

  it('takes the version from x-mitre-collection over the bundle property, and the matrix name and domain', () => {
    expect(index?.version).toBe('17.1');
    expect(index?.matrix).toBe('Enterprise ATT&CK');
    expect(index?.domain).toBe('enterprise-attack');
    expect(index?.origin).toBe('stix');
  });

  it('reads techniques with tactics in matrix order, platforms, url and parent', () => {
    expect(index?.techniqueById.get('T1055')).toEqual({
      id: 'T1055',
      name: 'Process Injection',
      url: 'https://attack.mitre.org/techniques/T1055/',
      subtechnique: false,
      parentId: null,
      tactics: ['TA0003', 'TA0005'],
      platforms: [],
      status: 'active',
      replacedBy: null,
      stixId: 'attack-pattern--T1055',
    });
    const ps = index?.techniqueById.get('T1059.001');
    expect([ps?.subtechnique, ps?.parentId, ps?.platforms, ps?.url]).toEqual([true, 'T1059', ['Windows'], 'https://attack.mitre.org/techniques/T1059/001/']);
  });

  it('keeps revoked and deprecated objects with their status and replacement, and a stix redirect', () => {
    const revoked = index?.techniqueById.get('T1547.011');
    expect([revoked?.status, revoked?.replacedBy]).toEqual(['revoked', 'T1647']);
    expect(index?.techniqueById.get('T1088')?.status).toBe('deprecated');
    expect([...(index?.redirects.values() ?? [])]).toEqual([{ from: 'T1547.011', to: 'T1647', source: 'stix' }]);
  });

  it('sorts techniques by id and counts active techniques and sub-techniques apart', () => {
    expect(index?.techniques.map((t) => t.id)).toEqual(['T1027', 'T1055', 'T1055.001', 'T1059', 'T1059.001', 'T1059.003', 'T1088', 'T1218', 'T1547', 'T1547.011', 'T1647']);
    expect(index && stixCounts(index)).toEqual({ objects: 11, tactics: 3, techniques: 6, subtechniques: 3, revoked: 1, deprecated: 1 });
  });

  it('uses the bundle x_attack_version when there is no collection object', () => {
    const r = readStixBundle(bundle([matrixObj(['TA0002']), tacticObj('TA0002', 'execution', 'Execution'), techObj('T1059', 'X', ['execution'])], { x_attack_version: '17.1' }), opts);
    expect(r.index?.version).toBe('17.1');
    expect(r.diagnostics).toEqual([]);
  });

  it('prefers the active object when a retired one shares its ATT&CK id', () => {
    const r = readStixBundle(
      bundle([
        matrixObj(['TA0002']),
        tacticObj('TA0002', 'execution', 'Execution'),
        techObj('T1059', 'Old', ['execution'], { id: 'attack-pattern--old', revoked: true }),
        techObj('T1059', 'New', ['execution']),
      ]),
      opts,
    );
    expect(r.index?.techniqueById.get('T1059')?.name).toBe('New');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['1 revoked attack-pattern(s) without a revoked-by relationship: T1059 (Old)']);
  });
});

describe('readStixBundle on malformed input', () => {
  it('reports text that is not JSON, and returns no index', () => {
    const r = readStixText('{"type": "bundle", ', opts);
    expect(r.index).toBeNull();
    expect(codes(r.diagnostics)).toEqual(['attack-bundle-json']);
    expect(r.diagnostics[0]?.file).toBe('enterprise-attack.json');
    expect(r.diagnostics[0]?.severity).toBe('error');
  });

  it.each([
    [[], 'found an array'],
    [null, 'found object'],
    [42, 'found number'],
    [{ type: 'indicator' }, 'found an object of type "indicator"'],
    [{ type: 'bundle' }, 'found a bundle without an `objects` array'],
  ])('reports %j as not a bundle', (input, tail) => {
    const r = readStixBundle(input, opts);
    expect(r.index).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]?.code).toBe('attack-bundle-invalid');
    expect(r.diagnostics[0]?.message.endsWith(tail)).toBe(true);
  });

  it('skips objects without type or id, with one warning naming the first', () => {
    const b = smallBundle();
    (b.objects as unknown[]).splice(2, 0, 'junk', { id: 'x' }, 7);
    const r = readStixBundle(b, opts);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['attack-object-invalid', '3 object(s) lack a string `type` or `id` and were skipped (first at objects[2])']]);
    expect(r.index?.techniques).toHaveLength(11);
  });

  it('reports an empty bundle as errors but still returns an (empty) index', () => {
    const r = readStixBundle(bundle([]), opts);
    expect(codes(r.diagnostics)).toEqual(['attack-matrix-missing', 'attack-bundle-empty', 'attack-bundle-empty']);
    expect(r.index?.tactics).toEqual([]);
    expect(r.index?.techniques).toEqual([]);
  });

  it('without a matrix, orders tactics as the enterprise matrix does', () => {
    const r = readStixBundle(bundle([tacticObj('TA0005', 'defense-evasion', 'Defense Evasion'), tacticObj('TA0099', 'made-up', 'Made Up'), tacticObj('TA0043', 'reconnaissance', 'Reconnaissance')]), opts);
    expect(r.index?.tactics.map((t) => t.id)).toEqual(['TA0043', 'TA0005', 'TA0099']);
    expect(codes(r.diagnostics)).toEqual(['attack-matrix-missing', 'attack-bundle-empty']);
  });

  it('reports tactics it cannot use, unknown phases, dangling matrix refs and unordered tactics', () => {
    const r = readStixBundle(
      bundle([
        matrixObj(['TA0002', 'TA0404']),
        tacticObj('TA0002', 'execution', 'Execution'),
        tacticObj('TA0003', 'persistence', 'Persistence'),
        { ...tacticObj('TA0009', 'collection', 'Collection'), x_mitre_shortname: undefined },
        techObj('T1059', 'Command and Scripting Interpreter', ['execution', 'made-up-phase']),
      ]),
      opts,
    );
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([
      'warning attack-tactic-invalid: tactic x-mitre-tactic--TA0009 lacks x_mitre_shortname; skipped',
      'warning attack-dangling-ref: matrix tactic_refs names "x-mitre-tactic--TA0404", which is not a tactic in the bundle',
      'info attack-tactic-unordered: tactics not in the matrix: TA0003; listed after it',
      'warning attack-unknown-phase: kill-chain phase "made-up-phase" is not a tactic shortname (1 technique(s), e.g. T1059)',
    ]);
    expect(r.index?.tactics.map((t) => t.id)).toEqual(['TA0002', 'TA0003']);
    expect(r.index?.techniqueById.get('T1059')?.tactics).toEqual(['TA0002']);
  });

  it('reports attack-patterns without an ATT&CK id, duplicate ids, a wrong sub-technique flag and a wrong subtechnique-of', () => {
    const r = readStixBundle(
      bundle([
        matrixObj(['TA0002']),
        tacticObj('TA0002', 'execution', 'Execution'),
        { type: 'attack-pattern', id: 'attack-pattern--noid', name: 'No id', external_references: [{ source_name: 'capec', external_id: 'CAPEC-9' }] },
        techObj('T1059', 'One', ['execution']),
        techObj('T1059', 'Two', ['execution'], { id: 'attack-pattern--dup' }),
        techObj('T1106', 'Native API', ['execution'], { x_mitre_is_subtechnique: true }),
        techObj('T1059.001', 'PowerShell', ['execution']),
        rel('subtechnique-of', 'T1059.001', 'T1106'),
        rel('revoked-by', 'T1059', 'T9999'),
      ]),
      opts,
    );
    expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'attack-duplicate-id: T1059 is the id of two active attack-patterns (attack-pattern--T1059, attack-pattern--dup); the first is kept',
      'attack-subtechnique-flag: T1106: x_mitre_is_subtechnique is true but the id says technique; the id wins',
      'attack-technique-invalid: 1 attack-pattern(s) skipped: attack-pattern--noid (no mitre-attack external id)',
      'attack-subtechnique-parent: T1059.001 is a subtechnique-of T1106, but its id names T1059',
      'attack-dangling-ref: 1 revoked-by/subtechnique-of relationship(s) name attack-patterns the bundle lacks',
    ]);
    expect(r.index?.techniqueById.get('T1059')?.name).toBe('One');
    expect(r.index?.techniqueById.get('T1106')?.subtechnique).toBe(false);
  });

  it('notes a revoked object without a revoked-by relationship', () => {
    const r = readStixBundle(bundle([matrixObj(['TA0002']), tacticObj('TA0002', 'execution', 'Execution'), techObj('T1064', 'Scripting', ['execution'], { revoked: true })]), opts);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual(['info attack-revoked-no-replacement: 1 revoked attack-pattern(s) without a revoked-by relationship: T1064 (Scripting)']);
  });

  it('never throws, whatever the objects hold (seeded garbage)', () => {
    const rand = prng(6);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const values = (): unknown => pick([null, 1, 'x', [], {}, ['execution'], [{ phase_name: 3 }], [{ source_name: 'mitre-attack' }], [{ source_name: 'mitre-attack', external_id: 'T1000' }], true]);
    const keys = ['type', 'id', 'name', 'external_references', 'kill_chain_phases', 'x_mitre_shortname', 'tactic_refs', 'source_ref', 'target_ref', 'relationship_type', 'revoked', 'x_mitre_platforms'];
    const types = ['attack-pattern', 'x-mitre-tactic', 'x-mitre-matrix', 'relationship', 'x-mitre-collection', 7];
    let outcomes = 0;
    for (let i = 0; i < 300; i++) {
      const objects = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => {
        const o: Record<string, unknown> = { type: pick(types), id: pick(['a--1', 'b--2', 'attack-pattern--T1000', 5]) };
        for (const k of keys) if (rand() < 0.4) o[k] = values();
        return o;
      });
      const r = readStixBundle(bundle(objects), opts);
      expect(r.index).not.toBeNull();
      outcomes += r.diagnostics.length;
    }
    expect(outcomes).toBeGreaterThan(300);
  });
});
