export { migrate, renderSchema, type Migration, type MigrateOptions } from './runner.js';
export { SCHEMA_V1 } from './schema-v1.js';
export { SCHEMA_V2 } from './schema-v2.js';
