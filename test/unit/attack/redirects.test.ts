import { describe, expect, it } from 'vitest';
import { readRedirects, readRedirectsText, withRedirects } from '../../../src/attack/redirects';
import { resolveTechnique } from '../../../src/attack/ids';
import { readStixBundle } from '../../../src/attack/stix';
import { indexFromRules } from '../../../src/attack/from-rules';
import { computeCoverage } from '../../../src/attack/coverage';
import { checkRules } from '../../../src/attack/check';
import { DEFENSE_EVASION, PERSISTENCE, entry, rule, smallBundle } from './fixtures';

describe('readRedirects (detection-rules attack-technique-redirects.json)', () => {
  it('reads the mapping sorted by id and the saved date', () => {
    const r = readRedirects({ mapping: { 'T1086': 'T1059.001', 'T1073': 'T1574.002' }, saved_date: 'Mon Jan 12 12:10:34 2026' }, 'redirects.json');
    expect(r).toEqual({
      redirects: [
        { from: 'T1073', to: 'T1574.002', source: 'detection-rules' },
        { from: 'T1086', to: 'T1059.001', source: 'detection-rules' },
      ],
      savedDate: 'Mon Jan 12 12:10:34 2026',
      diagnostics: [],
    });
  });

  it('skips entries that are not id → id, with one warning', () => {
    const r = readRedirects({ mapping: { T1086: 'T1059.001', bad: 'T1', T1002: 7, T1003: 'T1003' } }, 'r.json');
    expect(r.redirects).toHaveLength(1);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}: ${d.message}`)).toEqual(['warning attack-redirects-invalid r.json: 3 mapping entries skipped: T1002 → 7, T1003 → "T1003", bad → "T1"']);
  });

  it.each([[[]], [{}], [{ mapping: [] }], [null]])('rejects %j', (json) => {
    const r = readRedirects(json, 'r.json');
    expect(r.redirects).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['attack-redirects-invalid']);
  });

  it('reports text that is not JSON', () => {
    expect(readRedirectsText('{', 'r.json').diagnostics.map((d) => d.code)).toEqual(['attack-redirects-invalid']);
  });

  it('applies to a bundle index: a redirect of an active id is ignored, one of an unknown id is followed', () => {
    const stix = readStixBundle(smallBundle(), { file: 'b' }).index;
    if (!stix) throw new Error('no index');
    const index = withRedirects(stix, readRedirects({ mapping: { T1059: 'T1027', T1064: 'T1059' } }, 'r').redirects);
    expect(resolveTechnique(index, 'T1059').id).toBe('T1059');
    expect(resolveTechnique(index, 'T1064').chain).toEqual(['T1064', 'T1059']);
    expect(index.techniques.map((t) => t.id)).toEqual(stix.techniques.map((t) => t.id));
  });

  it('applies to an index built from rules: redirected ids become revoked, unnamed targets are added', () => {
    const rules = [
      rule('a', [entry(PERSISTENCE, [{ id: 'T1547', name: 'Boot or Logon Autostart Execution', subs: [['T1547.011', 'Plist Modification']] }])]),
      rule('b', [entry(DEFENSE_EVASION, [{ id: 'T1073', name: 'DLL Side-Loading' }])]),
    ];
    const index = withRedirects(indexFromRules(rules), readRedirects({ mapping: { 'T1547.011': 'T1647', T1073: 'T1574.002', 'T1574.002': 'T1574.001' } }, 'r').redirects);
    expect(index.techniques.map((t) => [t.id, t.name, t.status, t.replacedBy, t.tactics])).toEqual([
      ['T1073', 'DLL Side-Loading', 'revoked', 'T1574.002', ['TA0005']],
      ['T1547', 'Boot or Logon Autostart Execution', 'active', null, ['TA0003']],
      ['T1547.011', 'Plist Modification', 'revoked', 'T1647', ['TA0003']],
      ['T1574.001', 'T1574.001', 'active', null, ['TA0005']],
      ['T1647', 'T1647', 'active', null, ['TA0003']],
    ]);
    const cov = computeCoverage(rules, index);
    expect(cov.techniques.map((t) => [t.id, t.known, t.redirectedFrom])).toEqual([
      ['T1547', true, []],
      ['T1574.001', true, ['T1073']],
      ['T1647', true, ['T1547.011']],
    ]);
    expect(cov.uncovered).toEqual([]);
    expect(checkRules(rules, index).map((d) => d.message)).toEqual([
      'T1547.011 (Plist Modification) is revoked; replaced by T1647 per detection-rules redirects',
      'T1073 (DLL Side-Loading) is revoked; replaced by T1574.001 (via T1574.002) per detection-rules redirects',
    ]);
  });
});
