/**
 * Finding field values that satisfy a formula.
 *
 * The formula is explored depth-first, one disjunct at a time, collecting literals per field;
 * each field's literals are solved as soon as they change (so a contradiction prunes the
 * branch): natural candidates first (the query's own values, wildcard patterns with `*`
 * emptied, range bounds), then, for strings, a shortest string of the intersection of the
 * positive atoms' languages minus the negative ones (automaton.ts), then — when one value
 * cannot satisfy all positive atoms — an array with one value per atom (Elasticsearch matches
 * any value of a multi-valued field). A field with only negative literals is left out of the
 * event (a missing field satisfies them: the evaluator's `must_not` semantics).
 *
 * Atoms over several fields (functions of two fields) are checked once the event is built,
 * with a simple repair (copying one field's value to the other). The caller's `accept` checks
 * the whole event with the real evaluator; a rejected event makes the search go on.
 */
import { Lang, type Re } from '../automaton';
import { ABSENT, buildDoc, type Assigned } from './build';
import type { Atom, Domain, Formula, Literal } from './formula';
import { domainOfFamily } from './lower';
import { AUTOMATON_STEPS_PER_UNIT, spend, WorkBudgetExceeded } from './work';

export interface SolveOptions {
  /** Budget of search steps. */
  budget?: number;
  /** Fixed values of some fields (join keys, the previous example's values). */
  fixed?: ReadonlyMap<string, Assigned>;
  /** Values each field should avoid (distinct values for cardinality). */
  avoid?: ReadonlyMap<string, unknown[]>;
}

export interface Solution {
  assign: Map<string, Assigned>;
  literals: Literal[];
}

const DEFAULT_IPS = ['10.0.0.5', '192.168.1.20', '203.0.113.10', '8.8.8.8', '172.16.0.5', '100.64.0.5', '169.254.10.5', '127.0.0.1', '2001:db8::5', '1.1.1.1', '0.0.0.0'];
const DEFAULT_NUMBERS = [1, 0, 2, 100, 1000, 4624, 65535, 123456, -1];

function fieldDomain(field: string, atoms: readonly Atom[]): Domain {
  const known = domainOfFamily(field);
  if (known !== undefined) return known;
  for (const a of atoms) if (a.domain && a.domain !== 'keyword' && a.domain !== 'text') return a.domain;
  return 'keyword';
}

function defaultValue(field: string, domain: Domain, now: number): unknown {
  switch (domain) {
    case 'numeric':
      return 1;
    case 'ip':
      return '10.0.0.5';
    case 'boolean':
      return true;
    case 'date':
      return new Date(now).toISOString();
    default:
      return `example-${field.split('.').pop() ?? 'value'}`;
  }
}

function holds(lit: Literal, v: Assigned): boolean {
  const a = lit.atom;
  if (lit.neg && (a.testFalse || a.falseOn)) {
    if (v === ABSENT) return a.falseOn ? a.falseOn({}) : true;
    return a.testFalse ? a.testFalse(v) : true;
  }
  let r: boolean;
  if (v === ABSENT) r = a.pred.test({});
  else if (a.test) r = a.test(v);
  else return true;
  return lit.neg ? !r : r;
}

/** Whether a literal holds on a whole document. */
function holdsOnDoc(lit: Literal, doc: unknown): boolean {
  if (lit.neg && lit.atom.falseOn) return lit.atom.falseOn(doc);
  const r = lit.atom.pred.test(doc);
  return lit.neg ? !r : r;
}

/**
 * The values of an avoid list as a set, kept per list and brought up to date when the list has
 * grown: a list only ever grows (callers push the values they used), and one lives across many
 * solvers (ES|QL repeats an event a thousand times, each avoiding the values used so far), so
 * scanning it for every candidate made the repetition quadratic.
 */
const avoidedSets = new WeakMap<readonly unknown[], { set: Set<unknown>; n: number }>();

function avoidedSet(list: readonly unknown[]): Set<unknown> {
  let e = avoidedSets.get(list);
  if (e === undefined || e.n > list.length) {
    e = { set: new Set(), n: 0 };
    avoidedSets.set(list, e);
  }
  for (; e.n < list.length; e.n++) e.set.add(list[e.n]);
  return e.set;
}

/** Whether `x` is one of the avoided values (`===`: NaN is never avoided, as a scan with `===` found). */
function isAvoided(taken: ReadonlySet<unknown>, x: unknown): boolean {
  return x === x && taken.has(x);
}

