/**
 * `startServer` passes the hub's limits through: a server deployment can hold more than the hub's
 * default 10,000 connections (the P2 goal is 100,000), and the cap it is given is the one enforced.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeSecurityMessage } from '@vigil/protocol';
import { startServer } from './start-server.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-hub-limits-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A TCP connection to the plain MQTT listener, open once the handshake is done. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves true if the server closes the socket before it is ended here. */
function closedByServer(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => socket.once('close', () => resolve(true)));
}

describe('hub limits through startServer', () => {
  it('applies the configured connection cap instead of the hub default', async () => {
    const server = await startServer({
      dataDir: dir,
      listeners: { mqtts: false, wss: false, mqtt: { port: 0, host: '127.0.0.1' } },
      hubLimits: { maxConnections: 2 },
      api: { port: 0 },
      decode: decodeSecurityMessage,
      logger: false,
    });
    const sockets: Socket[] = [];
    try {
      expect(server.hub.config.limits.maxConnections).toBe(2);
      const port = server.hub.addresses.mqtt?.port ?? 0;
      sockets.push(await open(port), await open(port));
      const third = await open(port);
      sockets.push(third);
      // The listener drops a connection beyond the cap at once; the first two stay open.
      expect(await closedByServer(third)).toBe(true);
      expect(sockets[0]!.destroyed || sockets[1]!.destroyed).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.stop();
    }
  });

  it('keeps the hub default when no limits are given, and refuses limits the hub does not accept', async () => {
    const server = await startServer({
      dataDir: dir,
      listeners: { mqtts: false, wss: false, mqtt: { port: 0, host: '127.0.0.1' } },
      api: { port: 0 },
      decode: decodeSecurityMessage,
      logger: false,
    });
    try {
      expect(server.hub.config.limits.maxConnections).toBe(10_000);
    } finally {
      await server.stop();
    }
    await expect(
      startServer({
        dataDir: join(dir, 'second'),
        listeners: { mqtts: false, wss: false, mqtt: { port: 0, host: '127.0.0.1' } },
        hubLimits: { maxConnections: 0 },
        api: { port: 0 },
        decode: decodeSecurityMessage,
        logger: false,
      }),
    ).rejects.toThrow(/limits\.maxConnections/);
  });
});
