/**
 * The user's seed documents, pinned field by field: the four Elastic markdown rule pages (000,
 * 001, 003, 004) as `decodeMarkdown` reads them, and the rule rendered in 002, whose TOML is
 * `rules_building_block/discovery_system_network_connections.toml` in the corpus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleToml } from '../../src/ingest/assemble';
import { decodeMarkdown } from '../../src/ingest/decode-markdown';
import { decodeToml } from '../../src/ingest/decode-toml';
import type { MarkdownPage } from '../../src/ingest/types';
import type { ThreatEntry } from '../../src/model/rule';
import { hasShared, rulesRoot, seedsRoot } from '../helpers/shared';

const seed = (prefix: string): { path: string; text: string } => {
  const names: Record<string, string> = {
    '000': '000_99bea008b9c525e4.txt',
    '001': '001_a0546b9e77232bec.txt',
    '002': '002_3d6f7d52b5881dfb.txt',
    '003': '003_2ec122490d2d2467.txt',
    '004': '004_aa21495a2048c6b9.txt',
  };
  const path = join(seedsRoot, names[prefix]!);
  return { path, text: readFileSync(path, 'utf8') };
};

function page(prefix: string): { page: MarkdownPage; text: string } {
  const { path, text } = seed(prefix);
  const d = decodeMarkdown({ path, text, digest: '' });
  expect(d.diagnostics).toEqual([]);
  expect(d.page).not.toBeNull();
  return { page: d.page!, text };
}

/** The fenced query block of a page, found independently of remark. */
function fencedQuery(text: string): string {
  const m = /\n```js\n([\s\S]*?)\n```\n/.exec(text);
  if (!m) throw new Error('no query block');
  return m[1]!;
}

const mitre = (tactic: [string, string, string], techniques: [string, string, string, [string, string, string][]][]): ThreatEntry => ({
  framework: 'MITRE ATT&CK',
  tactic: { id: tactic[0], name: tactic[1], reference: tactic[2] },
  techniques: techniques.map(([id, name, reference, subs]) => ({ id, name, reference, subtechniques: subs.map(([sid, sname, sref]) => ({ id: sid, name: sname, reference: sref })) })),
});

describe.skipIf(!hasShared)('seed 000: Virtual Private Network Connection Attempt (package 8.3.3 page)', () => {
  const { page: p, text } = hasShared ? page('000') : ({} as ReturnType<typeof page>);
  it('title, anchor, package version, front matter', () => {
    expect(p.title).toBe('Virtual Private Network Connection Attempt');
    expect(p.anchor).toBe('prebuilt-rule-8-3-3-virtual-private-network-connection-attempt');
    expect(p.slug).toBe('virtual-private-network-connection-attempt');
    expect(p.packageVersion).toBe('8.3.3');
    expect(p.frontMatter).toEqual({ mapped_pages: ['https://www.elastic.co/guide/en/security/current/prebuilt-rule-8-3-3-virtual-private-network-connection-attempt.html'] });
    expect(p.places.title!.line).toBe(6);
  });
  it('description and facts', () => {
    expect(p.description).toBe(
      'Identifies the execution of macOS built-in commands to connect to an existing Virtual Private Network (VPN). Adversaries may use VPN connections to laterally move and control remote systems on a network.',
    );
    expect(p.ruleType).toBe('eql');
    expect(p.indices).toEqual(['auditbeat-*', 'logs-endpoint.events.*']);
    expect(p.severity).toBe('low');
    expect(p.riskScore).toBe(21);
    expect(p.interval).toBe('5m');
    // `now-9m ({{ref}}/common-options.html#date-math[Date Math format], see also …)`: the date math only.
    expect(p.from).toBe('now-9m');
    expect(p.maxSignals).toBe(100);
    expect(p.references).toEqual([
      'https://github.com/rapid7/metasploit-framework/blob/master/modules/post/osx/manage/vpn.rb',
      'https://www.unix.com/man-page/osx/8/networksetup/',
      'https://superuser.com/questions/358513/start-configured-vpn-from-command-line-osx',
    ]);
    expect(p.tags).toEqual(['Elastic', 'Host', 'macOS', 'Threat Detection', 'Lateral Movement']);
    expect(p.version).toBe(101);
    expect(p.authors).toEqual(['Elastic']);
    expect(p.license).toBe('Elastic License v2');
    expect(p.otherFacts).toEqual({});
  });
  it('an empty investigation guide, no setup, the query and its place', () => {
    expect(p.investigationGuide).toBe('');
    expect(p.setup).toBeNull();
    expect(p.query!.text).toBe(fencedQuery(text));
    expect(p.query!.text.split('\n')[0]).toBe('process where event.type in ("start", "process_started") and');
    expect(p.query!.lang).toBe('js');
    expect(text.slice(p.query!.start, p.query!.end)).toBe(p.query!.text);
    expect(p.querySpan!.start).toEqual({ offset: 1593, line: 56, column: 1 });
    expect(p.querySpan!.end).toMatchObject({ line: 61, column: 4 });
  });
  it('ATT&CK: Lateral Movement / Remote Services', () => {
    expect(p.threat).toEqual([
      mitre(['TA0008', 'Lateral Movement', 'https://attack.mitre.org/tactics/TA0008/'], [['T1021', 'Remote Services', 'https://attack.mitre.org/techniques/T1021/', []]]),
    ]);
  });
});

