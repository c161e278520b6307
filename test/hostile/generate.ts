/**
 * Hostile inputs too big or too many to commit, generated at test time into a directory:
 *
 * - `wrong-types/<key>.toml`: one rule per key of the rule model (every TOML key `assemble.ts`
 *   reads, nested ones included), each valid except that key, which holds a value of the wrong
 *   type. Each comes with the line the wrong value is on (`WrongType.line`).
 * - `big/query-10mb.toml`: a 10 MB KQL query (over the parsers' 2,000,000-character limit).
 * - `big/parens-<language>.toml`: 100,000 nested parentheses, one per query language.
 * - `big/list-<language>.toml`: a 100,000-item value list (EQL `in (…)`, KQL `(a or b …)`).
 *
 * Every query uses values starting `hx-` only, so no indicator of these rules is shared with the
 * example content (its corpus counts stay as they are).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WrongType {
  /** The key, as `assemble.ts` names it in diagnostics (`rule.threat[].tactic.id`). */
  key: string;
  file: string;
  ruleId: string;
  /** 1-based line of the wrong-typed value. */
  line: number;
}

type Variant = 'query' | 'threshold' | 'new_terms' | 'machine_learning' | 'threat_match';

interface KeySpec {
  key: string;
  /** The wrong value, as TOML. */
  wrong: string;
  variant?: Variant;
}

const S = '42'; // for strings
const I = '"21"'; // for integers
const B = '"yes"'; // for booleans
const T = '"a table"'; // for tables and arrays of tables

