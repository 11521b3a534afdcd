import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { HubConfig } from '../config/index.js';
import { HubError } from '../errors/index.js';
import type { TlsMaterial } from '../tls/index.js';
import { contextOf, type ConnectionContext } from './connection-context.js';
import { guardedConnection } from './frame-guard.js';

/** The path the SDKs open for MQTT over WebSocket (reference/iothub-mqtt.md §1.1). */
export const WEBSOCKET_PATH = '/$iothub/websocket';

/** The ports the listeners actually bound (port 0 in the options picks one). */
export interface ListenerAddresses {
  readonly mqtts: { readonly host: string; readonly port: number } | null;
  readonly wss: { readonly host: string; readonly port: number } | null;
  readonly mqtt: { readonly host: string; readonly port: number } | null;
}

/** Running listeners. */
export interface Listeners {
  readonly addresses: ListenerAddresses;
  /** Stops accepting; open connections are left to the broker to close. */
  close(): Promise<void>;
}

/** Hands one new connection, with its context, to the MQTT broker. */
export type ConnectionHandler = (connection: Duplex, context: ConnectionContext) => void;

type AnyServer = TlsServer | TcpServer | HttpsServer;

function listen(
  server: AnyServer,
  port: number,
  host: string,
  name: string,
): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void =>
      reject(
        new HubError('LISTEN_FAILED', `${name} listener cannot bind ${host}:${port}: ${error.message}`, {
          cause: error,
        }),
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve({ host, port: typeof address === 'object' && address !== null ? address.port : port });
    });
  });
}

function close(server: AnyServer | undefined): Promise<void> {
  if (server === undefined) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Starts the listeners: MQTT over TLS, MQTT over secure WebSocket on {@link WEBSOCKET_PATH} (any
 * query, sub-protocol `mqtt` in any case), and plain MQTT only when configured. TLS servers request
 * a client certificate without requiring one, so X.509 devices can authenticate and SAS devices
 * need none (reference/iothub-mqtt.md §1.4, §2). Every connection passes a frame-size guard.
 */
export async function startListeners(options: {
  readonly config: HubConfig;
  readonly tls: TlsMaterial;
  readonly onConnection: ConnectionHandler;
}): Promise<Listeners> {
  const { config, tls } = options;
  const tlsOptions = {
    cert: tls.certificatePem,
    key: tls.privateKeyPem,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2' as const,
    // A handshake counts against the same budget as the wait for CONNECT.
    handshakeTimeout: config.limits.connectTimeoutMs,
  };
  const guard = (socket: Duplex): Duplex => guardedConnection(socket, config.limits.maxPacketBytes);
  const servers: AnyServer[] = [];
  let wsServer: WebSocketServer | undefined;
  const addresses: { -readonly [K in keyof ListenerAddresses]: ListenerAddresses[K] } = {
    mqtts: null,
    wss: null,
    mqtt: null,
  };
  try {
    if (config.listeners.mqtts) {
      const server = createTlsServer(tlsOptions, (socket: TLSSocket) =>
        options.onConnection(guard(socket), contextOf(socket, 'mqtt', socket)),
      );
      server.maxConnections = config.limits.maxConnections;
      // A failed handshake is the client's problem, not the hub's.
      server.on('tlsClientError', (_error, socket) => socket.destroy());
      servers.push(server);
      addresses.mqtts = await listen(
        server,
        config.listeners.mqtts.port,
        config.listeners.mqtts.host,
        'MQTT/TLS',
      );
    }
    if (config.listeners.wss) {
      const server = createHttpsServer(tlsOptions);
      server.maxConnections = config.limits.maxConnections;
      server.on('tlsClientError', (_error, socket) => socket.destroy());
      wsServer = new WebSocketServer({
        server,
        path: WEBSOCKET_PATH,
        maxPayload: config.limits.maxPacketBytes,
        // Node sends `mqtt`, the C SDK `MQTT` (reference/iothub-mqtt.md §1.1).
        handleProtocols: (protocols) => [...protocols].find((p) => p.toLowerCase() === 'mqtt') ?? false,
      });
      // ws re-emits the HTTP server's errors; binding errors are reported by listen() below.
      wsServer.on('error', () => undefined);
      wsServer.on('connection', (ws, request) => {
        const stream = createWebSocketStream(ws);
        stream.on('error', () => ws.terminate());
        const socket = request.socket as TLSSocket;
        options.onConnection(guard(stream), contextOf(socket, 'mqtt-ws', socket));
      });
      servers.push(server);
      addresses.wss = await listen(
        server,
        config.listeners.wss.port,
        config.listeners.wss.host,
        'MQTT/WebSocket',
      );
    }
    if (config.listeners.mqtt) {
      const server = createTcpServer((socket: Socket) =>
        options.onConnection(guard(socket), contextOf(socket, 'mqtt')),
      );
      server.maxConnections = config.limits.maxConnections;
      servers.push(server);
      addresses.mqtt = await listen(server, config.listeners.mqtt.port, config.listeners.mqtt.host, 'MQTT');
    }
  } catch (error) {
    await Promise.all(servers.map(close));
    throw error;
  }
  return {
    addresses,
    async close() {
      if (wsServer !== undefined) {
        for (const client of wsServer.clients) client.terminate();
        await new Promise<void>((resolve) => wsServer?.close(() => resolve()));
      }
      for (const server of servers) {
        if ('closeAllConnections' in server) server.closeAllConnections();
      }
      await Promise.all(servers.map(close));
    },
  };
}
