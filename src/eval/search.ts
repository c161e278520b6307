/**
 * The Elasticsearch queries KQL and Lucene query strings turn into, evaluated against one JSON
 * document, field type by field type (ECS types, see ecs.ts):
 *
 * - match (KQL unquoted value, Lucene term): keyword-family fields compare the whole value
 *   exactly (case-sensitive); text fields (`match_only_text`, `text`, ECS `.text` multi-fields)
 *   compare analysed tokens (standard analyzer) and any query token is enough; numeric, date,
 *   ip (an address or a CIDR block), boolean fields compare typed values.
 * - phrase (quoted value): keyword fields compare the whole value; text fields need the query's
 *   tokens consecutively (within `slop` moves).
 * - wildcard: keyword fields match the whole value; text fields match one token, with the
 *   pattern lower-cased (the analyzer's normaliser).
 * - regexp (Lucene `/…/`): the whole keyword value, or one token of a text field.
 * - range: numbers, dates (with date math relative to `now`; `/d` rounding as Elasticsearch
 *   does for `gt`/`lte`), IP addresses, keywords (by code unit).
 * - exists: the field has a non-null value.
 * - fuzzy (Lucene `~`): Damerau-Levenshtein distance (AUTO fuzziness when no number is given).
 *
 * Field names may be patterns (`file.hash.*`, `*`): they match the document's own fields.
 * `name.text` of an ECS field with a text multi-field reads `name` with text semantics;
 * `name.keyword` of a field that is not in the document reads `name` (the dynamic-mapping
 * convention). Fields unknown to ECS are keyword (numbers and booleans by their JSON type).
 */
import { standardTokens } from './analyzer';
import { cidrContains } from './cidr';
import { parseDate, parseDateMath } from './dates';
import { ecsType, familyOfType, type FieldFamily } from './ecs';
import { fieldPath, fieldValues, leafFields, scanValues, type FieldPath } from './fields';
import { compileLuceneRegex } from './regex';
import { outcomeOf, sampleValues, type Pred, type TraceNode } from './trace';
import { booleanOf, compareIn, dynamicFamily, equalsIn, ipOf, keywordOf, numberOf, operand, show, type Operand, type RangeOp } from './values';
import { compileWildcard, type WildToken } from './wildcard';
import type { Loc } from '../model/span';

export class SearchCompileError extends Error {
  constructor(message: string, readonly loc: Loc) {
    super(message);
    this.name = 'SearchCompileError';
  }
}

/** A resolved field: where its values come from and how they compare. */
export interface FieldRef {
  /** The name as the query wrote it (relative to a nested scope). */
  name: string;
  /** Full dotted name (with the nested prefix) for typing. */
  fullName: string;
  /** True when the name has `*` (matched against the document's fields). */
  pattern: boolean;
}

interface Resolved {
  name: string;
  family: FieldFamily | null;
  values: unknown[];
}

const fieldPatternCache = new Map<string, RegExp>();

function fieldPatternRe(p: string): RegExp {
  let re = fieldPatternCache.get(p);
  if (!re) {
    re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    fieldPatternCache.set(p, re);
  }
  return re;
}

/** Resolves a field reference in a document into (name, family, values) triples. */
export class FieldResolver {
  private readonly path: FieldPath | null;
  private readonly staticFamily: FieldFamily | null;
  /** `x.text` → `x` read as text; `x.keyword` → `x` when absent. */
  private readonly alias: { path: FieldPath; family: FieldFamily | null } | null;
  constructor(readonly ref: FieldRef) {
    if (ref.pattern) {
      this.path = null;
      this.staticFamily = null;
      this.alias = null;
      return;
    }
    this.path = fieldPath(ref.name);
    this.staticFamily = staticFamily(ref.fullName);
    if (ref.name.endsWith('.text') && this.staticFamily === 'text' && ecsType(ref.fullName.slice(0, -5)) !== null) {
      this.alias = { path: fieldPath(ref.name.slice(0, -5)), family: 'text' };
    } else if (ref.name.endsWith('.keyword') && this.staticFamily === null) {
      this.alias = { path: fieldPath(ref.name.slice(0, -8)), family: 'keyword' };
    } else this.alias = null;
  }

  /** A plain field (no pattern, no multi-field alias): values can be scanned in place. */
  get simple(): { path: FieldPath; family: FieldFamily | null } | null {
    return this.path !== null && this.alias === null ? { path: this.path, family: this.staticFamily } : null;
  }

