import { describe, expect, it } from 'vitest';
import { highlight, renderHighlighted, tokenize, type Token } from '../../../src/views/highlight';

const show = (lang: Parameters<typeof tokenize>[0], text: string): string[] => tokenize(lang, text).map((t) => `${t.c}:${text.slice(t.start, t.end)}`);

describe('tokenizers', () => {
  it('EQL: categories, keywords, fields, functions, strings, operators', () => {
    expect(show('eql', 'sequence by host.id with maxspan=2m [process where process.name : ("a.exe", "b") and not cidrmatch(destination.ip, "10.0.0.0/8")]')).toEqual([
      'kw:sequence', 'kw:by', 'fld:host.id', 'kw:with', 'kw:maxspan', 'op:=', 'num:2m', 'cat:process', 'kw:where', 'fld:process.name', 'op::',
      'str:"a.exe"', 'str:"b"', 'kw:and', 'kw:not', 'fn:cidrmatch', 'fld:destination.ip', 'str:"10.0.0.0/8"',
    ]);
  });
  it('EQL: raw and triple-quoted strings, comments', () => {
    expect(show('eql', 'any where a == ?"C:\\x" // c\n and b like~ """x"y"""')).toEqual(['kw:any', 'kw:where', 'fld:a', 'op:==', 'str:?"C:\\x"', 'cmt:// c', 'kw:and', 'fld:b', 'kw:like~', 'str:"""x"y"""']);
  });
  it('KQL: fields before a colon, values, wildcards, keywords', () => {
    expect(show('kuery', 'event.category:process and process.name:(bash or "sh") and not user.id:* and x >= 5')).toEqual([
      'fld:event.category', 'op::', 'val:process', 'kw:and', 'fld:process.name', 'op::(', 'val:bash', 'kw:or', 'str:"sh"', 'op:)', 'kw:and', 'kw:not',
      'fld:user.id', 'op::', 'val:*', 'kw:and', 'fld:x', 'op:>=', 'num:5',
    ]);
  });
  it('Lucene: upper-case operators, ranges, regular expressions', () => {
    expect(show('lucene', 'a:b AND NOT c:[1 TO 5] OR d:/x.*/')).toEqual(['fld:a', 'op::', 'val:b', 'kw:AND', 'kw:NOT', 'fld:c', 'op::[', 'num:1', 'kw:TO', 'num:5', 'op:]', 'kw:OR', 'fld:d', 'op::', 'str:/x.*/']);
  });
  it('ES|QL: commands, functions, backtick fields', () => {
    expect(show('esql', 'FROM logs-* | STATS n = COUNT(*) BY `user.name` | WHERE n >= 20')).toEqual([
      'kw:FROM', 'fld:logs-*', 'op:|', 'kw:STATS', 'fld:n', 'op:=', 'fn:COUNT', 'op:*', 'kw:BY', 'fld:`user.name`', 'op:|', 'kw:WHERE', 'fld:n', 'op:>=', 'num:20',
    ]);
  });
  it('TOML: sections only at line starts, keys, strings, numbers, booleans', () => {
    expect(show('toml', '[rule]\nname = "x"\ntags = ["a", "b"]\n  [[rule.threat]]\nrisk_score = 21\nenabled = true\nq = \'\'\'\nx\n\'\'\'')).toEqual([
      'sec:[rule]', 'key:name', 'op:=', 'str:"x"', 'key:tags', 'op:=', 'str:"a"', 'str:"b"', 'sec:[[rule.threat]]', 'key:risk_score', 'op:=', 'num:21',
      'key:enabled', 'op:=', 'lit:true', 'key:q', 'op:=', "str:'''\nx\n'''",
    ]);
  });
  it('never throws and covers odd input', () => {
    for (const lang of ['eql', 'kuery', 'lucene', 'esql', 'toml'] as const) {
      for (const t of ['', '"', '"""', '\\', '[[', '`', '/*', '\u0000\uffff', 'a'.repeat(1000)]) expect(() => tokenize(lang, t)).not.toThrow();
    }
  });
});

describe('rendering', () => {
  it('escapes every piece of text (quotes stay literal in text nodes: they mean nothing there, and queries are full of them)', () => {
    expect(highlight('kuery', 'a:"<script>" and b:&x')).toBe(
      '<span class="t-fld">a</span><span class="t-op">:</span><span class="t-str">"&lt;script&gt;"</span> <span class="t-kw">and</span> <span class="t-fld">b</span><span class="t-op">:</span><span class="t-val">&amp;x</span>',
    );
  });
  it('escapes quotes in attribute values', () => {
    expect(renderHighlighted('ab', [], [{ start: 0, end: 2, cls: 'p', title: 'say "hi" & <go>' }])).toBe('<span class="p" title="say &quot;hi&quot; &amp; &lt;go&gt;">ab</span>');
  });
  it('wraps marks around tokens, splitting tokens at mark edges', () => {
    const text = 'abc def';
    const tokens: Token[] = [{ c: 'fld', start: 0, end: 7 }];
    expect(renderHighlighted(text, tokens, [{ start: 2, end: 5, cls: 'p p-indicator', title: 'a "b"' }])).toBe(
      '<span class="t-fld">ab</span><span class="p p-indicator" title="a &quot;b&quot;"><span class="t-fld">c d</span></span><span class="t-fld">ef</span>',
    );
  });
  it('drops overlapping, out-of-range and badly named marks', () => {
    const marks = [
      { start: 0, end: 3, cls: 'a' },
      { start: 2, end: 5, cls: 'b' },
      { start: 4, end: 99, cls: 'c' },
      { start: 4, end: 5, cls: 'x" onclick="y' },
      { start: 5, end: 6, cls: 'd', data: '1' },
    ];
    expect(renderHighlighted('abcdefg', [], marks)).toBe('<span class="a">abc</span>de<span class="d" data-mark="1">f</span>g');
  });
});
