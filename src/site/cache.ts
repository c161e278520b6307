/**
 * A small on-disk cache of strings (Node edge): one JSON file of key → value, valid for one
 * `code` digest (of the source files that compute the values). A save keeps the entries this
 * build used and, up to `MAX_ENTRIES` in all, the older ones (so builds of different source sets
 * do not evict each other). Writes are atomic (temporary file + rename); an unreadable or stale
 * file is ignored.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function digestFiles(paths: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of paths) {
    h.update(p);
    try {
      h.update(readFileSync(p));
    } catch {
      h.update('(missing)');
    }
  }
  return h.digest('hex').slice(0, 16);
}

export function hashKey(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 24);
}

/** Entries a cache file keeps at most (used entries first). */
export const MAX_ENTRIES = 20_000;

/** The entries to save: every used one, then old ones while there is room. */
export function keepEntries<T>(used: ReadonlyMap<string, T>, old: Readonly<Record<string, T>>, max = MAX_ENTRIES): Record<string, T> {
  const out: Record<string, T> = Object.fromEntries(used);
  let n = used.size;
  for (const [k, v] of Object.entries(old)) {
    if (n >= max) break;
    if (k in out) continue;
    out[k] = v;
    n++;
  }
  return out;
}

export class DiskCache {
  private readonly old: Record<string, string>;
  private readonly used = new Map<string, string>();
  private fresh = 0;

  constructor(
    readonly path: string | null,
    readonly code: string,
  ) {
    this.old = path ? DiskCache.read(path, code) : {};
  }

  private static read(path: string, code: string): Record<string, string> {
    try {
      const c = JSON.parse(readFileSync(path, 'utf8')) as { code?: string; entries?: Record<string, string> };
      if (c.code === code && c.entries && typeof c.entries === 'object') return c.entries;
    } catch {
      // Absent or unreadable: start afresh.
    }
    return {};
  }

  /** The cached value of `key`, or `make()` (remembered). */
  get(key: string, make: () => string): string {
    let v = this.used.get(key);
    if (v !== undefined) return v;
    v = this.old[key];
    if (v === undefined) {
      v = make();
      this.fresh++;
    }
    this.used.set(key, v);
    return v;
  }

  /** The value of `key` if cached (without making it). */
  peek(key: string): string | undefined {
    return this.used.get(key) ?? this.old[key];
  }

  /** Stores a value made elsewhere (a worker), counted as a miss. */
  put(key: string, value: string): void {
    if (!this.used.has(key) && this.old[key] === undefined) this.fresh++;
    this.used.set(key, value);
  }

  get misses(): number {
    return this.fresh;
  }

  /** Writes the entries used by this build (when any was new). */
  save(): void {
    if (!this.path || this.fresh === 0) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ code: this.code, entries: keepEntries(this.used, this.old) }));
      renameSync(tmp, this.path);
    } catch {
      // A cache that cannot be written only costs time next build.
    }
  }
}
