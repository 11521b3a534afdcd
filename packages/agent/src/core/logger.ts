/**
 * The core's log sink. The core logs what an operator needs to see (state transitions, dropped data,
 * collector timeouts); where the lines go is the host program's choice.
 */

/** Severity of a core log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Where the core writes its log lines. */
export interface CoreLogger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/** A logger that discards everything (the default when the host passes none). */
export const silentLogger: CoreLogger = { log: () => undefined };

/** A logger that keeps lines in memory, for tests and diagnostics. */
export interface MemoryLogger extends CoreLogger {
  readonly lines: { level: LogLevel; message: string; fields?: LogFields }[];
}

/** A {@link MemoryLogger}. */
export function createMemoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  return {
    lines,
    log: (level, message, fields) =>
      void lines.push(fields === undefined ? { level, message } : { level, message, fields }),
  };
}
