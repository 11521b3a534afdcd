/** Structured JSON logs through Fastify's built-in pino logger, with credentials redacted. */
export {
  fastifyLoggerOptions,
  logLevelFromEnvironment,
  redactUrl,
  REDACTED_PATHS,
  LOG_LEVELS,
  type LoggingOptions,
  type LogLevel,
} from './logger-options.js';
export { forwardVigilWarnings, describeError } from './warnings.js';
export { installRequestLog } from './request-log.js';
