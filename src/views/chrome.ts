/**
 * What every page's frame shows: the site title, navigation, the search box's endpoints, the
 * stylesheet-free theme script and the Content-Security-Policy.
 */
import type { SiteModel } from './site';

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

export type NavKey = 'home' | 'rules' | 'attack' | 'fields' | 'tags' | 'integrations' | 'changes' | 'search' | 'other';

export interface ChromeView {
  title: string;
  base: string;
  home: string;
  nav: { key: NavKey; label: string; href: string }[];
  searchPage: string;
  searchIndex: string;
  themeScript: string;
  favicon: string;
  feed: string;
  api: string;
  sitemap: string;
  csp: string;
  generatedFrom: string;
}

export function chrome(model: SiteModel): ChromeView {
  const u = model.urls;
  return {
    title: model.title,
    base: u.base,
    home: u.home(),
    nav: [
      { key: 'rules', label: 'Rules', href: u.browse() },
      { key: 'attack', label: 'ATT&CK', href: u.matrix() },
      { key: 'fields', label: 'Fields', href: u.fields() },
      { key: 'tags', label: 'Tags', href: u.tags() },
      { key: 'integrations', label: 'Integrations', href: u.integrations() },
      { key: 'changes', label: 'Changes', href: u.changes() },
    ],
    searchPage: u.search(),
    searchIndex: u.searchIndex(),
    themeScript: u.asset('theme.js'),
    favicon: u.asset('favicon.svg'),
    feed: u.feed(),
    api: u.apiCatalog(),
    sitemap: u.sitemap(),
    csp: CSP,
    generatedFrom: `${model.rules.length.toLocaleString('en-US')} rules, catalog as of ${model.referenceDate}`,
  };
}
