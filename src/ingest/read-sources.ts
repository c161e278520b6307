/**
 * The file-system edge of ingest (the only ingest module that touches Node I/O besides the
 * worker driver): walks each source directory, reads `.toml` and `.md` files into `SourceFile`s.
 *
 * - Paths are the directory as given joined with the path inside it (`../shared/corpus/x/rules/a.toml`),
 *   `/`-separated; files are sorted by path within a source, sources kept in the order given.
 * - Hidden entries (`.git`, `.github`) and `node_modules` are skipped; symbolic links are followed
 *   once (a link back into a directory already walked is ignored).
 * - A byte-order mark is removed; CRLF line endings are kept (every later stage accepts them).
 * - A file that cannot be read, holds a NUL byte (binary) or is not valid UTF-8 is reported
 *   (`unreadable-file`, `binary-file`, `invalid-utf8`; the last two with the line and column of
 *   the first offending byte) and left out; everything else goes on.
 * - A detection-rules checkout (a directory with `detection_rules/etc`) is read the way the
 *   repository lays rules out: only `rules/` and `rules_building_block/` (its `hunting/` TOML and
 *   test data are not detection rules), plus `detection_rules/etc/version.lock.json`,
 *   `deprecated_rules.json` and `attack-technique-redirects.json`.
 * - A source directory that does not exist or cannot be listed is returned in `unreadable`: the
 *   CLI treats that as unusable input.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic';
import type { ReaderThread, ReadOutcome } from './read-thread';
import type { EtcFile, EtcRole, SourceFile, SourceRoot } from './types';

export interface ReadSourcesOptions {
  /** Called while files are read (`done` of `total`). */
  onProgress?: (done: number, total: number) => void;
}

export interface ReadSourcesResult {
  files: SourceFile[];
  etc: EtcFile[];
  roots: SourceRoot[];
  diagnostics: Diagnostic[];
  /** Source directories that could not be read at all, with the reason. */
  unreadable: { dir: string; reason: string }[];
}

const ETC_FILES: [EtcRole, string][] = [
  ['version-lock', 'version.lock.json'],
  ['deprecated-rules', 'deprecated_rules.json'],
  ['attack-redirects', 'attack-technique-redirects.json'],
];

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

export function isDetectionRulesCheckout(dir: string): boolean {
  try {
    return statSync(join(dir, 'detection_rules', 'etc')).isDirectory();
  } catch {
    return false;
  }
}

function isRuleFile(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.toml') || lower.endsWith('.md');
}

/** Lists rule files under `dir`, sorted, following links once. Problems with sub-directories become diagnostics. */
function walk(dir: string, diagnostics: Diagnostic[]): string[] {
  return walkFiles(dir, isRuleFile, diagnostics);
}

/**
 * Files under `dir` whose names `accept` takes, sorted, symbolic links followed once, hidden
 * entries and node_modules skipped. Unlistable directories and broken links become diagnostics.
 */
