/**
 * IP addresses and CIDR blocks, as Elasticsearch's `ip` type sees them: every address is a
 * 128-bit IPv6 address, IPv4 addresses being IPv4-mapped (`::ffff:a.b.c.d`), so `10.0.0.1` and
 * `::ffff:10.0.0.1` are the same value and IPv4 blocks only hold IPv4 addresses.
 */

const V4_MAPPED = 0xffffn << 32n;

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | null {
  let text = s;
  const pct = text.indexOf('%');
  if (pct >= 0) text = text.slice(0, pct);
  let tailV4: bigint | null = null;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === null) return null;
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = text.indexOf('::');
  if (dbl >= 0 && text.indexOf('::', dbl + 1) >= 0) return null;
  const parse = (part: string): string[] | null => (part === '' ? [] : part.split(':'));
  let groups: string[];
  if (dbl >= 0) {
    const head = parse(text.slice(0, dbl));
    const tail = parse(text.slice(dbl + 2));
    if (head === null || tail === null) return null;
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return null;
    groups = [...head, ...Array<string>(fill).fill('0'), ...tail];
  } else {
    groups = text.split(':');
  }
  if (groups.length !== 8) return null;
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== null) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

const cache = new Map<string, bigint | null>();

/** The 128-bit value of an IPv4 or IPv6 address, or null when `s` is not one. */
export function parseIp(s: string): bigint | null {
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  let v: bigint | null = null;
  if (s.length <= 64) {
    if (s.includes(':')) v = parseV6(s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s);
    else {
      const v4 = parseV4(s);
      v = v4 === null ? null : V4_MAPPED | v4;
    }
  }
  if (cache.size > 50_000) cache.clear();
  cache.set(s, v);
  return v;
}

export interface Cidr {
  /** First address of the block. */
  base: bigint;
  /** Mask of the network bits. */
  mask: bigint;
  text: string;
}

const ALL = (1n << 128n) - 1n;

/** `a.b.c.d/n` or `v6/n` (an address alone is a /32 or /128 block); null when invalid. */
/** Blocks parsed so far (a query's blocks are parsed at every call of `cidrMatch`); bounded. */
const cidrCache = new Map<string, Cidr | null>();

export function parseCidr(s: string): Cidr | null {
  const hit = cidrCache.get(s);
  if (hit !== undefined) return hit;
  const c = parseCidrText(s);
  if (cidrCache.size >= 1000) cidrCache.clear();
  cidrCache.set(s, c);
  return c;
}

function parseCidrText(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const addrText = slash < 0 ? s : s.slice(0, slash);
  const addr = parseIp(addrText);
  if (addr === null) return null;
  const isV4 = !addrText.includes(':');
  const maxBits = isV4 ? 32 : 128;
  let bits = maxBits;
  if (slash >= 0) {
    const b = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return null;
    bits = Number(b);
    if (bits > maxBits) return null;
  }
  const prefix = isV4 ? 96 + bits : bits;
  const mask = prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
  return { base: addr & mask, mask, text: s };
}

export function cidrContains(c: Cidr, ip: bigint): boolean {
  return (ip & c.mask) === c.base;
}

/** Formats a 128-bit value back as an address (IPv4 dotted form for IPv4-mapped values). */
export function formatIp(v: bigint): string {
  if (v >> 32n === 0xffffn) {
    const n = Number(v & 0xffffffffn);
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