/** The memo key of a field's literals: the field and the multiset of (atom, sign) pairs. */
function solveKey(field: string, lits: readonly Literal[]): string {
  const code = (l: Literal): number => l.atom.id * 2 + (l.neg ? 1 : 0);
  if (lits.length === 0) return `${field}\u0000`;
  if (lits.length === 1) return `${field}\u0000${code(lits[0] as Literal)}`;
  const codes = lits.map(code).sort((a, b) => a - b);
  return `${field}\u0000${codes.join(',')}`;
}

export class FieldSolver {
  private readonly cache = new Map<string, Assigned | undefined>();
  constructor(
    private readonly now: number,
    private readonly fixed: ReadonlyMap<string, Assigned>,
    private readonly avoid: ReadonlyMap<string, unknown[]>,
  ) {}

  /** A value for `field` satisfying all `lits` (ABSENT when leaving it out does), or undefined. */
  solve(field: string, lits: readonly Literal[]): Assigned | undefined {
    const key = solveKey(field, lits);
    if (this.cache.has(key)) return this.cache.get(key);
    const r = this.compute(field, lits);
    this.cache.set(key, r);
    return r;
  }

  private ok(lits: readonly Literal[], v: Assigned, field: string): boolean {
    spend(1 + lits.length);
    const avoid = this.avoid.get(field);
    if (avoid && v !== ABSENT && avoid.length > 0) {
      const taken = avoidedSet(avoid);
      if (Array.isArray(v)) {
        for (const x of v as unknown[]) if (isAvoided(taken, x)) return false;
      } else if (isAvoided(taken, v)) return false;
    }
    for (const l of lits) if (!holds(l, v)) return false;
    return true;
  }

  private compute(field: string, lits: readonly Literal[]): Assigned | undefined {
    if (this.fixed.has(field)) {
      const v = this.fixed.get(field) as Assigned;
      return this.ok(lits, v, field) ? v : undefined;
    }
    const pos = lits.filter((l) => !l.neg);
    // Leaving the field out may satisfy even positive literals (`f IS NULL`).
    if (pos.length > 0 && !this.avoid.has(field) && pos.some((l) => l.atom.pred.test({})) && this.ok(lits, ABSENT, field)) return ABSENT;
    if (pos.length === 0 && !this.avoid.has(field)) {
      if (this.ok(lits, ABSENT, field)) return ABSENT;
      const any = this.anyValue(field, lits);
      if (any !== undefined) return any;
    }
    const domain = fieldDomain(field, lits.map((l) => l.atom));
    const cands: unknown[] = [];
    // `seen` makes the duplicate check constant-time (a Set also treats NaN as equal to itself,
    // which `===` does not: NaN is compared as before).
    const seen = new Set<unknown>();
    const push = (v: unknown): void => {
      if (v === undefined) return;
      if (v !== v) {
        cands.push(v);
        return;
      }
      if (seen.has(v)) return;
      seen.add(v);
      cands.push(v);
    };
    for (const l of pos) for (const c of l.atom.candidates ?? []) push(coerce(c, domain));
    switch (domain) {
      case 'numeric':
        DEFAULT_NUMBERS.forEach(push);
        break;
      case 'ip':
        DEFAULT_IPS.forEach(push);
        break;
      case 'boolean':
        push(true);
        push(false);
        break;
      case 'date':
        push(new Date(this.now).toISOString());
        push(new Date(this.now - 3_600_000).toISOString());
        break;
      default:
        push(defaultValue(field, domain, this.now));
    }
    for (const c of cands) if (this.ok(lits, c, field)) return c;
    // Fresh values when earlier ones are to be avoided (distinct counts).
    const avoid = this.avoid.get(field);
    if (avoid && avoid.length > 0) {
      if (domain === 'numeric') {
        const taken = avoidedSet(avoid);
        let tries = 0;
        for (let k = 1; k < 100_000 && tries < 300; k++) {
          if (taken.has(k)) continue;
          tries++;
          if (this.ok(lits, k, field)) return k;
        }
      } else if (domain === 'ip') {
        for (let k = avoid.length; k < avoid.length + 20; k++) {
          const ip = `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${(k & 255) + 1}`;
          if (this.ok(lits, ip, field)) return ip;
        }
      } else {
        const base = typeof cands[0] === 'string' ? (cands[0] as string) : `example-${field.split('.').pop() ?? 'value'}`;
        for (let k = avoid.length; k < avoid.length + 5; k++) {
          for (const v of [`${base}-${k}`, `${base}${k}`, `${k}${base}`]) if (this.ok(lits, v, field)) return v;
        }
      }
    }
    if (domain === 'keyword' || domain === 'text' || domain === 'ip') {
      const s = this.fromAutomaton(lits, field);
      if (s !== undefined) return s;
    }
    // Several positive atoms on a string: concatenations of their candidates (a prefix pattern
    // and a suffix pattern, two substrings, …).
    if (pos.length >= 2 && (domain === 'keyword' || domain === 'text')) {
      const per = pos.map((l) => (l.atom.candidates ?? []).filter((c): c is string => typeof c === 'string').slice(0, 6));
      const all = per.map((p) => p[0]).filter((x): x is string => x !== undefined);
      const combos: string[] = [all.join(''), all.join(' '), [...all].reverse().join(''), [...all].reverse().join(' ')];
      for (let i = 0; i < per.length && combos.length < 400; i++) {
        for (let j = 0; j < per.length; j++) {
          if (i === j) continue;
          for (const a of per[i] as string[]) for (const b of per[j] as string[]) combos.push(a + b, `${a} ${b}`);
        }
      }
      for (const c of combos.slice(0, 400)) if (this.ok(lits, c, field)) return c;
    }
    // One value per positive atom.
    if (pos.length >= 2) {
      const negs = lits.filter((l) => l.neg);
      const vals: unknown[] = [];
      for (const p of pos) {
        const v = this.solve(field, [p, ...negs]);
        if (v === undefined || v === ABSENT) return undefined;
        if (Array.isArray(v)) vals.push(...(v as unknown[]));
        else vals.push(v);
      }
      const arr = [...new Set(vals)];
      if (this.ok(lits, arr, field)) return arr;
    }
    return undefined;
  }

