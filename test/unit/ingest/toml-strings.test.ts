import { describe, expect, it } from 'vitest';
import { load } from 'js-toml';
import { decodeString, lexString, type StringToken } from '../../../src/ingest/toml-strings';

/** Lexes and decodes the string value of `v = <src>`, checking against js-toml. */
function value(src: string, wantTable = false): { tok: StringToken; value: string; table: number[] | null; text: string } {
  const text = `v = ${src}\n`;
  const tok = lexString(text, 4);
  if (!tok) throw new Error(`not lexed: ${src}`);
  const d = decodeString(text, tok, wantTable);
  if (!d.ok) throw new Error(`not decoded: ${src}: ${d.message}`);
  expect(d.value).toBe((load(text) as { v: string }).v);
  return { tok, value: d.value, table: d.table, text };
}

describe('lexString', () => {
  it('finds the four string forms and their content', () => {
    expect(lexString('"ab"', 0)).toEqual({ kind: 'basic', start: 0, contentStart: 1, contentEnd: 3, end: 4 });
    expect(lexString("'ab'", 0)).toEqual({ kind: 'literal', start: 0, contentStart: 1, contentEnd: 3, end: 4 });
    expect(lexString('"""\nab"""', 0)).toEqual({ kind: 'ml-basic', start: 0, contentStart: 4, contentEnd: 6, end: 9 });
    expect(lexString("'''\r\nab'''", 0)).toEqual({ kind: 'ml-literal', start: 0, contentStart: 5, contentEnd: 7, end: 10 });
  });
  it('treats up to two quotes before the closing delimiter as content', () => {
    expect(lexString("''''x''''", 0)).toMatchObject({ contentStart: 3, contentEnd: 6, end: 9 });
    expect(lexString('"""a"""""', 0)).toMatchObject({ contentEnd: 6, end: 9 });
    expect(lexString('"""a""""""', 0)).toBeNull();
  });
  it('skips escaped quotes in basic strings only', () => {
    expect(lexString('"a\\"b"', 0)).toMatchObject({ contentEnd: 5 });
    expect(lexString('"a\\\\"b', 0)).toMatchObject({ contentEnd: 4 });
    expect(lexString('"""a\\"""b"""', 0)).toMatchObject({ contentEnd: 9 });
    expect(lexString("'a\\'b", 0)).toMatchObject({ contentEnd: 3 });
  });
  it('rejects unterminated strings', () => {
    expect(lexString('"abc\n"', 0)).toBeNull();
    expect(lexString("'abc", 0)).toBeNull();
    expect(lexString("'''abc''", 0)).toBeNull();
  });
});

describe('decodeString', () => {
  it('decodes every escape like js-toml', () => {
    expect(value('"a\\tb\\nc\\\\d\\"e\\u00e9\\U0001F525\\b\\f\\r\\e\\x41"').value).toBe('a\tb\nc\\d"eé🔥\b\f\r\x1bA');
  });
  it('keeps literal strings verbatim, backslashes included', () => {
    expect(value("'C:\\Windows\\n'").value).toBe('C:\\Windows\\n');
    expect(value("'''\nline 1\r\nline 2\n'''").value).toBe('line 1\r\nline 2\n');
  });
  it('trims the newline after an opening multi-line delimiter and drops line-ending backslashes', () => {
    expect(value('"""\nab \\\n    cd"""').value).toBe('ab cd');
    expect(value('"""ab\\   \r\n\r\n  cd"""').value).toBe('abcd');
  });
  it('returns no table when the mapping is linear', () => {
    expect(value("'''\nx'''", true).table).toBeNull();
    expect(value('"plain"', true).table).toBeNull();
  });
  it('maps every decoded unit of an escaped basic string to its host offset', () => {
    const { tok, value: v, table, text } = value('"a\\tb\\U0001F525c"', true);
    expect(v).toBe('a\tb🔥c');
    const s = tok.contentStart;
    // a, \t (escape start), b, two surrogate halves (escape start), c, end
    expect(table).toEqual([s, s + 1, s + 3, s + 4, s + 4, s + 14, s + 15]);
    expect(text[table![2]!]).toBe('b');
    expect(text[table![5]!]).toBe('c');
  });
  it('maps around line-ending backslashes', () => {
    const { tok, value: v, table } = value('"""x\\\n  y"""', true);
    expect(v).toBe('xy');
    expect(table).toEqual([tok.contentStart, tok.contentStart + 5, tok.contentStart + 6]);
  });
  it('refuses what TOML forbids, with the offset', () => {
    const bad = (src: string): { ok: boolean; offset?: number; message?: string } => {
      const text = `v = ${src}`;
      return decodeString(text, lexString(text, 4)!);
    };
    expect(bad('"a\\qb"')).toMatchObject({ ok: false, offset: 6, message: 'invalid escape sequence' });
    expect(bad('"\\uD800"')).toMatchObject({ ok: false, message: 'invalid unicode escape' });
    expect(bad('"\\u12"')).toMatchObject({ ok: false, message: 'invalid unicode escape' });
    expect(bad('"a\u0001"')).toMatchObject({ ok: false, offset: 6, message: 'control character in string' });
    expect(bad('"""a\rb"""')).toMatchObject({ ok: false, offset: 8 });
    expect(bad("'''a\u007f'''")).toMatchObject({ ok: false, offset: 8 });
    expect(bad('"""a\\ b"""')).toMatchObject({ ok: false, message: 'invalid escape sequence' });
    expect(bad('"tab\tok"')).toMatchObject({ ok: true });
  });
});
