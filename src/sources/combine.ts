/**
 * Several labelled sources in one catalog (pure). Each source is ingested on its own with its
 * label (so its rules keep `source: label`), then the results are combined here:
 *
 *   - a rule id already used by an earlier source is an error (`duplicate-rule-id-across-sources`)
 *     naming both files and both labels; the earlier source's rule is kept, never merged;
 *   - slugs stay unique across sources: a later source's rule whose slug is taken gets `-2`, … and
 *     a `slug-collision` warning, as within one source;
 *   - diagnostics, stats, version locks and ATT&CK redirects are concatenated / merged.
 */
import { compareDiagnostics, diagnostic, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';
import { SlugAllocator } from '../ingest/slug';
import type { IngestResult, IngestStats } from '../ingest/types';
import { compareStrings } from '../ingest/util';

export interface LabelledIngest {
  label: string;
  result: IngestResult;
}

export function combineIngests(parts: readonly LabelledIngest[]): IngestResult {
  const diagnostics: Diagnostic[] = [];
  const rules: Rule[] = [];
  const owner = new Map<string, { rule: Rule; label: string }>();
  const slugs = new SlugAllocator();
  const stats: IngestStats = { tomlFiles: 0, markdownFiles: 0, markdownRulePages: 0, markdownSkipped: 0, merged: 0, markdownOnly: 0 };
  const etc: IngestResult['etc'] = { versionLock: {}, deprecatedRules: {}, attackRedirects: {}, files: [] };
  for (const { label, result } of parts) {
    diagnostics.push(...result.diagnostics);
    for (const k of Object.keys(stats) as (keyof IngestStats)[]) stats[k] += result.stats[k];
    etc.versionLock = { ...result.etc.versionLock, ...etc.versionLock };
    etc.deprecatedRules = { ...result.etc.deprecatedRules, ...etc.deprecatedRules };
    etc.attackRedirects = { ...result.etc.attackRedirects, ...etc.attackRedirects };
    etc.files.push(...result.etc.files);
    // Claim slugs in the order ingest handed them out: non-deprecated first, then by file.
    const order = [...result.rules].sort((a, b) => Number(a.deprecated) - Number(b.deprecated) || compareStrings(a.files[0] ?? '', b.files[0] ?? '') || compareStrings(a.id, b.id));
    for (const rule of order) {
      const where = rule.span ? { line: rule.span.start.line, column: rule.span.start.column } : null;
      const first = owner.get(rule.id);
      if (first) {
        diagnostics.push(
          diagnostic('error', 'duplicate-rule-id-across-sources', rule.files[0] ?? '', where, `rule id ${rule.id} of source "${label}" is already used by ${first.rule.files[0] ?? '?'} of source "${first.label}": this rule is dropped (not merged)`, rule.id),
        );
        continue;
      }
      owner.set(rule.id, { rule, label });
      const wanted = rule.slug;
      const { slug, clashWith } = slugs.allocate(wanted, rule.id);
      if (clashWith !== null) {
        const other = owner.get(clashWith);
        diagnostics.push(diagnostic('warning', 'slug-collision', rule.files[0] ?? '', where, `slug "${wanted}" of "${rule.name}" (source "${label}") is taken by rule ${clashWith} (${other?.rule.files[0] ?? '?'}, source "${other?.label ?? '?'}"): this rule's pages use "${slug}"`, rule.id));
        rule.slug = slug;
      }
      rules.push(rule);
    }
  }
  rules.sort((a, b) => compareStrings(a.id, b.id));
  diagnostics.sort(compareDiagnostics);
  return { rules, diagnostics, attackRedirects: etc.attackRedirects, etc, stats };
}
