/**
 * One MQTT 3.1.1 session over one TCP or TLS socket (no reconnects: the connection above owns
 * retries and credentials). Publishes at QoS 0 or 1 with PUBACK callbacks, single-filter
 * subscriptions, QoS 1 deliveries acknowledged, keep-alive PINGs, a connect timeout. Node built-ins
 * only, so the agent stays small (see mqtt-packets.ts).
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import {
  createPacketReader,
  DISCONNECT,
  encodeConnect,
  encodePuback,
  encodePublish,
  encodeSubscribe,
  PINGREQ,
  type ConnectFields,
  type IncomingPacket,
} from './mqtt-packets.js';

/** Where and how to connect. */
export interface MqttWireOptions extends ConnectFields {
  readonly host: string;
  readonly port: number;
  /** TLS settings, or false for plain TCP. The server name is checked unless the host is an IP. */
  readonly tls:
    | false
    | { readonly ca?: string; readonly servername?: string; readonly cert?: string; readonly key?: string };
  readonly connectTimeoutMs: number;
}

/** What the session reports. */
export interface MqttWireHandlers {
  /** CONNACK with return code 0. */
  connect(): void;
  message(topic: string, payload: Buffer): void;
  /** Something went wrong; `close` follows. */
  error(error: Error): void;
  /** The socket is gone (always called once). */
  close(): void;
}

/** A live session. */
export interface MqttWire {
  publish(topic: string, payload: Uint8Array, qos: 0 | 1, done: (error?: Error) => void): void;
  subscribe(filter: string, qos: 0 | 1, done: (error?: Error) => void): void;
  /** Sends DISCONNECT (unless `force`) and closes. */
  end(force: boolean): void;
}

/** CONNACK return codes (MQTT 3.1.1 §3.2.2.3). */
const REFUSALS = [
  '',
  'unacceptable protocol version',
  'identifier rejected',
  'server unavailable',
  'bad user name or password',
  'not authorized',
];

/** Opens a session; events arrive through `handlers`. */
export function dialMqtt(options: MqttWireOptions, handlers: MqttWireHandlers): MqttWire {
  const socket: Socket =
    options.tls === false
      ? connectTcp({ host: options.host, port: options.port })
      : connectTls({
          host: options.host,
          port: options.port,
          rejectUnauthorized: true,
          ...(options.tls.servername === undefined ? {} : { servername: options.tls.servername }),
          ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
          ...(options.tls.cert === undefined ? {} : { cert: options.tls.cert, key: options.tls.key }),
        });
  const waiting = new Map<number, (error?: Error) => void>();
  let nextId = 1;
  let connected = false;
  let closed = false;
  let awaitingPong = false;
  let keepalive: NodeJS.Timeout | undefined;

  const fail = (error: Error): void => {
    if (closed) return;
    handlers.error(error);
    socket.destroy();
  };
  const connectTimer = setTimeout(() => fail(new Error('no CONNACK in time')), options.connectTimeoutMs);
  connectTimer.unref();

  const armKeepalive = (): void => {
    if (options.keepaliveSeconds <= 0 || closed) return;
    clearTimeout(keepalive);
    keepalive = setTimeout(() => {
      if (awaitingPong) return fail(new Error('keep-alive: no PINGRESP from the hub'));
      awaitingPong = true;
      write(PINGREQ);
    }, options.keepaliveSeconds * 1000);
    keepalive.unref();
  };
  const write = (bytes: Buffer): void => {
    if (closed) return;
    socket.write(bytes);
    armKeepalive();
  };
  const allocateId = (): number => {
    for (let tries = 0; tries < 65_535; tries += 1) {
      const id = nextId;
      nextId = nextId >= 65_535 ? 1 : nextId + 1;
      if (!waiting.has(id)) return id;
    }
    throw new Error('no free MQTT packet id');
  };

  const onPacket = (packet: IncomingPacket): void => {
    switch (packet.type) {
      case 'connack':
        clearTimeout(connectTimer);
        if (packet.returnCode !== 0) {
          const reason = REFUSALS[packet.returnCode] ?? `return code ${packet.returnCode}`;
          return fail(new Error(`connection refused: ${reason}`));
        }
        connected = true;
        return handlers.connect();
      case 'publish':
        if (packet.qos === 1 && packet.packetId !== undefined) write(encodePuback(packet.packetId));
        return handlers.message(packet.topic, packet.payload);
      case 'puback':
      case 'suback': {
        const done = waiting.get(packet.packetId);
        waiting.delete(packet.packetId);
        const refused = packet.type === 'suback' && packet.granted.some((g) => g === 0x80);
        return done?.(refused ? new Error('subscription refused') : undefined);
      }
      case 'pingresp':
        awaitingPong = false;
        return;
      case 'other':
        return;
    }
  };
  const read = createPacketReader(onPacket);

  socket.once(options.tls === false ? 'connect' : 'secureConnect', () => {
    socket.setNoDelay(true);
    write(encodeConnect(options));
  });
  socket.on('data', (chunk: Buffer) => {
    try {
      read(chunk);
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  });
  socket.on('error', (error) => {
    if (!closed) handlers.error(error);
  });
  socket.on('close', () => {
    if (closed) return;
    closed = true;
    clearTimeout(connectTimer);
    clearTimeout(keepalive);
    const error = new Error('the connection closed');
    for (const done of waiting.values()) done(error);
    waiting.clear();
    handlers.close();
  });

  return {
    publish(topic, payload, qos, done) {
      if (!connected || closed) return done(new Error('not connected'));
      if (qos === 0) {
        write(encodePublish(topic, payload, 0));
        return done();
      }
      const id = allocateId();
      waiting.set(id, done);
      write(encodePublish(topic, payload, 1, id));
    },
    subscribe(filter, qos, done) {
      if (!connected || closed) return done(new Error('not connected'));
      const id = allocateId();
      waiting.set(id, done);
      write(encodeSubscribe(id, filter, qos));
    },
    end(force) {
      if (closed) return;
      if (!force && connected) socket.end(DISCONNECT);
      else socket.destroy();
    },
  };
}
