/**
 * @vigil/hub: the IoT-Hub-compatible device gateway.
 */
export * from './contract/index.js';
