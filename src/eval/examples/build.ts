/**
 * Building example documents from field assignments: dotted names become nested objects
 * (`process.parent.name` → `{"process": {"parent": {"name": …}}}`), falling back to a flat key
 * where a prefix already holds a value.
 */

export const ABSENT: unique symbol = Symbol('absent');
export type Assigned = unknown | typeof ABSENT;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Sets `field` in `doc` (mutates), creating objects on the way. */
export function setPath(doc: Record<string, unknown>, field: string, value: unknown): void {
  const segs = field.split('.');
  let cur: Record<string, unknown> = doc;
  for (let i = 0; i < segs.length - 1; i++) {
    const k = segs[i] as string;
    const next = cur[k];
    if (next === undefined) {
      const o: Record<string, unknown> = {};
      cur[k] = o;
      cur = o;
    } else if (isPlainObject(next)) {
      cur = next;
    } else {
      cur[segs.slice(i).join('.')] = value;
      return;
    }
  }
  const last = segs[segs.length - 1] as string;
  if (isPlainObject(cur[last]) && !isPlainObject(value)) {
    doc[field] = value;
    return;
  }
  cur[last] = value;
}

/** A document with the given fields (absent ones left out), shortest names first. */
export function buildDoc(assign: ReadonlyMap<string, Assigned>, base?: Record<string, unknown>): Record<string, unknown> {
  const doc: Record<string, unknown> = base ? structuredClone(base) : {};
  const names = [...assign.keys()].sort((a, b) => a.split('.').length - b.split('.').length || (a < b ? -1 : 1));
  for (const n of names) {
    const v = assign.get(n);
    if (v === ABSENT || v === undefined) continue;
    setPath(doc, n, v);
  }
  return doc;
}

/** A one-field document. */
export function docWith(field: string, value: Assigned): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  if (value !== ABSENT && value !== undefined) setPath(doc, field, value);
  return doc;
}

/** Removes a field from a document built by `buildDoc` (mutates; nested or flat). */
export function deletePath(doc: Record<string, unknown>, field: string): void {
  if (Object.prototype.hasOwnProperty.call(doc, field)) delete doc[field];
  const segs = field.split('.');
  const walk = (cur: Record<string, unknown>, i: number): void => {
    for (let j = segs.length; j > i; j--) {
      const key = segs.slice(i, j).join('.');
      if (!Object.prototype.hasOwnProperty.call(cur, key)) continue;
      if (j === segs.length) delete cur[key];
      else {
        const next = cur[key];
        if (isPlainObject(next)) walk(next, j);
      }
    }
  };
  walk(doc, 0);
}
