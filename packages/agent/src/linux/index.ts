/**
 * Public door of the Linux folder: access to the real machine and the parsers of its files and tools.
 */
export { createNodeSystem } from './node-system.js';
