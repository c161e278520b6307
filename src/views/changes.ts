/**
 * Changes: rules recently created, updated and deprecated (by their metadata dates), as a page
 * and as an Atom feed. Deterministic: the feed's `updated` is the catalog's newest date.
 */
import { pageMeta, ruleItem, ruleItems, type PageMeta, type RuleItem } from './common';
import { escapeHtml } from './html';
import { cmp, isoDate, plural } from './labels';
import type { SiteModel } from './site';

export type ChangeKind = 'created' | 'updated' | 'deprecated';

export interface Change {
  date: string;
  kind: ChangeKind;
  item: RuleItem;
  note: string | null;
}

/** Changes listed on the page and in the feed. */
export const MAX_CHANGES = 100;
export const MAX_FEED = 50;

export function changes(model: SiteModel, limit = MAX_CHANGES): Change[] {
  const out: { date: string; kind: ChangeKind; id: string; note: string | null }[] = [];
  for (const r of model.rules) {
    const created = isoDate(r.creationDate);
    const updated = isoDate(r.updatedDate);
    const deprecated = isoDate(r.deprecationDate);
    if (created) out.push({ date: created, kind: 'created', id: r.id, note: null });
    if (updated && updated !== created) out.push({ date: updated, kind: 'updated', id: r.id, note: null });
    if (deprecated) out.push({ date: deprecated, kind: 'deprecated', id: r.id, note: r.deprecatedReason });
  }
  const kindRank: Record<ChangeKind, number> = { deprecated: 0, updated: 1, created: 2 };
  out.sort((a, b) => cmp(b.date, a.date) || kindRank[a.kind] - kindRank[b.kind] || (model.nameRank.get(a.id) ?? 0) - (model.nameRank.get(b.id) ?? 0));
  return out.slice(0, limit).flatMap((c) => {
    const r = model.byId.get(c.id);
    return r ? [{ date: c.date, kind: c.kind, item: ruleItem(model, r), note: c.note }] : [];
  });
}

export interface ChangesView {
  meta: PageMeta;
  changes: Change[];
  feed: string;
}

export function changesPage(model: SiteModel): ChangesView {
  const u = model.urls;
  return {
    meta: pageMeta(model, u.changes(), 'Changes', `The ${MAX_CHANGES} most recent rule changes: created, updated and deprecated rules.`, [{ label: 'Changes', href: null }]),
    changes: changes(model),
    feed: u.feed(),
  };
}

export function atomFeed(model: SiteModel): string {
  const u = model.urls;
  const abs = (p: string): string => escapeHtml(u.absolute(p));
  const items = changes(model, MAX_FEED);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<title>${escapeHtml(model.title)}: rule changes</title>`,
    // An Atom id must be an absolute IRI: the feed's URL when the site is known.
    `<id>${u.site ? abs(u.feed()) : 'urn:ruledex:changes'}</id>`,
    `<link rel="self" href="${abs(u.feed())}"/>`,
    `<link rel="alternate" href="${abs(u.changes())}"/>`,
    `<updated>${model.referenceDate}T00:00:00Z</updated>`,
    `<author><name>${escapeHtml(model.title)}</name></author>`,
  ];
  for (const c of items) {
    lines.push(
      '<entry>',
      `<title>${escapeHtml(`${c.kind === 'created' ? 'New' : c.kind === 'updated' ? 'Updated' : 'Deprecated'}: ${c.item.name}`)}</title>`,
      `<id>urn:ruledex:${escapeHtml(encodeURIComponent(c.item.id))}:${c.kind}:${c.date}</id>`,
      `<link href="${abs(c.item.href)}"/>`,
      `<updated>${c.date}T00:00:00Z</updated>`,
      `<summary>${escapeHtml(`${c.item.severity} ${c.item.typeLabel} rule${c.item.techniques.length ? ` (${c.item.techniques.join(', ')})` : ''}${c.note ? `: ${c.note}` : ''}`)}</summary>`,
      '</entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

export interface DeprecatedView {
  meta: PageMeta;
  rules: (RuleItem & { date: string | null; reason: string | null })[];
}

export function deprecatedPage(model: SiteModel): DeprecatedView {
  const u = model.urls;
  const ids = model.byName.filter((id) => {
    const r = model.byId.get(id);
    return r !== undefined && (r.deprecated || r.maturity === 'deprecated');
  });
  const items = ruleItems(model, ids).map((it) => {
    const r = model.byId.get(it.id);
    return { ...it, date: isoDate(r?.deprecationDate), reason: r?.deprecatedReason ?? null };
  });
  return {
    meta: pageMeta(model, u.deprecated(), 'Deprecated rules', `${plural(items.length, 'rule')} withdrawn from the rule set.`, [{ label: 'Deprecated rules', href: null }]),
    rules: items,
  };
}
