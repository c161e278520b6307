/**
 * The sequence and sample engines, following Elasticsearch's EQL executor
 * (x-pack/plugin/eql …/execution/sequence/SequenceMatcher, …/TumblingWindow, …/sample/SampleIterator):
 *
 * Sequences are a state machine per join key: each positive stage is a state holding at most
 * the latest pending sequence (a newer one replaces an older); an event matching stage n takes
 * the pending sequence of stage n-1 with the same key (events are processed in order, stages
 * from last to first so that one event never fills two stages of one sequence). The sequence is
 * dropped when the event is later than `maxspan` after the sequence's first event, or when an
 * `until` event with the same key lies strictly between the sequence's last event and this one.
 * Join keys: the values of the sequence-level `by` fields followed by the stage's own; a key
 * field without a value excludes the event unless the field is optional (`?field`).
 *
 * Missing-event stages (`![…]`) are checked on each completed sequence as Elasticsearch does:
 * a missing stage between two positive stages must have no matching event (same key) strictly
 * between their timestamps; leading and trailing missing stages look for the nearest matching
 * event before the first / after the last event, and the sequence is kept when there is none or
 * it is more than `maxspan` away.
 *
 * Completed sequences are ordered by their first event.
 *
 * Samples: for each join key (in ascending key order, as the composite aggregation returns
 * them), up to as many events per filter as there are filters, then the first combination of
 * distinct events, one per filter, in filter order; one sample per key.
 */
import type { Loc } from '../../model/span';
import type { PreparedEvent } from '../events';
import type { Pred } from '../trace';

/** A join key of an event for one stage: a stable string, or null when the event cannot join. */
export type KeyFn = (doc: unknown) => { key: string; values: unknown[] } | null;

export interface SeqStage {
  pred: Pred;
  key: KeyFn;
  missing: boolean;
  loc: Loc;
  /** Index of the stage as written (stages repeated by `with runs` share it). */
  source: number;
}

export interface SequenceSpec {
  stages: SeqStage[];
  until: { pred: Pred; key: KeyFn; loc: Loc } | null;
  /** Milliseconds, or null. */
  maxspan: number | null;
}

export interface SequenceMatch {
  /** Input indexes of the events, one per positive stage, in stage order. */
  events: number[];
  /** The stage (index into `spec.stages`) each event filled. */
  stages: number[];
  key: unknown[];
  /** Sort position of the first event. */
  first: number;
}

export interface SequenceRun {
  matches: SequenceMatch[];
  /** Events (input indexes) whose stage condition held, per stage of `spec.stages`. */
  stageHits: number[][];
  /** Why candidate sequences were dropped (for the trace). */
  rejections: string[];
  /** Events without a usable timestamp (input indexes); they take no part. */
  untimed: number[];
}

interface Pending {
  events: number[]; // sort positions
  stages: number[];
  startTs: number;
  lastPos: number;
  key: unknown[];
}

const MAX_REJECTIONS = 50;

