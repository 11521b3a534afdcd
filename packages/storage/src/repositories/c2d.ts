import { randomUUID } from 'node:crypto';
import { StorageError } from '../errors/index.js';
import { boundedJson, LIMITS, parseJson, readLimit } from '../limits.js';
import type { C2dMessage, C2dRepository, C2dState } from '../ports/index.js';
import { checkName, type RepositoryContext } from './common.js';

/** IoT Hub's defaults: 50 queued messages per device, a one-hour TTL, 48 hours at most. */
export const C2D_DEFAULTS = { maxDepth: 50, ttlMs: 60 * 60 * 1000, maxTtlMs: 48 * 60 * 60 * 1000 } as const;

interface C2dRow {
  id: string;
  device_id: string;
  message_id: string | null;
  body: Buffer;
  properties: string;
  state: C2dState;
  delivery_count: number;
  enqueued_at: number;
  expires_at: number;
  updated_at: number;
}

function fromRow(row: C2dRow): C2dMessage {
  return {
    id: row.id,
    deviceId: row.device_id,
    messageId: row.message_id,
    body: Buffer.from(row.body),
    properties: parseJson<Record<string, string>>(row.properties),
    state: row.state,
    deliveryCount: row.delivery_count,
    enqueuedAt: row.enqueued_at,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
  };
}

/** Per-device C2D queues over SQL (FIFO by insertion sequence). */
export function createC2dRepository({ db }: RepositoryContext): C2dRepository {
  const expireDevice = (deviceId: string, now: number) =>
    db.run(
      `UPDATE c2d_messages SET state = 'expired', updated_at = ? WHERE device_id = ? AND state = 'queued' AND expires_at <= ?`,
      [now, deviceId, now],
    );

  return {
    async enqueue(message, options = {}) {
      checkName('deviceId', message.deviceId);
      const now = options.now ?? Date.now();
      const maxDepth = options.maxDepth ?? C2D_DEFAULTS.maxDepth;
      const ttlMs = options.ttlMs ?? C2D_DEFAULTS.ttlMs;
      if (ttlMs <= 0 || ttlMs > C2D_DEFAULTS.maxTtlMs) {
        throw new StorageError(
          'LIMIT_EXCEEDED',
          `C2D TTL must be between 1 ms and ${C2D_DEFAULTS.maxTtlMs} ms, got ${ttlMs}`,
        );
      }
      if (message.body.length > LIMITS.maxC2dBodyBytes) {
        throw new StorageError(
          'LIMIT_EXCEEDED',
          `C2D body is ${message.body.length} bytes; the limit is ${LIMITS.maxC2dBodyBytes}`,
        );
      }
      const properties = boundedJson(
        'C2D properties',
        message.properties ?? {},
        LIMITS.maxRecordPropertiesBytes,
      );
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await tx.run(
          `UPDATE c2d_messages SET state = 'expired', updated_at = ? WHERE device_id = ? AND state = 'queued' AND expires_at <= ?`,
          [now, message.deviceId, now],
        );
        const depth = await tx.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM c2d_messages WHERE device_id = ? AND state = 'queued'`,
          [message.deviceId],
        );
        if (Number(depth?.n ?? 0) >= maxDepth) {
          throw new StorageError(
            'QUEUE_FULL',
            `the C2D queue of ${message.deviceId} holds ${maxDepth} messages, its maximum`,
          );
        }
        await tx.run(
          `INSERT INTO c2d_messages (id, device_id, message_id, body, properties, state, delivery_count, enqueued_at, expires_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)`,
          [
            id,
            message.deviceId,
            message.messageId ?? null,
            Buffer.from(message.body),
            properties,
            now,
            now + ttlMs,
            now,
          ],
        );
      });
      const stored = await this.get(id);
      if (!stored) throw new StorageError('NOT_FOUND', `C2D message ${id} vanished`);
      return stored;
    },

    async pending(deviceId, options = {}) {
      await expireDevice(deviceId, options.now ?? Date.now());
      const rows = await db.all<C2dRow>(
        `SELECT * FROM c2d_messages WHERE device_id = ? AND state = 'queued' ORDER BY seq LIMIT ?`,
        [deviceId, readLimit(options.limit, C2D_DEFAULTS.maxDepth)],
      );
      return rows.map(fromRow);
    },

    async settle(id, outcome, now = Date.now()) {
      return (
        (await db.run(`UPDATE c2d_messages SET state = ?, updated_at = ? WHERE id = ? AND state = 'queued'`, [
          outcome,
          now,
          id,
        ])) > 0
      );
    },

    async recordAttempt(id, now = Date.now()) {
      await db.run(
        'UPDATE c2d_messages SET delivery_count = delivery_count + 1, updated_at = ? WHERE id = ?',
        [now, id],
      );
    },

    async purge(deviceId, now = Date.now()) {
      return db.run(
        `UPDATE c2d_messages SET state = 'purged', updated_at = ? WHERE device_id = ? AND state = 'queued'`,
        [now, deviceId],
      );
    },

    async expire(now = Date.now()) {
      return db.run(
        `UPDATE c2d_messages SET state = 'expired', updated_at = ? WHERE state = 'queued' AND expires_at <= ?`,
        [now, now],
      );
    },

    async get(id) {
      const row = await db.get<C2dRow>('SELECT * FROM c2d_messages WHERE id = ?', [id]);
      return row && fromRow(row);
    },

    async list(deviceId, options = {}) {
      const states = options.states ?? [];
      const stateFilter = states.length === 0 ? '' : ` AND state IN (${states.map(() => '?').join(', ')})`;
      const rows = await db.all<C2dRow>(
        `SELECT * FROM c2d_messages WHERE device_id = ?${stateFilter} ORDER BY seq DESC LIMIT ?`,
        [deviceId, ...states, readLimit(options.limit)],
      );
      return rows.map(fromRow);
    },
  };
}
