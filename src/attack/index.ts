/**
 * MITRE ATT&CK: the index (from a STIX bundle or from the rules), redirects, checks of the
 * rules' threat blocks, coverage, Navigator layers and CSV. Pure modules (no `node:*`), so the
 * site can use them at build time and in the browser.
 */
export * from './types';
export * from './ids';
export * from './stix';
export * from './from-rules';
export * from './redirects';
export * from './locate';
export * from './check';
export * from './coverage';
export * from './facets';
export * from './navigator';
export * from './csv';
export * from './report';
