import type { JsonSchema, RouteDoc } from './route-doc.js';
import { ref } from './schemas.js';

const alertId = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, description: 'The alert id' } },
};
const noteBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', maxLength: 2000, description: 'Why (kept in the history)' } },
};
const groupName = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } },
};
const limit = (max: number, fallback: number) => ({
  type: 'integer',
  minimum: 1,
  maximum: max,
  default: fallback,
});

const offset = {
  type: 'integer',
  minimum: 0,
  maximum: 100_000,
  default: 0,
  description: 'How many matches to skip (page = offset / limit)',
};
/** The paging answer shared by alerts, recommendations and events. */
const page = (description: string, item: JsonSchema) => ({
  description,
  type: 'object',
  required: ['items', 'total', 'limit', 'offset'],
  properties: {
    items: { type: 'array', items: item },
    total: { type: 'integer', description: 'Every match, not just this page' },
    limit: { type: 'integer' },
    offset: { type: 'integer' },
  },
});

/**
 * Descriptions of the server's own routes that validate their input by hand (`QueryReader`) and so
 * carry no Fastify `schema`, keyed `METHOD url` as Fastify registers them. The OpenAPI test fails
 * when a key here matches no route or a route has no description, so this list cannot drift.
 */
export const CORE_ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'GET /api/alerts': {
    summary: 'List alerts',
    description: 'Filter, sort and page the alerts; `total` counts every match.',
    tags: ['alerts'],
    querystring: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['active', 'dismissed', 'resolved'] },
        severity: ref('Severity'),
        deviceId: { type: 'string' },
        typeId: { type: 'string' },
        sort: {
          type: 'string',
          enum: ['lastSeen', 'firstSeen', 'severity', 'occurrences'],
          default: 'lastSeen',
        },
        limit: limit(500, 50),
        offset,
      },
    },
    response: { '200': page('One page of alerts', ref('Alert')) },
  },
  'GET /api/alerts/:id': {
    summary: 'Read one alert with its history',
    tags: ['alerts'],
    params: alertId,
    response: { '200': { description: 'The alert', ...ref('AlertDetail') } },
  },
  'POST /api/alerts/:id/dismiss': {
    summary: 'Dismiss an active alert',
    description: 'Only active alerts can be dismissed (409 otherwise). Admin only.',
    tags: ['alerts'],
    params: alertId,
    body: noteBody,
    example: { note: 'maintenance window' },
    response: { '200': { description: 'The dismissed alert', ...ref('AlertDetail') } },
  },
  'POST /api/alerts/:id/resolve': {
    summary: 'Resolve an active alert',
    description: 'Only active alerts can be resolved (409 otherwise). Admin only.',
    tags: ['alerts'],
    params: alertId,
    body: noteBody,
    example: { note: 'fixed' },
    response: { '200': { description: 'The resolved alert', ...ref('AlertDetail') } },
  },
  'GET /api/recommendations': {
    summary: 'List recommendations',
    tags: ['recommendations'],
    querystring: {
      type: 'object',
      properties: {
        state: { type: 'string', enum: ['raised', 'resolved'] },
        deviceId: { type: 'string' },
        sort: { type: 'string', enum: ['updated', 'raised', 'severity'], default: 'updated' },
        limit: limit(1000, 100),
        offset,
      },
    },
    response: { '200': page('One page of recommendations', ref('Recommendation')) },
  },
  'GET /api/devices/:deviceId/events': {
    summary: "List a device's security events",
    tags: ['devices'],
    params: { type: 'object', required: ['deviceId'], properties: { deviceId: { type: 'string' } } },
    querystring: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Event name, e.g. ProcessCreate' },
        since: { type: 'integer', minimum: 0, description: 'Milliseconds since the epoch' },
        until: { type: 'integer', minimum: 0, description: 'Milliseconds since the epoch, after since' },
        sort: {
          type: 'string',
          enum: ['at', 'received'],
          default: 'at',
          description: "Newest first by the device's time (at) or by the hub's receipt (received)",
        },
        limit: limit(1000, 100),
        offset,
      },
    },
    response: { '200': page('One page of events, newest first', { type: 'object' }) },
  },
  'GET /api/posture': {
    summary: 'Fleet posture summary',
    description:
      'Score (100 with nothing open), active alerts by severity, alerts per hour over the last 24 hours and the devices most at risk.',
    tags: ['posture'],
    response: {
      '200': {
        description: 'The summary the overview page draws',
        type: 'object',
        required: ['score', 'activeAlerts', 'timeline', 'devicesAtRisk'],
        properties: {
          score: { type: 'integer', minimum: 0, maximum: 100 },
          activeAlerts: {
            type: 'object',
            properties: { high: { type: 'integer' }, medium: { type: 'integer' }, low: { type: 'integer' } },
          },
          raisedRecommendations: { type: 'integer' },
          timeline: { type: 'array', items: { type: 'object' } },
          devicesAtRisk: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
  'GET /api/security-groups': {
    summary: 'List device security groups',
    description: 'Every group with every rule (defaults filled in) and its display name.',
    tags: ['security-groups'],
    response: {
      '200': {
        description: 'The groups',
        type: 'object',
        properties: { items: { type: 'array', items: ref('SecurityGroup') } },
      },
    },
  },
  'GET /api/security-groups/:name': {
    summary: 'Read a security group',
    tags: ['security-groups'],
    params: groupName,
    response: { '200': { description: 'The group', ...ref('SecurityGroup') } },
  },
  'PUT /api/security-groups/:name': {
    summary: 'Create a security group or change some of its rules',
    description:
      'Rules not named keep their current (or default) settings. Every invalid field is listed. Admin only.',
    tags: ['security-groups'],
    params: groupName,
    headers: {
      type: 'object',
      properties: { 'if-match': { type: 'string', description: 'The etag the change is based on' } },
    },
    body: {
      type: 'object',
      required: ['rules'],
      additionalProperties: false,
      properties: { rules: { type: 'array', items: ref('CustomRule') } },
    },
    example: {
      rules: [
        { ruleId: 'ActiveConnectionsNotInAllowedRange', enabled: true, min: 0, max: 20, window: 'PT15M' },
      ],
    },
    response: { '200': { description: 'The group as saved', ...ref('SecurityGroup') } },
  },
  'DELETE /api/security-groups/:name': {
    summary: 'Delete a security group',
    description: 'The default group cannot be deleted (409). Admin only.',
    tags: ['security-groups'],
    params: groupName,
    response: { '204': { description: 'Deleted' } },
  },
  'GET /api/tokens': {
    summary: 'List API tokens',
    description:
      'Id, name, role, a short prefix of the secret, creation and last use (to the minute). Never the secret. Admin only.',
    tags: ['tokens'],
    response: {
      '200': {
        description: 'Every token, oldest first',
        type: 'object',
        required: ['items'],
        properties: { items: { type: 'array', items: ref('ApiToken') } },
      },
    },
  },
  'POST /api/tokens': {
    summary: 'Create an API token',
    description:
      'The answer carries the secret (`token`) once; only its hash is kept. At most 100 tokens. Admin only.',
    tags: ['tokens'],
    body: {
      type: 'object',
      required: ['name', 'role'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 64, description: 'Who or what uses it' },
        role: { type: 'string', enum: ['viewer', 'admin'] },
      },
    },
    example: { name: 'grafana', role: 'viewer' },
    response: {
      '201': {
        description: 'The new token, with its secret (shown this once)',
        allOf: [ref('ApiToken'), { type: 'object', properties: { token: { type: 'string' } } }],
      },
    },
  },
  'DELETE /api/tokens/:id': {
    summary: 'Revoke an API token',
    description:
      'Requests with it are refused from now on. The last admin token cannot be revoked (409). Admin only.',
    tags: ['tokens'],
    params: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', pattern: '^[0-9a-f]{12}$' } },
    },
    response: { '204': { description: 'Revoked' } },
  },
  'GET /api/health': {
    summary: 'Health check',
    tags: ['operations'],
    response: { '200': { description: 'The server answers', type: 'object' } },
  },
};
