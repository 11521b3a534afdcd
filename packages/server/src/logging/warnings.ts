import type { FastifyBaseLogger } from 'fastify';

/**
 * Forwards the process warnings Vigil's own parts emit (`VigilHubWarning`, `VigilAnalyticsWarning`…)
 * into the structured log, so they reach the same place as everything else. Node still prints them
 * on standard error as well; parts that accept a warning callback should be given one instead.
 * Returns the function that stops forwarding.
 */
export function forwardVigilWarnings(log: FastifyBaseLogger): () => void {
  const listener = (warning: Error): void => {
    if (!warning.name.startsWith('Vigil')) return;
    log.warn({ source: warning.name }, warning.message);
  };
  process.on('warning', listener);
  return () => {
    process.off('warning', listener);
  };
}

/** Describes an error and its cause in one line for a log message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
