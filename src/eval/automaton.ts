/**
 * Regular languages as hash-consed expressions with Brzozowski derivatives, compiled to a DFA.
 *
 * This is what makes regular-expression matching safe: a pattern is compiled once, eagerly, into
 * a deterministic automaton (at most `MAX_DFA_STATES` states, Lucene's own determinisation limit,
 * and a bounded amount of work), and a string is then matched in one pass, one table lookup per
 * character: no backtracking, so `(a+)+$` on a long input costs the same as `a`.
 *
 * Derivatives support intersection and complement directly, which Lucene's optional regex
 * operators (`&`, `~`) need and which the example synthesiser uses to find a string that
 * satisfies several patterns at once and avoids others (`shortestString`).
 *
 * Characters are Unicode code points (as in Lucene). Character sets are sorted, disjoint,
 * inclusive ranges.
 */

export const MAX_CODE_POINT = 0x10ffff;
/** Lucene's default `max_determinized_states`. */
export const MAX_DFA_STATES = 10_000;
/** Derivative computations allowed for one DFA construction. */
export const MAX_DFA_WORK = 2_000_000;
/** Distinct expression nodes allowed for one pattern. */
export const MAX_NODES = 200_000;

export class TooComplexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TooComplexError';
  }
}

/** A character set: flat list of inclusive ranges `[lo0, hi0, lo1, hi1, …]`, sorted, disjoint. */
export type Ranges = readonly number[];