export function walkFiles(dir: string, accept: (name: string) => boolean, diagnostics: Diagnostic[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (d: string): void => {
    let real: string;
    try {
      real = realpathSync(d);
    } catch {
      real = d;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      diagnostics.push(diagnostic('error', 'unreadable-file', toPosix(d), null, `directory cannot be listed: ${reason(e)}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          diagnostics.push(diagnostic('warning', 'unreadable-file', toPosix(p), null, 'broken symbolic link, skipped'));
          continue;
        }
      }
      if (isDir) visit(p);
      else if (isFile && accept(e.name)) out.push(p);
    }
  };
  visit(dir);
  return out;
}

export function reason(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const code = (e as { code: string }).code;
    return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : code;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Offset of the first byte that breaks UTF-8 (the buffer is known to be invalid). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return buf.length;
}

/** 1-based line and UTF-16 column of a byte offset. */
function placeOfByte(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < offset; i = buf.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: buf.toString('utf8', lineStart, offset).length + 1 };
}

/** Bytes → `SourceFile`, or a diagnostic saying why not. */
export function toSourceFile(path: string, buf: Buffer): SourceFile | Diagnostic {
  const nul = buf.indexOf(0);
  if (nul >= 0) return diagnostic('error', 'binary-file', path, placeOfByte(buf, nul), 'binary file (NUL byte): skipped');
  if (!isUtf8(buf)) {
    const at = firstInvalidUtf8(buf);
    return diagnostic('error', 'invalid-utf8', path, placeOfByte(buf, at), `not valid UTF-8 (byte 0x${(buf[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at}): skipped`);
  }
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const text = buf.toString('utf8', bom ? 3 : 0);
  return { path, text, digest: createHash('sha256').update(buf).digest('hex') };
}

/** A file's bytes (or why they could not be read) → `SourceFile`, or null with a diagnostic. */
export function sourceFileOf(path: string, read: ReadOutcome, diagnostics: Diagnostic[]): SourceFile | null {
  const shown = toPosix(path);
  if ('error' in read) {
    diagnostics.push(diagnostic('error', 'unreadable-file', shown, null, `cannot be read: ${reason(read.error.code ? { code: read.error.code } : new Error(read.error.message))}`));
    return null;
  }
  if ('text' in read) return { path: shown, text: read.text, digest: read.digest };
  const r = toSourceFile(shown, read.bytes);
  if ('text' in r) return r;
  diagnostics.push(r);
  return null;
}

/**
 * Reads the files one after another with `readFileSync`: the sources are a few thousand small
 * files, usually in the page cache, and the synchronous call costs a fraction of the CPU of
 * `fs.promises.readFile` (no file handle objects, promises or thread-pool round trips).
 */
function readAll(paths: string[], options: ReadSourcesOptions, diagnostics: Diagnostic[]): (SourceFile | null)[] {
  const out: (SourceFile | null)[] = [];
  const every = Math.max(1, Math.floor(paths.length / 100));
  paths.forEach((p, i) => {
    let read: ReadOutcome;
    try {
      read = { bytes: readFileSync(p) };
    } catch (e) {
      read = { error: { ...(e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? { code: e.code } : {}), message: e instanceof Error ? e.message : String(e) } };
    }
    out.push(sourceFileOf(p, read, diagnostics));
    if (options.onProgress && ((i + 1) % every === 0 || i + 1 === paths.length)) options.onProgress(i + 1, paths.length);
  });
  return out;
}

/** What `listSources` found: the files to read, before reading them. */
export interface SourceListing {
  rulePaths: string[];
  etcPaths: { role: EtcRole; path: string }[];
  roots: SourceRoot[];
  diagnostics: Diagnostic[];
  unreadable: { dir: string; reason: string }[];
}

/** Walks the source directories (fast: no file is opened) so callers can plan before reading. */
export function listSources(dirs: readonly string[]): SourceListing {
  const listing: SourceListing = { rulePaths: [], etcPaths: [], roots: [], diagnostics: [], unreadable: [] };
  for (const dir of dirs) {
    try {
      const st = statSync(dir);
      if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      readdirSync(dir);
    } catch (e) {
      listing.unreadable.push({ dir, reason: reason(e) });
      continue;
    }
    const checkout = isDetectionRulesCheckout(dir);
    const found: string[] = [];
    if (checkout) {
      for (const sub of ['rules', 'rules_building_block']) {
        if (existsSync(join(dir, sub))) found.push(...walk(join(dir, sub), listing.diagnostics));
      }
      for (const [role, name] of ETC_FILES) {
        const p = join(dir, 'detection_rules', 'etc', name);
        if (existsSync(p)) listing.etcPaths.push({ role, path: p });
      }
    } else {
      found.push(...walk(dir, listing.diagnostics));
    }
    listing.roots.push({
      dir,
      kind: checkout ? 'detection-rules' : 'plain',
      toml: found.filter((p) => p.toLowerCase().endsWith('.toml')).length,
      markdown: found.filter((p) => p.toLowerCase().endsWith('.md')).length,
    });
    listing.rulePaths.push(...found);
  }
  return listing;
}

/** Reads what `listSources` found. */
export async function readListed(listing: SourceListing, options: ReadSourcesOptions = {}): Promise<ReadSourcesResult> {
  const diagnostics = [...listing.diagnostics];
  const read = readAll(listing.rulePaths, options, diagnostics);
  return withEtc(listing, read.filter((f): f is SourceFile => f !== null), diagnostics);
}

export interface StreamedReadOptions extends ReadSourcesOptions {
  /** Gets each rule file as soon as it is read, with its index in the result's `files`. */
  onFile?: (file: SourceFile, index: number) => void;
}

/**
 * `readListed` with the rule files read by a reader thread (read-thread.ts): `onFile` gets each
 * one as it arrives, in order, so the caller decodes while the rest are read. Same result.
 */
export async function readListedStreaming(listing: SourceListing, reader: ReaderThread, options: StreamedReadOptions = {}): Promise<ReadSourcesResult> {
  const diagnostics = [...listing.diagnostics];
  const paths = listing.rulePaths;
  const files: SourceFile[] = [];
  const every = Math.max(1, Math.floor(paths.length / 100));
  await reader.read(paths, (i, read) => {
    const f = sourceFileOf(paths[i] as string, read, diagnostics);
    if (f !== null) {
      files.push(f);
      options.onFile?.(f, files.length - 1);
    }
    if (options.onProgress && ((i + 1) % every === 0 || i + 1 === paths.length)) options.onProgress(i + 1, paths.length);
  });
  return withEtc(listing, files, diagnostics);
}

/** The read result: the rule files, and the side files (read here: a few, one of them large). */
function withEtc(listing: SourceListing, files: SourceFile[], diagnostics: Diagnostic[]): ReadSourcesResult {
  const etc: EtcFile[] = [];
  for (const { role, path } of listing.etcPaths) {
    try {
      const r = toSourceFile(toPosix(path), readFileSync(path));
      if ('text' in r) etc.push({ ...r, role });
      else diagnostics.push(r);
    } catch (e) {
      diagnostics.push(diagnostic('error', 'unreadable-file', toPosix(path), null, `cannot be read: ${reason(e)}`));
    }
  }
  return { files, etc, roots: listing.roots, diagnostics, unreadable: listing.unreadable };
}

export async function readSources(dirs: readonly string[], options: ReadSourcesOptions = {}): Promise<ReadSourcesResult> {
  return readListed(listSources(dirs), options);
}