describe.skipIf(!hasShared)('seed 001: Apple Script Execution followed by Network Connection (current page)', () => {
  const { page: p, text } = hasShared ? page('001') : ({} as ReturnType<typeof page>);
  it('title, anchor, front matter with applies_to', () => {
    expect(p.title).toBe('Apple Script Execution followed by Network Connection');
    expect(p.anchor).toBe('apple-script-execution-followed-by-network-connection');
    expect(p.packageVersion).toBeNull();
    expect(p.frontMatter).toEqual({
      applies_to: { stack: 'all', serverless: { security: 'all' } },
      mapped_pages: ['https://www.elastic.co/guide/en/security/current/apple-script-execution-followed-by-network-connection.html'],
    });
  });
  it('description and facts', () => {
    expect(p.description).toBe(
      'Detects execution via the Apple script interpreter (osascript) followed by a network connection from the same process within a short time period. Adversaries may use malicious scripts for execution and command and control.',
    );
    expect(p).toMatchObject({ ruleType: 'eql', indices: ['logs-endpoint.events.*'], severity: 'medium', riskScore: 47, interval: '5m', from: 'now-9m', maxSignals: 100, version: 107, authors: ['Elastic'], license: 'Elastic License v2' });
    // The link text is the original URL; the link target was rewritten by the docs (`index.md`).
    expect(p.references).toEqual([
      'https://developer.apple.com/library/archive/documentation/LanguagesUtilities/Conceptual/MacAutomationScriptingGuide/index.html',
      'https://www.iana.org/assignments/iana-ipv4-special-registry/iana-ipv4-special-registry.xhtml',
    ]);
    expect(p.tags).toEqual(['Domain: Endpoint', 'OS: macOS', 'Use Case: Threat Detection', 'Tactic: Command and Control', 'Tactic: Execution', 'Data Source: Elastic Defend', 'Resources: Investigation Guide']);
  });
  it('investigation guide and setup as markdown', () => {
    expect(p.investigationGuide!.startsWith('**Triage and analysis**\n\n[TBC: QUOTE]\n**Investigating Apple Script Execution followed by Network Connection**')).toBe(true);
    expect(p.investigationGuide!.endsWith('* Escalate the incident to the security operations team for further investigation and to determine if additional systems have been compromised.')).toBe(true);
    expect(p.investigationGuide).toContain('**Possible investigation steps**');
    expect(p.investigationGuide).toContain('**False positive analysis**');
    expect(p.investigationGuide).toContain('**Response and remediation**');
    expect(p.setup!.startsWith('**Setup**\n\nThis rule requires data coming in from Elastic Defend.')).toBe(true);
    expect(p.setup!.endsWith('[helper guide](docs-content://solutions/security/configure-elastic-defend/install-elastic-defend.md).')).toBe(true);
    expect(p.places['investigation guide']!.line).toBe(53);
    expect(p.places.setup!.line).toBe(90);
  });
  it('the sequence query', () => {
    expect(p.query!.text).toBe(fencedQuery(text));
    expect(p.query!.text.split('\n')[0]).toBe('sequence by host.id, process.entity_id with maxspan=30s');
    expect(p.query!.text.split('\n')).toHaveLength(8);
    expect(p.querySpan!.start).toEqual({ offset: 7400, line: 122, column: 1 });
  });
  it('ATT&CK: Execution / T1059 / T1059.002 AppleScript, Command and Control / T1105', () => {
    expect(p.threat).toEqual([
      mitre(['TA0002', 'Execution', 'https://attack.mitre.org/tactics/TA0002/'], [
        ['T1059', 'Command and Scripting Interpreter', 'https://attack.mitre.org/techniques/T1059/', [['T1059.002', 'AppleScript', 'https://attack.mitre.org/techniques/T1059/002/']]],
      ]),
      mitre(['TA0011', 'Command and Control', 'https://attack.mitre.org/tactics/TA0011/'], [['T1105', 'Ingress Tool Transfer', 'https://attack.mitre.org/techniques/T1105/', []]]),
    ]);
  });
});

