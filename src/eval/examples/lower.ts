/**
 * Lowering query ASTs (EQL conditions, KQL, Lucene) to the synthesiser's formulas. Each atom's
 * predicate is compiled by the evaluator itself from the atom's own AST node, so that whatever
 * value the solver proposes is checked with exactly the semantics a run uses.
 */
import type { Loc } from '../../model/span';
import type { Call, Category, Comparison, Expr, Field, InExpr, Literal as EqlLiteral, MatchExpr } from '../../lang/eql/ast';
import type { KqlLiteral, KqlQuery, KqlValue } from '../../lang/kql/ast';
import { printKqlLiteral } from '../../lang/kql/print';
import type { LuceneQuery } from '../../lang/lucene/ast';
import { unicodeCaseInsensitive, type Lang, type Re } from '../automaton';
import { parseCidr, formatIp } from '../cidr';
import { ecsFields } from '../ecs';
import { EqlCompiler, staticFamilyOf } from '../eql/compile';
import { compileKqlNode } from '../kql';
import { compileLuceneNode } from '../lucene';
import { parseLuceneRegex } from '../regex';
import { staticFamily } from '../search';
import type { Pred } from '../trace';
import { eqlWildcardTokens, kqlWildcardTokens, luceneWildcardTokens, ONE, STAR, wildcardLanguage, type WildToken } from '../wildcard';
import { docWith } from './build';
import { andF, AtomFactory, FALSE_F, notF, orF, TRUE_F, type Atom, type Domain, type Formula } from './formula';

export interface LowerContext {
  F: AtomFactory;
  now: number;
}

function caseSet(cp: number): number[] {
  return unicodeCaseInsensitive([cp, cp]);
}

export function literalLang(L: Lang, s: string, ci: boolean): Re {
  const parts: Re[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    parts.push(ci ? L.set(caseSet(cp)) : L.char(cp));
  }
  return L.catAll(parts);
}

function wildCandidates(tokens: readonly WildToken[]): string[] {
  const a = tokens.map((t) => (t === STAR ? '' : t === ONE ? 'a' : t)).join('');
  const b = tokens.map((t) => (t === STAR ? 'x' : t === ONE ? 'a' : t)).join('');
  return a === b ? [a] : [a, b];
}

/** The value domain of a field known to ECS (its static type family), undefined for others. */
export function domainOfFamily(field: string): Domain | undefined {
  const f = staticFamily(field);
  switch (f) {
    case 'numeric':
    case 'ip':
    case 'boolean':
    case 'date':
    case 'text':
    case 'keyword':
      return f;
    default:
      return undefined;
  }
}

function mkAtom(ctx: LowerContext, field: string | null, fields: string[], pred: Pred, loc: Loc, label: string, extra: Partial<Atom> = {}): Atom {
  const atom: Omit<Atom, 'id'> = { field, fields, pred, loc, label, ...extra };
  if (field !== null && !atom.test) atom.test = (v: unknown) => pred.test(docWith(field, v));
  return ctx.F.make(atom);
}

function lit(atom: Atom): Formula {
  return { t: 'lit', atom, neg: false };
}

// ---------------------------------------------------------------------------------------------
// EQL

function isEqlLiteral(e: Expr): e is EqlLiteral {
  return e.kind === 'String' || e.kind === 'Number' || e.kind === 'Boolean' || e.kind === 'Null';
}

function eqlFields(e: Expr, out: string[] = []): string[] {
  if (e.kind === 'Field') {
    if (!out.includes(e.name)) out.push(e.name);
    return out;
  }
  switch (e.kind) {
    case 'And':
    case 'Or':
      e.operands.forEach((o) => eqlFields(o, out));
      break;
    case 'Not':
      eqlFields(e.operand, out);
      break;
    case 'Comparison':
    case 'Arithmetic':
      eqlFields(e.left, out);
      eqlFields(e.right, out);
      break;
    case 'Match':
      eqlFields(e.left, out);
      break;
    case 'In':
      eqlFields(e.left, out);
      e.values.forEach((v) => eqlFields(v, out));
      break;
    case 'Call':
      e.args.forEach((a) => eqlFields(a, out));
      break;
    case 'Unary':
      eqlFields(e.operand, out);
      break;
    default:
      break;
  }
  return out;
}

function eqlLiteralValue(l: EqlLiteral): string | number | boolean | null {
  return l.kind === 'Null' ? null : l.value;
}

