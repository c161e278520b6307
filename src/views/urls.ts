/**
 * Every URL the site links to, built with the base path (`/` or `/sub/path/`), and the path
 * segments pages are written under. One place, so pages, search results, sitemaps and feeds
 * agree, and a link checker can trust them.
 *
 * Segments are safe path segments whatever the data says: rule ids, field names, tags and
 * integration names that are not already plain `[A-Za-z0-9._@-]` are encoded reversibly.
 */

/** `/`, `/catalog/`, … from `catalog`, `/catalog`, `catalog/`, `` (always leading and trailing slash). */
export function normaliseBase(base: string | undefined | null): string {
  const parts = (base ?? '').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new Error(`base path must not contain '..': ${JSON.stringify(base)}`);
  return parts.length === 0 ? '/' : `/${parts.map((p) => encodeURIComponent(decodeURIComponentSafe(p))).join('/')}/`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `https://example.org` (no trailing slash), or null. */
export function normaliseSite(site: string | undefined | null): string | null {
  if (!site) return null;
  let u: URL;
  try {
    u = new URL(site);
  } catch {
    throw new Error(`site must be an absolute URL, got ${JSON.stringify(site)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`site must be http(s), got ${JSON.stringify(site)}`);
  return `${u.protocol}//${u.host}`;
}

const PLAIN = /^[A-Za-z0-9_@-][A-Za-z0-9._@-]*$/;

/**
 * A safe, reversible path segment: plain text as is (`process.name`, `T1059.002`), anything else
 * (or text starting with `~`, `.` or `..`) as `~` + hex of its UTF-8 bytes.
 */
export function segment(s: string): string {
  if (PLAIN.test(s) && s.length <= 120) return s;
  let hex = '';
  for (const b of new TextEncoder().encode(s)) hex += b.toString(16).padStart(2, '0');
  return `~${hex}`;
}

/** Lower-case slug for labels (tags, integrations): `Domain: Endpoint` → `domain-endpoint`. */
export function labelSlug(label: string): string {
  const s = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? segment(label) : s.slice(0, 100);
}

export class Urls {
  readonly base: string;
  readonly site: string | null;

  constructor(base: string | null | undefined, site: string | null | undefined = null) {
    this.base = normaliseBase(base);
    this.site = normaliseSite(site);
  }

  /** A path under the base (`rules/x/` → `/base/rules/x/`). */
  path(rel: string): string {
    return this.base + rel.replace(/^\/+/, '');
  }

  /** An absolute URL when the site is known, else the path. */
  absolute(path: string): string {
    return this.site ? this.site + path : path;
  }

  home(): string {
    return this.base;
  }
  rule(id: string): string {
    return this.path(`rules/${segment(id)}/`);
  }
  /** The page of a slug that redirects to a rule. */
  ruleAlias(slug: string): string {
    return this.path(`rules/${segment(slug)}/`);
  }
  browse(): string {
    return this.path('rules/');
  }
  deprecated(): string {
    return this.path('deprecated/');
  }
  changes(): string {
    return this.path('changes/');
  }
  feed(): string {
    return this.path('changes.atom');
  }
  matrix(): string {
    return this.path('attack/');
  }
  tactic(id: string): string {
    return this.path(`attack/tactics/${segment(id)}/`);
  }
  technique(id: string): string {
    return this.path(`attack/techniques/${segment(id)}/`);
  }
  fields(): string {
    return this.path('fields/');
  }
  field(name: string): string {
    return this.path(`fields/${segment(name)}/`);
  }
  tags(): string {
    return this.path('tags/');
  }
  tag(slug: string): string {
    return this.path(`tags/${slug}/`);
  }
  integrations(): string {
    return this.path('integrations/');
  }
  integration(slug: string): string {
    return this.path(`integrations/${slug}/`);
  }
  search(): string {
    return this.path('search/');
  }
  about(): string {
    return this.path('about/');
  }
  apiCatalog(): string {
    return this.path('api/catalog.json');
  }
  apiRule(id: string): string {
    return this.path(`api/rules/${segment(id)}.json`);
  }
  /** The rule's body as written (TOML), for rules whose page shows only a preview of it. */
  apiRuleToml(id: string): string {
    return this.path(`api/rules/${segment(id)}.toml`);
  }
  /** The browse page's facet values per rule (its filters load them). */
  apiBrowse(): string {
    return this.path('api/browse.json');
  }
  apiExamples(id: string): string {
    return this.path(`api/examples/${segment(id)}.json`);
  }
  apiNavigator(key: string): string {
    return this.path(`api/navigator/${segment(key)}.json`);
  }
  searchIndex(): string {
    return this.path('api/search-index.json');
  }
  sitemap(): string {
    return this.path('sitemap.xml');
  }
  asset(rel: string): string {
    return this.path(rel);
  }
}