describe.skipIf(!hasShared)('seed 003: MacOS Installer Package Spawns Network Event (package 8.3.3 page)', () => {
  const { page: p, text } = hasShared ? page('003') : ({} as ReturnType<typeof page>);
  it('title, anchor, package version', () => {
    expect(p).toMatchObject({ title: 'MacOS Installer Package Spawns Network Event', anchor: 'prebuilt-rule-8-3-3-macos-installer-package-spawns-network-event', slug: 'macos-installer-package-spawns-network-event', packageVersion: '8.3.3' });
  });
  it('facts, old-style tags', () => {
    expect(p.description.startsWith('Detects the execution of a MacOS installer package with an abnormal child process (e.g bash) followed immediately by a network connection')).toBe(true);
    expect(p.description.endsWith('If this rule fires it should indicate the installation of a malicious or suspicious package.')).toBe(true);
    expect(p).toMatchObject({ ruleType: 'eql', indices: ['logs-endpoint.events.*'], severity: 'medium', riskScore: 47, interval: '5m', from: 'now-9m', maxSignals: 100, version: 101, authors: ['Elastic'], license: 'Elastic License v2' });
    expect(p.references).toEqual(['https://redcanary.com/blog/clipping-silver-sparrows-wings', 'https://posts.specterops.io/introducing-mystikal-4fbd2f7ae520', 'https://github.com/D00MFist/Mystikal']);
    expect(p.tags).toEqual(['Elastic', 'Host', 'macOS', 'Threat Detection', 'Execution', 'Command and Control']);
  });
  it('no guide, no setup, a two-stage sequence', () => {
    expect(p.investigationGuide).toBeNull();
    expect(p.setup).toBeNull();
    expect(p.query!.text).toBe(fencedQuery(text));
    expect(p.query!.text.split('\n')[0]).toBe('sequence by host.id, user.id with maxspan=30s');
    expect(p.query!.text.split('\n')).toHaveLength(3);
    expect(p.querySpan!.start.line).toBe(52);
  });
  it('ATT&CK: T1059.007 JavaScript and T1071.001 Web Protocols', () => {
    expect(p.threat).toEqual([
      mitre(['TA0002', 'Execution', 'https://attack.mitre.org/tactics/TA0002/'], [
        ['T1059', 'Command and Scripting Interpreter', 'https://attack.mitre.org/techniques/T1059/', [['T1059.007', 'JavaScript', 'https://attack.mitre.org/techniques/T1059/007/']]],
      ]),
      mitre(['TA0011', 'Command and Control', 'https://attack.mitre.org/tactics/TA0011/'], [
        ['T1071', 'Application Layer Protocol', 'https://attack.mitre.org/techniques/T1071/', [['T1071.001', 'Web Protocols', 'https://attack.mitre.org/techniques/T1071/001/']]],
      ]),
    ]);
  });
});

describe.skipIf(!hasShared)('seed 004: Unusual Linux Network Connection Discovery (machine learning)', () => {
  const { page: p } = hasShared ? page('004') : ({} as ReturnType<typeof page>);
  it('facts: indices None, references None, no query', () => {
    expect(p).toMatchObject({
      title: 'Unusual Linux Network Connection Discovery',
      anchor: 'unusual-linux-network-connection-discovery',
      packageVersion: null,
      ruleType: 'machine_learning',
      indices: null,
      severity: 'low',
      riskScore: 21,
      interval: '15m',
      from: 'now-45m',
      maxSignals: 100,
      references: null,
      version: 105,
      authors: ['Elastic'],
      license: 'Elastic License v2',
      query: null,
      querySpan: null,
    });
    expect(p.tags).toEqual(['Domain: Endpoint', 'OS: Linux', 'Use Case: Threat Detection', 'Rule Type: ML', 'Rule Type: Machine Learning', 'Tactic: Discovery', 'Resources: Investigation Guide']);
    expect(p.description.startsWith('Looks for commands related to system network connection discovery from an unusual user context.')).toBe(true);
  });
  it('guide and setup; the setup keeps its sub-sections; ATT&CK comes after the setup', () => {
    expect(p.investigationGuide!.startsWith('**Triage and analysis**\n\n[TBC: QUOTE]\n**Investigating Unusual Linux Network Connection Discovery**')).toBe(true);
    expect(p.setup!.startsWith('**Setup**\n\nThis rule requires the installation of associated Machine Learning jobs')).toBe(true);
    expect(p.setup).toContain('**Anomaly Detection Setup**');
    expect(p.setup).toContain('**Auditd Manager Integration Setup**');
    expect(p.setup!.endsWith('- For this detection rule no additional audit rules are required.')).toBe(true);
    expect(p.setup).not.toContain('**Framework**');
    expect(p.threat).toEqual([
      mitre(['TA0007', 'Discovery', 'https://attack.mitre.org/tactics/TA0007/'], [['T1049', 'System Network Connections Discovery', 'https://attack.mitre.org/techniques/T1049/', []]]),
    ]);
  });
});

