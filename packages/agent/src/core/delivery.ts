/**
 * Getting messages to the hub: send while the module is ACTIVE, otherwise (or when a send fails)
 * append to the disk buffer; once ACTIVE again, deliver what the disk holds first, oldest first,
 * deleting each record only after the sender confirmed it. Connectivity problems drive the state
 * machine exactly as reference/azure-security-module.md §1.4 says: a message ready with no hub
 * connected moves ACTIVE → PENDING; a failed send while connected is retried after the retry time.
 */
import type { OutgoingMessage } from './batcher.js';
import type { Clock } from './clock.js';
import type { DiskBuffer, RecordPosition } from './disk-buffer.js';
import type { CoreLogger } from './logger.js';
import { decodeMessageRecord, encodeMessageRecord } from './message-record.js';
import type { StateMachine } from './state-machine.js';

/**
 * The transport as the core sees it. `send` resolves once the hub acknowledged the message (QoS 1
 * PUBACK) and rejects otherwise; `isConnected` says whether any hub client is connected now.
 */
export interface Sender {
  send(message: OutgoingMessage): Promise<void>;
  isConnected(): boolean;
}

/** Send counters since the last statistics report (MessageStatistics, §2.2). */
export interface MessageCounters {
  readonly messagesSent: number;
  /** Messages whose body is under 4096 bytes (the C agent's definition, §2.2). */
  readonly messagesUnder4Kb: number;
  readonly totalFailed: number;
}

/** Options for {@link createDelivery}. */
export interface DeliveryOptions {
  readonly clock: Clock;
  readonly sender: Sender;
  readonly disk: DiskBuffer;
  readonly machine: StateMachine;
  readonly retryTimeMs: () => number;
  readonly logger: CoreLogger;
}

/** The delivery pump. */
export interface Delivery {
  /** Hands over newly built messages. */
  submit(messages: readonly OutgoingMessage[]): void;
  /** Tries to make progress now (state changed, a retry is due). */
  kick(): void;
  /** Resolves when no delivery work is running. */
  idle(): Promise<void>;
  /**
   * Messages held only in memory: handed over but neither acknowledged by the hub nor yet fsync'ed
   * to the disk buffer (a crash now would lose them).
   */
  readonly unsavedMessages: number;
  takeCounters(): MessageCounters;
}

const DISK_READ_BATCH = 16;

/** A pump over `disk` and `sender`, steered by `machine`. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { clock, sender, disk, machine, logger } = options;
  const outbox: OutgoingMessage[] = [];
  let pumping: Promise<void> | undefined;
  let persisting = 0;
  let retryAt = 0;
  let sent = 0;
  let under4k = 0;
  let failed = 0;

  async function trySend(message: OutgoingMessage): Promise<boolean> {
    try {
      await sender.send(message);
      sent += 1;
      if (message.body.byteLength < 4096) under4k += 1;
      return true;
    } catch (error) {
      failed += 1;
      const reason = error instanceof Error ? error.message : String(error);
      if (!sender.isConnected()) machine.hubUnreachable(`send failed: ${reason}`);
      else retryAt = clock.now() + options.retryTimeMs();
      logger.log('warn', 'message not delivered; kept on disk', { reason, state: machine.state });
      return false;
    }
  }

  /** True when sending may be attempted; otherwise tells the state machine a message is waiting. */
  function maySend(): boolean {
    if (machine.state === 'ACTIVE' && !sender.isConnected()) machine.messageReady();
    return machine.state === 'ACTIVE' && clock.now() >= retryAt;
  }

  async function persistOutbox(): Promise<void> {
    if (outbox.length === 0) return;
    const batch = outbox.splice(0);
    persisting += batch.length;
    let dropped: number;
    try {
      ({ dropped } = await disk.append(batch.map(encodeMessageRecord)));
    } finally {
      persisting -= batch.length;
    }
    if (dropped > 0) logger.log('warn', 'disk buffer full: oldest messages dropped', { dropped });
  }

  /**
   * Sends a batch of the oldest disk records. Delivery is acknowledged once per batch (one cursor
   * write and fsync instead of one per message); a crash in between re-sends at most a batch, which
   * the hub tolerates (idempotent by message and event id).
   */
  async function drainDisk(): Promise<void> {
    const records = await disk.read(DISK_READ_BATCH);
    let delivered: RecordPosition | undefined;
    try {
      for (const record of records) {
        const message = decodeMessageRecord(record.data);
        if (message === undefined) logger.log('warn', 'unreadable disk buffer record skipped');
        else if (!(await trySend(message))) return;
        delivered = record.position;
        if (!maySend()) return;
      }
    } finally {
      if (delivered !== undefined) await disk.acknowledge(delivered);
    }
  }

  async function pump(): Promise<void> {
    for (;;) {
      if (!maySend()) {
        await persistOutbox();
        machine.messageReady();
        if (!maySend()) return;
      }
      if (disk.pendingRecords > 0) {
        await drainDisk();
        continue;
      }
      const message = outbox.shift();
      if (message === undefined) return;
      if (!(await trySend(message))) outbox.unshift(message);
    }
  }

  function kick(): void {
    if (pumping !== undefined) return;
    if (outbox.length === 0 && (disk.pendingRecords === 0 || machine.state !== 'ACTIVE')) return;
    pumping = pump()
      .catch((error: unknown) => {
        logger.log('error', 'delivery failed', {
          reason: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        pumping = undefined;
      });
  }

  return {
    submit(messages) {
      outbox.push(...messages);
      kick();
    },
    kick,
    async idle() {
      while (pumping !== undefined) await pumping;
    },
    get unsavedMessages() {
      return outbox.length + persisting;
    },
    takeCounters() {
      const counters = { messagesSent: sent, messagesUnder4Kb: under4k, totalFailed: failed };
      sent = 0;
      under4k = 0;
      failed = 0;
      return counters;
    },
  };
}
