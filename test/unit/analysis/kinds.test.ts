/** Value kinds from wildcard patterns, CIDR detection, and the kind each operator gives. */
import { describe, expect, it } from 'vitest';
import { classifyEqlPattern, classifyEscapedPattern, classifyParts, isCidr, splitPattern, valueKindOf } from '../../../src/analysis/kinds';
import { eqlRule, esqlRule, queryRule, tables } from './helpers';

describe('classifyEqlPattern (* and ?, no escapes)', () => {
  const cases: [string, string, string][] = [
    ['abc', 'eq', 'abc'],
    ['abc*', 'starts_with', 'abc'],
    ['*abc', 'ends_with', 'abc'],
    ['*abc*', 'contains', 'abc'],
    ['a*c', 'wildcard', 'a*c'],
    ['*a*c*', 'wildcard', '*a*c*'],
    ['ab?', 'wildcard', 'ab?'],
    ['?:\\Windows\\*', 'wildcard', '?:\\Windows\\*'],
    ['*', 'exists', ''],
    ['**', 'exists', ''],
    ['/Library/Elastic/Agent/*', 'starts_with', '/Library/Elastic/Agent/'],
    ['', 'eq', ''],
  ];
  it.each(cases)('%j → %s %j', (pattern, kind, value) => {
    expect(classifyEqlPattern(pattern)).toEqual({ kind, value });
  });
});

describe('classifyEscapedPattern (Elasticsearch wildcard / ES|QL LIKE: *, ?, backslash escapes)', () => {
  const cases: [string, string, string][] = [
    ['C:\\\\Program Files\\\\*', 'starts_with', 'C:\\Program Files\\'],
    ['?:\\\\Windows\\\\Sys?????\\\\*', 'wildcard', '?:\\Windows\\Sys?????\\*'],
    ['a\\*b', 'eq', 'a*b'],
    ['*a\\*b*', 'contains', 'a*b'],
    ['x\\?y*z', 'wildcard', 'x\\?y*z'],
    ['plain', 'eq', 'plain'],
  ];
  it.each(cases)('%j → %s %j', (pattern, kind, value) => {
    expect(classifyEscapedPattern(pattern)).toEqual({ kind, value });
  });
});

describe('splitPattern and classifyParts', () => {
  it('splits on unescaped * only when escapes are on', () => {
    expect(splitPattern('a\\*b*c', { escape: true, question: true })).toEqual({ parts: ['a*b', 'c'], question: false });
    expect(splitPattern('a\\*b*c', { escape: false, question: true })).toEqual({ parts: ['a\\', 'b', 'c'], question: false });
    expect(splitPattern('a?b', { escape: false, question: false })).toEqual({ parts: ['a?b'], question: false });
  });
  it('classifies KQL parts (KQL has no ? wildcard)', () => {
    expect(classifyParts(['', 'S3 Browser', ''], false, '*S3 Browser*')).toEqual({ kind: 'contains', value: 'S3 Browser' });
    expect(classifyParts(['C:\\Windows\\', ''], false, 'C:\\Windows\\*')).toEqual({ kind: 'starts_with', value: 'C:\\Windows\\' });
  });
  it('an in value counts as eq', () => {
    expect(valueKindOf('in')).toBe('eq');
    expect(valueKindOf('cidr')).toBe('cidr');
  });
});

describe('isCidr', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['192.168.0.0/16', true],
    ['fe80::/10', true],
    ['FF00::/8', true],
    ['::1/128', true],
    ['10.0.0.0', false],
    ['300.0.0.0/8', false],
    ['10.0.0.0/33', false],
    ['/usr/bin/x', false],
    ['a/b', false],
  ])('%s → %s', (v, expected) => {
    expect(isCidr(v)).toBe(expected);
  });
});

describe('kinds per operator', () => {
  it('EQL: == and in are exact (values with * stay eq), : and like take wildcards, functions map to kinds', () => {
    const t = tables(
      eqlRule(
        'process where process.args in ("-o*", "--ofile*") and process.name == "x*" and file.path : "C:\\\\Temp\\\\*" and ' +
          'file.name like "*.exe" and dll.name like~ "*a*b*" and process.command_line regex~ """.*x.*""" and ' +
          'startsWith(process.title, "py") and endswith~(file.path, ".ps1") and stringContains(process.args, "--") and ' +
          'cidrMatch(destination.ip, "10.0.0.0/8", "::1") and length(process.command_line) > 200 and process.pid >= 4 and ' +
          'process.parent.name == process.name and user.name != null',
      ),
    );
    expect(t.indicators).toEqual([
      'destination.ip cidr 10.0.0.0/8, ::1',
      'dll.name wildcard~ *a*b*',
      'event.category eq process',
      'file.name ends_with .exe',
      'file.path ends_with~ .ps1',
      'file.path starts_with~ C:\\Temp\\',
      'process.args contains --',
      'process.args in --ofile*, -o*',
      'process.command_line function length(process.command_line) > 200',
      'process.command_line regex~ .*x.*',
      'process.name eq x*',
      'process.parent.name function process.parent.name == process.name',
      'process.pid range >= 4',
      'process.title starts_with py',
      'user.name exists',
    ]);
  });

  it('EQL: a literal left of the operator is flipped; == null is NOT exists', () => {
    const t = tables(eqlRule('any where 4 < process.pid and process.parent.name == null'));
    expect(t.indicators).toEqual(['process.pid range > 4']);
    expect(t.exclusions).toEqual(['process.parent.name exists']);
  });

  it('KQL: quoted values are exact even with *, unquoted * are wildcards, ranges and exists', () => {
    const t = tables(queryRule('a:"x*" and b:x* and c:*x and d:*x* and e:x*y and f:* and g >= 10 and h < now-1d and i:(x or *y*)'));
    expect(t.indicators).toEqual([
      'a eq x*',
      'b starts_with x',
      'c ends_with x',
      'd contains x',
      'e wildcard x*y',
      'f exists',
      'g range >= 10',
      'h range < now-1d',
      'i contains y',
      'i eq x',
    ]);
  });

  it('KQL: CIDR values are cidr', () => {
    expect(tables(queryRule('source.ip:(10.0.0.0/8 or "192.168.0.0/16") and destination.ip:1.2.3.4')).indicators).toEqual([
      'destination.ip eq 1.2.3.4',
      'source.ip cidr 10.0.0.0/8, 192.168.0.0/16',
    ]);
  });

  it('ES|QL: ==, =~, LIKE, RLIKE, IN, IS NOT NULL, STARTS_WITH, TO_LOWER, other functions', () => {
    const t = tables(
      esqlRule(
        'FROM logs-* | WHERE process.name == "a" AND user.name =~ "Root" AND file.path LIKE "*\\\\\\\\temp\\\\\\\\*" AND ' +
          'url.path RLIKE ".*/x" AND event.code IN ("1", "2") AND process.args IS NOT NULL AND STARTS_WITH(host.name, "srv") AND ' +
          'TO_LOWER(process.command_line) LIKE "*curl*" AND LENGTH(process.title) > 3 AND destination.port >= 1024',
      ),
    );
    expect(t.indicators).toEqual([
      'destination.port range >= 1024',
      'event.code in 1, 2',
      'file.path contains \\temp\\',
      'host.name starts_with srv',
      'process.args exists',
      'process.command_line contains~ curl',
      'process.name eq a',
      'process.title function LENGTH(process.title) > 3',
      'url.path regex .*/x',
      'user.name eq~ Root',
    ]);
  });
});
