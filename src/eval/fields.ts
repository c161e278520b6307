/**
 * Field access in JSON documents, the way Elasticsearch reads `_source`: a dotted name is found
 * through nested objects (`{"process": {"name": …}}`), flat dotted keys (`{"process.name": …}`)
 * or any mix of the two (`{"process": {"parent.name": …}}`); arrays anywhere on the way are
 * flattened (an array of objects contributes every element's value); `null` values and empty
 * arrays are absent. The result is the list of leaf values (possibly empty = the field is
 * missing).
 */

export interface FieldPath {
  /** The dotted name. */
  name: string;
  segs: string[];
  /** `joined[i][j]` = `segs.slice(i, j).join('.')` (j > i). */
  joined: string[][];
}

const pathCache = new Map<string, FieldPath>();

export function fieldPath(name: string): FieldPath {
  const cached = pathCache.get(name);
  if (cached) return cached;
  const segs = name.split('.');
  const joined: string[][] = [];
  for (let i = 0; i < segs.length; i++) {
    const row: string[] = [];
    for (let j = 0; j <= segs.length; j++) row.push(j > i ? segs.slice(i, j).join('.') : '');
    joined.push(row);
  }
  const p = { name, segs, joined };
  if (pathCache.size < 10_000) pathCache.set(name, p);
  return p;
}

const hasOwn = Object.prototype.hasOwnProperty;

function pushLeaf(v: unknown, out: unknown[]): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    for (const e of v) pushLeaf(e, out);
    return;
  }
  out.push(v);
}

function collect(node: unknown, p: FieldPath, i: number, out: unknown[]): void {
  if (i === p.segs.length) {
    pushLeaf(node, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const e of node) collect(e, p, i, out);
    return;
  }
  const o = node as Record<string, unknown>;
  const row = p.joined[i] as string[];
  for (let j = i + 1; j <= p.segs.length; j++) {
    const k = row[j] as string;
    if (hasOwn.call(o, k)) collect(o[k], p, j, out);
  }
}

const enum Scan {
  Missing = -1,
  Present = 0,
  Hit = 1,
}

function scanLeaf(v: unknown, fn: (v: unknown) => boolean, st: { seen: boolean }): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) {
    for (const e of v) if (scanLeaf(e, fn, st)) return true;
    return false;
  }
  st.seen = true;
  return fn(v);
}

function scan(node: unknown, p: FieldPath, i: number, fn: (v: unknown) => boolean, st: { seen: boolean }): boolean {
  if (i === p.segs.length) return scanLeaf(node, fn, st);
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) {
    for (const e of node) if (scan(e, p, i, fn, st)) return true;
    return false;
  }
  const o = node as Record<string, unknown>;
  const row = p.joined[i] as string[];
  for (let j = i + 1; j <= p.segs.length; j++) {
    const k = row[j] as string;
    if (hasOwn.call(o, k) && scan(o[k], p, j, fn, st)) return true;
  }
  return false;
}

/**
 * Calls `fn` on the values of `path` until it returns true, without building a list: 1 when
 * `fn` returned true, 0 when the field has values and none passed, -1 when it has none.
 */
export function scanValues(doc: unknown, path: FieldPath, fn: (v: unknown) => boolean): -1 | 0 | 1 {
  const st = { seen: false };
  if (scan(doc, path, 0, fn, st)) return Scan.Hit;
  return st.seen ? Scan.Present : Scan.Missing;
}

/** The leaf values of `path` in `doc` (objects included as values when the path ends at one). */
export function fieldValues(doc: unknown, path: FieldPath): unknown[] {
  const out: unknown[] = [];
  collect(doc, path, 0, out);
  return out;
}

/** Scalar leaf values only (strings, numbers, booleans). */
export function scalarValues(doc: unknown, path: FieldPath): (string | number | boolean)[] {
  const all = fieldValues(doc, path);
  let allScalar = true;
  for (const v of all) if (typeof v === 'object') { allScalar = false; break; }
  if (allScalar) return all as (string | number | boolean)[];
  return all.filter((v): v is string | number | boolean => typeof v !== 'object');
}

/** True when the field has at least one non-null value (Elasticsearch's `exists`). */
export function fieldExists(doc: unknown, path: FieldPath): boolean {
  return fieldValues(doc, path).length > 0;
}

/**
 * Every leaf field of a document as dotted names (for wildcard field names and free-text
 * search), each with its values. Keys of nested objects inside arrays are included.
 */
export function leafFields(doc: unknown, maxFields = 10_000): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (node: unknown, prefix: string): void => {
    if (out.size >= maxFields) return;
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) {
      for (const e of node) visit(e, prefix);
      return;
    }
    if (typeof node === 'object') {
      for (const k of Object.keys(node as Record<string, unknown>)) {
        visit((node as Record<string, unknown>)[k], prefix === '' ? k : `${prefix}.${k}`);
      }
      return;
    }
    if (prefix === '') return;
    const list = out.get(prefix);
    if (list) list.push(node);
    else out.set(prefix, [node]);
  };
  visit(doc, '');
  return out;
}
