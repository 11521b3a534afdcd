/**
 * A collector for delivery tests: every run reports one Login event naming a fresh user
 * (`user-1`, `user-2`, …) and remembers the ids it emitted, so a test can check that every event
 * collected reached the hub. It is a real `Collector`; only its data is synthetic.
 */
import type { Collector } from '@vigil/agent';

/** The collector and what it emitted. */
export interface NumberedCollector extends Collector {
  /** Event ids in emission order. */
  readonly emitted: string[];
  /** While false, runs report nothing. */
  active: boolean;
}

/** Options of {@link createNumberedCollector}. */
export interface NumberedCollectorOptions {
  /** Stop reporting after this many events (of this collector instance). */
  readonly limit?: number;
  /** Bytes of filler in each event's command line, to fill a disk buffer quickly. */
  readonly padBytes?: number;
  /** Told each id as it is emitted (a child process prints it for its parent). */
  readonly onEmit?: (id: string) => void;
}

/** Creates it; `emitted` may be shared between agent instances to follow one device across restarts. */
export function createNumberedCollector(
  emitted: string[] = [],
  options: NumberedCollectorOptions = {},
): NumberedCollector {
  let own = 0;
  const collector: NumberedCollector = {
    id: 'numbered-logins',
    platforms: ['any'],
    priority: 'High',
    description: 'Test collector: one Login event per run with a fresh user name.',
    emitted,
    active: true,
    collect(context) {
      if (!collector.active || own >= (options.limit ?? Infinity)) {
        return Promise.resolve({ events: [], errors: [] });
      }
      const id = context.newId();
      own += 1;
      emitted.push(id);
      options.onEmit?.(id);
      return Promise.resolve({
        events: [
          {
            id,
            name: 'Login',
            eventType: 'Security',
            category: 'Triggered',
            timeUtc: context.clock.now(),
            format: context.format ?? 'json-1.0',
            kind: 'login',
            attempts: [
              {
                processId: 1,
                userName: `user-${emitted.length}`,
                operation: 'sshd:password',
                executable: '/usr/sbin/sshd',
                ...(options.padBytes === undefined
                  ? {}
                  : { extraDetails: { Filler: 'x'.repeat(options.padBytes) } }),
                result: 'fail',
              },
            ],
          },
        ],
        errors: [],
      });
    },
  };
  return collector;
}
