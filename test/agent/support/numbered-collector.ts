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

/** Creates it; `emitted` may be shared between agent instances to follow one device across restarts. */
export function createNumberedCollector(emitted: string[] = []): NumberedCollector {
  const collector: NumberedCollector = {
    id: 'numbered-logins',
    platforms: ['any'],
    priority: 'High',
    description: 'Test collector: one Login event per run with a fresh user name.',
    emitted,
    active: true,
    collect(context) {
      if (!collector.active) return Promise.resolve({ events: [], errors: [] });
      const id = context.newId();
      emitted.push(id);
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
