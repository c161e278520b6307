/**
 * Lucene regular expressions (Elasticsearch's regexp syntax) compiled to a DFA: the syntax, the
 * anchoring, ASCII case-insensitivity, the limits, and hostile patterns that would make a
 * backtracking engine take exponential time.
 */
import { describe, expect, it } from 'vitest';
import { Lang, TooComplexError } from '../../../src/eval/automaton';
import { compileLuceneRegex, parseLuceneRegex } from '../../../src/eval/regex';

function m(pattern: string, s: string, ci = false): boolean {
  const r = compileLuceneRegex(pattern, ci);
  if (!r.ok) throw new Error(r.error);
  return r.test(s);
}

describe('Lucene regex syntax', () => {
  const table: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abcd', false], // anchored at the end
    ['abc', 'xabc', false], // anchored at the start
    ['a.c', 'abc', true],
    ['a.c', 'ac', false],
    ['ab*c', 'ac', true],
    ['ab*c', 'abbbc', true],
    ['ab+c', 'ac', false],
    ['ab?c', 'abc', true],
    ['ab?c', 'abbc', false],
    ['a{2}', 'aa', true],
    ['a{2}', 'aaa', false],
    ['a{2,}', 'aaaa', true],
    ['a{2,3}', 'aaaa', false],
    ['a{0,2}', '', true],
    ['abc|xyz', 'xyz', true],
    ['a(b|c)d', 'acd', true],
    ['[abc]+', 'cab', true],
    ['[a-c]+', 'abd', false],
    ['[^a-c]', 'd', true],
    ['[^a-c]', 'b', false],
    ['[-a]', '-', true],
    ['\\.', '.', true],
    ['\\.', 'x', false],
    ['\\d+', '123', true],
    ['\\D', '1', false],
    ['\\s', '\t', true],
    ['\\S', ' ', false],
    ['\\w+', 'a_Z9', true],
    ['\\W', '_', false],
    ['[\\d.]+', '1.2.3', true],
    ['"a.b"', 'a.b', true], // quoted literal string
    ['"a.b"', 'axb', false],
    ['()', '', true],
    ['a()b', 'ab', true],
    ['^ab$', '^ab$', true], // ^ and $ are ordinary characters
    ['^ab$', 'ab', false],
    ['#', '', false], // the empty language
    ['@', 'anything at all', true], // any string
    ['a&b', 'a', false], // intersection
    ['.*a.*&.*b.*', 'xaxbx', true],
    ['.*a.*&.*b.*', 'xax', false],
    ['~(abc)', 'abd', true], // complement
    ['~(abc)', 'abc', false],
    ['~(.*foo.*)', 'barbaz', true],
    ['~(.*foo.*)', 'xfoox', false],
    ['<1-100>', '55', true], // numeric interval
    ['<1-100>', '101', false],
    ['<1-100>', '0055', true], // any number of leading zeros when the bounds differ in length
    ['<01-10>', '05', true], // fixed width when they do not
    ['<01-10>', '5', false],
    ['<100-1>', '50', true], // bounds are swapped when reversed
    ['*', '*', true], // a leading * is a literal character
    ['é+', 'ééé', true],
    ['.', '😀', true], // . is one code point
    ['..', '😀', false],
  ];
  for (const [p, s, want] of table) {
    it(`/${p}/ on ${JSON.stringify(s)} → ${want}`, () => expect(m(p, s)).toBe(want));
  }

  it('case-insensitive matching folds ASCII letters only (Lucene ASCII_CASE_INSENSITIVE)', () => {
    expect(m('abc', 'ABC', true)).toBe(true);
    expect(m('[a-c]+', 'ABC', true)).toBe(true);
    expect(m('[^a]', 'A', true)).toBe(false);
    expect(m('é', 'É', true)).toBe(false);
    expect(m('abc', 'ABC', false)).toBe(false);
  });

  it('reports syntax errors with a position', () => {
    const cases: [string, string][] = [
      ['a(b', "expected ')' at position 3"],
      ['[ab', "expected ']'"],
      ['a{2', "expected '}'"],
      ['a{x}', 'integer expected'],
      ['<foo>', 'unknown named automaton <foo>'],
      ['<1-x>', 'invalid numeric interval'],
      ['"abc', `expected '"'`],
      ['a|', 'unexpected end of pattern'],
      ['[z-a]', 'invalid character range'],
      ['a{2000}', 'repetition count over 1000'],
    ];
    for (const [p, msg] of cases) {
      const r = compileLuceneRegex(p);
      expect(r.ok, p).toBe(false);
      if (!r.ok) expect(r.error, p).toContain(msg);
    }
  });

  it('refuses patterns longer than the limit', () => {
    const r = compileLuceneRegex('a'.repeat(10_001));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('longer than 10000');
  });

  it('refuses patterns whose automaton exceeds 10,000 states, as Elasticsearch does', () => {
    const r = compileLuceneRegex('.*a.{30}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('more than 10000 automaton states');
  });
});

describe('hostile patterns run in linear time', () => {
  const hostile: [string, string][] = [
    ['(a+)+$', `${'a'.repeat(100_000)}!`],
    ['(a|a)*b', 'a'.repeat(100_000)],
    ['(a*)*b', 'a'.repeat(100_000)],
    ['(.*a){12}', 'a'.repeat(50_000)],
    ['(x+x+)+y', 'x'.repeat(100_000)],
    ['((a|aa)+)+c', 'a'.repeat(100_000)],
  ];
  for (const [p, input] of hostile) {
    it(`${p} on ${input.length} characters finishes fast`, () => {
      const t0 = performance.now();
      const r = compileLuceneRegex(p);
      expect(r.ok).toBe(true);
      if (r.ok) r.test(input);
      expect(performance.now() - t0).toBeLessThan(500);
    });
  }

  it('gives the right answers on those inputs', () => {
    expect(m('(a+)+$', `${'a'.repeat(1000)}!`)).toBe(false);
    expect(m('(a+)+\\$', `${'a'.repeat(1000)}$`)).toBe(true);
    expect(m('(a|a)*b', 'a'.repeat(1000))).toBe(false);
    expect(m('(a|a)*b', `${'a'.repeat(1000)}b`)).toBe(true);
  });

  it('matches a 1 MB value in well under a second', () => {
    const big = 'x'.repeat(1_000_000);
    const t0 = performance.now();
    expect(m('.*[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}.*', big)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('automaton', () => {
  it('finds a shortest string of an intersection minus a complement', () => {
    const L = new Lang();
    const a = parseLuceneRegex(L, 'cmd.*');
    const b = parseLuceneRegex(L, '.*\\.exe');
    const notC = L.not(L.literal('cmd.exe'));
    expect(L.shortestString(L.and(a, b))).toBe('cmd.exe');
    expect(L.shortestString(L.and(a, b, notC))).toBe('cmda.exe');
    expect(L.shortestString(L.and(a, L.not(a)))).toBe(null);
  });

  it('caps the number of expression nodes', () => {
    const L = new Lang();
    expect(() => {
      for (let i = 0; i < 300_000; i++) L.literal(`x${i}`);
    }).toThrow(TooComplexError);
  });
});
