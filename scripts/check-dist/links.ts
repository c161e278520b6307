/**
 * Link check over a built site: every internal `href`, `src` and form `action` of every HTML
 * page (and the meta-refresh targets of redirect pages, and the `<loc>`s of sitemap.xml and
 * links of the Atom feed) must resolve to a file in `dist/` under the base path; `#fragment`s
 * must name an id on the target page. External links are not fetched; `javascript:` URLs count
 * as broken.
 *
 *   npx tsx scripts/check-dist/links.ts [dist] [--base /catalog/] [--site https://example.org]
 *
 * Exit status 1 when something is broken.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Broken {
  /** The page (path under dist) the link is on. */
  page: string;
  url: string;
  reason: string;
}

export interface LinkReport {
  pages: number;
  links: number;
  /** Distinct internal targets checked. */
  targets: number;
  external: number;
  /** Broken links listed (at most `maxBroken`). */
  broken: Broken[];
  /** All broken links, listed or not. */
  brokenTotal: number;
}

export interface CheckOptions {
  base?: string;
  /** The site origin: absolute URLs on it count as internal. */
  site?: string | null;
  /** Stop listing after this many (counting goes on). */
  maxBroken?: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|apos|#x[0-9a-f]+|#\d+);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (ENTITIES[k]) return ENTITIES[k] as string;
    if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
    if (k.startsWith('#')) return String.fromCodePoint(Number(k.slice(1)));
    return m;
  });
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

const ATTR = /<([a-zA-Z][\w-]*)\b([^>]*)>/g;
const LINK_ATTR = /\s(href|src|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const ID_ATTR = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const REFRESH = /<meta\s+http-equiv="refresh"\s+content="[^"]*?url=([^"]+)"/gi;

/** Links on an HTML page: [tag, url]. */
export function pageLinks(html: string): { tag: string; url: string }[] {
  const out: { tag: string; url: string }[] = [];
  // Skip the contents of inline data (there should be none) and comments.
  const text = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of text.matchAll(ATTR)) {
    const tag = (m[1] as string).toLowerCase();
    for (const a of (m[2] as string).matchAll(LINK_ATTR)) {
      const raw = a[2] ?? a[3] ?? a[4] ?? '';
      out.push({ tag, url: decodeEntities(raw) });
    }
  }
  for (const m of text.matchAll(REFRESH)) out.push({ tag: 'meta-refresh', url: decodeEntities(m[1] as string) });
  return out;
}

export function pageIds(html: string): Set<string> {
  const ids = new Set<string>();
  for (const m of html.matchAll(ID_ATTR)) ids.add(decodeEntities(m[1] ?? m[2] ?? m[3] ?? ''));
  return ids;
}

function normaliseBase(base: string): string {
  let b = base.startsWith('/') ? base : `/${base}`;
  if (!b.endsWith('/')) b += '/';
  return b;
}

export function checkLinks(dir: string, options: CheckOptions = {}): LinkReport {
  const root = resolve(dir);
  const base = normaliseBase(options.base ?? '/');
  const site = options.site ? new URL(options.site).origin : null;
  const files = listFiles(root);
  const html = files.filter((f) => f.endsWith('.html'));
  const idsCache = new Map<string, Set<string>>();
  const idsOf = (file: string): Set<string> => {
    let s = idsCache.get(file);
    if (!s) {
      s = pageIds(readFileSync(file, 'utf8'));
      idsCache.set(file, s);
    }
    return s;
  };
  const resolved = new Map<string, string | null>();
  /** The file a site path (`/base/x/`) maps to, or null. */
  const fileOf = (pathname: string): string | null => {
    let hit = resolved.get(pathname);
    if (hit !== undefined) return hit;
    hit = null;
    if (pathname.startsWith(base) || `${pathname}/` === base) {
      let rel: string;
      try {
        rel = decodeURIComponent(pathname.slice(base.length));
      } catch {
        rel = '\0';
      }
      const f = resolve(root, rel);
      if (f === root || f.startsWith(root + sep)) {
        if (existsSync(f) && statSync(f).isFile()) hit = f;
        else if (existsSync(join(f, 'index.html'))) hit = join(f, 'index.html');
      }
    }
    resolved.set(pathname, hit);
    return hit;
  };

  const report: LinkReport = { pages: html.length, links: 0, targets: 0, external: 0, broken: [], brokenTotal: 0 };
  const max = options.maxBroken ?? 1000;
  let brokenCount = 0;
  const broken = (page: string, url: string, reason: string): void => {
    brokenCount++;
    if (report.broken.length < max) report.broken.push({ page, url, reason });
  };

  const checkUrl = (pageFile: string, pageUrl: URL, url: string): void => {
    report.links++;
    const page = relative(root, pageFile);
    const trimmed = url.trim();
    if (trimmed === '') return broken(page, url, 'empty URL');
    if (/^javascript:/i.test(trimmed)) return broken(page, url, 'javascript: URL');
    if (/^(mailto|tel|data):/i.test(trimmed)) return;
    let u: URL;
    try {
      u = new URL(trimmed, pageUrl);
    } catch {
      return broken(page, url, 'not a URL');
    }
    const internal = u.origin === pageUrl.origin || (site !== null && u.origin === site);
    if (!internal) {
      report.external++;
      return;
    }
    const target = fileOf(u.pathname);
    if (!target) return broken(page, url, u.pathname.startsWith(base) ? 'no such file' : `outside the base path ${base}`);
    if (u.hash.length > 1 && target.endsWith('.html')) {
      const id = decodeURIComponent(u.hash.slice(1));
      if (!idsOf(target).has(id)) broken(page, url, `no element with id "${id}"`);
    }
  };

  const origin = 'http://site.invalid';
  const targets = new Set<string>();
  for (const file of html) {
    const rel = relative(root, file).split(sep).join('/');
    const pageUrl = new URL(base + rel.replace(/(^|\/)index\.html$/, '$1'), origin);
    const text = readFileSync(file, 'utf8');
    for (const { url } of pageLinks(text)) {
      checkUrl(file, pageUrl, url);
      targets.add(url);
    }
  }
  // The sitemap and the feed list pages by absolute URL (or path, without --site).
  for (const name of ['sitemap.xml', 'changes.atom']) {
    const f = join(root, name);
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    const pageUrl = new URL(base + name, origin);
    const re = name === 'sitemap.xml' ? /<loc>([^<]+)<\/loc>/g : /<link[^>]*href="([^"]+)"/g;
    for (const m of text.matchAll(re)) {
      const raw = decodeEntities(m[1] as string);
      // Absolute URLs on the configured site are internal; make them relative to the test origin.
      const url = site && raw.startsWith(site) ? raw.slice(site.length) : raw;
      checkUrl(f, pageUrl, url);
    }
  }
  report.targets = targets.size;
  report.brokenTotal = brokenCount;
  return report;
}

export function formatReport(r: LinkReport): string {
  const lines = [`${r.pages} pages, ${r.links} links (${r.external} external, not fetched): ${r.brokenTotal} broken`];
  for (const b of r.broken) lines.push(`  ${b.page}: ${b.url} (${b.reason})`);
  if (r.brokenTotal > r.broken.length) lines.push(`  … and ${r.brokenTotal - r.broken.length} more`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let dir = 'dist';
  let base = '/';
  let site: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--base') base = args[++i] ?? '/';
    else if (a === '--site') site = args[++i] ?? null;
    else dir = a;
  }
  const t = performance.now();
  const r = checkLinks(dir, { base, site });
  console.log(formatReport(r));
  console.log(`checked in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  process.exitCode = r.brokenTotal === 0 ? 0 : 1;
}