export function normaliseRanges(pairs: number[]): number[] {
  const items: [number, number][] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const lo = pairs[i] as number;
    const hi = pairs[i + 1] as number;
    if (lo <= hi) items.push([lo, hi]);
  }
  items.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of items) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as number) + 1) {
      if (hi > (out[n - 1] as number)) out[n - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

export function complementRanges(r: Ranges): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < r.length; i += 2) {
    const lo = r[i] as number;
    if (lo > next) out.push(next, lo - 1);
    next = (r[i + 1] as number) + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

export function rangesContain(r: Ranges, cp: number): boolean {
  let lo = 0;
  let hi = (r.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < (r[2 * mid] as number)) hi = mid - 1;
    else if (cp > (r[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Adds the other ASCII case of every ASCII letter in the set (Lucene's ASCII_CASE_INSENSITIVE). */
export function asciiCaseInsensitive(r: Ranges): number[] {
  const extra: number[] = [...r];
  for (let i = 0; i < r.length; i += 2) {
    const lo = r[i] as number;
    const hi = r[i + 1] as number;
    const a = Math.max(lo, 65), b = Math.min(hi, 90);
    if (a <= b) extra.push(a + 32, b + 32);
    const c = Math.max(lo, 97), d = Math.min(hi, 122);
    if (c <= d) extra.push(c - 32, d - 32);
  }
  return normaliseRanges(extra);
}

/** Adds the simple (single code point) upper and lower case of every character of a small set. */
export function unicodeCaseInsensitive(r: Ranges): number[] {
  const extra: number[] = [...r];
  let budget = 4096;
  for (let i = 0; i < r.length && budget > 0; i += 2) {
    const lo = r[i] as number;
    const hi = r[i + 1] as number;
    for (let cp = lo; cp <= hi && budget > 0; cp++, budget--) {
      const s = String.fromCodePoint(cp);
      for (const v of [s.toLowerCase(), s.toUpperCase()]) {
        const c = v.codePointAt(0) as number;
        if (v.length === String.fromCodePoint(c).length) extra.push(c, c);
      }
    }
  }
  return normaliseRanges(extra);
}

const enum K {
  Empty = 0,
  Eps = 1,
  Set = 2,
  Cat = 3,
  Alt = 4,
  And = 5,
  Not = 6,
  Star = 7,
}

interface Node {
  id: number;
  k: K;
  nullable: boolean;
  a: number;
  b: number;
  items: readonly number[];
  set: Ranges;
}

/** An expression id within a `Lang`. */
export type Re = number;

const NO_ITEMS: readonly number[] = [];

/**
 * Derivatives computed so far: by expression, the derivative + 1 by character class (0: not
 * yet). The rows of the expressions derived so far share one growing array (a typed array per
 * expression was an allocation, and a backing store to free, per derivative taken).
 */
class DerivMemo {
  /** By expression: 1 + the offset of its row in `table` (0: no row yet). */
  private rowOf: Int32Array;
  private table: Int32Array;
  /** Entries of `table` in rows. */
  private used = 0;
  constructor(private readonly nClasses: number) {
    this.rowOf = new Int32Array(64);
    this.table = new Int32Array(nClasses * 16);
  }

  /** The offset of the row of `id` in `table` (a new zeroed row the first time). */
  row(id: Re): number {
    if (id >= this.rowOf.length) {
      const grown = new Int32Array(Math.max(id + 1, this.rowOf.length * 2));
      grown.set(this.rowOf);
      this.rowOf = grown;
    }
    const at = this.rowOf[id] as number;
    if (at !== 0) return at - 1;
    const offset = this.used;
    this.used += this.nClasses;
    if (this.used > this.table.length) {
      const grown = new Int32Array(Math.max(this.used, this.table.length * 2));
      grown.set(this.table.subarray(0, offset));
      this.table = grown;
    }
    this.rowOf[id] = offset + 1;
    return offset;
  }

  get(offset: number, c: number): number {
    return this.table[offset + c] as number;
  }

  set(offset: number, c: number, v: number): void {
    this.table[offset + c] = v;
  }
}

function sameItems(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The numbers of `xs` in increasing order, each once (sorts `xs`). */
function sortedDistinct(xs: number[]): number[] {
  if (xs.length <= 16) {
    // Insertion sort: most lists are short, and a comparator call per comparison is the cost.
    for (let i = 1; i < xs.length; i++) {
      const v = xs[i] as number;
      let j = i - 1;
      for (; j >= 0 && (xs[j] as number) > v; j--) xs[j + 1] = xs[j] as number;
      xs[j + 1] = v;
    }
  } else {
    const sorted = Int32Array.from(xs).sort();
    for (let i = 0; i < sorted.length; i++) xs[i] = sorted[i] as number;
  }
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (i === 0 || xs[i] !== xs[n - 1]) xs[n++] = xs[i] as number;
  // Setting an array's length is a runtime call: only when there were duplicates.
  if (n !== xs.length) xs.length = n;
  return xs;
}

/**
 * A factory of regular-language expressions (hash-consed: equal expressions share one id).
 * All expressions used together must come from the same `Lang`.
 */
export class Lang {
  private readonly nodes: Node[] = [];
  // Hash-consing tables, one per kind of node (numeric keys: building a string key per lookup
  // was most of the cost of a derivative).
  private readonly sets = new Map<string, Re>();
  /** Single-character sets by code point (a shortcut to `sets`). */
  private readonly chars = new Map<number, Re>();
  /** Cat nodes by left operand, then right operand. */
  private readonly cats = new Map<Re, Map<Re, Re>>();
  private readonly nots = new Map<Re, Re>();
  private readonly stars = new Map<Re, Re>();
  /** Alt and And nodes by a hash of their kind and items (collisions share a bucket). */
  private readonly lists = new Map<number, Re[]>();
  readonly empty: Re;
  readonly eps: Re;
  readonly anyChar: Re;
  readonly anyString: Re;

  constructor() {
    this.empty = this.add(K.Empty, false, 0, 0, NO_ITEMS, NO_ITEMS);
    this.eps = this.add(K.Eps, true, 0, 0, NO_ITEMS, NO_ITEMS);
    this.anyChar = this.set([0, MAX_CODE_POINT]);
    this.anyString = this.star(this.anyChar);
  }

  get size(): number {
    return this.nodes.length;
  }

  /** A new node (the caller has checked that no equal node exists). */
  private add(k: K, nullable: boolean, a: number, b: number, items: readonly number[], set: Ranges): Re {
    if (this.nodes.length >= MAX_NODES) throw new TooComplexError(`the pattern expands to more than ${MAX_NODES} automaton nodes`);
    const id = this.nodes.length;
    this.nodes.push({ id, k, nullable, a, b, items, set });
    return id;
  }

  /** The Alt or And node of sorted, distinct `items` (at least two). */
  private list(k: K.Alt | K.And, items: readonly number[]): Re {
    let h = k === K.Alt ? 0x2545f491 : 0x6b43a9b5;
    for (let i = 0; i < items.length; i++) h = Math.imul(h ^ (items[i] as number), 0x01000193);
    h &= 0x3fffffff;
    const bucket = this.lists.get(h);
    if (bucket !== undefined) {
      for (const id of bucket) {
        const n = this.nodes[id] as Node;
        if (n.k === k && sameItems(n.items, items)) return id;
      }
    }
    let nullable: boolean;
    if (k === K.Alt) {
      nullable = false;
      for (const i of items) if (this.nullable(i)) nullable = true;
    } else {
      nullable = true;
      for (const i of items) if (!this.nullable(i)) nullable = false;
    }
    const id = this.add(k, nullable, 0, 0, items, NO_ITEMS);
    if (bucket !== undefined) bucket.push(id);
    else this.lists.set(h, [id]);
    return id;
  }

  private node(id: Re): Node {
    return this.nodes[id] as Node;
  }

  nullable(id: Re): boolean {
    return this.node(id).nullable;
  }

  isEmpty(id: Re): boolean {
    return id === this.empty;
  }

  set(ranges: Ranges): Re {
    if (ranges.length === 0) return this.empty;
    const key = ranges.join(',');
    const found = this.sets.get(key);
    if (found !== undefined) return found;
    const id = this.add(K.Set, false, 0, 0, NO_ITEMS, ranges);
    this.sets.set(key, id);
    return id;
  }

  char(cp: number): Re {
    const found = this.chars.get(cp);
    if (found !== undefined) return found;
    const id = this.set([cp, cp]);
    this.chars.set(cp, id);
    return id;
  }

  /** A literal string (code points). */
  literal(s: string): Re {
    let r = this.eps;
    const cps = Array.from(s, (c) => c.codePointAt(0) as number);
    for (let i = cps.length - 1; i >= 0; i--) r = this.cat(this.char(cps[i] as number), r);
    return r;
  }

  cat(a: Re, b: Re): Re {
    if (a === this.empty || b === this.empty) return this.empty;
    if (a === this.eps) return b;
    if (b === this.eps) return a;
    let byRight = this.cats.get(a);
    if (byRight === undefined) {
      byRight = new Map();
      this.cats.set(a, byRight);
    }
    const found = byRight.get(b);
    if (found !== undefined) return found;
    const id = this.add(K.Cat, this.nullable(a) && this.nullable(b), a, b, NO_ITEMS, NO_ITEMS);
    byRight.set(b, id);
    return id;
  }

  catAll(parts: Re[]): Re {
    let r = this.eps;
    for (let i = parts.length - 1; i >= 0; i--) r = this.cat(parts[i] as Re, r);
    return r;
  }

  alt(...xs: Re[]): Re {
    return this.altList(xs);
  }

  altList(xs: readonly Re[]): Re {
    const flat: number[] = [];
    for (const x of xs) this.pushAlternatives(flat, x);
    return this.altOfFlat(flat);
  }

  /** Adds the alternatives of `x` to `flat` (an Alt's items, nothing for the empty language). */
  private pushAlternatives(flat: number[], x: Re): void {
    const n = this.node(x);
    if (n.k === K.Alt) for (const y of n.items) flat.push(y);
    else if (x !== this.empty) flat.push(x);
  }

  /** The union of flattened alternatives (sorts `flat`). */
  private altOfFlat(flat: number[]): Re {
    if (flat.includes(this.anyString)) return this.anyString;
    const items = sortedDistinct(flat);
    if (items.length === 0) return this.empty;
    if (items.length === 1) return items[0] as Re;
    return this.list(K.Alt, items);
  }

  /** `altList([a, b])` without the lists when neither is an Alt. */
  private alt2(a: Re, b: Re): Re {
    if (this.node(a).k === K.Alt || this.node(b).k === K.Alt) return this.altList([a, b]);
    if (a === this.empty) return b;
    if (b === this.empty) return a;
    if (a === this.anyString || b === this.anyString) return this.anyString;
    if (a === b) return a;
    return this.list(K.Alt, a < b ? [a, b] : [b, a]);
  }

  and(...xs: Re[]): Re {
    return this.andList(xs);
  }

  andList(xs: readonly Re[]): Re {
    const flat: number[] = [];
    for (const x of xs) {
      const n = this.node(x);
      if (x === this.empty) return this.empty;
      if (n.k === K.And) flat.push(...n.items);
      else if (x !== this.anyString) flat.push(x);
    }
    const items = sortedDistinct(flat);
    if (items.length === 0) return this.anyString;
    if (items.length === 1) return items[0] as Re;
    return this.list(K.And, items);
  }

  not(a: Re): Re {
    const n = this.node(a);
    if (n.k === K.Not) return n.a;
    const found = this.nots.get(a);
    if (found !== undefined) return found;
    const id = this.add(K.Not, !n.nullable, a, 0, NO_ITEMS, NO_ITEMS);
    this.nots.set(a, id);
    return id;
  }

  star(a: Re): Re {
    const n = this.node(a);
    if (n.k === K.Star) return a;
    if (a === this.eps || a === this.empty) return this.eps;
    const found = this.stars.get(a);
    if (found !== undefined) return found;
    const id = this.add(K.Star, true, a, 0, NO_ITEMS, NO_ITEMS);
    this.stars.set(a, id);
    return id;
  }

  plus(a: Re): Re {
    return this.cat(a, this.star(a));
  }

  opt(a: Re): Re {
    return this.alt(a, this.eps);
  }

  /** `a{min,max}` (`max` null: unbounded), built as Lucene does (nested optionals for the tail). */
  repeat(a: Re, min: number, max: number | null): Re {
    if (max !== null && min > max) return this.empty;
    let tail: Re;
    if (max === null) tail = this.star(a);
    else {
      tail = this.eps;
      for (let i = 0; i < max - min; i++) tail = this.opt(this.cat(a, tail));
    }
    let r = tail;
    for (let i = 0; i < min; i++) r = this.cat(a, r);
    return r;
  }

  /** Every character set an expression mentions (for the alphabet partition). */
  private collectSets(root: Re, out: Set<Re>, seen: Set<Re>): void {
    const stack = [root];
    while (stack.length > 0) {
      const id = stack.pop() as Re;
      if (seen.has(id)) continue;
      seen.add(id);
      const n = this.node(id);
      switch (n.k) {
        case K.Set:
          out.add(id);
          break;
        case K.Cat:
          stack.push(n.a, n.b);
          break;
        case K.Alt:
        case K.And:
          stack.push(...n.items);
          break;
        case K.Not:
        case K.Star:
          stack.push(n.a);
          break;
        default:
          break;
      }
    }
  }

  /**
   * Partitions the code points into classes that no character set of `roots` tells apart.
   * Returns the class boundaries (each class is a union of intervals) and a representative per class.
   */
  partition(roots: readonly Re[]): Partition {
    const sets = new Set<Re>();
    const seen = new Set<Re>();
    for (const r of roots) this.collectSets(r, sets, seen);
    const cuts = new Set<number>([0]);
    const setList = [...sets].map((id) => this.node(id).set);
    for (const s of setList) {
      for (let i = 0; i < s.length; i += 2) {
        cuts.add(s[i] as number);
        if ((s[i + 1] as number) + 1 <= MAX_CODE_POINT) cuts.add((s[i + 1] as number) + 1);
      }
    }
    const starts = [...cuts].sort((p, q) => p - q);
    // Interval membership signature → class.
    const classOfInterval = new Int32Array(starts.length);
    const bySig = new Map<string, number>();
    const reps: number[] = [];
    const repScore: number[] = [];
    for (let i = 0; i < starts.length; i++) {
      const lo = starts[i] as number;
      const hi = i + 1 < starts.length ? (starts[i + 1] as number) - 1 : MAX_CODE_POINT;
      let sig = '';
      for (let j = 0; j < setList.length; j++) sig += rangesContain(setList[j] as Ranges, lo) ? '1' : '0';
      let c = bySig.get(sig);
      const cand = preferredChar(lo, hi);
      if (c === undefined) {
        c = reps.length;
        bySig.set(sig, c);
        reps.push(cand);
        repScore.push(charScore(cand));
      } else if (charScore(cand) > (repScore[c] as number)) {
        reps[c] = cand;
        repScore[c] = charScore(cand);
      }
      classOfInterval[i] = c;
    }
    return new Partition(starts, classOfInterval, reps);
  }

  /** The derivative of `id` by any character of class `c` (representative `rep`). */
  private deriv(id: Re, c: number, rep: number, memo: DerivMemo, nClasses: number, work: { n: number }): Re {
    const row = memo.row(id);
    const hit = memo.get(row, c);
    if (hit !== 0) return hit - 1;
    if (++work.n > MAX_DFA_WORK) throw new TooComplexError('the pattern needs too much work to compile into an automaton');
    const n = this.node(id);
    let r: Re;
    switch (n.k) {
      case K.Empty:
      case K.Eps:
        r = this.empty;
        break;
      case K.Set:
        r = rangesContain(n.set, rep) ? this.eps : this.empty;
        break;
      case K.Cat: {
        const left = this.cat(this.deriv(n.a, c, rep, memo, nClasses, work), n.b);
        r = this.nullable(n.a) ? this.alt2(left, this.deriv(n.b, c, rep, memo, nClasses, work)) : left;
        break;
      }
      case K.Alt:
        // Work grows with the width of what is built, not just the number of derivatives: wide
        // alternations (`*a*a*a…` unrolled) made each derivative cost its width.
        work.n += n.items.length;
        {
          // altList of the items' derivatives, flattened as they come.
          const flat: number[] = [];
          for (const x of n.items) this.pushAlternatives(flat, this.deriv(x, c, rep, memo, nClasses, work));
          r = this.altOfFlat(flat);
        }
        break;
      case K.And:
        work.n += n.items.length;
        r = this.andList(n.items.map((x) => this.deriv(x, c, rep, memo, nClasses, work)));
        break;
      case K.Not:
        r = this.not(this.deriv(n.a, c, rep, memo, nClasses, work));
        break;
      case K.Star:
        r = this.cat(this.deriv(n.a, c, rep, memo, nClasses, work), id);
        break;
    }
    memo.set(row, c, r + 1);
    return r;
  }

  /** Compiles an expression into a DFA (throws `TooComplexError` past the limits). */
  compile(root: Re, maxStates = MAX_DFA_STATES): Dfa {
    const part = this.partition([root]);
    const nc = part.reps.length;
    const memo = new DerivMemo(nc);
    const work = { n: 0 };
    const stateOf = new Map<Re, number>([[root, 0]]);
    const order: Re[] = [root];
    const trans: number[] = [];
    for (let s = 0; s < order.length; s++) {
      const id = order[s] as Re;
      for (let c = 0; c < nc; c++) {
        const d = this.deriv(id, c, part.reps[c] as number, memo, nc, work);
        let t = stateOf.get(d);
        if (t === undefined) {
          t = order.length;
          if (t >= maxStates) throw new TooComplexError(`the pattern needs more than ${maxStates} automaton states (Elasticsearch refuses it too)`);
          stateOf.set(d, t);
          order.push(d);
        }
        trans.push(t);
      }
    }
    const accept = new Uint8Array(order.length);
    const dead = new Uint8Array(order.length);
    order.forEach((id, i) => {
      accept[i] = this.nullable(id) ? 1 : 0;
      dead[i] = id === this.empty ? 1 : 0;
    });
    return new Dfa(part, Int32Array.from(trans), accept, dead, nc);
  }

  /**
   * A shortest string in the language of `root` (breadth-first over derivatives), preferring
   * readable characters; null when the language is empty or the search exceeds its budget.
   * `work` (a fresh counter) receives the derivative work done (synthesis counts it).
   */
  shortestString(root: Re, maxStates = 20_000, work: { n: number } = { n: 0 }): string | null {
    if (root === this.empty) return null;
    const part = this.partition([root]);
    const nc = part.reps.length;
    const order = part.reps.map((r, i) => i).sort((x, y) => charScore(part.reps[y] as number) - charScore(part.reps[x] as number));
    const memo = new DerivMemo(nc);
    const prev = new Map<Re, { from: Re; cp: number } | null>([[root, null]]);
    let frontier: Re[] = [root];
    while (frontier.length > 0) {
      const next: Re[] = [];
      for (const id of frontier) {
        if (this.nullable(id)) {
          const cps: number[] = [];
          let cur: Re = id;
          for (;;) {
            const p = prev.get(cur);
            if (!p) break;
            cps.push(p.cp);
            cur = p.from;
          }
          return String.fromCodePoint(...cps.reverse());
        }
        for (const c of order) {
          let d: Re;
          try {
            d = this.deriv(id, c, part.reps[c] as number, memo, nc, work);
          } catch {
            return null;
          }
          if (d === this.empty || prev.has(d)) continue;
          prev.set(d, { from: id, cp: part.reps[c] as number });
          if (prev.size > maxStates) return null;
          next.push(d);
        }
      }
      frontier = next;
    }
    return null;
  }
}

/** How readable a character is as an example (letters and digits first). */
function charScore(cp: number): number {
  if (cp >= 97 && cp <= 122) return 6;
  if (cp >= 48 && cp <= 57) return 5;
  if (cp >= 65 && cp <= 90) return 4;
  if (cp === 95 || cp === 45 || cp === 46 || cp === 47) return 3;
  if (cp > 32 && cp < 127) return 2;
  if (cp === 32) return 1;
  return 0;
}

/** The most readable character in `[lo, hi]`. */
function preferredChar(lo: number, hi: number): number {
  for (const [a, b] of [[97, 122], [48, 57], [65, 90]] as const) {
    const x = Math.max(lo, a);
    if (x <= Math.min(hi, b)) return x;
  }
  for (const p of [95, 45, 46, 47]) if (p >= lo && p <= hi) return p;
  const x = Math.max(lo, 33);
  if (x <= Math.min(hi, 126)) return x;
  if (lo <= 32 && hi >= 32) return 32;
  if (lo >= 0xd800 && lo <= 0xdfff) return hi > 0xdfff ? 0xe000 : lo;
  return lo;
}

/** A partition of the code points into classes. */
export class Partition {
  private readonly ascii = new Int32Array(128);
  constructor(
    /** Sorted interval starts (the first is 0). */
    readonly starts: readonly number[],
    /** Class of each interval. */
    readonly classOfInterval: Int32Array,
    /** A representative code point per class. */
    readonly reps: readonly number[],
  ) {
    for (let cp = 0; cp < 128; cp++) this.ascii[cp] = this.lookup(cp);
  }

  private lookup(cp: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((s[mid] as number) <= cp) lo = mid;
      else hi = mid - 1;
    }
    return this.classOfInterval[lo] as number;
  }

  classOf(cp: number): number {
    return cp < 128 ? (this.ascii[cp] as number) : this.lookup(cp);
  }
}

/** A deterministic automaton over code-point classes. */
export class Dfa {
  constructor(
    private readonly part: Partition,
    private readonly trans: Int32Array,
    private readonly accept: Uint8Array,
    private readonly dead: Uint8Array,
    private readonly nClasses: number,
  ) {}

  get stateCount(): number {
    return this.accept.length;
  }

  /** Whether the whole string is in the language (one table step per code point). */
  matches(s: string): boolean {
    const nc = this.nClasses;
    const trans = this.trans;
    const part = this.part;
    let st = 0;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      let cp = s.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const lo = s.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
          i++;
        }
      }
      st = trans[st * nc + part.classOf(cp)] as number;
      if (this.dead[st] === 1) return false;
    }
    return this.accept[st] === 1;
  }
}
