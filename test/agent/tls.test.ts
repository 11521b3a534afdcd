/**
 * The agent over MQTT/TLS against the real hub: trusting the hub through a CA file, with SAS (as
 * the `azureiotsecurity` module) and with an X.509 self-signed certificate (as a device); and
 * refusing a hub whose certificate it cannot verify.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent, type RunAgentOptions, type RunningAgent } from '@vigil/agent';
import { INGEST_PROPERTIES, issueCertificate } from '@vigil/hub';
import { certificateThumbprints } from '@vigil/protocol';
import { addIdentity, eventually, startTestHub, type TestHub } from '../hub/support/hub-fixture.js';
import { deliveredMessages, tempDir } from './support/agent-hub.js';
import { createNumberedCollector } from './support/numbered-collector.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tlsHub(): Promise<{ t: TestHub; caFile: string; dir: string }> {
  const t = await startTestHub({ listeners: { mqtts: { port: 0, host: '127.0.0.1' }, wss: false } });
  cleanups.push(() => t.stop());
  const dir = tempDir('vigil-agent-tls-');
  cleanups.push(() => dir.remove());
  const caFile = join(dir.path, 'ca.pem');
  writeFileSync(caFile, t.hub.caCertificatePem);
  return { t, caFile, dir: dir.path };
}

async function agent(dir: string, options: RunAgentOptions): Promise<RunningAgent> {
  const running = await runAgent({
    env: {},
    dataDir: join(dir, 'agent'),
    remoteConfiguration: false,
    collectorInstances: [createNumberedCollector()],
    coreConfiguration: { firstCollectionMs: 0, highPriorityMessageFrequencyMs: 200, publishCheckMs: 50 },
    ...options,
  });
  cleanups.push(() => running.stop());
  return running;
}

describe('agent over TLS', () => {
  it('verifies the hub against the CA file and authenticates the module with SAS', async () => {
    const { t, caFile, dir } = await tlsHub();
    const key = await addIdentity(t.hub, 'tls-sas', 'azureiotsecurity');
    await agent(dir, {
      connectionString: `HostName=localhost;DeviceId=tls-sas;ModuleId=azureiotsecurity;SharedAccessKey=${key};GatewayHostName=localhost:${t.mqttsPort}`,
      caFile,
    });
    const [first] = await eventually(async () => {
      const all = await deliveredMessages(t.hub, 'tls-sas');
      return all.length > 0 ? all : undefined;
    });
    expect(first?.record.properties[INGEST_PROPERTIES.authMethod]).toContain('"type":"sas"');
  });

  it('authenticates a device with an X.509 self-signed certificate', async () => {
    const { t, caFile, dir } = await tlsHub();
    const cert = await issueCertificate({ subject: 'CN=tls-x509', usage: ['clientAuth'] });
    await addIdentity(t.hub, 'tls-x509', null, {
      type: 'selfSigned',
      primaryThumbprint: certificateThumbprints(cert.certificatePem).sha256,
      secondaryThumbprint: certificateThumbprints(cert.certificatePem).sha1,
    });
    writeFileSync(join(dir, 'device.pem'), cert.certificatePem);
    writeFileSync(join(dir, 'device.key'), cert.privateKeyPem);
    await agent(dir, {
      // x509 connection strings name the host and port in HostName (reference/iothub-mqtt.md §0 item 10).
      connectionString: `HostName=localhost:${t.mqttsPort};DeviceId=tls-x509;x509=true`,
      caFile,
      certificateFile: join(dir, 'device.pem'),
      privateKeyFile: join(dir, 'device.key'),
    });
    const [first] = await eventually(async () => {
      const all = await deliveredMessages(t.hub, 'tls-x509');
      return all.length > 0 ? all : undefined;
    });
    expect(first?.record.moduleId).toBeNull();
    expect(first?.record.properties[INGEST_PROPERTIES.authMethod]).toContain('"type":"x509Certificate"');
  });

  it('does not connect to a hub whose certificate it cannot verify', async () => {
    const { t, dir } = await tlsHub();
    const key = await addIdentity(t.hub, 'tls-untrusted', 'azureiotsecurity');
    const running = await agent(dir, {
      connectionString: `HostName=localhost;DeviceId=tls-untrusted;ModuleId=azureiotsecurity;SharedAccessKey=${key};GatewayHostName=localhost:${t.mqttsPort}`,
    });
    const error = await eventually(() => running.transport.stats().lastError);
    expect(error).toMatch(/certificate/i);
    expect(running.transport.isConnected()).toBe(false);
    expect(running.core.state).toBe('PENDING');
  });
});
