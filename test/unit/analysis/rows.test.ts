/** Grouping predicates into rows, exclusions, scope and Kibana filters. */
import { describe, expect, it } from 'vitest';
import { predicateRows } from '../../../src/analysis';
import type { Predicate } from '../../../src/analysis/types';
import { analyse, eqlRule, filter, predicateLines, queryRule, rowLines, tables } from './helpers';

function pred(values: [string, Predicate['values'][number]['kind']][]): Predicate {
  return {
    in: 'query',
    loc: null,
    text: '',
    field: 'f',
    fields: ['f'],
    values: values.map(([value, kind]) => ({ value, kind })),
    list: values.length > 1,
    caseInsensitive: false,
    negated: false,
    role: 'indicator',
    conjunct: 0,
  };
}

describe('predicateRows', () => {
  it('one exact value is eq; several exact values are one in row, sorted and deduplicated', () => {
    expect(predicateRows(pred([['b', 'eq']]))).toEqual([{ kind: 'eq', values: ['b'] }]);
    expect(predicateRows(pred([['b', 'eq'], ['a', 'eq'], ['b', 'eq']]))).toEqual([{ kind: 'in', values: ['a', 'b'] }]);
    expect(predicateRows(pred([['x', 'eq'], ['x', 'eq']]))).toEqual([{ kind: 'eq', values: ['x'] }]);
  });
  it('values of one other kind are one row of that kind', () => {
    expect(predicateRows(pred([['py', 'starts_with'], ['perl', 'starts_with']]))).toEqual([{ kind: 'starts_with', values: ['perl', 'py'] }]);
  });
  it('mixed kinds split into one row per value, each with its own kind', () => {
    expect(predicateRows(pred([['a/', 'starts_with'], ['b', 'eq'], ['c', 'eq'], ['b', 'eq']]))).toEqual([
      { kind: 'starts_with', values: ['a/'] },
      { kind: 'eq', values: ['b'] },
      { kind: 'eq', values: ['c'] },
    ]);
  });
  it('code-unit order: upper case before lower case, digits before colon', () => {
    expect(predicateRows(pred([['b', 'eq'], ['B', 'eq'], [':', 'eq'], ['1', 'eq']]))).toEqual([{ kind: 'in', values: ['1', ':', 'B', 'b'] }]);
  });
});

describe('rows', () => {
  it('sort by field, kind, values; identical rows from several predicates are one row', () => {
    const a = analyse(queryRule('z:1 and a:(y* or x) and a:x and b:(q or p) and b:p')).analysis;
    expect(rowLines(a.indicators)).toEqual(['a eq x', 'a starts_with y', 'b eq p', 'b in p, q', 'z eq 1']);
    const ax = a.indicators.find((r) => r.field === 'a' && r.kind === 'eq');
    expect(ax?.refs).toEqual([
      { stage: 0, predicate: 1 },
      { stage: 0, predicate: 2 },
    ]);
  });

  it('rows of a sequence list every stage they occur in', () => {
    const a = analyse(eqlRule('sequence by host.id [process where process.name == "a"] [file where process.name == "a"]')).analysis;
    expect(rowLines(a.indicators)).toEqual(['event.category eq file', 'event.category eq process', 'process.name eq a']);
    expect(a.indicators.map((r) => r.stages)).toEqual([[1], [0], [0, 1]]);
  });

  it('numbers sort numerically before other values', () => {
    expect(tables(eqlRule('network where destination.port in (3389, 22, 443, 1024, 0.5, -1, "x", "10a")')).indicators).toEqual([
      'destination.port in -1, 0.5, 22, 443, 1024, 3389, 10a, x',
      'event.category eq network',
    ]);
  });

  it('exists, range and cidr rows are not marked case-insensitive', () => {
    expect(tables(eqlRule('any where process.name : "*" and cidrmatch~(source.ip, "10.0.0.0/8")')).indicators).toEqual(['process.name exists', 'source.ip cidr 10.0.0.0/8']);
  });

  it('case-insensitive and case-sensitive rows of the same value stay apart', () => {
    expect(tables(eqlRule('any where process.name : "cmd.exe" or process.name == "cmd.exe"')).indicators).toEqual([
      'process.name eq cmd.exe',
      'process.name eq~ cmd.exe',
    ]);
  });
});

