/**
 * A short string matched by a (Java / JavaScript style) regular expression, for example values
 * behind GROK, REPLACE and RLIKE-like predicates: the first alternative, the fewest repetitions,
 * readable characters from classes; lookarounds, anchors and `\b` are ignored (the result is
 * checked by the evaluator anyway). Named groups can be forced to given values.
 */

interface P {
  s: string;
  i: number;
  groups: Record<string, string>;
}

const WORD = 'a';

function classSample(body: string, negated: boolean): string {
  // Collect literal characters and ranges; pick a letter or digit when possible.
  const chars: string[] = [];
  for (let i = 0; i < body.length; i++) {
    let c = body.charAt(i);
    if (c === '\\') {
      const d = body.charAt(i + 1);
      i++;
      if (d === 'd') chars.push('1');
      else if (d === 'w') chars.push('a');
      else if (d === 's') chars.push(' ');
      else if (d === 'n') chars.push('\n');
      else if (d === 't') chars.push('\t');
      else if (d === 'r') chars.push('\r');
      else if (/[DWS]/.test(d)) chars.push(d === 'D' ? 'a' : d === 'W' ? '-' : 'x');
      else chars.push(d);
      continue;
    }
    if (body.charAt(i + 1) === '-' && i + 2 < body.length) {
      const lo = c;
      const hi = body.charAt(i + 2) === '\\' ? body.charAt(i + 3) : body.charAt(i + 2);
      i += body.charAt(i + 2) === '\\' ? 3 : 2;
      c = lo <= 'a' && hi >= 'a' ? 'a' : lo <= '1' && hi >= '1' ? '1' : lo <= 'A' && hi >= 'A' ? 'A' : lo;
    }
    chars.push(c);
  }
  if (!negated) return chars.find((c) => /[a-z0-9]/i.test(c)) ?? chars[0] ?? 'a';
  for (const c of ['a', 'x', '1', 'Z', '_', '-', ' ', '.', 'q']) if (!chars.includes(c)) return c;
  return '~';
}

function atom(p: P): string | null {
  const c = p.s.charAt(p.i);
  if (c === '(') {
    p.i++;
    let name: string | null = null;
    let skip = false;
    if (p.s.startsWith('?:', p.i)) p.i += 2;
    else if (p.s.startsWith('?<', p.i) && !p.s.startsWith('?<=', p.i) && !p.s.startsWith('?<!', p.i)) {
      const end = p.s.indexOf('>', p.i);
      name = p.s.slice(p.i + 2, end);
      p.i = end + 1;
    } else if (/^\?(=|!|<=|<!)/.test(p.s.slice(p.i))) {
      p.i += p.s.startsWith('?<', p.i) ? 3 : 2;
      skip = true;
    } else if (/^\?[a-z]+:/i.test(p.s.slice(p.i))) p.i = p.s.indexOf(':', p.i) + 1;
    const inner = alternation(p);
    if (p.s.charAt(p.i) !== ')') return null;
    p.i++;
    if (skip) return '';
    if (name !== null && p.groups[name] !== undefined) return p.groups[name] as string;
    return inner;
  }
  if (c === '[') {
    let j = p.i + 1;
    const negated = p.s.charAt(j) === '^';
    if (negated) j++;
    const start = j;
    if (p.s.charAt(j) === ']') j++;
    while (j < p.s.length && p.s.charAt(j) !== ']') j += p.s.charAt(j) === '\\' ? 2 : 1;
    const body = p.s.slice(start, j);
    p.i = j + 1;
    return classSample(body, negated);
  }
  if (c === '\\') {
    const d = p.s.charAt(p.i + 1);
    p.i += 2;
    if (d === 'd') return '1';
    if (d === 'w') return WORD;
    if (d === 's') return ' ';
    if (d === 'S' || d === 'W' || d === 'D') return d === 'W' ? '-' : 'x';
    if (d === 'b' || d === 'B' || d === 'A' || d === 'z' || d === 'Z') return '';
    if (d === 'n') return '\n';
    if (d === 't') return '\t';
    if (d === 'r') return '\r';
    if (d === 'x') {
      const hex = p.s.slice(p.i, p.i + 2);
      p.i += 2;
      return String.fromCharCode(parseInt(hex, 16));
    }
    if (d === 'u') {
      const hex = p.s.slice(p.i, p.i + 4);
      p.i += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    return d;
  }
  if (c === '.') {
    p.i++;
    return 'x';
  }
  if (c === '^' || c === '$') {
    p.i++;
    return '';
  }
  p.i++;
  return c;
}

function quantified(p: P): string | null {
  const a = atom(p);
  if (a === null) return null;
  const q = p.s.charAt(p.i);
  let min = 1;
  if (q === '*' || q === '?') {
    min = 0;
    p.i++;
  } else if (q === '+') {
    min = 1;
    p.i++;
  } else if (q === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.s.slice(p.i));
    if (m) {
      min = Number(m[1]);
      p.i += m[0].length;
    }
  } else return a;
  if (p.s.charAt(p.i) === '?' || p.s.charAt(p.i) === '+') p.i++;
  return a.repeat(Math.min(min, 200));
}

function sequence(p: P): string | null {
  let out = '';
  while (p.i < p.s.length && p.s.charAt(p.i) !== '|' && p.s.charAt(p.i) !== ')') {
    const q = quantified(p);
    if (q === null) return null;
    out += q;
  }
  return out;
}

function alternation(p: P): string | null {
  const first = sequence(p);
  while (p.s.charAt(p.i) === '|') {
    p.i++;
    if (sequence(p) === null) return null;
  }
  return first;
}

/** A short string the pattern matches (null when the pattern is beyond this generator). */
export function sampleMatch(pattern: string, groups: Record<string, string> = {}): string | null {
  let src = pattern;
  const lead = /^\(\?[imsx]+\)/.exec(src);
  if (lead) src = src.slice(lead[0].length);
  const p: P = { s: src, i: 0, groups };
  const out = alternation(p);
  if (out === null || p.i !== src.length) return null;
  return out;
}
