export { openPostgresStore } from './open.js';
export { POSTGRES_MIGRATIONS } from './migrations.js';