export function runSequence(spec: SequenceSpec, events: readonly PreparedEvent[], maxMatches: number): SequenceRun {
  const stages = spec.stages;
  const positives: number[] = [];
  stages.forEach((s, i) => {
    if (!s.missing) positives.push(i);
  });
  const P = positives.length;
  const stageHits: number[][] = stages.map(() => []);
  const rejections: string[] = [];
  const untimed: number[] = [];
  const reject = (m: string): void => {
    if (rejections.length < MAX_REJECTIONS) rejections.push(m);
  };
  const pending = new Map<string, (Pending | undefined)[]>();
  const untilMarks = new Map<string, number[]>();
  const completed: Pending[] = [];
  const missingIndex: Map<string, number[]>[] = stages.map(() => new Map());

  for (let pos = 0; pos < events.length; pos++) {
    const ev = events[pos] as PreparedEvent;
    if (ev.ts === null) {
      untimed.push(ev.index);
      continue;
    }
    const doc = ev.doc;
    // Missing-stage candidates are indexed by key (timestamps ascending).
    for (let s = 0; s < stages.length; s++) {
      const st = stages[s] as SeqStage;
      if (!st.missing || !st.pred.test(doc)) continue;
      stageHits[s]!.push(ev.index);
      const k = st.key(doc);
      if (k === null) continue;
      const list = missingIndex[s]!.get(k.key);
      if (list) list.push(ev.ts);
      else missingIndex[s]!.set(k.key, [ev.ts]);
    }
    if (spec.until && spec.until.pred.test(doc)) {
      const k = spec.until.key(doc);
      if (k !== null) {
        const list = untilMarks.get(k.key);
        if (list) list.push(pos);
        else untilMarks.set(k.key, [pos]);
      }
    }
    for (let p = P - 1; p >= 0; p--) {
      const sIdx = positives[p] as number;
      const st = stages[sIdx] as SeqStage;
      if (!st.pred.test(doc)) continue;
      stageHits[sIdx]!.push(ev.index);
      const k = st.key(doc);
      if (k === null) {
        reject(`event ${ev.index} matched stage ${st.source + 1} but a join key field has no value`);
        continue;
      }
      if (p === 0) {
        const seq: Pending = { events: [pos], stages: [sIdx], startTs: ev.ts, lastPos: pos, key: k.values };
        if (P === 1) completed.push(seq);
        else {
          let arr = pending.get(k.key);
          if (!arr) {
            arr = new Array<Pending | undefined>(P).fill(undefined);
            pending.set(k.key, arr);
          }
          arr[0] = seq;
        }
        continue;
      }
      const arr = pending.get(k.key);
      const seq = arr?.[p - 1];
      if (!arr || !seq) continue;
      arr[p - 1] = undefined;
      if (spec.maxspan !== null && ev.ts - seq.startTs > spec.maxspan) {
        reject(`event ${ev.index} would fill stage ${st.source + 1} but is more than maxspan after event ${events[seq.events[0] as number]?.index}`);
        continue;
      }
      if (spec.until) {
        const marks = untilMarks.get(k.key);
        if (marks) {
          const u = nearestBefore(marks, pos);
          if (u !== null && u > seq.lastPos) {
            reject(`event ${events[u]?.index} (until) came between events ${events[seq.lastPos]?.index} and ${ev.index}`);
            continue;
          }
        }
      }
      const next: Pending = { events: [...seq.events, pos], stages: [...seq.stages, sIdx], startTs: seq.startTs, lastPos: pos, key: seq.key };
      if (p === P - 1) {
        completed.push(next);
        if (completed.length >= maxMatches * 4 && !stages.some((x) => x.missing)) break;
      } else arr[p] = next;
    }
  }

  let kept = completed;
  if (stages.some((s) => s.missing)) {
    kept = completed.filter((seq) => {
      const verdict = checkMissing(spec, seq, events, missingIndex);
      if (verdict !== null) reject(verdict);
      return verdict === null;
    });
  }
  kept.sort((a, b) => (a.events[0] as number) - (b.events[0] as number));
  const matches = kept.slice(0, maxMatches).map((s) => ({
    events: s.events.map((p) => (events[p] as PreparedEvent).index),
    stages: s.stages,
    key: s.key,
    first: s.events[0] as number,
  }));
  return { matches, stageHits, rejections, untimed };
}

