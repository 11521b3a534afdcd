export * from './database.js';
export { Mutex } from './mutex.js';
