import mqtt, { type MqttClient } from 'mqtt';
import { deviceResourceUri, generateSasToken } from '@vigil/protocol';

/** Where the agent configuration sits in the module twin (reference/azure-security-module.md §2.5). */
const CONFIGURATION = 'ms_iotn:urn_azureiot_Security_SecurityAgentConfiguration';

/** A connected stand-in for a security agent that answers desired configuration changes. */
export interface TwinResponder {
  /** Desired patches received so far. */
  readonly received: readonly Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Connects as `{deviceId}/azureiotsecurity` over MQTT, the way the SDKs do (reference/iothub-mqtt.md
 * §3), and on every desired patch reports the configuration back — merged over what it reported
 * before — as an agent that accepted it would.
 */
export async function startTwinResponder(options: {
  readonly url: string;
  readonly hostName: string;
  readonly ca: string;
  readonly deviceId: string;
  readonly key: string;
}): Promise<TwinResponder> {
  const moduleId = 'azureiotsecurity';
  const clientId = `${options.deviceId}/${moduleId}`;
  const client = await new Promise<MqttClient>((resolve, reject) => {
    const candidate = mqtt.connect(options.url, {
      clientId,
      username: `${options.hostName}/${clientId}/?api-version=2021-04-12`,
      password: generateSasToken({
        resourceUri: deviceResourceUri(options.hostName, options.deviceId, moduleId),
        key: options.key,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      }),
      protocolVersion: 4,
      reconnectPeriod: 0,
      ca: options.ca,
    });
    candidate.once('connect', () => resolve(candidate));
    candidate.once('error', reject);
  });
  await client.subscribeAsync(['$iothub/twin/res/#', '$iothub/twin/PATCH/properties/desired/#']);
  const received: Record<string, unknown>[] = [];
  let reported: Record<string, unknown> = {};
  let rid = 0;
  client.on('message', (topic, payload) => {
    if (!topic.startsWith('$iothub/twin/PATCH/properties/desired/')) return;
    const patch = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    received.push(patch);
    const configuration = patch[CONFIGURATION];
    if (typeof configuration !== 'object' || configuration === null) return;
    reported = { ...reported, ...(configuration as Record<string, unknown>) };
    rid += 1;
    client.publish(
      `$iothub/twin/PATCH/properties/reported/?$rid=${rid}`,
      JSON.stringify({ [CONFIGURATION]: reported }),
    );
  });
  return { received, close: () => client.endAsync() };
}
