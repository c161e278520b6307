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

/**
 * The dot-separated segments of field names, split once: documents are built and stamped many
 * times over the same few fields (a bounded cache: it is emptied past a few thousand names).
 */
const segmentCache = new Map<string, readonly string[]>();

function segmentsOf(field: string): readonly string[] {
  let segs = segmentCache.get(field);
  if (segs === undefined) {
    if (segmentCache.size >= 4096) segmentCache.clear();
    segs = field.split('.');
    segmentCache.set(field, segs);
  }
  return segs;
}

/** Sets `field` in `doc` (mutates), creating objects on the way. */
export function setPath(doc: Record<string, unknown>, field: string, value: unknown): void {
  const segs = segmentsOf(field);
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

/**
 * `doc` with `field` set, without changing `doc`: the same document as `setPath` on a deep copy,
 * but only the objects on the field's path are copied (the rest is shared with `doc`, which
 * must not be changed afterwards). Example events are stamped with timestamps many times; a deep
 * copy of each was most of the cost.
 */
export function withPath(doc: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  // Copy the objects `setPath` walks through (and may change), nothing else.
  const segs = segmentsOf(field);
  let cur = out;
  for (let i = 0; i < segs.length - 1; i++) {
    const k = segs[i] as string;
    const next = cur[k];
    if (!isPlainObject(next)) break;
    const copy = { ...next };
    cur[k] = copy;
    cur = copy;
  }
  setPath(out, field, value);
  return out;
}

/** Field names, fewest segments first, then in code-unit order. */
function sortedNames(assign: ReadonlyMap<string, Assigned>): string[] {
  const keyed: { name: string; depth: number }[] = [];
  for (const name of assign.keys()) {
    let depth = 1;
    for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) depth++;
    keyed.push({ name, depth });
  }
  keyed.sort((a, b) => a.depth - b.depth || (a.name < b.name ? -1 : 1));
  return keyed.map((k) => k.name);
}

/** A document with the given fields (absent ones left out), shortest names first. */
export function buildDoc(assign: ReadonlyMap<string, Assigned>, base?: Record<string, unknown>): Record<string, unknown> {
  const doc: Record<string, unknown> = base ? structuredClone(base) : {};
  const names = sortedNames(assign);
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
