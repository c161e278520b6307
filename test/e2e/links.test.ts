/**
 * The example build (`npm run build`'s output, built here into a temporary directory): every
 * internal link and asset resolves, and the build is deterministic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinks, formatReport, pageIds, pageLinks } from '../../scripts/check-dist/links';
import { resolveRequest } from '../../scripts/check-dist/serve';
import { buildSite, type BuiltSite } from './helpers';

describe('link checker', () => {
  it('finds links, refresh targets and ids in HTML', () => {
    const html = '<a href="/a/?x=1&amp;y=2#top">a</a><img src=\'b.png\'><form action=/c/></form><!-- <a href="/no/"> --><meta http-equiv="refresh" content="0; url=/d/"><h2 id="top">';
    expect(pageLinks(html).map((l) => `${l.tag} ${l.url}`)).toEqual(['a /a/?x=1&y=2#top', 'img b.png', 'form /c/', 'meta-refresh /d/']);
    expect([...pageIds(html)]).toEqual(['top']);
  });
});

describe('the example build', () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await buildSite();
  });
  afterAll(() => site?.remove());

  it('has no broken internal links or assets', () => {
    const r = checkLinks(site.dir, { base: '/' });
    if (r.brokenTotal > 0) console.log(formatReport(r));
    expect(r.brokenTotal).toBe(0);
    expect(r.pages).toBeGreaterThan(100);
    expect(r.links).toBeGreaterThan(3000);
  });

  it('the test server serves files under the base only, never outside dist/', () => {
    expect(resolveRequest(site.dir, '/catalog/', '/catalog/rules/')).toBe(join(site.dir, 'rules', 'index.html'));
    expect(resolveRequest(site.dir, '/catalog/', '/catalog')).toBe(join(site.dir, 'index.html'));
    expect(resolveRequest(site.dir, '/catalog/', '/rules/')).toBe(null);
    expect(resolveRequest(site.dir, '/catalog/', '/catalog/../../etc/passwd')).toBe(null);
    expect(resolveRequest(site.dir, '/catalog/', '/catalog/%2e%2e/%2e%2e/package.json')).toBe(null);
    expect(resolveRequest(site.dir, '/', '/%E0%A4%A')).toBe(null);
  });

  it('reports broken links when there are some', () => {
    const r = checkLinks(site.dir, { base: '/catalog/' });
    expect(r.brokenTotal).toBeGreaterThan(0);
    expect(r.broken[0]?.reason).toBe('outside the base path /catalog/');
  });

  it('writes pages with the CSP and without inline scripts or styles', () => {
    const html = readFileSync(join(site.dir, 'rules', 'dda66a87-5a09-42cd-a0e1-f755ece2bbf2', 'index.html'), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self';`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style[\s>]/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it('writes slug redirect pages pointing at the canonical rule URL', () => {
    const html = readFileSync(join(site.dir, 'rules', 'windows-event-log-cleared-with-wevtutil', 'index.html'), 'utf8');
    expect(html).toContain('<link rel="canonical" href="/rules/92461a6d-3240-4f15-b2b2-c595107351bf/">');
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=/rules/92461a6d-3240-4f15-b2b2-c595107351bf/">');
  });
});
