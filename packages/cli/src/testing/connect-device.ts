import mqtt, { type MqttClient } from 'mqtt';
import { deviceResourceUri, generateSasToken, parseConnectionString } from '@vigil/protocol';

/**
 * Connects as a device over the hub's plain MQTT listener with a SAS connection string, as the IoT
 * Hub MQTT contract has it (reference/iothub-mqtt.md §1): rejects when the hub refuses the CONNECT.
 */
export async function connectDevice(mqttPort: number, connectionString: string): Promise<MqttClient> {
  const parsed = parseConnectionString(connectionString);
  if (parsed.kind !== 'device-key')
    throw new Error(`expected a device key connection string, got ${parsed.kind}`);
  const { deviceId, hostName: host } = parsed;
  return mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    clientId: deviceId,
    username: `${host}/${deviceId}/?api-version=2021-04-12`,
    password: generateSasToken({
      resourceUri: deviceResourceUri(host, deviceId),
      key: parsed.sharedAccessKey,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    }),
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
}