describe('exclusions', () => {
  it('a top-level not (A or B) excludes A and B', () => {
    const t = tables(queryRule('event.type:start and not (process.name:(a or b) or process.args:"-x")'));
    expect(t.indicators).toEqual(['event.type eq start']);
    expect(t.exclusions).toEqual(['process.args eq -x', 'process.name in a, b']);
  });

  it('a top-level !=, not in, == null and like-not count as exclusions (NOT of a positive predicate)', () => {
    const t = tables(eqlRule('process where process.name != "a" and process.args not in ("b", "c") and user.id == null and not process.title like "x*"'));
    expect(t.exclusions).toEqual(['process.args in b, c', 'process.name eq a', 'process.title starts_with x', 'user.id exists']);
  });

  it('a negation that is not a top-level conjunct is neither indicator nor exclusion', () => {
    const a = analyse(queryRule('a:1 and (b:2 or not c:3)')).analysis;
    expect(rowLines(a.indicators)).toEqual(['a eq 1', 'b eq 2']);
    expect(rowLines(a.exclusions)).toEqual([]);
    expect(predicateLines(a)).toEqual(['indicator a:1', 'indicator b:2', 'other/nested_negation NEG c:3']);
  });

  it('inside an exclusion, a doubly negated predicate is not an exclusion row', () => {
    const a = analyse(queryRule('a:1 and not (b:2 and not c:3)')).analysis;
    expect(rowLines(a.exclusions)).toEqual(['b eq 2']);
    expect(predicateLines(a)).toEqual(['indicator a:1', 'exclusion NEG b:2', 'other/nested_negation c:3']);
  });

  it('KQL value lists with and/not: f:(* and not (x or y)) is f exists and NOT f in (x, y)', () => {
    const t = tables(queryRule('process.parent.executable:(* and not (/bin/make or /usr/bin/make))'));
    expect(t.indicators).toEqual(['process.parent.executable exists']);
    expect(t.exclusions).toEqual(['process.parent.executable in /bin/make, /usr/bin/make']);
  });

  it('a query whose top level is OR has no exclusions; all its positive predicates are indicators', () => {
    const t = tables(queryRule('a:1 and not b:2 or c:3'));
    expect(t.indicators).toEqual(['a eq 1', 'c eq 3']);
    expect(t.exclusions).toEqual([]);
  });
});

describe('scope', () => {
  it('host.os.type (and the other platform fields) are scope rows, not indicators', () => {
    const t = tables(eqlRule('process where host.os.type == "windows" and host.os.family : "ubuntu" and not host.os.platform in ("darwin") and process.name == "a"'));
    expect(t.indicators).toEqual(['event.category eq process', 'process.name eq a']);
    expect(t.exclusions).toEqual([]);
    expect(t.scope).toEqual(['host.os.family eq~ ubuntu', 'host.os.platform !eq darwin', 'host.os.type eq windows']);
  });

  it('event.category, event.type, event.action, event.dataset and data_stream.dataset stay indicators', () => {
    const t = tables(queryRule('event.category:process and event.type:start and event.action:exec and event.dataset:x and data_stream.dataset:y'));
    expect(t.indicators).toEqual(['data_stream.dataset eq y', 'event.action eq exec', 'event.category eq process', 'event.dataset eq x', 'event.type eq start']);
    expect(t.scope).toEqual([]);
  });
});