function nearestBefore(sorted: number[], pos: number): number | null {
  let lo = 0;
  let hi = sorted.length - 1;
  let best: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (v < pos) {
      best = v;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** Null when the sequence survives its missing-event stages, else the reason it does not. */
function checkMissing(spec: SequenceSpec, seq: Pending, events: readonly PreparedEvent[], index: Map<string, number[]>[]): string | null {
  const stages = spec.stages;
  const keyStr = JSON.stringify(seq.key);
  const tsOfStage = new Map<number, number>();
  seq.stages.forEach((s, i) => tsOfStage.set(s, (events[seq.events[i] as number] as PreparedEvent).ts as number));
  const firstTs = seq.startTs;
  const lastTs = (events[seq.lastPos] as PreparedEvent).ts as number;
  const firstPositive = stages.findIndex((s) => !s.missing);
  let lastPositive = -1;
  stages.forEach((s, i) => {
    if (!s.missing) lastPositive = i;
  });
  let lastLeading: number | null = null;
  let firstTrailing: number | null = null;
  for (let i = 0; i < stages.length; i++) {
    const st = stages[i] as SeqStage;
    if (!st.missing) continue;
    const list = index[i]!.get(keyStr) ?? [];
    if (i < firstPositive) {
      const before = list.filter((t) => t < firstTs);
      if (before.length > 0) lastLeading = Math.max(lastLeading ?? -Infinity, before[before.length - 1] as number);
    } else if (i > lastPositive) {
      const after = list.find((t) => t > lastTs);
      if (after !== undefined) firstTrailing = Math.min(firstTrailing ?? Infinity, after);
    } else {
      let prev = i - 1;
      while (prev >= 0 && stages[prev]!.missing) prev--;
      let next = i + 1;
      while (next < stages.length && stages[next]!.missing) next++;
      const lo = tsOfStage.get(prev) as number;
      const hi = tsOfStage.get(next) as number;
      if (list.some((t) => t > lo && t < hi)) return `a sequence was dropped: an event matched the missing-event stage ${st.source + 1} between its events`;
    }
  }
  const maxspan = spec.maxspan ?? 0;
  const bigger = (from: number | null, to: number | null): boolean => from === null || to === null || (maxspan > 0 && to - from > maxspan);
  const missing0 = stages[0]?.missing === true;
  const missingLast = stages[stages.length - 1]?.missing === true;
  const ok =
    (firstTrailing === null && lastLeading === null) ||
    (lastLeading === null && missing0) ||
    (firstTrailing === null && missingLast) ||
    (missing0 && missingLast && bigger(lastLeading, firstTrailing)) ||
    (missing0 && !missingLast && bigger(lastLeading, lastTs)) ||
    (!missing0 && missingLast && bigger(firstTs, firstTrailing));
  return ok ? null : 'a sequence was dropped: an event matched a missing-event stage within maxspan';
}

// ---------------------------------------------------------------------------------------------
// Samples

export interface SampleSpec {
  stages: { pred: Pred; key: KeyFn; loc: Loc }[];
}

export interface SampleRun {
  matches: { events: number[]; key: unknown[] }[];
  stageHits: number[][];
}

function compareKeyValues(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null || x === undefined) return -1;
    if (y === null || y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const sx = typeof x === 'string' ? x : JSON.stringify(x);
    const sy = typeof y === 'string' ? y : JSON.stringify(y);
    if (sx !== sy) return sx < sy ? -1 : 1;
  }
  return 0;
}

export function runSample(spec: SampleSpec, events: readonly PreparedEvent[], maxMatches: number): SampleRun {
  const n = spec.stages.length;
  const groups = new Map<string, { values: unknown[]; lists: number[][] }>();
  const stageHits: number[][] = spec.stages.map(() => []);
  for (const ev of events) {
    spec.stages.forEach((st, s) => {
      if (!st.pred.test(ev.doc)) return;
      stageHits[s]!.push(ev.index);
      const k = st.key(ev.doc);
      if (k === null) return;
      let g = groups.get(k.key);
      if (!g) {
        g = { values: k.values, lists: spec.stages.map(() => []) };
        groups.set(k.key, g);
      }
      const list = g.lists[s] as number[];
      if (list.length < n) list.push(ev.index);
    });
  }
  const keys = [...groups.values()].sort((a, b) => compareKeyValues(a.values, b.values));
  const matches: SampleRun['matches'] = [];
  for (const g of keys) {
    if (g.lists.some((l) => l.length === 0)) continue;
    const picked = pickDistinct(g.lists);
    if (picked) matches.push({ events: picked, key: g.values });
    if (matches.length >= maxMatches) break;
  }
  return { matches, stageHits };
}

/** One distinct event per list, in list order (backtracking, like SampleIterator.matchSample). */
function pickDistinct(lists: number[][]): number[] | null {
  const out: number[] = [];
  const go = (i: number): boolean => {
    if (i === lists.length) return true;
    for (const e of lists[i] as number[]) {
      if (out.includes(e)) continue;
      out.push(e);
      if (go(i + 1)) return true;
      out.pop();
    }
    return false;
  };
  return go(0) ? out : null;
}
