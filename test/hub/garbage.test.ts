/**
 * The hub keeps serving a well-behaved device while another sends garbage: random bytes, a frame
 * announcing 256 MiB, a publish over 256 KiB, a bad property bag, QoS 2 — each closes only the
 * offender's connection and is logged; the good device's QoS 1 messages keep being acknowledged
 * and stored.
 */
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import {
  addIdentity,
  eventually,
  ingestRecords,
  operations,
  startTestHub,
  type TestHub,
} from './support/hub-fixture.js';
import { closed, iotHubUsername, sasToken, tryConnect } from './support/mqtt-client.js';

let t: TestHub;
const keys = new Map<string, string>();

beforeAll(async () => {
  t = await startTestHub();
  for (const id of ['good-dev', 'bad-dev']) keys.set(id, await addIdentity(t.hub, id));
});
afterAll(() => t.stop());

async function connectDevice(deviceId: string): Promise<MqttClient> {
  const result = await tryConnect({
    port: t.mqttsPort,
    ca: t.hub.caCertificatePem,
    clientId: deviceId,
    username: iotHubUsername('localhost', deviceId),
    password: sasToken({ host: 'localhost', deviceId, key: keys.get(deviceId)! }),
  });
  if (!result.connected) throw new Error(result.message);
  return result.client;
}

/** Opens a TLS socket, writes raw bytes, resolves once the hub closed it. */
function rawGarbage(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: '127.0.0.1', port: t.mqttsPort, servername: 'localhost', ca: t.hub.caCertificatePem },
      () => socket.write(bytes),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    setTimeout(() => reject(new Error('the hub kept a garbage connection open')), 5000).unref();
  });
}

/** Deterministic "random" bytes. */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('garbage from one client', () => {
  it('does not stop another device from publishing and being acknowledged', async () => {
    const good = await connectDevice('good-dev');
    const acked: string[] = [];
    let stop = false;
    const publishing = (async () => {
      for (let i = 0; !stop; i++) {
        await good.publishAsync('devices/good-dev/messages/events/', `ok-${i}`, { qos: 1 });
        acked.push(`ok-${i}`);
      }
    })();

    const phase = async (name: string, attack: () => Promise<void>): Promise<void> => {
      const before = acked.length;
      await attack();
      // The good device got acknowledgements while (or right after) the attack ran.
      await eventually(() => (acked.length > before ? true : undefined), 3000).catch(() => {
        throw new Error(`no acknowledgement after ${name}`);
      });
    };

    await phase('random bytes', () => rawGarbage(noise(4096, 7)));
    // PUBLISH announcing a 256 MiB remaining length: closed before anything is buffered.
    await phase('huge frame', () => rawGarbage(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f, 0x00])));
    await phase('oversized message', async () => {
      const bad = await connectDevice('bad-dev');
      const done = closed(bad);
      bad.publish('devices/bad-dev/messages/events/', Buffer.alloc(260 * 1024, 1), { qos: 1 });
      await done;
      bad.end(true);
    });
    await phase('frame over the packet limit', async () => {
      const bad = await connectDevice('bad-dev');
      const done = closed(bad);
      bad.publish('devices/bad-dev/messages/events/', Buffer.alloc(1024 * 1024, 2), { qos: 1 });
      await done;
      bad.end(true);
    });
    await phase('invalid property bag', async () => {
      const bad = await connectDevice('bad-dev');
      const done = closed(bad);
      bad.publish('devices/bad-dev/messages/events/%ZZ=1&a=%E0%A4%A', 'x', { qos: 1 });
      await done;
      bad.end(true);
    });
    await phase('QoS 2', async () => {
      const bad = await connectDevice('bad-dev');
      const done = closed(bad);
      bad.publish('devices/bad-dev/messages/events/', 'x', { qos: 2 });
      await done;
      bad.end(true);
    });

    stop = true;
    await publishing;
    await good.endAsync();

    const stored = new Set(
      (await ingestRecords(t.hub, 'd2c'))
        .filter((r) => r.deviceId === 'good-dev')
        .map((r) => r.body.toString()),
    );
    expect(acked.filter((body) => !stored.has(body))).toEqual([]);
    expect((await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'bad-dev')).toEqual([]);

    const rejected = await eventually(async () => {
      const ops = (await operations(t.hub)).filter(
        (o) => o.deviceId === 'bad-dev' && o.outcome === 'failure',
      );
      return ops.length >= 4 ? ops : undefined;
    });
    expect(rejected.map((o) => o.reason)).toEqual(
      expect.arrayContaining([
        'messageTooLarge',
        'packetTooLarge',
        'malformedPropertyBag',
        'qos2NotSupported',
      ]),
    );
    expect(rejected.find((o) => o.reason === 'messageTooLarge')?.details).toMatchObject({
      bytes: 260 * 1024,
      limit: 256 * 1024,
    });
  });
});
