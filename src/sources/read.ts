/**
 * Reading configured sources by their kind (Node edge), skipping files the cache already holds.
 *
 * What each kind reads:
 *   detection-rules  a checkout of elastic/detection-rules (or a synced tarball of one): the TOML
 *                    rules under `rules/` and `rules_building_block/` (not `hunting/`, test data
 *                    or READMEs) and the side files of `detection_rules/etc/` when present; a
 *                    folder with neither rules folder is reported as not a checkout
 *   toml             every `.toml` file under the folder (markdown ignored)
 *   markdown         every `.md` file under the folder (TOML ignored)
 *   auto             (`--source DIR` on the command line) what `listSources` decides: a checkout
 *                    when the folder has `detection_rules/etc`, else every `.toml` and `.md`
 *
 * Skipping: each file is `stat`ed first; when its size, mtime and ctime equal the stamp the cache
 * recorded for that path, its cached text and digest are used without opening it. Otherwise it
 * is read and hashed. A stamp is only kept for a file last modified more than `RACY_MS` before
 * it was stat'ed: a file changed again within the same timestamp tick could otherwise keep its
 * stamp while its content changed.
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { FileStamp, FileRecord, StampedFile } from '../catalog/cache';
import type { ResolvedSource } from '../config/schema';
import { listSources, reason, sourceFileOf, toSourceFile, walkFiles, type SourceListing } from '../ingest/read-sources';
import type { ReaderThread } from '../ingest/read-thread';
import type { EtcFile, EtcRole, SourceRoot } from '../ingest/types';
import { diagnostic, type Diagnostic } from '../model/diagnostic';

/** Files modified this recently (ms) before being stat'ed get no stamp (they are re-read next time). */
export const RACY_MS = 2000;

const ETC_FILES: [EtcRole, string][] = [
  ['version-lock', 'version.lock.json'],
  ['deprecated-rules', 'deprecated_rules.json'],
  ['attack-redirects', 'attack-technique-redirects.json'],
];

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

/** Files under `dir` whose names end with one of `exts` (case-insensitively). */
function walk(dir: string, exts: readonly string[], diagnostics: Diagnostic[]): string[] {
  return walkFiles(dir, (name) => {
    const lower = name.toLowerCase();
    return exts.some((x) => lower.endsWith(x));
  }, diagnostics);
}

/** Lists what a source of its kind reads (no file opened). */
export function listSource(source: ResolvedSource): SourceListing {
  if (source.kind === 'auto') return listSources([source.dir]);
  const listing: SourceListing = { rulePaths: [], etcPaths: [], roots: [], diagnostics: [], unreadable: [] };
  const dir = source.dir;
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    const why = reason(e);
    listing.unreadable.push({ dir, reason: source.upstream && why === 'no such file or directory' ? `${why} (source "${source.label}" has an upstream: run \`ruledex sync\` first)` : why });
    return listing;
  }
  let found: string[] = [];
  if (source.kind === 'detection-rules') {
    const subs = ['rules', 'rules_building_block'].filter((s) => existsSync(join(dir, s)));
    if (subs.length === 0) {
      listing.unreadable.push({ dir, reason: `source "${source.label}" is of kind "detection-rules" but has no rules/ or rules_building_block/ folder (for a plain folder of rules use kind "toml")` });
      return listing;
    }
    for (const s of subs) found.push(...walk(join(dir, s), ['.toml'], listing.diagnostics));
    for (const [role, name] of ETC_FILES) {
      const p = join(dir, 'detection_rules', 'etc', name);
      if (existsSync(p)) listing.etcPaths.push({ role, path: p });
    }
  } else {
    found = walk(dir, source.kind === 'toml' ? ['.toml'] : ['.md'], listing.diagnostics);
  }
  const root: SourceRoot = {
    dir,
    kind: source.kind === 'detection-rules' ? 'detection-rules' : 'plain',
    toml: found.filter((p) => p.toLowerCase().endsWith('.toml')).length,
    markdown: found.filter((p) => p.toLowerCase().endsWith('.md')).length,
  };
  listing.roots.push(root);
  listing.rulePaths.push(...found);
  return listing;
}

export interface SourceRead {
  files: StampedFile[];
  etc: EtcFile[];
  roots: SourceRoot[];
  diagnostics: Diagnostic[];
  unreadable: { dir: string; reason: string }[];
  /** Files taken from the cache without being opened. */
  skipped: number;
}

/** Reads a listing; files whose stamp matches `known` (the cache's records by path) are not opened. */
export function readListing(listing: SourceListing, known: ReadonlyMap<string, FileRecord> = new Map(), now: () => number = Date.now): SourceRead {
  const out: SourceRead = { files: [], etc: [], roots: listing.roots, diagnostics: [...listing.diagnostics], unreadable: listing.unreadable, skipped: 0 };
  for (const p of listing.rulePaths) {
    const shown = toPosix(p);
    try {
      const st = statSync(p);
      const stamp: FileStamp | null = now() - st.mtimeMs > RACY_MS ? { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs } : null;
      const rec = known.get(shown);
      if (rec && stamp && rec.stamp && rec.stamp.size === stamp.size && rec.stamp.mtimeMs === stamp.mtimeMs && rec.stamp.ctimeMs === stamp.ctimeMs) {
        out.files.push({ path: shown, text: rec.text, digest: rec.digest, stamp });
        out.skipped++;
        continue;
      }
      const r = toSourceFile(shown, readFileSync(p));
      if ('text' in r) out.files.push({ ...r, stamp });
      else out.diagnostics.push(r);
    } catch (e) {
      out.diagnostics.push(diagnostic('error', 'unreadable-file', shown, null, `cannot be read: ${reason(e)}`));
    }
  }
  readEtc(listing, out);
  return out;
}

/** The side files of a listing (a few, read here). */
function readEtc(listing: SourceListing, out: SourceRead): void {
  for (const { role, path } of listing.etcPaths) {
    try {
      const r = toSourceFile(toPosix(path), readFileSync(path));
      if ('text' in r) out.etc.push({ ...r, role });
      else out.diagnostics.push(r);
    } catch (e) {
      out.diagnostics.push(diagnostic('error', 'unreadable-file', toPosix(path), null, `cannot be read: ${reason(e)}`));
    }
  }
}

/**
 * `readListing` without a cache, through a reader thread (src/ingest/read-thread.ts: it stats and
 * reads the files while this thread takes each as it arrives, in path order, with `onFile`): the
 * same result, for a cold build that decodes files while the next ones are read.
 */
export async function readListingStreaming(listing: SourceListing, reader: ReaderThread, onFile?: (file: StampedFile) => void): Promise<SourceRead> {
  const out: SourceRead = { files: [], etc: [], roots: listing.roots, diagnostics: [...listing.diagnostics], unreadable: listing.unreadable, skipped: 0 };
  const paths = listing.rulePaths;
  await reader.read(
    paths,
    (i, r) => {
      const s = sourceFileOf(paths[i] as string, r, out.diagnostics);
      if (s === null || 'error' in r) return;
      const f: StampedFile = { ...s, stamp: r.stamp ?? null };
      out.files.push(f);
      onFile?.(f);
    },
    { stamps: { racyMs: RACY_MS } },
  );
  readEtc(listing, out);
  return out;
}
