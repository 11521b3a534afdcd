import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServiceHarness, type ServiceHarness } from '../service-api/testing/service-harness.js';
import { createMethods, type Methods } from './index.js';

const dev = { deviceId: 'dev1', moduleId: null };
const mod = { deviceId: 'dev1', moduleId: 'azureiotsecurity' };
const ridOf = (topic: string): string => topic.slice(topic.indexOf('?$rid=') + 6);

describe('direct methods', () => {
  let h: ServiceHarness;
  let methods: Methods;
  beforeEach(async () => {
    h = await openServiceHarness();
    // 1 "second" = 10 ms keeps timeout tests fast without fake timers.
    methods = createMethods(h.context, { millisPerSecond: 10, maxPendingPerIdentity: 2 });
    await h.store.identities.create({ ...dev, auth: { type: 'certificateAuthority' } });
    await h.store.identities.create({ ...mod, auth: { type: 'certificateAuthority' } });
  });
  afterEach(async () => {
    await methods.close();
    await h.close();
  });

  it('sends the request on the exact topic, and returns the status and payload the device answers', async () => {
    h.channel.connect(dev, ['methods']);
    const result = methods.invoke(dev, { methodName: 'reboot', payload: { delay: 5 } });
    const request = await h.channel.next();
    expect(request.topic).toMatch(/^\$iothub\/methods\/POST\/reboot\/\?\$rid=[0-9a-f]+$/);
    expect(request.qos).toBe(0);
    expect(JSON.parse(request.payload.toString())).toEqual({ delay: 5 });
    await methods.service.handle(
      dev,
      { kind: 'method-response', status: 201, rid: ridOf(request.topic) },
      Buffer.from('{"ok":true}'),
    );
    await expect(result).resolves.toEqual({ status: 201, payload: { ok: true } });
    expect(h.operations.named('methodInvoked')).toMatchObject([
      { outcome: 'success', deviceId: 'dev1', details: { methodName: 'reboot', status: 201 } },
    ]);
  });

  it('sends the 4-byte body null when there is no payload (reference §0 item 2), and reads an empty answer as null', async () => {
    h.channel.connect(mod, ['methods']);
    const result = methods.invoke(mod, { methodName: 'ping' });
    const request = await h.channel.next();
    expect(request.payload.toString()).toBe('null');
    expect(request.identity).toBe('dev1/azureiotsecurity');
    await methods.service.handle(
      mod,
      { kind: 'method-response', status: 200, rid: ridOf(request.topic) },
      Buffer.alloc(0),
    );
    await expect(result).resolves.toEqual({ status: 200, payload: null });
  });

  it('ignores an answer from another identity with the same rid', async () => {
    h.channel.connect(dev, ['methods']);
    const result = methods.invoke(dev, { methodName: 'm', responseTimeoutSeconds: 5 });
    const request = await h.channel.next();
    await methods.service.handle(
      mod,
      { kind: 'method-response', status: 200, rid: ridOf(request.topic) },
      Buffer.from('1'),
    );
    await expect(result).rejects.toMatchObject({ code: 'GATEWAY_TIMEOUT' });
  });

  it('NOT_FOUND for an identity the registry does not know, before anything is sent', async () => {
    await expect(
      methods.invoke({ deviceId: 'ghost', moduleId: null }, { methodName: 'm' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(h.channel.delivered).toEqual([]);
  });

  it('DEVICE_NOT_ONLINE (404103) for an offline device or one not subscribed to methods', async () => {
    await expect(methods.invoke(dev, { methodName: 'm' })).rejects.toMatchObject({
      code: 'DEVICE_NOT_ONLINE',
      status: 404,
      message: expect.stringContaining('404103'),
    });
    h.channel.connect(dev, ['c2d']);
    await expect(methods.invoke(dev, { methodName: 'm' })).rejects.toMatchObject({
      code: 'DEVICE_NOT_ONLINE',
    });
    expect(h.channel.delivered).toEqual([]);
    expect(h.operations.named('methodInvoked')).toMatchObject([
      { outcome: 'failure', reason: 'DEVICE_NOT_ONLINE' },
      { outcome: 'failure', reason: 'DEVICE_NOT_ONLINE' },
    ]);
  });

  it('GATEWAY_TIMEOUT (504101) when the device does not answer in time; a late answer is ignored', async () => {
    h.channel.connect(dev, ['methods']);
    const started = Date.now();
    const error = await methods
      .invoke(dev, { methodName: 'slow', responseTimeoutSeconds: 5 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'GATEWAY_TIMEOUT',
      status: 504,
      message: expect.stringContaining('504101'),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const request = h.channel.delivered[0]!;
    await methods.service.handle(
      dev,
      { kind: 'method-response', status: 200, rid: ridOf(request.topic) },
      Buffer.from('1'),
    );
    expect(methods.pending()).toBe(0);
  });

  it('waits up to the connect timeout for the device to subscribe', async () => {
    const result = methods.invoke(dev, { methodName: 'm', connectTimeoutSeconds: 30 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.channel.delivered).toEqual([]);
    h.channel.connect(dev, ['methods']);
    methods.service.onSubscribed?.(dev, { kind: 'methods' });
    const request = await h.channel.next();
    await methods.service.handle(
      dev,
      { kind: 'method-response', status: 200, rid: ridOf(request.topic) },
      Buffer.from('"hi"'),
    );
    await expect(result).resolves.toEqual({ status: 200, payload: 'hi' });
  });

  it('fails pending invocations when the device disconnects', async () => {
    h.channel.connect(dev, ['methods']);
    const result = methods.invoke(dev, { methodName: 'm', responseTimeoutSeconds: 300 });
    await h.channel.next();
    methods.service.onDisconnected?.(dev);
    await expect(result).rejects.toMatchObject({
      code: 'DEVICE_NOT_ONLINE',
      message: expect.stringContaining('disconnected'),
    });
    expect(methods.pending()).toBe(0);
  });

  it('bounds pending invocations per identity (THROTTLED) and validates the request', async () => {
    h.channel.connect(dev, ['methods']);
    const waiting = [1, 2].map(() =>
      methods.invoke(dev, { methodName: 'm', responseTimeoutSeconds: 300 }).catch((e: unknown) => e),
    );
    await expect(methods.invoke(dev, { methodName: 'm' })).rejects.toMatchObject({
      code: 'THROTTLED',
      status: 429,
    });
    const error = await methods
      .invoke(dev, { methodName: 'bad/name', responseTimeoutSeconds: 1, connectTimeoutSeconds: -1 })
      .catch((e: unknown) => e);
    expect((error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
      'methodName',
      'responseTimeoutInSeconds',
      'connectTimeoutInSeconds',
    ]);
    await expect(
      methods.invoke(dev, { methodName: 'm', payload: 'x'.repeat(200_000) }),
    ).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    await methods.close();
    expect(await Promise.all(waiting)).toMatchObject([
      { code: 'DEVICE_NOT_ONLINE' },
      { code: 'DEVICE_NOT_ONLINE' },
    ]);
  });
});
