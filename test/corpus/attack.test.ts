/**
 * ATT&CK over the real data: the shared STIX bundle and the detection-rules corpus. Every count
 * the code produces is compared with one this test computes independently from the raw JSON
 * and the raw TOML (js-toml `load`), and the census figures are pinned.
 *
 * The rules given to src/attack are built here from js-toml directly, with exactly the fields
 * src/attack reads; the last test runs `ruledex attack` (through ingest) and compares.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-toml';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { run as runAttackCommand } from '../../src/cli/commands/attack';
import {
  ENTERPRISE_TACTICS,
  catalogLayers,
  checkRules,
  computeCoverage,
  coverageCsv,
  coverageReport,
  findNameConflicts,
  indexFromRules,
  readRedirectsText,
  readStixText,
  stixCounts,
  tomlThreatLocator,
  withRedirects,
  type AttackIndex,
  type NavigatorLayer,
} from '../../src/attack';
import type { Rule, ThreatEntry } from '../../src/model/rule';
import { attackBundle, hasShared, rulesRoot, walk } from '../helpers/shared';

const canRun = hasShared && existsSync(attackBundle);

type Raw = Record<string, unknown>;
type RawThreat = { framework: string; tactic: { id: string; name: string; reference: string }; technique?: { id: string; name: string; reference: string; subtechnique?: { id: string; name: string; reference: string }[] }[] };
type CorpusRule = Pick<Rule, 'id' | 'name' | 'slug' | 'threat' | 'maturity' | 'deprecated' | 'buildingBlock' | 'severity' | 'tags' | 'integrations' | 'type' | 'files' | 'span' | 'rawToml'>;

interface Loaded {
  file: string;
  doc: { rule: Raw; metadata?: Raw };
}

let loaded: Loaded[] = [];
let rules: CorpusRule[] = [];
let bundleJson: { objects: Raw[] };
let bundleIndex: AttackIndex;
let redirectMap: Record<string, string>;
let redirected: AttackIndex;

function toRule({ file, doc }: Loaded, text: string): CorpusRule {
  const r = doc.rule;
  const m = doc.metadata ?? {};
  const threat: ThreatEntry[] = ((r.threat ?? []) as RawThreat[]).map((e) => ({
    framework: e.framework,
    tactic: { ...e.tactic },
    techniques: (e.technique ?? []).map((t) => ({ id: t.id, name: t.name, reference: t.reference, subtechniques: (t.subtechnique ?? []).map((s) => ({ ...s })) })),
  }));
  const integration = m.integration;
  return {
    id: String(r.rule_id),
    name: String(r.name),
    slug: String(r.rule_id),
    threat,
    maturity: String(m.maturity),
    deprecated: m.maturity === 'deprecated',
    buildingBlock: r.building_block_type !== undefined,
    severity: String(r.severity),
    tags: (r.tags ?? []) as string[],
    integrations: typeof integration === 'string' ? [integration] : ((integration ?? []) as string[]),
    type: r.type as Rule['type'],
    files: [file],
    span: null,
    rawToml: text,
  };
}

/** Follows detection-rules' mapping to its end, independently of src/attack. */
function follow(id: string): string {
  let cur = id;
  for (let i = 0; i < 10 && redirectMap[cur] !== undefined; i++) cur = redirectMap[cur] as string;
  return cur;
}

