/**
 * Runs the KQL case table (test/cases/kql.toml): expected ASTs (compact form and/or JSON),
 * expected errors (line, column, message), canonical print, round trip and loc sanity.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-toml';
import { describe, expect, it } from 'vitest';
import { parseKql, printKql } from '../../../../src/lang/kql';
import { projectRoot, stripLocs } from '../../../helpers/shared';
import { kqlSexp } from './sexp';
import { kqlLocProblems } from './locs';

interface Case {
  name: string;
  query: string;
  census?: string;
  sexp?: string;
  ast?: string;
  print?: string;
  error?: { line: number; column: number; message: string };
}

const table = load(readFileSync(`${projectRoot}/test/cases/kql.toml`, 'utf8')) as { case: Case[] };
const cases = table.case;

describe('KQL case table', () => {
  it('is well formed: unique names, each case with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) expect(c.sexp !== undefined || c.ast !== undefined || c.error !== undefined, c.name).toBe(true);
  });

  it('pins every KQL oddity of census §8 (8.5, 8.6, 8.7, 8.19) with named cases', () => {
    const covered = new Set(cases.map((c) => c.census).filter((x) => x !== undefined));
    for (const id of ['8.5', '8.6', '8.7', '8.19']) expect(covered.has(id), `census §${id}`).toBe(true);
  });

  for (const c of cases) {
    it(`${c.census ? `§${c.census} ` : ''}${c.name}`, () => {
      const r = parseKql(c.query);
      if (c.error) {
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect({ line: r.error.line, column: r.error.column, message: r.error.message }).toEqual(c.error);
        return;
      }
      if (!r.ok) throw new Error(`parse failed: ${r.error.message} at ${r.error.line}:${r.error.column}`);
      if (c.sexp !== undefined) expect(kqlSexp(r.ast)).toBe(c.sexp);
      if (c.ast !== undefined) expect(stripLocs(r.ast)).toEqual(JSON.parse(c.ast));
      const printed = printKql(r.ast);
      if (c.print !== undefined) expect(printed).toBe(c.print);
      const again = parseKql(printed);
      expect(again.ok ? stripLocs(again.ast) : again.error.message).toEqual(stripLocs(r.ast));
      expect(kqlLocProblems(c.query, r.ast)).toEqual([]);
    });
  }
});
