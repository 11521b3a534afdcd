// Public door of the agent package; filled in as the agent lands.
export {};
export * from './collectors/index.js';
export * from './linux/index.js';
export * from './core/index.js';
export * from './encode/index.js';
export * from './transport/index.js';
export * from './run/index.js';
