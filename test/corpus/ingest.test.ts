/**
 * Whole-corpus ingest: every TOML rule of Elastic's detection-rules and every rule page of the
 * security-docs sample, with zero errors; the decoders' fast paths equal their plain paths on
 * every file; query spans point at the queries; and for every rule present in both formats,
 * TOML and markdown agree on name, type, severity, risk score, query and ATT&CK ids, or the
 * difference is reported. That last check is done independently of `merge.ts`: facts are read
 * off the raw page text with regular expressions and off the TOML with js-toml directly.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { load } from 'js-toml';
import { describe, expect, it } from 'vitest';
import { decodeToml } from '../../src/ingest/decode-toml';
import { decodeTomlFast } from '../../src/ingest/toml-fast';
import { loadSources, type LoadResult } from '../../src/ingest/load';
import { hostOffset } from '../../src/model/span';
import { docsRoot, hasShared, rulesRoot, walk } from '../helpers/shared';

interface TomlThreat {
  tactic?: { id?: string };
  technique?: { id?: string; subtechnique?: { id?: string }[] }[];
}
interface TomlDoc {
  rule: { name: string; type: string; severity: string; risk_score: number; query?: string; threat?: TomlThreat[] };
}

/** What a page says, read with regular expressions (not remark). */
interface PageFacts {
  path: string;
  packageVersion: number[] | null;
  title: string;
  type: string | null;
  severity: string | null;
  risk: number | null;
  query: string | null;
  attack: string[];
}

