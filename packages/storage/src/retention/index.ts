export { prune, DEFAULT_RETENTION_MS } from './prune.js';
