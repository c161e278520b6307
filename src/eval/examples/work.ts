/**
 * The work budget of example synthesis: a deterministic count of work units (search steps,
 * candidate values checked, automaton derivatives, evaluator runs over events) instead of a
 * wall-clock deadline, so whether a rule's synthesis gives up depends only on the rule, never
 * on the machine or its load (a build must write the same pages for the same input).
 *
 * Synthesis is synchronous, so one meter per `withWorkBudget` call is active at a time
 * (nested calls keep the outer meter's count and limit).
 */

/**
 * Work units one rule's synthesis may spend. A unit is one search step or candidate check (an
 * evaluator run is EVAL_COST per event, AUTOMATON_STEPS_PER_UNIT automaton derivatives are one);
 * measured on the corpus a unit is 5–7 µs of CPU, so this is about 3 s: the whole
 * detection-rules corpus stays under it (its costliest rule spends about 217,000), a
 * pathological rule does not.
 */
export const SYNTHESIS_WORK_BUDGET = 500_000;

/** Automaton derivative steps per work unit. */
export const AUTOMATON_STEPS_PER_UNIT = 50;

/** Work units of one evaluator run, per event it reads (an evaluation costs about as much as this many search steps). */
export const EVAL_COST = 20;

/** Thrown inside synthesis when the budget is spent; `synthesizeExamples` turns it into `overBudget`. */
export class WorkBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`example synthesis needs more than ${limit} work units`);
    this.name = 'WorkBudgetExceeded';
  }
}

interface Meter {
  used: number;
  limit: number;
}

let meter: Meter | null = null;
let lastUsed = 0;

/** Runs `fn` with a work meter of `limit` units (an already running meter is kept). */
export function withWorkBudget<T>(limit: number, fn: () => T): T {
  if (meter !== null) return fn();
  const m: Meter = { used: 0, limit };
  meter = m;
  try {
    return fn();
  } finally {
    lastUsed = m.used;
    meter = null;
  }
}

/** Spends `n` work units; throws `WorkBudgetExceeded` past the limit (no-op outside a meter). */
export function spend(n = 1): void {
  const m = meter;
  if (m === null) return;
  m.used += n;
  if (m.used > m.limit) throw new WorkBudgetExceeded(m.limit);
}

/** Work units spent so far by the running meter (0 outside one). */
export function workUsed(): number {
  return meter?.used ?? 0;
}

/** Work units the last finished meter spent (for benchmarks and budget tuning). */
export function lastWorkUsed(): number {
  return lastUsed;
}

/** Work units ES|QL synthesis may spend repeating events to reach an aggregation's threshold. */
export const ESQL_REPEAT_WORK = 200_000;

/** The budget of the browser's own synthesis, for the rules the build left to it (it may take a while there). */
export const BROWSER_WORK_BUDGET = 20 * SYNTHESIS_WORK_BUDGET;