/** Every key of the rule model that a TOML file sets, with a value of the wrong type. */
export const WRONG_TYPE_KEYS: KeySpec[] = [
  // [metadata]
  ...['creation_date', 'updated_date', 'deprecation_date', 'deprecated_reason', 'min_stack_version', 'min_stack_comments', 'maturity'].map((k) => ({ key: `metadata.${k}`, wrong: S })),
  { key: 'metadata.integration', wrong: '[1, 2]' },
  { key: 'metadata.bypass_bbr_timing', wrong: B },
  { key: 'metadata.promotion', wrong: '1' },
  // [rule] strings
  ...[
    'rule_id', 'name', 'type', 'severity', 'language', 'query', 'description', 'building_block_type', 'license', 'data_view_id', 'from', 'interval', 'note', 'setup',
    'timestamp_override', 'event_category_override', 'tiebreaker_field', 'rule_name_override', 'timeline_id', 'timeline_title',
  ].map((k, i) => ({ key: `rule.${k}`, wrong: [S, 'true', '["x"]', '{ a = 1 }', '4.5'][i % 5] as string })),
  { key: 'rule.risk_score', wrong: I },
  { key: 'rule.max_signals', wrong: '1.5' },
  { key: 'rule.enabled', wrong: B },
  { key: 'rule.author', wrong: S },
  ...['tags', 'references', 'false_positives', 'index'].map((k, i) => ({ key: `rule.${k}`, wrong: i % 2 === 0 ? '"one string"' : '[1, 2]' })),
  // [rule] tables and arrays of tables, and what is inside them
  { key: 'rule.alert_suppression', wrong: T },
  { key: 'rule.alert_suppression.group_by', wrong: '"host.name"' },
  { key: 'rule.alert_suppression.missing_fields_strategy', wrong: S },
  { key: 'rule.alert_suppression.duration', wrong: '5' },
  { key: 'rule.alert_suppression.duration.value', wrong: I },
  { key: 'rule.alert_suppression.duration.unit', wrong: S },
  { key: 'rule.investigation_fields', wrong: '["host.name"]' },
  { key: 'rule.investigation_fields.field_names', wrong: '"host.name"' },
  { key: 'rule.severity_mapping', wrong: T },
  ...['field', 'operator', 'value', 'severity'].map((k) => ({ key: `rule.severity_mapping[].${k}`, wrong: S })),
  { key: 'rule.risk_score_mapping', wrong: '{ field = "x" }' },
  ...['field', 'operator', 'value'].map((k) => ({ key: `rule.risk_score_mapping[].${k}`, wrong: S })),
  { key: 'rule.exceptions_list', wrong: '["x"]' },
  ...['id', 'list_id', 'namespace_type', 'type'].map((k) => ({ key: `rule.exceptions_list[].${k}`, wrong: S })),
  { key: 'rule.filters', wrong: T },
  { key: 'rule.filters[].meta', wrong: S },
  { key: 'rule.filters[].query', wrong: S },
  { key: 'rule.filters[].exists', wrong: S },
  { key: 'rule.filters[].$state', wrong: S },
  { key: 'rule.threat', wrong: T },
  { key: 'rule.threat[].framework', wrong: S },
  { key: 'rule.threat[].tactic', wrong: T },
  ...['id', 'name', 'reference'].map((k) => ({ key: `rule.threat[].tactic.${k}`, wrong: S })),
  { key: 'rule.threat[].technique', wrong: T },
  ...['id', 'name', 'reference'].map((k) => ({ key: `rule.threat[].technique[].${k}`, wrong: S })),
  { key: 'rule.threat[].technique[].subtechnique', wrong: T },
  ...['id', 'name', 'reference'].map((k) => ({ key: `rule.threat[].technique[].subtechnique[].${k}`, wrong: S })),
  { key: 'transform', wrong: T },
  // type-specific settings
  { key: 'rule.threshold', wrong: '5', variant: 'threshold' },
  { key: 'rule.threshold.value', wrong: I, variant: 'threshold' },
  { key: 'rule.threshold.field', wrong: S, variant: 'threshold' },
  { key: 'rule.threshold.cardinality', wrong: T, variant: 'threshold' },
  { key: 'rule.threshold.cardinality[].field', wrong: S, variant: 'threshold' },
  { key: 'rule.threshold.cardinality[].value', wrong: I, variant: 'threshold' },
  { key: 'rule.new_terms', wrong: T, variant: 'new_terms' },
  { key: 'rule.new_terms.value', wrong: S, variant: 'new_terms' },
  { key: 'rule.new_terms.history_window_start', wrong: '"now-7d"', variant: 'new_terms' },
  { key: 'rule.new_terms.history_window_start[].value', wrong: S, variant: 'new_terms' },
  { key: 'rule.machine_learning_job_id', wrong: S, variant: 'machine_learning' },
  { key: 'rule.anomaly_threshold', wrong: I, variant: 'machine_learning' },
  { key: 'rule.threat_index', wrong: '"threat-*"', variant: 'threat_match' },
  { key: 'rule.threat_mapping', wrong: T, variant: 'threat_match' },
  { key: 'rule.threat_mapping[].entries', wrong: T, variant: 'threat_match' },
  ...['field', 'type', 'value'].map((k) => ({ key: `rule.threat_mapping[].entries[].${k}`, wrong: S, variant: 'threat_match' as Variant })),
  { key: 'rule.threat_language', wrong: S, variant: 'threat_match' },
  { key: 'rule.threat_query', wrong: S, variant: 'threat_match' },
  { key: 'rule.threat_indicator_path', wrong: S, variant: 'threat_match' },
  { key: 'rule.threat_filters', wrong: T, variant: 'threat_match' },
];

/** `rule.threat[].tactic.id` → `rule-threat-tactic-id`. */
export function keyFile(key: string): string {
  return key.replace(/\[\]/g, '').replace(/[^A-Za-z0-9_]+/g, '-');
}

