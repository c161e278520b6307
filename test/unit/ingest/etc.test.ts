import { describe, expect, it } from 'vitest';
import { readEtc } from '../../../src/ingest/etc';
import type { EtcFile } from '../../../src/ingest/types';

const f = (role: EtcFile['role'], text: string, path = `etc/${role}.json`): EtcFile => ({ role, path, text, digest: '' });

describe('readEtc', () => {
  it('reads the version lock, deprecated rules and technique redirects', () => {
    const { etc, diagnostics } = readEtc([
      f('version-lock', JSON.stringify({ a: { rule_name: 'A', type: 'eql', version: 7, previous: { '8.19': { rule_name: 'Old A', version: 3 } } }, b: { rule_name: 'B' } })),
      f('deprecated-rules', JSON.stringify({ c: { rule_name: 'C', deprecation_date: '2025/01/01', deprecated_reason: 'why', stack_version: '9.0' } })),
      f('attack-redirects', JSON.stringify({ mapping: { T1086: 'T1059.001', T1: 5 }, saved_date: 'x' })),
    ]);
    expect(etc.versionLock).toEqual({ a: { ruleName: 'A', type: 'eql', version: 7, previousNames: ['Old A'] } });
    expect(etc.deprecatedRules).toEqual({ c: { ruleName: 'C', deprecationDate: '2025/01/01', deprecatedReason: 'why', stackVersion: '9.0' } });
    expect(etc.attackRedirects).toEqual({ T1086: 'T1059.001' });
    expect(etc.files.map((x) => x.role)).toEqual(['version-lock', 'deprecated-rules', 'attack-redirects']);
    expect(diagnostics.map((d) => [d.severity, d.code, d.file])).toEqual([
      ['warning', 'etc-invalid', 'etc/version-lock.json'],
      ['warning', 'etc-invalid', 'etc/attack-redirects.json'],
    ]);
  });
  it('reports files that are not JSON objects and goes on', () => {
    const { etc, diagnostics } = readEtc([f('version-lock', '{not json'), f('attack-redirects', '[1]'), f('attack-redirects', '{"x":1}', 'b.json')]);
    expect(etc.files).toEqual([{ role: 'attack-redirects', path: 'b.json' }]);
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['error', 'etc-invalid'],
      ['error', 'etc-invalid'],
      ['error', 'etc-invalid'],
    ]);
  });
  it('keeps the first entry when checkouts disagree, even for odd keys', () => {
    const { etc } = readEtc([f('version-lock', '{"__proto__": {"version": 1}, "x": {"version": 2}}'), f('version-lock', '{"x": {"version": 9}}')]);
    expect(Object.keys(etc.versionLock)).toEqual(['__proto__', 'x']);
    expect(etc.versionLock.x!.version).toBe(2);
    expect(Object.getPrototypeOf(etc.versionLock)).toBe(Object.prototype);
  });
});
