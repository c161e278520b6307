export * from './schema';
export { CONFIG_NAMES, findConfig, loadConfig, resolveAgainst } from './load';
