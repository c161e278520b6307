import { describe, expect, it } from 'vitest';
import { computeCoverage } from '../../../src/attack/coverage';
import { indexFromRules } from '../../../src/attack/from-rules';
import { buildLayer, catalogLayers, LAYER_FORMAT_VERSION, NAVIGATOR_VERSION } from '../../../src/attack/navigator';
import { readStixBundle } from '../../../src/attack/stix';
import { DEFENSE_EVASION, EXECUTION, PERSISTENCE, entry, rule, smallBundle } from './fixtures';

const index = readStixBundle(smallBundle(), { file: 'b.json' }).index;
if (!index) throw new Error('fixture bundle unreadable');
const url = (id: string): string => `https://ruledex.example/techniques/${id}/`;

const rules = [
  rule('a', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter', subs: [['T1059.001', 'PowerShell']] }])], { name: 'Alpha, "quoted"', severity: 'high', tags: ['OS: Windows'], integrations: ['endpoint'] }),
  rule('b', [entry(EXECUTION, [{ id: 'T1059', name: 'Command and Scripting Interpreter' }]), entry(DEFENSE_EVASION, [{ id: 'T1055', name: 'Process Injection' }])], { name: 'Bravo', buildingBlock: true, tags: ['OS: Linux'], type: 'esql' }),
  rule('c', [entry(PERSISTENCE, [{ id: 'T1055', name: 'Process Injection' }])], { name: 'Charlie', maturity: 'deprecated', deprecated: true, tags: ['OS: Windows'], integrations: ['endpoint'] }),
];

describe('buildLayer', () => {
  const layer = buildLayer(computeCoverage(rules, index), { name: 'All rules', techniqueUrl: url });

  it('writes the layer format 4.5 header with the bundle ATT&CK major version', () => {
    expect(LAYER_FORMAT_VERSION).toBe('4.5');
    expect(layer.versions).toEqual({ attack: '17', navigator: NAVIGATOR_VERSION, layer: '4.5' });
    expect(Object.keys(layer)).toEqual([
      'name', 'versions', 'domain', 'description', 'sorting', 'layout', 'hideDisabled', 'techniques', 'gradient', 'legendItems',
      'showTacticRowBackground', 'tacticRowBackground', 'selectTechniquesAcrossTactics', 'selectSubtechniquesWithParent', 'selectVisibleTechniques', 'metadata', 'links',
    ]);
    expect([layer.name, layer.domain, layer.sorting, layer.layout.expandedSubtechniques]).toEqual(['All rules', 'enterprise-attack', 3, 'annotated']);
  });

  it('scores each (technique, tactic) by its non-deprecated rules, with their names, a link and the mix', () => {
    expect(layer.techniques).toEqual([
      {
        techniqueID: 'T1055',
        tactic: 'defense-evasion',
        score: 1,
        comment: '1 rule:\n- Bravo',
        enabled: true,
        metadata: [
          { name: 'Rules', value: '1' },
          { name: 'Production', value: '0' },
          { name: 'Building block', value: '1' },
          { name: 'Severity', value: 'medium 1' },
        ],
        links: [{ label: 'T1055 Process Injection in the catalog', url: 'https://ruledex.example/techniques/T1055/' }],
        showSubtechniques: false,
      },
      {
        techniqueID: 'T1059',
        tactic: 'execution',
        score: 2,
        comment: '2 rules:\n- Alpha, "quoted"\n- Bravo',
        enabled: true,
        metadata: [
          { name: 'Rules', value: '2' },
          { name: 'Production', value: '1' },
          { name: 'Building block', value: '1' },
          { name: 'Severity', value: 'medium 1, high 1' },
        ],
        links: [{ label: 'T1059 Command and Scripting Interpreter in the catalog', url: 'https://ruledex.example/techniques/T1059/' }],
        showSubtechniques: true,
      },
      {
        techniqueID: 'T1059.001',
        tactic: 'execution',
        score: 1,
        comment: '1 rule:\n- Alpha, "quoted"',
        enabled: true,
        metadata: [
          { name: 'Rules', value: '1' },
          { name: 'Production', value: '1' },
          { name: 'Building block', value: '0' },
          { name: 'Severity', value: 'high 1' },
        ],
        links: [{ label: 'T1059.001 PowerShell in the catalog', url: 'https://ruledex.example/techniques/T1059.001/' }],
        showSubtechniques: false,
      },
    ]);
  });

  it('scales the gradient to the top score and describes the layer in metadata', () => {
    expect(layer.gradient).toEqual({ colors: ['#ffffff', '#a1d99b', '#238b45'], minValue: 0, maxValue: 2 });
    expect(layer.legendItems).toEqual([{ label: '1 rule', color: '#a1d99b' }, { label: '2 rules', color: '#238b45' }]);
    expect(layer.metadata).toEqual([
      { name: 'Generator', value: 'ruledex' },
      { name: 'Rules', value: '2' },
      { name: 'Techniques covered', value: '3' },
      { name: 'ATT&CK', value: 'STIX bundle 17.1' },
    ]);
  });

  it('counts deprecated rules on request, caps the names listed, and writes platforms filters', () => {
    const l = buildLayer(computeCoverage(rules, index), { name: 'x', techniqueUrl: url, includeDeprecated: true, maxCommentRules: 1, platforms: ['Windows'] });
    expect(l.techniques.map((t) => [t.techniqueID, t.tactic, t.score])).toEqual([
      ['T1055', 'persistence', 1],
      ['T1055', 'defense-evasion', 1],
      ['T1059', 'execution', 2],
      ['T1059.001', 'execution', 1],
    ]);
    expect(l.techniques[2]?.comment).toBe('2 rules:\n- Alpha, "quoted"\n… and 1 more');
    expect(l.techniques[0]?.metadata).toContainEqual({ name: 'Deprecated', value: '1' });
    expect(l.filters).toEqual({ platforms: ['Windows'] });
    expect(Object.keys(l).slice(0, 6)).toEqual(['name', 'versions', 'domain', 'description', 'filters', 'sorting']);
  });

  it('notes deprecated rules it does not count', () => {
    const l = buildLayer(computeCoverage([rules[1], rules[2]].filter((r) => r !== undefined), index), { name: 'x', techniqueUrl: url });
    expect(l.techniques.map((t) => t.techniqueID)).toEqual(['T1055', 'T1059']);
    const onlyDeprecated = buildLayer(computeCoverage([rules[2]].filter((r) => r !== undefined), index), { name: 'x', techniqueUrl: url });
    expect(onlyDeprecated.techniques).toEqual([]);
    expect(onlyDeprecated.gradient.maxValue).toBe(1);
  });

  it('omits versions.attack when the index has no version, and is identical whatever the rule order', () => {
    const own = indexFromRules(rules);
    const l = buildLayer(computeCoverage(rules, own), { name: 'x', techniqueUrl: url });
    expect(l.versions).toEqual({ navigator: NAVIGATOR_VERSION, layer: '4.5' });
    expect(l.metadata[3]).toEqual({ name: 'ATT&CK', value: "from the rules' threat mappings" });
    const again = buildLayer(computeCoverage([...rules].reverse(), own), { name: 'x', techniqueUrl: url });
    expect(JSON.stringify(again)).toBe(JSON.stringify(l));
  });
});

describe('catalogLayers', () => {
  it('writes the whole catalog, then one layer per OS, integration and rule type value', () => {
    const files = catalogLayers(rules, index, { techniqueUrl: url, title: 'Elastic' });
    expect(files.map((f) => [f.key, f.facet, f.value, f.rules, f.layer.name, f.layer.techniques.length, f.layer.filters?.platforms ?? null])).toEqual([
      ['all', null, null, 3, 'Elastic: all rules', 3, null],
      ['os-windows', 'os', 'Windows', 2, 'Elastic: OS Windows', 2, ['Windows']],
      ['os-linux', 'os', 'Linux', 1, 'Elastic: OS Linux', 2, ['Linux']],
      ['integration-endpoint', 'integration', 'endpoint', 2, 'Elastic: integration endpoint', 2, null],
      ['type-eql', 'type', 'eql', 2, 'Elastic: rule type eql', 2, null],
      ['type-esql', 'type', 'esql', 1, 'Elastic: rule type esql', 2, null],
    ]);
  });
});
