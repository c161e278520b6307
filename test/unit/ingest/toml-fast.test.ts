/**
 * The hand-written TOML decoder (src/ingest/toml-fast.ts) against js-toml: a case table of edge
 * cases, each run through both paths, and seeded mutations of corpus files. The decoder must give
 * js-toml's document exactly, or decline (null) and leave the file to js-toml; it must never
 * accept a text js-toml rejects. Every file of the corpus takes the fast path
 * (test/corpus/ingest.test.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeToml } from '../../../src/ingest/decode-toml';
import { decodeTomlFast } from '../../../src/ingest/toml-fast';
import { hasShared, prng, rulesRoot } from '../../helpers/shared';

const file = (text: string) => ({ path: 'rules/x.toml', text, digest: '' });

type Outcome = 'fast' | 'declined' | 'invalid';

/**
 * What happened to `text`: `fast` (the decoder gave js-toml's document, locations included),
 * `declined` (null, js-toml accepts the text), `invalid` (js-toml rejects it, and so did the
 * decoder). Throws on any disagreement.
 */
function outcome(text: string): Outcome {
  const plain = decodeToml(file(text), { plain: true });
  const fast = decodeTomlFast(text);
  if (plain.doc === null) {
    if (fast !== null) throw new Error(`fast path accepted a text js-toml rejects: ${JSON.stringify(text.slice(0, 200))} (${plain.diagnostics[0]?.message})`);
    // The decoder's verdict does not change js-toml's diagnostics.
    expect(decodeToml(file(text))).toEqual(plain);
    return 'invalid';
  }
  if (fast === null) {
    expect(decodeToml(file(text))).toEqual(plain);
    return 'declined';
  }
  if (!isDeepStrictEqual(fast.doc, plain.doc)) throw new Error(`documents differ for ${JSON.stringify(text.slice(0, 200))}: ${JSON.stringify(fast.doc)} vs ${JSON.stringify(plain.doc)}`);
  const full = decodeToml(file(text));
  if (!isDeepStrictEqual(full, plain)) throw new Error(`decodeToml differs from the plain path for ${JSON.stringify(text.slice(0, 200))}: ${JSON.stringify(full.locations)} vs ${JSON.stringify(plain.locations)}`);
  return 'fast';
}

const deep = (n: number, open: string, close: string): string => `${open.repeat(n)}${close.repeat(n)}`;

