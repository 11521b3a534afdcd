/**
 * The official Azure IoT device SDK (azure-iot-device + azure-iot-device-mqtt, unmodified) against a
 * hub with Vigil's device services, driven through the service API: get the twin, patch reported
 * properties, receive a desired change, answer a direct method, receive a C2D message — as a device
 * and as the `azureiotsecurity` module, over MQTT/TLS and MQTT/WebSocket — each asserted from both
 * ends (the SDK's callbacks and the API, the store and the operations log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ModuleClient, type Message, type Twin } from 'azure-iot-device';
import { Mqtt, MqttWs } from 'azure-iot-device-mqtt';
import { eventually, startServicesHub, type ServicesHub } from './support/services-hub.js';

let t: ServicesHub;
beforeAll(async () => {
  t = await startServicesHub({ wss: true });
});
afterAll(() => t.stop());

const call: ServicesHub['call'] = (method, url, body) => t.call(method, url, body);

/** Creates the identity through the API and returns its connection string (socket to the test port). */
async function register(path: string): Promise<string> {
  expect((await call('PUT', path, {})).status).toBe(201);
  const { json } = await call<{ connectionString: string }>(
    'GET',
    `${path}/connection-string?gatewayHostName=localhost:${t.port}`,
  );
  return json.connectionString;
}

function patchReported(twin: Twin, patch: object): Promise<void> {
  const reported = twin.properties.reported as unknown as {
    update(patch: object, done: (error?: Error) => void): void;
  };
  return new Promise((resolve, reject) =>
    reported.update(patch, (error) => (error ? reject(error) : resolve())),
  );
}

function nextDesired(twin: Twin, key: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const listener = (delta: Record<string, unknown>): void => {
      if (!(key in delta)) return;
      twin.removeListener('properties.desired', listener);
      resolve(delta);
    };
    twin.on('properties.desired', listener);
  });
}

describe('official SDK device client', () => {
  it('twin GET and reported PATCH, a desired change, a direct method and a C2D message', async () => {
    const client = Client.fromConnectionString(await register('/devices/sdk-dev'), Mqtt);
    await client.setOptions({ ca: t.hub.caCertificatePem });
    await client.open();
    try {
      // Twin: GET then reported PATCH; the service sees the reported value and version.
      const twin = await client.getTwin();
      expect(twin.properties.desired).toMatchObject({ $version: 1 });
      await patchReported(twin, { firmware: '1.0.3', network: { ip: '10.0.0.5' } });
      const afterReport = await call<{ properties: { reported: Record<string, unknown> } }>(
        'GET',
        '/twins/sdk-dev',
      );
      expect(afterReport.json.properties.reported).toEqual({
        firmware: '1.0.3',
        network: { ip: '10.0.0.5' },
        $version: 2,
      });

      // Desired: the service patches, the device's listener receives the delta with its version.
      const desired = nextDesired(twin, 'interval');
      await eventually(() =>
        t.hub.channel.isSubscribed({ deviceId: 'sdk-dev', moduleId: null }, 'twin-desired')
          ? true
          : undefined,
      );
      expect(
        (await call('PATCH', '/twins/sdk-dev', { properties: { desired: { interval: 15 } } })).status,
      ).toBe(200);
      expect(await desired).toMatchObject({ interval: 15, $version: 2 });
      expect(twin.properties.desired).toMatchObject({ interval: 15 });

      // Direct method: the API waits (connect timeout) until the SDK's subscription is in place.
      client.onDeviceMethod('reboot', (request, response) => {
        void response.send(200, { accepted: true, echo: request.payload as unknown });
      });
      const invoked = await call('POST', '/twins/sdk-dev/methods', {
        methodName: 'reboot',
        payload: { delaySeconds: 3 },
        connectTimeoutInSeconds: 10,
        responseTimeoutInSeconds: 10,
      });
      expect(invoked).toEqual({
        status: 200,
        json: { status: 200, payload: { accepted: true, echo: { delaySeconds: 3 } } },
      });

      // C2D: queued through the API, delivered on subscribe, completed by PUBACK.
      const received = new Promise<Message>((resolve) => {
        client.on('message', (message: Message) => {
          void client.complete(message);
          resolve(message);
        });
      });
      const sent = await call<{ id: string }>('POST', '/devices/sdk-dev/messages', {
        body: 'turn the lights off',
        messageId: 'c2d-1',
        correlationId: 'corr-7',
        properties: { room: 'lab 2', empty: '' },
      });
      expect(sent.status).toBe(201);
      const message = await received;
      expect((message.getData() as Buffer).toString('utf8')).toBe('turn the lights off');
      expect(message.messageId).toBe('c2d-1');
      expect(message.correlationId).toBe('corr-7');
      expect(message.properties.getValue('room')).toBe('lab 2');
      const state = await eventually(async () => {
        const { json } = await call<{ items: { id: string; state: string }[] }>(
          'GET',
          '/devices/sdk-dev/messages',
        );
        const found = json.items.find((item) => item.id === sent.json.id);
        return found?.state === 'delivered' ? found.state : undefined;
      });
      expect(state).toBe('delivered');

      const recorded = await t.operationsOf('sdk-dev');
      for (const expected of [
        'identityCreated:success',
        'twinUpdated:success',
        'methodInvoked:success',
        'c2dSent:success',
        'c2dDelivered:success',
      ]) {
        expect(recorded).toContain(expected);
      }
    } finally {
      await client.close();
    }
  });
});

