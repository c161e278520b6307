/**
 * Syntax highlighting for the query languages and TOML: a small tokenizer per language (regular
 * expressions tried in order at each position) and a renderer that turns text, tokens and
 * optional marks (predicate spans, trace outcomes) into escaped HTML.
 *
 * Pure and dependency-free: the rule pages use it at build time and the evaluator island uses it
 * in the browser to redraw the query with the trace's outcomes.
 */
import { escapeHtml, escapeText, type SafeHtml } from './html';

/** Token classes, used as CSS classes `t-<class>`. */
export type TokenClass = 'kw' | 'str' | 'num' | 'op' | 'fld' | 'fn' | 'cmt' | 'val' | 'key' | 'sec' | 'lit' | 'cat';

export interface Token {
  c: TokenClass;
  start: number;
  end: number;
}

export type HighlightLanguage = 'eql' | 'kuery' | 'lucene' | 'esql' | 'toml';

/** A range drawn around the tokens it covers (`<span class="…">`). */
export interface Mark {
  start: number;
  end: number;
  /** Space-separated class names (`[a-z0-9-]`). */
  cls: string;
  title?: string;
  /** Emitted as `data-mark="…"`. */
  data?: string;
}

/** A class function returns a class, null for plain text, or false to try the next rule. */
type Rule = [RegExp, TokenClass | null | ((m: RegExpExecArray, text: string, end: number) => TokenClass | null | false)];

function sticky(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('y') ? re.flags : `${re.flags}y`);
}

function nextNonSpace(text: string, i: number): string {
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return text[i] ?? '';
}

const EQL_KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'in~', 'like', 'like~', 'regex', 'regex~', 'where', 'sequence', 'sample', 'by', 'with', 'maxspan',
  'runs', 'until', 'true', 'false', 'null', 'any', 'of', 'join', 'size', 'fields',
]);

const EQL: Rule[] = [
  [/\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/, 'cmt'],
  [/\?"""[\s\S]*?(?:"""|$)|"""[\s\S]*?(?:"""|$)|\?"(?:[^"\\\n]|\\.)*"?|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/, 'str'],
  [/`[^`\n]*`?/, 'fld'],
  [/\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[a-z]*/, 'num'],
  [
    /[A-Za-z_@$][\w.@$-]*~?/,
    (m, text, end) => {
      const w = m[0];
      const lw = w.toLowerCase();
      if (EQL_KEYWORDS.has(lw)) return 'kw';
      if (w.endsWith('~')) return 'fn';
      if (nextNonSpace(text, end) === '(') return 'fn';
      // An event category: `process where`.
      if (/^\s+where\b/.test(text.slice(end, end + 12))) return 'cat';
      return 'fld';
    },
  ],
  [/==|!=|<=|>=|[<>:=+\-*/%|]/, 'op'],
];

const KQL: Rule[] = [
  [/"(?:[^"\\]|\\.)*"?/, 'str'],
  [
    /(?:[^\s\\():<>"{}*]|\\.|\*)+/,
    (m, text, end) => {
      const w = m[0];
      const lw = w.toLowerCase();
      if (lw === 'and' || lw === 'or' || lw === 'not') return 'kw';
      const next = nextNonSpace(text, end);
      if (next === ':' || next === '<' || next === '>' || next === '{') return 'fld';
      if (/^-?\d+(?:\.\d+)?$/.test(w)) return 'num';
      return 'val';
    },
  ],
  [/<=|>=|[<>:(){}]/, 'op'],
];

const LUCENE: Rule[] = [
  [/"(?:[^"\\]|\\.)*"?/, 'str'],
  [/\/(?:[^/\\\n]|\\.)+\/?/, 'str'],
  [
    /(?:[^\s\\():"[\]{}^~+\-!/]|\\.)(?:[^\s\\():"[\]{}^~!/]|\\.)*/,
    (m, text, end) => {
      const w = m[0];
      if (w === 'AND' || w === 'OR' || w === 'NOT' || w === 'TO' || w === '&&' || w === '||') return 'kw';
      if (nextNonSpace(text, end) === ':') return 'fld';
      if (/^-?\d+(?:\.\d+)?$/.test(w)) return 'num';
      return 'val';
    },
  ],
  [/&&|\|\||[:()[\]{}^~+\-!]/, 'op'],
];

const ESQL_KEYWORDS = new Set([
  'from', 'where', 'stats', 'inline', 'eval', 'keep', 'drop', 'rename', 'sort', 'limit', 'dissect', 'grok', 'enrich', 'mv_expand',
  'lookup', 'join', 'metadata', 'by', 'as', 'on', 'with', 'and', 'or', 'not', 'in', 'like', 'rlike', 'is', 'null', 'asc', 'desc',
  'nulls', 'first', 'last', 'true', 'false', 'row', 'show', 'change_point', 'completion', 'fork', 'sample', 'rerank',
]);

const ESQL: Rule[] = [
  [/\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/, 'cmt'],
  [/"""[\s\S]*?(?:"""|$)|"(?:[^"\\\n]|\\.)*"?/, 'str'],
  [/`(?:[^`]|``)*`?/, 'fld'],
  [/\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'num'],
  [/\?\w*/, 'lit'],
  [
    /[A-Za-z_@][\w.@*-]*/,
    (m, text, end) => {
      const lw = m[0].toLowerCase();
      if (ESQL_KEYWORDS.has(lw)) return 'kw';
      if (nextNonSpace(text, end) === '(') return 'fn';
      return 'fld';
    },
  ],
  [/==|!=|<=|>=|=~|[<>=+\-*/%|,:]/, 'op'],
];

