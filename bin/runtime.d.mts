/** See runtime.mjs. */
export function v8PoolSize(cores?: number): number;
export function currentPoolSize(): number;
export function relaunch(args?: string[]): Promise<number | null>;
