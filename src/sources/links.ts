/**
 * Where a source's rule files link to on the site (pure). A source with a GitHub upstream
 * (an archive or tarball URL of github.com, codeload.github.com or api.github.com) links its
 * files to that repository at the synced ref (the config's `ref`, else the one in the URL); a
 * detection-rules checkout without one links to elastic/detection-rules on `main`; folders of
 * TOML or markdown without a GitHub upstream do not link.
 */
import type { ResolvedSource } from '../config/schema';
import type { SourceRoot } from '../ingest/types';
import type { SourceLink } from '../views/site';

export interface GithubRepo {
  owner: string;
  repo: string;
  ref: string | null;
}

const strip = (ref: string): string => ref.replace(/^refs\/(?:tags|heads)\//, '').replace(/\.(?:tar\.gz|tgz|zip)$/, '');

/** The GitHub repository (and ref) a tarball URL comes from, or null. */
export function githubRepo(url: string): GithubRepo | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c, ...rest] = parts;
  if (u.hostname === 'github.com' && a && b && c === 'archive') return { owner: a, repo: b, ref: rest.length ? strip(rest.join('/')) : null };
  if (u.hostname === 'codeload.github.com' && a && b && c === 'tar.gz') return { owner: a, repo: b, ref: rest.length ? strip(rest.join('/')) : null };
  if (u.hostname === 'api.github.com' && a === 'repos' && b && c && rest[0] === 'tarball') return { owner: b, repo: c, ref: rest.length > 1 ? strip(rest.slice(1).join('/')) : null };
  return null;
}

const ELASTIC: GithubRepo = { owner: 'elastic', repo: 'detection-rules', ref: 'main' };

/** The prefix of the paths the reader gives a source's files (`join(dir, …)`, `/`-separated): `./content/` → `content/`. */
export function pathPrefix(dir: string): string {
  const posix = dir.replace(/\\/g, '/');
  const abs = posix.startsWith('/');
  const segs: string[] = [];
  for (const s of posix.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' && segs.length > 0 && segs[segs.length - 1] !== '..') segs.pop();
    else if (s !== '..' || !abs) segs.push(s);
  }
  const joined = `${abs ? '/' : ''}${segs.join('/')}`;
  return joined === '' ? '' : joined.endsWith('/') ? joined : `${joined}/`;
}

/** Source links for the sources (their read roots tell which `auto` folders are checkouts). */
export function sourceLinks(sources: readonly ResolvedSource[], roots: readonly SourceRoot[] = []): SourceLink[] {
  const out: SourceLink[] = [];
  for (const s of sources) {
    const gh = s.upstream ? githubRepo(s.upstream.url) : null;
    const checkout = s.kind === 'detection-rules' || (s.kind === 'auto' && roots.some((r) => r.dir === s.dir && r.kind === 'detection-rules'));
    const repo = gh ? { ...gh, ref: s.upstream?.ref ?? gh.ref ?? 'main' } : checkout ? ELASTIC : null;
    if (!repo) continue;
    out.push({
      prefix: pathPrefix(s.dir),
      url: `https://github.com/${repo.owner}/${repo.repo}/blob/${encodeURIComponent(repo.ref ?? 'main').replace(/%2F/g, '/')}/`,
      label: `github.com/${repo.owner}/${repo.repo}`,
    });
  }
  return out;
}
