/**
 * The grammar reads an expression two ways (grammar.peggy, `Expr`): flat, in the silent parse
 * that parseEsql runs first, and through the precedence chain BooleanExpr → … → Primary in the
 * normal parse that reports errors. Both must give the same tree, spans included, and accept
 * the same queries; the flat reading may only give up (throw, so that parseEsql falls back to
 * the chain) where the chain fails too. These tests run the generated parser both ways.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-toml';
import { describe, expect, it } from 'vitest';
import { makeEsqlBuilders } from '../../../../src/lang/esql/ast';
import * as generated from '../../../../src/lang/esql/generated/parser';
import { corpusQueries, hasShared, projectRoot, prng } from '../../../helpers/shared';

const b = makeEsqlBuilders();

type Outcome = { ok: true; json: string } | { ok: false; threw: 'syntax' | 'other' };

function run(query: string, silent: boolean): Outcome {
  b.embedCandidates.length = 0;
  try {
    return { ok: true, json: JSON.stringify(generated.parse(query, { b, silent })) };
  } catch (e) {
    return { ok: false, threw: e instanceof generated.SyntaxError ? 'syntax' : 'other' };
  }
}

/** Counts of how the two readings compared over `queries`; a mismatch fails the test at once. */
function compare(queries: string[]): { same: number; bothFail: number; flatGaveUp: number } {
  const counts = { same: 0, bothFail: 0, flatGaveUp: 0 };
  for (const q of queries) {
    const flat = run(q, true);
    const chain = run(q, false);
    if (flat.ok) {
      // the flat reading never accepts more than the chain, and builds the same tree
      expect(chain.ok ? chain.json : 'chain rejects', q).toBe(flat.json);
      counts.same++;
    } else if (!chain.ok) counts.bothFail++;
    else if (flat.threw === 'other') counts.flatGaveUp++;
    else expect.fail(`flat reading rejects what the chain accepts: ${q}`);
  }
  return counts;
}

const OPERANDS = ['a', 'b.c', '`x y`', '1', '2.5', '"s"', '"""t"""', 'true', 'null', 'f(a)', 'COUNT(*)', '?p', '[1, 2]', '(a)', '1 hour', '5m', 'x::long', '-1', '.5', '1e3', 'is', 'nulls'];
const BINARY = [' and ', ' OR ', ' == ', ' != ', ' < ', ' >= ', ' =~ ', ' + ', ' - ', ' * ', ' / ', ' % ', '+', '-', '*'];
const SUFFIX = [' like "a*"', ' not like ("a", "b")', ' RLIKE "x"', ' in (1, b)', ' NOT IN (a, 2 + 3)', ' is null', ' IS NOT NULL', ' : "q"', ':"q"', ' in (FROM i | KEEP a)'];
const HEADS = ['FROM i | WHERE ', 'ROW x = ', 'FROM i | EVAL y = ', 'FROM i | STATS c = COUNT(*) WHERE ', 'FROM i | SORT ', 'FROM i | STATS m = MAX(a) BY ', 'FROM i | WHERE f('];

/** Seeded random expressions: well-formed ones (`depth` levels of operators) and token soup. */
function expressions(seed: number, count: number): string[] {
  const rand = prng(seed);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
  const expr = (depth: number): string => {
    const r = rand();
    if (depth <= 0 || r < 0.3) return pick(OPERANDS);
    if (r < 0.55) return expr(depth - 1) + pick(BINARY) + expr(depth - 1);
    if (r < 0.62) return pick(['not ', 'NOT ', '-', '+', '- ']) + expr(depth - 1);
    if (r < 0.68) return `(${expr(depth - 1)})`;
    if (r < 0.78) return expr(depth - 1) + pick(['::long', ' :: keyword']);
    if (r < 0.9) return expr(depth - 1) + pick(SUFFIX);
    return `f(${expr(depth - 1)}, ${expr(depth - 1)})`;
  };
  const soup = (): string => {
    let s = pick(OPERANDS);
    for (let i = 0, n = 1 + Math.floor(rand() * 6); i < n; i++) s += pick([...BINARY, ...SUFFIX, ' not ', '::', '(', ')', ',', ' asc', ' by ']) + (rand() < 0.8 ? pick(OPERANDS) : '');
    return s;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(pick(HEADS) + (i % 2 === 0 ? expr(4) : soup()) + (rand() < 0.3 ? ' | LIMIT 1' : ''));
  return out;
}

describe('ES|QL flat expression reading', () => {
  it('builds the same trees as the precedence chain for the case tables', () => {
    const queries = ['esql.toml', 'eval-esql.toml'].flatMap((f) =>
      (load(readFileSync(join(projectRoot, 'test', 'cases', f), 'utf8')) as { case: { query: string }[] }).case.map((c) => c.query),
    );
    expect(compare(queries)).toEqual({ same: 118, bothFail: 24, flatGaveUp: 0 });
  });

  it('pins the precedence corner cases', () => {
    const queries = [
      'FROM i | WHERE NOT a == b AND NOT NOT c OR d',
      'FROM i | WHERE a == b == c',
      'FROM i | WHERE a + b * -c::long % 2 - d > 1 IS NULL',
      'FROM i | WHERE a IS NULL + 1',
      'FROM i | WHERE a : "x" AND b::keyword : "y" OR (c) : "z"',
      'FROM i | WHERE a + b : "x"',
      'FROM i | WHERE a == NOT b',
      'FROM i | WHERE - NOT a',
      'FROM i | WHERE (a AND b) AND (c OR d) OR e',
      'FROM i | WHERE a NOT IN (1, 2 + 3, b == c) AND b NOT LIKE ("x", "y")',
      'FROM i | WHERE a IN (NOT b)',
      'FROM i | WHERE a IN (b AND c)',
      'FROM i | SORT a + 1 DESC NULLS LAST, b',
      'FROM i | WHERE a <= -b AND c >= +d AND e =~ "x" AND f != g',
      'FROM i | WHERE a //x\n AND /* y */ b',
    ];
    expect(compare(queries)).toEqual({ same: 8, bothFail: 7, flatGaveUp: 0 });
  });

  it('agrees with the chain on 4,000 seeded random expressions', () => {
    expect(compare(expressions(0xf1a7, 4000))).toEqual({ same: 1244, bothFail: 2756, flatGaveUp: 0 });
  });

  it.skipIf(!hasShared)('builds the same trees as the precedence chain for the 212 corpus queries', () => {
    const queries = corpusQueries()
      .filter((q) => q.language === 'esql')
      .map((q) => q.query);
    expect(compare(queries)).toEqual({ same: 212, bothFail: 0, flatGaveUp: 0 });
  });
});
