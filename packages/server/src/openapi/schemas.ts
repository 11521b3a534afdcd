import type { JsonSchema } from './route-doc.js';

/** Shared component schemas of the document, referenced as `#/components/schemas/<name>`. */
export const COMPONENT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'details'],
        properties: {
          code: {
            type: 'string',
            description: 'Stable error code',
            enum: [
              'UNAUTHENTICATED',
              'FORBIDDEN',
              'VALIDATION_FAILED',
              'NOT_FOUND',
              'PRECONDITION_FAILED',
              'CONFLICT',
              'PAYLOAD_TOO_LARGE',
              'INTERNAL',
            ],
          },
          message: { type: 'string' },
          details: {
            type: 'array',
            description: 'Every violation of the request, each with where and what',
            items: {
              type: 'object',
              required: ['path', 'message'],
              properties: {
                path: { type: 'string' },
                message: { type: 'string' },
                code: {
                  type: 'string',
                  description: 'Stable code of this violation, where the route sets one',
                },
              },
            },
          },
        },
      },
    },
  },
  Alert: {
    type: 'object',
    required: ['id', 'typeId', 'deviceId', 'severity', 'status', 'title', 'firstSeenAt', 'lastSeenAt'],
    properties: {
      id: { type: 'integer' },
      typeId: { type: 'string' },
      deviceId: { type: 'string' },
      key: { type: 'string' },
      severity: { $ref: '#/components/schemas/Severity' },
      status: { type: 'string', enum: ['active', 'dismissed', 'resolved'] },
      title: { type: 'string' },
      firstSeenAt: { type: 'integer', description: 'Milliseconds since the epoch' },
      lastSeenAt: { type: 'integer', description: 'Milliseconds since the epoch' },
      occurrences: { type: 'integer' },
      evidence: { type: 'array', items: {} },
      remediation: { type: 'array', items: { type: 'string' } },
      updatedAt: { type: 'integer' },
    },
  },
  AlertDetail: {
    allOf: [
      { $ref: '#/components/schemas/Alert' },
      {
        type: 'object',
        required: ['history'],
        properties: {
          history: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                at: { type: 'integer' },
                action: { type: 'string', enum: ['raised', 'occurred', 'dismissed', 'resolved'] },
                actor: { type: ['string', 'null'] },
                note: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
    ],
  },
  Recommendation: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      typeId: { type: 'string' },
      deviceId: { type: 'string' },
      key: { type: 'string' },
      severity: { $ref: '#/components/schemas/Severity' },
      state: { type: 'string', enum: ['raised', 'resolved'] },
      details: { type: 'object' },
      raisedAt: { type: 'integer' },
      resolvedAt: { type: ['integer', 'null'] },
      updatedAt: { type: 'integer' },
    },
  },
  CustomRule: {
    type: 'object',
    required: ['ruleId', 'enabled'],
    properties: {
      ruleId: { type: 'string' },
      kind: { type: 'string', enum: ['range', 'allowlist'] },
      enabled: { type: 'boolean' },
      min: { type: 'integer', minimum: 0, description: 'range rules' },
      max: { type: 'integer', minimum: 0, description: 'range rules' },
      window: { type: 'string', description: 'range rules: ISO-8601 duration from PT1M to P7D' },
      values: { type: 'array', items: { type: 'string' }, description: 'allowlist rules' },
    },
  },
  SecurityGroup: {
    type: 'object',
    required: ['name', 'etag', 'rules'],
    properties: {
      name: { type: 'string' },
      etag: { type: 'string' },
      updatedAt: { type: 'integer' },
      rules: {
        type: 'array',
        items: {
          allOf: [
            { $ref: '#/components/schemas/CustomRule' },
            { type: 'object', properties: { displayName: { type: 'string' } } },
          ],
        },
      },
    },
  },
  Severity: { type: 'string', enum: ['low', 'medium', 'high'] },
  ApiToken: {
    type: 'object',
    required: ['id', 'name', 'role', 'prefix', 'createdAt', 'lastUsedAt'],
    properties: {
      id: { type: 'string', description: '12 hex digits' },
      name: { type: 'string' },
      role: { type: 'string', enum: ['viewer', 'admin'] },
      prefix: { type: 'string', description: 'The first characters of the secret, to tell tokens apart' },
      createdAt: { type: 'integer' },
      lastUsedAt: { type: ['integer', 'null'], description: 'To the minute; null when never used' },
    },
  },
};

/** A reference to one of {@link COMPONENT_SCHEMAS}. */
export const ref = (name: string): JsonSchema => ({
  $ref: `#/components/schemas/${name}`,
});
