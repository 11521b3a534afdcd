/**
 * Bare Mosquitto, the peer: Debian's `mosquitto` started on free loopback ports with a generated
 * configuration — no authentication (any username/password is accepted), no persistence — with a
 * plain listener and a TLS listener on the same certificate the hub uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { ListenTls } from './listen.js';

/** Where Debian installs the broker. */
export const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';

/** A running Mosquitto. */
export interface Mosquitto {
  readonly process: ChildProcess;
  readonly port: number;
  readonly tlsPort: number;
  readonly version: string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the broker binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function accepting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts Mosquitto in `dir` (config and certificate files go there); undefined when not installed. */
export async function startMosquitto(dir: string, tls: ListenTls): Promise<Mosquitto | undefined> {
  if (!existsSync(MOSQUITTO_BINARY)) return undefined;
  const port = await freePort();
  const tlsPort = await freePort();
  writeFileSync(join(dir, 'cert.pem'), tls.certificatePem);
  writeFileSync(join(dir, 'key.pem'), tls.privateKeyPem);
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      // Started as root, Mosquitto would switch to the `mosquitto` user and lose the key in our 0700 directory.
      `user ${userInfo().username}`,
      'per_listener_settings false',
      'allow_anonymous true',
      'persistence false',
      'log_dest none',
      'max_connections -1',
      'set_tcp_nodelay true',
      `listener ${port} 0.0.0.0`,
      `listener ${tlsPort} 0.0.0.0`,
      `certfile ${join(dir, 'cert.pem')}`,
      `keyfile ${join(dir, 'key.pem')}`,
      '',
    ].join('\n'),
  );
  const child = spawn(MOSQUITTO_BINARY, ['-c', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const version = await new Promise<string>((resolve) => {
    const probe = spawn(MOSQUITTO_BINARY, ['-h'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    probe.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    probe.on('close', () => resolve(/mosquitto version (\S+)/.exec(out)?.[1] ?? 'unknown'));
  });
  await accepting(port, 5000);
  await accepting(tlsPort, 5000);
  return {
    process: child,
    port,
    tlsPort,
    version,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
