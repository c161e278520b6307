/**
 * The canonical EQL printer: exact output for precedence (minimal parentheses), escaping,
 * field quoting and layout, and re-parsing to the same tree.
 */
import { describe, expect, it } from 'vitest';
import { parseEql, parseEqlExpression, printEql, printEqlExpr, printEqlString, printField, PRINT_WIDTH, type EqlQuery, type Expr } from '../../../../src/lang/eql';
import { stripLocs } from '../../../helpers/shared';

function expr(text: string): Expr {
  const r = parseEqlExpression(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.ast;
}

function query(text: string): EqlQuery {
  const r = parseEql(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.ast;
}

describe('printEqlExpr: minimal parentheses', () => {
  const cases: [string, string][] = [
    ['(a or b) and c', '(a or b) and c'],
    ['a and (b and c)', 'a and b and c'],
    ['(a and b) or c', 'a and b or c'],
    ['a or (b and c)', 'a or b and c'],
    ['not (a == 1)', 'not a == 1'],
    ['not (a and b)', 'not (a and b)'],
    ['not (not a)', 'not not a'],
    ['(not a) == b', '(not a) == b'],
    ['(a == b) == true', '(a == b) == true'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['(a * b) + c', 'a * b + c'],
    ['a * (b + c)', 'a * (b + c)'],
    ['a / (b * c)', 'a / (b * c)'],
    ['(a + 1) in (1, (b or c))', 'a + 1 in (1, b or c)'],
    ['-(a + b)', '-(a + b)'],
    ['- 1', '- 1'],
    ['- -1', '- -1'],
    ['-(-1)', '- -1'],
    ['+-1', '+ -1'],
    ['a - -1', 'a - -1'],
    ['f((a or b), c)', 'f(a or b, c)'],
    ['(((a)))', 'a'],
    ['x not in~ ("a")', 'x not in~ ("a")'],
    ['not x in ("a")', 'not x in ("a")'],
    ['x : ("a")', 'x : ("a")'],
    ['x like~ "a*"', 'x like~ "a*"'],
    ['startswith~(a,"b")', 'startswith~(a, "b")'],
    ['f()', 'f()'],
    ['x == 1.50 and y == 1e3 and z == .5', 'x == 1.50 and y == 1e3 and z == .5'],
  ];
  for (const [input, printed] of cases) {
    it(`${input} → ${printed}`, () => {
      const ast = expr(input);
      expect(printEqlExpr(ast)).toBe(printed);
      expect(stripLocs(expr(printed))).toStrictEqual(stripLocs(ast));
    });
  }
});

describe('strings', () => {
  it('re-escapes quotes, backslashes and control characters', () => {
    expect(printEqlString('a"b\\c\nd\re\tf\bg\fh', false)).toBe('"a\\"b\\\\c\\nd\\re\\tf\\bg\\fh"');
  });
  it('escapes invisible and bidirectional characters as \\u{…}, keeps other text', () => {
    expect(printEqlString('*\u202E*\u0001\u200F\uFEFF', false)).toBe('"*\\u{202E}*\\u{01}\\u{200F}\\u{FEFF}"');
    expect(printEqlString('hυmаn 🔥 é', false)).toBe('"hυmаn 🔥 é"');
  });
  it('keeps raw strings raw, including trailing quotes, and falls back when the value holds """', () => {
    expect(printEqlString('C:\\x "y"', true)).toBe('"""C:\\x "y""""');
    expect(printEqlString('a"""b', true)).toBe('"a\\"\\"\\"b"');
  });
  it('round-trips every escape through print and parse', () => {
    for (const value of ['', '"', '\\', '\\\\"', '\u0000\u001F\u007F', 'line1\nline2', '\u{10FFFF}\u{1F525}', "it's"]) {
      const ast = expr(`x == ${printEqlString(value, false)}`);
      expect(ast.kind === 'Comparison' && ast.right.kind === 'String' && ast.right.value).toBe(value);
    }
    for (const value of ['', '"', '""', 'a\\b', 'multi\nline', 'x"']) {
      const ast = expr(`x == ${printEqlString(value, true)}`);
      expect(ast.kind === 'Comparison' && ast.right.kind === 'String' && [ast.right.value, ast.right.raw]).toEqual([value, true]);
    }
  });
});

describe('fields', () => {
  it('backticks segments that are not plain names, and a keyword first segment', () => {
    expect(printField({ path: ['process', 'name'], optional: false })).toBe('process.name');
    expect(printField({ path: ['a', '0', 'b'], optional: false })).toBe('a.`0`.b');
    expect(printField({ path: ['kubernetes.io/pod-name'], optional: true })).toBe('?`kubernetes.io/pod-name`');
    expect(printField({ path: ['my`field'], optional: false })).toBe('`my``field`');
    expect(printField({ path: ['sequence'], optional: false })).toBe('`sequence`');
    expect(printField({ path: ['event', 'sequence'], optional: false })).toBe('event.sequence');
    expect(printField({ path: ['@timestamp'], optional: false })).toBe('@timestamp');
  });
});

describe('printEql: layout', () => {
  it('prints a short event query on one line, pipes on their own lines', () => {
    expect(printEql(query('process   where a==1 | head 5|tail 2'))).toBe('process where a == 1\n| head 5\n| tail 2');
  });

  it('prints quoted categories as strings and any as any', () => {
    expect(printEql(query('"""my-cat""" where true'))).toBe('"my-cat" where true');
    expect(printEql(query('"any" where true'))).toBe('"any" where true');
    expect(printEql(query('any where true'))).toBe('any where true');
  });

  it('prints sequences one stage per line, with by, maxspan, runs, missing stages and until', () => {
    const q = query(`sequence by host.id,user.name with maxspan=5m
      [process where a == 1] by process.pid with runs=3
      ![file where true]
      until [process where b == 2] by process.pid | tail 1`);
    expect(printEql(q)).toBe(
      [
        'sequence by host.id, user.name with maxspan=5m',
        '  [process where a == 1] by process.pid with runs=3',
        '  ![file where true]',
        'until [process where b == 2] by process.pid',
        '| tail 1',
      ].join('\n'),
    );
  });

  it('prints samples one stage per line', () => {
    expect(printEql(query('sample by host.id [a where true] [b where true] by x'))).toBe('sample by host.id\n  [a where true]\n  [b where true] by x');
  });

  it('breaks a long condition at and/or, indents an and chain inside an or, and wraps long lists', () => {
    const names = Array.from({ length: 12 }, (_, i) => `"process-name-${i}.exe"`).join(', ');
    const q = query(
      `process where host.os.type == "windows" and event.type == "start" and ` +
        `(process.name : (${names}) or process.parent.name == "explorer.exe" and process.args_count > 2 and process.working_directory : "C:\\\\Users\\\\*") and ` +
        `not process.executable : "C:\\\\Windows\\\\*"`,
    );
    expect(printEql(q)).toBe(
      [
        'process where host.os.type == "windows" and',
        '  event.type == "start" and',
        '  (process.name : (',
        '     "process-name-0.exe", "process-name-1.exe", "process-name-2.exe", "process-name-3.exe",',
        '     "process-name-4.exe", "process-name-5.exe", "process-name-6.exe", "process-name-7.exe",',
        '     "process-name-8.exe", "process-name-9.exe", "process-name-10.exe", "process-name-11.exe"',
        '   ) or',
        '   process.parent.name == "explorer.exe" and',
        '     process.args_count > 2 and',
        '     process.working_directory : "C:\\\\Users\\\\*") and',
        '  not process.executable : "C:\\\\Windows\\\\*"',
      ].join('\n'),
    );
  });

  it('keeps lines within the width when items allow it (a 2,609-item list)', () => {
    const items = Array.from({ length: 2609 }, (_, i) => `"library-${i}.dll"`);
    const q = query(`library where dll.name : (${items.join(', ')})`);
    const printed = printEql(q);
    for (const line of printed.split('\n')) expect(line.length).toBeLessThanOrEqual(PRINT_WIDTH);
    expect(stripLocs(query(printed))).toStrictEqual(stripLocs(q));
  });
});