function pageFacts(path: string): PageFacts {
  const text = readFileSync(path, 'utf8');
  const fact = (label: string): string | null => new RegExp(`^\\*\\*${label}\\*\\*: (.*)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  const pv = /^prebuilt-rule-(\d+)-(\d+)-(\d+)-/.exec(basename(path));
  const fw = text.indexOf('**Framework**');
  const attack = fw < 0 ? [] : [...text.slice(fw).matchAll(/^\s*\* ID: (\S+)\s*$/gm)].map((m) => m[1]!);
  const risk = fact('Risk score');
  return {
    path,
    packageVersion: pv ? [Number(pv[1]), Number(pv[2]), Number(pv[3])] : null,
    title: /^# (.*?) \[[^\]]+\]\s*$/m.exec(text)?.[1] ?? '',
    type: fact('Rule type'),
    severity: fact('Severity'),
    risk: risk === null ? null : Number(risk),
    query: /^```js\n([\s\S]*?)\n```$/m.exec(text)?.[1] ?? null,
    attack: [...new Set(attack)].sort(),
  };
}

const normalise = (q: string | null | undefined): string | null => (q == null ? null : q.replace(/\s+/g, ' ').replace(/ ?([()[\]{},]) ?/g, '$1').trim());

function tomlAttack(threat: TomlThreat[] | undefined): string[] {
  const ids: string[] = [];
  for (const t of threat ?? []) {
    if (t.tactic?.id) ids.push(t.tactic.id);
    for (const te of t.technique ?? []) {
      if (te.id) ids.push(te.id);
      for (const st of te.subtechnique ?? []) if (st.id) ids.push(st.id);
    }
  }
  return [...new Set(ids)].sort();
}

function newestPage(pages: PageFacts[]): PageFacts {
  const current = pages.filter((p) => p.packageVersion === null);
  if (current.length > 0) return current.sort((a, b) => (a.path < b.path ? -1 : 1))[current.length - 1]!;
  return [...pages].sort((a, b) => {
    for (let i = 0; i < 3; i++) if (a.packageVersion![i] !== b.packageVersion![i]) return a.packageVersion![i]! - b.packageVersion![i]!;
    return a.path < b.path ? -1 : 1;
  })[pages.length - 1]!;
}

describe.skipIf(!hasShared)('ingest of the whole corpus (detection-rules + security-docs)', () => {
  let loaded: LoadResult;
  const ready = (async () => {
    loaded = await loadSources([rulesRoot, docsRoot], { workers: 0 });
  })();

  it('reads every TOML rule and every markdown rule page, with zero errors', async () => {
    await ready;
    const { result, read } = loaded;
    expect(read.unreadable).toEqual([]);
    expect(read.roots.map((r) => r.kind)).toEqual(['detection-rules', 'plain']);
    const tomlPaths = [...walk(`${rulesRoot}/rules`, '.toml'), ...walk(`${rulesRoot}/rules_building_block`, '.toml')];
    expect(tomlPaths).toHaveLength(2192);
    expect(result.stats.tomlFiles).toBe(2192);
    const fromToml = result.rules.filter((r) => r.rawToml !== null);
    expect(fromToml).toHaveLength(2192);
    expect(new Set(fromToml.map((r) => r.files[0])).size).toBe(2192);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);

    // Every page that states a rule type is a rule page, and each one ends up in some rule.
    const rulePages = walk(docsRoot, '.md').filter((p) => /^\*\*Rule type\*\*:/m.test(readFileSync(p, 'utf8')));
    expect(rulePages).toHaveLength(198);
    expect(result.stats.markdownRulePages).toBe(198);
    const inRules = new Set(result.rules.flatMap((r) => r.files.filter((f) => f.endsWith('.md'))));
    expect(rulePages.filter((p) => !inRules.has(p))).toEqual([]);
    // The other markdown files are skipped with an info diagnostic, nothing more.
    const skipped = result.diagnostics.filter((d) => d.code === 'markdown-not-a-rule').map((d) => basename(d.file));
    expect(skipped.sort()).toEqual(
      [
        'README.md',
        'SOURCE.md',
        'all-versions.md',
        'index.md',
        'prebuilt-rule-0-13-1-prebuilt-rules-0-13-1-appendix.md',
        'prebuilt-rule-8-17-1-prebuilt-rules-8-17-1-appendix.md',
        'prebuilt-rule-8-17-1-prebuilt-rules-8-17-1-summary.md',
        'prebuilt-rule-8-17-2-prebuilt-rules-8-17-2-summary.md',
        'prebuilt-rule-8-17-3-prebuilt-rules-8-17-3-summary.md',
      ].sort(),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'info')).toHaveLength(9);
  });

  it('has the census counts by type, language, maturity and building block', async () => {
    await ready;
    const toml = loaded.result.rules.filter((r) => r.rawToml !== null);
    const count = (key: (r: (typeof toml)[number]) => string): Record<string, number> => {
      const m: Record<string, number> = {};
      for (const r of toml) m[key(r)] = (m[key(r)] ?? 0) + 1;
      return m;
    };
    expect(count((r) => r.type)).toEqual({ eql: 1081, query: 508, new_terms: 245, esql: 212, machine_learning: 106, threshold: 31, threat_match: 9 });
    expect(count((r) => r.language ?? 'none')).toEqual({ eql: 1081, kuery: 792, esql: 212, none: 106, lucene: 1 });
    expect(count((r) => r.maturity)).toEqual({ production: 2068, deprecated: 124 });
    expect(toml.filter((r) => r.deprecated)).toHaveLength(124);
    expect(toml.filter((r) => r.buildingBlock)).toHaveLength(133);
    expect(toml.filter((r) => r.threat.length > 0)).toHaveLength(2114);
    // Every rule in the version lock takes its version; the four rules it lacks have none.
    expect(toml.filter((r) => r.version === null).map((r) => basename(r.files[0]!)).sort()).toEqual([
      'defense_evasion_execution_followed_by_self_deletion.toml',
      'execution_payload_downloaded_by_curl_wget_and_piped_to_interpreter.toml',
      'execution_suspicious_process_execution_by_zoom.toml',
      'persistence_tainted_kernel_module_loaded.toml',
    ]);
    expect(Object.keys(loaded.result.attackRedirects).length).toBeGreaterThan(50);
    expect(loaded.result.attackRedirects.T1086).toBe('T1059.001');
  });

  it('keeps every key: nothing of the corpus lands in extra', async () => {
    await ready;
    const withExtra = loaded.result.rules.filter((r) => r.rawToml !== null && Object.keys(r.extra).length > 0);
    expect(withExtra.map((r) => [r.files[0], Object.keys(r.extra)])).toEqual([]);
  });

  it('gives unique, safe slugs', async () => {
    await ready;
    const slugs = loaded.result.rules.map((r) => r.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs.filter((s) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s) || s.length > 80)).toEqual([]);
  });

  it('places every query and every rule: the span text is the query, the rule span the rule_id line', async () => {
    await ready;
    const bad: string[] = [];
    for (const r of loaded.result.rules) {
      if (r.rawToml === null) continue;
      expect(r.span).not.toBeNull();
      if (!r.rawToml.slice(r.span!.start.offset, r.span!.end.offset).startsWith('rule_id')) bad.push(`${r.files[0]}: rule span`);
      const sources = [r.querySource, r.type === 'threat_match' ? r.threatMatch.querySource : null];
      for (const q of sources) {
        if (!q) continue;
        const origin = { file: q.span!.file, base: q.span!.start.offset, ...(q.offsetTable ? { table: q.offsetTable } : {}) };
        let rebuilt = '';
        if (q.offsetTable) {
          // Each decoded character sits at its table offset (or is the escape starting there).
          for (let i = 0; i < q.text.length; i++) if (r.rawToml[hostOffset(origin, i)] !== q.text[i] && r.rawToml[hostOffset(origin, i)] !== '\\') bad.push(`${r.files[0]}: char ${i}`);
          rebuilt = q.text;
        } else rebuilt = r.rawToml.slice(q.span!.start.offset, q.span!.end.offset);
        if (rebuilt !== q.text) bad.push(`${r.files[0]}: query span`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('for every rule in both formats, agreement or a source-mismatch warning per field', async () => {
    await ready;
    const { result } = loaded;
    const mismatches = result.diagnostics.filter((d) => d.code === 'source-mismatch');
    const both = result.rules.filter((r) => r.rawToml !== null && r.files.some((f) => f.endsWith('.md')));
    expect(both.length).toBe(result.stats.merged);
    expect(both.length).toBeGreaterThan(140);
    let compared = 0;
    let disagreements = 0;
    for (const r of both) {
      const toml = load(r.rawToml!) as unknown as TomlDoc;
      const pages = r.files.filter((f) => f.endsWith('.md')).map(pageFacts);
      const page = newestPage(pages);
      const fields: [string, unknown, unknown][] = [
        ['name', page.title, toml.rule.name],
        ['type', page.type, toml.rule.type],
        ['severity', page.severity, toml.rule.severity],
        ['risk score', page.risk, toml.rule.risk_score],
        ['query', normalise(page.query), normalise(toml.rule.query)],
        ['ATT&CK ids', page.attack.join(','), tomlAttack(toml.rule.threat).join(',')],
      ];
      for (const [field, md, tm] of fields) {
        compared++;
        const reported = mismatches.filter((d) => d.ruleId === r.id && d.file === page.path && d.message.startsWith(`markdown and TOML disagree on ${field}:`));
        if (isDeepStrictEqual(md, tm)) expect(reported, `${r.id} ${field}`).toEqual([]);
        else {
          disagreements++;
          expect(reported, `${page.path}: ${field} ${JSON.stringify(md)} vs ${JSON.stringify(tm)}`).toHaveLength(1);
        }
      }
      // Pages are matched by name: the page's title and the TOML name (or one of its earlier names) agree once normalised.
      const key = (s: string): string => s.toLowerCase().replace(/^deprecated - /, '').replace(/[^a-z0-9]+/g, '-');
      const previous = loaded.result.etc.versionLock[r.id]?.previousNames ?? [];
      expect([toml.rule.name, ...previous].map(key).some((k) => pages.some((p) => key(p.title) === k || basename(p.path).endsWith(`${k}.md`))), r.id).toBe(true);
    }
    // Every warning is accounted for by the check above; none on older pages.
    expect(mismatches).toHaveLength(disagreements);
    expect(compared).toBe(both.length * 6);
  });

  it('decodes every TOML file on the fast paths exactly as js-toml does on the whole text', async () => {
    await ready;
    const differ: string[] = [];
    let files = 0;
    let hand = 0;
    let handPlaces = 0;
    for (const f of loaded.read.files) {
      if (!f.path.endsWith('.toml')) continue;
      files++;
      const plain = decodeToml(f, { plain: true });
      // The hand-written decoder on its own: js-toml's document, tables without prototype included.
      const fast = decodeTomlFast(f.text);
      if (fast) {
        hand++;
        if (fast.values) handPlaces++;
        if (!isDeepStrictEqual(fast.doc, plain.doc)) differ.push(`${f.path} (hand-written decoder)`);
      }
      // decodeToml as ingest runs it (document, locations, diagnostics), and the placeholder path behind it.
      if (!isDeepStrictEqual(decodeToml(f), plain)) differ.push(`${f.path} (decodeToml)`);
      if (!isDeepStrictEqual(decodeToml(f, { hand: false }), plain)) differ.push(`${f.path} (placeholder path)`);
    }
    expect(differ).toEqual([]);
    // Every rule file takes the hand-written path, and none needs quickScan for its places.
    expect({ files, hand, handPlaces }).toEqual({ files: 2192, hand: 2192, handPlaces: 2192 });
  });

  // Markdown: the fast path against remark on every page is test/corpus/markdown.test.ts.
});
