import { describe, expect, it } from 'vitest';
import { serializeCatalog, toCatalogJson } from '../../../src/catalog/json';
import { ingest } from '../../../src/ingest/ingest';
import { diagnostic } from '../../../src/model/diagnostic';

const toml = (id: string, name: string) => ({
  path: `rules/${id}.toml`,
  digest: '',
  text: `[metadata]\nmaturity = "production"\n[rule]\ndescription = "d"\nname = "${name}"\nrisk_score = 21\nrule_id = "${id}"\nseverity = "low"\ntags = ["T"]\ntype = "eql"\nquery = "process where true"\n`,
});

describe('catalog JSON', () => {
  const result = ingest({ files: [toml('b-2', 'Second'), toml('a-1', 'First')] });
  const extra = [diagnostic('warning', 'x', 'z.toml', { line: 2, column: 1 }, 'later'), diagnostic('error', 'y', 'a.toml', null, 'first', 'a-1')];
  const text = serializeCatalog({ rules: result.rules, diagnostics: [...extra] });
  const json = JSON.parse(text) as { rules: Record<string, unknown>[]; diagnostics: Record<string, unknown>[] };

  it('has the public top-level shape', () => {
    expect(Object.keys(json)).toEqual(['rules', 'diagnostics']);
  });
  it('starts every rule with the public names, in order, and keeps the rest of the model', () => {
    expect(Object.keys(json.rules[0]!).slice(0, 15)).toEqual(['id', 'name', 'slug', 'source', 'files', 'type', 'language', 'query', 'maturity', 'buildingBlock', 'severity', 'riskScore', 'tags', 'threat', 'versions']);
    expect(json.rules[0]).toMatchObject({ id: 'a-1', name: 'First', slug: 'first', source: 'elastic', files: ['rules/a-1.toml'], type: 'eql', language: 'eql', query: 'process where true', maturity: 'production', buildingBlock: false, severity: 'low', riskScore: 21, tags: ['T'], threat: [], versions: [] });
    expect(json.rules[0]).toHaveProperty('rawToml');
    expect(json.rules[0]).toHaveProperty('span');
  });
  it('sorts rules by id and diagnostics by place; one item per line; deterministic', () => {
    expect(json.rules.map((r) => r.id)).toEqual(['a-1', 'b-2']);
    expect(json.diagnostics).toEqual([
      { severity: 'error', code: 'y', file: 'a.toml', line: null, column: null, message: 'first', ruleId: 'a-1' },
      { severity: 'warning', code: 'x', file: 'z.toml', line: 2, column: 1, message: 'later' },
    ]);
    expect(text.split('\n')).toHaveLength(2 + 2 + 1 + 2 + 2);
    expect(serializeCatalog({ rules: [...result.rules].reverse(), diagnostics: [...extra].reverse() })).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });
  it('writes empty lists compactly', () => {
    expect(serializeCatalog({ rules: [], diagnostics: [] })).toBe('{"rules": [],\n"diagnostics": []}\n');
    expect(toCatalogJson({ rules: [], diagnostics: [] })).toEqual({ rules: [], diagnostics: [] });
  });
});
