/**
 * Example synthesis in the browser (a lazily loaded chunk), for the few rules whose example
 * needs more work than the site build's budget allows: the same `synthesizeExamples` the build runs, on the rule's
 * evaluated fields and the printed query the page shows, at the build's reference time.
 */
import { synthesizeExamples } from '../../eval/examples/index';
import { BROWSER_WORK_BUDGET } from '../../eval/examples/work';
import type { RuleInput } from '../../eval/rules';
import type { Rule } from '../../model/rule';

export interface Synthesised {
  example: RuleInput;
  nearMiss: RuleInput | null;
  nearMissNote: string;
}

export function synthesise(host: HTMLElement): Synthesised | { error: string } {
  const rule = JSON.parse(host.dataset.rule ?? '{}') as Rule;
  const shown = document.getElementById('printed-query')?.textContent ?? null;
  if (shown !== null) (rule as { query: string | null }).query = shown;
  const now = Number(host.dataset.now);
  // The build gave up at its work budget: the browser allows more.
  const r = synthesizeExamples(rule, { ...(Number.isFinite(now) ? { now } : {}), workBudget: BROWSER_WORK_BUDGET });
  if (!r.ok) return { error: r.reason };
  return { example: r.examples.example, nearMiss: r.examples.nearMiss ?? null, nearMissNote: r.examples.nearMissNote ?? '' };
}
