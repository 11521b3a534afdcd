import type { FastifyInstance } from 'fastify';
import { identityView, type AuthInput, type Registry } from '../registry/index.js';
import type { RequestReader } from './request-reader.js';
import {
  identityOf,
  ifMatchOf,
  readBody,
  readQuery,
  requireAdmin,
  SMALL_BODY_BYTES,
  withEtag,
  type IdentityParams,
} from './route-helpers.js';

function readAuth(reader: RequestReader): AuthInput | undefined {
  const auth = reader.object('authentication');
  if (auth === undefined) return undefined;
  const type = auth.oneOf('type', ['sas', 'selfSigned', 'certificateAuthority'] as const, true);
  const keys = auth.object('symmetricKey');
  const primaryKey = keys?.string('primaryKey', { max: 256 });
  const secondaryKey = keys?.string('secondaryKey', { max: 256 });
  keys?.rejectUnknown();
  const prints = auth.object('x509Thumbprint');
  const primaryThumbprint = prints?.string('primaryThumbprint', {
    max: 256,
    required: type === 'selfSigned',
  });
  const secondaryThumbprint = prints?.string('secondaryThumbprint', { max: 256 });
  prints?.rejectUnknown();
  auth.rejectUnknown();
  if (type === 'selfSigned' && prints === undefined) {
    auth.violations.push({
      path: 'body.authentication.x509Thumbprint',
      message: 'is required for selfSigned',
    });
  }
  switch (type) {
    case 'sas':
      return {
        type,
        ...(primaryKey === undefined ? {} : { primaryKey }),
        ...(secondaryKey === undefined ? {} : { secondaryKey }),
      };
    case 'selfSigned':
      return {
        type,
        primaryThumbprint: primaryThumbprint ?? '',
        ...(secondaryThumbprint === undefined ? {} : { secondaryThumbprint }),
      };
    case 'certificateAuthority':
      return { type };
    case undefined:
      return undefined;
  }
}

function readIdentityBody(body: unknown) {
  return readBody(body, (reader) => {
    const auth = readAuth(reader);
    const status = reader.oneOf('status', ['enabled', 'disabled'] as const);
    const statusReason = reader.nullableString('statusReason', 128);
    // IoT Hub's PUT body repeats the ids; they are ignored in favour of the path.
    reader.string('deviceId', { max: 128 });
    reader.string('moduleId', { max: 128 });
    reader.string('etag', { max: 256 });
    return {
      ...(auth === undefined ? {} : { auth }),
      ...(status === undefined ? {} : { status }),
      ...(statusReason === undefined ? {} : { statusReason }),
    };
  });
}

/**
 * Registry routes (reference/iothub-mqtt.md §5.1): `PUT /devices/{id}` creates, or updates when an
 * `If-Match` header is sent; modules under `/devices/{id}/modules/{mid}`; connection strings.
 */
export function registerRegistryRoutes(app: FastifyInstance, registry: Registry): void {
  const view = (redact: boolean) => (identity: Parameters<typeof identityView>[0]) =>
    identityView(identity, { redactKeys: redact });

  app.get('/devices', async (request) => {
    const query = readQuery(request.query, (q) => ({
      limit: q.number('limit', { integer: true, min: 1, max: 1000 }),
      after: q.string('after', { max: 128 }),
    }));
    const devices = await registry.list({
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.after === undefined ? {} : { after: query.after }),
    });
    const limit = query.limit ?? 100;
    return {
      items: devices.map(view(request.hubRole === 'viewer')),
      next: devices.length === limit ? (devices.at(-1)?.deviceId ?? null) : null,
    };
  });

  app.get<{ Params: IdentityParams }>('/devices/:deviceId/modules', async (request) => {
    const key = identityOf(request.params);
    await registry.get(key);
    const modules = await registry.list({ deviceId: key.deviceId, limit: 1000 });
    return { items: modules.map(view(request.hubRole === 'viewer')) };
  });

  for (const path of ['/devices/:deviceId', '/devices/:deviceId/modules/:moduleId']) {
    app.get<{ Params: IdentityParams }>(path, async (request, reply) =>
      withEtag(
        reply,
        identityView(await registry.get(identityOf(request.params)), {
          redactKeys: request.hubRole === 'viewer',
        }),
      ),
    );

    app.put<{ Params: IdentityParams }>(path, { bodyLimit: SMALL_BODY_BYTES }, async (request, reply) => {
      const key = identityOf(request.params);
      const input = readIdentityBody(request.body);
      const ifMatch = ifMatchOf(request);
      if (ifMatch !== undefined) {
        return withEtag(
          reply,
          identityView(await registry.update(key, input, ifMatch === '*' ? {} : { ifMatch })),
        );
      }
      const created = await registry.create({ ...key, ...input });
      void reply.status(201);
      return withEtag(reply, identityView(created));
    });

    app.delete<{ Params: IdentityParams }>(path, async (request, reply) => {
      const ifMatch = ifMatchOf(request);
      await registry.delete(
        identityOf(request.params),
        ifMatch === undefined || ifMatch === '*' ? {} : { ifMatch },
      );
      return reply.status(204).send();
    });

    app.get<{ Params: IdentityParams }>(`${path}/connection-string`, async (request) => {
      requireAdmin(request);
      const key = identityOf(request.params);
      const query = readQuery(request.query, (q) => ({
        key: q.oneOf('key', ['primary', 'secondary'] as const),
        gatewayHostName: q.string('gatewayHostName', { max: 256 }),
      }));
      const connectionString = await registry.connectionString(key, {
        ...(query.key === undefined ? {} : { key: query.key }),
        ...(query.gatewayHostName === undefined ? {} : { gatewayHostName: query.gatewayHostName }),
      });
      return { connectionString };
    });
  }
}
