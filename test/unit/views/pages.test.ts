import { describe, expect, it } from 'vitest';
import { heatOf, matrixPage, navigatorLayers, tacticPage, techniquePage, techniquePageIds } from '../../../src/views/attack-pages';
import { browseFacetsJson, browsePage, type BrowseFacetsJson } from '../../../src/views/browse';
import { browseRowsHtml } from '../../../src/views/fragments';
import { atomFeed, changes, deprecatedPage } from '../../../src/views/changes';
import { fieldPage, fieldsIndexPage } from '../../../src/views/field-pages';
import { homePage } from '../../../src/views/home';
import { integrationsIndexPage, labelPage, tagsIndexPage } from '../../../src/views/label-pages';
import { sitemapEntries, sitemapXml } from '../../../src/views/sitemap';
import { exampleModel, IDS } from './fixture';

const model = await exampleModel({ site: 'https://rules.example.org' });

describe('site model', () => {
  it('redirects slugs of current and former names (and without "Deprecated - ") to rule ids', () => {
    const bySlug = new Map(model.aliases.map((a) => [a.slug, a]));
    expect(model.aliases.length).toBe(16);
    expect(bySlug.get('applescript-interpreter-followed-by-repeated-outbound-connections')).toEqual({ slug: 'applescript-interpreter-followed-by-repeated-outbound-connections', id: IDS.osascriptSequence, reason: 'name' });
    expect(bySlug.get('deprecated-windows-event-log-cleared-with-wevtutil')?.id).toBe(IDS.deprecatedWevtutil);
    expect(bySlug.get('windows-event-log-cleared-with-wevtutil')).toEqual({ slug: 'windows-event-log-cleared-with-wevtutil', id: IDS.deprecatedWevtutil, reason: 'former-name' });
  });

  it('uses former names from the version lock', async () => {
    const m = await exampleModel({ formerNames: { [IDS.osascriptSequence]: ['Osascript Then Download', 'Encoded PowerShell Command Line'] } });
    const bySlug = new Map(m.aliases.map((a) => [a.slug, a.id]));
    expect(bySlug.get('osascript-then-download')).toBe(IDS.osascriptSequence);
    // A slug another rule holds by its current name stays with that rule.
    expect(bySlug.get('encoded-powershell-command-line')).toBe(IDS.encodedPowershell);
  });

  it('dates the catalog by its newest change', () => {
    expect(model.referenceDate).toBe('2025-06-11');
    expect(model.now).toBe(Date.parse('2025-06-11T12:00:00Z'));
  });

  it('gives tags, integrations and data sources unique slugs', () => {
    const slugs = [...model.tags.map((t) => `t/${t.slug}`), ...model.integrations.map((t) => `i/${t.slug}`)];
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(model.integrations.filter((i) => i.kind === 'integration').map((i) => `${i.slug}:${i.ruleIds.length}`)).toEqual([
      'auditd-manager:1', 'endpoint:9', 'network-traffic:2', 'okta:1', 'system:1', 'threat-intel:1', 'windows:3',
    ]);
    expect(model.integrations.filter((i) => i.kind === 'data-source').map((i) => i.slug)).toEqual([
      'data-source-auditd-manager', 'data-source-elastic-defend', 'data-source-network-traffic', 'data-source-okta', 'data-source-system', 'data-source-threat-intel',
    ]);
  });
});

describe('home', () => {
  it('counts the catalog and links into browse', () => {
    const v = homePage(model);
    expect(v.totals).toEqual({ rules: 15, production: 14, buildingBlocks: 1, deprecated: 1, techniques: 24, tactics: 8, fields: 24 });
    expect(v.byType.map((c) => `${c.label}=${c.count}`)).toEqual(['EQL=5', 'Custom query=4', 'Machine learning=2', 'ES|QL=1', 'New terms=1', 'Indicator match=1', 'Threshold=1']);
    expect(v.byLanguage[0]).toEqual({ label: 'KQL', count: 6, href: '/catalog/rules/?language=kuery' });
    expect(v.recent.slice(0, 3).map((r) => [r.name, r.updated])).toEqual([
      ['First Time Seen Executable Started by the SSH Daemon', '2025-06-11'],
      ['Encoded PowerShell Command Line', '2025-06-02'],
      ['Burst of Failed Okta Single Sign-On Attempts', '2025-05-30'],
    ]);
    expect(v.meta.canonical).toBe('https://rules.example.org/catalog/');
  });
});

