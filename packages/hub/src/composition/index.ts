/** The hub's composition root: `createHub` and the process entry `runHub`. */
export { createHub, type Hub } from './create-hub.js';
export { runHub, type RunHubOptions } from './run-hub.js';
