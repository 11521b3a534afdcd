import { StorageError } from '../errors/index.js';
import { readLimit } from '../limits.js';
import type { ConsumerCursor, IngestCursors, IngestLog } from '../ports/index.js';
import type { SqlDatabase, SqlSession } from '../sql/index.js';
import { GroupCommitter, type GroupWriter } from './group-commit.js';
import { parseIngestId, prepareBatch, recordFromRow, type IngestRow } from './records.js';

const GROUP_NAME = /^[A-Za-z0-9._:-]{1,128}$/;

function checkGroup(what: string, value: string): void {
  if (!GROUP_NAME.test(value))
    throw new StorageError('LIMIT_EXCEEDED', `${what} must match ${String(GROUP_NAME)}`);
}

/** An {@link IngestLog} with a closing hook for the store. */
export interface ClosableIngestLog extends IngestLog {
  /** Commits what is queued, then refuses further appends. */
  close(): Promise<void>;
}

/**
 * Reads and cursor commits over `session`: the database itself, or a unit of work's transaction, so
 * a consumer can commit its cursor atomically with what it wrote for the records it read.
 */
export function createSqlIngestCursors(session: SqlSession): IngestCursors {
  const headId = async () => {
    const row = await session.get<{ next_id: number }>('SELECT next_id FROM ingest_head WHERE id = 1');
    return Number(row?.next_id ?? 1) - 1;
  };
  const cursor = async (group: string): Promise<ConsumerCursor> => {
    checkGroup('group', group);
    const row = await session.get<{ position: number; consumer: string }>(
      'SELECT position, consumer FROM ingest_cursors WHERE group_name = ?',
      [group],
    );
    return { group, position: row ? String(row.position) : null, consumer: row?.consumer ?? null };
  };
  return {
    async read({ group, consumer, limit, after }) {
      checkGroup('group', group);
      checkGroup('consumer', consumer);
      const from = after === undefined ? ((await cursor(group)).position ?? '0') : (after ?? '0');
      const position = from === '0' ? 0 : parseIngestId(from);
      const rows = await session.all<IngestRow>(
        'SELECT id, kind, device_id, module_id, received_at, properties, body FROM ingest_log WHERE id > ? ORDER BY id LIMIT ?',
        [position, readLimit(limit)],
      );
      return rows.map(recordFromRow);
    },

    async commit({ group, consumer, id }) {
      checkGroup('group', group);
      checkGroup('consumer', consumer);
      const position = parseIngestId(id);
      if (position > (await headId()))
        throw new StorageError('NOT_FOUND', `ingest record ${id} has not been appended`);
      await session.run(
        `INSERT INTO ingest_cursors (group_name, position, consumer, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (group_name) DO UPDATE SET position = excluded.position, consumer = excluded.consumer, updated_at = excluded.updated_at
         WHERE ingest_cursors.position < excluded.position`,
        [group, position, consumer, Date.now()],
      );
    },

    cursor,

    async head() {
      const id = await headId();
      return id === 0 ? null : String(id);
    },
  };
}

/** The ingest log over SQL; `writer` is the dialect's durable group writer. */
export function createSqlIngestLog(db: SqlDatabase, writer: GroupWriter): ClosableIngestLog {
  const listeners = new Set<() => void>();
  const committer = new GroupCommitter(writer, {
    onCommitted: () => {
      for (const listener of listeners) {
        try {
          listener();
        } catch {
          // A listener's failure is its own; the append is already durable.
        }
      }
    },
  });

  return {
    ...createSqlIngestCursors(db),

    append: async (batch) => committer.append(prepareBatch(batch)),

    stats: () => committer.stats(),

    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    close: () => committer.close(),
  };
}
