export { createSqlIngestCursors, createSqlIngestLog, type ClosableIngestLog } from './sql-ingest-log.js';
export { GroupCommitter, type GroupWriter, type GroupCommitOptions } from './group-commit.js';
export { prepareBatch, type PreparedRecord } from './records.js';
