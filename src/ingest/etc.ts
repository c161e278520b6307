/**
 * detection-rules side files (`detection_rules/etc/`): the version lock, the deprecated-rules
 * list and the ATT&CK technique redirects. Pure: text in, data and diagnostics out. Several
 * checkouts merge; for the same rule id the first source wins.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic';
import type { DeprecatedRuleEntry, EtcData, EtcFile, VersionLockEntry } from './types';
import { isObject, setOwn } from './util';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function emptyEtc(): EtcData {
  return { versionLock: {}, deprecatedRules: {}, attackRedirects: {}, files: [] };
}

export function readEtc(files: readonly EtcFile[]): { etc: EtcData; diagnostics: Diagnostic[] } {
  const etc = emptyEtc();
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      diagnostics.push(diagnostic('error', 'etc-invalid', file.path, null, `not JSON, ignored: ${reason}`));
      continue;
    }
    if (!isObject(json)) {
      diagnostics.push(diagnostic('error', 'etc-invalid', file.path, null, 'expected a JSON object, ignored'));
      continue;
    }
    etc.files.push({ role: file.role, path: file.path });
    switch (file.role) {
      case 'version-lock':
        readVersionLock(json, file, etc, diagnostics);
        break;
      case 'deprecated-rules':
        readDeprecated(json, file, etc, diagnostics);
        break;
      case 'attack-redirects':
        readRedirects(json, file, etc, diagnostics);
        break;
    }
  }
  return { etc, diagnostics };
}

function readVersionLock(json: Record<string, unknown>, file: EtcFile, etc: EtcData, diagnostics: Diagnostic[]): void {
  let skipped = 0;
  for (const [id, v] of Object.entries(json)) {
    if (!isObject(v) || typeof v.version !== 'number' || !Number.isInteger(v.version)) {
      skipped++;
      continue;
    }
    if (Object.hasOwn(etc.versionLock, id)) continue;
    const previousNames: string[] = [];
    if (isObject(v.previous)) {
      for (const p of Object.values(v.previous)) {
        const n = isObject(p) ? str(p.rule_name) : null;
        if (n !== null && !previousNames.includes(n)) previousNames.push(n);
      }
    }
    const entry: VersionLockEntry = { ruleName: str(v.rule_name), type: str(v.type), version: v.version, previousNames };
    setOwn(etc.versionLock, id, entry);
  }
  if (skipped > 0) diagnostics.push(diagnostic('warning', 'etc-invalid', file.path, null, `${skipped} version lock entr${skipped === 1 ? 'y has' : 'ies have'} no integer version, skipped`));
}

function readDeprecated(json: Record<string, unknown>, file: EtcFile, etc: EtcData, diagnostics: Diagnostic[]): void {
  let skipped = 0;
  for (const [id, v] of Object.entries(json)) {
    if (!isObject(v)) {
      skipped++;
      continue;
    }
    if (Object.hasOwn(etc.deprecatedRules, id)) continue;
    const entry: DeprecatedRuleEntry = {
      ruleName: str(v.rule_name),
      deprecationDate: str(v.deprecation_date),
      deprecatedReason: str(v.deprecated_reason),
      stackVersion: str(v.stack_version),
    };
    setOwn(etc.deprecatedRules, id, entry);
  }
  if (skipped > 0) diagnostics.push(diagnostic('warning', 'etc-invalid', file.path, null, `${skipped} deprecated-rule entr${skipped === 1 ? 'y is' : 'ies are'} not objects, skipped`));
}

function readRedirects(json: Record<string, unknown>, file: EtcFile, etc: EtcData, diagnostics: Diagnostic[]): void {
  const mapping = json.mapping;
  if (!isObject(mapping)) {
    diagnostics.push(diagnostic('error', 'etc-invalid', file.path, null, 'expected {"mapping": {"T…": "T…"}}, ignored'));
    return;
  }
  let skipped = 0;
  for (const [from, to] of Object.entries(mapping)) {
    if (typeof to !== 'string') {
      skipped++;
      continue;
    }
    if (!Object.hasOwn(etc.attackRedirects, from)) setOwn(etc.attackRedirects, from, to);
  }
  if (skipped > 0) diagnostics.push(diagnostic('warning', 'etc-invalid', file.path, null, `${skipped} redirect entr${skipped === 1 ? 'y is' : 'ies are'} not strings, skipped`));
}