/** The last segment of a key path as a TOML key (`rule.filters[].$state` → `"$state"`). */
function localKey(path: string): string {
  const k = path.slice(path.lastIndexOf('.') + 1).replace(/\[\]$/, '');
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

/** One rule of `variant` where `key` (and only it) has the value `wrong`. */
export function wrongTypeToml(spec: KeySpec): string {
  const { key, wrong } = spec;
  const variant = spec.variant ?? 'query';
  const id = `hx-wt-${keyFile(key)}`;
  const v = (k: string, def: string): string => `${localKey(k)} = ${k === key ? wrong : def}`;
  /** A table (or array-of-tables) block, or nothing when the table itself is the key under test. */
  const block = (k: string, header: string, body: string[]): string => (k === key ? '' : `\n${header}\n${body.join('\n')}\n`);
  /** The `k = wrong` line a table under test leaves in its parent. */
  const inline = (k: string): string[] => (k === key ? [`${localKey(k)} = ${wrong}`] : []);
  const type = variant;
  const language = variant === 'machine_learning' ? [] : [v('rule.language', '"kuery"')];
  const query = variant === 'machine_learning' ? [] : [v('rule.query', `'process.name:"${id}"'`)];
  const rule = [
    '[rule]',
    v('rule.author', '["Hostile Fixture"]'),
    v('rule.building_block_type', '"default"'),
    v('rule.data_view_id', '"hx-data-view"'),
    v('rule.description', '"A rule with one wrong-typed key."'),
    v('rule.enabled', 'true'),
    v('rule.event_category_override', '"event.type"'),
    v('rule.false_positives', '["hx"]'),
    v('rule.from', '"now-9m"'),
    v('rule.index', '["logs-hx-*"]'),
    v('rule.interval', '"5m"'),
    ...language,
    v('rule.license', '"Apache License 2.0"'),
    v('rule.max_signals', '100'),
    v('rule.name', `"Hostile Wrong Type ${key}"`),
    v('rule.note', '"A note."'),
    v('rule.references', '["https://example.test/hx"]'),
    v('rule.risk_score', '21'),
    v('rule.rule_id', `"${id}"`),
    v('rule.rule_name_override', '"hx.name"'),
    v('rule.setup', '"Setup."'),
    v('rule.severity', '"low"'),
    v('rule.tags', '["Hostile"]'),
    v('rule.tiebreaker_field', '"hx.tiebreaker"'),
    v('rule.timeline_id', '"hx-timeline"'),
    v('rule.timeline_title', '"HX Timeline"'),
    v('rule.timestamp_override', '"event.ingested"'),
    v('rule.type', `"${type}"`),
    ...query,
    ...(variant === 'machine_learning' ? [v('rule.anomaly_threshold', '75'), v('rule.machine_learning_job_id', '["hx-job"]')] : []),
    ...(variant === 'threat_match'
      ? [v('rule.threat_index', '["hx-threat-*"]'), v('rule.threat_indicator_path', '"threat.indicator"'), v('rule.threat_language', '"kuery"'), v('rule.threat_query', `'threat.indicator.ip:"hx-tm"'`)]
      : []),
    ...inline('rule.alert_suppression'),
    ...inline('rule.investigation_fields'),
    ...inline('rule.severity_mapping'),
    ...inline('rule.risk_score_mapping'),
    ...inline('rule.exceptions_list'),
    ...inline('rule.filters'),
    ...inline('rule.threat'),
    ...(variant === 'threshold' ? inline('rule.threshold') : []),
    ...(variant === 'new_terms' ? inline('rule.new_terms') : []),
    ...(variant === 'threat_match' ? [...inline('rule.threat_mapping'), ...inline('rule.threat_filters')] : []),
  ];
  const parts: string[] = [
    [
      ...inline('transform'),
      '[metadata]',
      v('metadata.bypass_bbr_timing', 'false'),
      v('metadata.creation_date', '"2025/01/01"'),
      v('metadata.deprecated_reason', '"Not deprecated."'),
      v('metadata.deprecation_date', '"2025/03/03"'),
      v('metadata.integration', '["hx"]'),
      v('metadata.maturity', '"production"'),
      v('metadata.min_stack_comments', '"HX."'),
      v('metadata.min_stack_version', '"8.14.0"'),
      v('metadata.promotion', 'false'),
      v('metadata.updated_date', '"2025/01/02"'),
      '',
      ...rule,
    ].join('\n') + '\n',
  ];
  const sup = 'rule.alert_suppression';
  parts.push(block(sup, `[${sup}]`, [v(`${sup}.group_by`, '["host.name"]'), v(`${sup}.missing_fields_strategy`, '"suppress"'), ...inline(`${sup}.duration`)]));
  if (key !== sup) parts.push(block(`${sup}.duration`, `[${sup}.duration]`, [v(`${sup}.duration.unit`, '"m"'), v(`${sup}.duration.value`, '5')]));
  parts.push(block('rule.investigation_fields', '[rule.investigation_fields]', [v('rule.investigation_fields.field_names', '["host.name"]')]));
  const sm = 'rule.severity_mapping';
  parts.push(block(sm, `[[${sm}]]`, ['field', 'operator', 'value', 'severity'].map((k) => v(`${sm}[].${k}`, `"hx-${k}"`))));
  const rm = 'rule.risk_score_mapping';
  parts.push(block(rm, `[[${rm}]]`, ['field', 'operator', 'value'].map((k) => v(`${rm}[].${k}`, `"hx-${k}"`))));
  const el = 'rule.exceptions_list';
  parts.push(block(el, `[[${el}]]`, ['id', 'list_id', 'namespace_type', 'type'].map((k) => v(`${el}[].${k}`, `"hx-${k}"`))));
  const fl = 'rule.filters';
  if (key !== fl) {
    parts.push(`\n[[${fl}]]\n${[...inline(`${fl}[].meta`), ...inline(`${fl}[].query`), ...inline(`${fl}[].exists`), ...inline(`${fl}[].$state`)].join('\n')}\n`);
    parts.push(block(`${fl}[].meta`, `[${fl}.meta]`, ['negate = false', 'disabled = false', 'key = "hx.field"']));
    parts.push(block(`${fl}[].query`, `[${fl}.query.match_phrase]`, ['"hx.field" = "hx-filter"']));
    parts.push(block(`${fl}[].exists`, `[${fl}.exists]`, ['field = "hx.field"']));
    parts.push(block(`${fl}[].$state`, `[${fl}."$state"]`, ['store = "appState"']));
  }
  const th = 'rule.threat[]';
  if (key !== 'rule.threat') {
    parts.push(`\n[[rule.threat]]\n${[v(`${th}.framework`, '"MITRE ATT&CK"'), ...inline(`${th}.tactic`), ...inline(`${th}.technique`)].join('\n')}\n`);
    const te = `${th}.technique[]`;
    if (key !== `${th}.technique`) {
      parts.push(`\n[[rule.threat.technique]]\n${[v(`${te}.id`, '"T1059"'), v(`${te}.name`, '"Command and Scripting Interpreter"'), v(`${te}.reference`, '"https://attack.mitre.org/techniques/T1059/"'), ...inline(`${te}.subtechnique`)].join('\n')}\n`);
      parts.push(block(`${te}.subtechnique`, '[[rule.threat.technique.subtechnique]]', [v(`${te}.subtechnique[].id`, '"T1059.001"'), v(`${te}.subtechnique[].name`, '"PowerShell"'), v(`${te}.subtechnique[].reference`, '"https://attack.mitre.org/techniques/T1059/001/"')]));
    }
    parts.push(block(`${th}.tactic`, '[rule.threat.tactic]', [v(`${th}.tactic.id`, '"TA0002"'), v(`${th}.tactic.name`, '"Execution"'), v(`${th}.tactic.reference`, '"https://attack.mitre.org/tactics/TA0002/"')]));
  }
  if (variant === 'threshold') {
    const t = 'rule.threshold';
    if (key !== t) {
      parts.push(`\n[${t}]\n${[v(`${t}.field`, '["host.id"]'), v(`${t}.value`, '10'), ...inline(`${t}.cardinality`)].join('\n')}\n`);
      parts.push(block(`${t}.cardinality`, `[[${t}.cardinality]]`, [v(`${t}.cardinality[].field`, '"user.name"'), v(`${t}.cardinality[].value`, '3')]));
    }
  }
  if (variant === 'new_terms') {
    const t = 'rule.new_terms';
    if (key !== t) {
      parts.push(`\n[${t}]\n${['field = "new_terms_fields"', v(`${t}.value`, '["host.id"]'), ...inline(`${t}.history_window_start`)].join('\n')}\n`);
      parts.push(block(`${t}.history_window_start`, `[[${t}.history_window_start]]`, ['field = "history_window_start"', v(`${t}.history_window_start[].value`, '"now-7d"')]));
    }
  }
  if (variant === 'threat_match') {
    const t = 'rule.threat_mapping';
    if (key !== t) {
      parts.push(`\n[[${t}]]\n${inline(`${t}[].entries`).join('\n')}\n`);
      parts.push(block(`${t}[].entries`, `[[${t}.entries]]`, [v(`${t}[].entries[].field`, '"destination.ip"'), v(`${t}[].entries[].type`, '"mapping"'), v(`${t}[].entries[].value`, '"threat.indicator.ip"')]));
    }
    parts.push(block('rule.threat_filters', '[[rule.threat_filters]]', ['[rule.threat_filters.meta]', 'negate = false', '[rule.threat_filters.query.match_phrase]', '"hx.threat" = "hx-threat-filter"']));
  }
  if (key !== 'transform') parts.push('\n[transform]\n[[transform.osquery]]\nlabel = "HX"\nquery = "SELECT 1"\n');
  return parts.join('');
}

/** The line (1-based) of the key under test in `text`. */
function lineOf(text: string, spec: KeySpec): number {
  const want = `${localKey(spec.key)} = ${spec.wrong}`;
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l === want ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`${spec.key}: ${hits.length} lines read ${JSON.stringify(want)}`);
  return hits[0] as number;
}

