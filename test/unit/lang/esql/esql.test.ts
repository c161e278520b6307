/**
 * ES|QL parser, printer and visitor: the corpus oddities of the census (§8.16 and §4) as named
 * tests, spans, the printer's parentheses, embedded KQL/Lucene, the visitor, and the parse
 * contract (never throws, errors placed by line and column).
 */
import { describe, expect, it } from 'vitest';
import {
  esqlChildren,
  esqlFieldRefs,
  esqlFunctionCalls,
  parseEsql,
  printEsql,
  walkEsql,
  type EsqlExpr,
  type EsqlFunctionCall,
  type EsqlNode,
  type EsqlQuery,
} from '../../../../src/lang/esql';
import { stripLocs } from '../../../helpers/shared';

function parse(text: string): EsqlQuery {
  const r = parseEsql(text);
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.column} ${r.error.message}`);
  return r.ast;
}

/** The condition of the query's first WHERE. */
function where(text: string): EsqlExpr {
  const c = parse(text).commands.find((x) => x.kind === 'Where');
  if (c?.kind !== 'Where') throw new Error('no WHERE');
  return c.condition;
}

function call(text: string, name: string): EsqlFunctionCall {
  const found = esqlFunctionCalls(parse(text)).find((c) => c.name === name);
  if (!found) throw new Error(`no ${name}()`);
  return found;
}

function roundTrips(text: string): void {
  const ast = parse(text);
  expect(stripLocs(parse(printEsql(ast)))).toEqual(stripLocs(ast));
}

describe('census §8.16: KQL embedded in ES|QL, map literals, INLINE STATS, COMPLETION, casts, mixed-case keywords', () => {
  it('parses the string of KQL("""…""") with the KQL grammar and places it in the ES|QL text', () => {
    const text = 'FROM logs-* | WHERE KQL("""event.category:process and process.name:(curl or curl.exe)""")';
    const kql = call(text, 'KQL');
    expect(kql.embedded?.language).toBe('kuery');
    expect(kql.embedded?.linear).toBe(true);
    expect(kql.embedded?.loc).toEqual({ start: 27, end: 85 });
    expect(text.slice(27, 85)).toBe('event.category:process and process.name:(curl or curl.exe)');
    expect(kql.embedded?.result.ok && kql.embedded.result.ast.kind).toBe('And');
  });

  it('embeds the query of a parenthesised or nested KQL() call too', () => {
    const q = parse('FROM a | WHERE (KQL("a:b")) OR NOT (x AND kql("""c:d""")) | EVAL y = CASE(KQL("e:f"), 1, 0)');
    const calls = esqlFunctionCalls(q);
    expect(calls.map((c) => [c.name, c.embedded?.result.ok])).toEqual([
      ['KQL', true],
      ['KQL', true],
      ['CASE', undefined],
      ['KQL', true],
    ]);
  });

  it('marks a KQL string with escapes as not linear (its offsets do not add up)', () => {
    const kql = call('FROM a | WHERE KQL("a:\\"b c\\"")', 'KQL');
    expect(kql.embedded?.linear).toBe(false);
    expect(kql.embedded?.loc).toEqual({ start: 20, end: 29 });
    expect(kql.embedded?.result.ok).toBe(true);
  });

  it('keeps the ES|QL parse when the KQL argument does not parse, and carries the KQL error', () => {
    const r = parseEsql('FROM a | WHERE NOT KQL("a:(")');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kql = esqlFunctionCalls(r.ast)[0];
    expect(kql?.embedded?.result.ok).toBe(false);
    if (kql?.embedded?.result.ok !== false) return;
    expect([kql.embedded.result.error.offset, kql.embedded.result.error.line, kql.embedded.result.error.column]).toEqual([3, 1, 4]);
  });

  it('parses QSTR("…") with the Lucene grammar, and embeds nothing for other calls or non-string arguments', () => {
    const qstr = call('FROM a | WHERE qstr("a:b AND c:d")', 'QSTR');
    expect(qstr.embedded?.language).toBe('lucene');
    expect(qstr.embedded?.result.ok).toBe(true);
    expect(call('FROM a | WHERE KQL(?q)', 'KQL').embedded).toBeUndefined();
    expect(call('FROM a | WHERE MATCH(a, "b")', 'MATCH').embedded).toBeUndefined();
  });

  it('takes the named-parameter map of match(f, "x", { "fuzziness": 1, "max_expansions": 10 }) as the last argument', () => {
    const m = call('FROM a | WHERE match(process.name, "svchost.exe", { "fuzziness": 1, "max_expansions": 10 }) and x', 'MATCH');
    expect(m.args.map((a) => a.kind)).toEqual(['Field', 'String', 'Map']);
    const map = m.args[2];
    expect(map?.kind === 'Map' && map.entries.map((e) => [e.key.value, e.value.kind === 'Number' ? e.value.value : null])).toEqual([
      ['fuzziness', 1],
      ['max_expansions', 10],
    ]);
  });

  it('reads COMPLETION target = prompt WITH { "inference_id": … }', () => {
    const c = parse('FROM a | COMPLETION Esql.triage_result = Esql.prompt WITH { "inference_id": ".anthropic-claude-4.6-sonnet-completion" }').commands[1];
    expect(c?.kind).toBe('Completion');
    if (c?.kind !== 'Completion') return;
    expect([c.target?.name, c.prompt.kind === 'Field' && c.prompt.name]).toEqual(['Esql.triage_result', 'Esql.prompt']);
    expect(c.with?.kind === 'Map' && c.with.entries[0]?.value).toMatchObject({ kind: 'String', value: '.anthropic-claude-4.6-sonnet-completion' });
  });

  it('accepts INLINE STATS as two words (across lines and comments) and INLINESTATS as one', () => {
    for (const spelling of ['INLINE STATS', 'inline stats', 'INLINE\n    STATS', 'INLINE /* two words */ STATS', 'INLINESTATS']) {
      const c = parse(`FROM a | ${spelling} n = COUNT_DISTINCT(x) WHERE x IS NOT NULL BY y`).commands[1];
      expect(c?.kind).toBe('InlineStats');
      expect(c?.kind === 'InlineStats' && c.aggregates[0]?.where?.kind).toBe('IsNull');
    }
    expect(parseEsql('FROM a | INLINE x').ok).toBe(false);
  });

  it('reads ::STRING and ::double casts (type lower-cased), also inside MATCH()', () => {
    const m = call('FROM a | WHERE match(github.reasons.message::STRING, "refusing")', 'MATCH');
    expect(stripLocs(m.args[0])).toEqual({ kind: 'Cast', expr: { kind: 'Field', name: 'github.reasons.message' }, type: 'string' });
    expect(stripLocs(where('FROM a | WHERE x::double > 0.5'))).toMatchObject({ left: { kind: 'Cast', type: 'double' } });
  });

  it('treats Keep, keep and KEEP (and every keyword, function name and literal) case-insensitively', () => {
    const kinds = parse('from a | Where x | keep a | Keep b | KEEP c | kEeP d').commands.map((c) => c.kind);
    expect(kinds).toEqual(['From', 'Where', 'Keep', 'Keep', 'Keep', 'Keep']);
    expect(stripLocs(where('FROM a | where Not x iS nOt NuLl aNd y In (TRUE) Or z lIkE "a"'))).toEqual(
      stripLocs(where('FROM a | WHERE NOT x IS NOT NULL AND y IN (true) OR z LIKE "a"')),
    );
    expect(call('FROM a | EVAL x = values(y)', 'VALUES').name).toBe('VALUES');
  });

  it('reads backticked column names, including a keyword segment (source.`as`.organization.name) and `` escapes', () => {
    const fields = esqlFieldRefs(parse('FROM a | WHERE `process.executable` != "x" AND source.`as`.organization.name == `we``ird`'));
    expect(fields.map((f) => f.name)).toEqual(['process.executable', 'source.as.organization.name', 'we`ird']);
    expect(printEsql(parse('FROM a | KEEP x | WHERE source.`as`.organization.name == `we``ird`'))).toBe(
      'FROM a\n| KEEP x\n| WHERE source.`as`.organization.name == `we``ird`',
    );
  });
});

