/**
 * The official Azure IoT device SDK (azure-iot-device + azure-iot-device-mqtt, unmodified) against
 * the hub: SAS over MQTT/TLS and MQTT/WebSocket, telemetry and security messages, device and module
 * clients — each asserted from the client's side and from the ingest and operations logs.
 */
import type { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Message, ModuleClient } from 'azure-iot-device';
import { Mqtt, MqttWs } from 'azure-iot-device-mqtt';
import { INGEST_PROPERTIES, isHubError } from '@vigil/hub';
import { SECURITY_INTERFACE_ID } from '@vigil/protocol';
import {
  addIdentity,
  eventually,
  ingestRecords,
  operations,
  startTestHub,
  type TestHub,
} from './support/hub-fixture.js';
import { RedirectingAgent } from './support/redirecting-agent.js';

let t: TestHub;
/** Set when 443 was taken and the SDK's documented `webSocketAgent` option redirects to the test port. */
let webSocketAgent: Agent | undefined;

beforeAll(async () => {
  // The SDK's MqttWs transport always dials 443 (reference/iothub-mqtt.md §0 item 9). CI runs as root,
  // so the hub binds 443 on loopback; if another process holds it, the documented `webSocketAgent`
  // option (§2) sends the SDK's socket to a port-0 listener instead.
  try {
    t = await startTestHub({
      listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: { port: 443, host: '127.0.0.1' } },
    });
  } catch (error) {
    if (!isHubError(error, 'LISTEN_FAILED')) throw error;
    t = await startTestHub({
      listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: { port: 0, host: '127.0.0.1' } },
    });
    const port = t.wssPort ?? 0;
    webSocketAgent = new RedirectingAgent(port);
  }
});
afterAll(() => t.stop());

function securityMessage(body: object): Message {
  const message = new Message(JSON.stringify(body));
  message.contentType = 'application/json';
  message.contentEncoding = 'utf-8';
  message.setAsSecurityMessage();
  return message;
}