export class EqlLowering {
  readonly c: EqlCompiler;
  constructor(private readonly ctx: LowerContext) {
    this.c = new EqlCompiler({ now: ctx.now });
  }

  category(cat: Category, field: string): Formula {
    if (cat.any) return TRUE_F;
    const fieldNode: Field = { kind: 'Field', path: field.split('.'), name: field, optional: false, loc: cat.loc };
    const node: Comparison = { kind: 'Comparison', op: '==', left: fieldNode, right: { kind: 'String', value: cat.name, raw: false, loc: cat.loc }, loc: cat.loc };
    return lit(
      mkAtom(this.ctx, field, [field], this.c.pred(node), cat.loc, `${field} == "${cat.name}"`, {
        candidates: [cat.name],
        lang: (L) => literalLang(L, cat.name, false),
        domain: 'keyword',
      }),
    );
  }

  lower(e: Expr): Formula {
    switch (e.kind) {
      case 'And':
        return andF(e.operands.map((o) => this.lower(o)));
      case 'Or':
        return orF(e.operands.map((o) => this.lower(o)));
      case 'Not':
        return notF(this.lower(e.operand));
      case 'Boolean':
        return e.value ? TRUE_F : FALSE_F;
      case 'Null':
        return FALSE_F;
      case 'Comparison':
        return this.comparison(e);
      case 'Match':
        return this.match(e);
      case 'In':
        return this.inExpr(e);
      case 'Call':
        return this.call(e);
      case 'Field':
        return lit(mkAtom(this.ctx, e.name, [e.name], this.c.pred(e), e.loc, e.name, { candidates: [true], domain: 'boolean' }));
      default:
        return this.opaque(e);
    }
  }

  opaque(e: Expr): Formula {
    const fields = eqlFields(e);
    const pred = this.c.pred(e);
    return lit(mkAtom(this.ctx, fields.length === 1 ? (fields[0] as string) : null, fields, pred, e.loc, 'expression'));
  }

  private comparison(e: Comparison): Formula {
    let { left, right, op } = e;
    if (isEqlLiteral(left) && !isEqlLiteral(right)) {
      [left, right] = [right, left];
      op = op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
    }
    if ((op === '==' || op === '!=') && right.kind === 'Boolean' && left.kind === 'Call') {
      const f = this.call(left);
      return (op === '==') === right.value ? f : notF(f);
    }
    if (left.kind === 'Field' && isEqlLiteral(right)) {
      const name = left.name;
      if (right.kind === 'Null') {
        if (op !== '==' && op !== '!=') return FALSE_F;
        const node: Comparison = { ...e, left, right, op: '!=' };
        const a = mkAtom(this.ctx, name, [name], this.c.pred(node), e.loc, `${name} != null`, { exists: true });
        return op === '!=' ? lit(a) : notF(lit(a));
      }
      const value = eqlLiteralValue(right) as string | number | boolean;
      if (op === '==' || op === '!=') {
        const node: Comparison = { ...e, left, right, op: '==' };
        const a = mkAtom(this.ctx, name, [name], this.c.pred(node), e.loc, `${name} == ${JSON.stringify(value)}`, {
          candidates: [value],
          lang: (L) => literalLang(L, String(value), false),
          ...(typeof value === 'number' ? { domain: 'numeric' as Domain } : typeof value === 'boolean' ? { domain: 'boolean' as Domain } : {}),
        });
        return op === '==' ? lit(a) : notF(lit(a));
      }
      const node: Comparison = { ...e, left, right, op };
      const cands: unknown[] = [];
      if (typeof value === 'number') cands.push(value, value + 1, value - 1, value + 0.5, value * 2 + 1);
      else cands.push(value);
      return lit(mkAtom(this.ctx, name, [name], this.c.pred(node), e.loc, `${name} ${op} ${JSON.stringify(value)}`, {
        candidates: cands,
        ...(typeof value === 'number' ? { domain: 'numeric' as Domain } : {}),
      }));
    }
    // length(field) op N: a language of lengths.
    if (left.kind === 'Call' && left.canonical === 'length' && left.args[0]?.kind === 'Field' && right.kind === 'Number') {
      const f = left.args[0].name;
      const n = right.value;
      const node: Comparison = { ...e, left, right, op };
      const pred = this.c.pred(node);
      const lo = op === '>' ? Math.floor(n) + 1 : op === '>=' ? Math.ceil(n) : op === '==' ? n : 0;
      const hi = op === '<' ? Math.ceil(n) - 1 : op === '<=' ? Math.floor(n) : op === '==' ? n : null;
      return lit(mkAtom(this.ctx, f, [f], pred, e.loc, `length(${f}) ${op} ${n}`, {
        lang: op === '!=' ? undefined : (L) => (hi !== null && hi < lo ? L.empty : L.repeat(L.anyChar, Math.max(0, lo), hi === null ? null : Math.min(hi, 10_000))),
        candidates: hi !== null && hi < 0 ? [] : ['x'.repeat(Math.max(0, Math.min(lo, 5000)))],
      }));
    }
    return this.opaque(e);
  }

