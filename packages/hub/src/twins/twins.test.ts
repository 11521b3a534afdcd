import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceTopic } from '../contract/index.js';
import { openServiceHarness, type ServiceHarness } from '../service-api/testing/service-harness.js';
import { createTwins, type Twins } from './index.js';

const dev = { deviceId: 'dev1', moduleId: null };
const mod = { deviceId: 'dev1', moduleId: 'azureiotsecurity' };
const json = (payload: Buffer): unknown => JSON.parse(payload.toString('utf8'));
const get = (rid: string): ServiceTopic => ({ kind: 'twin-get', rid });
const patch = (rid: string): ServiceTopic => ({ kind: 'twin-patch-reported', rid });

describe('twins', () => {
  let h: ServiceHarness;
  let twins: Twins;
  beforeEach(async () => {
    h = await openServiceHarness();
    twins = createTwins(h.context);
    await h.store.identities.create({ ...dev, auth: { type: 'certificateAuthority' } });
    await h.store.identities.create({ ...mod, auth: { type: 'certificateAuthority' } });
    h.channel.connect(dev, ['twin-responses', 'twin-desired']);
  });
  afterEach(() => h.close());

  it('answers GET of a fresh twin with 200, the rid echoed and both $versions', async () => {
    await twins.service.handle(dev, get('a1b2-UUID'), Buffer.from(' '));
    const [response] = h.channel.delivered;
    expect(response?.topic).toBe('$iothub/twin/res/200/?$rid=a1b2-UUID');
    expect(response?.qos).toBe(0);
    expect(json(response!.payload)).toEqual({ desired: { $version: 1 }, reported: { $version: 1 } });
  });

  it('answers a reported PATCH with 204 and the new $version, and GET then shows it', async () => {
    await twins.service.handle(dev, patch('7'), Buffer.from(JSON.stringify({ fw: '1.2', nested: { a: 1 } })));
    await twins.service.handle(
      dev,
      patch('8'),
      Buffer.from(JSON.stringify({ nested: { a: null, b: true } })),
    );
    expect(h.channel.delivered.map((d) => d.topic)).toEqual([
      '$iothub/twin/res/204/?$rid=7&$version=2',
      '$iothub/twin/res/204/?$rid=8&$version=3',
    ]);
    expect(h.channel.delivered[0]?.payload.length).toBe(0);
    await twins.service.handle(dev, get('9'), Buffer.alloc(0));
    expect(json(h.channel.delivered[2]!.payload)).toEqual({
      desired: { $version: 1 },
      reported: { fw: '1.2', nested: { b: true }, $version: 3 },
    });
    expect(h.operations.named('twinUpdated').map((o) => o.details)).toEqual([
      { section: 'reported', version: 2, by: 'device' },
      { section: 'reported', version: 3, by: 'device' },
    ]);
  });

  it.each([
    ['invalid JSON', '{"a":'],
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['a key with $', '{"$bad":1}'],
    ['a key with a dot', '{"a.b":1}'],
    ['an integer beyond 2^52', '{"a":4503599627370496}'],
  ])('answers 400 with an errorCode body for %s and changes nothing', async (_what, body) => {
    await twins.service.handle(dev, patch('5'), Buffer.from(body));
    const [response] = h.channel.delivered;
    expect(response?.topic).toBe('$iothub/twin/res/400/?$rid=5');
    expect(json(response!.payload)).toMatchObject({ errorCode: 400004, message: expect.any(String) });
    expect(await h.store.twins.get(dev)).toBeUndefined();
    expect(h.operations.named('twinUpdated')).toMatchObject([
      {
        outcome: 'failure',
        reason: expect.stringMatching(/^invalid(Json|Patch)$/),
        details: { status: 400 },
      },
    ]);
  });

  it('refuses nesting deeper than 10 and a reported section over 32 KB (413)', async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10; i++) deep = { [`l${i}`]: deep };
    await twins.service.handle(dev, patch('1'), Buffer.from(JSON.stringify(deep)));
    expect(h.channel.delivered[0]?.topic).toBe('$iothub/twin/res/400/?$rid=1');
    const big = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'x'.repeat(4000)]));
    await twins.service.handle(dev, patch('2'), Buffer.from(JSON.stringify(big)));
    expect(h.channel.delivered[1]?.topic).toBe('$iothub/twin/res/413/?$rid=2');
    expect(json(h.channel.delivered[1]!.payload)).toMatchObject({ errorCode: 413002 });
  });

  it('sends no response to a device that did not subscribe to twin responses', async () => {
    h.channel.connect(dev, ['twin-desired']);
    await twins.service.handle(dev, get('1'), Buffer.alloc(0));
    expect(h.channel.delivered).toEqual([]);
  });

  it('pushes a desired change to a subscribed device with the version in the topic and body', async () => {
    const view = await twins.update(dev, { desired: { interval: 30, gone: null } });
    expect(view.properties.desired).toEqual({ interval: 30, $version: 2 });
    const [push] = h.channel.delivered;
    expect(push?.topic).toBe('$iothub/twin/PATCH/properties/desired/?$version=2');
    expect(json(push!.payload)).toEqual({ interval: 30, gone: null, $version: 2 });
  });

  it('does not push desired changes to an identity that is offline or not subscribed', async () => {
    await twins.update(mod, { desired: { a: 1 } });
    h.channel.connect(dev, ['twin-responses']);
    await twins.update(dev, { desired: { a: 1 } });
    expect(h.channel.delivered).toEqual([]);
  });

  it('module twins are separate from the device twin', async () => {
    h.channel.connect(mod, ['twin-responses']);
    await twins.service.handle(mod, patch('1'), Buffer.from('{"m":1}'));
    expect(h.channel.delivered[0]).toMatchObject({ identity: 'dev1/azureiotsecurity' });
    expect((await twins.get(mod)).properties.reported).toEqual({ m: 1, $version: 2 });
    expect((await twins.get(dev)).properties.reported).toEqual({ $version: 1 });
  });

  it('updates tags and desired under an etag; a stale etag is PRECONDITION_FAILED', async () => {
    const fresh = await twins.get(dev);
    const first = await twins.update(dev, { tags: { SecurityGroup: 'lab' } }, { ifMatch: fresh.etag });
    expect(first.tags).toEqual({ SecurityGroup: 'lab' });
    await expect(twins.update(dev, { desired: { a: 1 } }, { ifMatch: fresh.etag })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    const second = await twins.update(dev, { tags: { x: 1 }, desired: { a: 1 } }, { ifMatch: first.etag });
    expect(second).toMatchObject({
      tags: { SecurityGroup: 'lab', x: 1 },
      properties: { desired: { a: 1, $version: 2 } },
    });
    expect(h.operations.named('twinUpdated').filter((o) => o.outcome === 'failure')).toHaveLength(1);
  });

  it('lists every violation of a service update', async () => {
    const error = await twins
      .update(dev, { tags: { 'a b': 1 }, desired: { $x: 1, ok: 'x'.repeat(5000) } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
      'tags.a b',
      'properties.desired.$x',
      'properties.desired.ok',
    ]);
  });

  it('NOT_FOUND for the twin of an unknown identity', async () => {
    await expect(twins.get({ deviceId: 'nope', moduleId: null })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
