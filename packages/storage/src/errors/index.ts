export * from './storage-error.js';
