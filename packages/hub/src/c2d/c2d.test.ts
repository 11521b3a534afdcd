import { parsePropertyBag } from '@vigil/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServiceHarness, type ServiceHarness } from '../service-api/testing/service-harness.js';
import { createC2d, type C2d } from './index.js';

const dev = { deviceId: 'dev1', moduleId: null };
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

describe('cloud-to-device', () => {
  let h: ServiceHarness;
  let c2d: C2d;
  beforeEach(async () => {
    h = await openServiceHarness();
    c2d = createC2d(h.context, { maxDepth: 3, sweepIntervalMs: 0, maxDeliveryCount: 2 });
    await h.store.identities.create({ ...dev, auth: { type: 'certificateAuthority' } });
  });
  afterEach(async () => {
    await c2d.close();
    await h.close();
  });

  it('delivers to a connected, subscribed device on the devicebound topic with %24. system keys and settles on PUBACK', async () => {
    h.channel.connect(dev, ['c2d']);
    h.channel.autoAck = false;
    const sent = await c2d.send('dev1', {
      body: Buffer.from('hello'),
      messageId: 'm-1',
      correlationId: 'c 1',
      contentType: 'application/json',
      properties: { color: 'red&blue', empty: '' },
    });
    const delivery = await h.channel.next();
    expect(delivery.qos).toBe(1);
    expect(delivery.payload.toString()).toBe('hello');
    const prefix = 'devices/dev1/messages/devicebound/';
    expect(delivery.topic.startsWith(prefix)).toBe(true);
    const bag = delivery.topic.slice(prefix.length);
    expect(bag).toMatch(
      /^%24\.mid=m-1&%24\.cid=c%201&%24\.to=%2Fdevices%2Fdev1%2Fmessages%2Fdevicebound&%24\.ct=application%2Fjson&%24\.exp=/,
    );
    expect(parsePropertyBag(bag)).toEqual({
      system: {
        messageId: 'm-1',
        correlationId: 'c 1',
        to: '/devices/dev1/messages/devicebound',
        contentType: 'application/json',
        expiryTimeUtc: new Date(h.now + 3_600_000).toISOString(),
      },
      application: { color: 'red&blue', empty: '' },
    });
    expect((await h.store.c2d.get(sent.id))?.state).toBe('queued');
    h.channel.ack();
    await settle();
    expect((await h.store.c2d.get(sent.id))?.state).toBe('delivered');
    expect(h.operations.recorded.map((o) => o.operation)).toEqual(['c2dSent', 'c2dDelivered']);
  });

  it('keeps the trailing slash when there are no properties (reference §0 item 5)', async () => {
    h.channel.connect(dev, ['c2d-any-device']);
    await c2d.send('dev1', { body: Buffer.from('x') });
    const delivery = await h.channel.next();
    expect(delivery.topic).toMatch(/^devices\/dev1\/messages\/devicebound\/%24\.to=/);
  });

  it('queues while the device is offline and delivers in order once it subscribes', async () => {
    await c2d.send('dev1', { body: Buffer.from('1') });
    await c2d.send('dev1', { body: Buffer.from('2') });
    expect(h.channel.delivered).toEqual([]);
    h.channel.connect(dev, ['c2d']);
    c2d.service.onSubscribed?.(dev, { kind: 'c2d', deviceId: 'dev1' });
    await h.channel.next(1);
    expect(h.channel.delivered.map((d) => d.payload.toString())).toEqual(['1', '2']);
  });

  it('leaves a message queued when the device drops before its PUBACK, and rejects it after maxDeliveryCount', async () => {
    h.channel.connect(dev, ['c2d']);
    h.channel.autoAck = false;
    const sent = await c2d.send('dev1', { body: Buffer.from('x') });
    await h.channel.next();
    h.channel.drop(dev);
    await settle();
    expect((await h.store.c2d.get(sent.id))?.state).toBe('queued');
    h.channel.connect(dev, ['c2d']);
    c2d.service.onSubscribed?.(dev, { kind: 'c2d', deviceId: 'dev1' });
    await h.channel.next(1);
    h.channel.drop(dev);
    await settle();
    h.channel.connect(dev, ['c2d']);
    c2d.service.onSubscribed?.(dev, { kind: 'c2d', deviceId: 'dev1' });
    await settle();
    expect((await h.store.c2d.get(sent.id))?.state).toBe('rejected');
    expect(h.operations.named('c2dRejected')).toMatchObject([
      { outcome: 'failure', reason: 'maxDeliveryCountExceeded' },
    ]);
  });

  it('refuses a message past the queue depth with QUEUE_FULL and records c2dRejected', async () => {
    for (let i = 0; i < 3; i++) await c2d.send('dev1', { body: Buffer.from(String(i)) });
    await expect(c2d.send('dev1', { body: Buffer.from('4') })).rejects.toMatchObject({
      code: 'QUEUE_FULL',
      status: 403,
    });
    expect(h.operations.named('c2dRejected')).toMatchObject([{ reason: 'queueFull', deviceId: 'dev1' }]);
  });

  it('purges the queue, returning IoT Hub’s answer, and nothing purged is delivered', async () => {
    await c2d.send('dev1', { body: Buffer.from('a') });
    await c2d.send('dev1', { body: Buffer.from('b') });
    await expect(c2d.purge('dev1')).resolves.toEqual({
      deviceId: 'dev1',
      moduleId: null,
      totalMessagesPurged: 2,
    });
    h.channel.connect(dev, ['c2d']);
    c2d.service.onSubscribed?.(dev, { kind: 'c2d', deviceId: 'dev1' });
    await settle();
    expect(h.channel.delivered).toEqual([]);
    expect(h.operations.named('c2dPurged')).toMatchObject([{ details: { count: 2 } }]);
  });

  it('expires messages past their TTL in the sweep and never delivers them', async () => {
    await c2d.send('dev1', { body: Buffer.from('short'), ttlSeconds: 10 });
    await c2d.send('dev1', { body: Buffer.from('long'), ttlSeconds: 100 });
    h.now += 11_000;
    await expect(c2d.sweep()).resolves.toBe(1);
    expect(h.operations.named('c2dExpired')).toMatchObject([{ details: { count: 1 } }]);
    h.channel.connect(dev, ['c2d']);
    c2d.service.onSubscribed?.(dev, { kind: 'c2d', deviceId: 'dev1' });
    await h.channel.next();
    await settle();
    expect(h.channel.delivered.map((d) => d.payload.toString())).toEqual(['long']);
  });

  it('validates every field and refuses unknown devices and modules', async () => {
    const error = await c2d
      .send('dev1', { body: Buffer.from('x'), ack: 'sometimes', ttlSeconds: 0, properties: { '$.mid': 'x' } })
      .catch((e: unknown) => e);
    expect((error as { details: { path: string }[] }).details.map((d) => d.path).sort()).toEqual([
      'ack',
      'properties.$.mid',
      'ttlSeconds',
    ]);
    await expect(c2d.send('ghost', { body: Buffer.from('x') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(c2d.send('dev1', { body: Buffer.alloc(70_000) })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(h.operations.named('c2dRejected')).toMatchObject([{ reason: 'messageTooLarge' }]);
  });
});
