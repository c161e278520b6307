/**
 * `ruledex.config.json`: the typed configuration and its pure validator. The validator never
 * throws: it returns the config it could make (null when unusable) and diagnostics naming the
 * file, the path inside the config (`sources[1].upstream.url`) and what was expected.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic';

export type SourceKind = 'detection-rules' | 'toml' | 'markdown';
export const SOURCE_KINDS: readonly SourceKind[] = ['detection-rules', 'toml', 'markdown'];
/** How a resolved source is read: its configured kind, or `auto` for `--source DIR` (see `src/sources/read.ts`). */
export type ReadKind = SourceKind | 'auto';

export interface Upstream {
  /** https:// tarball URL (http:// only for loopback hosts). */
  url: string;
  /** Branch, tag or release the URL points at (informational; shown by `sync`). */
  ref?: string;
  /** Expected sha256 of the tarball (64 hex digits, lower case). */
  sha256?: string;
}

export interface SourceConfig {
  /** Shown as the rule's `source` and in breadcrumbs ("Detection rules › Elastic"). */
  label: string;
  kind: SourceKind;
  /** Local directory of the source; for an upstream source, defaults to its cache folder. */
  path?: string;
  upstream?: Upstream;
}

export interface RuledexConfig {
  sources: SourceConfig[];
  /** ATT&CK STIX bundle path. */
  attack?: string;
  /** Base path of the site (`/rules/`). */
  base?: string;
  /** Site URL (`https://example.org`). */
  site?: string;
  /** Where `sync` puts upstream sources and the build keeps its cache; default `.ruledex-cache` for sources (the build cache then defaults to `node_modules/.cache/ruledex`). */
  cacheDir?: string;
}

/** Identity, for typed `ruledex.config.ts` / `.mjs` files: `export default defineConfig({ … })`. */
export function defineConfig(config: RuledexConfig): RuledexConfig {
  return config;
}

export const DEFAULT_CACHE_DIR = '.ruledex-cache';

export interface ConfigResult {
  config: RuledexConfig | null;
  diagnostics: Diagnostic[];
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a URL for `upstream.url`; returns why it is unusable, or null. */
export function checkUpstreamUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'an absolute https:// URL';
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return null;
  return 'an https:// URL (http:// is allowed only for 127.0.0.1, ::1 and localhost)';
}

/** Validates a parsed config value. `file` names the config in diagnostics. */
export function validateConfig(value: unknown, file: string): ConfigResult {
  const ds: Diagnostic[] = [];
  const err = (path: string, expected: string, got: unknown): void => {
    ds.push(diagnostic('error', 'config-invalid', file, null, `${path}: expected ${expected}, got ${describe(got)}`));
  };
  if (!isRecord(value)) {
    err('(top level)', 'an object with "sources"', value);
    return { config: null, diagnostics: ds };
  }
  const known = new Set(['$schema', 'sources', 'attack', 'base', 'site', 'cacheDir']);
  for (const k of Object.keys(value)) if (!known.has(k)) ds.push(diagnostic('error', 'config-invalid', file, null, `${k}: unknown key (known: sources, attack, base, site, cacheDir)`));

  const sources: SourceConfig[] = [];
  if (!Array.isArray(value.sources) || value.sources.length === 0) err('sources', 'a non-empty array of sources', value.sources);
  else {
    const labels = new Map<string, number>();
    value.sources.forEach((s: unknown, i: number) => {
      const at = `sources[${i}]`;
      if (!isRecord(s)) return err(at, 'an object with label and kind', s);
      for (const k of Object.keys(s)) if (!['label', 'kind', 'path', 'upstream'].includes(k)) ds.push(diagnostic('error', 'config-invalid', file, null, `${at}.${k}: unknown key (known: label, kind, path, upstream)`));
      let ok = true;
      if (typeof s.label !== 'string' || !LABEL.test(s.label)) {
        err(`${at}.label`, "1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit", s.label);
        ok = false;
      } else {
        const prev = labels.get(s.label.toLowerCase());
        if (prev !== undefined) {
          ds.push(diagnostic('error', 'config-invalid', file, null, `${at}.label: "${s.label}" is already the label of sources[${prev}]; labels must be unique`));
          ok = false;
        } else labels.set(s.label.toLowerCase(), i);
      }
      if (typeof s.kind !== 'string' || !(SOURCE_KINDS as readonly string[]).includes(s.kind)) {
        err(`${at}.kind`, `one of ${SOURCE_KINDS.map((k) => `"${k}"`).join(', ')}`, s.kind);
        ok = false;
      }
      if (s.path !== undefined && (typeof s.path !== 'string' || s.path.trim() === '')) {
        err(`${at}.path`, 'a directory path', s.path);
        ok = false;
      }
      let upstream: Upstream | undefined;
      if (s.upstream !== undefined) {
        const u = s.upstream;
        if (!isRecord(u)) {
          err(`${at}.upstream`, 'an object with url', u);
          ok = false;
        } else {
          for (const k of Object.keys(u)) if (!['url', 'ref', 'sha256'].includes(k)) ds.push(diagnostic('error', 'config-invalid', file, null, `${at}.upstream.${k}: unknown key (known: url, ref, sha256)`));
          const why = typeof u.url === 'string' ? checkUpstreamUrl(u.url) : 'an https:// URL';
          if (why) {
            err(`${at}.upstream.url`, why, u.url);
            ok = false;
          }
          if (u.ref !== undefined && (typeof u.ref !== 'string' || u.ref === '')) {
            err(`${at}.upstream.ref`, 'a branch, tag or release name', u.ref);
            ok = false;
          }
          if (u.sha256 !== undefined && (typeof u.sha256 !== 'string' || !SHA256.test(u.sha256.toLowerCase()))) {
            err(`${at}.upstream.sha256`, '64 hexadecimal digits', u.sha256);
            ok = false;
          }
          if (ok) {
            upstream = { url: u.url as string };
            if (typeof u.ref === 'string') upstream.ref = u.ref;
            if (typeof u.sha256 === 'string') upstream.sha256 = u.sha256.toLowerCase();
          }
        }
      }
      if (s.path === undefined && s.upstream === undefined) {
        ds.push(diagnostic('error', 'config-invalid', file, null, `${at}: expected "path" or "upstream" (where the rules are)`));
        ok = false;
      }
      if (!ok) return;
      const src: SourceConfig = { label: s.label as string, kind: s.kind as SourceKind };
      if (typeof s.path === 'string') src.path = s.path;
      if (upstream) src.upstream = upstream;
      sources.push(src);
    });
  }
  const config: RuledexConfig = { sources };
  const str = (key: 'attack' | 'base' | 'site' | 'cacheDir', expected: string, check: (v: string) => boolean = (v) => v.trim() !== ''): void => {
    const v = value[key];
    if (v === undefined) return;
    if (typeof v !== 'string' || !check(v)) err(key, expected, v);
    else config[key] = v;
  };
  str('attack', 'a path to an ATT&CK STIX bundle (.json)');
  str('base', "a base path starting with '/'", (v) => v.startsWith('/'));
  str('site', 'an absolute http(s) URL', (v) => /^https?:\/\/[^\s/]+/.test(v));
  str('cacheDir', 'a directory path');
  const failed = ds.some((d) => d.severity === 'error');
  return { config: failed ? null : config, diagnostics: ds };
}