describe('[[rule.filters]]', () => {
  it('negated wildcard filters are exclusions (case-insensitive, escapes resolved) in a filters stage', () => {
    const rule = queryRule('event.category:file', 'kuery', {
      filters: [
        filter({ wildcard: { 'file.path': { case_insensitive: true, value: '?:\\\\Program Files\\\\App\\\\*' } } }, true),
        filter({ wildcard: { 'file.directory': { case_insensitive: true, value: 'C:\\\\Temp\\\\*' } } }, true),
      ],
    });
    const { analysis, diagnostics } = analyse(rule);
    expect(diagnostics).toEqual([]);
    expect(analysis.stages.map((s) => s.kind)).toEqual(['query', 'filters']);
    expect(rowLines(analysis.exclusions)).toEqual(['file.directory starts_with~ C:\\Temp\\', 'file.path wildcard~ ?:\\Program Files\\App\\*']);
    expect(analysis.exclusions.map((r) => r.stages)).toEqual([[1], [1]]);
    const p = analysis.stages[1]?.predicates[0];
    expect(p).toMatchObject({ in: 'filters', loc: null, filter: 0, negated: true, role: 'exclusion', text: 'file.path wildcard ?:\\\\Program Files\\\\App\\\\* (case-insensitive)' });
  });

  it('exists (both shapes), match_phrase, terms, range, prefix; non-negated filters are indicators; disabled filters add nothing', () => {
    const rule = queryRule('a:1', 'kuery', {
      filters: [
        filter(null, true, { exists: { field: 'user_agent.original' } }),
        filter({ exists: { field: 'rapid7.id' } }, true),
        filter({ match_phrase: { 'event.module': 'threatintel' } }, false),
        filter({ match_phrase: { 'event.kind': { query: 'enrichment' } } }, false),
        filter({ terms: { 'event.code': ['4624', '4625'] } }, false),
        filter({ range: { 'event.severity': { gte: 3, lt: 7 } } }, false),
        filter({ prefix: { 'host.name': 'srv' } }, false),
        filter({ match_phrase: { 'x.y': 'z' } }, true, { disabled: true }),
      ],
    });
    const { analysis, diagnostics } = analyse(rule);
    expect(diagnostics).toEqual([]);
    expect(rowLines(analysis.indicators)).toEqual([
      'a eq 1',
      'event.code in 4624, 4625',
      'event.kind eq enrichment',
      'event.module eq threatintel',
      'event.severity range < 7',
      'event.severity range >= 3',
      'host.name starts_with srv',
    ]);
    expect(rowLines(analysis.exclusions)).toEqual(['rapid7.id exists', 'user_agent.original exists']);
  });

  it('an unsupported filter shape is reported and skipped', () => {
    const { analysis, diagnostics } = analyse(queryRule('a:1', 'kuery', { filters: [filter({ geo_shape: { loc: {} } }, true)] }));
    expect(analysis.stages.map((s) => s.kind)).toEqual(['query']);
    expect(diagnostics.map((d) => [d.severity, d.code, d.message, d.file, d.ruleId])).toEqual([
      ['warning', 'analysis-filter', 'filters[0]: unsupported filter query type "geo_shape"', 'rules/test.toml', 'rule-1'],
    ]);
  });

  it("a filter problem is placed at that filter's [[rule.filters]] header in the TOML", () => {
    const rawToml = [
      '[metadata]', // 1
      'maturity = "production"', // 2
      '', // 3
      '[rule]', // 4
      'name = "x"', // 5
      '', // 6
      '[[rule.filters]]', // 7
      '[rule.filters.query.match_phrase]', // 8
      '"event.module" = "a"', // 9
      '', // 10
      '  [[rule.filters]]', // 11
      '[rule.filters.query.geo_shape.loc]', // 12
      '', // 13
    ].join('\n');
    const rule = queryRule('a:1', 'kuery', {
      rawToml,
      filters: [filter({ match_phrase: { 'event.module': 'a' } }, false), filter({ geo_shape: { loc: {} } }, false)],
    });
    const { diagnostics } = analyse(rule);
    expect(diagnostics.map((d) => [d.code, d.message, d.file, d.line, d.column])).toEqual([
      ['analysis-filter', 'filters[1]: unsupported filter query type "geo_shape"', 'rules/test.toml', 11, 3],
    ]);
  });

  it('a bool filter: must/filter ANDed, should ORed, must_not negated', () => {
    const { analysis } = analyse(
      queryRule('a:1', 'kuery', {
        filters: [filter({ bool: { must: [{ match_phrase: { b: '2' } }], should: [{ term: { c: '3' } }, { term: { c: '4' } }], must_not: { exists: { field: 'd' } } } }, false)],
      }),
    );
    expect(rowLines(analysis.indicators)).toEqual(['a eq 1', 'b eq 2', 'c eq 3', 'c eq 4']);
    expect(rowLines(analysis.exclusions)).toEqual(['d exists']);
  });
});