describe('ATT&CK pages', () => {
  it('heat buckets grow on a log scale', () => {
    expect([0, 1, 2, 3, 5, 10, 30, 100].map((n) => heatOf(n, 100))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
    expect(heatOf(1, 1)).toBe(4);
  });

  it('matrix: tactics in order, counts per technique including sub-techniques', () => {
    const v = matrixPage(model, navigatorLayers(model));
    expect(v.tactics.map((t) => t.id)).toEqual(['TA0043', 'TA0042', 'TA0001', 'TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0006', 'TA0007', 'TA0008', 'TA0009', 'TA0011', 'TA0010', 'TA0040']);
    const exec = v.tactics.find((t) => t.id === 'TA0002');
    expect(exec?.cells.map((c) => [c.id, c.count, c.heat, c.href, c.subs.map((s) => `${s.id}=${s.count}`)])).toEqual([
      ['T1059', 3, 4, '/catalog/attack/techniques/T1059/', ['T1059.001=1', 'T1059.002=1', 'T1059.004=1']],
    ]);
    expect(v.hasBundle).toBe(false);
    expect(v.uncovered).toEqual([]);
    expect(v.layers[0]).toEqual({ label: 'Ruledex: all rules', href: '/catalog/api/navigator/all.json', rules: 15 });
  });

  it('technique page lists its rules, sub-techniques and tactics', () => {
    const v = techniquePage(model, 'T1059');
    expect(v.rules.map((r) => r.name)).toEqual(['AppleScript Interpreter Followed by Repeated Outbound Connections', 'Encoded PowerShell Command Line', 'Shell Spawned by a Web Server Process']);
    expect(v.subtechniques.map((s) => `${s.id}:${s.rules}`)).toEqual(['T1059.001:1', 'T1059.002:1', 'T1059.004:1']);
    expect(v.tactics.map((t) => t.href)).toEqual(['/catalog/attack/tactics/TA0002/']);
    const sub = techniquePage(model, 'T1059.002');
    expect(sub.rules.map((r) => r.href)).toEqual(['/catalog/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/']);
    expect(sub.parent).toEqual({ id: 'T1059', name: 'Command and Scripting Interpreter', href: '/catalog/attack/techniques/T1059/' });
    expect(sub.meta.breadcrumb.map((b) => b.label)).toEqual(['ATT&CK', 'T1059 Command and Scripting Interpreter', 'T1059.002']);
  });

  it('tactic page', () => {
    const v = tacticPage(model, 'TA0011');
    expect(v.techniques.map((t) => `${t.id}:${t.rules}`)).toEqual(['T1071:2', 'T1105:1', 'T1571:1']);
    expect(v.rules.length).toBe(4);
  });

  it('has a page for every covered technique and its parent', () => {
    const ids = techniquePageIds(model);
    expect(ids.length).toBe(24);
    for (const t of model.coverage.techniques) expect(ids).toContain(t.id);
  });
});

describe('fields, tags, integrations', () => {
  it('field index and pages', () => {
    const idx = fieldsIndexPage(model);
    expect(idx.fields.slice(0, 3).map((f) => `${f.field}:${f.rules}`)).toEqual(['event.category:12', 'event.type:9', 'host.os.type:9']);
    const v = fieldPage(model, 'process.name');
    expect(v.meta.path).toBe('/catalog/fields/process.name/');
    expect(v.values.find((x) => x.value === 'osascript')).toEqual({
      value: 'osascript', role: 'indicator', kind: 'eq', rules: 2, caseInsensitive: false,
      examples: [
        { name: 'AppleScript Interpreter Followed by Repeated Outbound Connections', href: '/catalog/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/' },
        { name: 'Launch Agent Plist Written by a Script Interpreter', href: '/catalog/rules/md-launch-agent-plist-written-by-a-script-interpreter/' },
      ],
    });
  });

  it('tag groups and an integration page with the fields its rules read', () => {
    expect(tagsIndexPage(model).groups.map((g) => g.title)).toEqual(['Data Source', 'Domain', 'OS', 'Resources', 'Rule Type', 'Tactic', 'Use Case']);
    const okta = model.integrations.find((i) => i.slug === 'okta');
    if (!okta) throw new Error('no okta');
    const v = labelPage(model, okta);
    expect(v.rules.map((r) => r.name)).toEqual(['Burst of Failed Okta Single Sign-On Attempts']);
    expect(v.fields.map((f) => f.field)).toContain('okta.actor.alternate_id');
    expect(integrationsIndexPage(model).groups.map((g) => g.title)).toEqual(['Integrations', 'Data sources']);
  });
});

describe('browse, changes, deprecated, sitemap', () => {
  it('browse facets count every rule once per value', () => {
    const v = browsePage(model);
    expect(v.total).toBe(15);
    const f = Object.fromEntries(v.facets.map((x) => [x.key, x.values.map((y) => `${y.value}=${y.count}`)]));
    expect(f.severity).toEqual(['critical=1', 'high=1', 'medium=7', 'low=6']);
    expect(f.bb).toEqual(['no=14', 'yes=1']);
    expect(f.os).toEqual(['Windows=5', 'Linux=3', 'macOS=2']);
    expect(f.tactic).toEqual(['TA0002=3', 'TA0003=3', 'TA0005=2', 'TA0006=2', 'TA0007=2', 'TA0008=1', 'TA0011=4', 'TA0010=1']);
    const row = v.rows.find((r) => r.item.id === IDS.osascriptSequence);
    expect(row?.data).toEqual({ type: 'eql', language: 'eql', severity: 'medium', os: 'macOS', integration: 'endpoint|Elastic Defend', tactic: 'TA0002|TA0011', maturity: 'production', bb: 'no' });
    // The filters' data is a compact JSON (rows in table order), not attributes of every row.
    expect(v.facetsHref).toBe('/catalog/api/browse.json');
    expect(browseRowsHtml(v.rows)).not.toContain('data-');
    const json = JSON.parse(browseFacetsJson(v)) as BrowseFacetsJson;
    expect(json.keys).toEqual(['type', 'language', 'severity', 'os', 'integration', 'tactic', 'maturity', 'bb']);
    expect(json.rows.map((r) => r[0])).toEqual(v.rows.map((r) => r.item.id));
    const at = v.rows.findIndex((r) => r.item.id === IDS.osascriptSequence);
    const j = json.rows[at] as BrowseFacetsJson['rows'][number];
    const decoded = json.keys.map((k, i) => (j[2 + i] as number[]).map((n) => json.values[k][n]).join('|'));
    expect([j[1], ...decoded]).toEqual([row?.updated, 'eql', 'eql', 'medium', 'macOS', 'endpoint|Elastic Defend', 'TA0002|TA0011', 'production', 'no']);
  });

  it('changes newest first; the Atom feed has absolute links', () => {
    expect(changes(model, 3).map((c) => `${c.date} ${c.kind} ${c.item.name}`)).toEqual([
      '2025-06-11 updated First Time Seen Executable Started by the SSH Daemon',
      '2025-06-02 updated Encoded PowerShell Command Line',
      '2025-05-30 updated Burst of Failed Okta Single Sign-On Attempts',
    ]);
    const feed = atomFeed(model);
    expect(feed).toContain('<link rel="self" href="https://rules.example.org/catalog/changes.atom"/>');
    expect(feed).toContain('<link href="https://rules.example.org/catalog/rules/56e3acea-586b-4a8c-bec4-b9bbe5683d1a/"/>');
    expect(feed).toContain('<updated>2025-06-11T00:00:00Z</updated>');
    expect(feed.match(/<entry>/g)?.length).toBe(changes(model, 50).length);
    expect(deprecatedPage(model).rules.map((r) => [r.name, r.date])).toEqual([['Deprecated - Windows Event Log Cleared with wevtutil', '2025-01-30']]);
  });

  it('sitemap lists canonical pages with absolute URLs, not redirect pages', () => {
    const entries = sitemapEntries(model);
    const paths = entries.map((e) => e.path);
    expect(paths).toContain('/catalog/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/');
    expect(paths).not.toContain('/catalog/rules/applescript-interpreter-followed-by-repeated-outbound-connections/');
    expect(new Set(paths).size).toBe(paths.length);
    expect(entries.length).toBe(8 + 15 + 14 + 24 + 24 + model.tags.length + model.integrations.length);
    expect(sitemapXml(model)).toContain('<url><loc>https://rules.example.org/catalog/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/</loc><lastmod>2025-05-20</lastmod></url>');
  });
});
