import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP, isIPv6, connect as tcpConnect, type Socket } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import {
  DEFAULT_EVIDENCE_BYTES,
  facilityCode,
  formatSyslog,
  UDP_MAX_BYTES,
  type SyslogHeader,
} from './syslog-format.js';
import type { Delivery, SendOutcome, SyslogDestination, Transport } from './types.js';

/** Octet-counting framing of one message on a stream (RFC 6587 §3.4.1): `<length> <message>`. */
export function frameOctetCounted(message: string): Buffer {
  const body = Buffer.from(message);
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
}

const failure = (signal: AbortSignal, error: unknown): SendOutcome => ({
  ok: false,
  retryable: true,
  reason:
    signal.aborted && signal.reason instanceof Error
      ? signal.reason.message
      : error instanceof Error
        ? error.message
        : String(error),
});

/** Settles when `run` calls back, or rejects when `signal` aborts first. */
function untilDone(signal: AbortSignal, run: (done: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    run((error) => {
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    });
  });
}

/** Rejects when `signal` aborts (never settles otherwise). */
function whenAborted(signal: AbortSignal): Promise<never> {
  return untilDone(signal, () => undefined).then(() => {
    throw new Error('aborted');
  });
}

/** Creates the transport sending RFC 5424 + CEF messages to a syslog collector. */
export function createSyslogTransport(destination: SyslogDestination, now: () => number): Transport {
  const kind = destination.transport ?? 'udp';
  const facility = facilityCode(destination.facility);
  if (facility === undefined) throw new Error(`unknown syslog facility ${String(destination.facility)}`);
  const header = (): SyslogHeader => ({
    facility,
    hostname: destination.hostname ?? osHostname(),
    appName: destination.appName ?? 'vigil',
    procId: String(process.pid),
    now: now(),
  });
  const format = (delivery: Delivery) =>
    formatSyslog(delivery.alert, delivery.event, header(), {
      evidenceBytes: DEFAULT_EVIDENCE_BYTES,
      ...(kind === 'udp' ? { maxBytes: UDP_MAX_BYTES } : {}),
    });
  const name = `syslog ${kind}://${destination.host}:${destination.port}`;

  if (kind === 'udp') {
    let socket: UdpSocket | undefined;
    return {
      name,
      async send(delivery, signal) {
        try {
          socket ??= createSocket(isIPv6(destination.host) ? 'udp6' : 'udp4').unref();
          const udp = socket;
          const message = Buffer.from(format(delivery));
          await untilDone(signal, (done) => udp.send(message, destination.port, destination.host, done));
          return { ok: true };
        } catch (error) {
          return failure(signal, error);
        }
      },
      close() {
        socket?.close();
        socket = undefined;
      },
    };
  }

  // One long-lived stream; any error drops it and the next attempt reconnects.
  let stream: Promise<Socket> | undefined;
  const open = (): Promise<Socket> => {
    const opened = new Promise<Socket>((resolve, reject) => {
      const socket =
        kind === 'tls'
          ? tlsConnect({
              host: destination.host,
              port: destination.port,
              // SNI carries host names only (RFC 6066 §3); Node warns when given an address.
              ...(isIP(destination.host) === 0 ? { servername: destination.host } : {}),
              ...destination.tls,
            })
          : tcpConnect({ host: destination.host, port: destination.port });
      socket.once(kind === 'tls' ? 'secureConnect' : 'connect', () => resolve(socket));
      socket.on('error', (error: unknown) => {
        reject(error instanceof Error ? error : new Error(String(error)));
        socket.destroy();
      });
      socket.once('close', () => {
        if (stream === opened) stream = undefined;
      });
      // The stream is one-way (RFC 6587); anything a collector sends back is discarded.
      socket.resume();
    });
    return opened;
  };
  const drop = () => {
    const current = stream;
    stream = undefined;
    current?.then((s) => s.destroy()).catch(() => undefined);
  };
  return {
    name,
    async send(delivery, signal) {
      try {
        stream ??= open();
        const socket = await Promise.race([stream, whenAborted(signal)]);
        const framed = frameOctetCounted(format(delivery));
        await untilDone(signal, (done) => socket.write(framed, (error) => done(error ?? null)));
        return { ok: true };
      } catch (error) {
        drop();
        return failure(signal, error);
      }
    },
    close() {
      drop();
    },
  };
}