  private anyValue(field: string, lits: readonly Literal[]): Assigned | undefined {
    const domain = fieldDomain(field, lits.map((l) => l.atom));
    const v = defaultValue(field, domain, this.now);
    return this.ok(lits, v, field) ? v : undefined;
  }

  private fromAutomaton(lits: readonly Literal[], field: string): string | undefined {
    try {
      const L = new Lang();
      const parts: Re[] = [];
      let langs = 0;
      for (const l of lits) {
        const make = l.atom.lang;
        if (!make) continue;
        const re = make(L);
        if (re === null) continue;
        parts.push(l.neg ? L.not(re) : re);
        if (!l.neg) langs++;
      }
      // The values to avoid as one negated union (a trie of literals): one conjunct instead of
      // one per value, so each derivative costs the same however many values there are (a
      // cardinality of 100 distinct values made the search quadratic and its states wide).
      const avoid = this.avoid.get(field);
      const avoided = avoid !== undefined && avoid.length > 0 ? avoidedWords(avoid) : null;
      if (avoided !== null && avoided.words.length > 0) parts.push(L.not(trie(L, avoided)));
      if (langs === 0) {
        // No positive language: prefer a readable value avoiding the negatives.
        const base = L.catAll([L.literal('example-'), L.star(L.set([97, 122]))]);
        parts.push(base);
      }
      let s: string | null;
      const work = { n: 0 };
      try {
        s = L.shortestString(L.andList(parts), undefined, work);
      } finally {
        // The automaton's work: derivatives taken (weighted by width) and expressions built,
        // AUTOMATON_STEPS_PER_UNIT to a unit (a derivative is far cheaper than a search step).
        spend(Math.ceil((work.n + L.size) / AUTOMATON_STEPS_PER_UNIT));
      }
      if (s === null) return undefined;
      if (this.ok(lits, s, field)) return s;
      // The shortest string may be empty or unreadable; try a padded variant.
      return undefined;
    } catch (e) {
      if (e instanceof WorkBudgetExceeded) throw e;
      return undefined;
    }
  }
}

/**
 * The string values of an avoid list, kept per list (it only grows, see `avoidedSet`): their
 * code points in list order, and their indices sorted by code points, updated as the list grows
 * (a list of a thousand values lives across a thousand solvers: converting and grouping it
 * again for each trie was the cost of the repetition).
 */
interface AvoidedWords {
  /** Elements of the list seen so far. */
  n: number;
  /** Code points of the string elements, in list order. */
  words: number[][];
  /** Indices into `words`, in code-point order (a prefix before its extensions). */
  sorted: number[];
}

