/**
 * Input limits: what the evaluator refuses instead of freezing a browser tab. Every limit has a
 * message that says which limit and how to get under it.
 */

export interface Limits {
  /** Events in one evaluation (events + history + indicators). */
  maxEvents: number;
  /** Nesting depth of one event (objects and arrays). */
  maxDepth: number;
  /** Characters in one string value. */
  maxStringLength: number;
  /** Leaf values in one event. */
  maxLeaves: number;
  /** Characters in a query. */
  maxQueryLength: number;
  /** Characters of pasted JSON / NDJSON text. */
  maxTextLength: number;
  /** Matches kept (sequences, samples, event hits) before stopping. */
  maxMatches: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxEvents: 200_000,
  maxDepth: 32,
  maxStringLength: 100_000,
  maxLeaves: 20_000,
  maxQueryLength: 200_000,
  maxTextLength: 64 * 1024 * 1024,
  maxMatches: 100_000,
};

export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** Checks one event against the depth, string and size limits; returns a message or null. */
export function checkEvent(event: unknown, limits: Limits, label: string): string | null {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return `${label} is not a JSON object`;
  let leaves = 0;
  const visit = (node: unknown, depth: number): string | null => {
    if (depth > limits.maxDepth) return `${label} is nested deeper than ${limits.maxDepth} levels`;
    if (typeof node === 'string') {
      if (node.length > limits.maxStringLength) return `${label} has a string of ${node.length} characters (limit ${limits.maxStringLength})`;
      if (++leaves > limits.maxLeaves) return `${label} has more than ${limits.maxLeaves} values`;
      return null;
    }
    if (node === null || typeof node !== 'object') {
      if (++leaves > limits.maxLeaves) return `${label} has more than ${limits.maxLeaves} values`;
      return null;
    }
    if (Array.isArray(node)) {
      for (const c of node) {
        const m = visit(c, depth + 1);
        if (m !== null) return m;
      }
      return null;
    }
    for (const k in node as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(node, k)) continue;
      if (k.length > limits.maxStringLength) return `${label} has a key of ${k.length} characters`;
      const m = visit((node as Record<string, unknown>)[k], depth + 1);
      if (m !== null) return m;
    }
    return null;
  };
  return visit(event, 1);
}

/** Checks a list of events; returns the first problem or null. */
export function checkEvents(events: readonly unknown[], limits: Limits, what = 'event'): string | null {
  if (events.length > limits.maxEvents) return `too many ${what}s: ${events.length} (limit ${limits.maxEvents})`;
  for (let i = 0; i < events.length; i++) {
    const msg = checkEvent(events[i], limits, `${what} ${i}`);
    if (msg !== null) return msg;
  }
  return null;
}

/**
 * Parses pasted events: a JSON array of objects, one JSON object, or NDJSON (one object per
 * line). Refuses oversized text before parsing it.
 */
export function parseEventsText(text: string, limits: Limits = DEFAULT_LIMITS): { ok: true; events: unknown[] } | { ok: false; error: string } {
  if (text.length > limits.maxTextLength) return { ok: false, error: `the pasted text has ${text.length} characters (limit ${limits.maxTextLength})` };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, events: [] };
  let events: unknown[];
  try {
    if (trimmed.startsWith('[')) {
      const v: unknown = JSON.parse(trimmed);
      if (!Array.isArray(v)) return { ok: false, error: 'expected a JSON array of events' };
      events = v;
    } else {
      try {
        events = [JSON.parse(trimmed) as unknown];
      } catch {
        events = [];
        const lines = trimmed.split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          const line = (lines[i] as string).trim();
          if (line === '') continue;
          try {
            events.push(JSON.parse(line) as unknown);
          } catch (e) {
            return { ok: false, error: `line ${i + 1}: ${(e as Error).message}` };
          }
          if (events.length > limits.maxEvents) return { ok: false, error: `too many events (limit ${limits.maxEvents})` };
        }
      }
    }
  } catch (e) {
    return { ok: false, error: `invalid JSON: ${(e as Error).message}` };
  }
  const problem = checkEvents(events, limits);
  return problem === null ? { ok: true, events } : { ok: false, error: problem };
}
