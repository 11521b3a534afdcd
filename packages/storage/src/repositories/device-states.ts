import { StorageError } from '../errors/index.js';
import { boundedJson, parseJson, readLimit } from '../limits.js';
import type { DeviceSecurityState, DeviceStateRepository, JsonObject } from '../ports/index.js';
import { checkName, type RepositoryContext } from './common.js';

interface StateRow {
  device_id: string;
  security_group: string;
  last_message_at: number | null;
  state: string;
  version: number;
  updated_at: number;
}

function fromRow(row: StateRow): DeviceSecurityState {
  return {
    deviceId: row.device_id,
    securityGroup: row.security_group,
    lastMessageAt: row.last_message_at,
    state: parseJson<JsonObject>(row.state),
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** Per-device security state over SQL, with an optimistic version check. */
export function createDeviceStateRepository({ db }: RepositoryContext): DeviceStateRepository {
  return {
    async get(deviceId) {
      const row = await db.get<StateRow>('SELECT * FROM device_states WHERE device_id = ?', [deviceId]);
      return row && fromRow(row);
    },
    async put(input, options = {}) {
      checkName('deviceId', input.deviceId);
      const state = boundedJson(`security state of ${input.deviceId}`, input.state);
      const now = options.now ?? Date.now();
      return db.transaction(async (tx) => {
        const row = await tx.get<StateRow>(`SELECT * FROM device_states WHERE device_id = ?${db.forUpdate}`, [
          input.deviceId,
        ]);
        const current = row?.version ?? 0;
        if (options.expectedVersion !== undefined && options.expectedVersion !== current) {
          throw new StorageError(
            'PRECONDITION_FAILED',
            `security state of ${input.deviceId} is at version ${current}, not ${options.expectedVersion}`,
          );
        }
        await tx.run(
          `INSERT INTO device_states (device_id, security_group, last_message_at, state, version, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (device_id) DO UPDATE SET security_group = excluded.security_group, last_message_at = excluded.last_message_at,
             state = excluded.state, version = excluded.version, updated_at = excluded.updated_at`,
          [input.deviceId, input.securityGroup, input.lastMessageAt, state, current + 1, now],
        );
        return fromRow({
          device_id: input.deviceId,
          security_group: input.securityGroup,
          last_message_at: input.lastMessageAt,
          state,
          version: current + 1,
          updated_at: now,
        });
      });
    },
    async listSilent(before, options = {}) {
      const { after } = options;
      const rows = await db.all<StateRow>(
        `SELECT * FROM device_states WHERE last_message_at < ?${
          after === undefined ? '' : ' AND (last_message_at > ? OR (last_message_at = ? AND device_id > ?))'
        } ORDER BY last_message_at, device_id LIMIT ?`,
        [
          before,
          ...(after === undefined ? [] : [after.lastMessageAt, after.lastMessageAt, after.deviceId]),
          readLimit(options.limit),
        ],
      );
      return rows.map(fromRow);
    },
  };
}
