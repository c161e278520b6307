/**
 * Stage 2 for TOML: a decoded detection-rules document → one `Rule`.
 *
 * Every key the corpus uses has a home in the model (see `../shared/research/corpus-census.md`
 * §1); any other key lands in `extra` under its dotted path (`rule.some_new_key`,
 * `rule.threat[0].x`), so nothing is lost. Values of the wrong type are reported (`toml-type`,
 * warning) and kept in `extra` too.
 *
 * A rule is dropped (error diagnostic) only when it cannot be a rule: no `[rule]` table, no
 * `rule_id`, `name`, `type`, `severity` or `risk_score`, an unknown type or language, a language
 * that does not fit its type, no query for a type that needs one, or missing type-specific
 * settings (threshold, new-terms fields, ML job ids, threat-match index and mappings). Other gaps
 * are warnings with a documented default (`missing-key`): no description → empty, no maturity →
 * `development`, no language on a KQL-family type → `kuery`.
 */
import { diagnostic, type Diagnostic, type Located, type Severity } from '../model/diagnostic';
import {
  isQueryLanguage,
  isRuleType,
  type AlertSuppression,
  type AttackRef,
  type ExceptionListRef,
  type KibanaFilter,
  type QueryLanguage,
  type RiskScoreMapping,
  type Rule,
  type RuleBase,
  type RuleQuery,
  type SeverityMapping,
  type ThreatEntry,
  type ThreatMappingEntry,
  type ThreatTechnique,
} from '../model/rule';
import type { SourceSpan } from '../model/span';
import { LazyLines } from './lines';
import { scanToml } from './locate';
import type { DecodedToml, SourceFile, StringLoc } from './types';
import { isObject, setOwn } from './util';

/** Rule ids that are used as they are in page URLs (others are encoded; see `segment` in views/urls.ts). */
const PLAIN_ID = /^[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,119}$/;

export interface AssembleOptions {
  label: string;
}

interface Ctx {
  file: SourceFile;
  lines: LazyLines;
  /** Key places, from `scanToml`, computed the first time a diagnostic needs one. */
  keys: Map<string, number> | null;
  diagnostics: Diagnostic[];
  extra: Record<string, unknown>;
  ruleId: string | undefined;
}

function at(ctx: Ctx, path: string): Located | null {
  const p = path.replace(/\[\d+\]/g, '[]');
  ctx.keys ??= scanToml(ctx.file.text).keys;
  const keys = ctx.keys;
  let off = keys.get(p);
  // A key missing from the file: point at its table's header instead.
  for (let q = p; off === undefined && q.includes('.'); ) {
    q = q.slice(0, q.lastIndexOf('.'));
    off = keys.get(q);
  }
  if (off === undefined) return null;
  const pos = ctx.lines.position(off);
  return { line: pos.line, column: pos.column };
}

function report(ctx: Ctx, severity: Severity, code: string, path: string, message: string): void {
  ctx.diagnostics.push(diagnostic(severity, code, ctx.file.path, at(ctx, path) ?? { line: 1, column: 1 }, message, ctx.ruleId));
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'table' : typeof v;
}

/** A TOML table being read: remembers which keys were taken; the rest go to `extra`. */
class Fields {
  private readonly used = new Set<string>();

  constructor(
    readonly obj: Record<string, unknown>,
    readonly path: string,
    private readonly ctx: Ctx,
  ) {}

