/**
 * ES|QL support pieces: the backtracking guard and translation of Java regular expressions
 * (REPLACE, GROK), DISSECT, the regex sample generator, the per-event trace, and example
 * synthesis for a small aggregating rule.
 */
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../../src/eval';
import { checkBacktracking, compileDissect, compileGrok, compileJavaRegex, dissectMatch, grokMatch, replaceAll } from '../../../src/eval/esql/patterns';
import { synthesizeExamples } from '../../../src/eval/examples';
import { sampleMatch } from '../../../src/eval/examples/regex-sample';
import { evaluateRule } from '../../../src/eval/rules';
import { ingest } from '../../../src/ingest/ingest';

describe('backtracking guard', () => {
  it('refuses the shapes that make a backtracking engine exponential', () => {
    for (const p of ['(a+)+$', '(\\w+\\s?)+', '(a|aa)+b', '(x+x+)+y', '([a-z]+)*', '(.*a){3,}']) expect(checkBacktracking(p), p).not.toBe(null);
  });
  it('accepts delimited repetitions', () => {
    for (const p of ['(?:[^.]+\\.)+(?<d>[^.]+\\.[^.]+)$', '(token|key)x', '(?i)(authorization: *[a-z]+ +)[^\'" ]+', '(?:\\.[a-zA-Z0-9-]+)*', "(['\"][A-Za-z0-9.-]+['\"]\\s*\\+\\s*)+"]) {
      expect(checkBacktracking(p), p).toBe(null);
    }
  });
  it('keeps the accepted corpus-style patterns fast on hostile input', () => {
    const c = compileJavaRegex('(?:[^.]+\\.)+(?<d>[^.]+\\.[^.]+)$');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const t0 = performance.now();
    c.re.test('a.'.repeat(1999));
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('Java regular expressions', () => {
  it('translates leading flags, scoped case-insensitivity, dotted group names and possessive quantifiers', () => {
    const c = compileJavaRegex('(?i)(bearer +)[^ ]+');
    expect(c.ok).toBe(true);
    if (c.ok) expect(replaceAll(c, 'Authorization: BEARER abc def', '$1<X>')).toBe('Authorization: BEARER <X> def');
    const s = compileJavaRegex('(?i:https?)://x');
    expect(s.ok && s.re.test('HTTPS://x')).toBe(true);
    const p = compileJavaRegex('\\d++x');
    expect(p.ok && p.re.test('12x')).toBe(true);
    expect(compileJavaRegex('(?>a)').ok).toBe(false);
  });
  it('refuses values over the input cap', () => {
    const c = compileJavaRegex('a');
    expect(c.ok && replaceAll(c, 'a'.repeat(5000), 'b')).toBe(null);
  });
});

describe('GROK and DISSECT', () => {
  it('expands library patterns and named groups with dots', () => {
    const g = compileGrok('%{URIPROTO:proto}://%{URIHOST:host}(?<Esql.path>/[a-z]+)');
    expect(g.ok).toBe(true);
    if (!g.ok) return;
    expect(grokMatch(g, 'curl https://evil.example.com:8443/x')).toEqual({ proto: 'https', host: 'evil.example.com:8443', 'Esql.path': '/x' });
    expect(grokMatch(g, 'nothing here')).toBe(null);
    expect(compileGrok('%{NOPE:x}')).toEqual({ ok: false, error: 'unknown grok pattern %{NOPE}' });
  });
  it('dissects with skip, append and padding', () => {
    const d = compileDissect('%{a} %{?skip}=%{+a} %{b->} %{c}');
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(dissectMatch(d, 'x k=y z   w', '-')).toEqual({ a: 'x-y', b: 'z', c: 'w' });
    expect(dissectMatch(d, 'no match')).toBe(null);
  });
});

describe('regex samples', () => {
  it('builds a short matching string', () => {
    for (const p of ["['\"][A-Za-z0-9.]+['\"](\\s?\\+\\s?['\"][A-Za-z0-9.,\\-\\s]+['\"]){2,}", '[A-Za-z0-9_-]`(?![rntb])[A-Za-z0-9_-]', 'modelId=(?<m>[^,}\\]]+)', '\\d{3}-[a-f]+']) {
      const s = sampleMatch(p);
      expect(s, p).not.toBe(null);
      expect(new RegExp(p.replace(/\(\?<[^>]+>/g, '(')).test(s as string), p).toBe(true);
    }
    expect(sampleMatch(':(?<acct>[0-9]{12}):', { acct: '123456789012' })).toBe(':123456789012:');
  });
});

describe('ES|QL trace', () => {
  it('explains the WHERE conditions before STATS for one event, three-valued', () => {
    const c = compileQuery('esql', 'FROM * | WHERE a == 1 AND NOT b IN ("x") | STATS n = COUNT(*)');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const [t] = c.query.explain({ a: 1 });
    expect(t?.outcome).toBe('missing');
    expect(t?.children?.[0]?.children?.map((x) => [x.kind, x.outcome])).toEqual([
      ['predicate', 'true'],
      ['not', 'missing'],
    ]);
  });
});

describe('ES|QL examples', () => {
  const text = `[metadata]
creation_date = "2024/01/01"
maturity = "production"
updated_date = "2024/01/01"

[rule]
author = ["t"]
description = "d"
name = "Spray"
risk_score = 21
rule_id = "00000000-0000-0000-0000-0000000000e1"
severity = "low"
type = "esql"
language = "esql"
query = '''FROM logs-*
| WHERE event.category == "authentication" AND event.outcome == "failure" AND NOT user.name IN ("svc-backup")
| STATS Esql.users = COUNT_DISTINCT(user.name), Esql.attempts = COUNT(*) BY source.ip
| WHERE Esql.users >= 5'''
`;
  const rule = ingest({ files: [{ path: 'r.toml', text, digest: 'x' }] }).rules[0];

  it('repeats the event with distinct users until the threshold holds; the near miss triggers the exclusion', () => {
    expect(rule).toBeDefined();
    if (!rule) return;
    const now = Date.UTC(2025, 0, 15, 12);
    const s = synthesizeExamples(rule, { now });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    const users = new Set((s.examples.example.events as { user: { name: string } }[]).map((e) => e.user.name));
    expect(s.examples.example.events.length).toBe(5);
    expect(users.size).toBe(5);
    const ev = evaluateRule(rule, s.examples.example, { now });
    expect(ev.fired).toBe(true);
    expect(ev.alerts[0]?.events).toEqual([0, 1, 2, 3, 4]);
    expect(s.examples.nearMissNote).toBe('exclusion triggered: user.name IN ("svc-backup")');
    expect(evaluateRule(rule, s.examples.nearMiss!, { now }).fired).toBe(false);
  });
});
