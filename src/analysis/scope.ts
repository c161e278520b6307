/**
 * Scope: the platform fields. A predicate on one of these says on which operating systems the rule
 * runs, not what it looks for, so the analysis shows it apart (`scope` rows) instead of among the
 * indicators or exclusions. Seed page 002 leaves `host.os.type` out of its Indicators table and
 * keeps `event.category`, `event.type` and `event.action`, so only OS platform fields are scope;
 * event and data-source fields (`event.category`, `event.dataset`, `data_stream.dataset`, …) stay
 * indicators.
 *
 * The one list; extend it here.
 */
export const SCOPE_FIELDS: readonly string[] = [
  'host.os.type',
  'host.os.family',
  'host.os.platform',
  'host.os.name',
  'host.os.full',
];

const SCOPE = new Set(SCOPE_FIELDS);

export function isScopeField(field: string): boolean {
  return SCOPE.has(field);
}
