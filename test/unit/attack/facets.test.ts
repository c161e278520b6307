import { describe, expect, it } from 'vitest';
import { facetCounts, facetKey, facetValues, filterRules, parseFacetFilter } from '../../../src/attack/facets';
import { rule } from './fixtures';

const win = rule('w', [], { tags: ['Domain: Endpoint', 'OS: Windows', 'OS:  Windows', 'Windows'], integrations: ['endpoint', 'windows'], type: 'eql' });
const lin = rule('l', [], { tags: ['OS: Linux', 'OS: macOS'], integrations: ['endpoint'], type: 'new_terms' });
const none = rule('n', [], { tags: ['Use Case: Threat Detection'], integrations: [], type: 'esql' });

describe('facets', () => {
  it('reads OS from `OS: X` tags only, integrations and the rule type', () => {
    expect(facetValues(win, 'os')).toEqual(['Windows']);
    expect(facetValues(lin, 'os')).toEqual(['Linux', 'macOS']);
    expect(facetValues(none, 'os')).toEqual([]);
    expect(facetValues(win, 'integration')).toEqual(['endpoint', 'windows']);
    expect(facetValues(lin, 'type')).toEqual(['new_terms']);
  });

  it('parses facet=value filters and explains bad ones', () => {
    expect(parseFacetFilter('os=Windows')).toEqual({ facet: 'os', value: 'Windows' });
    expect(parseFacetFilter(' Integration = aws ')).toEqual({ facet: 'integration', value: 'aws' });
    expect(parseFacetFilter('type=')).toEqual({ error: 'filter "type=" has no value' });
    expect(parseFacetFilter('os')).toEqual({ error: 'filter "os" is not facet=value (facets: os, integration, type)' });
    expect(parseFacetFilter('tactic=TA0002')).toEqual({ error: 'unknown facet "tactic" (facets: os, integration, type)' });
  });

  it('filters rules by every filter, values case-insensitively', () => {
    const rules = [win, lin, none];
    expect(filterRules(rules, [{ facet: 'os', value: 'windows' }]).map((r) => r.id)).toEqual(['w']);
    expect(filterRules(rules, [{ facet: 'integration', value: 'endpoint' }]).map((r) => r.id)).toEqual(['w', 'l']);
    expect(filterRules(rules, [{ facet: 'integration', value: 'endpoint' }, { facet: 'type', value: 'NEW_TERMS' }]).map((r) => r.id)).toEqual(['l']);
    expect(filterRules(rules, []).map((r) => r.id)).toEqual(['w', 'l', 'n']);
  });

  it('counts facet values, most rules first, and makes keys', () => {
    expect(facetCounts([win, lin, none, lin], 'integration')).toEqual([{ value: 'endpoint', rules: 3 }, { value: 'windows', rules: 1 }]);
    // Ties in code-unit order: upper case before lower case.
    expect(facetCounts([win, lin], 'os')).toEqual([{ value: 'Linux', rules: 1 }, { value: 'Windows', rules: 1 }, { value: 'macOS', rules: 1 }]);
    expect([facetKey('type', 'new_terms'), facetKey('os', 'macOS'), facetKey('integration', 'Microsoft 365 / Defender'), facetKey('os', '!!')]).toEqual(['type-new-terms', 'os-macos', 'integration-microsoft-365-defender', 'os-x']);
  });
});