  private sub(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.obj, key);
  }

  raw(key: string): unknown {
    this.used.add(key);
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  /** A value of the wrong type: warn, keep it in `extra`, answer undefined. */
  private wrong(key: string, v: unknown, want: string): undefined {
    report(this.ctx, 'warning', 'toml-type', this.sub(key), `${this.sub(key)} should be ${want}, found ${typeName(v)}: kept in extra`);
    setOwn(this.ctx.extra, this.sub(key), v);
    return undefined;
  }

  str(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined || typeof v === 'string') return v;
    return this.wrong(key, v, 'a string');
  }

  int(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined || (typeof v === 'number' && Number.isInteger(v))) return v;
    return this.wrong(key, v, 'an integer');
  }

  bool(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined || typeof v === 'boolean') return v;
    return this.wrong(key, v, 'a boolean');
  }

  /**
   * An array of strings; with `single`, a lone string is accepted as a one-element array. A copy
   * of the document's array: the decoder grows arrays by pushing, which reserves at least 17
   * slots, and the rule keeps its lists as long as the catalog lives.
   */
  strList(key: string, single = false): string[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (single && typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.slice() as string[];
    return this.wrong(key, v, single ? 'a string or an array of strings' : 'an array of strings');
  }

  table(key: string): Fields | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (isObject(v)) return new Fields(v, this.sub(key), this.ctx);
    return this.wrong(key, v, 'a table');
  }

  /** A table kept whole as plain data. */
  data(key: string): Record<string, unknown> | undefined {
    const v = this.raw(key);
    if (v === undefined || isObject(v)) return v;
    return this.wrong(key, v, 'a table');
  }

  tables(key: string): Fields[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every(isObject)) return v.map((t, i) => new Fields(t as Record<string, unknown>, `${this.sub(key)}[${i}]`, this.ctx));
    return this.wrong(key, v, 'an array of tables');
  }

  /** Keeps a value the model has no place for in `extra`, under this table's path. */
  keep(key: string, v: unknown): void {
    setOwn(this.ctx.extra, this.sub(key), v);
  }

  /** Keys nobody took go to `extra` under their dotted path. */
  rest(): void {
    for (const k of Object.keys(this.obj)) {
      if (!this.used.has(k)) setOwn(this.ctx.extra, this.sub(k), this.obj[k]);
    }
  }
}

function span(ctx: Ctx, start: number, end: number): SourceSpan {
  return { file: ctx.file.path, start: ctx.lines.position(start), end: ctx.lines.position(end) };
}

function querySource(ctx: Ctx, language: QueryLanguage, text: string, loc: StringLoc | null): RuleQuery {
  const q: RuleQuery = { language, text, span: loc ? span(ctx, loc.start, loc.end) : null };
  if (loc?.table) q.offsetTable = loc.table;
  return q;
}

function readRef(t: Fields | undefined, what: string, ctx: Ctx): AttackRef {
  const ref: AttackRef = { id: t?.str('id') ?? '', name: t?.str('name') ?? '', reference: t?.str('reference') ?? '' };
  if (!t || ref.id === '') report(ctx, 'warning', 'missing-key', t?.path ?? what, `${what} has no id`);
  t?.rest();
  return ref;
}

function readThreat(list: Fields[], ctx: Ctx): ThreatEntry[] {
  return list.map((t) => {
    const entry: ThreatEntry = {
      framework: t.str('framework') ?? '',
      tactic: readRef(t.table('tactic'), `${t.path}.tactic`, ctx),
      techniques: (t.tables('technique') ?? []).map((te): ThreatTechnique => {
        // Sub-techniques first: `readRef` ends the technique's table (its other keys go to extra).
        const subs = (te.tables('subtechnique') ?? []).map((st) => readRef(st, st.path, ctx));
        const ref = readRef(te, te.path, ctx);
        return { ...ref, subtechniques: subs };
      }),
    };
    t.rest();
    return entry;
  });
}

function readFilters(list: Fields[] | undefined): KibanaFilter[] {
  return (list ?? []).map((f) => {
    const meta = f.data('meta') ?? {};
    const exists = f.data('exists');
    const filter: KibanaFilter = {
      negate: meta.negate === true,
      disabled: meta.disabled === true,
      query: f.data('query') ?? null,
      exists: exists && typeof exists.field === 'string' ? { field: exists.field } : null,
      meta,
      state: f.data('$state') ?? null,
    };
    if (exists && !filter.exists) f.keep('exists', exists);
    f.rest();
    return filter;
  });
}

