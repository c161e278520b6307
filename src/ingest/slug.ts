/**
 * Slugs: the path segment of a rule's page. Derived from the rule's name; always a safe path
 * segment whatever the name says: lower-case ASCII letters, digits and single hyphens, never
 * empty, never `.` or `..`, at most `MAX_SLUG` characters; unique in the catalog.
 */

export const MAX_SLUG = 80;

/**
 * `Suspicious PowerShell — Encoded Command (T1059.001)` → `suspicious-powershell-encoded-command-t1059-001`.
 * Accents are dropped (`é` → `e`); anything else outside `a-z0-9` separates words. A name with
 * nothing usable becomes `rule`. Long names are cut at a word boundary.
 */
export function slugify(name: string, max = MAX_SLUG): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  let s = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (s.length > max) {
    const cut = s.slice(0, max + 1);
    const at = cut.lastIndexOf('-');
    s = (at > max / 2 ? cut.slice(0, at) : s.slice(0, max)).replace(/-+$/, '');
  }
  return s === '' ? 'rule' : s;
}

/** The key names are compared by when matching markdown pages to TOML rules: the slug with a leading `deprecated-` removed. */
export function nameKey(name: string): string {
  return slugify(name, Number.MAX_SAFE_INTEGER).replace(/^deprecated-(?=.)/, '');
}

/**
 * Hands out unique slugs in call order: the first rule to ask for `x` gets `x`, later ones `x-2`,
 * `x-3`, … (still within `MAX_SLUG`). Returns the slug and, when it had to change, the holder of
 * the wanted one.
 */
export class SlugAllocator {
  private readonly taken = new Map<string, string>();

  allocate(wanted: string, owner: string): { slug: string; clashWith: string | null } {
    const base = slugify(wanted);
    const holder = this.taken.get(base);
    if (holder === undefined) {
      this.taken.set(base, owner);
      return { slug: base, clashWith: null };
    }
    for (let n = 2; ; n++) {
      const suffix = `-${n}`;
      const candidate = `${base.slice(0, MAX_SLUG - suffix.length).replace(/-+$/, '')}${suffix}`;
      if (!this.taken.has(candidate)) {
        this.taken.set(candidate, owner);
        return { slug: candidate, clashWith: holder };
      }
    }
  }
}
