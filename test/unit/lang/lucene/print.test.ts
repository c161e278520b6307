/**
 * The Lucene printer: chosen outputs, and a seeded property test that random trees print to
 * text that parses back to the same tree.
 */
import { describe, expect, it } from 'vitest';
import { parseLucene, printLucene, walkLucene, type LuceneBound, type LuceneQuery, type LuceneOccur } from '../../../../src/lang/lucene';
import { escapeLuceneTerm } from '../../../../src/lang/lucene/print';
import { prng, stripLocs } from '../../../helpers/shared';

const L = { start: 0, end: 0 };
const term = (value: string, field: string | null = null): LuceneQuery => ({ kind: 'Term', loc: L, field, value, pattern: null, fuzzy: null });
const bool = (...c: [LuceneOccur, LuceneQuery][]): LuceneQuery => ({ kind: 'Bool', loc: L, clauses: c.map(([occur, query]) => ({ loc: L, occur, query })) });

describe('printLucene', () => {
  it('chooses AND, OR or prefix layout from the occurs', () => {
    expect(printLucene(bool(['must', term('a')], ['must_not', term('b')]))).toBe('a AND NOT b');
    expect(printLucene(bool(['should', term('a')], ['must_not', term('b')]))).toBe('a OR NOT b');
    expect(printLucene(bool(['must', term('a')], ['should', term('b')], ['must_not', term('c')]))).toBe('+a b -c');
    expect(printLucene(bool(['must', bool(['should', term('a')], ['should', term('b')])], ['must', term('c')]))).toBe('(a OR b) AND c');
    expect(printLucene({ kind: 'Boost', loc: L, query: { kind: 'Boost', loc: L, query: term('a'), boost: 2 }, boost: 3 })).toBe('(a^2)^3');
  });

  it('escapes terms', () => {
    expect(escapeLuceneTerm('AND')).toBe('\\AND');
    expect(escapeLuceneTerm('-x+y')).toBe('\\-x+y');
    expect(escapeLuceneTerm('a b:c/d')).toBe('a\\ b\\:c\\/d');
    expect(printLucene(term('x', 'a b'))).toBe('a\\ b:x');
  });

  it('round-trips random trees (seeded)', () => {
    const rand = prng(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const TOKENS = ['a', 'b', 'AND', 'OR', 'NOT', 'or', '&&', '||', ' ', '\t', '+', '-', '!', '(', ')', ':', '^', '[', ']', '{', '}', '"', '~', '\\', '/', '=', '<', '>', 'é', '🔥', '\u3000', 'TO', '.', '1'];
    const text = (): string => Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(TOKENS)).join('');
    const field = (): string | null => pick([null, null, 'f', 'a.b', 'x y', '*', 'AND', 'c:d']);
    const plainValue = (): string => {
      const v = text();
      return v.startsWith('>') || v.startsWith('<') ? `v${v}` : v;
    };
    const fuzzy = () => pick([null, null, { distance: null }, { distance: 1 }, { distance: 0.5 }]);
    const goop = (): LuceneBound | null => {
      const r = rand();
      if (r < 0.2) return null;
      if (r < 0.5) return { value: text().replace(/[\\"]/g, '') || 'q', quoted: true };
      const v = text().replace(/[ \]}\t\u3000]/g, '');
      return { value: v === '' || v === '*' || v.startsWith('"') ? 'g' : v, quoted: false };
    };
    const leaf = (): LuceneQuery => {
      const r = rand();
      if (r < 0.3) return { kind: 'Term', loc: L, field: field(), value: plainValue(), pattern: null, fuzzy: fuzzy() };
      if (r < 0.4) {
        const pieces = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => escapeLuceneTerm(text()));
        const pattern = pieces.map((p, i) => (i === 0 ? p : pick(['*', '?']) + p)).join('') + pick(['*', '?', '']);
        const raw = /[*?]/.test(pattern.replace(/\\./g, '')) ? pattern : `${pattern}*`;
        const value = raw.replace(/\\(.)/gu, '$1');
        return { kind: 'Term', loc: L, field: field(), value, pattern: raw, fuzzy: fuzzy() };
      }
      if (r < 0.55) return { kind: 'Phrase', loc: L, field: field(), value: text(), slop: fuzzy() };
      if (r < 0.62) return { kind: 'Regex', loc: L, field: field(), pattern: pick(['ab+c', '2[0-9]{3}', 'a\\/b', '.*', '']) };
      if (r < 0.75) return { kind: 'Range', loc: L, field: field(), lower: goop(), upper: goop(), includeLower: rand() < 0.5, includeUpper: rand() < 0.5, shorthand: false };
      if (r < 0.85) {
        const gt = rand() < 0.5;
        const v: LuceneBound = { value: text().replace(/^[=]+/, '') || 'n', quoted: false };
        return { kind: 'Range', loc: L, field: field(), lower: gt ? v : null, upper: gt ? null : v, includeLower: gt ? rand() < 0.5 : true, includeUpper: gt ? true : rand() < 0.5, shorthand: true };
      }
      return { kind: 'Exists', loc: L, field: pick(['title', 'a.b', 'x y']) };
    };
    const query = (depth: number): LuceneQuery => {
      const r = rand();
      if (depth <= 0 || r < 0.35) return leaf();
      if (r < 0.75) {
        const n = 1 + Math.floor(rand() * 4);
        const clauses = Array.from({ length: n }, () => ({ loc: L, occur: pick<LuceneOccur>(['must', 'should', 'must_not']), query: query(depth - 1) }));
        if (n === 1 && clauses[0]?.occur === 'should') (clauses[0] as { occur: LuceneOccur }).occur = 'must';
        return { kind: 'Bool', loc: L, clauses };
      }
      if (r < 0.9) return { kind: 'FieldGroup', loc: L, field: pick(['f', 'a.b', 'x y']), query: query(depth - 1) };
      return { kind: 'Boost', loc: L, query: query(depth - 1), boost: pick([2, 0.5, 10]) };
    };
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      const ast = query(3);
      const printed = printLucene(ast);
      const r = parseLucene(printed);
      const got = r.ok ? stripLocs(r.ast) : `${r.error.message} at ${r.error.column}`;
      if (JSON.stringify(got) !== JSON.stringify(stripLocs(ast))) expect({ printed, got }).toEqual({ printed, got: stripLocs(ast) });
      checked++;
    }
    expect(checked).toBe(2000);
  });

  it('visits every node', () => {
    const r = parseLucene('a AND f:(b OR "c")^2 AND NOT _exists_:d');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kinds: string[] = [];
    walkLucene(r.ast, (n) => void kinds.push(n.kind));
    expect(kinds).toEqual(['Bool', 'Term', 'Boost', 'FieldGroup', 'Bool', 'Term', 'Phrase', 'Exists']);
  });
});
