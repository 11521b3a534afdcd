import type { FastifyInstance } from 'fastify';
import type { C2dMessage, C2dState } from '@vigil/storage';
import { C2D_ACK_VALUES, type C2d, type C2dSendInput } from '../c2d/index.js';
import { ServiceError } from '../registry/index.js';
import { identityOf, readBody, readQuery, type IdentityParams } from './route-helpers.js';

/** A 64 KiB body as base64 plus the properties. */
const C2D_BODY_BYTES = 128 * 1024;
const STATES: readonly C2dState[] = ['queued', 'delivered', 'expired', 'rejected', 'purged'];

/** A C2D message as the API shows it (body as base64, times as ISO-8601). */
function messageView(message: C2dMessage) {
  return {
    id: message.id,
    deviceId: message.deviceId,
    messageId: message.messageId,
    state: message.state,
    deliveryCount: message.deliveryCount,
    enqueuedTime: new Date(message.enqueuedAt).toISOString(),
    expiryTime: new Date(message.expiresAt).toISOString(),
    updatedTime: new Date(message.updatedAt).toISOString(),
    properties: message.properties,
    body: message.body.toString('base64'),
  };
}

/**
 * C2D routes (reference/iothub-mqtt.md §3.2, §5.2): `POST /devices/{id}/messages` queues one
 * (`body` text, `bodyEncoding` `utf8` or `base64`), `GET` lists them, `DELETE /devices/{id}/commands`
 * purges the queue as IoT Hub's REST API does.
 */
export function registerC2dRoutes(app: FastifyInstance, c2d: C2d): void {
  app.post<{ Params: IdentityParams }>(
    '/devices/:deviceId/messages',
    { bodyLimit: C2D_BODY_BYTES },
    async (request, reply) => {
      const { deviceId } = identityOf(request.params);
      const input = readBody(request.body, (reader): C2dSendInput => {
        const text = reader.string('body', { required: true, max: C2D_BODY_BYTES });
        const encoding = reader.oneOf('bodyEncoding', ['utf8', 'base64'] as const) ?? 'utf8';
        if (encoding === 'base64' && text !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
          reader.violations.push({ path: 'body.body', message: 'is not base64' });
        }
        const optional = (
          key: 'messageId' | 'correlationId' | 'userId' | 'contentType' | 'contentEncoding',
        ) => {
          const value = reader.string(key, { max: 1024 });
          return value === undefined ? {} : { [key]: value };
        };
        const ack = reader.oneOf('ack', C2D_ACK_VALUES);
        const properties = reader.stringMap('properties');
        const ttlSeconds = reader.number('ttlSeconds', { integer: true, min: 1, max: 48 * 3600 });
        return {
          body: Buffer.from(text ?? '', encoding),
          ...optional('messageId'),
          ...optional('correlationId'),
          ...optional('userId'),
          ...optional('contentType'),
          ...optional('contentEncoding'),
          ...(ack === undefined ? {} : { ack }),
          ...(properties === undefined ? {} : { properties }),
          ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
        };
      });
      const message = await c2d.send(deviceId, input);
      void reply.status(201);
      return messageView(message);
    },
  );

  app.get<{ Params: IdentityParams }>('/devices/:deviceId/messages', async (request) => {
    const { deviceId } = identityOf(request.params);
    const query = readQuery(request.query, (q) => ({
      state: q.oneOf('state', STATES),
      limit: q.number('limit', { integer: true, min: 1, max: 1000 }),
    }));
    const messages = await c2d.list(deviceId, {
      ...(query.state === undefined ? {} : { states: [query.state] }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
    });
    return { items: messages.map(messageView) };
  });

  app.delete<{ Params: IdentityParams }>('/devices/:deviceId/commands', async (request) => {
    const key = identityOf(request.params);
    if (key.moduleId !== null) throw new ServiceError('NOT_FOUND', 'modules have no C2D queue');
    return c2d.purge(key.deviceId);
  });
}
