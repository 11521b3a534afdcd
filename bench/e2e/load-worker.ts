/**
 * One process of the load generator (started by load-generator.ts): it connects a slice of the
 * devices over raw TCP or TLS sockets with real SAS credentials, then keeps a window of QoS 1
 * PUBLISH packets in flight on every connection — each packet encoded once, only its event ids
 * rewritten in place before a resend — optionally paced to a message rate. No MQTT client library
 * sits on the hot path: a PUBACK is four bytes read by a frame splitter.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { randomInt } from 'node:crypto';
import { serveParent } from './child.js';
import { deviceCredentials, deviceId } from './identities.js';
import { messageTemplate, stampEventIds, type MessageKind, type MessageTemplate } from './messages.js';
import { createFrameSplitter, encodeConnect, encodePublish, PACKET_TYPE } from './wire.js';

/** Where the target listens; `tls` carries the CA to trust and the server name to check. */
export interface TargetAddress {
  readonly host: string;
  readonly port: number;
  readonly tls: { readonly ca: string; readonly servername: string } | null;
}

/** A worker's share of the load. */
export interface WorkerJob {
  readonly target: TargetAddress;
  /** Devices `${group}-${first}` … `${group}-${first + count - 1}`. */
  readonly group: string;
  readonly first: number;
  readonly count: number;
  readonly kind: MessageKind;
  /** QoS 1 messages in flight per connection. */
  readonly window: number;
  /** Source addresses to spread connections over (one loopback address has ~28k ephemeral ports). */
  readonly localAddresses: readonly string[];
  /** CONNECTs awaiting their CONNACK at once. */
  readonly connectConcurrency: number;
}

/** Cumulative counts since the job started. */
export interface WorkerCounters {
  readonly connected: number;
  readonly refused: number;
  readonly failed: number;
  readonly sent: number;
  readonly acked: number;
}

interface Connection {
  readonly socket: Socket;
  readonly topic: string;
  slots: Buffer[];
  payloadOffset: number;
}

// A random sender tag keeps event ids unique for a device across phases that reuse a server.
const sender = randomInt(0, 2 ** 31);
let job: WorkerJob | undefined;
let template: MessageTemplate | undefined;
let connectPackets: Buffer[] = [];
let topics: string[] = [];
const connections: Connection[] = [];
const counters = { connected: 0, refused: 0, failed: 0, sent: 0, acked: 0 };
let attempted = 0;
let connecting = 0;
let wanted = 0;
let running = false;
let rate: number | null = null;
let budget = 0;
let pacer: NodeJS.Timeout | undefined;
const ready: [Connection, number][] = [];
let sequence = 0;

function send(connection: Connection, messageId: number): void {
  const slot = connection.slots[messageId - 1];
  if (slot === undefined || template === undefined) return;
  stampEventIds(slot, connection.payloadOffset, template, sender, sequence++);
  counters.sent++;
  connection.socket.write(slot);
}

function onPuback(connection: Connection, messageId: number): void {
  counters.acked++;
  if (!running) return;
  if (rate === null) send(connection, messageId);
  else ready.push([connection, messageId]);
}

function open(index: number): void {
  const current = job;
  if (current === undefined) return;
  connecting++;
  const { target } = current;
  const localAddress = current.localAddresses[index % current.localAddresses.length];
  const options = {
    host: target.host,
    port: target.port,
    ...(localAddress === undefined ? {} : { localAddress }),
  };
  const socket =
    target.tls === null
      ? connectTcp(options)
      : connectTls({ ...options, ca: target.tls.ca, servername: target.tls.servername });
  socket.setNoDelay(true);
  const connection: Connection = { socket, topic: topics[index] ?? '', slots: [], payloadOffset: 0 };
  let state: 'connecting' | 'connected' | 'done' = 'connecting';
  const settle = (): void => {
    connecting--;
    pump();
  };
  const split = createFrameSplitter((type, body) => {
    if (type === PACKET_TYPE.puback) onPuback(connection, body.readUInt16BE(0));
    else if (type === PACKET_TYPE.connack && state === 'connecting') {
      if (body[1] === 0) {
        state = 'connected';
        counters.connected++;
        connections.push(connection);
      } else {
        state = 'done';
        counters.refused++;
        socket.destroy();
      }
      settle();
    }
  });
  socket.on('data', (chunk: Buffer) => {
    // Resends triggered by one chunk of PUBACKs leave in one write.
    socket.cork();
    split(chunk);
    socket.uncork();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (state === 'connecting') {
      counters.failed++;
      settle();
    } else if (state === 'connected') counters.connected--;
    state = 'done';
  });
  socket.write(connectPackets[index] ?? Buffer.alloc(0));
}

/** Opens connections until `wanted` were attempted, `connectConcurrency` at a time. */
function pump(): void {
  const current = job;
  if (current === undefined) return;
  while (attempted < Math.min(wanted, current.count) && connecting < current.connectConcurrency)
    open(attempted++);
}

function startPacer(): void {
  let last = performance.now();
  pacer = setInterval(() => {
    const now = performance.now();
    budget = Math.min(budget + ((rate ?? 0) * (now - last)) / 1000, Math.max(1, (rate ?? 0) / 20));
    last = now;
    while (budget >= 1 && ready.length > 0) {
      const next = ready.shift();
      if (next !== undefined) send(next[0], next[1]);
      budget--;
    }
  }, 5);
}

serveParent({
  /** Takes the job and pre-encodes every CONNECT (tokens signed here, before anything is timed). */
  prepare(given: WorkerJob) {
    job = given;
    template = messageTemplate(given.kind);
    const credentials = Array.from({ length: given.count }, (_, i) =>
      deviceCredentials(deviceId(given.group, given.first + i), template?.properties ?? {}),
    );
    connectPackets = credentials.map((c) => encodeConnect(c.clientId, c.username, c.password));
    topics = credentials.map((c) => c.topic);
    return given.count;
  },
  /** Connects more devices until `upTo` of this worker's devices were tried; returns at once. */
  connect(upTo: number) {
    wanted = upTo;
    pump();
    return attempted;
  },
  /** Starts publishing on every connected device; `ratePerSecond` null means as fast as acknowledged. */
  go(ratePerSecond: number | null) {
    if (template === undefined) throw new Error('prepare first');
    rate = ratePerSecond;
    running = true;
    for (const connection of connections) {
      if (connection.slots.length === 0) {
        for (let id = 1; id <= (job?.window ?? 1); id++) {
          const { packet, payloadOffset } = encodePublish(connection.topic, template.body, id);
          connection.slots.push(packet);
          connection.payloadOffset = payloadOffset;
        }
      }
      for (let id = 1; id <= connection.slots.length; id++) {
        if (rate === null) send(connection, id);
        else ready.push([connection, id]);
      }
    }
    if (rate !== null) startPacer();
    return connections.length;
  },
  counters(): WorkerCounters {
    return { ...counters };
  },
  /** Stops sending, closes every socket and reports the final counts. */
  close(): WorkerCounters {
    running = false;
    clearInterval(pacer);
    for (const connection of connections) connection.socket.destroy();
    return { ...counters };
  },
});
