/**
 * @vigil/server: hub, security center, API and dashboard in one process.
 */
export {};
