/**
 * ES|QL values over pasted events: a column holds null, a scalar (string, number, boolean, date)
 * or a multi-value (an array of two or more scalars, as Elasticsearch returns multi-valued
 * fields). Booleans are three-valued (null is "unknown").
 *
 * Rows are built from events: every leaf field of the event (dotted name) becomes a column;
 * ECS `date` fields become dates. A column the events do not have reads as null (the evaluator
 * assumes every referenced field is mapped).
 */
import { parseDate } from '../dates';
import { ecsType } from '../ecs';
import { leafFields } from '../fields';

export class EDate {
  constructor(readonly ms: number) {}
  toJSON(): string {
    return Number.isFinite(this.ms) ? new Date(Math.floor(this.ms)).toISOString() : String(this.ms);
  }
}

export type Scalar = string | number | boolean | EDate;
export type EV = Scalar | Scalar[] | null;

export interface Row {
  cols: Map<string, EV>;
  /** Input indexes of the events behind the row. */
  src: number[];
  /** The event itself while the row is one event (KQL()/QSTR()/MATCH read it); null after STATS. */
  doc: unknown | null;
}

const DATE_TYPES = new Set(['date', 'date_nanos']);

function toScalar(v: unknown, isDate: boolean): Scalar | null {
  if (v === null || v === undefined) return null;
  if (isDate) {
    const d = parseDate(v);
    if (d !== null) return new EDate(d);
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return null;
}

interface ColumnInfo {
  /** An ECS date field: values are parsed as dates. */
  isDate: boolean;
  /** Its ECS text multi-field (`name.text`), which holds the same values; null when none. */
  textName: string | null;
}

/** What the ECS types say of a field name, by name (bounded: cleared when full). */
const columnInfos = new Map<string, ColumnInfo>();

function columnInfo(name: string): ColumnInfo {
  const hit = columnInfos.get(name);
  if (hit !== undefined) return hit;
  const t = ecsType(name);
  const textName = `${name}.text`;
  const info: ColumnInfo = { isDate: t !== null && DATE_TYPES.has(t), textName: t !== null && ecsType(textName) === 'match_only_text' ? textName : null };
  if (columnInfos.size >= 10_000) columnInfos.clear();
  columnInfos.set(name, info);
  return info;
}

/** The row of an event (with `_source`, the event as JSON, when the query asks for it in METADATA). */
export function rowOf(doc: unknown, index: number, withSource = false): Row {
  const cols = new Map<string, EV>();
  if (withSource && doc !== null && typeof doc === 'object' && !Object.prototype.hasOwnProperty.call(doc, '_source')) {
    cols.set('_source', JSON.stringify(doc));
  }
  for (const [name, values] of leafFields(doc)) {
    const { isDate, textName } = columnInfo(name);
    const scalars = values.map((v) => toScalar(v, isDate)).filter((v): v is Scalar => v !== null);
    const v = scalars.length === 0 ? null : scalars.length === 1 ? (scalars[0] as Scalar) : scalars;
    cols.set(name, v);
    // ECS text multi-fields (`process.command_line.text`) hold the same values.
    if (textName !== null && !cols.has(textName)) cols.set(textName, v);
  }
  return { cols, src: [index], doc };
}

export function isMulti(v: EV): v is Scalar[] {
  return Array.isArray(v);
}

/** Values of a column as a list (null → [], scalar → [v]). */
export function listOf(v: EV): Scalar[] {
  return v === null ? [] : Array.isArray(v) ? v : [v];
}

/** A list back as a column value. */
export function fromList(xs: Scalar[]): EV {
  return xs.length === 0 ? null : xs.length === 1 ? (xs[0] as Scalar) : xs;
}

export function dateMs(v: Scalar): number | null {
  if (v instanceof EDate) return v.ms;
  return parseDate(v);
}

/** Compares two scalars (-1, 0, 1), or null when they cannot be compared. */
export function compareScalars(a: Scalar, b: Scalar): number | null {
  if (a instanceof EDate || b instanceof EDate) {
    const x = dateMs(a);
    const y = dateMs(b);
    if (x === null || y === null) return null;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && Number.isFinite(Number(b))) return compareScalars(a, Number(b));
  if (typeof a === 'string' && typeof b === 'number' && a.trim() !== '' && Number.isFinite(Number(a))) return compareScalars(Number(a), b);
  return null;
}

export function scalarKey(v: Scalar): string {
  return v instanceof EDate ? `d${v.ms}` : `${typeof v}:${String(v)}`;
}

/** Plain JSON form of a value (dates as ISO strings). */
export function plainValue(v: EV): unknown {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((x) => (x instanceof EDate ? x.toJSON() : x));
  return v instanceof EDate ? v.toJSON() : v;
}

export function stringOf(v: Scalar): string {
  if (v instanceof EDate) return v.toJSON();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** Three-valued truth of a value used as a condition. */
export function truth(v: EV): boolean | null {
  if (v === null || Array.isArray(v)) return null;
  return v === true ? true : v === false ? false : null;
}
