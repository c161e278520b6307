/**
 * The KQL printer: exact canonical output for chosen trees, and a seeded property test that
 * random trees (with literals full of keywords, specials, whitespace and escapes) print to text
 * that parses back to the same tree.
 */
import { describe, expect, it } from 'vitest';
import { parseKql, printKql, kqlFields, walkKql, type KqlLiteral, type KqlQuery, type KqlValue, type KqlRangeOp } from '../../../../src/lang/kql';
import { prng, stripLocs } from '../../../helpers/shared';

const L = { start: 0, end: 0 };
const lit = (value: string, quoted = false): KqlLiteral => ({ kind: 'Literal', loc: L, value, quoted, wildcard: false, parts: [value] });
const wild = (...parts: string[]): KqlLiteral => ({ kind: 'Literal', loc: L, value: parts.join('*'), quoted: false, wildcard: true, parts });
const is = (f: string, value: KqlValue): KqlQuery => ({ kind: 'Is', loc: L, field: lit(f), value });

function roundTrip(ast: KqlQuery): unknown {
  const text = printKql(ast);
  const r = parseKql(text);
  return r.ok ? stripLocs(r.ast) : `${r.error.message} in ${JSON.stringify(text)}`;
}

describe('printKql', () => {
  it('prints minimal parentheses', () => {
    const a = is('a', lit('1'));
    const b = is('b', lit('2'));
    const c = is('c', lit('3'));
    expect(printKql({ kind: 'And', loc: L, queries: [{ kind: 'Or', loc: L, queries: [a, b] }, c] })).toBe('(a:1 or b:2) and c:3');
    expect(printKql({ kind: 'Or', loc: L, queries: [{ kind: 'And', loc: L, queries: [a, b] }, c] })).toBe('a:1 and b:2 or c:3');
    expect(printKql({ kind: 'Not', loc: L, query: { kind: 'And', loc: L, queries: [a, b] } })).toBe('not (a:1 and b:2)');
    expect(printKql({ kind: 'Not', loc: L, query: { kind: 'Not', loc: L, query: a } })).toBe('not (not a:1)');
    expect(printKql({ kind: 'Not', loc: L, query: { kind: 'Nested', loc: L, path: lit('p'), query: a } })).toBe('not p:{ a:1 }');
    const vor: KqlValue = { kind: 'ValueOr', loc: L, values: [lit('x'), lit('y')] };
    expect(printKql(is('f', { kind: 'ValueAnd', loc: L, values: [vor, { kind: 'ValueNot', loc: L, value: lit('z') }] }))).toBe('f:((x or y) and not z)');
    expect(printKql(is('f', { kind: 'ValueNot', loc: L, value: vor }))).toBe('f:(not (x or y))');
  });

  it('escapes what would otherwise end or change an unquoted literal', () => {
    expect(printKql(is('f', lit('a or b')))).toBe('f:a \\or b');
    expect(printKql(is('f', lit('a AND b')))).toBe('f:a \\AND b');
    expect(printKql(is('f', lit('cannot be')))).toBe('f:canno\\u0074 be');
    expect(printKql(is('f', lit('NOT me')))).toBe('f:\\NOT me');
    expect(printKql(is('f', lit('x not')))).toBe('f:x no\\u0074');
    expect(printKql(is('f', lit('orange or')))).toBe('f:orange \\or');
    expect(printKql(is('f', lit('a\u00a0b\tc')))).toBe('f:a\\u00a0b\\tc');
    expect(printKql(is('f', lit('(1):<2>"*{}\\')))).toBe('f:\\(1\\)\\:\\<2\\>\\"\\*\\{\\}\\\\');
    expect(printKql(is('f', wild('', 'a*b', '')))).toBe('f:*a\\*b*');
    expect(printKql(is('f', lit('C:\\x\ty"z', true)))).toBe('f:"C:\\\\x\\ty\\"z"');
  });

  it('round-trips random trees (seeded)', () => {
    const rand = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const TOKENS = ['a', 'b', 'x1', 'or', 'OR', 'and', 'AnD', 'not', 'NOT', 'Not', 'n', 'no', 'o', ' ', '  ', '\t', '\n', '\r', '\u00a0', '\\', '(', ')', ':', '<', '>', '<=', '"', '{', '}', '*', 'é', '🔥', '\u202e', '-', '/', '.', 'u0041', '\\u', ' or ', ' and ', 'not ', '=', 'null'];
    const text = (): string => Array.from({ length: 1 + Math.floor(rand() * 7) }, () => pick(TOKENS)).join('');
    const literal = (): KqlLiteral => {
      const kind = rand();
      if (kind < 0.3) return lit(text(), true);
      if (kind < 0.65) {
        const v = text().trim();
        return lit(v === '' ? 'v' : v);
      }
      const parts = Array.from({ length: 2 + Math.floor(rand() * 3) }, () => (rand() < 0.4 ? '' : text()));
      parts[0] = (parts[0] as string).trimStart();
      parts[parts.length - 1] = (parts[parts.length - 1] as string).trimEnd();
      if (parts.length === 2 && parts[0] === '' && parts[1] === '') parts[1] = 'z';
      return wild(...parts);
    };
    const value = (depth: number, parent: string): KqlValue => {
      const r = rand();
      if (depth <= 0 || r < 0.5) return literal();
      if (r < 0.7 && parent !== 'ValueOr') return { kind: 'ValueOr', loc: L, values: [value(depth - 1, 'ValueOr'), value(depth - 1, 'ValueOr')] };
      if (r < 0.9 && parent !== 'ValueAnd') return { kind: 'ValueAnd', loc: L, values: [value(depth - 1, 'ValueAnd'), value(depth - 1, 'ValueAnd'), value(depth - 1, 'ValueAnd')] };
      return { kind: 'ValueNot', loc: L, value: value(depth - 1, 'ValueNot') };
    };
    const query = (depth: number, parent: string): KqlQuery => {
      const r = rand();
      if (depth <= 0 || r < 0.35) {
        const leaf = rand();
        if (leaf < 0.45) return { kind: 'Is', loc: L, field: literal(), value: value(3, '') };
        if (leaf < 0.6) return { kind: 'Exists', loc: L, field: literal() };
        if (leaf < 0.75) return { kind: 'Range', loc: L, field: literal(), op: pick<KqlRangeOp>(['<', '<=', '>', '>=']), value: literal() };
        if (leaf < 0.9) return { kind: 'FreeText', loc: L, value: literal() };
        return { kind: 'Nested', loc: L, path: literal(), query: query(depth - 1, '') };
      }
      if (r < 0.55 && parent !== 'Or') return { kind: 'Or', loc: L, queries: [query(depth - 1, 'Or'), query(depth - 1, 'Or')] };
      if (r < 0.8 && parent !== 'And') return { kind: 'And', loc: L, queries: [query(depth - 1, 'And'), query(depth - 1, 'And'), query(depth - 1, 'And')] };
      return { kind: 'Not', loc: L, query: query(depth - 1, 'Not') };
    };
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      const ast = query(4, '');
      const expected = stripLocs(ast);
      const got = roundTrip(ast);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        expect({ printed: printKql(ast), got }).toEqual({ printed: printKql(ast), got: expected });
      }
      checked++;
    }
    expect(checked).toBe(2000);
  });
});

describe('KQL visitors', () => {
  it('lists fields with nested paths, in source order', () => {
    const r = parseKql('a:1 and not b:{ c:2 or d >= 3 } or e:* or free');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(kqlFields(r.ast)).toEqual(['a', 'b.c', 'b.d', 'e']);
    const kinds: string[] = [];
    walkKql(r.ast, (n) => {
      kinds.push(n.kind);
      return n.kind !== 'Nested';
    });
    expect(kinds).toEqual(['Or', 'And', 'Is', 'Literal', 'Literal', 'Not', 'Nested', 'Exists', 'Literal', 'FreeText', 'Literal']);
  });
});