describe.skipIf(!canRun)('ATT&CK on the shared bundle and the detection-rules corpus', () => {
  beforeAll(() => {
    const texts: string[] = [];
    for (const sub of ['rules', 'rules_building_block']) {
      for (const path of walk(join(rulesRoot, sub), '.toml')) {
        const text = readFileSync(path, 'utf8');
        loaded.push({ file: path.slice(rulesRoot.length + 1), doc: load(text) as Loaded['doc'] });
        texts.push(text);
      }
    }
    rules = loaded.map((l, i) => toRule(l, texts[i] as string));
    const bundleText = readFileSync(attackBundle, 'utf8');
    bundleJson = JSON.parse(bundleText) as { objects: Raw[] };
    const read = readStixText(bundleText, { file: attackBundle });
    expect(read.diagnostics).toEqual([]);
    if (!read.index) throw new Error('bundle unreadable');
    bundleIndex = read.index;
    const redirectsPath = join(rulesRoot, 'detection_rules', 'etc', 'attack-technique-redirects.json');
    const redirectsText = readFileSync(redirectsPath, 'utf8');
    redirectMap = (JSON.parse(redirectsText) as { mapping: Record<string, string> }).mapping;
    const red = readRedirectsText(redirectsText, redirectsPath);
    expect(red.diagnostics).toEqual([]);
    redirected = withRedirects(bundleIndex, red.redirects);
  });

  describe('the STIX bundle', () => {
    it('has the 14 enterprise tactics in matrix order, the same as the built-in fallback order', () => {
      expect(bundleIndex.tactics.map((t) => `${t.id} ${t.shortname} ${t.name}`)).toEqual([
        'TA0043 reconnaissance Reconnaissance',
        'TA0042 resource-development Resource Development',
        'TA0001 initial-access Initial Access',
        'TA0002 execution Execution',
        'TA0003 persistence Persistence',
        'TA0004 privilege-escalation Privilege Escalation',
        'TA0005 defense-evasion Defense Evasion',
        'TA0006 credential-access Credential Access',
        'TA0007 discovery Discovery',
        'TA0008 lateral-movement Lateral Movement',
        'TA0009 collection Collection',
        'TA0011 command-and-control Command and Control',
        'TA0010 exfiltration Exfiltration',
        'TA0040 impact Impact',
      ]);
      expect(bundleIndex.tactics).toEqual(ENTERPRISE_TACTICS);
      // Independently: the matrix's tactic_refs, mapped to the tactics' external ids.
      const matrix = bundleJson.objects.find((o) => o.type === 'x-mitre-matrix') as { tactic_refs: string[] };
      const tacticId = (stixId: string): string => {
        const o = bundleJson.objects.find((x) => x.id === stixId) as { external_references: { source_name: string; external_id: string }[] };
        return o.external_references.find((r) => r.source_name === 'mitre-attack')?.external_id ?? '';
      };
      expect(bundleIndex.tactics.map((t) => t.id)).toEqual(matrix.tactic_refs.map(tacticId));
    });

    it('has 679 techniques and sub-techniques: 211 + 468, every attack-pattern, all active (the subset has no revoked or deprecated objects)', () => {
      expect(stixCounts(bundleIndex)).toEqual({ objects: 679, tactics: 14, techniques: 211, subtechniques: 468, revoked: 0, deprecated: 0 });
      const patterns = bundleJson.objects.filter((o) => o.type === 'attack-pattern');
      const active = patterns.filter((o) => o.revoked !== true && o.x_mitre_deprecated !== true);
      expect([patterns.length, active.length, active.filter((o) => o.x_mitre_is_subtechnique === true).length]).toEqual([679, 679, 468]);
      expect(bundleIndex.version).toBe('17.1');
      expect(bundleIndex.redirects.size).toBe(0);
    });

    it('gives each technique the tactics of its kill-chain phases', () => {
      for (const o of bundleJson.objects.filter((x) => x.type === 'attack-pattern') as { external_references: { source_name: string; external_id: string }[]; kill_chain_phases: { phase_name: string }[] }[]) {
        const id = o.external_references.find((r) => r.source_name === 'mitre-attack')?.external_id ?? '';
        const t = bundleIndex.techniqueById.get(id);
        expect(t?.tactics.map((x) => bundleIndex.tacticById.get(x)?.shortname).sort()).toEqual(o.kill_chain_phases.map((p) => p.phase_name).sort());
      }
    });
  });

  describe('coverage counts equal those computed from the raw TOML', () => {
    it('tactics, techniques, sub-techniques, mapped and unmapped rules (census: 14, 168, 283, 2,114, 78)', () => {
      const tactics = new Set<string>(), techniques = new Set<string>(), subs = new Set<string>();
      let mapped = 0;
      for (const { doc } of loaded) {
        const threat = (doc.rule.threat ?? []) as RawThreat[];
        if (threat.length > 0) mapped++;
        for (const e of threat) {
          tactics.add(e.tactic.id);
          for (const t of e.technique ?? []) {
            techniques.add(t.id);
            for (const s of t.subtechnique ?? []) subs.add(s.id);
          }
        }
      }
      expect([loaded.length, tactics.size, techniques.size, subs.size, mapped, loaded.length - mapped]).toEqual([2192, 14, 168, 283, 2114, 78]);

      const cov = computeCoverage(rules, indexFromRules(rules), { resolveRedirects: false });
      expect([cov.totals.tactics, cov.totals.techniques, cov.totals.subtechniques, cov.mappedRules, cov.unmappedRules.length]).toEqual([tactics.size, techniques.size, subs.size, mapped, loaded.length - mapped]);
      expect(cov.techniques.filter((t) => !t.subtechnique).map((t) => t.id)).toEqual([...techniques].sort());
      expect(cov.techniques.filter((t) => t.subtechnique).map((t) => t.id)).toEqual([...subs].sort());
    });

    it('rules per tactic, per technique and per (technique, tactic), with production / building block / deprecated apart', () => {
      const perTactic = new Map<string, Set<string>>();
      const perTech = new Map<string, Set<string>>();
      const perPair = new Map<string, Set<string>>();
      const kinds = new Map<string, { production: number; buildingBlock: number; deprecated: number }>();
      const add = (m: Map<string, Set<string>>, k: string, id: string): void => {
        m.set(k, (m.get(k) ?? new Set()).add(id));
      };
      for (const { doc } of loaded) {
        const id = String(doc.rule.rule_id);
        for (const e of (doc.rule.threat ?? []) as RawThreat[]) {
          add(perTactic, e.tactic.id, id);
          for (const t of e.technique ?? []) {
            for (const x of [t.id, ...(t.subtechnique ?? []).map((s) => s.id)]) {
              add(perTech, x, id);
              add(perPair, `${x} ${e.tactic.id}`, id);
            }
          }
        }
      }
      const status = new Map(loaded.map(({ doc }) => [String(doc.rule.rule_id), doc.metadata?.maturity === 'deprecated' ? 'deprecated' : doc.rule.building_block_type !== undefined ? 'buildingBlock' : 'production'] as const));
      for (const [k, ids] of perTactic) {
        const c = { production: 0, buildingBlock: 0, deprecated: 0 };
        for (const id of ids) c[status.get(id) as keyof typeof c]++;
        kinds.set(k, c);
      }

      const cov = computeCoverage(rules, indexFromRules(rules), { resolveRedirects: false });
      expect(Object.fromEntries(cov.tactics.filter((t) => t.rules.length > 0).map((t) => [t.id, t.rules.length]))).toEqual(Object.fromEntries([...perTactic].map(([k, v]) => [k, v.size])));
      for (const t of cov.tactics) {
        if (t.rules.length === 0) continue;
        expect({ production: t.counts.production, buildingBlock: t.counts.buildingBlock, deprecated: t.counts.deprecated, other: t.counts.other }).toEqual({ ...kinds.get(t.id), other: 0 });
      }
      // The census's table 7.1.
      expect(cov.tactics.map((t) => `${t.id} ${t.rules.length}`)).toEqual([
        'TA0043 20', 'TA0042 11', 'TA0001 286', 'TA0002 534', 'TA0003 524', 'TA0004 384', 'TA0005 745',
        'TA0006 315', 'TA0007 219', 'TA0008 154', 'TA0009 122', 'TA0011 237', 'TA0010 93', 'TA0040 141',
      ]);
      expect(Object.fromEntries(cov.techniques.map((t) => [t.id, t.rules.length]))).toEqual(Object.fromEntries([...perTech].map(([k, v]) => [k, v.size])));
      expect(Object.fromEntries(cov.techniques.flatMap((t) => t.byTactic.map((p) => [`${t.id} ${p.tacticId}`, p.rules.length])))).toEqual(Object.fromEntries([...perPair].map(([k, v]) => [k, v.size])));
      expect(['T1059', 'T1078', 'T1218', 'T1059.004'].map((id) => cov.techniques.find((t) => t.id === id)?.rules.length)).toEqual([345, 216, 95, 162]);
    });

    it('covered and uncovered techniques per tactic against the bundle, redirects applied', () => {
      // Independently: (technique, tactic) pairs rules declare, each id taken through the redirect file.
      const declared = new Set<string>();
      const anyTactic = new Set<string>();
      for (const { doc } of loaded) {
        for (const e of (doc.rule.threat ?? []) as RawThreat[]) {
          for (const t of e.technique ?? []) {
            for (const x of [t.id, ...(t.subtechnique ?? []).map((s) => s.id)]) {
              declared.add(`${follow(x)} ${e.tactic.id}`);
              anyTactic.add(follow(x));
            }
          }
        }
      }
      const shortToId = new Map(bundleIndex.tactics.map((t) => [t.shortname, t.id] as const));
      const expected: string[] = [];
      for (const tactic of bundleIndex.tactics) {
        const members = (bundleJson.objects.filter((o) => o.type === 'attack-pattern') as { x_mitre_is_subtechnique: boolean; external_references: { source_name: string; external_id: string }[]; kill_chain_phases: { phase_name: string }[] }[])
          .filter((o) => o.kill_chain_phases.some((p) => shortToId.get(p.phase_name) === tactic.id))
          .map((o) => ({ id: o.external_references.find((r) => r.source_name === 'mitre-attack')?.external_id ?? '', sub: o.x_mitre_is_subtechnique }));
        const tech = members.filter((m) => !m.sub), sub = members.filter((m) => m.sub);
        const covered = (ms: { id: string }[]): number => ms.filter((m) => declared.has(`${m.id} ${tactic.id}`)).length;
        expected.push(`${tactic.id} ${covered(tech)}/${tech.length} ${covered(sub)}/${sub.length}`);
      }
      const cov = computeCoverage(rules, redirected);
      const got = cov.tactics.map((t) => `${t.id} ${t.techniques.covered}/${t.techniques.total} ${t.subtechniques.covered}/${t.subtechniques.total}`);
      expect(got).toEqual(expected);
      expect(got).toEqual([
        'TA0043 2/10 3/34', 'TA0042 5/8 6/39', 'TA0001 8/11 9/11', 'TA0002 14/16 20/27', 'TA0003 20/23 72/102', 'TA0004 14/14 57/94', 'TA0005 34/45 87/166',
        'TA0006 17/17 32/50', 'TA0007 28/33 9/14', 'TA0008 9/9 14/14', 'TA0009 16/17 11/23', 'TA0011 12/18 15/27', 'TA0010 8/9 8/10', 'TA0040 12/15 10/18',
      ]);
      for (const t of cov.tactics) expect(t.techniques.covered + t.techniques.uncovered.length).toBe(t.techniques.total);
      const uncovered = [...bundleIndex.techniqueById.keys()].filter((id) => !anyTactic.has(id));
      expect(cov.uncovered.map((u) => u.id)).toEqual(uncovered.sort());
      expect([cov.uncovered.length, cov.totals.coveredIndexTechniques, cov.totals.coveredIndexSubtechniques]).toEqual([232, 168, 279]);
      // T1547.011 (2 rules) is redirected to T1647; the 4 ids newer than v17.1 are outside the bundle.
      expect(cov.techniques.find((t) => t.id === 'T1647')?.redirectedFrom).toEqual(['T1547.011']);
      expect(cov.techniques.filter((t) => !t.known).map((t) => `${t.id} ${t.rules.length}`)).toEqual(['T1204.005 1', 'T1213.006 2', 'T1546.018 2']);
    });
  });

  describe('diagnostics', () => {
    it('reports the T1218 name clash between rules when no bundle is loaded, at the name line of each TOML', () => {
      expect(findNameConflicts(rules).map((c) => [c.id, c.names.map((n) => `${n.name} ×${n.rules.length}`)])).toEqual([['T1218', ['System Binary Proxy Execution ×93', 'Signed Binary Proxy Execution ×2']]]);
      const ds = checkRules(rules, indexFromRules(rules), { locate: tomlThreatLocator() });
      expect(ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
        'rules/_deprecated/defense_evasion_mshta_making_network_connections.toml:38:1 attack-name-conflict',
        'rules/_deprecated/execution_via_net_com_assemblies.toml:42:1 attack-name-conflict',
      ]);
      expect(ds[0]?.message).toBe('T1218 is named "Signed Binary Proxy Execution" here (2 rules) but "System Binary Proxy Execution" in 93 rules');
      // The line holds the name, as the raw text says.
      const text = rules.find((r) => r.files[0] === 'rules/_deprecated/defense_evasion_mshta_making_network_connections.toml')?.rawToml ?? '';
      expect(text.split('\n')[37]).toBe('name = "Signed Binary Proxy Execution"');
    });

    it('against the bundle: the T1218 names, revoked, unknown and misfiled ids', () => {
      const ds = checkRules(rules, redirected, { locate: tomlThreatLocator() });
      const summary = ds.map((d) => `${d.code} ${d.message.split(' ')[0]}`);
      const count = (s: string): number => summary.filter((x) => x === s).length;
      expect(ds.length).toBe(14);
      expect({
        'attack-name-mismatch T1218': count('attack-name-mismatch T1218'),
        'attack-name-mismatch T1497.003': count('attack-name-mismatch T1497.003'),
        'attack-unknown-technique T1546.018': count('attack-unknown-technique T1546.018'),
        'attack-unknown-technique T1213.006': count('attack-unknown-technique T1213.006'),
        'attack-unknown-technique T1204.005': count('attack-unknown-technique T1204.005'),
        'attack-revoked-technique T1547.011': count('attack-revoked-technique T1547.011'),
        'attack-tactic-mismatch T1647': count('attack-tactic-mismatch T1647'),
      }).toEqual({
        'attack-name-mismatch T1218': 2,
        'attack-name-mismatch T1497.003': 1,
        'attack-unknown-technique T1546.018': 4,
        'attack-unknown-technique T1213.006': 2,
        'attack-unknown-technique T1204.005': 1,
        'attack-revoked-technique T1547.011': 2,
        'attack-tactic-mismatch T1647': 2,
      });
      expect(ds.every((d) => d.line !== null && d.ruleId !== undefined)).toBe(true);
      expect(ds.find((d) => d.code === 'attack-revoked-technique')?.message).toBe('T1547.011 is revoked; replaced by T1647 (Plist File Modification) per detection-rules redirects');
    });
  });

  describe('Navigator layers', () => {
    /**
     * Required fields of the ATT&CK Navigator layer file format, version 4.5
     * (mitre-attack/attack-navigator, layers/spec/v4.5/layerformat.md, "Required? Yes"):
     * - layer: `name` (String), `domain` (String: "enterprise-attack", "mobile-attack", "ics-attack");
     * - Version object: `navigator` (String, at least "4.9.0"), `layer` (String, must be "4.5");
     * - Technique object: `techniqueID` (String, "T####" or "T####.###");
     * - Gradient object: `colors` (Array of String, at least two), `minValue`, `maxValue` (Number, max > min);
     * - LegendItem object: `label`, `color` (String);
     * - Metadata object: `name`, `value` (String), or a Divider object `divider` (Boolean);
     * - Link object: `label`, `url` (String, prefixed with a protocol), or a Divider object.
     * Optional fields, when present, must have the documented type (checked below for the ones written).
     */
    const DOMAINS = ['enterprise-attack', 'mobile-attack', 'ics-attack'];
    function requiredFieldProblems(layer: NavigatorLayer, tacticShortnames: Set<string>): string[] {
      const p: string[] = [];
      const l = layer as unknown as Record<string, unknown>;
      const isStr = (v: unknown): v is string => typeof v === 'string';
      if (!isStr(l.name) || l.name === '') p.push('name');
      if (!isStr(l.domain) || !DOMAINS.includes(l.domain)) p.push('domain');
      const v = l.versions as Record<string, unknown> | undefined;
      if (v !== undefined) {
        if (!isStr(v.navigator) || !/^\d+\.\d+\.\d+$/.test(v.navigator) || Number(v.navigator.split('.')[0]) < 4 || (Number(v.navigator.split('.')[0]) === 4 && Number(v.navigator.split('.')[1]) < 9)) p.push('versions.navigator');
        if (v.layer !== '4.5') p.push('versions.layer');
        if (v.attack !== undefined && !isStr(v.attack)) p.push('versions.attack');
      }
      const metaOk = (m: Record<string, unknown>): boolean => (isStr(m.name) && isStr(m.value)) || typeof m.divider === 'boolean';
      const linkOk = (m: Record<string, unknown>): boolean => (isStr(m.label) && isStr(m.url) && /^[a-z][a-z0-9+.-]*:\/\//i.test(m.url)) || typeof m.divider === 'boolean';
      if (!Array.isArray(l.techniques)) p.push('techniques');
      for (const t of (l.techniques ?? []) as Record<string, unknown>[]) {
        if (!isStr(t.techniqueID) || !/^T\d{4}(\.\d{3})?$/.test(t.techniqueID)) p.push(`techniqueID ${String(t.techniqueID)}`);
        if (t.tactic !== undefined && (!isStr(t.tactic) || !tacticShortnames.has(t.tactic))) p.push(`tactic ${String(t.tactic)}`);
        if (t.score !== undefined && typeof t.score !== 'number') p.push('score');
        if (t.comment !== undefined && !isStr(t.comment)) p.push('comment');
        if (t.enabled !== undefined && typeof t.enabled !== 'boolean') p.push('enabled');
        for (const m of (t.metadata ?? []) as Record<string, unknown>[]) if (!metaOk(m)) p.push('technique metadata');
        for (const m of (t.links ?? []) as Record<string, unknown>[]) if (!linkOk(m)) p.push('technique link');
      }
      const g = l.gradient as Record<string, unknown> | undefined;
      if (g !== undefined) {
        if (!Array.isArray(g.colors) || g.colors.length < 2 || !g.colors.every(isStr)) p.push('gradient.colors');
        if (typeof g.minValue !== 'number' || typeof g.maxValue !== 'number' || !(g.maxValue > g.minValue)) p.push('gradient.minValue/maxValue');
      }
      for (const li of (l.legendItems ?? []) as Record<string, unknown>[]) if (!isStr(li.label) || !isStr(li.color)) p.push('legendItems');
      for (const m of (l.metadata ?? []) as Record<string, unknown>[]) if (!metaOk(m)) p.push('metadata');
      for (const m of (l.links ?? []) as Record<string, unknown>[]) if (!linkOk(m)) p.push('links');
      if (l.sorting !== undefined && ![0, 1, 2, 3].includes(l.sorting as number)) p.push('sorting');
      if (l.hideDisabled !== undefined && typeof l.hideDisabled !== 'boolean') p.push('hideDisabled');
      const f = l.filters as Record<string, unknown> | undefined;
      if (f !== undefined && (!Array.isArray(f.platforms) || !f.platforms.every(isStr))) p.push('filters.platforms');
      return p;
    }

    it('the catalog and every facet layer (OS, integration, rule type) have the fields the layer format requires', () => {
      const url = (id: string): string => `https://ruledex.example/techniques/${id}/`;
      const files = catalogLayers(rules, redirected, { techniqueUrl: url });
      const os = new Set<string>(), integrations = new Set<string>(), types = new Set<string>();
      for (const { doc } of loaded) {
        for (const tag of (doc.rule.tags ?? []) as string[]) if (tag.startsWith('OS: ')) os.add(tag.slice(4));
        const i = doc.metadata?.integration;
        for (const x of typeof i === 'string' ? [i] : ((i ?? []) as string[])) integrations.add(x);
        types.add(String(doc.rule.type));
      }
      expect([os.size, integrations.size, types.size]).toEqual([3, 55, 7]);
      expect(files.length).toBe(1 + os.size + integrations.size + types.size);
      const shortnames = new Set(bundleIndex.tactics.map((t) => t.shortname));
      for (const f of files) {
        const roundTrip = JSON.parse(JSON.stringify(f.layer)) as NavigatorLayer;
        expect({ key: f.key, problems: requiredFieldProblems(roundTrip, shortnames) }).toEqual({ key: f.key, problems: [] });
        expect(roundTrip.versions).toEqual({ attack: '17', navigator: '5.2.0', layer: '4.5' });
      }
      expect(files.map((f) => f.key).slice(0, 4)).toEqual(['all', 'os-windows', 'os-linux', 'os-macos']);
      expect(files.find((f) => f.key === 'os-macos')?.layer.filters).toEqual({ platforms: ['macOS'] });

      // The whole-catalog layer: one entry per (technique, tactic) pair with a non-deprecated rule; score = those rules.
      const all = files[0]?.layer;
      const cov = computeCoverage(rules, redirected);
      const pairs = cov.techniques.flatMap((t) => t.byTactic.filter((p) => p.rules.some((r) => r.status !== 'deprecated')).map((p) => ({ t, p })));
      expect(all?.techniques.length).toBe(pairs.length);
      expect(all?.techniques.length).toBe(553);
      const t1218 = all?.techniques.find((t) => t.techniqueID === 'T1218' && t.tactic === 'defense-evasion');
      expect([t1218?.score, t1218?.comment.split('\n').length, t1218?.links]).toEqual([93, 94, [{ label: 'T1218 System Binary Proxy Execution in the catalog', url: 'https://ruledex.example/techniques/T1218/' }]]);
    });

    it('is deterministic: the same rules in another order give byte-identical layers and CSV', () => {
      const url = (id: string): string => `https://ruledex.example/t/${id}`;
      const a = catalogLayers(rules, redirected, { techniqueUrl: url, facets: ['os'] });
      const b = catalogLayers([...rules].reverse(), redirected, { techniqueUrl: url, facets: ['os'] });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(coverageCsv(computeCoverage([...rules].reverse(), redirected))).toBe(coverageCsv(computeCoverage(rules, redirected)));
    });

    it('the CSV has one row per declared (tactic, technique) pair and per uncovered bundle pair', () => {
      const cov = computeCoverage(rules, redirected);
      const csv = coverageCsv(cov).trimEnd().split('\n');
      const declared = new Set(cov.techniques.flatMap((t) => t.byTactic.map((p) => `${p.tacticId} ${t.id}`)));
      const bundlePairs = new Set(bundleIndex.techniques.flatMap((t) => t.tactics.map((x) => `${x} ${t.id}`)));
      const union = new Set([...declared, ...bundlePairs]);
      expect(csv.length - 1).toBe(union.size);
      expect(csv[0]).toBe('tactic_id,tactic,technique_id,technique,subtechnique,parent_id,in_attack,rules,production,building_block,deprecated,other,low,medium,high,critical,rule_names');
    });
  });

  describe('without a bundle', () => {
    it('redirects apply to the rules-built index too: T1547.011 counts as T1647', () => {
      const red = readRedirectsText(readFileSync(join(rulesRoot, 'detection_rules', 'etc', 'attack-technique-redirects.json'), 'utf8'), 'r.json');
      const cov = computeCoverage(rules, withRedirects(indexFromRules(rules), red.redirects));
      const techniques = new Set<string>(), subs = new Set<string>();
      for (const { doc } of loaded) {
        for (const e of (doc.rule.threat ?? []) as RawThreat[]) {
          for (const t of e.technique ?? []) {
            for (const x of [t.id, ...(t.subtechnique ?? []).map((s) => s.id)]) (follow(x).includes('.') ? subs : techniques).add(follow(x));
          }
        }
      }
      expect([cov.totals.techniques, cov.totals.subtechniques]).toEqual([techniques.size, subs.size]);
      expect([cov.totals.techniques, cov.totals.subtechniques, cov.uncovered.length]).toEqual([168, 282, 0]);
    });
  });

  describe('ruledex attack', () => {
    it('prints the corpus coverage against the bundle (covered and uncovered per tactic) and writes a layer and CSV', async () => {
      const out = mkdtempSync(join(tmpdir(), 'ruledex-attack-'));
      const printed: string[] = [];
      const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
      const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(`${a.join(' ')}\n`));
      const errors: string[] = [];
      const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
      let code: number;
      try {
        code = await runAttackCommand(['--source', rulesRoot, '--attack', attackBundle, '--layer', join(out, 'layer.json'), '--csv', join(out, 'coverage.csv'), '--quiet']);
      } finally {
        stdout.mockRestore();
        log.mockRestore();
        err.mockRestore();
      }
      try {
        expect(code).toBe(0);
        const text = printed.join('');
        // The same report, computed from the js-toml rules, with the heading the command gives.
        const against = `ATT&CK 17.1 from ${attackBundle}: 14 tactics, 211 techniques, 468 sub-techniques; 132 detection-rules technique redirects`;
        expect(text.startsWith(coverageReport(computeCoverage(rules, redirected), { against, filters: [] }))).toBe(true);
        expect(text).toContain('TA0005 Defense Evasion         745   676  49    20       34/45         11          87/166         79');
        expect(text).toContain('all tactics (distinct)       2,114                     168/211         43         279/468        189');
        // --quiet: only the count line (ingest's own diagnostics are its business, so only matched loosely).
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/^ATT&CK checks: 0 error\(s\), 14 warning\(s\)(; ingest reported \d+ diagnostic\(s\), not listed here)?\.$/);
        const layer = JSON.parse(readFileSync(join(out, 'layer.json'), 'utf8')) as NavigatorLayer;
        expect([layer.name, layer.techniques.length, layer.techniques.find((t) => t.techniqueID === 'T1059' && t.tactic === 'execution')?.links]).toEqual([
          'Ruledex: all rules',
          553,
          [{ label: 'T1059 Command and Scripting Interpreter in the catalog', url: 'https://attack.mitre.org/techniques/T1059/' }],
        ]);
        expect(readFileSync(join(out, 'coverage.csv'), 'utf8')).toBe(coverageCsv(computeCoverage(rules, redirected)));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
});
