/**
 * The evaluator's building blocks: wildcards, IP/CIDR, the standard analyzer, dates and date
 * math, field access, the ECS type table, value coercion and the input limits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EcsFlat } from '@elastic/ecs';
import { describe, expect, it } from 'vitest';
import { standardTokens } from '../../../src/eval/analyzer';
import { cidrContains, formatIp, parseCidr, parseIp } from '../../../src/eval/cidr';
import { parseDate, parseDateMath } from '../../../src/eval/dates';
import { ecsFields, ecsType, fieldFamily } from '../../../src/eval/ecs';
import { fieldPath, fieldValues, leafFields } from '../../../src/eval/fields';
import { checkEvent, DEFAULT_LIMITS, parseEventsText } from '../../../src/eval/limits';
import { compareIn, equalsIn, operand } from '../../../src/eval/values';
import { compileWildcard, eqlWildcardTokens, kqlWildcardTokens, luceneWildcardTokens, ONE, STAR } from '../../../src/eval/wildcard';
import { projectRoot } from '../../helpers/shared';

describe('wildcards', () => {
  const eql = (p: string, s: string, ci = false): boolean => compileWildcard(eqlWildcardTokens(p), ci).test(s);
  it('tokenises the three syntaxes', () => {
    expect(eqlWildcardTokens('a*b?c\\*')).toEqual(['a', STAR, 'b', ONE, 'c\\', STAR]);
    expect(kqlWildcardTokens(['', 'a?b', ''])).toEqual([STAR, 'a?b', STAR]);
    expect(luceneWildcardTokens('a\\*b*c?')).toEqual(['a*b', STAR, 'c', ONE]);
  });
  it('matches whole values', () => {
    expect(eql('*.exe', 'cmd.exe')).toBe(true);
    expect(eql('*.exe', 'cmd.exe.bak')).toBe(false);
    expect(eql('a*b*c', 'abc')).toBe(true);
    expect(eql('a*b*c', 'axxbyyc')).toBe(true);
    expect(eql('a*b*c', 'acb')).toBe(false);
    expect(eql('ab*ba', 'aba')).toBe(false); // prefix and suffix may not overlap
    expect(eql('a?c', 'abc')).toBe(true);
    expect(eql('a?c', 'ac')).toBe(false);
    expect(eql('*', '')).toBe(true);
    expect(eql('?', '')).toBe(false);
    expect(eql('*a?b*', 'xxaybzz')).toBe(true);
    expect(eql('CMD*', 'cmd.exe', true)).toBe(true);
    expect(eql('CMD*', 'cmd.exe', false)).toBe(false);
  });
  it('is linear-ish on adversarial input', () => {
    const p = `${'*a'.repeat(50)}*b`;
    const s = 'a'.repeat(100_000);
    const t0 = performance.now();
    expect(eql(p, s)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('IP addresses and CIDR', () => {
  it('parses IPv4 as IPv4-mapped IPv6', () => {
    expect(parseIp('10.0.0.1')).toBe(parseIp('::ffff:10.0.0.1'));
    expect(parseIp('10.0.0.256')).toBe(null);
    expect(parseIp('2001:db8::1')).toBe((0x20010db8n << 96n) | 1n);
    expect(parseIp('not-an-ip')).toBe(null);
    expect(formatIp(parseIp('192.168.1.1') as bigint)).toBe('192.168.1.1');
  });
  it('matches blocks', () => {
    const c = parseCidr('192.168.0.0/16');
    expect(c).not.toBe(null);
    expect(cidrContains(c!, parseIp('192.168.152.12')!)).toBe(true);
    expect(cidrContains(c!, parseIp('10.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!)).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('2001:db8::1')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0')!, parseIp('2001:db8::1')!)).toBe(true);
    expect(parseCidr('10.0.0.0/33')).toBe(null);
    expect(cidrContains(parseCidr('10.0.0.1')!, parseIp('10.0.0.1')!)).toBe(true);
  });
});

describe('standard analyzer', () => {
  it('splits on word boundaries and lower-cases', () => {
    expect(standardTokens('The Quick-Brown fox!')).toEqual(['the', 'quick', 'brown', 'fox']);
    expect(standardTokens('cmd.exe /c whoami')).toEqual(['cmd.exe', 'c', 'whoami']);
    expect(standardTokens("can't stop 1.5 10,000 foo_bar")).toEqual(["can't", 'stop', '1.5', '10,000', 'foo_bar']);
    expect(standardTokens('C:\\Windows\\System32')).toEqual(['c', 'windows', 'system32']);
    expect(standardTokens('a:b')).toEqual(['a:b']);
    expect(standardTokens('日本語')).toEqual(['日', '本', '語']);
    expect(standardTokens('x'.repeat(300)).map((t) => t.length)).toEqual([255, 45]);
  });
});

describe('dates', () => {
  it('parses ISO dates and epoch milliseconds', () => {
    expect(parseDate('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
    expect(parseDate('2024-01-01')).toBe(Date.UTC(2024, 0, 1));
    expect(parseDate('2024-01-01T01:00:00+01:00')).toBe(Date.UTC(2024, 0, 1));
    expect(parseDate('2024-01-01T00:00:00.123456Z')).toBeCloseTo(Date.UTC(2024, 0, 1) + 123.456, 6);
    expect(parseDate(1700000000000)).toBe(1700000000000);
    expect(parseDate('1700000000000')).toBe(1700000000000);
    expect(parseDate('yesterday')).toBe(null);
  });
  it('evaluates date math with rounding', () => {
    const now = Date.UTC(2024, 1, 15, 12, 30);
    expect(parseDateMath('now', now)).toBe(now);
    expect(parseDateMath('now-1d', now)).toBe(now - 86_400_000);
    expect(parseDateMath('now-1d/d', now)).toBe(Date.UTC(2024, 1, 14));
    expect(parseDateMath('now-1d/d', now, true)).toBe(Date.UTC(2024, 1, 15) - 1);
    expect(parseDateMath('now-2w', now)).toBe(now - 14 * 86_400_000);
    expect(parseDateMath('now+1M', now)).toBe(Date.UTC(2024, 2, 15, 12, 30));
    expect(parseDateMath('now/y', now)).toBe(Date.UTC(2024, 0, 1));
    expect(parseDateMath('2024-01-31||+1M', now)).toBe(Date.UTC(2024, 2, 2));
    expect(parseDateMath('now-1x', now)).toBe(null);
  });
});

describe('field access', () => {
  it('reads nested, flat and mixed dotted names, flattening arrays', () => {
    const doc = { a: { b: [{ c: 1 }, { c: [2, 3] }, { c: null }] }, 'a.b.c': 4, x: { 'y.z': 'w' } };
    expect(fieldValues(doc, fieldPath('a.b.c'))).toEqual([1, 2, 3, 4]);
    expect(fieldValues(doc, fieldPath('x.y.z'))).toEqual(['w']);
    expect(fieldValues(doc, fieldPath('missing'))).toEqual([]);
    expect(fieldValues({ a: [] }, fieldPath('a'))).toEqual([]);
  });
  it('ignores inherited properties', () => {
    expect(fieldValues({}, fieldPath('constructor'))).toEqual([]);
    expect(fieldValues(JSON.parse('{"__proto__": {"x": 1}}'), fieldPath('__proto__.x'))).toEqual([1]);
  });
  it('lists leaf fields', () => {
    expect([...leafFields({ a: { b: 1, c: [2, { d: 3 }] } }).entries()]).toEqual([
      ['a.b', [1]],
      ['a.c', [2]],
      ['a.c.d', [3]],
    ]);
  });
});

describe('ECS types', () => {
  it('decodes the generated table to exactly the @elastic/ecs fields and types', () => {
    const flat = EcsFlat as unknown as Record<string, { type: string; multi_fields?: unknown[] }>;
    const table = ecsFields();
    expect(table.size).toBe(Object.keys(flat).length);
    for (const [name, f] of Object.entries(flat)) {
      expect(table.get(name)?.type, name).toBe(f.type);
      expect(table.get(name)?.textSubfield, name).toBe((f.multi_fields ?? []).length > 0);
    }
  });
  it('types multi-fields and families', () => {
    expect(ecsType('process.command_line')).toBe('wildcard');
    expect(ecsType('process.command_line.text')).toBe('match_only_text');
    expect(ecsType('process.pid.text')).toBe(null);
    expect(fieldFamily('message')).toBe('text');
    expect(fieldFamily('source.ip')).toBe('ip');
    expect(fieldFamily('process.pid')).toBe('numeric');
    expect(fieldFamily('@timestamp')).toBe('date');
    expect(fieldFamily('custom.field', 5)).toBe('numeric');
    expect(fieldFamily('custom.field', 'x')).toBe('keyword');
  });
  it('the generated module is up to date (scripts/ecs-types.ts --check)', () => {
    const text = readFileSync(join(projectRoot, 'src/eval/generated/ecs-types.ts'), 'utf8');
    expect(text).toContain(`export const ECS_FIELD_COUNT = ${Object.keys(EcsFlat).length};`);
  });
});

describe('values', () => {
  it('compares by family', () => {
    const now = 0;
    expect(equalsIn('keyword', 4624, operand('4624', now))).toBe(true);
    expect(equalsIn('numeric', '4624', operand(4624, now))).toBe(true);
    expect(equalsIn('keyword', 'A', operand('a', now), true)).toBe(true);
    expect(equalsIn('ip', '10.1.2.3', operand('10.0.0.0/8', now))).toBe(true);
    expect(equalsIn('boolean', 'true', operand(true, now))).toBe(true);
    expect(compareIn('keyword', 'b', '>', operand('a', now))).toBe(true);
    expect(compareIn('numeric', '10', '>', operand(9, now))).toBe(true);
    expect(compareIn('keyword', '10', '>', operand('9', now))).toBe(false);
  });
});

describe('limits', () => {
  it('refuses oversized or malformed input with a message', () => {
    expect(checkEvent({ a: 'x'.repeat(DEFAULT_LIMITS.maxStringLength + 1) }, DEFAULT_LIMITS, 'event 0')).toBe(`event 0 has a string of ${DEFAULT_LIMITS.maxStringLength + 1} characters (limit ${DEFAULT_LIMITS.maxStringLength})`);
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(checkEvent(deep, DEFAULT_LIMITS, 'event 0')).toBe('event 0 is nested deeper than 32 levels');
    expect(checkEvent([1], DEFAULT_LIMITS, 'event 3')).toBe('event 3 is not a JSON object');
    expect(parseEventsText('[1,2]', { ...DEFAULT_LIMITS, maxEvents: 1 })).toEqual({ ok: false, error: 'too many events: 2 (limit 1)' });
    expect(parseEventsText('x'.repeat(11), { ...DEFAULT_LIMITS, maxTextLength: 10 })).toEqual({ ok: false, error: 'the pasted text has 11 characters (limit 10)' });
  });
  it('reads arrays, single objects and NDJSON', () => {
    expect(parseEventsText('[{"a":1},{"a":2}]')).toEqual({ ok: true, events: [{ a: 1 }, { a: 2 }] });
    expect(parseEventsText('{"a":1}')).toEqual({ ok: true, events: [{ a: 1 }] });
    expect(parseEventsText('{"a":1}\n\n{"a":2}\n')).toEqual({ ok: true, events: [{ a: 1 }, { a: 2 }] });
    expect(parseEventsText('{"a":1}\n{oops')).toEqual({ ok: false, error: expect.stringContaining('line 2:') as unknown as string });
  });
});
