/** The browse page's filter facets (shared by the view and the browser script; no imports). */
export const FACET_KEYS = ['type', 'language', 'severity', 'os', 'integration', 'tactic', 'maturity', 'bb'] as const;
export type FacetKey = (typeof FACET_KEYS)[number];