const TOML: Rule[] = [
  [/#[^\n]*/, 'cmt'],
  [
    /\[\[?[\w."' -]*\]\]?/,
    (m, text, end) => {
      const start = end - m[0].length;
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      return /^[ \t]*$/.test(text.slice(lineStart, start)) ? 'sec' : false;
    },
  ],
  [/'''[\s\S]*?(?:'''|$)|"""(?:[^\\]|\\[\s\S])*?(?:"""|$)|"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?/, (m, text, end) => (nextNonSpace(text, end) === '=' ? 'key' : 'str')],
  [/\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?/, 'num'],
  [/[+-]?(?:\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?|inf|nan)\b/, 'num'],
  [/true\b|false\b/, 'lit'],
  [/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*/, (_m, text, end) => (nextNonSpace(text, end) === '=' || nextNonSpace(text, end) === '.' ? 'key' : null)],
  [/=/, 'op'],
];

const RULES: Record<HighlightLanguage, Rule[]> = {
  eql: EQL.map(([re, c]) => [sticky(re), c]),
  kuery: KQL.map(([re, c]) => [sticky(re), c]),
  lucene: LUCENE.map(([re, c]) => [sticky(re), c]),
  esql: ESQL.map(([re, c]) => [sticky(re), c]),
  toml: TOML.map(([re, c]) => [sticky(re), c]),
};

/** Tokens of `text` in order (gaps are plain text). Never throws. */
export function tokenize(language: HighlightLanguage, text: string): Token[] {
  const rules = RULES[language];
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  outer: while (i < n) {
    const ch = text.charCodeAt(i);
    // Whitespace is never a token.
    if (ch === 32 || ch === 10 || ch === 9 || ch === 13) {
      i++;
      continue;
    }
    for (const [re, cls] of rules) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (m === null || m[0].length === 0) continue;
      const end = i + m[0].length;
      const c = typeof cls === 'function' ? cls(m, text, end) : cls;
      if (c === false) continue;
      if (c !== null) {
        const last = out[out.length - 1];
        if (last && last.c === c && last.end === i && c !== 'kw' && c !== 'fld' && c !== 'str') last.end = end;
        else out.push({ c, start: i, end });
      }
      i = end;
      continue outer;
    }
    i++;
  }
  return out;
}

const MARK_CLASS = /^[a-z0-9-]+(?: [a-z0-9-]+)*$/;

/** Keeps marks that are in range and do not overlap an earlier (sorted) mark. */
function cleanMarks(marks: readonly Mark[], n: number): Mark[] {
  const sorted = marks
    .filter((m) => m.start >= 0 && m.end <= n && m.start < m.end && MARK_CLASS.test(m.cls))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Mark[] = [];
  let end = -1;
  for (const m of sorted) {
    if (m.start < end) continue;
    out.push(m);
    end = m.end;
  }
  return out;
}

/**
 * Renders text as escaped HTML: tokens as `<span class="t-<class>">`, marks as
 * `<span class="<cls>">` around them (tokens split at mark edges). Overlapping marks: the first
 * (by start, then longest) wins.
 */
export function renderHighlighted(text: string, tokens: readonly Token[], marks: readonly Mark[] = []): SafeHtml {
  const n = text.length;
  const ms = cleanMarks(marks, n);
  const cuts = new Set<number>([0, n]);
  for (const t of tokens) {
    cuts.add(Math.max(0, Math.min(n, t.start)));
    cuts.add(Math.max(0, Math.min(n, t.end)));
  }
  for (const m of ms) {
    cuts.add(m.start);
    cuts.add(m.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  let out = '';
  let ti = 0;
  let mi = 0;
  let open: Mark | null = null;
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k] as number;
    const b = points[k + 1] as number;
    if (open && a >= open.end) {
      out += '</span>';
      open = null;
    }
    while (mi < ms.length && (ms[mi] as Mark).end <= a) mi++;
    const m = ms[mi];
    if (!open && m && m.start <= a && a < m.end) {
      open = m;
      out += `<span class="${m.cls}"${m.title !== undefined ? ` title="${escapeHtml(m.title)}"` : ''}${m.data !== undefined ? ` data-mark="${escapeHtml(m.data)}"` : ''}>`;
    }
    while (ti < tokens.length && (tokens[ti] as Token).end <= a) ti++;
    const t = tokens[ti];
    const piece = escapeText(text.slice(a, b));
    out += t && t.start <= a && a < t.end ? `<span class="t-${t.c}">${piece}</span>` : piece;
  }
  if (open) out += '</span>';
  return out as SafeHtml;
}

/** Tokenizes and renders in one call. */
export function highlight(language: HighlightLanguage, text: string, marks: readonly Mark[] = []): SafeHtml {
  return renderHighlighted(text, tokenize(language, text), marks);
}
