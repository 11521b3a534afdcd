import type { JsonSchema, RouteDoc } from './route-doc.js';

const HUB = '/api/hub';
const text = { type: 'string' };
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  ...(required.length === 0 ? {} : { required }),
  properties,
});
const device = object({ deviceId: text }, ['deviceId']);
const moduleParams = object({ deviceId: text, moduleId: text }, ['deviceId', 'moduleId']);
const named = object({ name: text }, ['name']);
const ifMatch = object({ 'if-match': { type: 'string', description: 'The etag the change is based on' } });
const answer = (description: string, schema: JsonSchema = { type: 'object' }) => ({
  '200': { description, ...schema },
});
const identityBody = object({
  authentication: object({
    type: { type: 'string', enum: ['sas', 'selfSigned', 'certificateAuthority'] },
    symmetricKey: object({ primaryKey: text, secondaryKey: text }),
    x509Thumbprint: object({ primaryThumbprint: text, secondaryThumbprint: text }),
  }),
  status: { type: 'string', enum: ['enabled', 'disabled'] },
  statusReason: { type: ['string', 'null'], maxLength: 128 },
});
const twinBody = object({ tags: { type: 'object' }, properties: object({ desired: { type: 'object' } }) });
const methodBody = object(
  {
    methodName: { type: 'string', maxLength: 256 },
    payload: {},
    responseTimeoutInSeconds: { type: 'integer', minimum: 5, maximum: 3600, default: 30 },
    connectTimeoutInSeconds: { type: 'integer', minimum: 0, maximum: 300, default: 0 },
  },
  ['methodName'],
);

/** The registry, twin and method routes of one identity path (a device, or a module of it). */
function identityRoutes(path: string, params: JsonSchema, what: string): Record<string, RouteDoc> {
  const twinPath = path.replace('/devices/', '/twins/');
  return {
    [`GET ${HUB}${path}`]: {
      summary: `Read a ${what} identity`,
      description: 'Symmetric keys are shown to admins only. The ETag header carries the etag.',
      tags: ['hub registry'],
      params,
      response: answer(`The ${what}`),
    },
    [`PUT ${HUB}${path}`]: {
      summary: `Create a ${what} identity, or update it with If-Match`,
      description: 'SAS keys are generated unless given. 201 when created, 409 when it exists. Admin only.',
      tags: ['hub registry'],
      params,
      headers: ifMatch,
      body: identityBody,
      example: { status: 'enabled' },
      response: {
        ...answer(`The updated ${what}`),
        '201': { description: `The new ${what}`, type: 'object' },
      },
    },
    [`DELETE ${HUB}${path}`]: {
      summary: `Delete a ${what} identity`,
      description: 'A device takes its modules and twins with it. Admin only.',
      tags: ['hub registry'],
      params,
      headers: ifMatch,
      response: { '204': { description: 'Deleted' } },
    },
    [`GET ${HUB}${path}/connection-string`]: {
      summary: `A connection string of the ${what}`,
      description: 'Admin only (it holds the key).',
      tags: ['hub registry'],
      role: 'admin',
      params,
      querystring: object({
        key: { type: 'string', enum: ['primary', 'secondary'], default: 'primary' },
        gatewayHostName: text,
      }),
      response: answer('The connection string', object({ connectionString: text })),
    },
    [`GET ${HUB}${twinPath}`]: {
      summary: `Read the ${what} twin`,
      tags: ['hub twins'],
      params,
      response: answer('The twin: tags, desired and reported properties, version, etag'),
    },
    [`PATCH ${HUB}${twinPath}`]: {
      summary: `Merge tags and desired properties into the ${what} twin`,
      description: 'null removes a key; connected devices receive the desired change. Admin only.',
      tags: ['hub twins'],
      params,
      headers: ifMatch,
      body: twinBody,
      example: { tags: { site: 'plant-1' }, properties: { desired: { telemetryInterval: 30 } } },
      response: answer('The twin after the change'),
    },
    [`POST ${HUB}${twinPath}/methods`]: {
      summary: `Invoke a direct method on the ${what}`,
      description:
        'Waits for the answer: DEVICE_NOT_ONLINE (404) when not connected within the connect timeout, GATEWAY_TIMEOUT (504) without an answer. Admin only.',
      tags: ['hub methods'],
      params,
      body: methodBody,
      example: { methodName: 'reboot', payload: {}, responseTimeoutInSeconds: 5, connectTimeoutInSeconds: 0 },
      response: answer(
        "The device's status and payload",
        object({ status: { type: 'integer' }, payload: {} }),
      ),
    },
  };
}

