import { renderSchema, SCHEMA_V1, SCHEMA_V2, type Migration } from '../migrations/index.js';

/** SQLite's migrations, oldest first. Add new versions at the end; never edit a released one. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'initial schema',
    // INTEGER PRIMARY KEY aliases the rowid: the cheapest key SQLite has.
    statements: renderSchema(SCHEMA_V1, {
      serial_pk: 'INTEGER PRIMARY KEY',
      int_pk: 'INTEGER PRIMARY KEY',
      bytes: 'BLOB',
    }),
  },
  {
    version: 2,
    description: 'shared access policies',
    statements: renderSchema(SCHEMA_V2, {}),
  },
];
