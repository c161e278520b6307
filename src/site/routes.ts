/**
 * Route lists for the pages' `getStaticPaths`: params plus a lazily computed view model (a
 * thunk, so only the page being rendered holds its view in memory).
 */
import type { CatalogRule } from '../catalog/build';
import { rulePage, printRule, type PrintedRule, type RulePageView } from '../views/rule-page';
import { segment } from '../views/urls';
import type { SiteContext } from './context';

export function printedOf(ctx: SiteContext, rule: CatalogRule): PrintedRule {
  let p = ctx.printed.get(rule.id);
  if (!p) {
    p = printRule(rule, ctx.model.catalog.parsed.get(rule.id));
    ctx.printed.set(rule.id, p);
  }
  return p;
}

/**
 * Prints the queries of `count` rules from index `from` of the model ahead of their pages (work
 * for the wait for examples, see `SiteContext.whileWaiting`); returns the next index. Their
 * pages take the printed form and drop it.
 */
export function printAhead(ctx: SiteContext, from: number, count: number): number {
  const rules = ctx.model.rules;
  const end = Math.min(rules.length, from + count);
  for (let i = from; i < end; i++) printedOf(ctx, rules[i] as CatalogRule);
  return end;
}

export function ruleView(ctx: SiteContext, rule: CatalogRule): RulePageView {
  const ex = ctx.examples.get(rule.id);
  const view = rulePage(ctx.model, rule, { printed: printedOf(ctx, rule), markdown: ctx.markdown, ...(ctx.markdownText ? { markdownText: ctx.markdownText } : {}), ...(ex ? { examples: ex } : {}), examplesDeferred: ctx.deferredExamples?.has(rule.id) === true });
  // The printed form is only needed for this page: drop it to keep memory flat.
  ctx.printed.delete(rule.id);
  return view;
}

export type RuleRouteProps =
  | { kind: 'rule'; view: () => RulePageView }
  | { kind: 'alias'; name: string; target: string; targetAbsolute: string };

export function ruleRoutes(ctx: SiteContext): { params: { key: string }; props: RuleRouteProps }[] {
  const m = ctx.model;
  const out: { params: { key: string }; props: RuleRouteProps }[] = m.rules.map((r) => ({
    params: { key: segment(r.id) },
    props: { kind: 'rule', view: () => ruleView(ctx, r) },
  }));
  for (const a of m.aliases) {
    const r = m.byId.get(a.id);
    if (!r) continue;
    const target = m.urls.rule(r.id);
    out.push({ params: { key: segment(a.slug) }, props: { kind: 'alias', name: r.name, target, targetAbsolute: m.urls.absolute(target) } });
  }
  return out;
}
