/**
 * Rule-level evaluation (threshold, new_terms, threat_match, machine_learning, Kibana filters,
 * rule overrides) and the example synthesiser on small hand-written rules.
 */
import { describe, expect, it } from 'vitest';
import { synthesizeExamples } from '../../../src/eval/examples';
import { evaluateRule } from '../../../src/eval/rules';
import { ruleFromToml } from '../../helpers/rule';

const rule = ruleFromToml;

const NOW = Date.UTC(2025, 0, 15, 12);
const auth = (ip: string, user: string, outcome = 'failure'): unknown => ({ event: { category: 'authentication', outcome }, source: { ip }, user: { name: user } });

describe('threshold', () => {
  const r = rule(`type = "threshold"
language = "kuery"
query = '''event.category:authentication and event.outcome:failure'''
[rule.threshold]
field = ["source.ip"]
value = 3
[[rule.threshold.cardinality]]
field = "user.name"
value = 2`);

  it('groups by the threshold fields and checks count and cardinality', () => {
    const events = [auth('10.0.0.1', 'a'), auth('10.0.0.1', 'b'), auth('10.0.0.1', 'a'), auth('10.0.0.2', 'a'), auth('10.0.0.2', 'b'), auth('10.0.0.1', 'c', 'success')];
    const ev = evaluateRule(r, { events }, { now: NOW });
    expect(ev.fired).toBe(true);
    expect(ev.alerts).toEqual([{ events: [0, 1, 2], group: { 'source.ip': '10.0.0.1', 'cardinality(user.name)': 2, count: 3 }, note: '3 events ≥ 3' }]);
  });

  it('does not fire under the count or the cardinality', () => {
    expect(evaluateRule(r, { events: [auth('10.0.0.1', 'a'), auth('10.0.0.1', 'b')] }, { now: NOW }).fired).toBe(false);
    expect(evaluateRule(r, { events: [auth('10.0.0.1', 'a'), auth('10.0.0.1', 'a'), auth('10.0.0.1', 'a')] }, { now: NOW }).fired).toBe(false);
  });

  it('synthesises an example and a near miss', () => {
    const s = synthesizeExamples(r, { now: NOW });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.examples.example.events.length).toBe(3);
    expect(evaluateRule(r, s.examples.example, { now: NOW }).fired).toBe(true);
    expect(s.examples.nearMiss).not.toBe(null);
    expect(evaluateRule(r, s.examples.nearMiss!, { now: NOW }).fired).toBe(false);
  });
});

describe('threshold without fields', () => {
  it('counts every hit as one group', () => {
    const r = rule(`type = "threshold"
language = "kuery"
query = '''event.outcome:failure'''
[rule.threshold]
field = []
value = 2`);
    const ev = evaluateRule(r, { events: [auth('1.1.1.1', 'a'), auth('2.2.2.2', 'b')] }, { now: NOW });
    expect(ev.alerts.map((a) => a.events)).toEqual([[0, 1]]);
  });
});

describe('new_terms', () => {
  const r = rule(`type = "new_terms"
language = "kuery"
query = '''event.category:process and host.os.type:linux'''
[rule.new_terms]
field = "new_terms_fields"
value = ["host.id", "process.executable"]
[[rule.new_terms.history_window_start]]
field = "history_window_start"
value = "now-7d"`);
  const proc = (host: string, exe: string, os = 'linux'): unknown => ({ event: { category: 'process' }, host: { id: host, os: { type: os } }, process: { executable: exe } });

  it('fires for a combination absent from the history (history events must match the query)', () => {
    const history = [proc('h1', '/bin/a'), proc('h1', '/bin/b', 'windows')];
    const ev = evaluateRule(r, { events: [proc('h1', '/bin/a'), proc('h1', '/bin/b'), proc('h2', '/bin/a'), proc('h1', '/bin/b')], history }, { now: NOW });
    expect(ev.alerts.map((a) => [a.events, a.group])).toEqual([
      [[1], { 'host.id': 'h1', 'process.executable': '/bin/b' }],
      [[2], { 'host.id': 'h2', 'process.executable': '/bin/a' }],
    ]);
  });

  it('skips events without a value in a new-terms field', () => {
    expect(evaluateRule(r, { events: [{ event: { category: 'process' }, host: { id: 'h', os: { type: 'linux' } } }] }, { now: NOW }).fired).toBe(false);
  });

  it('synthesises history with other terms, and a near miss', () => {
    const s = synthesizeExamples(r, { now: NOW });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.examples.example.history?.length).toBe(1);
    expect(evaluateRule(r, s.examples.example, { now: NOW }).fired).toBe(true);
    expect(evaluateRule(r, s.examples.nearMiss!, { now: NOW }).fired).toBe(false);
  });
});

