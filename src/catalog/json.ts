/**
 * The catalog JSON: the rule model as the site's public JSON API.
 *
 *   { "rules": [ { "id", "name", "slug", "source", "files", "type", "language", "query",
 *                  "maturity", "buildingBlock", "severity", "riskScore", "tags", "threat",
 *                  "versions", …every other `Rule` field… } ],
 *     "diagnostics": [ { "severity", "code", "file", "line", "column", "message", "ruleId"? } ] }
 *
 * Names are the model's (camelCase); fields are only ever added. Output is deterministic: rules
 * sorted by id, diagnostics by `compareDiagnostics`, keys in a fixed order, one rule or
 * diagnostic per line (small diffs, still compact for the 2,000-rule corpus).
 */
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';

export interface CatalogJson {
  rules: Rule[];
  diagnostics: Diagnostic[];
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

const byId = (a: Rule, b: Rule): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function toCatalogJson(input: { rules: readonly Rule[]; diagnostics: readonly Diagnostic[] }): CatalogJson {
  return { rules: [...input.rules].sort(byId), diagnostics: [...input.diagnostics].sort(compareDiagnostics) };
}

/** Serialises the catalog: one rule and one diagnostic per line, ending with a newline. */
export function serializeCatalog(input: { rules: readonly Rule[]; diagnostics: readonly Diagnostic[] }): string {
  const c = toCatalogJson(input);
  const rules = c.rules.map((r) => JSON.stringify(orderedRule(r)));
  const diagnostics = c.diagnostics.map((d) => JSON.stringify(orderedDiagnostic(d)));
  const list = (items: string[]): string => (items.length === 0 ? '[]' : `[\n${items.join(',\n')}\n]`);
  return `{"rules": ${list(rules)},\n"diagnostics": ${list(diagnostics)}}\n`;
}
