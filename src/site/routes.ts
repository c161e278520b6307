/**
 * Route lists for the pages' `getStaticPaths`: params plus a lazily computed view model (a
 * thunk, so only the page being rendered holds its view in memory).
 */
import type { CatalogRule } from '../catalog/build';
import { rulePage, printRule, type PrintedRule, type RulePageView } from '../views/rule-page';
import { segment } from '../views/urls';
import type { SiteContext } from './context';
import type { RedirectPage } from '../views/redirect';

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

export type RuleRouteProps = { kind: 'rule'; view: () => RulePageView } | ({ kind: 'alias' } & RedirectPage);

/** The redirect pages of the rules' slugs (`/rules/<slug>/` → `/rules/<id>/`), by path segment. */
export function aliasPages(ctx: SiteContext): { segment: string; page: RedirectPage }[] {
  const m = ctx.model;
  const out: { segment: string; page: RedirectPage }[] = [];
  for (const a of m.aliases) {
    const r = m.byId.get(a.id);
    if (!r) continue;
    const target = m.urls.rule(r.id);
    out.push({ segment: segment(a.slug), page: { name: r.name, target, canonical: m.urls.absolute(target) } });
  }
  return out;
}

/** The rule pages, and (unless `ruledex build` writes them itself, src/site/direct.ts) the redirect pages. */
export function ruleRoutes(ctx: SiteContext): { params: { key: string }; props: RuleRouteProps }[] {
  const out: { params: { key: string }; props: RuleRouteProps }[] = ctx.model.rules.map((r) => ({
    params: { key: segment(r.id) },
    props: { kind: 'rule', view: () => ruleView(ctx, r) },
  }));
  if (!ctx.direct) for (const a of aliasPages(ctx)) out.push({ params: { key: a.segment }, props: { kind: 'alias', ...a.page } });
  return out;
}