  resolve(doc: unknown): Resolved[] {
    if (this.path !== null) {
      let values = fieldValues(doc, this.path);
      let family = this.staticFamily;
      if (this.alias !== null && (values.length === 0 || this.alias.family === 'text')) {
        const v = fieldValues(doc, this.alias.path);
        if (v.length > 0 || this.alias.family === 'text') {
          values = this.alias.family === 'text' ? [...values, ...v] : v;
          family = this.alias.family ?? family;
        }
      }
      return [{ name: this.ref.name, family, values }];
    }
    const re = fieldPatternRe(this.ref.name);
    const out: Resolved[] = [];
    const prefix = this.ref.fullName.slice(0, this.ref.fullName.length - this.ref.name.length);
    for (const [name, values] of leafFields(doc)) {
      if (re.test(name)) out.push({ name, family: staticFamily(prefix + name), values });
    }
    return out;
  }
}

export function staticFamily(name: string): FieldFamily | null {
  const t = ecsType(name);
  if (t === null) return null;
  const f = familyOfType(t);
  return f === 'other' ? 'keyword' : f;
}

/** A test of one value, given the field's family (null family: typed by the value). */
export type ValueTest = (family: FieldFamily, v: unknown) => boolean;

function familyFor(r: Resolved, v: unknown): FieldFamily {
  return r.family ?? dynamicFamily(v);
}

/** A predicate over one field reference: any value of any resolved field passing `test`. */
export function fieldPred(ref: FieldRef, test: ValueTest, loc: Loc, kind: string, describe: string): Pred {
  const resolver = new FieldResolver(ref);
  const run = (doc: unknown): { ok: boolean; hit: unknown; values: unknown[]; fields: string[] } => {
    const all: unknown[] = [];
    const fields: string[] = [];
    for (const r of resolver.resolve(doc)) {
      fields.push(r.name);
      for (const v of r.values) {
        all.push(v);
        if (test(familyFor(r, v), v)) return { ok: true, hit: v, values: r.values, fields };
      }
    }
    return { ok: false, hit: undefined, values: all, fields };
  };
  const simple = resolver.simple;
  let fast: ((doc: unknown) => boolean) | null = null;
  if (simple) {
    const fam = simple.family;
    const path = simple.path;
    const one = fam !== null ? (v: unknown): boolean => test(fam, v) : (v: unknown): boolean => test(dynamicFamily(v), v);
    fast = (doc) => scanValues(doc, path, one) === 1;
  }
  return {
    test: fast ?? ((doc) => run(doc).ok),
    explain(doc) {
      const r = run(doc);
      const node: TraceNode = {
        kind,
        loc,
        outcome: outcomeOf(r.ok, r.values.length === 0),
        field: ref.pattern ? `${ref.name} (${r.fields.slice(0, 5).join(', ') || 'no field matches'})` : ref.name,
        values: sampleValues(r.values),
        note: r.values.length === 0 ? 'the field has no value' : r.ok ? `${show(r.hit)} ${describe}` : `no value ${describe}`,
      };
      return node;
    },
  };
}

