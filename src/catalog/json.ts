/**
 * The catalog JSON: the rule model as the site's public JSON API.
 *
 *   { "rules": [ { "id", "name", "slug", "source", "files", "type", "language", "query",
 *                  "maturity", "buildingBlock", "severity", "riskScore", "tags", "threat",
 *                  "versions", …every other `Rule` field…,
 *                  "analysis": { "stages", "indicators", "exclusions", "scope" }, "similar" } ],
 *     "diagnostics": [ { "severity", "code", "file", "line", "column", "message", "ruleId"? } ],
 *     "fields": [ … ], "indicators": [ … ], "corpusStats": { … } }
 *
 * `analysis`, `similar`, `fields`, `indicators` and `corpusStats` are present when the catalog stages
 * ran (`buildCatalog`); a bare ingest result serialises without them.
 *
 * Names are the model's (camelCase); fields are only ever added. Output is deterministic: rules
 * sorted by id, diagnostics by `compareDiagnostics`, keys in a fixed order, one rule or
 * diagnostic per line (small diffs, still compact for the 2,000-rule corpus).
 */
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';
import type { CorpusStats, FieldEntry, IndicatorEntry } from './corpus';

export interface CatalogJson {
  rules: Rule[];
  diagnostics: Diagnostic[];
}

/** What `serializeCatalog` takes: an ingest result, or a catalog with its indexes. */
export interface CatalogInput {
  rules: readonly Rule[];
  diagnostics: readonly Diagnostic[];
  fields?: readonly FieldEntry[];
  indicators?: readonly IndicatorEntry[];
  /** Corpus totals (`buildCatalog`'s `stats`), written as `corpusStats`. */
  corpusStats?: CorpusStats;
}

/** The fields every consumer reads first, in this order; the rest follow in the model's order. */
const HEAD = ['id', 'name', 'slug', 'source', 'files', 'type', 'language', 'query', 'maturity', 'buildingBlock', 'severity', 'riskScore', 'tags', 'threat', 'versions'] as const;

function orderedRule(rule: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of HEAD) out[k] = rule[k];
  for (const [k, v] of Object.entries(rule)) if (!(k in out)) out[k] = v;
  return out;
}

function orderedDiagnostic(d: Diagnostic): Record<string, unknown> {
  const out: Record<string, unknown> = { severity: d.severity, code: d.code, file: d.file, line: d.line, column: d.column, message: d.message };
  if (d.ruleId !== undefined) out.ruleId = d.ruleId;
  return out;
}

const lines = new WeakMap<Rule, string>();

/**
 * A rule's line in the catalog JSON (its fields in `HEAD` order). Made once per rule object: a
 * site build prints every rule three times (`catalog.json`, `api/catalog.json`, `api/rules/…`),
 * so callers must not change a rule once it is printed (catalog rules are never changed).
 */
export function ruleJson(rule: Rule): string {
  let line = lines.get(rule);
  if (line === undefined) {
    line = JSON.stringify(orderedRule(rule));
    lines.set(rule, line);
  }
  return line;
}

const byId = (a: Rule, b: Rule): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function toCatalogJson(input: { rules: readonly Rule[]; diagnostics: readonly Diagnostic[] }): CatalogJson {
  return { rules: [...input.rules].sort(byId), diagnostics: [...input.diagnostics].sort(compareDiagnostics) };
}

/** Serialises the catalog: one rule and one diagnostic per line, ending with a newline. */
export function serializeCatalog(input: CatalogInput): string {
  return [...catalogChunks(input)].join('');
}

/**
 * The catalog JSON of `serializeCatalog`, in pieces (one per rule, diagnostic, field and
 * indicator, and the punctuation between): for writing it to a file without holding the whole
 * text (tens of megabytes for the full corpus) as one string.
 */
export function* catalogChunks(input: CatalogInput): Generator<string> {
  const c = toCatalogJson(input);
  function* list(items: readonly unknown[], one: (x: never) => string): Generator<string> {
    if (items.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < items.length; i++) yield i === 0 ? one(items[i] as never) : `,\n${one(items[i] as never)}`;
    yield '\n]';
  }
  yield '{"rules": ';
  yield* list(c.rules, ruleJson);
  yield ',\n"diagnostics": ';
  yield* list(c.diagnostics, (d: Diagnostic) => JSON.stringify(orderedDiagnostic(d)));
  if (input.fields) {
    yield ',\n"fields": ';
    yield* list(input.fields, (f: FieldEntry) => JSON.stringify(f));
  }
  if (input.indicators) {
    yield ',\n"indicators": ';
    yield* list(input.indicators, (e: IndicatorEntry) => JSON.stringify(e));
  }
  if (input.corpusStats) yield `,\n"corpusStats": ${JSON.stringify(input.corpusStats)}`;
  yield '}\n';
}
