/**
 * Watching a source folder tree (Node edge): one non-recursive `fs.watch` per directory (hidden
 * ones and node_modules skipped), re-listed when entries appear or go. Directory watches see
 * editors that save by writing a new file and renaming it over the old one (`sed -i`, vim, most
 * IDEs), which per-file watches (Node 20's recursive `fs.watch` on Linux) lose after the first
 * save. Calls `onChange(path)` for every event on a file whose name `accept` takes.
 */
import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

export interface TreeWatcher {
  close(): void;
  /** Directories watched now. */
  readonly dirs: number;
}

export function watchTree(root: string, accept: (name: string) => boolean, onChange: (path: string) => void): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  const list = (dir: string, out: string[]): void => {
    out.push(dir);
    let names;
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of names) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') list(join(dir, e.name), out);
  };
  const sync = (): void => {
    const dirs: string[] = [];
    list(root, dirs);
    const want = new Set(dirs);
    for (const [d, w] of watchers) {
      if (!want.has(d)) {
        w.close();
        watchers.delete(d);
      }
    }
    for (const d of dirs) {
      if (watchers.has(d)) continue;
      try {
        const w = watch(d, (event, name) => {
          const file = name === null ? d : join(d, String(name));
          if (event === 'rename') sync();
          if (name === null || accept(String(name))) onChange(file);
        });
        w.on('error', () => {
          w.close();
          watchers.delete(d);
        });
        watchers.set(d, w);
      } catch {
        // Gone already, or not watchable: the next re-listing tries again.
      }
    }
  };
  sync();
  return {
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
    get dirs() {
      return watchers.size;
    },
  };
}
