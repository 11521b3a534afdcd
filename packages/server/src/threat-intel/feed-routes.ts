import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validationFailed, type Violation } from '../api/errors.js';
import type { JsonSchema, RouteDoc } from '../openapi/index.js';
import { FEED_NAME, readFeedInput } from './feed-input.js';
import type { FeedCaller, FeedService } from './feed-service.js';

/** Where the feed routes live. */
export const FEEDS_PATH = '/api/threat-intel/feeds';

const TAGS = ['threat-intel'];
const nameParam: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: FEED_NAME.source, description: 'The feed name' } },
};
const ifMatch: JsonSchema = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'The etag the change is based on' } },
};
const feedBody = (withName: boolean): JsonSchema => ({
  type: 'object',
  required: withName ? ['name', 'source', 'format'] : ['source', 'format'],
  additionalProperties: false,
  properties: {
    ...(withName ? { name: { type: 'string', pattern: FEED_NAME.source } } : {}),
    source: {
      type: 'string',
      maxLength: 2048,
      description: 'An absolute file path on the server, a file: URL, or an http(s) URL',
    },
    format: { type: 'string', enum: ['plain', 'csv'], description: 'plain: one address or CIDR a line' },
    column: {
      oneOf: [
        { type: 'string', maxLength: 128 },
        { type: 'integer', minimum: 0, maximum: 255 },
      ],
      description: 'csv only: the header name or 0-based index of the address column',
    },
    refreshInterval: {
      type: 'string',
      default: 'PT1H',
      description: 'ISO-8601 duration from PT1M to P7D between reloads',
    },
    internal: {
      type: 'boolean',
      default: false,
      description:
        'A feed of internal ranges: private and reserved addresses match instead of being set aside',
    },
  },
});
const feedSchema: JsonSchema = {
  type: 'object',
  required: ['name', 'source', 'format', 'refreshInterval', 'internal', 'origin', 'etag', 'status'],
  properties: {
    name: { type: 'string' },
    source: {
      type: 'object',
      properties: { type: { type: 'string', enum: ['file', 'url'] }, location: { type: 'string' } },
    },
    format: { type: 'string', enum: ['plain', 'csv'] },
    column: { type: ['string', 'integer', 'null'] },
    refreshInterval: { type: 'string' },
    refreshIntervalMs: { type: 'integer' },
    internal: { type: 'boolean' },
    origin: {
      type: 'string',
      enum: ['api', 'config'],
      description: 'config: declared in the server configuration file (read-only here)',
    },
    etag: { type: 'string' },
    updatedAt: { type: 'string', format: 'date-time' },
    status: {
      type: 'object',
      properties: {
        state: { type: 'string', enum: ['pending', 'loaded', 'failed'] },
        lastLoadAt: { type: ['string', 'null'], format: 'date-time' },
        entries: { type: ['integer', 'null'], description: 'Entries the matcher uses now' },
        setAside: { type: ['integer', 'null'], description: 'Entries set aside as reserved or too broad' },
        setAsideByReason: { type: 'object', additionalProperties: { type: 'integer' } },
        invalidLines: { type: ['integer', 'null'] },
        invalidExamples: {
          type: 'array',
          items: { type: 'object', properties: { line: { type: 'integer' }, reason: { type: 'string' } } },
        },
        lastError: { type: ['string', 'null'] },
        keptLastGood: { type: 'boolean' },
      },
    },
  },
};