describe.skipIf(!hasShared)('seed 002: System Network Connections Discovery (TOML rule of the rendered page)', () => {
  const path = join(rulesRoot, 'rules_building_block', 'discovery_system_network_connections.toml');
  const text = hasShared ? readFileSync(path, 'utf8') : '';
  const file = { path: 'rules_building_block/discovery_system_network_connections.toml', text, digest: '' };
  const built = hasShared ? assembleToml(decodeToml(file), file, { label: 'elastic' }) : { rule: null, diagnostics: [] };
  const r = built.rule!;

  it('builds without diagnostics', () => {
    expect(built.diagnostics).toEqual([]);
    expect(r).not.toBeNull();
  });
  it('identity, type, language, building block, severity, schedule', () => {
    expect(r).toMatchObject({
      id: 'e2dc8f8c-5f16-42fa-b49e-0eb8057f7444',
      name: 'System Network Connections Discovery',
      type: 'new_terms',
      language: 'kuery',
      maturity: 'production',
      deprecated: false,
      buildingBlock: true,
      buildingBlockType: 'default',
      severity: 'low',
      riskScore: 21,
      from: 'now-119m',
      interval: '60m',
      index: ['logs-endpoint.events.*'],
      timestampOverride: 'event.ingested',
      author: ['Elastic'],
      license: 'Elastic License v2',
      integrations: ['endpoint'],
      creationDate: '2023/07/11',
      updatedDate: '2026/03/24',
      description: 'Adversaries may attempt to get a listing of network connections to or from a compromised system.\n',
      extra: {},
    });
  });
  it('new terms fields and history window', () => {
    if (r.type !== 'new_terms') throw new Error(r.type);
    expect(r.newTerms).toEqual({ fields: ['process.parent.executable', 'process.command_line', 'host.id'], historyWindowStart: 'now-5d' });
  });
  it('tags', () => {
    expect(r.tags).toEqual(['Domain: Endpoint', 'OS: Linux', 'OS: macOS', 'Use Case: Threat Detection', 'Tactic: Discovery', 'Rule Type: BBR', 'Data Source: Elastic Defend']);
  });
  it('ATT&CK: T1016 and T1049 under TA0007 (tactic table after the techniques)', () => {
    expect(r.threat).toEqual([
      mitre(['TA0007', 'Discovery', 'https://attack.mitre.org/tactics/TA0007/'], [
        ['T1016', 'System Network Configuration Discovery', 'https://attack.mitre.org/techniques/T1016/', []],
        ['T1049', 'System Network Connections Discovery', 'https://attack.mitre.org/techniques/T1049/', []],
      ]),
    ]);
  });
  it('the query and its place in the file', () => {
    expect(r.query!.startsWith('event.category:process and host.os.type:(linux or macos) and event.type:start and event.action:exec and\n')).toBe(true);
    expect(r.query!.endsWith('process.working_directory:("/var/ossec" or "/usr/lib/check_mk_agent/plugins" or "/opt/microsoft/mdatp/sbin")\n)\n')).toBe(true);
    expect(r.querySource!.span).toEqual({ file: file.path, start: { offset: 801, line: 34, column: 1 }, end: { offset: 1390, line: 43, column: 1 } });
    expect(text.slice(801, 1390)).toBe(r.query);
    expect(r.querySource!.offsetTable).toBeUndefined();
    expect(r.span).toEqual({ file: file.path, start: { offset: 481, line: 20, column: 1 }, end: { offset: 529, line: 20, column: 49 } });
  });
  it('keeps the raw file: the "Rule body" the rendered page shows', () => {
    expect(r.rawToml).toBe(text);
    const page = seed('002').text;
    const body = page.slice(page.indexOf('Rule body elastic') + 'Rule body elastic'.length, page.indexOf('Stages and Predicates')).trim();
    expect(body).toBe(text.trim());
  });
});