describe('official SDK with a SAS connection string', () => {
  it('connects over MQTT/TLS, sends telemetry and a security message, both land in the ingest log', async () => {
    const key = await addIdentity(t.hub, 'sdk-dev1');
    const client = Client.fromConnectionString(
      `HostName=localhost:${t.mqttsPort};DeviceId=sdk-dev1;SharedAccessKey=${key}`,
      Mqtt,
    );
    await client.setOptions({ ca: t.hub.caCertificatePem });
    await client.open();
    const telemetry = new Message(JSON.stringify({ temperature: 21.5 }));
    telemetry.messageId = 'm-1';
    telemetry.properties.add('room', 'lab 4');
    await client.sendEvent(telemetry);
    await client.sendEvent(securityMessage({ AgentVersion: '0.0.1', Events: [] }));
    await client.close();

    const records = (await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'sdk-dev1');
    expect(records).toHaveLength(2);
    expect(JSON.parse(records[0]!.body.toString())).toEqual({ temperature: 21.5 });
    expect(records[0]!.properties).toMatchObject({
      '$.mid': 'm-1',
      room: 'lab 4',
      [INGEST_PROPERTIES.protocol]: 'mqtt',
      [INGEST_PROPERTIES.deviceId]: 'sdk-dev1',
      [INGEST_PROPERTIES.sourceAddress]: '127.0.0.1',
    });
    expect(records[1]!.properties['$.ifid']).toBe(SECURITY_INTERFACE_ID);
    expect(records[1]!.properties['$.ct']).toBe('application/json');

    const connects = await eventually(async () => {
      const ops = (await operations(t.hub)).filter((o) => o.deviceId === 'sdk-dev1');
      return ops.some((o) => o.operation === 'disconnect') ? ops : undefined;
    });
    expect(connects.find((o) => o.operation === 'connect')).toMatchObject({
      outcome: 'success',
      sourceAddress: '127.0.0.1',
      details: { protocol: 'mqtt', authMethod: 'sas', matched: 'primary' },
    });
    await t.hub.flushActivity();
    const identity = await t.hub.store.identities.get({ deviceId: 'sdk-dev1', moduleId: null });
    expect(identity?.connectionState).toBe('disconnected');
    expect(identity?.lastActivityAt).not.toBeNull();
  });

  it('connects over MQTT/WebSocket on /$iothub/websocket and the ingest record names mqtt-ws', async () => {
    const key = await addIdentity(t.hub, 'sdk-ws1');
    const client = Client.fromConnectionString(
      `HostName=localhost;DeviceId=sdk-ws1;SharedAccessKey=${key}`,
      MqttWs,
    );
    await client.setOptions({
      ca: t.hub.caCertificatePem,
      ...(webSocketAgent ? { mqtt: { webSocketAgent } } : {}),
    });
    await client.open();
    await client.sendEvent(securityMessage({ over: 'websocket' }));
    await client.close();
    const records = (await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'sdk-ws1');
    expect(records).toHaveLength(1);
    expect(records[0]!.properties).toMatchObject({
      '$.ifid': SECURITY_INTERFACE_ID,
      [INGEST_PROPERTIES.protocol]: 'mqtt-ws',
    });
    const connect = (await operations(t.hub, 'connect')).find((o) => o.deviceId === 'sdk-ws1');
    expect(connect?.details).toMatchObject({ protocol: 'mqtt-ws' });
  });

  it('connects as the azureiotsecurity module and its security message carries the module id', async () => {
    const key = await addIdentity(t.hub, 'sdk-gw1', 'azureiotsecurity');
    const client = ModuleClient.fromConnectionString(
      `HostName=localhost:${t.mqttsPort};DeviceId=sdk-gw1;ModuleId=azureiotsecurity;SharedAccessKey=${key}`,
      Mqtt,
    );
    await client.setOptions({ ca: t.hub.caCertificatePem });
    await client.open();
    await client.sendEvent(securityMessage({ module: true }));
    await client.close();
    const records = (await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'sdk-gw1');
    expect(records).toHaveLength(1);
    expect(records[0]!.moduleId).toBe('azureiotsecurity');
    expect(records[0]!.properties).toMatchObject({
      '$.ifid': SECURITY_INTERFACE_ID,
      [INGEST_PROPERTIES.moduleId]: 'azureiotsecurity',
    });
    const connect = (await operations(t.hub, 'connect')).find((o) => o.deviceId === 'sdk-gw1');
    expect(connect?.moduleId).toBe('azureiotsecurity');
  });

  it("keeps the C2D subscription across the SDK's SAS renewal reconnect, which does not subscribe again", async () => {
    const key = await addIdentity(t.hub, 'sdk-renew');
    const identity = { deviceId: 'sdk-renew', moduleId: null };
    const client = Client.fromConnectionString(
      `HostName=localhost:${t.mqttsPort};DeviceId=sdk-renew;SharedAccessKey=${key}`,
      Mqtt,
    );
    // A 6 s token renewed 4 s early: the SDK reconnects with a new token after about 2 s (§0 item 3).
    await client.setOptions({
      ca: t.hub.caCertificatePem,
      tokenRenewal: { tokenValidTimeInSeconds: 6, tokenRenewalMarginInSeconds: 4 },
    });
    const received: string[] = [];
    client.on('message', (message: Message) => {
      received.push(String(message.data));
      void client.complete(message);
    });
    await client.open();
    await eventually(() => (t.hub.channel.isSubscribed(identity, 'c2d') ? true : undefined));
    await eventually(async () => {
      const connects = (await operations(t.hub, 'connect')).filter((o) => o.deviceId === 'sdk-renew');
      return connects.length >= 2 && t.hub.channel.isConnected(identity) ? true : undefined;
    }, 10_000);
    expect(t.hub.channel.isSubscribed(identity, 'c2d')).toBe(true);
    const delivered = await t.hub.channel.deliver(identity, {
      topic: 'devices/sdk-renew/messages/devicebound/%24.mid=c2d-1',
      payload: Buffer.from('after renewal'),
      qos: 1,
    });
    expect(delivered).toBe(true);
    await eventually(() => (received.length > 0 ? true : undefined));
    expect(received).toEqual(['after renewal']);
    await client.close();
  }, 20_000);
});
