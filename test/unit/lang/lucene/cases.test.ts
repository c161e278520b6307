/**
 * Runs the Lucene case table (test/cases/lucene.toml): expected ASTs (compact form and/or JSON),
 * expected errors (line, column, message), canonical print, round trip and loc sanity.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-toml';
import { describe, expect, it } from 'vitest';
import { parseLucene, printLucene } from '../../../../src/lang/lucene';
import { projectRoot, stripLocs } from '../../../helpers/shared';
import { luceneSexp } from './sexp';
import { luceneLocProblems } from './locs';

interface Case {
  name: string;
  query: string;
  census?: string;
  sexp?: string;
  ast?: string;
  print?: string;
  error?: { line: number; column: number; message: string };
}

const table = load(readFileSync(`${projectRoot}/test/cases/lucene.toml`, 'utf8')) as { case: Case[] };
const cases = table.case;

describe('Lucene case table', () => {
  it('is well formed: unique names, each case with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) expect(c.sexp !== undefined || c.ast !== undefined || c.error !== undefined, c.name).toBe(true);
  });

  it('pins the Lucene oddity of census §8 (8.17) with named cases', () => {
    expect(cases.filter((c) => c.census === '8.17').length).toBeGreaterThanOrEqual(3);
  });

  for (const c of cases) {
    it(`${c.census ? `§${c.census} ` : ''}${c.name}`, () => {
      const r = parseLucene(c.query);
      if (c.error) {
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect({ line: r.error.line, column: r.error.column, message: r.error.message }).toEqual(c.error);
        return;
      }
      if (!r.ok) throw new Error(`parse failed: ${r.error.message} at ${r.error.line}:${r.error.column}`);
      if (c.sexp !== undefined) expect(luceneSexp(r.ast)).toBe(c.sexp);
      if (c.ast !== undefined) expect(stripLocs(r.ast)).toEqual(JSON.parse(c.ast));
      const printed = printLucene(r.ast);
      if (c.print !== undefined) expect(printed).toBe(c.print);
      const again = parseLucene(printed);
      expect(again.ok ? stripLocs(again.ast) : again.error.message).toEqual(stripLocs(r.ast));
      expect(luceneLocProblems(c.query, r.ast)).toEqual([]);
    });
  }
});
