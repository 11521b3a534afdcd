/**
 * Version 2: hub-level shared access policies (the `skn` of a SAS token). Both keys are sealed
 * with the store's secret key like device keys; rights are a JSON array of IoT Hub right names.
 * No policy is created here: a sealed key cannot be written from SQL, and a hub without policies
 * accepts no policy token at all.
 */
export const SCHEMA_V2: readonly string[] = [
  `CREATE TABLE access_policies (
    name TEXT PRIMARY KEY, rights TEXT NOT NULL, primary_key TEXT NOT NULL, secondary_key TEXT NOT NULL,
    etag TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
];
