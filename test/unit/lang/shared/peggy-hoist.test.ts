import { readFileSync } from 'node:fs';
import peggy from 'peggy';
import { describe, expect, it } from 'vitest';
import { hoistPeggyParser } from '../../../../src/lang/shared/peggy-hoist';

// A grammar with what the real ones use: a per-parse initializer (a const from options, a
// mutable counter, a helper function), actions, case-insensitive literals, classes, named rules,
// a semantic predicate that moves the position, `error()`, and two start rules.
const GRAMMAR = String.raw`
{
  const tag = options.tag ?? '';
  let calls = 0;
  function word(s) { calls++; return tag + s.toLowerCase(); }
}
Start = head:Item tail:(_ "," _ @Item)* _ { return { items: [head, ...tail], calls }; }
Item "item" = Word / Number / Bad
Word = w:$[a-zA-Z]+ { return word(w); }
Number = &{ let p = peg$currPos; while (p < input.length && input.charCodeAt(p) >= 48 && input.charCodeAt(p) <= 57) p++; if (p === peg$currPos) return false; peg$currPos = p; return true; } { return Number(text()); }
Bad = "!" { error("bang at " + location().start.column); }
Other = "xk"i "y" "::" { return range(); }
_ "blank" = [ \t]*
`;

type Parse = (input: string, options?: Record<string, unknown>) => unknown;

function load(source: string): { parse: Parse; SyntaxError: new () => Error } {
  const module = { exports: {} as { parse: Parse; SyntaxError: new () => Error } };
  new Function('module', 'exports', source)(module, module.exports);
  return module.exports;
}

function outcome(p: Parse, input: string, options?: Record<string, unknown>): unknown {
  try {
    return { ok: p(input, options) };
  } catch (e) {
    const err = e as Error & { location?: unknown; expected?: unknown; found?: unknown };
    return { error: err.message, location: err.location, expected: err.expected, found: err.found };
  }
}

describe('hoistPeggyParser', () => {
  const plain = peggy.generate(GRAMMAR, { output: 'source', format: 'commonjs', allowedStartRules: ['Start', 'Other'] });
  const hoisted = hoistPeggyParser(plain);
  const a = load(plain);
  const b = load(hoisted);

  it('moves rule functions, actions and constants out of peg$parse', () => {
    expect(hoisted).toMatch(/\nfunction peg\$parseStart\(\) \{/);
    expect(hoisted).toMatch(/\nfunction peg\$f0\(/);
    expect(hoisted).toMatch(/\nconst peg\$e0 = /);
    // literal tests without substrings
    expect(hoisted).toContain('= peg$matchCi(peg$c');
    expect(hoisted).toContain('input.startsWith(peg$c');
    expect(hoisted).not.toMatch(/input\.substr\(peg\$currPos, \d+\) === /);
    expect(hoisted).not.toMatch(/toLowerCase\(\) === peg\$c/);
    expect(hoisted).toMatch(/\nvar input, options, peg\$source, .*, tag, calls;\n/);
    const body = hoisted.slice(hoisted.indexOf('function peg$parse(input$, options$) {'));
    expect(body.slice(0, body.indexOf('\n}\n'))).not.toMatch(/function peg\$parse[A-Z_]/);
  });

  it('parses exactly like the generated parser: results, per-parse state, errors, start rules', () => {
    const cases: [string, Record<string, unknown>?][] = [
      ['Abc, 12 ,x'],
      ['abc', { tag: 't:' }],
      ['abc, DEF'],
      ['abc,'],
      ['abc, ?'],
      ['abc, !'],
      [''],
      ['XKy::', { startRule: 'Other' }],
      ['xky::', { startRule: 'Other' }],
      ['x\u212Ay::', { startRule: 'Other' }], // KELVIN SIGN lower-cases to "k"
      ['\u0130ky::', { startRule: 'Other' }],
      ['xK', { startRule: 'Other' }],
      ['x', { startRule: 'Other' }],
      ['xky:', { startRule: 'Other' }],
      ['xz', { startRule: 'Other' }],
      ['abc', { startRule: 'Nope' }],
      ['abc, 1', { peg$silentFails: 1 }],
    ];
    for (const [input, options] of cases) {
      expect(outcome(b.parse, input, options), JSON.stringify(input)).toEqual(outcome(a.parse, input, options));
    }
    // The initializer's mutable state starts afresh on every parse.
    expect(b.parse('a, b')).toEqual({ items: ['a', 'b'], calls: 2 });
    expect(b.parse('c')).toEqual({ items: ['c'], calls: 1 });
  });

  it('refuses a re-entrant parse instead of corrupting the outer one, and parses normally after it', () => {
    const inner = String.raw`
Start = "a" &{ return options.reenter(); } { return 'outer'; }
`;
    const p = load(hoistPeggyParser(peggy.generate(inner, { output: 'source', format: 'commonjs' })));
    expect(() => p.parse('a', { reenter: () => p.parse('a') })).toThrow(/re-entrant parse/);
    expect(p.parse('a', { reenter: () => true })).toBe('outer');
  });

  it('keeps the error class', () => {
    expect(() => b.parse('?')).toThrow(b.SyntaxError);
  });

  it('refuses code it does not recognise', () => {
    expect(() => hoistPeggyParser('export function parse() {}')).toThrow(/peggy-hoist: unexpected generated code/);
    expect(() => hoistPeggyParser(plain.replace('  let peg$silentFails = options.peg$silentFails | 0;\n', ''))).toThrow(/state declarations/);
  });

  it('is what the committed parsers were generated with', () => {
    for (const lang of ['eql', 'esql', 'kql', 'lucene']) {
      const js = readFileSync(new URL(`../../../../src/lang/${lang}/generated/parser.js`, import.meta.url), 'utf8');
      expect(js, lang).toContain('// peg$parse below was rewritten by src/lang/shared/peggy-hoist.ts');
      expect(js, lang).toContain('\nfunction peg$parse(input$, options$) {\n');
    }
  });
});