/** `{ rule, diagnostics }`: the rule, or null when the document cannot be one. */
export function assembleToml(decoded: DecodedToml, file: SourceFile, options: AssembleOptions): { rule: Rule | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [...decoded.diagnostics];
  const doc = decoded.doc;
  if (doc === null) return { rule: null, diagnostics };
  const ctx: Ctx = { file, lines: new LazyLines(file.text), keys: null, diagnostics, extra: {}, ruleId: undefined };
  const drop = (code: string, path: string, message: string): { rule: null; diagnostics: Diagnostic[] } => {
    report(ctx, 'error', code, path, `${message}: rule dropped`);
    return { rule: null, diagnostics };
  };
  const top = new Fields(doc, '', ctx);
  const meta = top.table('metadata') ?? new Fields({}, 'metadata', ctx);
  const r = top.table('rule');
  if (!r) return drop('missing-key', 'rule', 'no [rule] table');
  const id = r.str('rule_id');
  if (id === undefined || id.trim() === '') return drop('missing-key', 'rule.rule_id', 'missing rule.rule_id');
  ctx.ruleId = id;
  const name = r.str('name');
  if (name === undefined) return drop('missing-key', 'rule.name', 'missing rule.name');
  if (name.trim() === '') report(ctx, 'warning', 'empty-name', 'rule.name', 'rule.name is empty');
  if (!PLAIN_ID.test(id)) report(ctx, 'warning', 'unusual-rule-id', 'rule.rule_id', `rule_id ${JSON.stringify(id)} is not a plain path segment: its page URL encodes it`);
  const type = r.str('type');
  if (type === undefined) return drop('missing-key', 'rule.type', 'missing rule.type');
  if (!isRuleType(type)) return drop('unknown-rule-type', 'rule.type', `unknown rule type ${JSON.stringify(type)}`);
  const severity = r.str('severity');
  if (severity === undefined) return drop('missing-key', 'rule.severity', 'missing rule.severity');
  const riskScore = r.int('risk_score');
  if (riskScore === undefined) return drop('missing-key', 'rule.risk_score', 'missing rule.risk_score');

  // Language and query, checked against the type.
  const langRaw = r.str('language');
  let language: QueryLanguage | null;
  if (type === 'machine_learning') {
    if (langRaw !== undefined) report(ctx, 'warning', 'toml-ignored', 'rule.language', `machine_learning rules have no query language; language ${JSON.stringify(langRaw)} kept in extra`);
    if (langRaw !== undefined) setOwn(ctx.extra, 'rule.language', langRaw);
    language = null;
  } else if (langRaw === undefined) {
    language = type === 'eql' ? 'eql' : type === 'esql' ? 'esql' : 'kuery';
    if (type !== 'eql' && type !== 'esql') report(ctx, 'warning', 'missing-key', 'rule', `missing rule.language: ${type} rule read as kuery`);
  } else if (!isQueryLanguage(langRaw)) {
    return drop('unknown-language', 'rule.language', `unknown query language ${JSON.stringify(langRaw)}`);
  } else {
    const fits = type === 'eql' ? langRaw === 'eql' : type === 'esql' ? langRaw === 'esql' : langRaw === 'kuery' || langRaw === 'lucene';
    if (!fits) return drop('language-mismatch', 'rule.language', `language ${JSON.stringify(langRaw)} does not fit rule type ${type}`);
    language = langRaw;
  }
  const query = r.str('query');
  if (type !== 'machine_learning' && query === undefined) return drop('missing-key', 'rule.query', `missing rule.query (required for ${type} rules)`);
  if (type === 'machine_learning' && query !== undefined) {
    report(ctx, 'warning', 'toml-ignored', 'rule.query', 'machine_learning rules have no query; query kept in extra');
    setOwn(ctx.extra, 'rule.query', query);
  }

  const maturity = meta.str('maturity');
  if (maturity === undefined) report(ctx, 'warning', 'missing-key', 'metadata', 'missing metadata.maturity: read as development');
  const description = r.str('description');
  if (description === undefined) report(ctx, 'warning', 'missing-key', 'rule', 'missing rule.description: read as empty');
  const bbType = r.str('building_block_type') ?? null;
  const ruleIdLoc = decoded.locations.ruleId;
  const suppression = r.table('alert_suppression');
  let alertSuppression: AlertSuppression | null = null;
  if (suppression) {
    const d = suppression.table('duration');
    const dv = d?.int('value');
    const du = d?.str('unit');
    d?.rest();
    if (d && (dv === undefined || du === undefined)) suppression.keep('duration', d.obj);
    alertSuppression = {
      groupBy: suppression.strList('group_by') ?? [],
      duration: dv !== undefined && du !== undefined ? { value: dv, unit: du } : null,
      missingFieldsStrategy: suppression.str('missing_fields_strategy') ?? null,
    };
    suppression.rest();
  }
  const inv = r.table('investigation_fields');
  const investigationFields = inv?.strList('field_names') ?? [];
  inv?.rest();
  const severityMapping = (r.tables('severity_mapping') ?? []).map((t): SeverityMapping => {
    const m = { field: t.str('field') ?? '', operator: t.str('operator') ?? '', value: t.str('value') ?? '', severity: t.str('severity') ?? '' };
    t.rest();
    return m;
  });
  const riskScoreMapping = (r.tables('risk_score_mapping') ?? []).map((t): RiskScoreMapping => {
    const m = { field: t.str('field') ?? '', operator: t.str('operator') ?? '', value: t.str('value') ?? '' };
    t.rest();
    return m;
  });
  const exceptionsList = (r.tables('exceptions_list') ?? []).map((t): ExceptionListRef => {
    const m = { id: t.str('id') ?? '', listId: t.str('list_id') ?? '', namespaceType: t.str('namespace_type') ?? '', type: t.str('type') ?? '' };
    t.rest();
    return m;
  });

  const base: RuleBase = {
    id,
    name,
    slug: '',
    source: options.label,
    files: [file.path],
    type,
    language,
    query: query ?? null,
    querySource: null,
    maturity: maturity ?? 'development',
    deprecated: maturity === 'deprecated' || /(^|\/)_deprecated\//.test(file.path),
    buildingBlock: bbType !== null,
    buildingBlockType: bbType,
    severity,
    riskScore,
    description: description ?? '',
    author: r.strList('author', true) ?? [],
    license: r.str('license') ?? null,
    tags: r.strList('tags') ?? [],
    references: r.strList('references') ?? [],
    falsePositives: r.strList('false_positives') ?? [],
    index: r.strList('index') ?? [],
    dataView: r.str('data_view_id') ?? null,
    from: r.str('from') ?? null,
    interval: r.str('interval') ?? null,
    maxSignals: r.int('max_signals') ?? null,
    enabled: r.bool('enabled') ?? null,
    note: r.str('note') ?? null,
    setup: r.str('setup') ?? null,
    timestampOverride: r.str('timestamp_override') ?? null,
    eventCategoryOverride: r.str('event_category_override') ?? null,
    tiebreakerField: r.str('tiebreaker_field') ?? null,
    ruleNameOverride: r.str('rule_name_override') ?? null,
    timelineId: r.str('timeline_id') ?? null,
    timelineTitle: r.str('timeline_title') ?? null,
    threat: readThreat(r.tables('threat') ?? [], ctx),
    severityMapping,
    riskScoreMapping,
    filters: readFilters(r.tables('filters')),
    exceptionsList,
    alertSuppression,
    investigationFields,
    transform: top.data('transform') ?? null,
    integrations: meta.strList('integration', true) ?? [],
    creationDate: meta.str('creation_date') ?? null,
    updatedDate: meta.str('updated_date') ?? null,
    deprecationDate: meta.str('deprecation_date') ?? null,
    deprecatedReason: meta.str('deprecated_reason') ?? null,
    minStackVersion: meta.str('min_stack_version') ?? null,
    minStackComments: meta.str('min_stack_comments') ?? null,
    bypassBbrTiming: meta.bool('bypass_bbr_timing') ?? false,
    promotion: meta.bool('promotion') ?? false,
    version: null,
    publishedVersion: null,
    versions: [],
    rawToml: file.text,
    span: ruleIdLoc ? span(ctx, ruleIdLoc.start, ruleIdLoc.end) : null,
    extra: ctx.extra,
  };
  if (language !== null && query !== undefined) base.querySource = querySource(ctx, language, query, decoded.locations.query);

  let rule: Rule;
  switch (type) {
    case 'eql':
      rule = { ...base, type, language: 'eql', query: query! };
      break;
    case 'esql':
      rule = { ...base, type, language: 'esql', query: query! };
      break;
    case 'query':
      rule = { ...base, type, language: language as 'kuery' | 'lucene', query: query! };
      break;
    case 'threshold': {
      const t = r.table('threshold');
      if (!t) return drop('missing-key', 'rule.threshold', 'missing [rule.threshold] (required for threshold rules)');
      const value = t.int('value');
      if (value === undefined) return drop('missing-key', 'rule.threshold.value', 'missing rule.threshold.value');
      const cardinality = (t.tables('cardinality') ?? []).map((c) => {
        const entry = { field: c.str('field') ?? '', value: c.int('value') ?? 0 };
        c.rest();
        return entry;
      });
      const fields = t.strList('field', true) ?? [];
      t.rest();
      rule = { ...base, type, language: language as 'kuery' | 'lucene', query: query!, threshold: { fields, value, cardinality } };
      break;
    }
    case 'new_terms': {
      const t = r.table('new_terms');
      if (!t) return drop('missing-key', 'rule.new_terms', 'missing [rule.new_terms] (required for new_terms rules)');
      const fields = t.strList('value', true);
      if (fields === undefined) return drop('missing-key', 'rule.new_terms.value', 'missing rule.new_terms.value (the new-terms fields)');
      if (t.obj.field === 'new_terms_fields') t.raw('field');
      const windows = t.tables('history_window_start') ?? [];
      const historyWindowStart = windows[0]?.str('value') ?? null;
      windows.forEach((w, i) => {
        if (i === 0 && w.obj.field === 'history_window_start') w.raw('field');
        w.rest();
      });
      t.rest();
      rule = { ...base, type, language: language as 'kuery' | 'lucene', query: query!, newTerms: { fields, historyWindowStart } };
      break;
    }
    case 'machine_learning': {
      const jobIds = r.strList('machine_learning_job_id', true);
      if (jobIds === undefined) return drop('missing-key', 'rule.machine_learning_job_id', 'missing rule.machine_learning_job_id');
      rule = { ...base, type, language: null, query: null, querySource: null, machineLearning: { jobIds, anomalyThreshold: r.int('anomaly_threshold') ?? null } };
      break;
    }
    case 'threat_match': {
      const index = r.strList('threat_index');
      if (index === undefined) return drop('missing-key', 'rule.threat_index', 'missing rule.threat_index (required for threat_match rules)');
      const mappingTables = r.tables('threat_mapping');
      if (mappingTables === undefined) return drop('missing-key', 'rule.threat_mapping', 'missing rule.threat_mapping (required for threat_match rules)');
      const mappings = mappingTables.map((m) => {
        const entries = (m.tables('entries') ?? []).map((e): ThreatMappingEntry => {
          const x = { field: e.str('field') ?? '', type: e.str('type') ?? '', value: e.str('value') ?? '' };
          e.rest();
          return x;
        });
        m.rest();
        return { entries };
      });
      const tqLangRaw = r.str('threat_language');
      let tqLang: QueryLanguage | null = null;
      if (tqLangRaw !== undefined) {
        if (isQueryLanguage(tqLangRaw)) tqLang = tqLangRaw;
        else {
          report(ctx, 'warning', 'unknown-language', 'rule.threat_language', `unknown threat_language ${JSON.stringify(tqLangRaw)}: kept in extra`);
          setOwn(ctx.extra, 'rule.threat_language', tqLangRaw);
        }
      }
      const tq = r.str('threat_query') ?? null;
      const tqEffective: QueryLanguage = tqLang ?? 'kuery';
      rule = {
        ...base,
        type,
        language: language as 'kuery' | 'lucene',
        query: query!,
        threatMatch: {
          index,
          query: tq,
          querySource: tq === null ? null : querySource(ctx, tqEffective, tq, decoded.locations.threatQuery),
          language: tqLang,
          indicatorPath: r.str('threat_indicator_path') ?? null,
          mappings,
          filters: readFilters(r.tables('threat_filters')),
        },
      };
      break;
    }
  }
  r.rest();
  meta.rest();
  top.rest();
  return { rule, diagnostics };
}
