/**
 * Runs the EQL case table (test/cases/eql.toml): every case's tree or error, exactly; every
 * successful case also survives print → parse; and every §8 EQL oddity (8.8–8.15) of the
 * corpus census has at least one named case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-toml';
import { describe, expect, it } from 'vitest';
import { parseEql, parseEqlExpression, printEql, printEqlExpr } from '../../../../src/lang/eql';
import { projectRoot, stripLocs } from '../../../helpers/shared';
import { expr, query, type Notation } from './notation';

interface Case {
  name: string;
  oddity?: string;
  query?: string;
  expr?: string;
  ast?: Notation;
  error?: { line: number; column: number; message: string };
}

const table = load(readFileSync(join(projectRoot, 'test', 'cases', 'eql.toml'), 'utf8')) as { case: Case[] };
const cases = table.case;

describe('EQL case table', () => {
  it('is well formed: unique names, one input, one expectation each', () => {
    const names = new Set<string>();
    for (const c of cases) {
      expect(names.has(c.name), c.name).toBe(false);
      names.add(c.name);
      expect((c.query === undefined) !== (c.expr === undefined), c.name).toBe(true);
      expect((c.ast === undefined) !== (c.error === undefined), c.name).toBe(true);
    }
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it('pins every EQL oddity of census §8 (8.8 to 8.15) with a named case', () => {
    const pinned = new Set(cases.map((c) => c.oddity).filter((o) => o !== undefined));
    for (const o of ['8.8', '8.9', '8.10', '8.11', '8.12', '8.13', '8.14', '8.15']) {
      // 8.14 (huge lists) is pinned in eql.test.ts (synthetic 2,609-item list) and the corpus test.
      if (o === '8.14') continue;
      expect(pinned.has(o), `oddity ${o}`).toBe(true);
    }
  });

  for (const c of cases) {
    it(c.name, () => {
      const text = (c.query ?? c.expr) as string;
      const result = c.query !== undefined ? parseEql(text) : parseEqlExpression(text);
      if (c.error) {
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect({ line: result.error.line, column: result.error.column, message: result.error.message }).toEqual(c.error);
        return;
      }
      if (!result.ok) throw new Error(`unexpected error: ${result.error.line}:${result.error.column} ${result.error.message}`);
      const expected = c.query !== undefined ? query(c.ast as Notation) : expr(c.ast as Notation);
      expect(stripLocs(result.ast)).toStrictEqual(expected);
      // The canonical print re-parses to the same tree.
      const printed = c.query !== undefined ? printEql(result.ast as Parameters<typeof printEql>[0]) : printEqlExpr(result.ast as Parameters<typeof printEqlExpr>[0]);
      const again = c.query !== undefined ? parseEql(printed) : parseEqlExpression(printed);
      if (!again.ok) throw new Error(`printed form does not parse: ${again.error.message}\n${printed}`);
      expect(stripLocs(again.ast)).toStrictEqual(expected);
    });
  }
});
