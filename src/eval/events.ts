/**
 * Event order, as an EQL search sorts hits: by the timestamp field (`@timestamp`, or the rule's
 * `timestamp_override`), then the tiebreaker field when one is given, then the event's position
 * in the input (Elasticsearch's implicit `_shard_doc` tiebreaker). Events without a usable
 * timestamp sort last (and take no part in sequences, which need one).
 */
import { fieldPath, fieldValues } from './fields';
import { parseDate } from './dates';

export const DEFAULT_TIMESTAMP_FIELD = '@timestamp';
export const DEFAULT_CATEGORY_FIELD = 'event.category';

export interface EventOptions {
  /** Default `@timestamp`. */
  timestampField?: string;
  /** Optional secondary sort field. */
  tiebreakerField?: string;
  /** Default `event.category`. */
  eventCategoryField?: string;
}

export interface PreparedEvent {
  /** Position in the input. */
  index: number;
  doc: unknown;
  /** Epoch milliseconds, or null when the event has no parsable timestamp. */
  ts: number | null;
  tie: unknown;
}

function compareTie(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The events in EQL order. */
export function orderEvents(events: readonly unknown[], opts: EventOptions = {}): PreparedEvent[] {
  const tsPath = fieldPath(opts.timestampField ?? DEFAULT_TIMESTAMP_FIELD);
  const tiePath = opts.tiebreakerField ? fieldPath(opts.tiebreakerField) : null;
  const out: PreparedEvent[] = events.map((doc, index) => {
    const tv = fieldValues(doc, tsPath)[0];
    const ts = tv === undefined ? null : parseDate(tv);
    const tie = tiePath ? fieldValues(doc, tiePath)[0] : undefined;
    return { index, doc, ts, tie };
  });
  out.sort((a, b) => {
    if (a.ts !== b.ts) {
      if (a.ts === null) return 1;
      if (b.ts === null) return -1;
      return a.ts - b.ts;
    }
    if (tiePath) {
      const c = compareTie(a.tie, b.tie);
      if (c !== 0) return c;
    }
    return a.index - b.index;
  });
  return out;
}
