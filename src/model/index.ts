export * from './diagnostic';
export * from './span';
export * from './rule';
