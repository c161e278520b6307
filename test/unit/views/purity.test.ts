/**
 * src/views and src/search are pure (no file system, no `astro:*`); the modules the browser
 * loads (custom elements, the search client, the highlighter) import nothing Node-only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/shared';

const src = join(projectRoot, 'src');
const importsOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
const tsFiles = (dir: string): string[] => readdirSync(join(src, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(src, dir, f));

describe('purity of views and search', () => {
  it.each([...tsFiles('views'), ...tsFiles('search')].map((f) => [f.slice(src.length + 1), f]))('%s imports no node: or astro: module', (_name, file) => {
    expect(importsOf(file).filter((m) => m.startsWith('node:') || m.startsWith('astro'))).toEqual([]);
  });
});

describe('browser code', () => {
  // What the custom elements import, transitively within src/ (the eval and lang trees are checked by their own tests).
  const NODE_ONLY = /^(node:|astro|sanitize-html|remark-|unified|gray-matter|js-toml|mdast)/;
  const seen = new Set<string>();
  const visit = (file: string): string[] => {
    if (seen.has(file) || file.includes(`${join('src', 'eval')}`) || file.includes(`${join('src', 'lang')}`)) return [];
    seen.add(file);
    const bad: string[] = [];
    for (const m of importsOf(file)) {
      if (NODE_ONLY.test(m)) bad.push(`${file.slice(src.length + 1)} → ${m}`);
      else if (m.startsWith('.')) {
        const target = join(file, '..', `${m}.ts`);
        try {
          readFileSync(target);
          bad.push(...visit(target));
        } catch {
          // A directory index or a non-TS module: not followed.
        }
      }
    }
    return bad;
  };
  it('custom elements import nothing Node-only', () => {
    const bad = tsFiles(join('components', 'client')).flatMap(visit);
    expect(bad).toEqual([]);
    expect([...seen].map((f) => f.slice(src.length + 1)).sort()).toContain(join('search', 'client.ts'));
  });
});
