/** Sizes of a built site: files, HTML pages, bytes, the largest page. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DistStats {
  files: number;
  pages: number;
  bytes: number;
  htmlBytes: number;
  largestPage: { path: string; bytes: number } | null;
}

export function distStats(dir: string): DistStats {
  const s: DistStats = { files: 0, pages: 0, bytes: 0, htmlBytes: 0, largestPage: null };
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else {
        s.files++;
        s.bytes += st.size;
        if (name.endsWith('.html')) {
          s.pages++;
          s.htmlBytes += st.size;
          if (!s.largestPage || st.size > s.largestPage.bytes) s.largestPage = { path: relative(dir, p), bytes: st.size };
        }
      }
    }
  };
  walk(dir);
  return s;
}