describe('official SDK device client over MQTT/WebSocket (MqttWs)', () => {
  it('twin GET and reported PATCH, a desired change, a direct method and a C2D message', async () => {
    expect((await call('PUT', '/devices/sdk-ws', {})).status).toBe(201);
    // No GatewayHostName: MqttWs dials wss://localhost:443/$iothub/websocket (or the agent's port).
    const { json } = await call<{ connectionString: string }>('GET', '/devices/sdk-ws/connection-string');
    expect(json.connectionString).toMatch(/^HostName=localhost;DeviceId=sdk-ws;SharedAccessKey=/);
    const client = Client.fromConnectionString(json.connectionString, MqttWs);
    await client.setOptions({
      ca: t.hub.caCertificatePem,
      ...(t.webSocketAgent === undefined ? {} : { mqtt: { webSocketAgent: t.webSocketAgent } }),
    });
    await client.open();
    const identity = { deviceId: 'sdk-ws', moduleId: null };
    try {
      const twin = await client.getTwin();
      expect(twin.properties.desired).toMatchObject({ $version: 1 });
      await patchReported(twin, { transport: 'websocket' });
      const reported = await call<{ properties: { reported: Record<string, unknown> } }>(
        'GET',
        '/twins/sdk-ws',
      );
      expect(reported.json.properties.reported).toEqual({ transport: 'websocket', $version: 2 });

      const desired = nextDesired(twin, 'mode');
      await eventually(() => (t.hub.channel.isSubscribed(identity, 'twin-desired') ? true : undefined));
      expect((await call('PATCH', '/twins/sdk-ws', { properties: { desired: { mode: 'ws' } } })).status).toBe(
        200,
      );
      expect(await desired).toMatchObject({ mode: 'ws', $version: 2 });

      client.onDeviceMethod('ping', (_request, response) => {
        void response.send(200, { over: 'websocket' });
      });
      const invoked = await call('POST', '/twins/sdk-ws/methods', {
        methodName: 'ping',
        connectTimeoutInSeconds: 10,
        responseTimeoutInSeconds: 10,
      });
      expect(invoked).toEqual({ status: 200, json: { status: 200, payload: { over: 'websocket' } } });

      const received = new Promise<Message>((resolve) => {
        client.on('message', (message: Message) => {
          void client.complete(message);
          resolve(message);
        });
      });
      const sent = await call<{ id: string }>('POST', '/devices/sdk-ws/messages', {
        body: 'over the websocket',
        messageId: 'ws-c2d-1',
      });
      expect(sent.status).toBe(201);
      const message = await received;
      expect((message.getData() as Buffer).toString('utf8')).toBe('over the websocket');
      expect(message.messageId).toBe('ws-c2d-1');
      await eventually(async () => {
        const { json: queue } = await call<{ items: { id: string; state: string }[] }>(
          'GET',
          '/devices/sdk-ws/messages?state=delivered',
        );
        return queue.items.some((item) => item.id === sent.json.id) ? true : undefined;
      });

      await t.hub.operations.flush();
      const connect = (
        await t.hub.store.operations.list({ deviceId: 'sdk-ws', operation: 'connect', limit: 10 })
      )[0];
      expect(connect?.details).toMatchObject({ protocol: 'mqtt-ws', authMethod: 'sas' });
      expect(await t.operationsOf('sdk-ws')).toEqual(
        expect.arrayContaining([
          'twinUpdated:success',
          'methodInvoked:success',
          'c2dSent:success',
          'c2dDelivered:success',
        ]),
      );
    } finally {
      await client.close();
    }
  });
});

