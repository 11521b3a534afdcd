/**
 * The security module state machine, exactly as the RTOS module has it
 * (reference/azure-security-module.md §1.4):
 *
 * | from            | event                                              | to        |
 * | NOT_INITIALIZED | start                                              | PENDING   |
 * | PENDING         | poll every retry time (3 s) or message ready: hub connected | ACTIVE |
 * | PENDING         | time in PENDING reaches the pending time (300 s)    | SUSPENDED |
 * | ACTIVE          | message ready but no hub connected                  | PENDING   |
 * | SUSPENDED       | poll every retry time: hub connected                | ACTIVE    |
 * | any             | stop (disable)                                      | NOT_INITIALIZED |
 *
 * Side effects (collectors started, stopped) belong to listeners; this module only decides.
 */
import type { Clock, Timer } from './clock.js';
import { silentLogger, type CoreLogger } from './logger.js';

/** The four states of reference §1.4 (`nx_azure_iot_security_module.h`). */
export type SecurityModuleState = 'NOT_INITIALIZED' | 'PENDING' | 'ACTIVE' | 'SUSPENDED';

/** `ASC_SECURITY_MODULE_PENDING_TIME`: 300 s in PENDING before SUSPENDED (§1.6). */
export const DEFAULT_PENDING_TIME_MS = 300_000;

/** `ASC_SECURITY_MODULE_SEND_MESSAGE_RETRY_TIME`: 3 s retry / polling period (§1.6). */
export const DEFAULT_RETRY_TIME_MS = 3_000;

/** One state change, as listeners and logs see it. */
export interface StateTransition {
  readonly from: SecurityModuleState;
  readonly to: SecurityModuleState;
  /** Epoch milliseconds of the change (the state timestamp of §1.4). */
  readonly at: number;
  readonly reason: string;
}

/** Options for {@link createStateMachine}. */
export interface StateMachineOptions {
  readonly clock: Clock;
  /** True when at least one hub client is connected. */
  readonly isConnected: () => boolean;
  readonly pendingTimeMs?: number;
  readonly retryTimeMs?: number;
  readonly logger?: CoreLogger;
}

/** The running state machine. */
export interface StateMachine {
  readonly state: SecurityModuleState;
  /** When the current state was entered, epoch milliseconds. */
  readonly since: number;
  /** NOT_INITIALIZED → PENDING; ACTIVE at once if a hub is already connected. */
  start(): void;
  /** Any state → NOT_INITIALIZED; timers cancelled. */
  stop(): void;
  /** A message is ready: in ACTIVE with no hub → PENDING; in PENDING, re-evaluate now. */
  messageReady(): void;
  /** The transport lost the hub (ACTIVE → PENDING). */
  hubUnreachable(reason?: string): void;
  /** The transport (re)connected: re-evaluate now instead of at the next poll. */
  connectivityChanged(): void;
  /** Registers a listener; returns a function that removes it. */
  onTransition(listener: (transition: StateTransition) => void): () => void;
}

/** A state machine in NOT_INITIALIZED. */
export function createStateMachine(options: StateMachineOptions): StateMachine {
  const { clock, isConnected } = options;
  const pendingTimeMs = options.pendingTimeMs ?? DEFAULT_PENDING_TIME_MS;
  const retryTimeMs = options.retryTimeMs ?? DEFAULT_RETRY_TIME_MS;
  const logger = options.logger ?? silentLogger;
  const listeners = new Set<(t: StateTransition) => void>();
  let state: SecurityModuleState = 'NOT_INITIALIZED';
  let since = clock.now();
  let poll: Timer | undefined;
  let pendingDeadline: Timer | undefined;

  function clearTimers(): void {
    poll?.cancel();
    poll = undefined;
    pendingDeadline?.cancel();
    pendingDeadline = undefined;
  }

  function enter(to: SecurityModuleState, reason: string): void {
    const from = state;
    if (from === to) return;
    clearTimers();
    state = to;
    since = clock.now();
    logger.log(
      to === 'ACTIVE' || to === 'NOT_INITIALIZED' ? 'info' : 'warn',
      `security module ${from} → ${to}`,
      {
        from,
        to,
        reason,
      },
    );
    if (to === 'PENDING') {
      pendingDeadline = clock.setTimer(
        () => enter('SUSPENDED', `no hub for ${pendingTimeMs} ms`),
        pendingTimeMs,
      );
    }
    if (to === 'PENDING' || to === 'SUSPENDED') schedulePoll();
    const transition: StateTransition = { from, to, at: since, reason };
    for (const listener of [...listeners]) listener(transition);
  }

  function schedulePoll(): void {
    poll = clock.setTimer(() => {
      poll = undefined;
      evaluate('poll');
      if ((state === 'PENDING' || state === 'SUSPENDED') && poll === undefined) schedulePoll();
    }, retryTimeMs);
  }

  function evaluate(trigger: string): void {
    if ((state === 'PENDING' || state === 'SUSPENDED') && isConnected())
      enter('ACTIVE', `hub connected (${trigger})`);
  }

  return {
    get state() {
      return state;
    },
    get since() {
      return since;
    },
    start() {
      if (state !== 'NOT_INITIALIZED') return;
      enter('PENDING', 'started');
      evaluate('start');
    },
    stop() {
      enter('NOT_INITIALIZED', 'stopped');
      clearTimers();
    },
    messageReady() {
      if (state === 'ACTIVE' && !isConnected()) enter('PENDING', 'message ready but no hub connected');
      else if (state === 'PENDING') evaluate('message ready');
    },
    hubUnreachable(reason = 'hub unreachable') {
      if (state === 'ACTIVE') enter('PENDING', reason);
    },
    connectivityChanged() {
      if (state === 'ACTIVE' && !isConnected()) enter('PENDING', 'hub disconnected');
      else evaluate('connectivity changed');
    },
    onTransition(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
