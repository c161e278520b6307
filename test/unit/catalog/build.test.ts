import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/build';
import { serializeCatalog } from '../../../src/catalog/json';
import { ingest } from '../../../src/ingest/ingest';
import { loadSources } from '../../../src/ingest/load';
import type { SourceFile } from '../../../src/ingest/types';
import { projectRoot } from '../../helpers/shared';

function toml(id: string, name: string, query: string): SourceFile {
  const text = `[metadata]
creation_date = "2024/01/01"
maturity = "production"
updated_date = "2024/01/01"

[rule]
author = ["Ruledex"]
description = "Test rule."
language = "eql"
license = "Apache-2.0"
name = "${name}"
risk_score = 21
rule_id = "${id}"
severity = "low"
tags = ["OS: Linux"]
type = "eql"
query = '''
${query}
'''
`;
  return { path: `rules/${id}.toml`, text, digest: id };
}

describe('buildCatalog', () => {
  const files = [
    toml('good', 'Good rule', 'process where process.name == "curl" and not process.args : "-h*"'),
    toml('bad', 'Bad rule', 'process where process.name == "curl" and\n  process.args in ("a", "b"'),
  ];
  const catalog = buildCatalog(ingest({ files }));

  it('keeps a rule whose query does not parse, with an error placed in its file', () => {
    expect(catalog.rules.map((r) => r.id)).toEqual(['bad', 'good']);
    const errors = catalog.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    // The query starts on line 18 of the file; the parser runs out of input looking for ")",
    // after the query's trailing newline: line 20, column 1 (where the closing ''' stands).
    expect(errors[0]).toMatchObject({ code: 'query-syntax', file: 'rules/bad.toml', line: 20, column: 1, ruleId: 'bad' });
    expect(errors[0]?.message).toMatch(/^query \(eql\) does not parse: Expected "\)", ","/);
    expect(catalog.rules[0]?.analysis.indicators).toEqual([]);
  });

  it('places an error inside the query at its line and column in the TOML file', () => {
    const c = buildCatalog(ingest({ files: [toml('mid', 'Mid', 'process where\n  process.name === "curl"')] }));
    const errors = c.diagnostics.filter((d) => d.severity === 'error');
    // Line 19 is the query's second line; the third "=" stands in column 18.
    expect(errors.map((d) => [d.file, d.line, d.column])).toEqual([['rules/mid.toml', 19, 18]]);
    expect(errors[0]?.message).toContain('but "=" found.');
  });

  it('analyses the other rules and counts their indicators', () => {
    const good = catalog.rules[1];
    expect(good?.analysis.indicators.map((r) => [r.field, r.kind, r.values.map((v) => [v.value, v.corpus])])).toEqual([
      ['event.category', 'eq', [['process', 1]]],
      ['process.name', 'eq', [['curl', 1]]],
    ]);
    expect(good?.analysis.exclusions.map((r) => [r.field, r.kind, r.values.map((v) => v.value)])).toEqual([['process.args', 'starts_with', ['-h']]]);
    expect(catalog.parsed.get('good')?.query?.ok).toBe(true);
    expect(catalog.parsed.get('bad')?.query?.ok).toBe(false);
  });

  it('serialises analyses and the top-level indexes', () => {
    const json = JSON.parse(serializeCatalog({ ...catalog, corpusStats: catalog.stats })) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['rules', 'diagnostics', 'fields', 'indicators', 'corpusStats']);
    const rules = json.rules as { id: string; analysis: { stages: unknown[] } }[];
    expect(rules.map((r) => [r.id, r.analysis.stages.length])).toEqual([
      ['bad', 0],
      ['good', 1],
    ]);
  });
});

describe('buildCatalog over content/', async () => {
  const loaded = await loadSources([`${projectRoot}content`], { workers: 0 });
  const catalog = buildCatalog(loaded.result);
  it('parses and analyses every example rule without errors', () => {
    expect(catalog.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const rule of catalog.rules) {
      if (rule.query === null) continue;
      const parsed = catalog.parsed.get(rule.id)?.query;
      expect(parsed?.ok, rule.id).toBe(true);
      expect(rule.analysis.stages.length, rule.id).toBeGreaterThan(0);
    }
  });
});
