/**
 * The Java / Oniguruma regular expressions of ES|QL's REPLACE and GROK, run with JavaScript's
 * RegExp (they need capture groups, which the DFA of regex.ts does not give), made safe:
 *
 * - patterns with the shapes that make a backtracking engine exponential are refused: a group
 *   repeated without bound that contains an unbounded repetition not followed by a literal
 *   delimiter (`(a+)+`, `(\w+\s?)*`), or an alternation whose branches can start alike
 *   (`(a|aa)+`);
 * - the input is capped (`MAX_BACKTRACKING_INPUT` characters; longer values give null);
 * - `(?i)` `(?m)` `(?s)` leading flags and `(?i:…)` scoped case-insensitivity are translated;
 *   named groups may contain dots (`(?<Esql.x>…)`), which JavaScript does not allow, so groups
 *   are renamed and mapped back.
 *
 * GROK expands `%{NAME:field}` from a library of the usual grok patterns (the ones the corpus
 * uses and the common ones around them), searching anywhere in the value (unanchored), as
 * Elasticsearch does. DISSECT implements `%{key}`, `%{}` / `%{?key}` (skip), `%{+key}` (append,
 * with APPEND_SEPARATOR), `%{key->}` (right padding).
 */

export const MAX_BACKTRACKING_INPUT = 4_000;

export type Compiled = { ok: true; re: RegExp; groups: string[] } | { ok: false; error: string };

const GROK: Record<string, string> = {
  USERNAME: '[a-zA-Z0-9._-]+',
  USER: '%{USERNAME}',
  EMAILLOCALPART: "[a-zA-Z0-9!#$%&'*+\\-/=?^_`{|}~]{1,64}(?:\\.[a-zA-Z0-9!#$%&'*+\\-/=?^_`{|}~]{1,62}){0,63}",
  EMAILADDRESS: '%{EMAILLOCALPART}@%{HOSTNAME}',
  INT: '[+-]?(?:[0-9]+)',
  BASE10NUM: '[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)',
  NUMBER: '%{BASE10NUM}',
  BASE16NUM: '[+-]?(?:0x)?[0-9A-Fa-f]+',
  POSINT: '\\b[1-9][0-9]*\\b',
  NONNEGINT: '\\b[0-9]+\\b',
  WORD: '\\b\\w+\\b',
  NOTSPACE: '\\S+',
  SPACE: '\\s*',
  DATA: '.*?',
  GREEDYDATA: '.*',
  QUOTEDSTRING: '"(?:[^"\\\\]|\\\\.)*"|\'(?:[^\'\\\\]|\\\\.)*\'',
  QS: '%{QUOTEDSTRING}',
  UUID: '[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}',
  MAC: '(?:[A-Fa-f0-9]{2}[:-]){5}[A-Fa-f0-9]{2}',
  IPV4: '(?<![0-9])(?:(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])\\.){3}(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])(?![0-9])',
  IPV6: '[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[0-9A-Za-z]+)?',
  IP: '(?:%{IPV6}|%{IPV4})',
  HOSTNAME: '\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(?:\\.?|\\b)',
  IPORHOST: '(?:%{IP}|%{HOSTNAME})',
  HOSTPORT: '%{IPORHOST}:%{POSINT}',
  URIPROTO: '[A-Za-z][A-Za-z0-9+\\-.]+',
  URIHOST: '%{IPORHOST}(?::%{POSINT})?',
  URIPATH: "(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_\\-]*)+",
  URIPARAM: "\\?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\\-\\[\\]<>]*",
  URIPATHPARAM: '%{URIPATH}(?:%{URIPARAM})?',
  URI: '%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATHPARAM})?',
  PATH: '(?:%{UNIXPATH}|%{WINPATH})',
  UNIXPATH: '(?:/[\\w_%!$@:.,+~-]*)+',
  WINPATH: '(?:[A-Za-z]+:|\\\\)(?:\\\\[^\\\\?*]*)+',
  LOGLEVEL: '(?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo|INFO|[Ww]arn(?:ing)?|WARN(?:ING)?|[Ee]rr(?:or)?|ERR(?:OR)?|[Cc]rit(?:ical)?|CRIT(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)',
  TIMESTAMP_ISO8601: '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:?\\d{2}(?::?\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?',
};

