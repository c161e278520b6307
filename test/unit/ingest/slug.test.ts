import { describe, expect, it } from 'vitest';
import { MAX_SLUG, SlugAllocator, nameKey, slugify } from '../../../src/ingest/slug';

describe('slugify', () => {
  it.each([
    ['Suspicious PowerShell — Encoded Command (T1059.001)', 'suspicious-powershell-encoded-command-t1059-001'],
    ['Multiple Alerts in Different ATT&CK Tactics on a Single Host', 'multiple-alerts-in-different-att-ck-tactics-on-a-single-host'],
    ['IPv4/IPv6 Forwarding Activity', 'ipv4-ipv6-forwarding-activity'],
    ['Potential Defense Evasion via CMSTP.exe', 'potential-defense-evasion-via-cmstp-exe'],
    ['Café Déjà Vu', 'cafe-deja-vu'],
    ['hυmаn vаlіdаtiοn', 'h-m-n-v-l-d-ti-n'],
    ['../../etc/passwd', 'etc-passwd'],
    ['..', 'rule'],
    ['.', 'rule'],
    ['', 'rule'],
    ['🔥🔥', 'rule'],
    ['<script>alert(1)</script>', 'script-alert-1-script'],
    ['  --Leading and trailing--  ', 'leading-and-trailing'],
  ])('%j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
  it('is always a safe, bounded path segment', () => {
    const long = 'Word '.repeat(60);
    const s = slugify(long);
    expect(s.length).toBeLessThanOrEqual(MAX_SLUG);
    expect(s).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(s.endsWith('-')).toBe(false);
    expect(slugify('x'.repeat(200))).toBe('x'.repeat(MAX_SLUG));
  });
});

describe('nameKey', () => {
  it('ignores a Deprecated prefix and case', () => {
    expect(nameKey('Deprecated - AWS RDS Cluster Creation')).toBe(nameKey('aws rds cluster creation'));
    expect(nameKey('Deprecated')).toBe('deprecated');
  });
});

describe('SlugAllocator', () => {
  it('gives the first claimant the slug and later ones numbered suffixes', () => {
    const a = new SlugAllocator();
    expect(a.allocate('Same Name', 'r1')).toEqual({ slug: 'same-name', clashWith: null });
    expect(a.allocate('Same  name!', 'r2')).toEqual({ slug: 'same-name-2', clashWith: 'r1' });
    expect(a.allocate('same-name', 'r3')).toEqual({ slug: 'same-name-3', clashWith: 'r1' });
    expect(a.allocate('Same Name 2', 'r4')).toEqual({ slug: 'same-name-2-2', clashWith: 'r2' });
  });
  it('keeps suffixed slugs within the bound', () => {
    const a = new SlugAllocator();
    const name = 'y'.repeat(200);
    a.allocate(name, 'a');
    const { slug } = a.allocate(name, 'b');
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG);
    expect(slug.endsWith('-2')).toBe(true);
  });
});
