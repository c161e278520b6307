export * from './schema';
export { CONFIG_NAMES, findConfig, loadConfig, locateJsonPath, resolveAgainst, resolveWithFlags } from './load';