/**
 * Descriptions of the hub's service API routes (`/api/hub`, `@vigil/hub`'s service-api README), which
 * validate by hand and carry no `schema`. Kept beside the server's own so the document covers every
 * route the server mounts; the OpenAPI test fails when one of these keys matches no route.
 */
export const HUB_ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  [`GET ${HUB}/devices`]: {
    summary: 'List devices (not modules)',
    tags: ['hub registry'],
    querystring: object({ limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, after: text }),
    response: answer(
      'A page of devices; next is the after of the following page, null at the end',
      object({ items: { type: 'array', items: { type: 'object' } }, next: { type: ['string', 'null'] } }),
    ),
  },
  [`GET ${HUB}/devices/:deviceId/modules`]: {
    summary: 'List the modules of a device',
    tags: ['hub registry'],
    params: device,
    response: answer('The modules', object({ items: { type: 'array', items: { type: 'object' } } })),
  },
  ...identityRoutes('/devices/:deviceId', device, 'device'),
  ...identityRoutes('/devices/:deviceId/modules/:moduleId', moduleParams, 'module'),
  [`POST ${HUB}/devices/:deviceId/messages`]: {
    summary: 'Queue a cloud-to-device message',
    description: 'QUEUE_FULL (403) at the queue depth. Admin only.',
    tags: ['hub c2d'],
    params: device,
    body: object(
      {
        body: text,
        bodyEncoding: { type: 'string', enum: ['utf8', 'base64'] },
        messageId: text,
        correlationId: text,
        userId: text,
        contentType: text,
        contentEncoding: text,
        ack: text,
        properties: { type: 'object' },
        ttlSeconds: { type: 'integer', minimum: 1 },
      },
      ['body'],
    ),
    example: { body: 'reboot at 02:00', contentType: 'text/plain' },
    response: { '201': { description: 'The queued message', type: 'object' } },
  },
  [`GET ${HUB}/devices/:deviceId/messages`]: {
    summary: "List a device's cloud-to-device messages",
    tags: ['hub c2d'],
    params: device,
    querystring: object({ state: text, limit: { type: 'integer', minimum: 1 } }),
    response: answer('Newest first'),
  },
  [`DELETE ${HUB}/devices/:deviceId/commands`]: {
    summary: "Purge a device's queued cloud-to-device messages",
    tags: ['hub c2d'],
    params: device,
    response: answer('How many were purged', object({ totalMessagesPurged: { type: 'integer' } })),
  },
  [`GET ${HUB}/certificates`]: {
    summary: 'List CA certificates',
    tags: ['hub settings'],
    response: answer('The certificates'),
  },
  [`GET ${HUB}/certificates/:name`]: {
    summary: 'Read a CA certificate',
    tags: ['hub settings'],
    params: named,
    response: answer('The certificate'),
  },
  [`PUT ${HUB}/certificates/:name`]: {
    summary: 'Add a CA certificate (PEM)',
    tags: ['hub settings'],
    params: named,
    body: object({ certificate: text, isVerified: { type: 'boolean' } }, ['certificate']),
    response: { '201': { description: 'The certificate', type: 'object' } },
  },
  [`DELETE ${HUB}/certificates/:name`]: {
    summary: 'Delete a CA certificate',
    tags: ['hub settings'],
    params: named,
    headers: ifMatch,
    response: { '204': { description: 'Deleted' } },
  },
  [`POST ${HUB}/certificates/:name/verification-code`]: {
    summary: 'Get a proof-of-possession code for a CA certificate',
    tags: ['hub settings'],
    params: named,
    response: answer('The code (valid one hour)', object({ name: text, verificationCode: text, etag: text })),
  },
  [`POST ${HUB}/certificates/:name/verify`]: {
    summary: 'Verify a CA certificate with a leaf whose CN is the code',
    tags: ['hub settings'],
    params: named,
    body: object({ certificate: text }, ['certificate']),
    response: answer('The verified certificate'),
  },
  [`GET ${HUB}/ip-filter`]: {
    summary: 'Read the IP filter',
    tags: ['hub settings'],
    response: answer('The IP filter'),
  },
  [`PUT ${HUB}/ip-filter`]: {
    summary: 'Replace the IP filter',
    description: 'At most 10 rules, CIDR v4/v6, unique names. Admin only.',
    tags: ['hub settings'],
    body: object(
      {
        defaultAction: { type: 'string', enum: ['accept', 'reject'] },
        rules: {
          type: 'array',
          maxItems: 10,
          items: object({ name: text, action: { type: 'string', enum: ['accept', 'reject'] }, ipMask: text }),
        },
      },
      ['rules'],
    ),
    example: { defaultAction: 'reject', rules: [{ name: 'plant', action: 'accept', ipMask: '10.0.0.0/8' }] },
    response: answer('The IP filter as saved'),
  },
  [`GET ${HUB}/diagnostic-settings`]: {
    summary: 'List diagnostic settings',
    tags: ['hub settings'],
    response: answer('The settings'),
  },
  [`PUT ${HUB}/diagnostic-settings/:name`]: {
    summary: 'Create or replace a diagnostic setting',
    tags: ['hub settings'],
    params: named,
    body: object({ destination: text, categories: { type: 'array', items: text } }, [
      'destination',
      'categories',
    ]),
    example: { destination: 'file:///var/log/vigil/hub.jsonl', categories: ['Connections', 'DirectMethods'] },
    response: answer('The setting'),
  },
  [`DELETE ${HUB}/diagnostic-settings/:name`]: {
    summary: 'Delete a diagnostic setting',
    tags: ['hub settings'],
    params: named,
    response: { '204': { description: 'Deleted' } },
  },
  [`GET ${HUB}/access-policies`]: {
    summary: 'List shared access policies',
    description: 'Hub-level policies a SAS token names in skn. Viewers get them without keys.',
    tags: ['hub settings'],
    response: answer('The policies'),
  },
  [`GET ${HUB}/access-policies/:name`]: {
    summary: 'Read a shared access policy',
    tags: ['hub settings'],
    params: named,
    response: answer('The policy (keys hidden from viewers)'),
  },
  [`PUT ${HUB}/access-policies/:name`]: {
    summary: 'Create a shared access policy',
    description:
      'Keys left out are generated; rights left out follow IoT Hub for its policy names (iothubowner, service, device, registryRead, registryReadWrite). Only DeviceConnect lets a token connect a device. Admin only.',
    tags: ['hub settings'],
    params: named,
    body: object({
      rights: {
        type: 'array',
        items: { type: 'string', enum: ['RegistryRead', 'RegistryWrite', 'ServiceConnect', 'DeviceConnect'] },
      },
      primaryKey: text,
      secondaryKey: text,
    }),
    response: { '201': { description: 'The created policy with its keys' } },
  },
  [`POST ${HUB}/access-policies/:name/rotate`]: {
    summary: 'Replace or swap the keys of a shared access policy',
    description:
      'key: primary or secondary (value given or generated) or swap. If-Match optional. Admin only.',
    tags: ['hub settings'],
    params: named,
    headers: ifMatch,
    body: object({ key: { type: 'string', enum: ['primary', 'secondary', 'swap'] }, value: text }, ['key']),
    response: answer('The policy with its new keys'),
  },
  [`DELETE ${HUB}/access-policies/:name`]: {
    summary: 'Delete a shared access policy',
    tags: ['hub settings'],
    params: named,
    headers: ifMatch,
    response: { '204': { description: 'Deleted' } },
  },
  [`GET ${HUB}/operations`]: {
    summary: 'The operations log of the hub',
    description: 'Newest first; next is the before of the following page.',
    tags: ['hub operations'],
    querystring: object({
      deviceId: text,
      operation: text,
      outcome: { type: 'string', enum: ['success', 'failure'] },
      since: {
        type: 'string',
        maxLength: 64,
        description: 'ISO-8601 time or epoch milliseconds (inclusive)',
      },
      until: {
        type: 'string',
        maxLength: 64,
        description: 'ISO-8601 time or epoch milliseconds (exclusive)',
      },
      limit: { type: 'integer', minimum: 1 },
      before: { type: 'integer', minimum: 1, description: 'the `next` of the previous page' },
    }),
    response: answer('A page of operations'),
  },
};