/** Command-line flags that override the config (undefined = not given). */
export interface ConfigFlags {
  /** `--source DIR`: replaces the config's sources with these directories (label from `label`). */
  source?: string[];
  label?: string;
  attack?: string;
  base?: string;
  site?: string;
  cacheDir?: string;
}

export interface ResolvedSource {
  label: string;
  kind: ReadKind;
  /** The directory to read. */
  dir: string;
  upstream?: Upstream;
}

export interface ResolvedOptions {
  sources: ResolvedSource[];
  attack: string | null;
  base: string;
  site: string | null;
  /** Where synced upstream sources live (`<cacheDir>/sources/<label>`). */
  cacheDir: string;
  /** The build cache folder: `--cache-dir`, else the config's `cacheDir`; null: the default (`node_modules/.cache/ruledex`). */
  buildCacheDir: string | null;
}

/** Where `sync` puts an upstream source's files: `<cacheDir>/sources/<label as a path segment>`. */
export function upstreamDir(cacheDir: string, label: string): string {
  return `${cacheDir.replace(/\/+$/, '')}/sources/${label.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
}

/**
 * Config + flags → what a command uses. Flags win; `--source` replaces every configured source
 * (read as `auto`); `--cache-dir` moves the build cache, not the synced sources.
 */
export function resolveOptions(config: RuledexConfig | null, flags: ConfigFlags = {}): ResolvedOptions {
  const cacheDir = config?.cacheDir ?? DEFAULT_CACHE_DIR;
  let sources: ResolvedSource[];
  if (flags.source && flags.source.length > 0) {
    sources = flags.source.map((dir) => ({ label: flags.label ?? 'elastic', kind: 'auto', dir }));
  } else if (config) {
    sources = config.sources.map((s) => {
      const r: ResolvedSource = { label: s.label, kind: s.kind, dir: s.path ?? upstreamDir(cacheDir, s.label) };
      if (s.upstream) r.upstream = s.upstream;
      return r;
    });
  } else sources = [{ label: flags.label ?? 'elastic', kind: 'auto', dir: 'content' }];
  return {
    sources,
    attack: flags.attack ?? config?.attack ?? null,
    base: flags.base ?? config?.base ?? '/',
    site: flags.site ?? config?.site ?? null,
    cacheDir,
    buildCacheDir: flags.cacheDir ?? config?.cacheDir ?? null,
  };
}