const DOCS: Record<string, RouteDoc> = {
  list: {
    summary: 'List threat-intelligence feeds with their load status',
    tags: TAGS,
    response: {
      '200': {
        description: 'The feeds, by name',
        type: 'object',
        properties: { items: { type: 'array', items: feedSchema } },
      },
    },
  },
  get: {
    summary: 'Read a threat-intelligence feed',
    tags: TAGS,
    params: nameParam,
    response: { '200': { description: 'The feed', ...feedSchema } },
  },
  add: {
    summary: 'Add a threat-intelligence feed',
    description:
      'Validates the definition (every problem listed, each with a stable `FEED_*` code in `details`), stores it, loads it and swaps it into the running matcher before answering. 409 when the name is taken. Admin only.',
    tags: TAGS,
    body: feedBody(true),
    response: { '201': { description: 'The feed with the outcome of its first load', ...feedSchema } },
  },
  update: {
    summary: 'Change a threat-intelligence feed',
    description:
      'Replaces the definition and reloads the feed; a failed load keeps its previous entries in the matcher and is reported in `status.lastError`. Feeds declared in the configuration file answer 409. Admin only.',
    tags: TAGS,
    params: nameParam,
    headers: ifMatch,
    body: feedBody(false),
    response: { '200': { description: 'The feed with the outcome of its reload', ...feedSchema } },
  },
  remove: {
    summary: 'Remove a threat-intelligence feed',
    description:
      'Its entries leave the matcher at once. Admin only; 409 for a feed of the configuration file.',
    tags: TAGS,
    params: nameParam,
    headers: ifMatch,
    response: { '204': { description: 'Removed' } },
  },
  reload: {
    summary: 'Reload a threat-intelligence feed now',
    description:
      'Reads the source again; the matcher swaps to the new entries on success and keeps the previous ones on failure (reported in `status`). Admin only.',
    tags: TAGS,
    params: nameParam,
    response: { '200': { description: 'The feed with the outcome of the reload', ...feedSchema } },
  },
};

function nameOf(request: FastifyRequest): string {
  const name = (request.params as { name?: string }).name ?? '';
  if (!FEED_NAME.test(name))
    throw validationFailed([
      {
        path: 'params.name',
        message: 'must be 1–64 letters, digits, dots, dashes or underscores',
        code: 'FEED_NAME_INVALID',
      },
    ]);
  return name;
}

function callerOf(request: FastifyRequest): FeedCaller {
  return { sourceAddress: request.ip };
}

function ifMatchOf(request: FastifyRequest): string | undefined {
  const value = request.headers['if-match'];
  return typeof value === 'string' ? value : undefined;
}

/** `GET/POST /api/threat-intel/feeds`, `GET/PUT/DELETE …/:name`, `POST …/:name/reload` (issue "Server": threat-intel feeds). */
export function registerFeedRoutes(app: FastifyInstance, feeds: FeedService): void {
  app.get(FEEDS_PATH, { config: { openapi: DOCS.list! } }, async () => ({ items: await feeds.list() }));

  app.get(`${FEEDS_PATH}/:name`, { config: { openapi: DOCS.get! } }, (request) => feeds.get(nameOf(request)));

  app.post(FEEDS_PATH, { config: { openapi: DOCS.add! } }, async (request, reply) => {
    const violations: Violation[] = [];
    const feed = readFeedInput(request.body, 'body', violations);
    if (feed === undefined) throw validationFailed(violations);
    return reply.status(201).send(await feeds.add(feed, callerOf(request)));
  });

  app.put(`${FEEDS_PATH}/:name`, { config: { openapi: DOCS.update! } }, async (request) => {
    const name = nameOf(request);
    const violations: Violation[] = [];
    const feed = readFeedInput(request.body, 'body', violations, name);
    if (feed === undefined) throw validationFailed(violations);
    return feeds.update(feed, callerOf(request), ifMatchOf(request));
  });

  app.delete(`${FEEDS_PATH}/:name`, { config: { openapi: DOCS.remove! } }, async (request, reply) => {
    await feeds.remove(nameOf(request), callerOf(request), ifMatchOf(request));
    return reply.status(204).send();
  });

  app.post(`${FEEDS_PATH}/:name/reload`, { config: { openapi: DOCS.reload! } }, (request) =>
    feeds.reload(nameOf(request), callerOf(request)),
  );
}