describe('official SDK device client, C2D while offline', () => {
  it('a message queued while the device is away arrives when it connects again, and only once', async () => {
    const connectionString = await register('/devices/sdk-away');
    const first = Client.fromConnectionString(connectionString, Mqtt);
    await first.setOptions({ ca: t.hub.caCertificatePem });
    await first.open();
    await first.close();
    const identity = { deviceId: 'sdk-away', moduleId: null };
    await eventually(() => (t.hub.channel.isConnected(identity) ? undefined : true));

    const sent = await call<{ id: string; state: string }>('POST', '/devices/sdk-away/messages', {
      body: 'while you were out',
    });
    expect(sent.json.state).toBe('queued');

    const again = Client.fromConnectionString(connectionString, Mqtt);
    await again.setOptions({ ca: t.hub.caCertificatePem });
    const bodies: string[] = [];
    const received = new Promise<void>((resolve) => {
      again.on('message', (message: Message) => {
        bodies.push((message.getData() as Buffer).toString('utf8'));
        void again.complete(message);
        resolve();
      });
    });
    await again.open();
    try {
      await received;
      await eventually(async () => {
        const { json } = await call<{ items: { id: string; state: string }[] }>(
          'GET',
          '/devices/sdk-away/messages?state=delivered',
        );
        return json.items.some((item) => item.id === sent.json.id) ? true : undefined;
      });
      // Give a duplicate delivery the chance to show up before asserting there was none.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(bodies).toEqual(['while you were out']);
    } finally {
      await again.close();
    }
  });
});

describe('official SDK module client (azureiotsecurity)', () => {
  it('twin GET and reported PATCH, a desired change and a direct method', async () => {
    expect((await call('PUT', '/devices/sdk-mod-dev', {})).status).toBe(201);
    const client = ModuleClient.fromConnectionString(
      await register('/devices/sdk-mod-dev/modules/azureiotsecurity'),
      Mqtt,
    );
    await client.setOptions({ ca: t.hub.caCertificatePem });
    await client.open();
    const identity = { deviceId: 'sdk-mod-dev', moduleId: 'azureiotsecurity' };
    try {
      const twin = await client.getTwin();
      await patchReported(twin, { agentVersion: '2.3.0' });
      const reported = await call<{ properties: { reported: Record<string, unknown> } }>(
        'GET',
        '/twins/sdk-mod-dev/modules/azureiotsecurity',
      );
      expect(reported.json.properties.reported).toEqual({ agentVersion: '2.3.0', $version: 2 });
      // The device twin is untouched: module twins are their own documents.
      expect(
        (await call<{ properties: { reported: object } }>('GET', '/twins/sdk-mod-dev')).json.properties
          .reported,
      ).toEqual({ $version: 1 });

      const desired = nextDesired(twin, 'azureiot*com^securityAgentConfiguration^1*0*0');
      await eventually(() => (t.hub.channel.isSubscribed(identity, 'twin-desired') ? true : undefined));
      const config = {
        'azureiot*com^securityAgentConfiguration^1*0*0': { highPriorityMessageFrequency: { value: 'PT7M' } },
      };
      expect(
        (
          await call('PATCH', '/twins/sdk-mod-dev/modules/azureiotsecurity', {
            properties: { desired: config },
          })
        ).status,
      ).toBe(200);
      expect(await desired).toMatchObject({ ...config, $version: 2 });

      client.onMethod('collect', (request, response) => {
        if (request === undefined || response === undefined) return;
        void response.send(202, { module: true, name: request.methodName });
      });
      const invoked = await call('POST', '/twins/sdk-mod-dev/modules/azureiotsecurity/methods', {
        methodName: 'collect',
        connectTimeoutInSeconds: 10,
        responseTimeoutInSeconds: 10,
      });
      expect(invoked).toEqual({
        status: 200,
        json: { status: 202, payload: { module: true, name: 'collect' } },
      });

      const recorded = await t.operationsOf('sdk-mod-dev', 'azureiotsecurity');
      expect(recorded).toEqual(
        expect.arrayContaining(['identityCreated:success', 'twinUpdated:success', 'methodInvoked:success']),
      );
    } finally {
      await client.close();
    }
  });
});
