/**
 * SAS token expiry for every session on one timer. IoT Hub drops a connection when its token
 * expires (reference/iothub-mqtt.md §1.3); a timer per session costs a `Timeout`, a closure and —
 * since every token expires at a different millisecond — one Node timer list each. Sessions are
 * grouped in 100 ms slots instead, and one timer waits for the earliest slot.
 */

/** Slot width: a session is closed at most this much after its token (plus skew) expired. */
export const EXPIRY_SLOT_MS = 100;

/** Longest single wait (setTimeout's limit); a later expiry re-arms when it is reached. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the schedule needs of a session: a slot field it owns. */
export interface Expiring {
  /** The slot the session waits in, or 0 when it does not wait. */
  expirySlot: number;
}

/** Closes sessions whose tokens expired; `expire` runs once per session, from the timer. */
export class ExpirySchedule<S extends Expiring> {
  private readonly slots = new Map<number, Set<S>>();
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(
    private readonly now: () => number,
    private readonly expire: (session: S) => void,
  ) {}

  /** Schedules `session` to expire at `atMs` (epoch milliseconds). */
  add(session: S, atMs: number): void {
    this.remove(session);
    const slot = Math.max(1, Math.ceil(atMs / EXPIRY_SLOT_MS));
    let sessions = this.slots.get(slot);
    if (sessions === undefined) {
      sessions = new Set();
      this.slots.set(slot, sessions);
    }
    sessions.add(session);
    session.expirySlot = slot;
    this.arm(slot);
  }

  /** Forgets `session` (it disconnected). */
  remove(session: S): void {
    const slot = session.expirySlot;
    if (slot === 0) return;
    session.expirySlot = 0;
    const sessions = this.slots.get(slot);
    if (sessions === undefined) return;
    sessions.delete(session);
    if (sessions.size === 0) this.slots.delete(slot);
  }

  /** Sessions waiting (for tests and metrics). */
  get size(): number {
    let total = 0;
    for (const sessions of this.slots.values()) total += sessions.size;
    return total;
  }

  /** Stops the timer (the hub is stopping; its sessions are being closed anyway). */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    this.slots.clear();
  }

  private arm(slot: number): void {
    if (slot >= this.armedFor) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedFor = slot;
    const wait = Math.min(Math.max(0, slot * EXPIRY_SLOT_MS - this.now()), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const current = Math.floor(this.now() / EXPIRY_SLOT_MS);
    let next = Number.POSITIVE_INFINITY;
    const due: S[] = [];
    for (const [slot, sessions] of this.slots) {
      if (slot <= current) {
        this.slots.delete(slot);
        for (const session of sessions) {
          session.expirySlot = 0;
          due.push(session);
        }
      } else if (slot < next) next = slot;
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    for (const session of due) this.expire(session);
  }
}