describe('census §4: the rest of what ES|QL rules use', () => {
  it('reads FROM with several patterns and METADATA _id, _index, _version, _source, _ignored', () => {
    const from = parse('from logs-windows.powershell_operational*, .alerts-security.* metadata _id, _version, _index, _source, _ignored').commands[0];
    expect(from?.kind === 'From' && [from.sources.map((s) => s.kind === 'IndexPattern' && s.pattern), from.metadata]).toEqual([
      ['logs-windows.powershell_operational*', '.alerts-security.*'],
      ['_id', '_version', '_index', '_source', '_ignored'],
    ]);
  });

  it('reads a threshold on aggregated values: STATS … BY … then WHERE', () => {
    const cs = parse('FROM a | STATS Esql.count = count(*) by host.id | WHERE Esql.count >= 10 | KEEP host.id').commands;
    expect(cs.map((c) => c.kind)).toEqual(['From', 'Stats', 'Where', 'Keep']);
  });

  it('does not take // or /* inside strings for comments, and skips comments between any tokens', () => {
    const q = parse('FROM a // first\n| WHERE /* c */ url LIKE "http://x/*" /* d */ AND b == """// raw""" // end');
    expect(stripLocs(q.commands[1])).toEqual({
      kind: 'Where',
      condition: {
        kind: 'And',
        operands: [
          { kind: 'Like', op: 'like', negated: false, expr: { kind: 'Field', name: 'url' }, patterns: [{ kind: 'String', value: 'http://x/*', triple: false }], list: false },
          { kind: 'Comparison', op: '==', left: { kind: 'Field', name: 'b' }, right: { kind: 'String', value: '// raw', triple: true } },
        ],
      },
    });
  });

  it('decodes \\\\ \\" \\n \\r \\t in "…" strings and keeps """…""" raw', () => {
    const r = where('FROM a | WHERE a == "C:\\\\Program Files\\\\x \\"q\\" \\n\\r\\t" AND b RLIKE """.*\\d+"\\\\"""');
    expect(r.kind === 'And' && r.operands.map((o) => (o.kind === 'Comparison' ? o.right : o.kind === 'Like' ? o.patterns[0] : null))).toEqual([
      expect.objectContaining({ value: 'C:\\Program Files\\x "q" \n\r\t', triple: false }),
      expect.objectContaining({ value: '.*\\d+"\\\\', triple: true }),
    ]);
  });

  it('keeps the 🔥 placeholder strings, with spans counted in UTF-16 code units', () => {
    const text = 'FROM a | EVAL n = length(x) - length(replace(x, "🔥", "")), y = 1';
    const q = parse(text);
    const strings: EsqlNode[] = [];
    walkEsql(q, (n) => void (n.kind === 'String' && strings.push(n)));
    expect(strings.map((s) => (s.kind === 'String' ? s.value : ''))).toEqual(['🔥', '']);
    expect(strings[0]?.loc).toEqual({ start: 48, end: 52 });
    const y = esqlFieldRefs(q).at(-1);
    expect(y?.name).toBe('y');
    expect(text.slice(y?.loc.start, y?.loc.end)).toBe('y');
  });

  it('reads time spans: 1 hour, 15 minutes, 5m, 1d (any word after an integer, as Elasticsearch does)', () => {
    const spans: string[] = [];
    walkEsql(parse('FROM a | WHERE t > now() - 1 hour AND d < 15 minutes | EVAL w = DATE_TRUNC(5m, @timestamp), e = 1d'), (n) => {
      if (n.kind === 'TimeSpan') spans.push(`${n.value}/${n.unit}`);
    });
    expect(spans).toEqual(['1/hour', '15/minutes', '5/m', '1/d']);
  });
});