describe('threat_match', () => {
  const r = rule(`type = "threat_match"
language = "kuery"
query = '''source.ip:* or destination.ip:*'''
threat_index = ["logs-ti_*"]
threat_indicator_path = "threat.indicator"
threat_language = "kuery"
threat_query = '''@timestamp >= "now-30d/d" and threat.indicator.ip:*'''
[[rule.threat_mapping]]
[[rule.threat_mapping.entries]]
field = "source.ip"
type = "mapping"
value = "threat.indicator.ip"
[[rule.threat_mapping]]
[[rule.threat_mapping.entries]]
field = "destination.ip"
type = "mapping"
value = "threat.indicator.ip"`);

  it('matches events against indicators through the mappings', () => {
    const indicators = [
      { '@timestamp': '2025-01-10T00:00:00Z', threat: { indicator: { ip: '203.0.113.9' } } },
      { '@timestamp': '2024-01-10T00:00:00Z', threat: { indicator: { ip: '198.51.100.1' } } },
    ];
    const events = [{ source: { ip: '10.0.0.1' }, destination: { ip: '203.0.113.9' } }, { source: { ip: '198.51.100.1' } }, { source: { ip: '10.0.0.1' } }];
    const ev = evaluateRule(r, { events, indicators }, { now: NOW });
    // The second indicator is older than the threat query's window.
    expect(ev.alerts).toEqual([{ events: [0], indicators: [0], note: 'matches indicator 0' }]);
  });

  it('synthesises an indicator for the example', () => {
    const s = synthesizeExamples(r, { now: NOW });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.examples.example.indicators?.length).toBe(1);
    expect(evaluateRule(r, s.examples.example, { now: NOW }).fired).toBe(true);
    expect(evaluateRule(r, s.examples.nearMiss!, { now: NOW }).fired).toBe(false);
  });
});

describe('machine_learning', () => {
  it('is not evaluable and names its jobs', () => {
    const r = rule(`type = "machine_learning"
anomaly_threshold = 50
machine_learning_job_id = ["v3_linux_rare_metadata_process", "v3_linux_rare_metadata_user"]`);
    const ev = evaluateRule(r, { events: [{}] });
    expect(ev.evaluable).toBe(false);
    expect(ev.fired).toBe(false);
    expect(ev.notes).toEqual(['machine learning rules are not evaluable here: they alert on anomalies (score ≥ 50) found by the anomaly-detection jobs v3_linux_rare_metadata_process, v3_linux_rare_metadata_user']);
    expect(synthesizeExamples(r)).toEqual({ ok: false, reason: 'machine learning rules are not evaluable (jobs: v3_linux_rare_metadata_process, v3_linux_rare_metadata_user)' });
  });
});

