import { describe, expect, it } from 'vitest';
import { quickScan, scanToml, tomlLocations } from '../../../src/ingest/locate';
import { LineIndex } from '../../../src/model/span';

const DOC = [
  '# a comment with a quote \' and """ and [brackets]',
  '[metadata]',
  'maturity = "production" # trailing comment',
  '',
  '[rule]',
  'name = "Rule with \'\'\' inside"',
  'tags = [',
  '  "a", # comment inside an array',
  "  'b',",
  ']',
  'rule_id = "x-1"',
  'threat_query = "a:\\"b\\" and c:\\\\d"',
  "query = '''",
  'process where true',
  "'''",
  '',
  '[[rule.threat]]',
  'framework = "MITRE ATT&CK"',
  '[[rule.threat.technique]]',
  'id = "T1"',
  '[rule.threat.tactic]',
  'id = "TA1"',
  '[rule.filters.query.wildcard."file.path"]',
  'value = "x"',
  '[rule.inline]',
  'duration = {value = 5, unit = "m"}',
  '"quoted.key" = 1',
  '',
].join('\n');

describe('scanToml', () => {
  const scan = scanToml(DOC);
  const lines = new LineIndex(DOC);
  const lineOf = (path: string): number => lines.position(scan.keys.get(path)!).line;

  it('follows the whole document', () => {
    expect(scan.ok).toBe(true);
  });
  it('places keys and headers, with [] for arrays of tables and quoted dotted keys kept whole', () => {
    expect(lineOf('metadata')).toBe(2);
    expect(lineOf('metadata.maturity')).toBe(3);
    expect(lineOf('rule.name')).toBe(6);
    expect(lineOf('rule.rule_id')).toBe(11);
    expect(lineOf('rule.threat[]')).toBe(17);
    expect(lineOf('rule.threat[].framework')).toBe(18);
    expect(lineOf('rule.threat[].technique[].id')).toBe(20);
    expect(lineOf('rule.threat[].tactic.id')).toBe(22);
    expect(lineOf('rule.filters.query.wildcard.file.path.value')).toBe(24);
    expect(lineOf('rule.inline.quoted.key')).toBe(27);
    expect(scan.keys.has('rule.tags')).toBe(true);
    expect(scan.keys.has('rule.a')).toBe(false);
  });
  it('lists string tokens outside comments, including those in arrays and inline tables', () => {
    const texts = scan.strings.map((t) => DOC.slice(t.start, t.end));
    expect(texts).toContain('"production"');
    expect(texts).toContain("'b'");
    expect(texts).toContain('"m"');
    expect(texts).toContain("'''\nprocess where true\n'''");
    expect(texts.some((t) => t.includes('a comment'))).toBe(false);
  });
  it('gives the value extent of captured keys', () => {
    const v = scan.values.get('rule.rule_id')!;
    expect(DOC.slice(v.keyStart, v.valueEnd)).toBe('rule_id = "x-1"');
    expect(scan.values.get('rule.name')!.string?.kind).toBe('basic');
  });
  it('records every definition when asked, for placing js-toml errors', () => {
    const defs = scanToml('[a]\nx = 1\n[a]\n', { defs: true }).defs;
    expect(defs.map((d) => [d.path, d.offset])).toEqual([
      ['a', 0],
      ['a.x', 4],
      ['a', 10],
    ]);
  });
  it('reports strings that do not end where TOML says they must', () => {
    expect(scanToml('a = "open\n').ok).toBe(false);
    expect(scanToml("a = 'open\nb = 1\n").ok).toBe(false);
    expect(scanToml('a = \'\'\'never closed\n').ok).toBe(false);
    expect(scanToml('a = "ok" # "not a string\n').ok).toBe(true);
  });
  it('leaves structure to js-toml: unbalanced brackets and stray text do not stop it', () => {
    for (const text of ['a = [1, 2\n', 'a = 1]\n', '= 1\n', '[a\n', '[[a]\n']) {
      const s = scanToml(text);
      expect(s.ok).toBe(true);
      expect(s.strings).toEqual([]);
    }
  });
  it('finds quoted keys at line starts and strings in array lines', () => {
    const s = scanToml('[t]\n"a.b" = 1\nlist = [\n  "x",\n  \'y\', # c\n]\nk = 2\n');
    expect([...s.keys.keys()]).toEqual(['t', 't.a.b', 't.list', 't.k']);
    expect(s.strings.map((x) => x.kind)).toEqual(['basic', 'literal']);
  });
  it('accepts CRLF line endings', () => {
    const s = scanToml('[rule]\r\nname = "x"\r\n\r\nquery = \'\'\'\r\na\r\n\'\'\'\r\n');
    expect(s.ok).toBe(true);
    expect(s.keys.get('rule.query')).toBe(22);
  });
});

describe('tomlLocations', () => {
  it('places the rule_id entry, a literal query linearly and an escaped query through a table', () => {
    const locs = tomlLocations(DOC, quickScan(DOC));
    expect(DOC.slice(locs.ruleId!.start, locs.ruleId!.end)).toBe('rule_id = "x-1"');
    expect(DOC.slice(locs.query!.start, locs.query!.end)).toBe('process where true\n');
    expect(locs.query!.table).toBeUndefined();
    const tq = locs.threatQuery!;
    const decoded = 'a:"b" and c:\\d';
    expect(tq.table).toHaveLength(decoded.length + 1);
    // Each decoded character maps to where it (or its escape) starts in the file.
    expect(DOC.slice(tq.table![2]!, tq.table![2]! + 2)).toBe('\\"');
    expect(DOC[tq.table![3]!]).toBe('b');
    expect(DOC.slice(tq.table![12]!, tq.table![12]! + 2)).toBe('\\\\');
    expect(DOC[tq.table![13]!]).toBe('d');
    expect(tq.table![decoded.length]).toBe(tq.end);
  });
});

describe('quickScan', () => {
  it('finds multi-line strings and the [rule] keys ingest places, as scanToml does', () => {
    const quick = quickScan(DOC);
    const full = scanToml(DOC);
    expect(quick.ok).toBe(true);
    expect(quick.multiline).toEqual(full.strings.filter((t) => t.kind === 'ml-basic' || t.kind === 'ml-literal'));
    for (const k of ['rule.rule_id', 'rule.query', 'rule.threat_query']) expect(quick.values.get(k), k).toEqual(full.values.get(k));
  });
  it('ignores look-alike lines inside multi-line strings and keys of other tables', () => {
    const text = [
      '[meta]',
      'query = "no"',
      '[rule]',
      'note = """',
      'query = "inside a note"',
      '[other]',
      '"""',
      'rule_id = "r"',
      "query = '''",
      'q',
      "'''",
      '[rule.threat]',
      'threat_query = "no"',
      '',
    ].join('\n');
    const q = quickScan(text);
    const query = q.values.get('rule.query')!.string!;
    expect(text.slice(query.contentStart, query.contentEnd)).toBe('q\n');
    const id = q.values.get('rule.rule_id')!;
    expect(text.slice(id.keyStart, id.valueEnd)).toBe('rule_id = "r"');
    expect(q.values.has('rule.threat_query')).toBe(false);
  });
  it('reports unterminated strings', () => {
    expect(quickScan('a = """never').ok).toBe(false);
    expect(quickScan('a = "open\n').ok).toBe(false);
    expect(quickScan('a = "x" # it\'s fine\n').ok).toBe(true);
  });
});
