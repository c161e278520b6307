import { describe, expect, it } from 'vitest';
import { evaluateRule } from '../../../src/eval/rules';
import { parseEventsText } from '../../../src/eval/limits';
import { synthesizeExamples } from '../../../src/eval/examples/index';
import type { Rule } from '../../../src/model/rule';
import { BODY_PREVIEW, MAX_INLINE_BODY, previewLines, rulePage, utf8Length } from '../../../src/views/rule-page';
import { MAX_ROW_VALUES, MAX_TABLE_ROWS, MAX_TABLE_VALUES, MIN_ROW_VALUES, rowsTableHtml } from '../../../src/views/fragments';
import { exampleModel, IDS } from './fixture';

const model = await exampleModel();
const rule = (id: string) => {
  const r = model.byId.get(id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

describe('rule page of an EQL sequence (seed 002 layout)', () => {
  const r = rule(IDS.osascriptSequence);
  const examples = synthesizeExamples(r, { now: model.now });
  const v = rulePage(model, r, { examples });

  it('has canonical URL, breadcrumb and meta description under the base path', () => {
    expect(v.meta.path).toBe('/catalog/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/');
    expect(v.meta.canonical).toBe('/catalog/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/');
    expect(v.meta.breadcrumb).toEqual([
      { label: 'Detection rules', href: '/catalog/rules/' },
      { label: 'Elastic', href: null },
    ]);
    expect(v.meta.description.startsWith('Looks for an AppleScript interpreter (osascript) that starts')).toBe(true);
    expect(v.meta.description.length).toBeLessThanOrEqual(200);
  });

  it('lists the facts of the seed page', () => {
    expect(v.status).toBe('production');
    expect(v.kind).toBe('rule');
    expect(v.severity).toBe('medium');
    expect(v.riskScore).toBe(47);
    expect(v.facts.map((f) => `${f.label}: ${f.value}`)).toEqual([
      'Type: EQL',
      'Time window: 9m',
      'Group by: host.id, process.entity_id',
      'Author: Ruledex Examples',
      'Source: Elastic',
      'License: Apache License 2.0',
      'Indices: logs-endpoint.events.process-*, logs-endpoint.events.network-*',
      'Created: 2025-02-03',
      'Updated: 2025-05-20',
    ]);
  });

  it('links ATT&CK coverage to technique and tactic pages', () => {
    expect(v.attack.map((e) => [e.tactic.href, e.techniques.map((t) => [t.href, t.subtechniques.map((s) => s.href)])])).toEqual([
      ['/catalog/attack/tactics/TA0002/', [['/catalog/attack/techniques/T1059/', ['/catalog/attack/techniques/T1059.002/']]]],
      ['/catalog/attack/tactics/TA0011/', [['/catalog/attack/techniques/T1105/', []]]],
    ]);
  });

  it('shows each stage with its facts and predicates by role', () => {
    expect(v.stages.map((s) => s.title)).toEqual(['Stage 1: sequence term 1', 'Stage 2: sequence term 2', 'Stage 3: until']);
    expect(v.stages[1]?.facts.map((f) => `${f.label}=${f.value}`)).toEqual(['Sequence by=host.id', 'Term by=process.entity_id', 'Max span=2m', 'Runs=3']);
    expect(v.stages[0]?.predicates.map((p) => `${p.role} ${p.text}`)).toEqual([
      'indicator event.category == "process"',
      'scope host.os.type == "macos"',
      'indicator event.type == "start"',
      'indicator process.name == "osascript"',
      'exclusion process.parent.executable like "/Library/Application Support/ExampleMDM/*"',
    ]);
    // The stage's text is the printed term with its predicates marked.
    expect(v.stages[0]?.html).toContain('<span class="p p-exclusion" title="exclusion"><span class="t-fld">process.parent.executable</span>');
    expect(v.query?.html).toContain('<span class="t-kw">sequence</span> <span class="t-kw">by</span> <span class="t-fld">host.id</span>');
  });

  it('has exclusions and indicators with corpus counts and field links', () => {
    expect(v.exclusions.map((r) => [r.field, r.fieldHref, r.kind, r.values.map((x) => `${x.value}:${x.corpus}`)])).toEqual([
      ['destination.ip', '/catalog/fields/destination.ip/', 'cidr', ['10.0.0.0/8:2', '127.0.0.0/8:1', '172.16.0.0/12:2', '192.168.0.0/16:2']],
      ['process.parent.executable', '/catalog/fields/process.parent.executable/', 'starts_with', ['/Library/Application Support/ExampleMDM/:1']],
    ]);
    expect(v.indicators.map((r) => `${r.field} ${r.kind} ${r.values.map((x) => `${x.value}:${x.corpus}`).join(',')}`)).toEqual([
      'event.category eq network:3',
      'event.category eq process:6',
      'event.type eq start:6',
      'process.name eq osascript:2',
    ]);
    expect(v.scope.map((r) => `${r.field} ${r.values[0]?.value} excluded=${r.excluded}`)).toEqual(['host.os.type macos excluded=false']);
  });

  it('prepares the evaluator with the printed query and an example the rule fires on', () => {
    const ev = v.evaluator;
    expect(ev?.shape).toBe('sequence');
    expect(ev?.language).toBe('eql');
    expect(ev?.now).toBe(Date.parse('2025-06-11T12:00:00Z'));
    const shipped = JSON.parse(ev?.ruleJson ?? '{}') as Rule;
    // The page ships the rule without its query: the client takes the printed query from the page.
    expect(shipped.query).toBe(null);
    expect(Object.keys(shipped).sort()).toEqual(['eventCategoryOverride', 'filters', 'id', 'language', 'name', 'query', 'tiebreakerField', 'timestampOverride', 'type']);
    const evalRule = { ...shipped, query: ev?.printed } as Rule;
    expect(v.query?.html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"')).toBe(ev?.printed);
    const events = parseEventsText(ev?.events ?? '');
    expect(events.ok && events.events.length).toBe(4);
    if (!events.ok) return;
    expect(evaluateRule(evalRule, { events: events.events }, { now: ev?.now as number }).fired).toBe(true);
    // Editing the join key of one event breaks the sequence.
    const edited = (ev?.events ?? '').replace('"id":"example-id"', '"id":"another-host"');
    const e2 = parseEventsText(edited);
    expect(e2.ok && evaluateRule(evalRule, { events: e2.events }, { now: ev?.now as number }).fired).toBe(false);
    expect(ev?.nearMissNote).toBe('stage 1: exclusion triggered: process.parent.executable like …');
    expect([ev?.nearMiss, ev?.external, ev?.examplesHref]).toEqual([true, false, '/catalog/api/examples/dda66a87-5a09-42cd-a0e1-f755ece2bbf2.json']);
  });

  it('has the rule body, similar rules and tags with links', () => {
    expect(v.body?.file).toBe('content/rules/macos/execution_osascript_followed_by_download.toml');
    expect(v.body?.html).toContain('<span class="t-sec">[metadata]</span>');
    expect(v.similar.map((s) => [s.name, s.href, s.score])).toEqual([
      ['First Time Seen Executable Started by the SSH Daemon', '/catalog/rules/56e3acea-586b-4a8c-bec4-b9bbe5683d1a/', 0.4],
      ['Deprecated - Windows Event Log Cleared with wevtutil', '/catalog/rules/92461a6d-3240-4f15-b2b2-c595107351bf/', 0.2857],
      ['Account Context Enumeration with whoami', '/catalog/rules/777e0dc6-1f9d-4c97-a653-482173258e43/', 0.2222],
      ['Shell Spawned by a Web Server Process', '/catalog/rules/c5cb9a9c-7295-4bd3-8a7a-8508d7323a84/', 0.1538],
      ['Encoded PowerShell Command Line', '/catalog/rules/9655c95e-1e73-4bae-9a9a-0d49db8249dd/', 0.1429],
    ]);
    expect(v.tags.slice(0, 2)).toEqual([
      { label: 'Domain: Endpoint', href: '/catalog/tags/domain-endpoint/' },
      { label: 'OS: macOS', href: '/catalog/tags/os-macos/' },
    ]);
    expect(v.apiHref).toBe('/catalog/api/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2.json');
  });
});

describe('large examples', () => {
  it('are served apart from the page', () => {
    const r = rule(IDS.osascriptSequence);
    const ex = synthesizeExamples(r, { now: model.now });
    if (!ex.ok) throw new Error(ex.reason);
    const many = { ...ex, examples: { ...ex.examples, example: { events: Array.from({ length: 200 }, () => ex.examples.example.events[0]) } } };
    const ev = rulePage(model, r, { examples: many }).evaluator;
    expect([ev?.external, ev?.events, ev?.examplesHref]).toEqual([true, '', '/catalog/api/examples/dda66a87-5a09-42cd-a0e1-f755ece2bbf2.json']);
    expect(ev?.exampleBytes).toBeGreaterThan(12_000);
  });
});

describe('other kinds of rule', () => {
  it('a new_terms rule: group by and stage facts', () => {
    const v = rulePage(model, rule(IDS.sshNewTerms));
    expect(v.facts.find((f) => f.label === 'Group by')?.value).toBe('host.id, process.executable');
    expect(v.stages.map((s) => [s.title, s.facts.map((f) => `${f.label}=${f.value}`), s.html])).toEqual([
      ['Stage 1: new_terms', ['New terms=host.id, process.executable', 'History since=now-10d'], null],
    ]);
    expect(v.evaluator?.history).toBe('[]');
  });

  it('a building block says so', () => {
    const v = rulePage(model, rule(IDS.buildingBlock));
    expect([v.kind, v.kindNote, v.buildingBlock]).toEqual(['building block', 'feeds higher-level correlation rules; not a standalone alert', true]);
  });

  it('a deprecated rule shows its deprecation', () => {
    const v = rulePage(model, rule(IDS.deprecatedWevtutil));
    expect(v.deprecated).toEqual({ date: '2025-01-30', reason: "Replaced by an EQL rule that also covers PowerShell's Clear-EventLog." });
    expect(v.status).toBe('deprecated');
  });

  it('a machine learning rule has no query and no evaluator', () => {
    const v = rulePage(model, rule(IDS.mlEgress));
    expect(v.query).toBe(null);
    expect(v.evaluator).toBe(null);
    expect(v.stages.map((s) => [s.title, s.facts.map((f) => `${f.label}=${f.value}`)])).toEqual([
      ['Machine learning job', ['Jobs=ruledex_high_egress_bytes_by_host, ruledex_high_egress_bytes_by_process', 'Anomaly threshold=70']],
    ]);
  });

  it('a markdown-only rule has no TOML body but a version history', () => {
    const v = rulePage(model, rule(IDS.launchAgentMd));
    expect(v.body).toBe(null);
    expect(v.versions).toEqual([{ version: '1', packageVersion: null, name: 'Launch Agent Plist Written by a Script Interpreter', file: 'content/docs/launch-agent-plist-written-by-a-script-interpreter.md', queryChanged: false }]);
    expect(v.setupHtml).not.toBe(null);
  });

  it('an ES|QL rule has one stage per WHERE/STATS command', () => {
    const v = rulePage(model, rule(IDS.oktaEsql));
    expect(v.stages.map((s) => s.title)).toEqual(['Stage 1: WHERE', 'Stage 2: STATS', 'Stage 3: WHERE']);
    expect(v.evaluator?.shape).toBe('rows');
  });

  it('markdown of rules is sanitised', () => {
    const r = rule(IDS.encodedPowershell);
    const hostile = { ...r, note: '## Triage\n\n<script>alert(1)</script>[x](javascript:alert(1))', description: 'A <img src=x onerror=alert(1)> rule' };
    const v = rulePage(model, hostile);
    // The script line is an HTML block: the script goes, the rest of its line stays as text.
    expect(v.noteHtml).toBe('<h4>Triage</h4>\n[x](javascript:alert(1))');
    expect(v.descriptionHtml).toBe('<p>A  rule</p>');
  });
});

describe('huge rules: bounded previews, the full data linked', () => {
  it('a rule body over MAX_INLINE_BODY shows its first lines and links the raw TOML', () => {
    const r = rule(IDS.osascriptSequence);
    const raw = `${r.rawToml}\n${Array.from({ length: 2000 }, (_, i) => `# filler line ${i}`).join('\n')}\n`;
    expect(raw.length).toBeGreaterThan(MAX_INLINE_BODY);
    const v = rulePage(model, { ...r, rawToml: raw });
    const text = (v.body?.html ?? '').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(raw.startsWith(text)).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(BODY_PREVIEW);
    expect(v.body?.preview).toEqual({ shownBytes: utf8Length(text), totalBytes: utf8Length(raw), rawHref: '/catalog/api/rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2.toml', sourceHref: null });
    // A normal body is whole, with no preview.
    expect(rulePage(model, r).body?.preview).toBe(null);
  });

  it('previewLines cuts at a line end within the limit, else at the limit', () => {
    expect(previewLines('ab\ncd\nef', 6)).toBe('ab\ncd\n');
    expect(previewLines('abcdefgh', 3)).toBe('abc');
    expect(previewLines('short', 10)).toBe('short');
    expect([utf8Length('aé€😀'), utf8Length('')]).toEqual([1 + 2 + 3 + 4, 0]);
  });

  it('an indicator row with thousands of values shows MAX_ROW_VALUES of them, counts the rest and links the rule JSON', () => {
    const values = Array.from({ length: 2609 }, (_, i) => ({ value: `lib${i}.dll`, corpus: i % 100 === 0 ? 3 : 1 }));
    const row = { field: 'dll.name', fieldHref: '/catalog/fields/dll.name/', kind: 'in', values, caseInsensitive: true };
    const html = rowsTableHtml([row], 'Indicators', 'Values', { href: '/catalog/api/rules/x.json' });
    expect((html.match(/<span>lib\d+\.dll/g) ?? []).length).toBe(MAX_ROW_VALUES);
    expect(html).toContain('<span>lib39.dll</span></p>');
    expect(html).not.toContain('lib40.dll');
    expect(html).toContain('… and 2,569 more (2,609 values in all, 27 of them also in other rules): every value is in the query above and in <a href="/catalog/api/rules/x.json">this rule as JSON</a>.');
    // Later rows share a table budget, down to MIN_ROW_VALUES each.
    const many = Array.from({ length: 8 }, (_, i) => ({ ...row, field: `f${i}` }));
    const counts = [...rowsTableHtml(many, 'Indicators', 'Values').matchAll(/<tr><td>.*?<\/tr>/g)].map((m) => (m[0].match(/<span>lib/g) ?? []).length);
    expect(counts).toEqual([40, 40, 40, 40, 40, MIN_ROW_VALUES, MIN_ROW_VALUES, MIN_ROW_VALUES]);
    expect(MAX_TABLE_VALUES).toBe(200);
    // Rows within the limit are whole: a list up to MAX_LISTED_VALUES values, no "more" note.
    const small = rowsTableHtml([{ ...row, values: values.slice(0, 3) }], 'Indicators', 'Values');
    expect(small).toContain('<ul class="values"><li>lib0.dll<span class="corpus">3</span></li><li>lib1.dll</li><li>lib2.dll</li></ul>');
    expect(small).not.toContain('more (');
    // One value: no list.
    expect(rowsTableHtml([{ ...row, values: [{ value: 'a"b<', corpus: 2 }] }], 'Indicators', 'Values')).toContain('<td><span class="value">a"b&lt;<span class="corpus">2</span></span></td>');
  });

  it('a table with hundreds of rows shows MAX_TABLE_ROWS and counts the rest by field', () => {
    const one = (field: string, i: number) => ({ field, fieldHref: `/f/${field}/`, kind: 'contains', values: [{ value: `v${i}`, corpus: 1 }], caseInsensitive: true });
    const rows = [...Array.from({ length: 100 }, (_, i) => one('process.command_line', i)), one('process.name', 100), one('process.args', 101), one('process.args', 102)];
    const html = rowsTableHtml(rows, 'Indicators', 'Values', { href: '/j.json' });
    expect((html.match(/<tr><td>/g) ?? []).length).toBe(MAX_TABLE_ROWS);
    expect(html.endsWith('</table><p class="muted small">… and 23 more rows (103 in all; fields: process.command_line ×20, process.name, process.args ×2): every row is in the query above and in <a href="/j.json">this rule as JSON</a>.</p>')).toBe(true);
  });
});
