/** Stages per rule type and language, with their settings and predicates. */
import { describe, expect, it } from 'vitest';
import type { AnalysisStage } from '../../../src/analysis/types';
import {
  analyse,
  eqlRule,
  esqlRule,
  filter,
  mlRule,
  newTermsRule,
  predicateLines,
  queryRule,
  rowLines,
  thresholdRule,
  threatMatchRule,
} from './helpers';

/** A stage without its predicates (asserted apart). */
function settings(s: AnalysisStage | undefined): Record<string, unknown> {
  if (s === undefined) return {};
  const { predicates: _p, ...rest } = s;
  return rest;
}

describe('EQL', () => {
  it('an event query is one stage; the category is an implicit event.category predicate', () => {
    const q = 'process where process.name == "a"';
    const { analysis } = analyse(eqlRule(q));
    expect(analysis.stages.map(settings)).toEqual([
      { kind: 'event', index: 0, in: 'query', loc: { start: 0, end: q.length }, fields: ['event.category', 'process.name'], category: 'process', categoryField: 'event.category' },
    ]);
    expect(analysis.stages[0]?.predicates[0]).toMatchObject({ text: 'event.category == "process"', implicit: true, loc: { start: 0, end: 7 }, role: 'indicator' });
  });

  it('event_category_override changes the field the category tests; any adds nothing', () => {
    const t = analyse(eqlRule('info where aws.x == "y"', { eventCategoryOverride: 'event.type' })).analysis;
    expect(rowLines(t.indicators)).toEqual(['aws.x eq y', 'event.type eq info']);
    expect(rowLines(analyse(eqlRule('any where true')).analysis.indicators)).toEqual([]);
  });

  it('each sequence term is a stage with its join keys, maxspan, runs and missing flag; until is a stage', () => {
    const q =
      'sequence by host.id with maxspan=5m\n' +
      '  [process where process.name == "a"] by process.entity_id with runs=3\n' +
      '  ![file where file.name == "b"] by process.entity_id\n' +
      'until [process where event.type == "end"]';
    const { analysis } = analyse(eqlRule(q));
    const st = analysis.stages.map(settings);
    expect(st.map((s) => s.kind)).toEqual(['sequence', 'sequence', 'until']);
    expect(st[0]).toMatchObject({ position: 0, sequenceBy: ['host.id'], by: ['process.entity_id'], maxspan: '5m', maxspanMillis: 300000, runs: 3, missing: false });
    expect(st[1]).toMatchObject({ position: 1, by: ['process.entity_id'], runs: null, missing: true, category: 'file' });
    expect(st[2]).toMatchObject({ index: 2, sequenceBy: ['host.id'], by: [], category: 'process' });
    expect(st[0]?.fields).toEqual(['event.category', 'host.id', 'process.entity_id', 'process.name']);
    expect(predicateLines(analysis)).toEqual([
      'indicator event.category == "process"',
      'indicator process.name == "a"',
      'other/missing_event event.category == "file"',
      'other/missing_event file.name == "b"',
      'other/until event.category == "process"',
      'other/until event.type == "end"',
    ]);
    expect(rowLines(analysis.indicators)).toEqual(['event.category eq process', 'process.name eq a']);
    expect(analysis.stages[1]?.loc).toEqual({ start: q.indexOf('!['), end: q.indexOf('\nuntil') });
  });

  it('each sample term is a stage with the sample keys', () => {
    const q = 'sample by host.id [process where true] [network where destination.port == 4444]';
    const { analysis } = analyse(eqlRule(q));
    expect(analysis.stages.map(settings)).toEqual([
      { kind: 'sample', index: 0, in: 'query', loc: { start: q.indexOf('[process'), end: q.indexOf(' [network') }, fields: ['event.category', 'host.id'], position: 0, category: 'process', categoryField: 'event.category', sampleBy: ['host.id'], by: [] },
      {
        kind: 'sample',
        index: 1,
        in: 'query',
        loc: { start: q.indexOf('[network'), end: q.length },
        fields: ['destination.port', 'event.category', 'host.id'],
        position: 1,
        category: 'network',
        categoryField: 'event.category',
        sampleBy: ['host.id'],
        by: [],
      },
    ]);
  });
});

