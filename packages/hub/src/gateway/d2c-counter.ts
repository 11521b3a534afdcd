import type { OperationsSink, SessionIdentity, SessionProtocol } from '../contract/index.js';

interface Window {
  readonly identity: SessionIdentity;
  readonly protocol: SessionProtocol;
  count: number;
  bytes: number;
  security: number;
  readonly startedAt: number;
}

/** Counts accepted D2C messages and reports them as `d2cReceived` operations. */
export interface D2cCounter {
  count(identity: SessionIdentity, protocol: SessionProtocol, bytes: number, security: boolean): void;
  /** Reports every open window now (at shutdown, or in tests). */
  flush(): void;
  close(): void;
}

/**
 * One `d2cReceived` operation per identity and protocol per window (`windowMs`, a minute by
 * default), with `details: { protocol, count, bytes, securityMessages, windowStartedAt, windowMs }`.
 * Counting every message as its own operation would make the operations log as large as the
 * telemetry; IoT Hub's own metrics are per-minute counts by protocol too.
 */
export function createD2cCounter(options: {
  readonly operations: OperationsSink;
  readonly windowMs: number;
  readonly now: () => number;
}): D2cCounter {
  const windows = new Map<string, Window>();
  const report = (): void => {
    const at = options.now();
    for (const window of windows.values()) {
      options.operations.record({
        operation: 'd2cReceived',
        at,
        outcome: 'success',
        deviceId: window.identity.deviceId,
        moduleId: window.identity.moduleId,
        details: {
          protocol: window.protocol,
          count: window.count,
          bytes: window.bytes,
          securityMessages: window.security,
          windowStartedAt: window.startedAt,
          windowMs: options.windowMs,
        },
      });
    }
    windows.clear();
  };
  const timer = setInterval(report, options.windowMs);
  timer.unref();
  return {
    count(identity, protocol, bytes, security) {
      const key = `${protocol} ${identity.deviceId} ${identity.moduleId ?? ''}`;
      let window = windows.get(key);
      if (window === undefined) {
        window = { identity, protocol, count: 0, bytes: 0, security: 0, startedAt: options.now() };
        windows.set(key, window);
      }
      window.count++;
      window.bytes += bytes;
      if (security) window.security++;
    },
    flush: report,
    close() {
      clearInterval(timer);
      report();
    },
  };
}