export interface BigInput {
  file: string;
  ruleId: string;
  language: string;
  /** Characters of the query. */
  chars: number;
}

function bigRule(id: string, type: string, language: string, query: string): string {
  return [
    '[metadata]',
    'creation_date = "2025/01/01"',
    'maturity = "production"',
    'updated_date = "2025/01/01"',
    '',
    '[rule]',
    'author = ["Hostile Fixture"]',
    `description = "A hostile fixture rule: ${id}."`,
    'license = "Apache License 2.0"',
    `name = "Hostile ${id}"`,
    'risk_score = 21',
    `rule_id = "${id}"`,
    'severity = "low"',
    `type = "${type}"`,
    `language = "${language}"`,
    "query = '''",
    query,
    "'''",
    '',
  ].join('\n');
}

const N = 100_000;

/** The big inputs (query on line 17 of each file). */
export function bigInputs(): { file: string; ruleId: string; type: string; language: string; query: string }[] {
  const list = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('');
  const items = Array.from({ length: N }, (_, i) => `"hx-item-${i}"`);
  // 10 MB of KQL: `process.name:"hx-big-0000000" or …` (about 35 bytes a term).
  const terms: string[] = [];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const t = `process.name:"hx-big-${String(i).padStart(7, '0')}"`;
    terms.push(t);
    size += t.length + 4;
  }
  return [
    { file: 'big/query-10mb.toml', ruleId: 'hx-big-query', type: 'query', language: 'kuery', query: terms.join(' or ') },
    { file: 'big/parens-kuery.toml', ruleId: 'hx-parens-kuery', type: 'query', language: 'kuery', query: `${'('.repeat(N)}process.name:"hx-parens"${')'.repeat(N)}` },
    { file: 'big/parens-lucene.toml', ruleId: 'hx-parens-lucene', type: 'query', language: 'lucene', query: `${'('.repeat(N)}process.name:"hx-parens"${')'.repeat(N)}` },
    { file: 'big/parens-eql.toml', ruleId: 'hx-parens-eql', type: 'eql', language: 'eql', query: `any where ${'('.repeat(N)}process.name == "hx-parens"${')'.repeat(N)}` },
    { file: 'big/parens-esql.toml', ruleId: 'hx-parens-esql', type: 'esql', language: 'esql', query: `FROM logs-hx-* | WHERE ${'('.repeat(N)}process.name == "hx-parens"${')'.repeat(N)}` },
    { file: 'big/list-eql.toml', ruleId: 'hx-list-eql', type: 'eql', language: 'eql', query: `any where process.name in (${items.join(', ')})` },
    { file: 'big/list-kuery.toml', ruleId: 'hx-list-kuery', type: 'query', language: 'kuery', query: `process.name:(${items.join(' or ')})` },
    { file: 'big/wildcard-kuery.toml', ruleId: 'hx-wildcard-long', type: 'query', language: 'kuery', query: `process.name:${list(N / 2, () => '*?')}x` },
  ];
}

export interface Generated {
  dir: string;
  wrongTypes: WrongType[];
  big: BigInput[];
}

/** Writes the generated fixtures under `dir` (without `wrongTypes: false`, the wrong-typed rules too). */
export function writeGenerated(dir: string, options: { wrongTypes?: boolean } = {}): Generated {
  mkdirSync(join(dir, 'wrong-types'), { recursive: true });
  mkdirSync(join(dir, 'big'), { recursive: true });
  const specs = options.wrongTypes === false ? [] : WRONG_TYPE_KEYS;
  const wrongTypes = specs.map((spec): WrongType => {
    const text = wrongTypeToml(spec);
    const file = `wrong-types/${keyFile(spec.key)}.toml`;
    writeFileSync(join(dir, file), text);
    return { key: spec.key, file, ruleId: `hx-wt-${keyFile(spec.key)}`, line: lineOf(text, spec) };
  });
  const big = bigInputs().map((b): BigInput => {
    writeFileSync(join(dir, b.file), bigRule(b.ruleId, b.type, b.language, b.query));
    return { file: b.file, ruleId: b.ruleId, language: b.language, chars: b.query.length };
  });
  return { dir, wrongTypes, big };
}
