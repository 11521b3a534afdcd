import type { FastifyRequest } from 'fastify';

/** The levels of Fastify's (pino's) logger, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the server logs. */
export interface LoggingOptions {
  /** Default `info` (or the `VIGIL_LOG_LEVEL` environment variable when the server reads it). */
  readonly level?: LogLevel;
  /** Where the JSON lines go; default standard error, so standard output stays for people. */
  readonly destination?: NodeJS.WritableStream;
}

const CENSOR = '[redacted]';

/**
 * Paths pino blanks before writing a line: credentials in headers (any casing Node keeps is lower
 * case) and any field named like a token, wherever a log call puts it.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'token',
  'firstAdminToken',
  'sasToken',
  'connectionString',
  '*.token',
  '*.firstAdminToken',
  '*.sasToken',
  '*.connectionString',
  '*.authorization',
];

const SECRET_QUERY = /^(token|access_token|api_key|apikey|sig|signature|key)$/i;

/** A request URL with the values of credential-like query parameters replaced. */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const params = new URLSearchParams(url.slice(question + 1));
  let changed = false;
  for (const name of [...params.keys()]) {
    if (SECRET_QUERY.test(name)) {
      params.set(name, CENSOR);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, question)}?${params.toString()}` : url;
}

/** The request fields a request log line carries (never headers, so never the bearer token). */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    route: request.routeOptions?.url,
    remoteAddress: request.ip,
    role: request.role,
  };
}

/**
 * The Fastify `logger` setting for structured JSON logs: one JSON object per line, request lines
 * without headers or credential query parameters, token-named fields redacted.
 */
export function fastifyLoggerOptions(options: LoggingOptions = {}): Record<string, unknown> {
  return {
    level: options.level ?? 'info',
    stream: options.destination ?? process.stderr,
    redact: { paths: [...REDACTED_PATHS], censor: CENSOR },
    serializers: { req: serializeRequest },
  };
}

/** Reads `VIGIL_LOG_LEVEL`; undefined when unset, an error naming the allowed levels when invalid. */
export function logLevelFromEnvironment(env: NodeJS.ProcessEnv = process.env): LogLevel | undefined {
  const value = env.VIGIL_LOG_LEVEL;
  if (value === undefined || value === '') return undefined;
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`VIGIL_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as LogLevel;
}
