import { describe, expect, it } from 'vitest';
import { labelSlug, normaliseBase, normaliseSite, segment, Urls } from '../../../src/views/urls';

describe('base path and site', () => {
  it.each([
    [undefined, '/'],
    ['', '/'],
    ['/', '/'],
    ['catalog', '/catalog/'],
    ['/catalog', '/catalog/'],
    ['catalog/', '/catalog/'],
    ['//a//b/', '/a/b/'],
    ['/a b/', '/a%20b/'],
    ['/a%20b/', '/a%20b/'],
  ])('normaliseBase(%j) = %j', (input, want) => {
    expect(normaliseBase(input)).toBe(want);
  });

  it('refuses .. in the base path', () => {
    expect(() => normaliseBase('/a/../b/')).toThrow("must not contain '..'");
  });

  it('keeps only the origin of the site', () => {
    expect(normaliseSite('https://example.org/docs/?x=1')).toBe('https://example.org');
    expect(normaliseSite(null)).toBe(null);
    expect(() => normaliseSite('ftp://example.org')).toThrow('http(s)');
    expect(() => normaliseSite('example.org')).toThrow('absolute URL');
  });
});

describe('segments', () => {
  it('keeps plain ids, fields and technique ids', () => {
    expect(segment('dda66a87-5a09-42cd-a0e1-f755ece2bbf2')).toBe('dda66a87-5a09-42cd-a0e1-f755ece2bbf2');
    expect(segment('process.name')).toBe('process.name');
    expect(segment('@timestamp')).toBe('@timestamp');
    expect(segment('T1059.002')).toBe('T1059.002');
  });
  it('encodes anything else reversibly as ~hex', () => {
    expect(segment('..')).toBe('~2e2e');
    expect(segment('.hidden')).toBe('~2e68696464656e');
    expect(segment('a/b')).toBe('~612f62');
    expect(segment('Esql.count(*)')).toBe('~4573716c2e636f756e74282a29');
    expect(segment('é')).toBe('~c3a9');
    expect(segment('~x')).toBe('~7e78');
  });
  it('slugs labels', () => {
    expect(labelSlug('Domain: Endpoint')).toBe('domain-endpoint');
    expect(labelSlug('Tactic: Command and Control')).toBe('tactic-command-and-control');
    expect(labelSlug('***')).toBe('~2a2a2a');
  });
});

describe('Urls under a base path', () => {
  const u = new Urls('/catalog/', 'https://example.org/');
  it('builds every kind of URL under the base', () => {
    expect(u.home()).toBe('/catalog/');
    expect(u.rule('dda66a87-5a09-42cd-a0e1-f755ece2bbf2')).toBe('/catalog/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/');
    expect(u.ruleAlias('encoded-powershell-command-line')).toBe('/catalog/rules/encoded-powershell-command-line/');
    expect(u.technique('T1059.002')).toBe('/catalog/attack/techniques/T1059.002/');
    expect(u.tactic('TA0002')).toBe('/catalog/attack/tactics/TA0002/');
    expect(u.field('process.name')).toBe('/catalog/fields/process.name/');
    expect(u.tag('os-macos')).toBe('/catalog/tags/os-macos/');
    expect(u.integration('endpoint')).toBe('/catalog/integrations/endpoint/');
    expect(u.browse()).toBe('/catalog/rules/');
    expect(u.apiRule('x y')).toBe('/catalog/api/rules/~782079.json');
    expect(u.apiNavigator('os-windows')).toBe('/catalog/api/navigator/os-windows.json');
    expect(u.searchIndex()).toBe('/catalog/api/search-index.json');
    expect(u.feed()).toBe('/catalog/changes.atom');
    expect(u.sitemap()).toBe('/catalog/sitemap.xml');
  });
  it('makes absolute URLs when the site is known', () => {
    expect(u.absolute(u.rule('abc'))).toBe('https://example.org/catalog/rules/abc/');
    expect(new Urls('/').absolute('/rules/abc/')).toBe('/rules/abc/');
  });
});