describe('rule options and filters', () => {
  it('applies event_category_override and timestamp_override', () => {
    const r = rule(`type = "eql"
language = "eql"
event_category_override = "event.type"
timestamp_override = "event.ingested"
query = '''sequence [info where a == 1] [info where b == 1]'''`);
    const events = [
      { event: { type: 'info', ingested: '2024-01-01T00:00:02Z' }, a: 1 },
      { event: { type: 'info', ingested: '2024-01-01T00:00:03Z' }, b: 1 },
      { event: { type: 'info', ingested: '2024-01-01T00:00:01Z' }, b: 1 },
    ];
    expect(evaluateRule(r, { events }).alerts.map((a) => a.events)).toEqual([[0, 1]]);
  });

  it('ANDs the Kibana filters (negated wildcard filters exclude)', () => {
    const r = rule(`type = "query"
language = "kuery"
query = '''event.category:file'''
[[rule.filters]]
[rule.filters.meta]
negate = true
[rule.filters.query.wildcard."file.path"]
case_insensitive = true
value = "C:\\\\\\\\Program Files\\\\\\\\*"`);
    const events = [{ event: { category: 'file' }, file: { path: 'c:\\program files\\x' } }, { event: { category: 'file' }, file: { path: 'C:\\Users\\x' } }];
    expect(evaluateRule(r, { events }).alerts.map((a) => a.events)).toEqual([[1]]);
    const s = synthesizeExamples(r, { now: NOW });
    expect(s.ok).toBe(true);
    if (s.ok) {
      expect(s.examples.nearMissNote).toBe('exclusion triggered: filter on file.path');
      expect(evaluateRule(r, s.examples.nearMiss!).fired).toBe(false);
    }
  });

  it('refuses oversized input with a message', () => {
    const r = rule(`type = "query"
language = "kuery"
query = '''a:1'''`);
    const ev = evaluateRule(r, { events: [{ a: 'x'.repeat(200_000) }] });
    expect(ev.evaluable).toBe(false);
    expect(ev.error).toBe('event 0 has a string of 200000 characters (limit 100000)');
  });
});

describe('example synthesis', () => {
  it('names a KQL exclusion in the near-miss note as the query writes its value (quoted, escaped)', () => {
    const r = rule(`type = "query"
language = "kuery"
query = '''event.category:process and process.name:powershell.exe and not process.parent.name:"Windows Explorer" and not process.title:a\\*b*'''`);
    const s = synthesizeExamples(r, { now: NOW });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.examples.nearMissNote).toBe('exclusion triggered: process.parent.name:"Windows Explorer"');
    expect(evaluateRule(r, s.examples.nearMiss!).fired).toBe(false);
  });

  it('builds an EQL event matching the rule and a near miss triggering its exclusion', () => {
    const r = rule(`type = "eql"
language = "eql"
query = '''process where event.type == "start" and process.name : ("cmd.exe", "powershell.exe") and
  process.args : "*-enc*" and not process.parent.name : "explorer.exe"'''`);
    const s = synthesizeExamples(r, { now: NOW });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    const ev = s.examples.example.events[0] as { process: { name: string; args: string }; event: { category: string; type: string } };
    expect(ev.event).toEqual({ category: 'process', type: 'start' });
    expect(ev.process.name).toBe('cmd.exe');
    expect(ev.process.args).toBe('-enc');
    expect(s.examples.nearMissNote).toBe('exclusion triggered: process.parent.name : …');
    const miss = s.examples.nearMiss!.events[0] as { process: { parent: { name: string } } };
    expect(miss.process.parent.name).toBe('explorer.exe');
    expect(evaluateRule(r, s.examples.nearMiss!).fired).toBe(false);
  });

  it('builds a sequence with shared join keys inside maxspan, and a near miss', () => {
    const r = rule(`type = "eql"
language = "eql"
query = '''sequence by host.id with maxspan=30s
  [process where process.name == "curl"] by process.entity_id
  [network where destination.port == 4444] by process.entity_id'''`);
    const s = synthesizeExamples(r, { now: NOW });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    const [a, b] = s.examples.example.events as { host: { id: string }; process: { entity_id: string }; '@timestamp': string }[];
    expect(a!.host.id).toBe(b!.host.id);
    expect(a!.process.entity_id).toBe(b!.process.entity_id);
    expect(Date.parse(b!['@timestamp']) - Date.parse(a!['@timestamp'])).toBeLessThanOrEqual(30_000);
    expect(evaluateRule(r, s.examples.example).fired).toBe(true);
    expect(evaluateRule(r, s.examples.nearMiss!).fired).toBe(false);
  });

  it('solves string constraints jointly (prefix and suffix on one field)', () => {
    const r = rule(`type = "query"
language = "kuery"
query = '''process.name:cmd* and process.name:*.exe and not process.name:cmd.exe'''`);
    const s = synthesizeExamples(r, { now: NOW });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect((s.examples.example.events[0] as { process: { name: string } }).process.name).toBe('cmda.exe');
  });
});
