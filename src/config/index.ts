export { loadConfig, parseConfig } from './load.js';
export type { LoadConfigOptions } from './load.js';
export { CONFIG_DEFAULTS } from './normalize.js';
export { expandEnv } from './env.js';
export type { Env } from './env.js';
export type { ConfigProblem } from './schema.js';
export * from './types.js';
