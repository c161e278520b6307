import { describe, expect, it } from 'vitest';
import { ENTERPRISE_TACTICS, activeTechniques, compareIds, isSubtechniqueId, isTacticId, isTechniqueId, makeIndex, parentIdOf, resolveTechnique, tacticShortname, techniqueUrl } from '../../../src/attack/ids';
import { readStixBundle } from '../../../src/attack/stix';
import { withRedirects } from '../../../src/attack/redirects';
import type { AttackTechnique } from '../../../src/attack/types';
import { smallBundle } from './fixtures';

const tech = (id: string, status: AttackTechnique['status'] = 'active', replacedBy: string | null = null): AttackTechnique => ({
  id, name: id, url: null, subtechnique: id.includes('.'), parentId: parentIdOf(id), tactics: [], platforms: [], status, replacedBy, stixId: null,
});

describe('ids', () => {
  it.each([
    ['T1059', true, false],
    ['T1059.001', true, true],
    ['T105', false, false],
    ['T1059.01', false, false],
    ['t1059', false, false],
    [' T1059', false, false],
    ['TA0002', false, false],
  ])('%j: technique id %s, sub-technique id %s', (id, technique, sub) => {
    expect([isTechniqueId(id), isSubtechniqueId(id)]).toEqual([technique, sub]);
  });

  it('recognises tactic ids, parents, urls, shortnames', () => {
    expect([isTacticId('TA0011'), isTacticId('TA11'), isTacticId('T1059')]).toEqual([true, false, false]);
    expect([parentIdOf('T1059.001'), parentIdOf('T1059')]).toEqual(['T1059', null]);
    expect(techniqueUrl('T1059.001')).toBe('https://attack.mitre.org/techniques/T1059/001/');
    expect(tacticShortname(' Command and Control ')).toBe('command-and-control');
    expect(tacticShortname('Resource Development')).toBe('resource-development');
  });

  it('orders ids technique first, then its sub-techniques', () => {
    expect(['T1002', 'T1001.002', 'T1001', 'T1001.001'].sort(compareIds)).toEqual(['T1001', 'T1001.001', 'T1001.002', 'T1002']);
  });

  it('lists the 14 enterprise tactics with their shortnames derived from their names', () => {
    expect(ENTERPRISE_TACTICS).toHaveLength(14);
    for (const t of ENTERPRISE_TACTICS) expect(t.shortname).toBe(tacticShortname(t.name));
    expect(ENTERPRISE_TACTICS.map((t) => t.id).slice(-3)).toEqual(['TA0011', 'TA0010', 'TA0040']);
  });
});

describe('resolveTechnique', () => {
  const index = makeIndex({
    origin: 'stix',
    tactics: [],
    techniques: [tech('T1574.001'), tech('T1574.002', 'revoked', 'T1574.001'), tech('T1059'), tech('T1088', 'deprecated')],
    redirects: [
      { from: 'T1073', to: 'T1574.002', source: 'detection-rules' },
      { from: 'T1059', to: 'T1064', source: 'detection-rules' },
      { from: 'T1111', to: 'T1222', source: 'detection-rules' },
      { from: 'T1222', to: 'T1111', source: 'detection-rules' },
    ],
  });

  it('follows a chain through a redirect and a revoked object', () => {
    expect(resolveTechnique(index, 'T1073')).toEqual({ id: 'T1574.001', chain: ['T1073', 'T1574.002', 'T1574.001'], technique: index.techniqueById.get('T1574.001') });
  });
  it('leaves active, deprecated and unknown ids alone', () => {
    expect(resolveTechnique(index, 'T1059').chain).toEqual([]);
    expect(resolveTechnique(index, 'T1088')).toEqual({ id: 'T1088', chain: [], technique: index.techniqueById.get('T1088') });
    expect(resolveTechnique(index, 'T1999')).toEqual({ id: 'T1999', chain: [], technique: null });
  });
  it('stops on a cycle', () => {
    expect(resolveTechnique(index, 'T1111')).toEqual({ id: 'T1222', chain: ['T1111', 'T1222'], technique: null });
  });
  it('counts active techniques only', () => {
    expect(activeTechniques(index).map((t) => t.id)).toEqual(['T1059', 'T1574.001']);
  });
  it('prefers a bundle revoked-by over detection-rules for the same id', () => {
    const stix = readStixBundle(smallBundle(), { file: 'b' }).index;
    if (!stix) throw new Error('no index');
    const merged = withRedirects(stix, [{ from: 'T1547.011', to: 'T1055', source: 'detection-rules' }]);
    expect(merged.redirects.get('T1547.011')).toEqual({ from: 'T1547.011', to: 'T1647', source: 'stix' });
    expect(resolveTechnique(merged, 'T1547.011').id).toBe('T1647');
  });
});