/** [name, text, outcome]. */
const CASES: [string, string, Outcome][] = [
  // Layout
  ['empty file', '', 'fast'],
  ['blank lines only', '\n\n  \n\t\n', 'fast'],
  ['comments only, no final newline', '# a\n  # b', 'fast'],
  ['key-values, no final newline', 'a = 1\nb = "x"', 'fast'],
  ['header at the end of the text', 'a = 1\n[t]', 'fast'],
  ['CRLF line ends everywhere', '# c\r\n[t]\r\na = 1\r\nb = [\r\n  1, # x\r\n  2,\r\n]\r\nc = """\r\nx\r\ny"""\r\n', 'fast'],
  ['a lone CR between lines', 'a = 1\rb = 2\n', 'invalid'],
  ['a lone CR at the end', 'a = 1\r', 'invalid'],
  ['trailing blanks and tabs', '[t]  \t\na = 1 \t\nb = "x"\t \n', 'fast'],
  ['blanks inside headers and dotted keys', '[ a . b ]\nc . d = 1\n[[ e ]]\n', 'fast'],
  ['a byte-order mark in the text', '\ufeffa = 1\n', 'invalid'],
  ['unicode without a byte-order mark', '# ünïcödé 🔥\nname = "Ünïcode — 🔥"\nnote = \'\'\'\nприв\u00e9t\n\'\'\'\n', 'fast'],
  ['comments after a header, a value, an array element and at the end', '[t] # h\na = 1 # v\nb = [ # open\n  1, # one\n  # alone\n  2 # two\n  , 3\n] # close\n# end', 'fast'],
  ['a comment right after a value, no blank', 'a = 1#c\nb = "x"#c\nc = true#c\n', 'fast'],
  ['# inside strings is not a comment', "a = \"x # y\"\nb = 'z # w'\n", 'fast'],
  ['a control character in a comment', 'a = 1 # x\u0001y\n', 'invalid'],
  ['DEL in a comment', 'a = 1 # x\u007fy\n', 'invalid'],
  ['a control character in a string', 'a = "x\u0001y"\n', 'invalid'],
  ['a form feed as a blank', 'a =\f1\n', 'invalid'],
  ['a tab in a string', 'a = "x\ty"\n', 'fast'],
  ['a lone surrogate in a string', 'a = "\ud800"\n', 'invalid'],
  ['a surrogate pair in a literal string', "a = '\ud83d\udd25'\n", 'fast'],
  ['U+2028 in a string (places come from quickScan)', '[rule]\nname = "a\u2028query = 1"\nquery = \'\'\'x\'\'\'\n', 'fast'],
  // Syntax errors
  ['a value on the next line', 'a =\n1\n', 'invalid'],
  ['a key on its own line', 'a\n= 1\n', 'invalid'],
  ['a missing value', 'a = \n', 'invalid'],
  ['a missing value at the end', 'a =', 'invalid'],
  ['two values', 'a = 1 2\n', 'invalid'],
  ['two key-values on a line', 'a = 1 b = 2\n', 'invalid'],
  ['a header followed by a key-value', '[a] b = 1\n', 'invalid'],
  ['[a]]', '[a]]\n', 'invalid'],
  ['[[a]', '[[a]\n', 'invalid'],
  ['[[a] ]', '[[a] ]\n', 'invalid'],
  ['[ [a] ]', '[ [a] ]\n', 'invalid'],
  ['[]', '[]\n', 'invalid'],
  ['[a.]', '[a.]\n', 'invalid'],
  ['[.a]', '[.a]\n', 'invalid'],
  ['a..b', 'a..b = 1\n', 'invalid'],
  ['a bare key with a non-ASCII letter', 'é = 1\n', 'invalid'],
  ['a multi-line string as a key', '"""a""" = 1\n', 'invalid'],
  ['a key without =', 'a 1\n', 'invalid'],
  ['an unterminated basic string', 'a = "x\nb = 1\n', 'invalid'],
  ['an unterminated literal string', "a = 'x\n", 'invalid'],
  ['an unterminated multi-line string', 'a = """x\n', 'invalid'],
  ['an escaped closing quote', 'a = "x\\"\n', 'invalid'],
  ['a backslash before a line end in a basic string', 'a = "x\\\ny"\n', 'invalid'],
  // Keys
  ['quoted keys with dots, quotes and unicode', '"a.b" = 1\n\'c"d\' = 2\n"ключ" = 3\n"🔥" = 4\n[x."y.z"]\n"$state" = 5\n', 'fast'],
  ['empty quoted keys', '"" = 1\n[t]\n\'\' = 2\n', 'fast'],
  ['escapes in keys', '"a\\tb" = 1\n"\\u00e9" = 2\n"q\\"q" = 3\n"\\\\" = 4\n"\\x41" = 5\n"\\e" = 6\n', 'fast'],
  ['an unknown escape in a key', '"a\\qb" = 1\n', 'invalid'],
  ['a surrogate escape in a key', '"\\ud800" = 1\n', 'invalid'],
  ['keys that look like numbers and booleans', '1 = 1\n2.3 = 3\ntrue = 4\n-_- = 5\n', 'fast'],
  ['a bare and a quoted spelling of one key', 'a = 1\n"a" = 2\n', 'invalid'],
  ['a key named constructor (left to js-toml)', 'constructor = 1\n', 'declined'],
  ['a table named constructor (left to js-toml)', '[constructor]\na = 1\n', 'declined'],
  ['a key named __proto__ (left to js-toml)', '__proto__ = 1\n', 'declined'],
  ['33 dotted key parts (left to js-toml)', `${Array.from({ length: 33 }, (_, i) => `k${i}`).join('.')} = 1\n`, 'declined'],
  // Tables
  ['duplicate keys', 'a = 1\na = 2\n', 'invalid'],
  ['duplicate keys in a table', '[t]\na = 1\nb = 2\na = 3\n', 'invalid'],
  ['a table defined twice', '[a]\n[a]\n', 'invalid'],
  ['[a] after [a.b]', '[a.b]\nx = 1\n[a]\ny = 2\n', 'fast'],
  ['[a] after [a] and [a.b]', '[a]\n[a.b]\n[a]\n', 'invalid'],
  ['[a.b], [a.b.c], then [a]', '[a.b.c]\n[a.b]\n[a]\n', 'fast'],
  ['a key then a table of that name', '[a]\nb = 1\n[a.b]\n', 'invalid'],
  ['a table then a key of that name', '[a.b]\n[a]\nb = 1\n', 'invalid'],
  ['dotted keys extending a header table', '[a.b]\nx = 1\n[a]\nb.y = 2\n', 'invalid'],
  ['a header defining a dotted-key table', '[a]\nb.c = 1\n[a.b]\n', 'invalid'],
  ['a header below a dotted-key table', '[a]\nb.c = 1\n[a.b.d]\ne = 2\n', 'fast'],
  ['a header for a root dotted-key table', 'a.b = 1\n[a]\n', 'invalid'],
  ['dotted keys extending each other', 'a.b.c = 1\na.b.d = 2\na.e = 3\n', 'fast'],
  ['dotted keys over a value', 'a = 1\na.b = 2\n', 'invalid'],
  ['dotted keys extending an inline table', 'a = {b = 1}\na.c = 2\n', 'invalid'],
  ['a header extending an inline table', 'a = {b = 1}\n[a.c]\n', 'invalid'],
  ['a header below an inline table in a table', '[t]\na = {}\n[t.a.b]\n', 'invalid'],
  ['a header redefining an inline table', 'a = {b = 1}\n[a]\n', 'invalid'],
  ['an array of tables after a static array', 'a = [1]\n[[a]]\n', 'invalid'],
  ['an array of tables after an empty static array', 'a = []\n[[a]]\n', 'invalid'],
  ['an array of tables after a static array of inline tables', 'a = [{b = 1}]\n[[a]]\n', 'invalid'],
  ['a header through a static array', 'a = [{}]\n[a.b]\n', 'invalid'],
  ['a table after an array of tables of that name', '[[a]]\n[a]\n', 'invalid'],
  ['an array of tables after a table of that name', '[a]\n[[a]]\n', 'invalid'],
  ['an array of tables after a key of that name', 'a = 1\n[[a]]\n', 'invalid'],
  ['dotted keys through an array of tables', '[[a]]\n[b]\n[[a]]\nx = 1\n[c]\n', 'fast'],
  ['dotted keys into an array of tables', '[[a]]\nx = 1\n[b]\n', 'fast'],
  ['a root dotted key over an array of tables', '[[a]]\n[x]\n', 'fast'],
  ['sub-tables of arrays of tables', '[[a]]\nx = 1\n[a.b]\ny = 2\n[[a]]\nx = 3\n[a.b]\ny = 4\n[[a.c]]\nz = 5\n', 'fast'],
  ['nested arrays of tables, as in rule.threat', '[[r.t]]\nf = "M"\n[[r.t.te]]\nid = "T1"\n[[r.t.te.s]]\nid = "T1.1"\n[r.t.ta]\nid = "TA1"\n[[r.t]]\nf = "M"\n[r.t.ta]\nid = "TA2"\n', 'fast'],
  ['an array of tables below an implicit table', '[[a.b]]\n[a]\nc = 1\n', 'fast'],
  ['a sub-table defined twice in one element', '[[a]]\n[a.b]\n[a.b]\n', 'invalid'],
  ['the same sub-table in two elements', '[[a]]\n[a.b]\n[[a]]\n[a.b]\n', 'fast'],
  ['a header over a root dotted key below a table', 'a.b.c = 1\n[a.b.d]\n', 'fast'],
  // Numbers
  ['integers', 'a = +1\nb = -0\nc = +0\nd = 1_000\ne = 0\nf = -17\ng = 999999999999999\n', 'fast'],
  ['hexadecimal, octal and binary integers', 'a = 0x1F\nb = 0xdead_BEEF\nc = 0o17\nd = 0b1010_1010\ne = 0x0\n', 'fast'],
  ['floats', 'a = 1e3\nb = 1.5E-3\nc = -0.0\nd = 3.14_15\ne = 1_000.000_1\nf = 0e5\ng = 1e+05\nh = 6.626e-34\ni = 1e400\n', 'fast'],
  ['inf and nan', 'a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan\n', 'fast'],
  ['an integer beyond 15 digits (left to js-toml)', 'a = 1234567890123456\n', 'declined'],
  ['an integer beyond 2^53 (left to js-toml)', 'a = 99999999999999999999\n', 'declined'],
  ['a long hexadecimal integer (left to js-toml)', 'a = 0xFFFFFFFFFFFFFFFF\n', 'declined'],
  ['a leading zero', 'a = 01\n', 'invalid'],
  ['a leading zero in a float', 'a = 00.5\n', 'invalid'],
  ['a double underscore', 'a = 1__0\n', 'invalid'],
  ['a leading underscore', 'a = _1\n', 'invalid'],
  ['a trailing underscore', 'a = 1_\n', 'invalid'],
  ['0x without digits', 'a = 0x\n', 'invalid'],
  ['a signed hexadecimal integer', 'a = +0x1\n', 'invalid'],
  ['an uppercase radix prefix', 'a = 0X1F\n', 'invalid'],
  ['a float without fraction digits', 'a = 1.\n', 'invalid'],
  ['a float without integer digits', 'a = .5\n', 'invalid'],
  ['an exponent without digits', 'a = 1e\n', 'invalid'],
  ['infinity spelled out', 'a = infinity\n', 'invalid'],
  ['a number followed by letters', 'a = 12abc\n', 'invalid'],
  ['a number followed by a string', 'a = 1"x"\n', 'invalid'],
  ['two dots in a float', 'a = 1.2.3\n', 'invalid'],
  // Booleans
  ['booleans', 'a = true\nb = false\nc = [true, false]\n', 'fast'],
  ['a capitalised boolean', 'a = True\n', 'invalid'],
  ['a boolean followed by letters', 'a = truex\n', 'invalid'],
  // Dates and times (left to js-toml)
  ['an offset date-time', 'd = 1979-05-27T07:32:00Z\n', 'declined'],
  ['an offset date-time with fraction and offset', 'd = 1979-05-27T00:32:00.999999-07:00\n', 'declined'],
  ['a date-time with a space', 'd = 1979-05-27 07:32:00Z\n', 'declined'],
  ['a local date-time', 'd = 1979-05-27T07:32:00\n', 'declined'],
  ['a local date', 'd = 1979-05-27\n', 'declined'],
  ['a local time', 't = 07:32:00\n', 'declined'],
  ['a date in an array', 'd = [1979-05-27]\n', 'declined'],
  ['a date that does not exist', 'd = 1979-02-30\n', 'invalid'],
  // Arrays
  ['arrays over lines, with a trailing comma', 'a = [\n  1,\n  2,\n]\nb = [1\n, 2]\nc = [ ]\nd = [\n]\n', 'fast'],
  ['nested and mixed arrays', 'a = [[1, 2], [3], []]\nb = [1, "a", 1.5, true, [ ], {}, {x = 1}]\n', 'fast'],
  ['arrays of arrays of inline tables over lines', 'p = [\n  [\n    { a = false, b = "x" },\n    { a = true, b = "y" }\n  ],\n  [\n    { a = false, b = "z" }\n  ]\n]\n', 'fast'],
  ['an array with only a comma', 'a = [,]\n', 'invalid'],
  ['two commas', 'a = [1,,2]\n', 'invalid'],
  ['a missing comma', 'a = [1 2]\n', 'invalid'],
  ['an unclosed array', 'a = [1,\n2,\n', 'invalid'],
  ['an array closed twice', 'a = [1]]\n', 'invalid'],
  ['arrays nested 32 deep', `a = ${deep(32, '[', ']')}\n`, 'fast'],
  ['arrays nested 33 deep (left to js-toml)', `a = ${deep(33, '[', ']')}\n`, 'declined'],
  ['arrays nested 101 deep', `a = ${deep(101, '[', ']')}\n`, 'invalid'],
  // Inline tables
  ['inline tables', 'a = {}\nb = { c = 1, d.e = "x", \'f\' = [1] }\ng = {h = {i = {j = 1}}} # c\n', 'fast'],
  ['dotted keys in an inline table', 'a = {b.c = 1, b.d = 2}\n', 'fast'],
  ['a duplicate key in an inline table', 'a = {b = 1, b = 2}\n', 'invalid'],
  ['a key over a dotted table in an inline table', 'a = {b.c = 1, b = 2}\n', 'invalid'],
  ['an inline table with only a comma', 'a = {,}\n', 'invalid'],
  ['an unclosed inline table', 'a = {b = 1\n', 'invalid'],
  ['an inline table with a missing comma', 'a = {b = 1 c = 2}\n', 'invalid'],
  ['an inline table with a trailing comma (TOML 1.1, left to js-toml)', 'a = {b = 1,}\n', 'declined'],
  ['an inline table over lines (TOML 1.1, left to js-toml)', 'a = {\n  b = 1,\n  c = 2\n}\n', 'declined'],
  ['inline tables nested 33 deep (left to js-toml)', `a = ${Array.from({ length: 33 }, () => '{b = ').join('')}1${'}'.repeat(33)}\n`, 'declined'],
  // Strings
  ['basic-string escapes', 'a = "\\b\\t\\n\\f\\r\\"\\\\\\u00e9\\U0001F600\\x41\\e"\n', 'fast'],
  ['an unknown escape', 'a = "\\q"\n', 'invalid'],
  ['a short unicode escape', 'a = "\\u00"\n', 'invalid'],
  ['a surrogate escape', 'a = "\\uD800"\n', 'invalid'],
  ['a code point beyond U+10FFFF', 'a = "\\U00110000"\n', 'invalid'],
  ['literal strings keep backslashes', "a = 'C:\\x\\n'\nb = ''\n", 'fast'],
  ['multi-line literal strings with quotes inside and at the end', "a = '''\nit''s ''quoted'''\nb = '''x''''\nc = '''x'''''\nd = ''''''\n", 'fast'],
  ['a multi-line literal string closed by six quotes', "a = '''x''''''\n", 'invalid'],
  ['multi-line basic strings', 'a = """\nab \\\n   cd"""\nb = """x\\""""\nc = """x"""""\nd = """"""\ne = """\\\\"""\nf = """\\"""\\"""\\""""\n', 'fast'],
  ['a multi-line basic string keeps CRLF', 'a = """\r\nx\r\ny\r\n"""\r\n', 'fast'],
  ['a line-ending backslash with blanks and blank lines', 'a = """a\\  \t\n\n   \n  b"""\n', 'fast'],
  ['a backslash and blanks not before a line end', 'a = """a\\  b"""\n', 'invalid'],
  ['a control character in a multi-line string', 'a = """x\u0000y"""\n', 'invalid'],
  ['a lone CR in a multi-line string', 'a = """x\ry"""\n', 'invalid'],
  ['a string after a multi-line string on its line', 'a = """x""" "y"\n', 'invalid'],
  // The places ingest reports
  ['the [rule] keys', '[metadata]\nx = 1\n\n[rule]\nname = "n"\nrule_id = "abc"\nquery = \'\'\'\nprocess where true\n\'\'\'\nthreat_query = "a:\\"b\\""\n\n[rule.threat]\nquery = "not this"\n', 'fast'],
  ['[rule] written with blanks and quotes', '[ "rule" ]\nrule_id = 12 # c\nquery = "x:\\ty"\n', 'fast'],
  ['[rule] written with escapes (not found by quickScan either)', '["ru\\u006ce"]\nrule_id = "x"\n', 'fast'],
  ['quoted and dotted rule keys are not places', '[rule]\n"rule_id" = "x"\nquery.x = 1\n', 'fast'],
  ['rule keys at the root are not places', 'rule.rule_id = "x"\nrule_id = "y"\n', 'fast'],
  ['an array line opening with [ inside [rule]', '[rule]\na = [\n  ["x"]\n]\nquery = "q"\n', 'fast'],
  ['an array line opening with [ before [rule]', '[metadata]\na = [\n["rule"]\n]\nquery = "m"\n[rule]\nquery = "q"\n', 'fast'],
  ['array lines opening with [ and no key before [rule]', '[x]\np = [\n  [\n    { a = 1 }\n  ],\n  [ # c\n  1 ]\n]\n[rule]\nquery = "q"\n', 'fast'],
  ['an array line opening with [[ and a key before [rule]', '[x]\np = [\n  [[1]]\n]\n[rule]\nquery = "q"\n', 'fast'],
  ['an array line opening with [ after [rule]', '[rule]\nquery = "q"\n[transform]\np = [\n  [\n    { a = 1 }\n  ]\n]\n', 'fast'],
];

