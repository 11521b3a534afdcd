/**
 * The agent's default log sink: one JSON line per entry on stderr, at or above a level, so a
 * service manager (systemd's journal) keeps them and they stay machine-readable.
 */
import type { CoreLogger, LogLevel } from '../core/index.js';

const ORDER: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing entries at `level` or above to `stream` (default stderr). */
export function createConsoleLogger(
  level: LogLevel,
  stream: { write(text: string): unknown } = process.stderr,
): CoreLogger {
  return {
    log(entryLevel, message, fields) {
      if (ORDER[entryLevel] < ORDER[level]) return;
      stream.write(
        `${JSON.stringify({ time: new Date().toISOString(), level: entryLevel, message, ...fields })}\n`,
      );
    },
  };
}
