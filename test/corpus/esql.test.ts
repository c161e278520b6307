/**
 * Whole-corpus ES|QL tests: every `language = "esql"` query of the detection-rules corpus parses,
 * prints canonically and round-trips, carries sane spans, and the construct counts match the
 * corpus census (../shared/research/corpus-census.md §4). Then the seeded fuzz run: mutated
 * corpus queries never make the parser throw, and none takes over 50 ms after warm-up.
 */
import { describe, expect, it } from 'vitest';
import { parseEsql, printEsql, walkEsql, type EsqlNode, type EsqlQuery } from '../../src/lang/esql';
import { corpusQueries, hasShared, stripLocs, type CorpusQuery } from '../helpers/shared';
import { fuzz } from '../helpers/fuzz';

describe.skipIf(!hasShared)('ES|QL corpus', () => {
  const queries: CorpusQuery[] = hasShared ? corpusQueries().filter((q) => q.language === 'esql') : [];
  const parsed = new Map<string, EsqlQuery>();

  it('has the 212 ES|QL queries of the census, and all of them parse', () => {
    expect(queries.length).toBe(212);
    const failures: string[] = [];
    for (const q of queries) {
      const r = parseEsql(q.query);
      if (r.ok) parsed.set(q.file, r.ast);
      else failures.push(`${q.file}:${r.error.line}:${r.error.column} ${r.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(parsed.size).toBe(212);
  });

  it('prints every query canonically: parse(print(ast)) equals ast apart from spans, and printing is stable', () => {
    const bad: string[] = [];
    for (const q of queries) {
      const ast = parsed.get(q.file) as EsqlQuery;
      const printed = printEsql(ast);
      const again = parseEsql(printed);
      if (!again.ok) {
        bad.push(`${q.file}: reprint does not parse: ${again.error.message}`);
        continue;
      }
      if (JSON.stringify(stripLocs(again.ast)) !== JSON.stringify(stripLocs(ast))) bad.push(`${q.file}: AST differs after printing`);
      if (printEsql(again.ast) !== printed) bad.push(`${q.file}: printing is not stable`);
    }
    expect(bad).toEqual([]);
  });

  it('gives every node a span inside its parent, and spans that start and end on the node text', () => {
    const bad: string[] = [];
    for (const q of queries) {
      const text = q.query;
      const ast = parsed.get(q.file) as EsqlQuery;
      walkEsql(ast, (node: EsqlNode, parent: EsqlNode | null) => {
        const { start, end } = node.loc;
        if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= text.length)) {
          bad.push(`${q.file}: ${node.kind} ${start}-${end}`);
          return false;
        }
        if (parent && (start < parent.loc.start || end > parent.loc.end)) bad.push(`${q.file}: ${node.kind} outside ${parent.kind}`);
        const slice = text.slice(start, end);
        if (slice.length === 0 || /^\s/.test(slice) || /\s$/.test(slice)) bad.push(`${q.file}: ${node.kind} span ${JSON.stringify(slice.slice(0, 30))}`);
        if (node.kind === 'Field' && !slice.includes(node.name.split('.')[0] as string)) bad.push(`${q.file}: Field ${node.name} at ${slice}`);
        if (node.kind === 'Number' && slice !== node.raw) bad.push(`${q.file}: Number ${node.raw} at ${slice}`);
        if (node.kind === 'String' && slice[0] !== '"') bad.push(`${q.file}: String at ${slice.slice(0, 10)}`);
        return true;
      });
      const first = ast.commands[0] as EsqlNode;
      expect(text.slice(first.loc.start, first.loc.start + 4).toLowerCase()).toBe('from');
    }
    expect(bad).toEqual([]);
  });

  it('counts the commands, operators and functions the census counted', () => {
    const commands: Record<string, number> = {};
    const ops: Record<string, number> = {};
    const functions = new Map<string, number>();
    let aggregateThenWhere = 0;
    let maxCommands = 0;
    let withMetadata = 0;
    let severalPatterns = 0;
    const inc = (o: Record<string, number>, k: string, n = 1): void => {
      o[k] = (o[k] ?? 0) + n;
    };
    for (const ast of parsed.values()) {
      const cs = ast.commands;
      maxCommands = Math.max(maxCommands, cs.length);
      for (const c of cs) inc(commands, c.kind);
      const agg = cs.findIndex((c) => c.kind === 'Stats' || c.kind === 'InlineStats');
      if (agg >= 0 && cs.slice(agg + 1).some((c) => c.kind === 'Where')) aggregateThenWhere++;
      const from = cs[0];
      if (from?.kind === 'From') {
        if (from.metadata.length > 0) withMetadata++;
        if (from.sources.length > 1) severalPatterns++;
      }
      walkEsql(ast, (n) => {
        switch (n.kind) {
          case 'And':
          case 'Or':
            inc(ops, n.kind, n.operands.length - 1);
            break;
          case 'Not':
            inc(ops, 'NOT');
            break;
          case 'Comparison':
            inc(ops, n.op);
            break;
          case 'Like':
            inc(ops, `${n.negated ? 'NOT ' : ''}${n.op.toUpperCase()}${n.list ? ' (list)' : ''}`);
            break;
          case 'In':
            inc(ops, n.negated ? 'NOT IN' : 'IN');
            break;
          case 'IsNull':
            inc(ops, n.negated ? 'IS NOT NULL' : 'IS NULL');
            break;
          case 'Cast':
            inc(ops, `::${n.type}`);
            break;
          case 'Call':
            functions.set(n.name, (functions.get(n.name) ?? 0) + 1);
            if (n.star) inc(ops, 'COUNT(*)');
            break;
          default:
            break;
        }
      });
    }
    // census §4.1 (INLINE STATS counted apart from STATS)
    expect(commands).toEqual({
      Where: 499, Eval: 424, Keep: 224, From: 212, Stats: 173, Sort: 39, Grok: 31, MvExpand: 27,
      Dissect: 15, InlineStats: 8, Limit: 8, Completion: 7, Rename: 1,
    });
    // census §4.5 (its `bool not` 400 = 161 prefix NOT + 230 IS NOT NULL + 7 NOT IN + 2 NOT LIKE)
    expect(ops).toMatchObject({
      And: 1105, Or: 525, NOT: 161, '==': 788, '>=': 262, '>': 110, '!=': 79, '<=': 74, '<': 22,
      LIKE: 545, RLIKE: 92, IN: 217, 'NOT IN': 7, 'IS NOT NULL': 230, 'IS NULL': 19, 'COUNT(*)': 99,
      'LIKE (list)': 2, 'NOT LIKE': 1, 'NOT LIKE (list)': 1, '::double': 6, '::string': 5,
    });
    // census §4.4, plus FIRST and LAST (8 each), which the census's lexer took for keywords
    expect(functions.size).toBe(53);
    expect(Object.fromEntries([...functions].filter(([, n]) => n >= 35))).toEqual({
      VALUES: 1076, COUNT_DISTINCT: 236, CASE: 171, COUNT: 132, COALESCE: 88, REPLACE: 88, MAX: 81, MIN: 76,
      MV_FIRST: 67, TO_LOWER: 66, TO_STRING: 52, SUM: 49, MV_CONCAT: 46, DATE_TRUNC: 43, MV_MIN: 39, KQL: 37,
      CONCAT: 36, DATE_DIFF: 36, LENGTH: 35,
    });
    expect([functions.get('MATCH'), functions.get('FIRST'), functions.get('LAST')]).toEqual([2, 8, 8]);
    // census §4.2 and §4.3
    expect({ aggregateThenWhere, maxCommands, withMetadata, severalPatterns }).toEqual({
      aggregateThenWhere: 163, maxCommands: 36, withMetadata: 140, severalPatterns: 47,
    });
  });

  it('parses every KQL() argument with the KQL grammar, at the right place in the ES|QL text', () => {
    let calls = 0;
    for (const q of queries) {
      walkEsql(parsed.get(q.file) as EsqlQuery, (n) => {
        if (n.kind !== 'Call' || n.name !== 'KQL') return;
        calls++;
        const arg = n.args[0];
        expect(arg?.kind).toBe('String');
        expect(n.embedded?.language).toBe('kuery');
        expect(n.embedded?.result.ok).toBe(true);
        expect(n.embedded?.linear).toBe(true);
        if (arg?.kind === 'String' && n.embedded) expect(q.query.slice(n.embedded.loc.start, n.embedded.loc.end)).toBe(arg.value);
      });
    }
    expect(calls).toBe(37);
  });

  it('survives 5,000 seeded mutations of corpus queries: never throws, no case over 50 ms after warm-up', () => {
    const seeds = queries.map((q) => q.query);
    for (const s of seeds) parseEsql(s); // warm-up
    let errors = 0;
    const slow: string[] = [];
    const report = fuzz(seeds, 5_000, 0xe5c1, (input) => {
      const t0 = performance.now();
      const r = parseEsql(input);
      if (performance.now() - t0 > 50) slow.push(input);
      if (!r.ok) {
        errors++;
        if (!(r.error.line >= 1 && r.error.column >= 1 && r.error.offset >= 0 && r.error.offset <= input.length)) {
          throw new Error(`bad error position ${JSON.stringify(r.error)}`);
        }
      }
    });
    expect(report.cases).toBe(5_000);
    expect(report.crashes).toEqual([]);
    // A case over 50 ms is timed again (best of 3): on a machine shared with other work a GC pause
    // or a descheduling can stall any single case; a slow parse is slow every time.
    const reallySlow = slow.filter((input) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        parseEsql(input);
        best = Math.min(best, performance.now() - t0);
      }
      return best > 50;
    });
    expect(reallySlow).toEqual([]);
    // mutations break most queries, but not all of them
    expect(errors).toBeGreaterThan(2_500);
    expect(errors).toBeLessThan(5_000);
  });
});
