import { describe, expect, it } from 'vitest';
import { createFakeClock, flushMicrotasks } from '../core/index.js';
import { createTwinClient, TwinRequestError } from './twin-client.js';

/** A channel that records what the client publishes (the hub side is played by the test). */
function recordingChannel() {
  const sent: { topic: string; payload: string }[] = [];
  return {
    sent,
    publish(topic: string, payload: string): Promise<void> {
      sent.push({ topic, payload });
      return Promise.resolve();
    },
  };
}

describe('twin client', () => {
  it('GETs with a decimal $rid and resolves with desired and reported from the 200 answer', async () => {
    const channel = recordingChannel();
    const twin = createTwinClient({ channel, clock: createFakeClock() });
    const got = twin.get();
    await flushMicrotasks();
    expect(channel.sent).toEqual([{ topic: '$iothub/twin/GET/?$rid=1', payload: ' ' }]);
    twin.handleMessage(
      '$iothub/twin/res/200/?$rid=1',
      Buffer.from('{"desired":{"a":1,"$version":3},"reported":{"$version":1}}'),
    );
    expect(await got).toEqual({ desired: { a: 1, $version: 3 }, reported: { $version: 1 } });
  });

  it('resolves a reported PATCH with the new $version and rejects error answers with their message', async () => {
    const channel = recordingChannel();
    const twin = createTwinClient({ channel, clock: createFakeClock() });
    const patched = twin.patchReported({ x: { value: 1 } });
    const refused = twin.patchReported({ y: 2 });
    await flushMicrotasks();
    expect(channel.sent.map((s) => s.topic)).toEqual([
      '$iothub/twin/PATCH/properties/reported/?$rid=1',
      '$iothub/twin/PATCH/properties/reported/?$rid=2',
    ]);
    twin.handleMessage('$iothub/twin/res/204/?$rid=1&$version=5', Buffer.alloc(0));
    twin.handleMessage(
      '$iothub/twin/res/400/?$rid=2',
      Buffer.from('{"errorCode":400004,"message":"too deep"}'),
    );
    expect(await patched).toBe(5);
    await expect(refused).rejects.toThrow(/status 400: too deep/);
  });

  it('times out unanswered requests and hands desired pushes to listeners with their version', async () => {
    const clock = createFakeClock();
    const twin = createTwinClient({ channel: recordingChannel(), clock, requestTimeoutMs: 1000 });
    const got = twin.get().catch((error: unknown) => error);
    await clock.advance(1000);
    expect(await got).toBeInstanceOf(TwinRequestError);
    const pushes: unknown[] = [];
    twin.onDesired((patch, version) => pushes.push([patch, version]));
    twin.handleMessage(
      '$iothub/twin/PATCH/properties/desired/?$version=7',
      Buffer.from('{"k":1,"$version":7}'),
    );
    expect(pushes).toEqual([[{ k: 1, $version: 7 }, 7]]);
    expect(twin.handleMessage('devices/d/messages/devicebound/', Buffer.alloc(0))).toBe(false);
  });
});