  private match(e: MatchExpr): Formula {
    if (e.left.kind !== 'Field') return this.opaque(e);
    const name = e.left.name;
    const pred = this.c.pred(e);
    const patterns = e.patterns.filter((p) => p.kind !== 'Null').map((p) => String(eqlLiteralValue(p)));
    if (e.op === 'regex' || e.op === 'regex~') {
      const ci = e.op === 'regex~';
      return lit(mkAtom(this.ctx, name, [name], pred, e.loc, `${name} ${e.op} …`, {
        lang: (L) => {
          try {
            return L.altList(patterns.map((p) => parseLuceneRegex(L, p, ci)));
          } catch {
            return null;
          }
        },
      }));
    }
    const ci = e.op !== 'like';
    const tokens = patterns.map(eqlWildcardTokens);
    return lit(mkAtom(this.ctx, name, [name], pred, e.loc, `${name} ${e.op} …`, {
      candidates: tokens.flatMap(wildCandidates),
      lang: (L) => L.altList(tokens.map((t) => wildcardLanguage(L, t, ci, caseSet))),
    }));
  }

  private inExpr(e: InExpr): Formula {
    if (e.left.kind !== 'Field' || !e.values.every(isEqlLiteral)) {
      const f = this.opaque({ ...e, negated: false });
      return e.negated ? notF(f) : f;
    }
    const name = e.left.name;
    const node: InExpr = { ...e, negated: false };
    const values = (e.values as EqlLiteral[]).map(eqlLiteralValue).filter((v): v is string | number | boolean => v !== null);
    const ci = e.caseInsensitive;
    const numeric = values.length > 0 && values.every((v) => typeof v === 'number');
    const a = mkAtom(this.ctx, name, [name], this.c.pred(node), e.loc, `${name} in (…)`, {
      candidates: values,
      lang: (L) => L.altList(values.map((v) => literalLang(L, String(v), ci))),
      ...(numeric && staticFamilyOf(name) === null ? { domain: 'numeric' as Domain } : {}),
    });
    return e.negated ? notF(lit(a)) : lit(a);
  }

  private call(e: Call): Formula {
    const name = e.canonical;
    const a0 = e.args[0];
    const a1 = e.args[1];
    if ((name === 'startsWith' || name === 'endsWith' || name === 'stringContains') && a0?.kind === 'Field' && a1?.kind === 'String' && e.args.length === 2) {
      const f = a0.name;
      const s = a1.value;
      const tokens: WildToken[] = name === 'startsWith' ? [s, STAR] : name === 'endsWith' ? [STAR, s] : [STAR, s, STAR];
      const realTokens = tokens.filter((t) => t !== '');
      return lit(mkAtom(this.ctx, f, [f], this.c.pred(e), e.loc, `${e.name}(${f}, …)`, {
        candidates: name === 'stringContains' && s === '' ? [] : [s],
        lang: (L) => (name === 'stringContains' && s === '' ? L.empty : wildcardLanguage(L, realTokens, e.caseInsensitive, caseSet)),
      }));
    }
    if (name === 'cidrMatch' && a0?.kind === 'Field' && e.args.slice(1).every((a) => a.kind === 'String')) {
      const f = a0.name;
      const cands: string[] = [];
      for (const a of e.args.slice(1)) {
        const c = parseCidr((a as { value: string }).value);
        if (c) cands.push(formatIp(c.base + 1n), formatIp(c.base));
      }
      return lit(mkAtom(this.ctx, f, [f], this.c.pred(e), e.loc, `cidrMatch(${f}, …)`, { candidates: cands, domain: 'ip' }));
    }
    return this.opaque(e);
  }
}

// ---------------------------------------------------------------------------------------------
// KQL

