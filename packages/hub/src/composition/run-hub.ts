import type { HubOptions } from '../config/index.js';
import { createHub, type Hub } from './create-hub.js';

/** Options of {@link runHub}: hub options plus where to report readiness. */
export interface RunHubOptions extends HubOptions {
  /** Called once listening, with the hub (e.g. to print the bound ports for a parent process). */
  readonly onReady?: (hub: Hub) => void;
}

/**
 * Runs a hub as a process: starts it, stops it gracefully on SIGINT/SIGTERM, and resolves once it
 * stopped. The crash test's child process and `vigil serve` use this.
 */
export async function runHub(options: RunHubOptions): Promise<void> {
  const hub = await createHub(options);
  await hub.start();
  options.onReady?.(hub);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      hub.stop().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
