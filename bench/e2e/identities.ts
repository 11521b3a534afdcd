/**
 * Device identities of the load: ids and SAS keys derived from a seed, so the process that registers
 * them (the server under test) and the processes that connect as them (the generator workers) agree
 * without shipping thousands of keys over IPC. Credentials are real: the hub verifies the SAS
 * token's HMAC against the registered key on every connect.
 */
import { createHmac } from 'node:crypto';
import { buildD2cTopic, deviceResourceUri, generateSasToken, type PropertyBagInput } from '@vigil/protocol';

/** The host name the hub runs as (SAS resource URIs and usernames name it). */
export const BENCH_HOST_NAME = 'localhost';
const SEED = 'vigil-bench-e2e';

/** The id of the i-th device of a group (`load-17`, `probe-3`). */
export function deviceId(group: string, index: number): string {
  return `${group}-${index}`;
}

/** The device's primary key: 32 bytes, base64, as the registry generates them. */
export function deviceKey(id: string): string {
  return createHmac('sha256', SEED).update(id).digest('base64');
}

/** What a device puts in its CONNECT and on its D2C topic. */
export interface DeviceCredentials {
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  readonly topic: string;
}

/** IoT Hub credentials for a device (reference/iothub-mqtt.md §1.2–1.3), token valid for two hours. */
export function deviceCredentials(id: string, properties: PropertyBagInput): DeviceCredentials {
  return {
    clientId: id,
    username: `${BENCH_HOST_NAME}/${id}/?api-version=2021-04-12&DeviceClientType=vigil-bench`,
    password: generateSasToken({
      resourceUri: deviceResourceUri(BENCH_HOST_NAME, id),
      key: deviceKey(id),
      expiresAt: Math.floor(Date.now() / 1000) + 7200,
    }),
    topic: buildD2cTopic({ deviceId: id, properties }),
  };
}
