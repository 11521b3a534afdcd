import type { FastifyInstance } from 'fastify';
import type { JsonObject, JsonValue } from '@vigil/storage';
import { METHOD_LIMITS, type Methods } from '../methods/index.js';
import type { Twins } from '../twins/index.js';
import { identityOf, ifMatchOf, readBody, withEtag, type IdentityParams } from './route-helpers.js';

/** Twin documents are at most 8 KB of tags plus 32 KB of desired properties, with JSON overhead. */
const TWIN_BODY_BYTES = 96 * 1024;
/** A method request carries at most 128 KB of payload. */
const METHOD_BODY_BYTES = METHOD_LIMITS.maxPayloadBytes + 4096;

/**
 * Twin and direct-method routes (reference/iothub-mqtt.md §5.2): `GET`/`PATCH /twins/{id}` (tags and
 * `properties.desired`, optional `If-Match`) and `POST /twins/{id}/methods`, the same under
 * `/twins/{id}/modules/{mid}`.
 */
export function registerTwinRoutes(app: FastifyInstance, twins: Twins, methods: Methods): void {
  for (const path of ['/twins/:deviceId', '/twins/:deviceId/modules/:moduleId']) {
    app.get<{ Params: IdentityParams }>(path, async (request, reply) =>
      withEtag(reply, await twins.get(identityOf(request.params))),
    );

    app.patch<{ Params: IdentityParams }>(path, { bodyLimit: TWIN_BODY_BYTES }, async (request, reply) => {
      const key = identityOf(request.params);
      const update = readBody(request.body, (reader) => {
        const tags = reader.rawObject('tags');
        const properties = reader.object('properties');
        const desired = properties?.rawObject('desired');
        properties?.rawObject('reported');
        properties?.rejectUnknown();
        // IoT Hub's GET answer may be sent back whole; identity fields are ignored.
        for (const ignored of [
          'deviceId',
          'moduleId',
          'etag',
          'version',
          'status',
          'connectionState',
          'lastActivityTime',
          'authenticationType',
        ])
          reader.any(ignored);
        return {
          ...(tags === undefined ? {} : { tags: tags as JsonObject }),
          ...(desired === undefined ? {} : { desired: desired as JsonObject }),
        };
      });
      const ifMatch = ifMatchOf(request);
      return withEtag(reply, await twins.update(key, update, ifMatch === undefined ? {} : { ifMatch }));
    });

    app.post<{ Params: IdentityParams }>(
      `${path}/methods`,
      { bodyLimit: METHOD_BODY_BYTES },
      async (request) => {
        const key = identityOf(request.params);
        const invocation = readBody(request.body, (reader) => {
          const methodName = reader.string('methodName', { required: true, max: 256 });
          const payload = reader.any('payload') as JsonValue | undefined;
          const response = reader.number('responseTimeoutInSeconds', {
            integer: true,
            min: METHOD_LIMITS.minResponseTimeoutSeconds,
            max: METHOD_LIMITS.maxResponseTimeoutSeconds,
          });
          const connect = reader.number('connectTimeoutInSeconds', {
            integer: true,
            min: 0,
            max: METHOD_LIMITS.maxConnectTimeoutSeconds,
          });
          return {
            methodName: methodName ?? '',
            ...(payload === undefined ? {} : { payload }),
            ...(response === undefined ? {} : { responseTimeoutSeconds: response }),
            ...(connect === undefined ? {} : { connectTimeoutSeconds: connect }),
          };
        });
        return methods.invoke(key, invocation);
      },
    );
  }
}