describe('decodeTomlFast against js-toml: case table', () => {
  it.each(CASES)('%s', (_name, text, expected) => {
    expect(outcome(text)).toBe(expected);
  });

  it('gives js-toml-shaped documents: tables without prototype, normalised values', () => {
    const r = decodeTomlFast('[t]\na = {b = 1}\nc = [{}]\nd = inf\ne = -0.0\n')!;
    expect(Object.getPrototypeOf(r.doc)).toBeNull();
    const t = r.doc.t as Record<string, unknown>;
    expect(Object.getPrototypeOf(t)).toBeNull();
    expect(Object.getPrototypeOf(t.a)).toBeNull();
    expect(Object.getPrototypeOf((t.c as unknown[])[0])).toBeNull();
    expect(t.d).toBe('inf');
    expect(Object.is(t.e, -0)).toBe(true);
    expect(JSON.stringify(r.doc)).toBe('{"t":{"a":{"b":1},"c":[{}],"d":"inf","e":0}}');
  });

  it('keeps keys in the order js-toml gives (integer-like keys first, as JavaScript objects do)', () => {
    const r = decodeTomlFast('z = 1\n2 = 2\na = 3\n1 = 4\n')!;
    expect(Object.keys(r.doc)).toEqual(['1', '2', 'z', 'a']);
  });

  it('finds the [rule] places itself, and leaves them to quickScan when in doubt', () => {
    const text = '[rule]\nrule_id = "abc"\nquery = \'\'\'\nx\n\'\'\'\n';
    const r = decodeTomlFast(text)!;
    expect([...r.values!.keys()]).toEqual(['rule.rule_id', 'rule.query']);
    expect(r.values!.get('rule.rule_id')).toEqual({ keyStart: 7, valueStart: 17, valueEnd: 22, string: { kind: 'basic', start: 17, contentStart: 18, contentEnd: 21, end: 22 } });
    expect(r.values!.get('rule.query')).toEqual({ keyStart: 23, valueStart: 31, valueEnd: 40, string: { kind: 'ml-literal', start: 31, contentStart: 35, contentEnd: 37, end: 40 } });
    expect(decodeTomlFast('[rule]\na = [\n  [1]\n]\nquery = "q"\n')!.values).toBeNull();
    expect(decodeTomlFast('[rule]\nquery = "q"\n[x]\na = [\n  [1]\n]\n')!.values).not.toBeNull();
    expect(decodeTomlFast('[x]\na = [\n  [\n 1, [ 2 ]\n  ],\n  [ {b = 1} ],\n]\n[rule]\nquery = "q"\n')!.values).not.toBeNull();
    expect(decodeTomlFast('[x]\na = [\n  [[ "3" ]],\n]\n[rule]\nquery = "q"\n')!.values).toBeNull();
    expect(decodeTomlFast('a = "\u2029"\n')!.values).toBeNull();
  });
});

