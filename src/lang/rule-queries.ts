/**
 * Stage 3 for one rule: parse its query (and a threat-match rule's `threat_query`) and place
 * syntax errors in the rule's own file. Pure and browser-safe, like the parsers it calls.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic';
import type { Rule, RuleQuery } from '../model/rule';
import { LineIndex } from '../model/span';
import { parseQuery, type ParsedQuery } from './index';

export interface RuleQueries {
  /** The parse of `rule.query`, null for rules without one (machine learning). */
  query: ParsedQuery | null;
  /** The parse of a threat-match rule's `threat_query`. */
  threatQuery: ParsedQuery | null;
  diagnostics: Diagnostic[];
}

/**
 * Line and column in the host file of `offset` in a query. Literal strings (TOML `'''`, a
 * markdown code block) hold the query verbatim, so counting newlines from the value's start is
 * exact; a basic string with escapes maps through its offset table and the host text.
 */
export function queryPlace(src: RuleQuery, offset: number, hostText?: string | null): { line: number; column: number } | null {
  const span = src.span;
  if (!span) return null;
  const o = Math.max(0, Math.min(offset, src.text.length));
  if (src.offsetTable && hostText) {
    const host = src.offsetTable[Math.min(o, src.offsetTable.length - 1)] ?? span.start.offset;
    const p = new LineIndex(hostText).position(host);
    return { line: p.line, column: p.column };
  }
  let line = span.start.line;
  let lineStart = -1;
  for (let i = 0; i < o; i++) {
    const c = src.text.charCodeAt(i);
    if (c === 10 || (c === 13 && src.text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i;
    }
  }
  const column = lineStart < 0 ? span.start.column + o : o - lineStart;
  return { line, column };
}

function parseOne(rule: Rule, src: RuleQuery, what: string, diagnostics: Diagnostic[]): ParsedQuery {
  const parsed = parseQuery(src.language, src.text);
  if (!parsed.ok) {
    const place = queryPlace(src, parsed.error.offset, rule.rawToml);
    const file = src.span?.file ?? rule.files[0] ?? '';
    diagnostics.push(diagnostic('error', 'query-syntax', file, place, `${what} (${src.language}) does not parse: ${parsed.error.message}`, rule.id));
  }
  return parsed;
}

/** The rule's query as a `RuleQuery`; rules built without sources (tests, tools) have no span. */
function querySourceOf(rule: Rule): RuleQuery | null {
  if (rule.querySource) return rule.querySource;
  return rule.query !== null && rule.language !== null ? { language: rule.language, text: rule.query, span: null } : null;
}

function threatQuerySourceOf(rule: Rule): RuleQuery | null {
  if (rule.type !== 'threat_match') return null;
  const tm = rule.threatMatch;
  if (tm.querySource) return tm.querySource;
  return tm.query !== null ? { language: tm.language ?? 'kuery', text: tm.query, span: null } : null;
}

export function parseRuleQueries(rule: Rule): RuleQueries {
  const diagnostics: Diagnostic[] = [];
  const src = querySourceOf(rule);
  const query = src ? parseOne(rule, src, 'query', diagnostics) : null;
  const threatSrc = threatQuerySourceOf(rule);
  const threatQuery = threatSrc ? parseOne(rule, threatSrc, 'threat_query', diagnostics) : null;
  return { query, threatQuery, diagnostics };
}
