/**
 * Scriptable collectors for core tests: each run records when it started and returns what the test
 * scripted, optionally after a delay on the (fake) clock or never.
 */
import type { SecurityEvent } from '@vigil/protocol';
import type {
  CollectionResult,
  Collector,
  CollectorContext,
  CollectorPriority,
} from '../../collectors/index.js';
import { createMemorySystem } from '../../collectors/index.js';
import type { Clock } from '../clock.js';
import type { BaseCollectorContext } from '../scheduler.js';

/** A collector whose runs the test controls. */
export interface ScriptedCollector extends Collector {
  /** Start time of every run. */
  readonly starts: number[];
  /** Signals of every run, to check aborts. */
  readonly signals: AbortSignal[];
}

/** Options for {@link scriptedCollector}. */
export interface ScriptedOptions {
  readonly id: string;
  readonly priority: CollectorPriority;
  readonly clock: Clock;
  /** Events of each run (called with the run's context). */
  readonly events?: (context: CollectorContext) => SecurityEvent[];
  /** Fake-clock milliseconds a run takes; `Infinity` never ends and ignores aborts. */
  readonly durationMs?: number;
}

/** A collector that returns scripted events after `durationMs` of fake time. */
export function scriptedCollector(options: ScriptedOptions): ScriptedCollector {
  const starts: number[] = [];
  const signals: AbortSignal[] = [];
  return {
    id: options.id,
    priority: options.priority,
    platforms: ['any'],
    description: `scripted test collector ${options.id}`,
    starts,
    signals,
    collect(context) {
      starts.push(context.clock.now());
      signals.push(context.signal);
      const result: CollectionResult = { events: options.events?.(context) ?? [], errors: [] };
      const duration = options.durationMs ?? 0;
      if (duration === 0) return Promise.resolve(result);
      if (duration === Infinity) return new Promise<CollectionResult>(() => undefined);
      return new Promise((resolve) => options.clock.setTimer(() => resolve(result), duration));
    },
  };
}

/** A base context over an empty machine with counting ids (`00000000-…-000000000001`). */
export function baseContext(): BaseCollectorContext {
  let n = 0;
  return {
    system: createMemorySystem({}),
    newId: () => {
      n += 1;
      return `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
    },
  };
}

/** A heartbeat event at `timeUtc`. */
export function heartbeat(context: { newId: () => string; clock: { now(): number } }): SecurityEvent {
  return {
    kind: 'heartbeat',
    id: context.newId(),
    name: 'Heartbeat',
    eventType: 'Security',
    category: 'Periodic',
    timeUtc: context.clock.now(),
    format: 'json-1.0',
  };
}
