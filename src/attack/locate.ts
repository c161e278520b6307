/**
 * Where a threat-block value sits in the rule's file. The checks ask a `ThreatLocator` for the
 * line of a tactic's, technique's or sub-technique's `id` (or `name`); without one, or when it
 * cannot tell, diagnostics point at the rule's span.
 */
import type { Located } from '../model/diagnostic';
import { LineIndex } from '../model/span';
import type { ThreatEntry } from '../model/rule';

/** A place in `rule.threat`: the tactic of entry `threat`, or one of its techniques / sub-techniques. */
export interface ThreatPath {
  threat: number;
  technique?: number;
  subtechnique?: number;
  field: 'id' | 'name';
}

export type ThreatLocator<R> = (rule: R, path: ThreatPath) => Located | null;

interface TomlRule {
  rawToml?: string | null;
  threat: ThreatEntry[];
}

/** The id at a path, or null when the path points nowhere. */
export function idAt(threat: readonly ThreatEntry[], path: ThreatPath): string | null {
  const entry = threat[path.threat];
  if (!entry) return null;
  if (path.technique === undefined) return entry.tactic.id;
  const tech = entry.techniques[path.technique];
  if (!tech) return null;
  if (path.subtechnique === undefined) return tech.id;
  return tech.subtechniques[path.subtechnique]?.id ?? null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A locator over the rule's raw TOML (`rule.rawToml`; line numbers are the TOML file's). It
 * finds the `id = "T…"` lines of each id in file order and takes the one whose ordinal matches
 * the path's ordinal among same-id values in `threat` order (arrays of tables keep their order
 * in the file). `name` is the `name = …` line of the same table. Returns null when the file
 * does not have the expected line (an inline table, say), so callers fall back to the rule span.
 */
export function tomlThreatLocator(): ThreatLocator<TomlRule> {
  const cache = new WeakMap<TomlRule, { lines: LineIndex; text: string; idLines: Map<string, number[]>; ordinals: Map<string, number> }>();
  const prepare = (rule: TomlRule) => {
    let c = cache.get(rule);
    if (c) return c;
    const text = rule.rawToml ?? '';
    const lines = new LineIndex(text);
    const idLines = new Map<string, number[]>();
    const ordinals = new Map<string, number>();
    const counts = new Map<string, number>();
    const visit = (id: string, key: string): void => {
      const n = counts.get(id) ?? 0;
      counts.set(id, n + 1);
      ordinals.set(key, n);
      if (!idLines.has(id)) {
        const re = new RegExp(`^[ \\t]*id[ \\t]*=[ \\t]*(["'])${escapeRegExp(id)}\\1`, 'gm');
        const found: number[] = [];
        for (const m of text.matchAll(re)) found.push(m.index);
        idLines.set(id, found);
      }
    };
    rule.threat.forEach((entry, i) => {
      visit(entry.tactic.id, `${i}`);
      entry.techniques.forEach((tech, j) => {
        visit(tech.id, `${i}.${j}`);
        tech.subtechniques.forEach((sub, k) => visit(sub.id, `${i}.${j}.${k}`));
      });
    });
    c = { lines, text, idLines, ordinals };
    cache.set(rule, c);
    return c;
  };
  return (rule, path) => {
    if (!rule.rawToml) return null;
    const id = idAt(rule.threat, path);
    if (id === null) return null;
    const c = prepare(rule);
    const key = path.technique === undefined ? `${path.threat}` : path.subtechnique === undefined ? `${path.threat}.${path.technique}` : `${path.threat}.${path.technique}.${path.subtechnique}`;
    const ordinal = c.ordinals.get(key);
    const offsets = c.idLines.get(id) ?? [];
    if (ordinal === undefined || offsets.length !== countOf(rule.threat, id)) return null;
    const offset = offsets[ordinal];
    if (offset === undefined) return null;
    if (path.field === 'id') return at(c.lines, c.text, offset, 'id');
    // The `name` key of the same table: between the previous and the next table header.
    const start = c.text.lastIndexOf('\n[', offset);
    const nextHeader = c.text.slice(offset).search(/\n[ \t]*\[/);
    const end = nextHeader < 0 ? c.text.length : offset + nextHeader;
    const m = /^[ \t]*name[ \t]*=/m.exec(c.text.slice(start < 0 ? 0 : start, end));
    if (!m) return null;
    return at(c.lines, c.text, (start < 0 ? 0 : start) + m.index, 'name');
  };
}

function countOf(threat: readonly ThreatEntry[], id: string): number {
  let n = 0;
  for (const e of threat) {
    if (e.tactic.id === id) n++;
    for (const t of e.techniques) {
      if (t.id === id) n++;
      for (const s of t.subtechniques) if (s.id === id) n++;
    }
  }
  return n;
}

/** The position of `key` on the line that holds `offset` (matches start at a line start or its newline). */
function at(lines: LineIndex, text: string, offset: number, key: string): Located {
  const k = text.indexOf(key, offset);
  const p = lines.position(k < 0 ? offset : k);
  return { line: p.line, column: p.column };
}