/** Whether atom `a` (a class, `\\x`, `.`, a literal; null: unknown) can match character `c`. */
function matchesAtom(a: string | null, c: string): boolean {
  if (a === null) return false;
  try {
    return new RegExp(`^${a}$`, 's').test(c);
  } catch {
    return true;
  }
}

/** Whether no character of class `b` (a `[…]` source) is matched by atom `a` (a class or `\\x`). */
function disjoint(a: string | null, b: string): boolean {
  if (a === null || b.startsWith('[^')) return false;
  let re: RegExp;
  try {
    re = new RegExp(`^${a}$`);
  } catch {
    return false;
  }
  const body = b.slice(1, -1);
  const chars: string[] = [];
  for (let i = 0; i < body.length; i++) {
    let ch = body.charAt(i);
    if (ch === '\\') {
      const d = body.charAt(i + 1);
      i++;
      if (/[dDwWsS]/.test(d)) return false;
      ch = d === 'n' ? '\n' : d === 't' ? '\t' : d === 'r' ? '\r' : d;
    }
    if (body.charAt(i + 1) === '-' && i + 2 < body.length) {
      const hi = body.charAt(i + 2);
      if (hi.charCodeAt(0) - ch.charCodeAt(0) > 200) return false;
      for (let c = ch.charCodeAt(0); c <= hi.charCodeAt(0); c++) chars.push(String.fromCharCode(c));
      i += 2;
      continue;
    }
    chars.push(ch);
  }
  return chars.length > 0 && chars.every((c) => !re.test(c));
}

