/**
 * sitemap.xml: the canonical pages (rule pages, ATT&CK, fields, tags, integrations, lists), with
 * each rule's last update as `lastmod`. Slug redirect pages, the 404 and the search page are left
 * out.
 */
import { escapeHtml } from './html';
import { isoDate } from './labels';
import type { SiteModel } from './site';
import { techniquePageIds, tacticPageIds } from './attack-pages';

export function sitemapEntries(model: SiteModel): { path: string; lastmod: string | null }[] {
  const u = model.urls;
  const out: { path: string; lastmod: string | null }[] = [
    { path: u.home(), lastmod: model.referenceDate },
    { path: u.browse(), lastmod: model.referenceDate },
    { path: u.changes(), lastmod: model.referenceDate },
    { path: u.deprecated(), lastmod: null },
    { path: u.matrix(), lastmod: null },
    { path: u.fields(), lastmod: null },
    { path: u.tags(), lastmod: null },
    { path: u.integrations(), lastmod: null },
  ];
  for (const r of model.rules) out.push({ path: u.rule(r.id), lastmod: isoDate(r.updatedDate) ?? isoDate(r.creationDate) });
  for (const id of tacticPageIds(model)) out.push({ path: u.tactic(id), lastmod: null });
  for (const id of techniquePageIds(model)) out.push({ path: u.technique(id), lastmod: null });
  for (const f of model.fields.keys()) out.push({ path: u.field(f), lastmod: null });
  for (const t of model.tags) out.push({ path: u.tag(t.slug), lastmod: null });
  for (const i of model.integrations) out.push({ path: u.integration(i.slug), lastmod: null });
  return out;
}

export function sitemapXml(model: SiteModel): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const e of sitemapEntries(model)) {
    lines.push(`<url><loc>${escapeHtml(model.urls.absolute(e.path))}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>`);
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}
