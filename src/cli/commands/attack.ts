/**
 * `ruledex attack`: ATT&CK coverage of the rules, printed per tactic (covered and uncovered
 * counts against a STIX bundle with --attack, else against the ids the rules name), with
 * Navigator layers and CSV written on request.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  catalogLayers,
  checkRules,
  computeCoverage,
  coverageCsv,
  coverageReport,
  filterRules,
  indexFromRules,
  parseFacetFilter,
  readRedirects,
  readStixText,
  stixCounts,
  techniqueUrl as attackTechniqueUrl,
  tomlThreatLocator,
  withRedirects,
  buildLayer,
  type AttackIndex,
  type FacetFilter,
} from '../../attack';
import { formatDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { Rule } from '../../model/rule';
import { loadSources } from '../../ingest/load';
import { commandOptions } from '../args';

const HELP = `usage: ruledex attack [--source DIR ...] [--attack FILE] [--layer FILE] [--layers DIR] [--csv FILE] [--filter facet=value ...]

Prints ATT&CK coverage per tactic: rules (production, building block, deprecated), and
techniques and sub-techniques covered / uncovered against the loaded ATT&CK.

  --source DIR        rule sources (detection-rules checkout, markdown pages); repeatable; default: content
  --attack FILE       STIX 2.1 bundle in MITRE's format (enterprise-attack.json); without it, the
                      index is built from the rules' own threat mappings
  --filter F=V        only rules with facet F = value V (facets: os, integration, type); repeatable (AND)
  --layer FILE        write an ATT&CK Navigator layer (format 4.5) of the filtered rules
  --layers DIR        write the whole catalog's layer and one per OS, integration and rule type
  --csv FILE          write the coverage as CSV
  --base-url URL      technique links go to URL/techniques/<id>/ (default: attack.mitre.org pages)
  --include-deprecated  count deprecated rules in layers
  --quiet             do not list ATT&CK diagnostics, only their count`;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export async function run(args: string[]): Promise<number> {
  const opts = commandOptions('attack', args, {
    source: { type: 'string', multiple: true },
    attack: { type: 'string' },
    layer: { type: 'string' },
    layers: { type: 'string' },
    csv: { type: 'string' },
    filter: { type: 'string', multiple: true },
    'base-url': { type: 'string' },
    'include-deprecated': { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, HELP);
  if ('exit' in opts) return opts.exit;
  const o = opts.values;
  const filters: FacetFilter[] = [];
  for (const f of o.filter ?? []) {
    const r = parseFacetFilter(f);
    if ('error' in r) {
      console.error(`ruledex attack: ${r.error}`);
      return 2;
    }
    filters.push(r);
  }

  const sources = o.source && o.source.length > 0 ? o.source : ['content'];
  const { result: ingested, read } = await loadSources(sources);
  if (read.unreadable.length > 0) {
    for (const u of read.unreadable) console.error(`ruledex attack: cannot read source ${u.dir}: ${u.reason}`);
    return 1;
  }
  const allRules: Rule[] = ingested.rules;
  const diagnostics: Diagnostic[] = [];

  // The ATT&CK index: the bundle, else the rules' own mappings; then detection-rules' redirects.
  let index: AttackIndex;
  let against: string;
  if (o.attack) {
    let text: string;
    try {
      text = readFileSync(o.attack, 'utf8');
    } catch (e) {
      console.error(`ruledex attack: cannot read ${o.attack}: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
    const read = readStixText(text, { file: o.attack });
    diagnostics.push(...read.diagnostics);
    if (!read.index) {
      for (const d of read.diagnostics) console.error(formatDiagnostic(d));
      return 1;
    }
    index = read.index;
    const c = stixCounts(index);
    against = `ATT&CK ${index.version ?? '(version not stated)'} from ${o.attack}: ${c.tactics} tactics, ${c.techniques} techniques, ${c.subtechniques} sub-techniques${c.revoked + c.deprecated > 0 ? ` (+${c.revoked} revoked, ${c.deprecated} deprecated)` : ''}`;
  } else {
    index = indexFromRules(allRules);
    against = "the rules' own ATT&CK mappings (no --attack bundle)";
  }
  const redirectFile = read.etc.find((f) => f.role === 'attack-redirects')?.path ?? 'attack-technique-redirects.json';
  if (Object.keys(ingested.attackRedirects).length > 0) {
    const red = readRedirects({ mapping: ingested.attackRedirects }, redirectFile);
    diagnostics.push(...red.diagnostics);
    index = withRedirects(index, red.redirects);
    against += `; ${red.redirects.length} detection-rules technique redirects`;
  }

  const rules = filterRules(allRules, filters);
  const coverage = computeCoverage(rules, index);
  diagnostics.push(...checkRules(rules, index, { locate: tomlThreatLocator() }));

  process.stdout.write(coverageReport(coverage, { against, filters: (o.filter ?? []).map((f) => f.trim()) }));

  const base = o['base-url']?.replace(/\/+$/, '');
  const techniqueUrl = base ? (id: string) => `${base}/techniques/${id}/` : attackTechniqueUrl;
  const layerOptions = { techniqueUrl, includeDeprecated: o['include-deprecated'] === true };
  const written: string[] = [];
  if (o.layer) {
    const name = filters.length > 0 ? `Ruledex: ${filters.map((f) => `${f.facet} ${f.value}`).join(', ')}` : 'Ruledex: all rules';
    write(o.layer, JSON.stringify(buildLayer(coverage, { ...layerOptions, name }), null, 2) + '\n');
    written.push(`layer ${o.layer}`);
  }
  if (o.layers) {
    const files = catalogLayers(rules, index, layerOptions);
    for (const f of files) write(join(o.layers, `${f.key}.json`), JSON.stringify(f.layer, null, 2) + '\n');
    written.push(`${files.length} layers in ${o.layers}`);
  }
  if (o.csv) {
    write(o.csv, coverageCsv(coverage));
    written.push(`CSV ${o.csv}`);
  }
  if (written.length > 0) console.log(`Wrote ${written.join(', ')}.`);

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (!o.quiet) for (const d of diagnostics) console.error(formatDiagnostic(d));
  console.error(`ATT&CK checks: ${errors} error(s), ${warnings} warning(s)${ingested.diagnostics.length > 0 ? `; ingest reported ${ingested.diagnostics.length} diagnostic(s), not listed here` : ''}.`);
  return errors > 0 ? 1 : 0;
}
