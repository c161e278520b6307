/**
 * A small tar reader (pure): ustar and pax headers (plus GNU long names), regular files and
 * directories only. Paths are checked before anything is written: an absolute path, a `..`
 * component or a link pointing outside the archive refuses the whole archive; links inside it
 * are skipped (reported). Returns entries or a reason, never throws.
 */

export interface TarEntry {
  /** Normalised relative path: `/`-separated, no `.`/`..`/empty components. */
  path: string;
  type: 'file' | 'dir';
  /** File bytes (empty for directories). */
  data: Uint8Array;
  /** Permission bits from the header. */
  mode: number;
}

export type TarResult = { ok: true; entries: TarEntry[]; skipped: string[] } | { ok: false; error: string };

const dec = new TextDecoder();

function field(b: Uint8Array, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const nul = s.indexOf(0);
  return dec.decode(nul < 0 ? s : s.subarray(0, nul));
}

function octal(b: Uint8Array, off: number, len: number): number | null {
  // base-256 (GNU) for large values
  if ((b[off] ?? 0) & 0x80) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + (b[off + i] ?? 0);
    return v;
  }
  const s = field(b, off, len).trim();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : null;
}

/** Normalises an entry path; null when it is absolute or climbs out with `..`. */
export function safeTarPath(p: string): string | null {
  if (p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p)) return null;
  const parts: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') return null;
    parts.push(c);
  }
  return parts.join('/');
}

/** Whether a link at `path` with target `target` stays inside the archive root. */
function linkInside(path: string, target: string, hard: boolean): boolean {
  if (target.startsWith('/')) return false;
  const base = hard ? [] : path.split('/').slice(0, -1);
  for (const c of target.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (base.length === 0) return false;
      base.pop();
    } else base.push(c);
  }
  return true;
}

function paxRecords(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    let sp = i;
    while (sp < data.length && data[sp] !== 0x20) sp++;
    const len = Number(dec.decode(data.subarray(i, sp)));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) break;
    const rec = dec.decode(data.subarray(sp + 1, i + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

export function readTar(bytes: Uint8Array): TarResult {
  const entries: TarEntry[] = [];
  const skipped: string[] = [];
  let off = 0;
  let pax: Record<string, string> = {};
  let longName: string | null = null;
  let longLink: string | null = null;
  while (off + 512 <= bytes.length) {
    const h = bytes.subarray(off, off + 512);
    if (h.every((x) => x === 0)) return { ok: true, entries, skipped };
    const sum = octal(h, 148, 8);
    let calc = 0;
    for (let i = 0; i < 512; i++) calc += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    if (sum === null || sum !== calc) return { ok: false, error: `bad tar header checksum at byte ${off}` };
    const size = octal(h, 124, 12);
    if (size === null) return { ok: false, error: `bad size field at byte ${off}` };
    const type = String.fromCharCode(h[156] ?? 0);
    const dataStart = off + 512;
    const dataEnd = dataStart + size;
    if (dataEnd > bytes.length) return { ok: false, error: `archive is truncated (entry at byte ${off} needs ${size} bytes)` };
    const data = bytes.subarray(dataStart, dataEnd);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L' || type === 'K') {
      const s = dec.decode(data).replace(/\0+$/, '');
      if (type === 'L') longName = s;
      else longLink = s;
      continue;
    }
    const magic = field(h, 257, 6);
    const prefix = magic.startsWith('ustar') ? field(h, 345, 155) : '';
    const rawName = pax.path ?? longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    const linkTarget = pax.linkpath ?? longLink ?? field(h, 157, 100);
    pax = {};
    longName = null;
    longLink = null;
    const path = safeTarPath(rawName);
    if (path === null) return { ok: false, error: `refusing entry ${JSON.stringify(rawName)}: absolute path or '..' component` };
    const mode = octal(h, 100, 8) ?? 0o644;
    if (type === '0' || type === '\0' || type === '7') {
      if (path === '') return { ok: false, error: 'refusing a file entry with an empty name' };
      entries.push({ path, type: 'file', data, mode });
    } else if (type === '5') {
      if (path !== '') entries.push({ path, type: 'dir', data: new Uint8Array(0), mode });
    } else if (type === '1' || type === '2') {
      if (!linkInside(path, linkTarget, type === '1')) return { ok: false, error: `refusing link ${JSON.stringify(rawName)} → ${JSON.stringify(linkTarget)}: it points outside the archive` };
      skipped.push(`${path} (link)`);
    } else {
      skipped.push(`${path} (type ${JSON.stringify(type)})`);
    }
  }
  return { ok: false, error: 'archive is truncated (no end-of-archive marker)' };
}