describe.skipIf(!hasShared)('decodeTomlFast against js-toml: seeded mutations of corpus files', () => {
  /** Files, and how many of their 400 mutants js-toml accepts (all on the fast path) and rejects. */
  const FILES: [string, number, number][] = [
    ['rules/windows/credential_access_suspicious_lsass_access_via_snapshot.toml', 287, 113],
    ['rules/_deprecated/threat_intel_filebeat8x.toml', 280, 120],
    ['rules_building_block/discovery_system_network_connections.toml', 264, 136],
    ['rules/integrations/gcp/discovery_gcp_gke_multi_resource_discovery.toml', 352, 48],
    ['rules/_deprecated/privilege_escalation_printspooler_service_suspicious_file.toml', 286, 114],
  ];
  const SPECIAL = '"\'[]{}=#,.\\\n\r\t 0x_-+';

  /** One mutation: delete or duplicate a character or a line, or put a special character in. */
  function mutate(text: string, rnd: () => number): string {
    const kind = Math.floor(rnd() * 6);
    const lines = text.split('\n');
    // Half the character mutations land on characters that matter to the structure.
    const pickChar = (): number => {
      if (rnd() < 0.5) return Math.floor(rnd() * text.length);
      for (let tries = 0; tries < 50; tries++) {
        const i = Math.floor(rnd() * text.length);
        if (SPECIAL.includes(text[i]!)) return i;
      }
      return Math.floor(rnd() * text.length);
    };
    switch (kind) {
      case 0: {
        const i = pickChar();
        return text.slice(0, i) + text.slice(i + 1);
      }
      case 1: {
        const i = pickChar();
        return text.slice(0, i + 1) + text.slice(i);
      }
      case 2: {
        const i = Math.floor(rnd() * lines.length);
        return [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
      }
      case 3: {
        const i = Math.floor(rnd() * lines.length);
        return [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n');
      }
      case 4: {
        const i = pickChar();
        return text.slice(0, i) + SPECIAL[Math.floor(rnd() * SPECIAL.length)]! + text.slice(i + 1);
      }
      default: {
        const i = pickChar();
        return text.slice(0, i) + SPECIAL[Math.floor(rnd() * SPECIAL.length)]! + text.slice(i);
      }
    }
  }

  it.each(FILES)('%s: 400 mutants agree with js-toml', (path, fast, invalid) => {
    const text = readFileSync(join(rulesRoot, path), 'utf8');
    expect(outcome(text)).toBe('fast');
    const rnd = prng(0x70b1 + path.length);
    const counts: Record<Outcome, number> = { fast: 0, declined: 0, invalid: 0 };
    // `outcome` throws on any disagreement; the counts pin the mutants (same seed, same corpus).
    for (let i = 0; i < 400; i++) counts[outcome(mutate(text, rnd))]++;
    expect(counts).toEqual({ fast, declined: 0, invalid });
  }, 60_000);
});
