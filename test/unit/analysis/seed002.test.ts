/**
 * Seed 002 (`../shared/seeds/002_…txt`, the target rendered rule page) shows, for
 * rules_building_block/discovery_system_network_connections.toml (new_terms, KQL), the exact
 * Exclusions and Indicators tables; the analysis must yield them row for row. The rule is read
 * through ingest, as the catalog reads it (skipped without ../shared).
 */
import { describe, expect, it } from 'vitest';
import { hasShared } from '../../helpers/shared';
import { analyse, corpusRule, predicateLines } from './helpers';

const FILE = 'rules_building_block/discovery_system_network_connections.toml';

describe.skipIf(!hasShared)('seed 002: System Network Connections Discovery', () => {
  const rule = hasShared ? corpusRule(FILE) : null;
  const result = rule ? analyse(rule) : null;
  const a = result?.analysis;

  it('has one new_terms stage with the new-terms fields and history window, and no diagnostics', () => {
    expect(result?.diagnostics).toEqual([]);
    expect(a?.stages.map((s) => s.kind)).toEqual(['new_terms']);
    const s = a?.stages[0];
    expect(s?.kind === 'new_terms' && s.newTermsFields).toEqual(['process.parent.executable', 'process.command_line', 'host.id']);
    expect(s?.kind === 'new_terms' && s.historyWindowStart).toBe('now-5d');
    expect(s?.loc).toEqual({ start: 0, end: rule?.query?.length });
  });

  it('yields exactly the seed Exclusions table (five rows: three eq, one starts_with, one in)', () => {
    expect(a?.exclusions.map((r) => ({ field: r.field, kind: r.kind, values: r.values.map((v) => v.value) }))).toEqual([
      { field: 'process.parent.executable', kind: 'eq', values: ['/Applications/Docker.app/Contents/MacOS/com.docker.backend'] },
      { field: 'process.parent.executable', kind: 'eq', values: ['/opt/NinjaRMMAgent/programfiles/ninjarmm-linagent'] },
      { field: 'process.parent.executable', kind: 'eq', values: ['/usr/local/ASR/Vx/bin/svagents'] },
      { field: 'process.parent.executable', kind: 'starts_with', values: ['/Library/Elastic/Agent/'] },
      { field: 'process.working_directory', kind: 'in', values: ['/opt/microsoft/mdatp/sbin', '/usr/lib/check_mk_agent/plugins', '/var/ossec'] },
    ]);
  });

  it('yields exactly the seed Indicators table (host.os.type left out)', () => {
    expect(a?.indicators.map((r) => ({ field: r.field, kind: r.kind, values: r.values.map((v) => v.value) }))).toEqual([
      { field: 'event.action', kind: 'eq', values: ['exec'] },
      { field: 'event.category', kind: 'eq', values: ['process'] },
      { field: 'event.type', kind: 'eq', values: ['start'] },
      {
        field: 'process.name',
        kind: 'in',
        values: ['arp', 'ifconfig', 'iftop', 'ip', 'lsof', 'netcfg', 'netstat', 'networksetup', 'nmcli', 'route', 'ss'],
      },
    ]);
    expect(a?.indicators.every((r) => !r.caseInsensitive && r.stages.join() === '0')).toBe(true);
  });

  it('shows host.os.type as scope', () => {
    expect(a?.scope.map((r) => ({ field: r.field, kind: r.kind, values: r.values.map((v) => v.value), excluded: r.excluded }))).toEqual([
      { field: 'host.os.type', kind: 'in', values: ['linux', 'macos'], excluded: false },
    ]);
  });

  it('lists the predicates in source order with their roles, texts and places', () => {
    expect(a ? predicateLines(a) : []).toEqual([
      'indicator event.category:process',
      'scope host.os.type:(linux or macos)',
      'indicator event.type:start',
      'indicator event.action:exec',
      'indicator process.name:("netstat" or "lsof" or "ss" or "iftop" or "ip" or "nmcli" or "arp" or "route" or "ifconfig" or "netcfg" or "networksetup")',
      'exclusion NEG process.parent.executable:(/Library/Elastic/Agent/* or "/Applications/Docker.app/Contents/MacOS/com.docker.backend" or "/opt/NinjaRMMAgent/programfiles/ninjarmm-linagent" or "/usr/local/ASR/Vx/bin/svagents")',
      'exclusion NEG process.working_directory:("/var/ossec" or "/usr/lib/check_mk_agent/plugins" or "/opt/microsoft/mdatp/sbin")',
    ]);
    const preds = a?.stages[0]?.predicates ?? [];
    // Every predicate's loc covers its source text in the query.
    const q = rule?.query ?? '';
    expect(preds.map((p) => (p.loc ? q.slice(p.loc.start, p.loc.end).split('\n')[0] : null))).toEqual([
      'event.category:process',
      'host.os.type:(linux or macos)',
      'event.type:start',
      'event.action:exec',
      'process.name:("netstat" or "lsof" or "ss" or "iftop" or "ip" or "nmcli" or "arp" or "route" or "ifconfig" or "netcfg" or "networksetup")',
      'process.parent.executable:(',
      'process.working_directory:("/var/ossec" or "/usr/lib/check_mk_agent/plugins" or "/opt/microsoft/mdatp/sbin")',
    ]);
    expect(preds.map((p) => p.conjunct)).toEqual([0, 1, 2, 3, 4, 5, 5]);
  });
});