/** Refuses regular expressions a backtracking engine could take exponential time on. */
export function checkBacktracking(src: string): string | null {
  interface Group {
    start: number;
    hasUnboundedInner: boolean;
    innerNeedsDelimiter: boolean;
    hasAlternation: boolean;
    /** Whether the group's first atom is a literal character (each repetition starts with it). */
    startsWithLiteral: boolean | null;
    /** Source of the last atom repeated without bound (a class, `\\s`, `.`), when known. */
    lastRepeated: string | null;
    /** Source of the group's first atom when it is a class. */
    firstClass: string | null;
  }
  const newGroup = (start: number): Group => ({ start, hasUnboundedInner: false, innerNeedsDelimiter: false, hasAlternation: false, startsWithLiteral: null, lastRepeated: null, firstClass: null });
  const stack: Group[] = [newGroup(0)];
  const firstAtom = (g: Group, literal: boolean): void => {
    if (g.startsWithLiteral === null) g.startsWithLiteral = literal;
  };
  let i = 0;
  const unboundedAt = (j: number): number => {
    // Length of an unbounded quantifier at j (`*`, `+`, `{n,}`, with optional `?`/`+`), else 0.
    const c = src.charAt(j);
    if (c === '*' || c === '+') return 1 + (src.charAt(j + 1) === '?' || src.charAt(j + 1) === '+' ? 1 : 0);
    if (c === '{') {
      const m = /^\{\d+,\}/.exec(src.slice(j));
      if (m) return m[0].length;
    }
    return 0;
  };
  while (i < src.length) {
    const c = src.charAt(i);
    const top = stack[stack.length - 1] as Group;
    if (c === '\\') {
      const isClass = /[dDwWsShHvVpPX]/.test(src.charAt(i + 1));
      firstAtom(top, !isClass && !/[*+?{]/.test(src.charAt(i + 2)));
      const esc = src.slice(i, i + 2);
      i += 2;
      const q = unboundedAt(i);
      if (q > 0) {
        top.hasUnboundedInner = true;
        top.innerNeedsDelimiter = true;
        top.lastRepeated = isClass ? esc : null;
        i += q;
      } else if (!isClass && src.charAt(i) !== '?' && src.charAt(i) !== '{' && !matchesAtom(top.lastRepeated, esc.charAt(1))) top.innerNeedsDelimiter = false;
      continue;
    }
    if (c === '[') {
      firstAtom(top, false);
      const start = i;
      let j = i + 1;
      if (src.charAt(j) === '^') j++;
      if (src.charAt(j) === ']') j++;
      while (j < src.length && src.charAt(j) !== ']') j += src.charAt(j) === '\\' ? 2 : 1;
      i = j + 1;
      const cls = src.slice(start, i);
      if (top.startsWithLiteral === false && top.firstClass === null && !/[*?{]/.test(src.charAt(i))) top.firstClass = cls;
      const q = unboundedAt(i);
      if (q > 0) {
        top.hasUnboundedInner = true;
        top.innerNeedsDelimiter = true;
        top.lastRepeated = cls;
        i += q;
      } else if (top.innerNeedsDelimiter && !/[*?{]/.test(src.charAt(i)) && disjoint(top.lastRepeated, cls)) {
        // A class the repeated atom cannot match delimits the repetition.
        top.innerNeedsDelimiter = false;
      }
      continue;
    }
    if (c === '(') {
      firstAtom(top, false);
      const g = newGroup(i);
      stack.push(g);
      i++;
      // Skip the group's own syntax: (?: (?<name> (?= (?! (?<= (?<!
      const m = /^\?(?::|<[^>=!]*>|<=|<!|=|!)/.exec(src.slice(i));
      if (m) i += m[0].length;
      continue;
    }
    if (c === ')') {
      const g = stack.pop() as Group;
      const parent = stack[stack.length - 1] as Group;
      i++;
      const q = unboundedAt(i);
      if (q > 0) {
        const delimitedByFirst = g.startsWithLiteral === true || (g.firstClass !== null && disjoint(g.lastRepeated, g.firstClass));
        if (g.hasUnboundedInner && g.innerNeedsDelimiter && !delimitedByFirst) return `nested unbounded repetition at ${g.start} (catastrophic backtracking)`;
        if (g.hasAlternation) {
          const body = src.slice(g.start + 1, i - 1).replace(/^\?(?::|<[^>]*>|[=!])/, '');
          const firsts = body.split('|').map((b) => b.charAt(0) === '\\' ? b.slice(0, 2) : b.charAt(0));
          if (firsts.some((f) => f === '' || f === '.' || f === '[' || f === '(') || new Set(firsts).size < firsts.length) {
            return `repeated alternation with overlapping branches at ${g.start} (catastrophic backtracking)`;
          }
        }
        parent.hasUnboundedInner = true;
        parent.innerNeedsDelimiter = true;
        i += q;
      } else if (g.hasUnboundedInner) {
        parent.hasUnboundedInner = true;
        parent.innerNeedsDelimiter = parent.innerNeedsDelimiter || g.innerNeedsDelimiter;
      }
      continue;
    }
    if (c === '|') {
      top.hasAlternation = true;
      top.startsWithLiteral = false;
    } else if (c !== '?' && c !== '^' && c !== '$') {
      firstAtom(top, c !== '.' && !/[*+?{]/.test(src.charAt(i + 1)));
      const q = unboundedAt(i + 1);
      if (q > 0) {
        top.hasUnboundedInner = true;
        top.innerNeedsDelimiter = true;
        top.lastRepeated = c === '.' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        i += 1 + q;
        continue;
      }
      // A literal character the repeated atom cannot match delimits the repetition.
      if (top.innerNeedsDelimiter && c !== '*' && c !== '+' && !matchesAtom(top.lastRepeated, c)) top.innerNeedsDelimiter = false;
    }
    i++;
  }
  return null;
}

/** Translates leading inline flags, scoped `(?i:…)` and dotted group names; returns the JS source. */
function translate(src: string): { source: string; flags: string; groups: string[] } | string {
  let s = src;
  let flags = '';
  const lead = /^\(\?([imsx]+)\)/.exec(s);
  if (lead) {
    for (const f of lead[1] as string) {
      if (f === 'x') return 'the x (extended) flag is not supported';
      if (!flags.includes(f)) flags += f;
    }
    s = s.slice(lead[0].length);
  }
  // (?i:…) → the letters of the group as [xX] classes.
  s = s.replace(/\(\?i:((?:[^()\\]|\\.)*)\)/g, (_m, body: string) => {
    let out = '(?:';
    for (let i = 0; i < body.length; i++) {
      const ch = body.charAt(i);
      if (ch === '\\') {
        out += body.slice(i, i + 2);
        i++;
      } else if (/[a-zA-Z]/.test(ch)) out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
      else out += ch;
    }
    return `${out})`;
  });
  if (/\(\?[a-z]+[:)]/i.test(s.replace(/\(\?[:=!<]/g, ''))) return 'inline flags inside the pattern are not supported';
  const groups: string[] = [];
  s = s.replace(/\(\?<([^>=!][^>]*)>/g, (_m, name: string) => {
    groups.push(name);
    return `(?<g${groups.length - 1}>`;
  });
  // Java possessive quantifiers (`a++`) have no JavaScript form: they become greedy ones (the
  // same matches except where backtracking into the repetition would find another); atomic
  // groups are refused.
  if (s.includes('(?>')) return 'atomic groups are not supported';
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    if (ch === '\\') {
      out += s.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      if (s.charAt(j) === '^') j++;
      if (s.charAt(j) === ']') j++;
      while (j < s.length && s.charAt(j) !== ']') j += s.charAt(j) === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j;
      continue;
    }
    out += ch;
    if ((ch === '*' || ch === '+' || ch === '?' || ch === '}') && s.charAt(i + 1) === '+') i++;
  }
  s = out;
  return { source: s, flags, groups };
}

const cache = new Map<string, Compiled>();

/** Compiles a Java-style regular expression for REPLACE / GROK (cached). */
export function compileJavaRegex(src: string, extraFlags = ''): Compiled {
  const key = `${extraFlags}\u0000${src}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let r: Compiled;
  const danger = checkBacktracking(src);
  if (danger !== null) r = { ok: false, error: `regular expression refused: ${danger}` };
  else {
    const t = translate(src);
    if (typeof t === 'string') r = { ok: false, error: `regular expression not supported: ${t}` };
    else {
      try {
        r = { ok: true, re: new RegExp(t.source, `${t.flags}${extraFlags}u`.replace(/(.)(?=.*\1)/g, '')), groups: t.groups };
      } catch {
        try {
          r = { ok: true, re: new RegExp(t.source, `${t.flags}${extraFlags}`.replace(/(.)(?=.*\1)/g, '')), groups: t.groups };
        } catch (e) {
          r = { ok: false, error: `invalid regular expression: ${(e as Error).message}` };
        }
      }
    }
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, r);
  return r;
}

/** `REPLACE(str, regex, replacement)`: every match replaced (`$1` back-references), Java style. */
export function replaceAll(c: Extract<Compiled, { ok: true }>, s: string, replacement: string): string | null {
  if (s.length > MAX_BACKTRACKING_INPUT) return null;
  const re = new RegExp(c.re.source, c.re.flags.includes('g') ? c.re.flags : `${c.re.flags}g`);
  return s.replace(re, replacement.replace(/\\\$/g, '$$$$'));
}

// ---------------------------------------------------------------------------------------------
// GROK

export interface GrokPattern {
  ok: true;
  re: RegExp;
  /** Output columns, in pattern order: [column, group name, type]. */
  fields: { column: string; group: string; type: 'int' | 'float' | 'string' }[];
}

/** Expands a grok pattern into a regular expression (library patterns are trusted). */
export function compileGrok(pattern: string): GrokPattern | { ok: false; error: string } {
  const custom = pattern.replace(/%\{[^}]*\}/g, 'X');
  const danger = checkBacktracking(custom);
  if (danger !== null) return { ok: false, error: `grok pattern refused: ${danger}` };
  const fields: GrokPattern['fields'] = [];
  let depth = 0;
  const expand = (p: string): string | null =>
    p.replace(/%\{([A-Za-z0-9_]+)(?::([^}:]+))?(?::(int|float))?\}/g, (_m, name: string, field?: string, type?: string) => {
      const lib = GROK[name];
      if (lib === undefined) throw new Error(`unknown grok pattern %{${name}}`);
      if (++depth > 200) throw new Error('grok patterns nest too deeply');
      const inner = expand(lib) as string;
      depth--;
      if (field === undefined) return `(?:${inner})`;
      const g = `f${fields.length}`;
      fields.push({ column: field, group: g, type: type === 'int' ? 'int' : type === 'float' ? 'float' : 'string' });
      return `(?<${g}>${inner})`;
    });
  const t = translate(pattern);
  if (typeof t === 'string') return { ok: false, error: `grok pattern not supported: ${t}` };
  let src: string;
  try {
    src = expand(t.source) as string;
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  // Named groups written directly in the pattern (`(?<Esql.x>…)`) are output columns too.
  t.groups.forEach((name, i) => fields.push({ column: name, group: `g${i}`, type: 'string' }));
  try {
    return { ok: true, re: new RegExp(src, t.flags), fields };
  } catch (e) {
    return { ok: false, error: `invalid grok pattern: ${(e as Error).message}` };
  }
}

export function grokMatch(g: GrokPattern, s: string): Record<string, string | number | null> | null {
  if (s.length > MAX_BACKTRACKING_INPUT) return null;
  const m = g.re.exec(s);
  if (!m) return null;
  const out: Record<string, string | number | null> = {};
  for (const f of g.fields) {
    const v = m.groups?.[f.group];
    if (v === undefined) {
      if (!(f.column in out)) out[f.column] = null;
      continue;
    }
    out[f.column] = f.type === 'int' ? parseInt(v, 10) : f.type === 'float' ? parseFloat(v) : v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// DISSECT

interface DissectKey {
  name: string;
  skip: boolean;
  append: boolean;
  padding: boolean;
}

export interface DissectPattern {
  ok: true;
  /** Literal delimiters: `prefix`, then key, delimiter, key, … */
  prefix: string;
  parts: { key: DissectKey; delimiter: string }[];
  columns: string[];
}

export function compileDissect(pattern: string): DissectPattern | { ok: false; error: string } {
  const re = /%\{([^}]*)\}/g;
  let last = 0;
  let prefix = '';
  const parts: { key: DissectKey; delimiter: string }[] = [];
  let m: RegExpExecArray | null;
  let first = true;
  while ((m = re.exec(pattern)) !== null) {
    const lit = pattern.slice(last, m.index);
    if (first) prefix = lit;
    else (parts[parts.length - 1] as { delimiter: string }).delimiter = lit;
    first = false;
    let body = m[1] as string;
    const padding = body.endsWith('->');
    if (padding) body = body.slice(0, -2);
    const skip = body === '' || body.startsWith('?');
    const append = body.startsWith('+');
    const name = body.replace(/^[?+&*]/, '').replace(/\/\d+$/, '');
    if (body.startsWith('*') || body.startsWith('&')) return { ok: false, error: 'dissect reference keys (%{*k} %{&k}) are not supported' };
    parts.push({ key: { name, skip, append, padding }, delimiter: '' });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return { ok: false, error: 'a dissect pattern needs at least one %{key}' };
  (parts[parts.length - 1] as { delimiter: string }).delimiter = pattern.slice(last);
  for (let i = 0; i < parts.length - 1; i++) if ((parts[i] as { delimiter: string }).delimiter === '') return { ok: false, error: 'dissect keys must be separated by a delimiter' };
  const columns: string[] = [];
  for (const p of parts) if (!p.key.skip && !columns.includes(p.key.name)) columns.push(p.key.name);
  return { ok: true, prefix, parts, columns };
}

/** Splits `s` by the pattern's delimiters; null when it does not match. */
export function dissectMatch(d: DissectPattern, s: string, appendSeparator = ''): Record<string, string> | null {
  if (!s.startsWith(d.prefix)) return null;
  let pos = d.prefix.length;
  const out: Record<string, string> = {};
  for (let i = 0; i < d.parts.length; i++) {
    const p = d.parts[i] as { key: DissectKey; delimiter: string };
    let value: string;
    if (i === d.parts.length - 1 && p.delimiter === '') {
      value = s.slice(pos);
      pos = s.length;
    } else {
      const at = s.indexOf(p.delimiter, pos);
      if (at < 0) return null;
      value = s.slice(pos, at);
      pos = at + p.delimiter.length;
      if (p.key.padding) while (s.startsWith(p.delimiter, pos)) pos += p.delimiter.length;
    }
    if (p.key.skip) continue;
    if (p.key.append && out[p.key.name] !== undefined) out[p.key.name] = `${out[p.key.name]}${appendSeparator}${value}`;
    else out[p.key.name] = value;
  }
  if (pos !== s.length) return null;
  return out;
}
