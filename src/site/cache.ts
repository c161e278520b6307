/**
 * A small on-disk cache of strings (Node edge): one JSON file of key → value, valid for one
 * `code` digest (of the source files that compute the values). Entries not used by a build are
 * dropped when it saves, so the file does not grow without bound. Writes are atomic (temporary
 * file + rename); an unreadable or stale file is ignored.
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

  get misses(): number {
    return this.fresh;
  }

  /** Writes the entries used by this build (when any was new). */
  save(): void {
    if (!this.path || this.fresh === 0) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ code: this.code, entries: Object.fromEntries(this.used) }));
      renameSync(tmp, this.path);
    } catch {
      // A cache that cannot be written only costs time next build.
    }
  }
}