/** A concrete field for a field-name pattern (`file.hash.*` → an ECS field that matches). */
export function concreteField(pattern: string): string {
  if (!pattern.includes('*')) return pattern;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  for (const name of ecsFields().keys()) if (re.test(name) && !name.endsWith('.text')) return name;
  const filled = pattern.replace(/\*/g, 'example');
  return filled === '' ? 'message' : filled;
}

export class KqlLowering {
  constructor(private readonly ctx: LowerContext) {}

  lower(q: KqlQuery, prefix = ''): Formula {
    switch (q.kind) {
      case 'Empty':
        return TRUE_F;
      case 'And':
        return andF(q.queries.map((x) => this.lower(x, prefix)));
      case 'Or':
        return orF(q.queries.map((x) => this.lower(x, prefix)));
      case 'Not':
        return notF(this.lower(q.query, prefix));
      case 'Exists': {
        const field = concreteField(q.field.value);
        const node: KqlQuery = { ...q, field: { ...q.field, value: field, wildcard: false, parts: [field] } };
        return lit(this.atom(prefix, field, node, q.loc, `${field}:*`, { exists: true }));
      }
      case 'Is': {
        const field = concreteField(q.field.value);
        const fieldLit: KqlLiteral = { ...q.field, value: field, wildcard: false, parts: [field] };
        return this.value(prefix, field, fieldLit, q.value);
      }
      case 'Range': {
        const field = concreteField(q.field.value);
        const node: KqlQuery = { ...q, field: { ...q.field, value: field, wildcard: false, parts: [field] } };
        const n = Number(q.value.value);
        const cands: unknown[] = Number.isFinite(n) ? [n, n + 1, n - 1, n + 0.5] : [];
        if (!Number.isFinite(n)) {
          const d = new Date(this.ctx.now - 3_600_000).toISOString();
          cands.push(d, new Date(this.ctx.now).toISOString());
        }
        return lit(this.atom(prefix, field, node, q.loc, `${field} ${q.op} ${printKqlLiteral(q.value)}`, { candidates: cands, ...(Number.isFinite(n) ? { domain: 'numeric' as Domain } : {}) }));
      }
      case 'Nested':
        return this.nested(prefix, q.path.value, q.query);
      case 'FreeText': {
        const v = q.value.value;
        return lit(this.atom(prefix, 'message', q, q.loc, `free text ${printKqlLiteral(q.value)}`, { candidates: [v.replace(/\*/g, 'x')] }));
      }
    }
  }

  /** Nested: the inner atoms' predicates are wrapped in the nested query (one element). */
  private nestedPath: string[] = [];

  private nested(prefix: string, path: string, inner: KqlQuery): Formula {
    this.nestedPath.push(path);
    try {
      return this.lower(inner, `${prefix}${path}.`);
    } finally {
      this.nestedPath.pop();
    }
  }

  private wrap(node: KqlQuery, loc: Loc): KqlQuery {
    let q = node;
    for (let i = this.nestedPath.length - 1; i >= 0; i--) {
      const p = this.nestedPath[i] as string;
      q = { kind: 'Nested', loc, path: { kind: 'Literal', loc, value: p, quoted: false, wildcard: false, parts: [p] }, query: q };
    }
    return q;
  }

  private atom(prefix: string, field: string, node: KqlQuery, loc: Loc, label: string, extra: Partial<Atom>): Atom {
    const full = prefix + field;
    const pred = compileKqlNode(this.wrap(node, loc), this.ctx.now);
    return mkAtom(this.ctx, full, [full], pred, loc, label, { domain: extra.domain ?? domainOfFamily(full), ...extra });
  }