const avoidedWordsCache = new WeakMap<readonly unknown[], AvoidedWords>();

function compareWords(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

function avoidedWords(list: readonly unknown[]): AvoidedWords {
  let e = avoidedWordsCache.get(list);
  if (e === undefined || e.n > list.length) {
    e = { n: 0, words: [], sorted: [] };
    avoidedWordsCache.set(list, e);
  }
  const { words, sorted } = e;
  for (; e.n < list.length; e.n++) {
    const v = list[e.n];
    if (typeof v !== 'string') continue;
    const w = codePoints(v);
    const id = words.length;
    words.push(w);
    // Binary insertion after equal words.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareWords(words[sorted[mid] as number] as number[], w) <= 0) lo = mid + 1;
      else hi = mid;
    }
    sorted.splice(lo, 0, id);
  }
  return e;
}

/**
 * The union of literal strings (code points) as a trie: shared prefixes once, so a derivative
 * by a character touches one branch per distinct next character, not every string. Branches
 * come in the order of their first word in the list, and the expressions are built in the same
 * order as a recursive grouping of the list would (the automaton's node numbering is that of
 * the straightforward construction).
 */
function trie(L: Lang, aw: AvoidedWords): Re {
  if (aw.sorted.length === 0) return L.empty;
  return trieRange(L, aw.words, aw.sorted, 0, aw.sorted.length, 0);
}

/** The trie of `sorted[lo, hi)`, words that share their first `depth` code points. */
function trieRange(L: Lang, words: readonly (readonly number[])[], sorted: readonly number[], lo: number, hi: number, depth: number): Re {
  // A run of levels where every word goes on with the same character: a chain of characters
  // (built without recursing per character).
  const chain: Re[] = [];
  for (;;) {
    const first = words[sorted[lo] as number] as readonly number[];
    const last = words[sorted[hi - 1] as number] as readonly number[];
    // In code-point order a word that ends here comes first; one group when the first and last
    // words have the same next character.
    if (first.length <= depth || last.length <= depth || first[depth] !== last[depth]) break;
    chain.push(L.char(first[depth] as number));
    depth++;
  }
  let i = lo;
  let eps = false;
  while (i < hi && (words[sorted[i] as number] as readonly number[]).length <= depth) {
    eps = true;
    i++;
  }
  // Groups by next character (contiguous), ordered by their first word in the list.
  const groups: { c: number; lo: number; hi: number; first: number }[] = [];
  while (i < hi) {
    const c = (words[sorted[i] as number] as readonly number[])[depth] as number;
    let first = sorted[i] as number;
    let j = i + 1;
    for (; j < hi && (words[sorted[j] as number] as readonly number[])[depth] === c; j++) if ((sorted[j] as number) < first) first = sorted[j] as number;
    groups.push({ c, lo: i, hi: j, first });
    i = j;
  }
  groups.sort((a, b) => a.first - b.first);
  const branches: Re[] = [];
  for (const g of groups) {
    const ch = L.char(g.c);
    branches.push(L.cat(ch, trieRange(L, words, sorted, g.lo, g.hi, depth + 1)));
  }
  if (eps) branches.push(L.eps);
  let r = L.altList(branches);
  for (let k = chain.length - 1; k >= 0; k--) r = L.cat(chain[k] as Re, r);
  return r;
}

/** The code points of a string (`Array.from(s, (c) => c.codePointAt(0))`, without a call per character). */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