describe('spans', () => {
  it('places each node exactly on its text, parentheses included for a parenthesised expression', () => {
    const text = 'FROM idx | WHERE (a OR b) AND c::long > -1';
    const q = parse(text);
    const seen: string[] = [];
    walkEsql(q, (n) => void seen.push(`${n.kind}:${text.slice(n.loc.start, n.loc.end)}`));
    expect(seen).toEqual([
      'Query:FROM idx | WHERE (a OR b) AND c::long > -1',
      'From:FROM idx',
      'IndexPattern:idx',
      'Where:WHERE (a OR b) AND c::long > -1',
      'And:(a OR b) AND c::long > -1',
      'Or:(a OR b)',
      'Field:a',
      'Field:b',
      'Comparison:c::long > -1',
      'Cast:c::long',
      'Field:c',
      'Unary:-1',
      'Number:1',
    ]);
  });

  it('ends the query span at its last command, before trailing comments and whitespace', () => {
    const text = '  FROM a | LIMIT 5 // done\n';
    expect(parse(text).loc).toEqual({ start: 2, end: 18 });
  });
});

describe('printer', () => {
  const cases: [string, string][] = [
    ['(a OR b) AND c', '(a OR b) AND c'],
    ['a OR (b AND c)', 'a OR b AND c'],
    ['((a AND b) AND c)', 'a AND b AND c'],
    ['NOT (a AND b)', 'NOT (a AND b)'],
    ['NOT NOT a', 'NOT NOT a'],
    ['(a + b) * c', '(a + b) * c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['(a == b) == c', '(a == b) == c'],
    ['-(a + b) > 0', '-(a + b) > 0'],
    ['(-a)::long > 0', '(-a)::long > 0'],
    ['-a::long > 0', '-a::long > 0'],
    ['(a + b)::long > 0', '(a + b)::long > 0'],
    ['- - a > 0', '- -a > 0'],
    ['(a IN (1)) IS NULL', '(a IN (1)) IS NULL'],
    ['(a == b) IN (true)', 'a == b IN (true)'],
    ['(NOT a) LIKE "x"', '(NOT a) LIKE "x"'],
    ['x IN (a == b, (c))', 'x IN (a == b, c)'],
  ];
  for (const [input, expected] of cases) {
    it(`prints ${input} as ${expected}`, () => {
      const text = `FROM i | WHERE ${input}`;
      expect(printEsql(parse(text))).toBe(`FROM i\n| WHERE ${expected}`);
      roundTrips(text);
    });
  }

  it('lays out SET directives, the source command and one processing command per line', () => {
    expect(printEsql(parse('set a=1;from x,y metadata _id|where b|fork (where c|limit 1) (keep d)|dissect (x) "%{a}"|grok concat(a,b) "%{b}", "%{c}"'))).toBe(
      'SET a = 1;\nFROM x, y METADATA _id\n| WHERE b\n| FORK (WHERE c | LIMIT 1) (KEEP d)\n| DISSECT x "%{a}"\n| GROK CONCAT(a, b) "%{b}", "%{c}"',
    );
  });

  it('reads SET directives with several settings, one Set node each', () => {
    const q = parse('SET approximation = { "rows": 10000 }, time_zone = "Europe/Paris"; SET x = -1; ROW a = 1');
    expect(q.settings.map((s) => [s.name, s.value.kind])).toEqual([
      ['approximation', 'Map'],
      ['time_zone', 'String'],
      ['x', 'Number'],
    ]);
    expect(printEsql(q)).toBe('SET approximation = { "rows": 10000 };\nSET time_zone = "Europe/Paris";\nSET x = -1;\nROW a = 1');
    roundTrips('SET approximation = { "rows": 10000 }, time_zone = "Europe/Paris"; ROW a = 1');
  });

  it('falls back to an escaped "…" string when a triple-quoted value cannot be printed triple-quoted', () => {
    const q = parse('ROW a = """x"""');
    const row = q.commands[0];
    if (row?.kind !== 'Row' || row.fields[0]?.expr.kind !== 'String') throw new Error('shape');
    row.fields[0].expr.value = 'line\nbreak """';
    expect(printEsql(q)).toBe('ROW a = "line\\nbreak \\"\\"\\""');
  });
});

describe('visitor', () => {
  it('lists children in source order and walks every node', () => {
    const q = parse('FROM a | STATS c = COUNT(*) WHERE x > 1 BY h | SORT c DESC');
    expect(esqlChildren(q).map((n) => n.kind)).toEqual(['From', 'Stats', 'Sort']);
    const kinds: string[] = [];
    walkEsql(q, (n) => void kinds.push(n.kind));
    expect(kinds).toEqual(['Query', 'From', 'IndexPattern', 'Stats', 'Aggregate', 'Field', 'Call', 'Comparison', 'Field', 'Number', 'NamedExpr', 'Field', 'Sort', 'SortKey', 'Field']);
  });

  it('skips a subtree when the callback returns false, and collects calls and fields in source order', () => {
    const q = parse('FROM a | EVAL x = f(g(y)), z = h(w)');
    const kinds: string[] = [];
    walkEsql(q, (n) => {
      kinds.push(n.kind);
      return n.kind !== 'Eval';
    });
    expect(kinds).toEqual(['Query', 'From', 'IndexPattern', 'Eval']);
    expect(esqlFunctionCalls(q).map((c) => c.name)).toEqual(['F', 'G', 'H']);
    expect(esqlFieldRefs(q).map((f) => f.name)).toEqual(['x', 'y', 'z', 'w']);
  });
});

describe('parse contract', () => {
  it('places errors by line and column, with what was expected and found', () => {
    const r = parseEsql('FROM a\n| WHERE x == 1\n| KEEP');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual({
      message: 'Expected column name pattern but end of input found.',
      offset: 28,
      line: 3,
      column: 7,
      expected: ['column name pattern'],
      found: null,
    });
  });

  it('never throws, whatever the input', () => {
    const inputs = [
      '\u0000', '\uD800', '"""', '`', '((((((((((', 'FROM a | WHERE ' + '('.repeat(50_000) + 'x' + ')'.repeat(50_000),
      'FROM a | WHERE ' + 'NOT '.repeat(20_000) + 'x', '/*'.repeat(10_000), 'FROM ' + 'a,'.repeat(30_000) + 'b',
      'FROM a | EVAL ' + Array.from({ length: 5_000 }, (_, i) => `f${i} = ${i}`).join(', '),
    ];
    for (const input of inputs) {
      const r = parseEsql(input);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.error.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports absurd nesting as an error instead of overflowing the stack', () => {
    const r = parseEsql('FROM a | WHERE ' + '('.repeat(200_000) + 'x' + ')'.repeat(200_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('Query is nested too deeply to parse.');
  });
});
