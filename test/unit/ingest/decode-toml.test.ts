import { describe, expect, it } from 'vitest';
import { load } from 'js-toml';
import { decodeToml, locateSemanticError } from '../../../src/ingest/decode-toml';

const file = (text: string, path = 'rules/x.toml') => ({ path, text, digest: '' });

describe('decodeToml', () => {
  it('gives the same document on the fast path as js-toml on the whole text', () => {
    const text = [
      '[rule]',
      'description = """',
      'Multi-line \\',
      '   basic with "quotes" and \\u00e9',
      '"""',
      "query = '''",
      'a : "b\\\\c" and d',
      "'''",
      'note = """x""""',
      'tags = ["a", """b""", \'\'\'c\'\'\']',
      '[transform]',
      '[[transform.osquery]]',
      'query = """SELECT 1"""',
      '',
    ].join('\n');
    const fast = decodeToml(file(text));
    expect(fast.diagnostics).toEqual([]);
    expect(fast.doc).toEqual(load(text));
    expect(decodeToml(file(text), { plain: true }).doc).toEqual(fast.doc);
    expect(decodeToml(file(text), { hand: false }).doc).toEqual(fast.doc);
    expect((fast.doc as { rule: { note: string } }).rule.note).toBe('x"');
  });
  it('falls back to js-toml when the placeholder character occurs in the file', () => {
    const text = 'a = """\ue000"""\nb = "\ue000"\n';
    expect(decodeToml(file(text)).doc).toEqual({ a: '\ue000', b: '\ue000' });
    expect(decodeToml(file(text), { hand: false }).doc).toEqual({ a: '\ue000', b: '\ue000' });
  });
  it('turns values JSON cannot hold into JSON values', () => {
    const doc = decodeToml(file('big = 99999999999999999999\nsmall = 12\nd = 1979-05-27\nt = 07:32:00\nn = nan\ni = -inf\n')).doc!;
    expect(doc.big).toBe('99999999999999999999');
    expect(doc.small).toBe(12);
    expect(typeof doc.d).toBe('string');
    expect(String(doc.d)).toContain('1979-05-27');
    expect(typeof doc.t).toBe('string');
    expect(doc.n).toBe('nan');
    expect(doc.i).toBe('-inf');
  });
  it('keeps the locations of rule_id and the query', () => {
    const text = '[rule]\nrule_id = "abc"\nquery = \'\'\'\nx\n\'\'\'\n';
    const d = decodeToml(file(text));
    expect(d.locations.ruleId).toEqual({ start: 7, end: 22 });
    expect(d.locations.query).toEqual({ start: 35, end: 37 });
  });

  describe('errors become toml-syntax diagnostics with line and column', () => {
    const diag = (text: string) => {
      const d = decodeToml(file(text));
      expect(d.doc).toBeNull();
      expect(d.diagnostics).toHaveLength(1);
      return d.diagnostics[0]!;
    };
    it('an unterminated string (lexer error)', () => {
      expect(diag('[rule]\nname = "open\nx = 1\n')).toMatchObject({
        severity: 'error',
        code: 'toml-syntax',
        file: 'rules/x.toml',
        line: 2,
        column: 8,
        message: 'invalid TOML: unterminated or invalid string starting with "',
      });
    });
    it('a missing value (parser error)', () => {
      expect(diag('a = 1\nb = \n')).toMatchObject({ line: 2, column: 5, message: 'invalid TOML: syntax error: unexpected end of line' });
    });
    it('extra input after a value', () => {
      expect(diag('x = 1 2\n')).toMatchObject({ line: 1, column: 7, message: 'invalid TOML: extra input: unexpected "2"' });
    });
    it('an array that never closes (end of file)', () => {
      expect(diag('a = [1,\n2,\n')).toMatchObject({ line: 2, column: 3 });
      expect(diag('a = [1,\n2,\n').message).toContain('unexpected end of file');
    });
    it('a key defined twice (no position from js-toml: placed on the second definition)', () => {
      expect(diag('[rule]\nname = "a"\n\nname = "b"\n')).toMatchObject({ line: 4, column: 1, message: "invalid TOML: Cannot assign value to 'name'" });
    });
    it('a table defined twice', () => {
      expect(diag('[a]\nx = 1\n[b]\n[a]\n')).toMatchObject({ line: 4, column: 1 });
    });
    it('an error found on the fast path is re-reported from the whole text', () => {
      // The multi-line string goes to a placeholder; the error after it must keep its real line.
      expect(diag('a = """\n1\n2\n3\n"""\nb = = 1\n')).toMatchObject({ line: 6 });
    });
  });
});

describe('locateSemanticError', () => {
  it('uses the second definition of a dotted key or array table clash', () => {
    expect(locateSemanticError('a.b = 1\na.b.c = 2\n', "Cannot assign value to 'a.b.c'")).toEqual({ line: 2, column: 1 });
    expect(locateSemanticError('[rule]\nthreat = 1\n[[rule.threat]]\n', "Cannot create array table 'rule.threat'")).toEqual({ line: 3, column: 1 });
  });
  it('finds the text of a bad value', () => {
    expect(locateSemanticError('x = 1\nd = 1979-13-01\n', 'Invalid date time: 1979-13-01')).toEqual({ line: 2, column: 5 });
  });
  it('returns null when nothing matches', () => {
    expect(locateSemanticError('x = 1\n', "Cannot assign value to 'zzz'")).toBeNull();
  });
});
