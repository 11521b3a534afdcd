import { describe, expect, it } from 'vitest';
import { createFakeClock } from './fake-clock.js';
import { createMemoryLogger } from './logger.js';
import { createStateMachine, type StateTransition } from './state-machine.js';

function setup(connected = false) {
  const clock = createFakeClock();
  const hub = { connected };
  const logger = createMemoryLogger();
  const machine = createStateMachine({ clock, isConnected: () => hub.connected, logger });
  const transitions: StateTransition[] = [];
  machine.onTransition((t) => transitions.push(t));
  const path = () => transitions.map((t) => t.to);
  return { clock, hub, machine, transitions, path, logger };
}

describe('security module state machine (reference §1.4)', () => {
  it('starts NOT_INITIALIZED and goes PENDING → ACTIVE once a hub is connected, at the next 3 s poll', async () => {
    const { clock, hub, machine, path } = setup();
    expect(machine.state).toBe('NOT_INITIALIZED');
    machine.start();
    expect(machine.state).toBe('PENDING');
    await clock.advance(9_000);
    expect(machine.state).toBe('PENDING');
    hub.connected = true;
    await clock.advance(2_999);
    expect(machine.state).toBe('PENDING');
    await clock.advance(1);
    expect(machine.state).toBe('ACTIVE');
    expect(path()).toEqual(['PENDING', 'ACTIVE']);
  });

  it('goes straight to ACTIVE on start when the hub is already connected', () => {
    const { machine, path } = setup(true);
    machine.start();
    expect(path()).toEqual(['PENDING', 'ACTIVE']);
  });

  it('PENDING → SUSPENDED after 300 s without a hub, then recovers when the hub returns', async () => {
    const { clock, hub, machine, transitions } = setup();
    const t0 = clock.now();
    machine.start();
    await clock.advance(299_999);
    expect(machine.state).toBe('PENDING');
    await clock.advance(1);
    expect(machine.state).toBe('SUSPENDED');
    expect(transitions.at(-1)!.at - t0).toBe(300_000);
    // Suspended for an hour: still polling, nothing changes while the hub is away.
    await clock.advance(3_600_000);
    expect(machine.state).toBe('SUSPENDED');
    hub.connected = true;
    await clock.advance(3_000);
    expect(machine.state).toBe('ACTIVE');
    expect(transitions.map((t) => t.to)).toEqual(['PENDING', 'SUSPENDED', 'ACTIVE']);
  });

  it('ACTIVE → PENDING when a message is ready and no hub is connected; the pending clock restarts', async () => {
    const { clock, hub, machine, path } = setup(true);
    machine.start();
    machine.messageReady();
    expect(machine.state).toBe('ACTIVE');
    hub.connected = false;
    await clock.advance(50_000);
    machine.messageReady();
    expect(machine.state).toBe('PENDING');
    await clock.advance(299_000);
    expect(machine.state).toBe('PENDING');
    await clock.advance(1_000);
    expect(path()).toEqual(['PENDING', 'ACTIVE', 'PENDING', 'SUSPENDED']);
  });

  it('a hub that returns within the pending time avoids SUSPENDED', async () => {
    const { clock, hub, machine, path } = setup(true);
    machine.start();
    hub.connected = false;
    machine.hubUnreachable('send failed');
    await clock.advance(200_000);
    hub.connected = true;
    machine.connectivityChanged();
    expect(machine.state).toBe('ACTIVE');
    await clock.advance(1_000_000);
    expect(path()).toEqual(['PENDING', 'ACTIVE', 'PENDING', 'ACTIVE']);
  });

  it('stop() returns to NOT_INITIALIZED and leaves no timers running', async () => {
    const { clock, machine } = setup();
    machine.start();
    machine.stop();
    expect(machine.state).toBe('NOT_INITIALIZED');
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(1_000_000);
    expect(machine.state).toBe('NOT_INITIALIZED');
  });

  it('logs every transition with its reason', async () => {
    const { clock, machine, logger } = setup();
    machine.start();
    await clock.advance(300_000);
    expect(logger.lines.map((l) => l.message)).toEqual([
      'security module NOT_INITIALIZED → PENDING',
      'security module PENDING → SUSPENDED',
    ]);
    expect(logger.lines[1]!.fields!.reason).toMatch(/300000/);
  });
});
