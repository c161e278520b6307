/**
 * The ES|QL case table (test/cases/esql.toml): each case is a query with its expected AST
 * (spans removed, `select` picks the node by a dot path) and canonical print, or its expected
 * syntax error (line, column, message).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-toml';
import { describe, expect, it } from 'vitest';
import { parseEsql, printEsql } from '../../../../src/lang/esql';
import { projectRoot, stripLocs } from '../../../helpers/shared';

interface Case {
  name: string;
  query: string;
  select?: string;
  ast?: string;
  print?: string;
  error?: { line: number; column: number; message: string };
}

const table = load(readFileSync(join(projectRoot, 'test', 'cases', 'esql.toml'), 'utf8')) as { case: Case[] };
const cases = table.case;

function select(root: unknown, path: string | undefined): unknown {
  if (!path) return root;
  let node: unknown = root;
  for (const key of path.split('.')) node = (node as Record<string, unknown>)[key];
  return node;
}

describe('ES|QL case table', () => {
  it('has cases for both parses and errors', () => {
    expect(cases.filter((c) => c.error === undefined).length).toBe(65);
    expect(cases.filter((c) => c.error !== undefined).length).toBe(24);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    if (c.error) {
      const error = c.error;
      it(`rejects: ${c.name}`, () => {
        const r = parseEsql(c.query);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect({ line: r.error.line, column: r.error.column, message: r.error.message }).toEqual(error);
      });
      continue;
    }
    it(`parses: ${c.name}`, () => {
      const r = parseEsql(c.query);
      if (!r.ok) throw new Error(`${c.name}: ${r.error.message}`);
      expect(stripLocs(select(r.ast, c.select))).toEqual(JSON.parse(c.ast as string));
      const printed = printEsql(r.ast);
      expect(printed).toBe(c.print === 'same' ? c.query : c.print);
      const again = parseEsql(printed);
      expect(again.ok && stripLocs(again.ast)).toEqual(stripLocs(r.ast));
    });
  }
});