export function existsPred(ref: FieldRef, loc: Loc): Pred {
  const resolver = new FieldResolver(ref);
  const values = (doc: unknown): unknown[] => resolver.resolve(doc).flatMap((r) => r.values);
  const simple = resolver.simple;
  const yes = (): boolean => true;
  return {
    test: simple ? (doc) => scanValues(doc, simple.path, yes) !== -1 : (doc) => values(doc).length > 0,
    explain(doc) {
      const v = values(doc);
      return { kind: 'exists', loc, outcome: v.length > 0 ? 'true' : 'missing', field: ref.name, values: sampleValues(v), note: v.length > 0 ? 'the field has a value' : 'the field has no value' };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Value tests

/** `match` / term semantics. */
export function matchTest(text: string, now: number): ValueTest {
  const op = operand(text, now);
  const tokens = standardTokens(text);
  const tokenSet = new Set(tokens);
  return (family, v) => {
    switch (family) {
      case 'text': {
        if (tokenSet.size === 0) return false;
        const s = keywordOf(v);
        if (s === null) return false;
        for (const t of standardTokens(s)) if (tokenSet.has(t)) return true;
        return false;
      }
      case 'date': {
        const d = parseDate(v);
        const q = parseDateMath(text, now);
        return d !== null && q !== null && d === q;
      }
      default:
        return equalsIn(family, v, op);
    }
  };
}

/** `match_phrase` semantics (`slop`: allowed moves between consecutive tokens). */
export function phraseTest(text: string, now: number, slop = 0): ValueTest {
  const tokens = standardTokens(text);
  const other = matchTest(text, now);
  return (family, v) => {
    if (family !== 'text') return other(family, v);
    if (tokens.length === 0) return false;
    const s = keywordOf(v);
    if (s === null) return false;
    const doc = standardTokens(s);
    return phraseIn(doc, tokens, slop);
  };
}

function phraseIn(doc: string[], q: string[], slop: number): boolean {
  for (let i = 0; i < doc.length; i++) {
    if (doc[i] !== q[0]) continue;
    let pos = i;
    let used = 0;
    let ok = true;
    for (let k = 1; k < q.length; k++) {
      let found = -1;
      for (let j = pos + 1; j <= Math.min(doc.length - 1, pos + 1 + slop - used); j++) {
        if (doc[j] === q[k]) {
          found = j;
          break;
        }
      }
      if (found < 0) {
        ok = false;
        break;
      }
      used += found - pos - 1;
      pos = found;
    }
    if (ok) return true;
  }
  return false;
}

/** `wildcard` semantics over keyword values (or one token of a text field, pattern lower-cased). */
export function wildcardTest(tokens: readonly WildToken[], caseInsensitive = false): ValueTest {
  const exact = compileWildcard(tokens, caseInsensitive);
  const lowered = compileWildcard(
    tokens.map((t) => (typeof t === 'string' ? t.toLowerCase() : t)),
    caseInsensitive,
  );
  return (family, v) => {
    const s = keywordOf(v);
    if (s === null) return false;
    if (family === 'text') {
      for (const t of standardTokens(s)) if (lowered.test(t)) return true;
      return false;
    }
    if (family === 'keyword' || family === 'other') return exact.test(s);
    return false;
  };
}

/** `regexp` semantics. */
export function regexTest(pattern: string, loc: Loc): ValueTest {
  const r = compileLuceneRegex(pattern, false);
  if (!r.ok) throw new SearchCompileError(r.error, loc);
  return (family, v) => {
    const s = keywordOf(v);
    if (s === null) return false;
    if (family === 'text') return standardTokens(s).some((t) => r.test(t));
    if (family === 'keyword' || family === 'other') return r.test(s);
    return false;
  };
}

export interface RangeBounds {
  lower: string | null;
  upper: string | null;
  includeLower: boolean;
  includeUpper: boolean;
}

/** `range` semantics. */
export function rangeTest(b: RangeBounds, now: number): ValueTest {
  const lo = b.lower === null ? null : operand(b.lower, now);
  const hi = b.upper === null ? null : operand(b.upper, now);
  // Date math rounding: gt and lte round up, gte and lt round down.
  const loDate = b.lower === null ? null : parseDateMath(b.lower, now, !b.includeLower);
  const hiDate = b.upper === null ? null : parseDateMath(b.upper, now, b.includeUpper);
  const loOp: RangeOp = b.includeLower ? '>=' : '>';
  const hiOp: RangeOp = b.includeUpper ? '<=' : '<';
  const side = (family: FieldFamily, v: unknown, o: Operand | null, op: RangeOp, date: number | null): boolean => {
    if (o === null) return true;
    if (family === 'text') {
      const s = keywordOf(v);
      return s !== null && standardTokens(s).some((t) => compareIn('keyword', t, op, o));
    }
    return compareIn(family, v, op, o, family === 'date' ? date : undefined);
  };
  return (family, v) => side(family, v, lo, loOp, loDate) && side(family, v, hi, hiOp, hiDate);
}

/** Damerau-Levenshtein distance of two strings, capped (returns cap + 1 past it). */
export function editDistance(a: string, b: string, cap: number): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > cap) return cap + 1;
  const prev2 = new Array<number>(y.length + 1).fill(0);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    for (let j = 0; j <= y.length; j++) prev2[j] = prev[j] as number;
    prev = cur;
    if (rowMin > cap) return cap + 1;
  }
  return prev[y.length] as number;
}

/** Lucene fuzzy query semantics (distance null: AUTO — 0 up to 2 characters, 1 up to 5, else 2). */
export function fuzzyTest(term: string, distance: number | null): ValueTest {
  const len = Array.from(term).length;
  const d = distance ?? (len <= 2 ? 0 : len <= 5 ? 1 : 2);
  const lowered = term.toLowerCase();
  return (family, v) => {
    const s = keywordOf(v);
    if (s === null) return false;
    if (family === 'text') return standardTokens(s).some((t) => editDistance(t, lowered, d) <= d);
    if (family === 'keyword' || family === 'other') return editDistance(s, term, d) <= d;
    return false;
  };
}

/** Free text (no field): every field of the document, with its own type. */
export const ALL_FIELDS: FieldRef = { name: '*', fullName: '*', pattern: true };

export { booleanOf, numberOf, ipOf, cidrContains };