function coerce(v: unknown, domain: Domain): unknown {
  if (domain === 'numeric' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (domain === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

/** A stack of formulas: `f` on top of `next`. */
interface Pending {
  f: Formula;
  next: Pending | null;
}

/**
 * Depth-first search for literals satisfying `f`, field by field; `accept` is called with each
 * complete assignment and the literals behind it (returns true to stop).
 */
export function searchFormula(
  f: Formula,
  now: number,
  accept: (s: Solution) => boolean,
  opts: SolveOptions = {},
): Solution | null {
  const solver = new FieldSolver(now, opts.fixed ?? new Map(), opts.avoid ?? new Map());
  let budget = opts.budget ?? 4000;
  let found: Solution | null = null;
  const byField = new Map<string, Literal[]>();
  const others: Literal[] = [];
  const values = new Map<string, Assigned>();

  // The formulas left to satisfy, as a linked stack (each step shares the rest: copying an
  // array stack per step was a large share of the search's allocations).
  const step = (stack: Pending | null): boolean => {
    if (--budget < 0) return false;
    spend(1);
    if (stack === null) return complete();
    const rest = stack.next;
    const top = stack.f;
    switch (top.t) {
      case 'const':
        return top.v ? step(rest) : false;
      case 'and': {
        // The first conjunct on top.
        let s = rest;
        for (let i = top.xs.length - 1; i >= 0; i--) s = { f: top.xs[i] as Formula, next: s };
        return step(s);
      }
      case 'or':
        for (const x of top.xs) {
          if (step({ f: x, next: rest })) return true;
          if (budget < 0) return false;
        }
        return false;
      case 'lit': {
        const lit: Literal = { atom: top.atom, neg: top.neg };
        const field = top.atom.field;
        if (field === null) {
          others.push(lit);
          const ok = step(rest);
          others.pop();
          return ok;
        }
        const list = byField.get(field) ?? [];
        const next = [...list, lit];
        const v = solver.solve(field, next);
        if (v === undefined) return false;
        const prevValue = values.get(field);
        const hadValue = values.has(field);
        byField.set(field, next);
        values.set(field, v);
        const ok = step(rest);
        if (list.length === 0) byField.delete(field);
        else byField.set(field, list);
        if (hadValue) values.set(field, prevValue);
        else values.delete(field);
        return ok;
      }
    }
  };

  const complete = (): boolean => {
    const assign = new Map(values);
    for (const [k, v] of opts.fixed ?? []) if (!assign.has(k)) assign.set(k, v);
    for (const k of (opts.avoid ?? new Map<string, unknown[]>()).keys()) {
      if (assign.has(k)) continue;
      const v = solver.solve(k, []);
      if (v === undefined) return false;
      assign.set(k, v);
    }
    const literals = [...[...byField.values()].flat(), ...others];
    if (!repairOthers(assign, others, byField)) return false;
    const s: Solution = { assign, literals };
    if (accept(s)) {
      found = s;
      return true;
    }
    return false;
  };

  step({ f, next: null });
  return found;
}

/** Checks the multi-field literals on the built event, copying values between their fields if that helps. */
function repairOthers(assign: Map<string, Assigned>, others: readonly Literal[], byField: ReadonlyMap<string, Literal[]>): boolean {
  const holdsOn = (lit: Literal): boolean => holdsOnDoc(lit, buildDoc(assign));
  for (const lit of others) {
    if (holdsOn(lit)) continue;
    const fields = lit.atom.fields;
    let repaired = false;
    for (const from of fields) {
      for (const to of fields) {
        if (from === to || repaired) continue;
        const v = assign.get(from);
        if (v === undefined || v === ABSENT) continue;
        const prev = assign.get(to);
        assign.set(to, v);
        const toLits = byField.get(to) ?? [];
        if (holdsOn(lit) && toLits.every((l) => holds(l, v))) repaired = true;
        else if (prev === undefined) assign.delete(to);
        else assign.set(to, prev);
      }
    }
    if (!repaired) {
      // The atom's own constants, tried on each field, then on pairs of fields.
      const cands = (lit.atom.candidates ?? []).filter((c) => typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean').slice(0, 24);
      const saved = new Map(fields.map((fl) => [fl, assign.get(fl)]));
      const restore = (): void => {
        for (const [fl, v] of saved) {
          if (v === undefined) assign.delete(fl);
          else assign.set(fl, v);
        }
      };
      outer: for (const a of fields) {
        for (const ca of cands) {
          assign.set(a, ca);
          if (holdsOn(lit)) {
            repaired = true;
            break outer;
          }
          for (const b of fields) {
            if (b === a) continue;
            for (const cb of cands) {
              assign.set(b, cb);
              if (holdsOn(lit)) {
                repaired = true;
                break outer;
              }
            }
            const sb = saved.get(b);
            if (sb === undefined) assign.delete(b);
            else assign.set(b, sb);
          }
        }
        restore();
      }
      if (!repaired) restore();
    }
    if (!repaired) {
      // Fields with no value yet: give each a default value and retry the copy.
      for (const fld of fields) if (!assign.has(fld) || assign.get(fld) === ABSENT) assign.set(fld, `example-${fld}`);
      if (holdsOn(lit)) repaired = true;
      else {
        const first = fields[0];
        if (first !== undefined) {
          for (const to of fields.slice(1)) assign.set(to, assign.get(first));
          repaired = holdsOn(lit);
        }
      }
    }
    if (!repaired) return false;
  }
  return others.every(holdsOn);
}