describe('KQL-family rule types', () => {
  it('query (KQL and Lucene) is one stage', () => {
    expect(analyse(queryRule('a:1')).analysis.stages.map(settings)).toEqual([
      { kind: 'query', index: 0, in: 'query', loc: { start: 0, end: 3 }, fields: ['a'], language: 'kuery' },
    ]);
  });

  it('Lucene: AND/NOT clauses, a lowercase or is a term, a group of plain terms is one list, optional should clauses beside must', () => {
    const a = analyse(queryRule('event.type:(start or process_started) AND process.args:(g+s OR /2[0-9]{3}/) AND NOT user.name:root', 'lucene')).analysis;
    expect(rowLines(a.indicators)).toEqual([
      'event.type in or, process_started, start',
      'process.args eq g+s',
      'process.args regex 2[0-9]{3}',
    ]);
    expect(rowLines(a.exclusions)).toEqual(['user.name eq root']);
    const b = analyse(queryRule('+a:1 b:2 c:x*', 'lucene')).analysis;
    expect(predicateLines(b)).toEqual(['indicator a:1', 'other/optional b:2', 'other/optional c:x*']);
    const c = analyse(queryRule('destination.port:(4444 OR 1337 OR "x y" OR ab*) AND NOT process.name:(nc OR ncat)', 'lucene')).analysis;
    expect(rowLines(c.indicators)).toEqual(['destination.port eq 1337', 'destination.port eq 4444', 'destination.port eq x y', 'destination.port starts_with ab']);
    expect(rowLines(c.exclusions)).toEqual(['process.name in nc, ncat']);
  });

  it('new_terms, threshold (fields, value, cardinality) and their query predicates', () => {
    const nt = analyse(newTermsRule('event.action:exec', ['host.id', 'user.name'], 'now-7d')).analysis.stages.map(settings);
    expect(nt).toEqual([
      {
        kind: 'new_terms',
        index: 0,
        in: 'query',
        loc: { start: 0, end: 17 },
        fields: ['event.action', 'host.id', 'user.name'],
        language: 'kuery',
        newTermsFields: ['host.id', 'user.name'],
        historyWindowStart: 'now-7d',
      },
    ]);
    const th = analyse(thresholdRule('event.action:x', { fields: ['source.ip'], value: 10, cardinality: [{ field: 'destination.port', value: 5 }] })).analysis;
    expect(th.stages.map(settings)).toEqual([
      {
        kind: 'threshold',
        index: 0,
        in: 'query',
        loc: { start: 0, end: 14 },
        fields: ['destination.port', 'event.action', 'source.ip'],
        language: 'kuery',
        thresholdFields: ['source.ip'],
        value: 10,
        cardinality: [{ field: 'destination.port', value: 5 }],
      },
    ]);
    expect(rowLines(th.indicators)).toEqual(['event.action eq x']);
  });

  it('threat_match: a stage for the source query (indices, mappings) and one for the threat query and threat filters', () => {
    const rule = threatMatchRule('url.full:*', {
      index: ['logs-ti_*'],
      query: 'event.module:ti_* and not labels.x:"true"',
      language: 'kuery',
      mappings: [[{ field: 'url.full', type: 'mapping', value: 'threat.indicator.url.full' }]],
      filters: [filter({ match_phrase: { 'event.category': 'threat' } }, false)],
    });
    const { analysis } = analyse(rule);
    expect(analysis.stages.map(settings)).toEqual([
      {
        kind: 'threat_match',
        index: 0,
        in: 'query',
        loc: { start: 0, end: 10 },
        fields: ['url.full'],
        language: 'kuery',
        indices: ['logs-ti_*'],
        indicatorPath: 'threat.indicator',
        mappings: [[{ field: 'url.full', type: 'mapping', value: 'threat.indicator.url.full' }]],
      },
      {
        kind: 'threat_query',
        index: 1,
        in: 'threat_query',
        loc: { start: 0, end: 41 },
        fields: ['event.category', 'event.module', 'labels.x', 'threat.indicator.url.full'],
        language: 'kuery',
        indices: ['logs-ti_*'],
      },
    ]);
    expect(rowLines(analysis.indicators)).toEqual(['event.category eq threat', 'event.module starts_with ti_', 'url.full exists']);
    expect(rowLines(analysis.exclusions)).toEqual(['labels.x eq true']);
  });

  it('machine_learning: job ids and anomaly threshold, no predicates', () => {
    expect(analyse(mlRule(['job_a', 'job_b'], 75)).analysis).toEqual({
      stages: [{ kind: 'machine_learning', index: 0, in: 'query', loc: null, predicates: [], fields: [], jobIds: ['job_a', 'job_b'], anomalyThreshold: 75 }],
      indicators: [],
      exclusions: [],
      scope: [],
    });
  });

  it('a query that does not parse: the stage has no predicates and an info diagnostic says so', () => {
    const { analysis, diagnostics } = analyse(queryRule('a:(b'));
    expect(analysis.stages.map((s) => [s.kind, s.predicates.length])).toEqual([['query', 0]]);
    expect(diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([['info', 'analysis-skipped', 'the query does not parse; its stage has no predicates']]);
  });
});

describe('ES|QL', () => {
  const q =
    'FROM logs-endpoint.events.process-* METADATA _id\n' +
    '| WHERE KQL("""event.category:process and not process.name:(a or b)""") AND process.args IS NOT NULL\n' +
    '| EVAL Esql.lower = TO_LOWER(process.command_line)\n' +
    '| WHERE Esql.lower LIKE "*curl*" AND user.name != "root"\n' +
    '| STATS Esql.count = COUNT(*), Esql.hosts = COUNT_DISTINCT(host.id) WHERE host.os.type == "linux" BY process.executable\n' +
    '| WHERE Esql.count > 5\n' +
    '| KEEP Esql.*';

  it('a stage per WHERE and STATS, with the fields each uses and the STATS aggregates and keys', () => {
    const { analysis, diagnostics } = analyse(esqlRule(q));
    expect(diagnostics).toEqual([]);
    expect(analysis.stages.map(settings)).toEqual([
      {
        kind: 'esql',
        index: 0,
        in: 'query',
        loc: { start: q.indexOf('WHERE KQL'), end: q.indexOf('\n| EVAL') },
        fields: ['event.category', 'process.args', 'process.name'],
        command: 'where',
        position: 1,
        afterAggregation: false,
        aggregates: [],
        groupBy: [],
      },
      {
        kind: 'esql',
        index: 1,
        in: 'query',
        loc: { start: q.indexOf('WHERE Esql.lower'), end: q.indexOf('\n| STATS') },
        fields: ['Esql.lower', 'user.name'],
        command: 'where',
        position: 3,
        afterAggregation: false,
        aggregates: [],
        groupBy: [],
      },
      {
        kind: 'esql',
        index: 2,
        in: 'query',
        loc: { start: q.indexOf('STATS'), end: q.indexOf('\n| WHERE Esql.count') },
        fields: ['host.id', 'host.os.type', 'process.executable'],
        command: 'stats',
        position: 4,
        afterAggregation: false,
        aggregates: ['Esql.count = COUNT(*)', 'Esql.hosts = COUNT_DISTINCT(host.id) WHERE host.os.type == "linux"'],
        groupBy: ['process.executable'],
      },
      {
        kind: 'esql',
        index: 3,
        in: 'query',
        loc: { start: q.indexOf('WHERE Esql.count'), end: q.indexOf('\n| KEEP') },
        fields: ['Esql.count'],
        command: 'where',
        position: 5,
        afterAggregation: true,
        aggregates: [],
        groupBy: [],
      },
    ]);
  });

  it('indicators come from WHERE on source fields before aggregation, embedded KQL included', () => {
    const { analysis } = analyse(esqlRule(q));
    expect(predicateLines(analysis)).toEqual([
      'indicator event.category:process',
      'exclusion NEG process.name:(a or b)',
      'indicator process.args IS NOT NULL',
      'other/derived_field Esql.lower LIKE "*curl*"',
      'exclusion NEG user.name != "root"',
      'other/aggregate_filter host.os.type == "linux"',
      'other/after_aggregation Esql.count > 5',
    ]);
    expect(rowLines(analysis.indicators)).toEqual(['event.category eq process', 'process.args exists']);
    expect(rowLines(analysis.exclusions)).toEqual(['process.name in a, b', 'user.name eq root']);
    expect(rowLines(analysis.scope)).toEqual([]);
  });

  it('locs of embedded KQL predicates point into the ES|QL text', () => {
    const { analysis } = analyse(esqlRule(q));
    const preds = analysis.stages[0]?.predicates ?? [];
    expect(preds.map((p) => (p.loc ? q.slice(p.loc.start, p.loc.end) : null))).toEqual([
      'event.category:process',
      'process.name:(a or b)',
      'process.args IS NOT NULL',
    ]);
  });

  it('an embedded KQL string that does not parse is reported; the call stays a function predicate', () => {
    const r = analyse(esqlRule('FROM x | WHERE KQL("a:(b")'));
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'analysis-embedded-query']]);
    expect(predicateLines(r.analysis)).toEqual(['other/no_field KQL("a:(b")']);
  });

  it('a computed predicate belongs to the first field it reads and lists all of them', () => {
    const { analysis } = analyse(esqlRule('FROM x | WHERE process.parent.name == process.name AND LENGTH(CONCAT(user.name, host.name)) > 3'));
    expect(analysis.stages[0]?.predicates.map((p) => [p.field, p.fields, p.values[0]?.kind])).toEqual([
      ['process.parent.name', ['process.name', 'process.parent.name'], 'function'],
      ['user.name', ['host.name', 'user.name'], 'function'],
    ]);
  });

  it('columns made by GROK, DISSECT, RENAME and INLINE STATS are derived', () => {
    const a = analyse(
      esqlRule(
        'FROM x | GROK message "%{IP:client.ip} %{WORD:verb}" | DISSECT path "%{dir}/%{+dir}/%{file}" | RENAME user.name AS who ' +
          '| INLINE STATS n = COUNT(*) BY host.id | WHERE client.ip == "1.2.3.4" AND dir == "a" AND who == "b" AND n > 1 AND host.id == "h" AND verb == "GET"',
      ),
    ).analysis;
    expect(predicateLines(a)).toEqual([
      'other/derived_field client.ip == "1.2.3.4"',
      'other/derived_field dir == "a"',
      'other/derived_field who == "b"',
      'other/derived_field n > 1',
      'indicator host.id == "h"',
      'other/derived_field verb == "GET"',
    ]);
  });
});

