import type { FastifyInstance } from 'fastify';
import type { AccessPolicy } from '@vigil/storage';
import type { AccessPolicySettings } from '../settings/index.js';
import { ifMatchOf, readBody, requireAdmin, SMALL_BODY_BYTES, withEtag } from './route-helpers.js';

interface NameParams {
  readonly name: string;
}

/**
 * A policy as the API shows it: IoT Hub's `keyName`, `primaryKey`, `secondaryKey` and `rights`
 * (here a list rather than IoT Hub's comma-joined text). Viewers never see the keys.
 */
function policyView(policy: AccessPolicy, redactKeys: boolean) {
  return {
    keyName: policy.name,
    rights: policy.rights,
    ...(redactKeys ? {} : { primaryKey: policy.primaryKey, secondaryKey: policy.secondaryKey }),
    etag: policy.etag,
    created: new Date(policy.createdAt).toISOString(),
    updated: new Date(policy.updatedAt).toISOString(),
  };
}

const etagOption = (ifMatch: string | undefined) =>
  ifMatch === undefined || ifMatch === '*' ? {} : { ifMatch };

/**
 * Shared access policy routes: `GET /access-policies[/{name}]`, `PUT /access-policies/{name}`
 * (create; keys left out are generated, rights left out follow IoT Hub's policy of that name),
 * `POST /access-policies/{name}/rotate` (`{ key: primary | secondary | swap, value? }`) and
 * `DELETE /access-policies/{name}`. Changes need the admin token, as every write does.
 */
export function registerAccessPolicyRoutes(app: FastifyInstance, policies: AccessPolicySettings): void {
  app.get('/access-policies', async (request) => ({
    items: (await policies.list()).map((policy) => policyView(policy, request.hubRole === 'viewer')),
  }));
  app.get<{ Params: NameParams }>('/access-policies/:name', async (request, reply) =>
    withEtag(reply, policyView(await policies.get(request.params.name), request.hubRole === 'viewer')),
  );
  app.put<{ Params: NameParams }>(
    '/access-policies/:name',
    { bodyLimit: SMALL_BODY_BYTES },
    async (request, reply) => {
      requireAdmin(request);
      const input = readBody(request.body, (reader) => {
        const rights = reader.array(
          'rights',
          (value, path) => {
            if (typeof value === 'string') return value;
            reader.violations.push({ path, message: 'must be a string' });
            return undefined;
          },
          { max: 16 },
        );
        const primaryKey = reader.string('primaryKey', { max: 256 });
        const secondaryKey = reader.string('secondaryKey', { max: 256 });
        return {
          ...(rights === undefined ? {} : { rights }),
          ...(primaryKey === undefined ? {} : { primaryKey }),
          ...(secondaryKey === undefined ? {} : { secondaryKey }),
        };
      });
      const created = await policies.create({ name: request.params.name, ...input });
      void reply.status(201);
      return withEtag(reply, policyView(created, false));
    },
  );
  app.post<{ Params: NameParams }>(
    '/access-policies/:name/rotate',
    { bodyLimit: SMALL_BODY_BYTES },
    async (request, reply) => {
      requireAdmin(request);
      const input = readBody(request.body, (reader) => ({
        key: reader.oneOf('key', ['primary', 'secondary', 'swap'] as const, true) ?? 'primary',
        value: reader.string('value', { max: 256 }),
      }));
      const rotated = await policies.rotate(request.params.name, input.key, {
        ...(input.value === undefined ? {} : { key: input.value }),
        ...etagOption(ifMatchOf(request)),
      });
      return withEtag(reply, policyView(rotated, false));
    },
  );
  app.delete<{ Params: NameParams }>('/access-policies/:name', async (request, reply) => {
    requireAdmin(request);
    await policies.delete(request.params.name, etagOption(ifMatchOf(request)));
    return reply.status(204).send();
  });
}