  private value(prefix: string, field: string, fieldLit: KqlLiteral, v: KqlValue): Formula {
    switch (v.kind) {
      case 'ValueOr':
        return orF(v.values.map((x) => this.value(prefix, field, fieldLit, x)));
      case 'ValueAnd':
        return andF(v.values.map((x) => this.value(prefix, field, fieldLit, x)));
      case 'ValueNot':
        return notF(this.value(prefix, field, fieldLit, v.value));
      case 'Literal': {
        const node: KqlQuery = { kind: 'Is', loc: v.loc, field: fieldLit, value: v };
        if (v.wildcard) {
          if (v.parts.every((p) => p === '')) return lit(this.atom(prefix, field, node, v.loc, `${field}:*`, { exists: true }));
          const tokens = kqlWildcardTokens(v.parts);
          return lit(this.atom(prefix, field, node, v.loc, `${field}:${printKqlLiteral(v)}`, {
            candidates: wildCandidates(tokens),
            lang: (L) => wildcardLanguage(L, tokens, false, caseSet),
          }));
        }
        const n = Number(v.value);
        const numeric = !v.quoted && v.value.trim() !== '' && Number.isFinite(n);
        const full = prefix + field;
        const fam = staticFamily(full);
        const cands: unknown[] = [];
        if (numeric && (fam === 'numeric' || fam === null)) cands.push(n);
        if (!v.quoted && (v.value === 'true' || v.value === 'false') && (fam === 'boolean' || fam === null)) cands.push(v.value === 'true');
        cands.push(v.value);
        return lit(this.atom(prefix, field, node, v.loc, `${field}:${printKqlLiteral(v)}`, {
          candidates: cands,
          lang: fam === 'text' ? undefined : (L) => literalLang(L, v.value, false),
          ...(numeric && fam === null ? {} : {}),
        }));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Lucene

export class LuceneLowering {
  constructor(private readonly ctx: LowerContext) {}

  private atom(field: string, node: LuceneQuery, group: string | null, label: string, extra: Partial<Atom>): Atom {
    const pred = compileLuceneNode(node, this.ctx.now, group);
    return mkAtom(this.ctx, field, [field], pred, node.loc, label, { domain: extra.domain ?? domainOfFamily(field), ...extra });
  }

  lower(q: LuceneQuery, group: string | null = null): Formula {
    switch (q.kind) {
      case 'Bool': {
        const must = q.clauses.filter((c) => c.occur === 'must').map((c) => this.lower(c.query, group));
        const should = q.clauses.filter((c) => c.occur === 'should').map((c) => this.lower(c.query, group));
        const not = q.clauses.filter((c) => c.occur === 'must_not').map((c) => notF(this.lower(c.query, group)));
        return andF([...must, ...(must.length === 0 && should.length > 0 ? [orF(should)] : []), ...not]);
      }
      case 'Boost':
        return this.lower(q.query, group);
      case 'FieldGroup':
        return this.lower(q.query, q.field);
      case 'Exists': {
        const f = concreteField(q.field);
        return lit(this.atom(f, { ...q, field: f }, group, `_exists_:${f}`, { exists: true }));
      }
      case 'Term': {
        const raw = q.field ?? group;
        const f = raw === null || raw === '*' ? 'message' : concreteField(raw);
        const node: LuceneQuery = { ...q, field: raw === null || raw === '*' ? null : f };
        if (q.pattern !== null) {
          const tokens = luceneWildcardTokens(q.pattern);
          return lit(this.atom(f, node, null, `${f}:${q.pattern}`, { candidates: wildCandidates(tokens), lang: (L) => wildcardLanguage(L, tokens, false, caseSet) }));
        }
        const n = Number(q.value);
        return lit(this.atom(f, node, null, `${f}:${q.value}`, {
          candidates: [...(Number.isFinite(n) && q.value.trim() !== '' ? [n] : []), q.value],
          lang: staticFamily(f) === 'text' ? undefined : (L) => literalLang(L, q.value, false),
        }));
      }
      case 'Phrase': {
        const raw = q.field ?? group;
        const f = raw === null || raw === '*' ? 'message' : concreteField(raw);
        return lit(this.atom(f, { ...q, field: raw === null || raw === '*' ? null : f }, null, `${f}:"${q.value}"`, { candidates: [q.value] }));
      }
      case 'Regex': {
        const raw = q.field ?? group;
        const f = raw === null || raw === '*' ? 'message' : concreteField(raw);
        return lit(this.atom(f, { ...q, field: raw === null || raw === '*' ? null : f }, null, `${f}:/${q.pattern}/`, {
          lang: (L) => {
            try {
              return parseLuceneRegex(L, q.pattern, false);
            } catch {
              return null;
            }
          },
        }));
      }
      case 'Range': {
        const raw = q.field ?? group;
        const f = raw === null || raw === '*' ? 'message' : concreteField(raw);
        const cands: unknown[] = [];
        for (const b of [q.lower, q.upper]) {
          if (!b) continue;
          const n = Number(b.value);
          if (Number.isFinite(n)) cands.push(n, n + 1, n - 1);
          else cands.push(b.value);
        }
        return lit(this.atom(f, { ...q, field: raw === null || raw === '*' ? null : f }, null, `${f}:range`, { candidates: cands }));
      }
    }
  }
}