describe('diagnostics are placed in the rule file', () => {
  it('maps a query offset to the line and column of the TOML file', () => {
    const query = 'FROM a\n| WHERE KQL("a:(b")';
    const rawToml = `[rule]\nquery = '''\n${query}\n'''\n`;
    const start = rawToml.indexOf('FROM');
    const rule = esqlRule(query, {
      rawToml,
      files: ['rules/x.toml'],
      querySource: {
        language: 'esql',
        text: query,
        span: { file: 'rules/x.toml', start: { offset: start, line: 3, column: 1 }, end: { offset: start + query.length, line: 4, column: 21 } },
      },
    });
    const { diagnostics } = analyse(rule);
    // The KQL string's content starts after `| WHERE KQL("` on line 4 of the file.
    expect(diagnostics.map((d) => [d.file, d.line, d.column, d.code, d.ruleId])).toEqual([['rules/x.toml', 4, 14, 'analysis-embedded-query', 'rule-1']]);
  });

  it('maps a query offset inside a markdown code block by counting lines from the block start', () => {
    const query = 'FROM a\n| WHERE KQL("a:(b")';
    const rule = esqlRule(query, {
      files: ['docs/x.md'],
      querySource: { language: 'esql', text: query, span: { file: 'docs/x.md', start: { offset: 100, line: 10, column: 1 }, end: { offset: 126, line: 11, column: 21 } } },
    });
    expect(analyse(rule).diagnostics.map((d) => [d.file, d.line, d.column])).toEqual([['docs/x.md', 11, 14]]);
  });

  it('without a known place, names the rule file without line', () => {
    expect(analyse(esqlRule('FROM a | WHERE KQL("a:(b")')).diagnostics.map((d) => [d.file, d.line, d.column])).toEqual([['rules/test.toml', null, null]]);
  });
});

describe('analyseCatalog', () => {
  it('parses and analyses every rule in order, collecting diagnostics', async () => {
    const { analyseCatalog } = await import('../../../src/analysis');
    const r = analyseCatalog([queryRule('a:1', 'kuery', { id: 'x' }), esqlRule('FROM a | WHERE KQL("(")', { id: 'y' }), mlRule(['j'], 50, { id: 'z' })]);
    expect(r.rules.map((x) => [x.id, x.analysis.stages.map((s) => s.kind).join()])).toEqual([
      ['x', 'query'],
      ['y', 'esql'],
      ['z', 'machine_learning'],
    ]);
    expect(r.diagnostics.map((d) => [d.ruleId, d.code])).toEqual([['y', 'analysis-embedded-query']]);
  });
});
