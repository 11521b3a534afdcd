/**
 * X.509 devices with the official SDK (self-signed thumbprints, primary and secondary, and a
 * registered, verified CA), the certificate refusals (thumbprint mismatch with its CONNACK code,
 * expired, untrusted chain), and mosquitto_pub with an IoT-Hub-style username and a SAS token
 * publishing a security message (QoS 1) and telemetry (QoS 0).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Message } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import { INGEST_PROPERTIES, issueCertificate, type CertificateAndKey } from '@vigil/hub';
import { SECURITY_INTERFACE_ID, certificateThumbprints } from '@vigil/protocol';
import {
  addIdentity,
  eventually,
  ingestRecords,
  operations,
  startTestHub,
  type TestHub,
} from './support/hub-fixture.js';
import { iotHubUsername, sasToken, tryConnect } from './support/mqtt-client.js';

const run = promisify(execFile);
let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t.stop());

async function selfSignedDevice(
  deviceId: string,
  cert: CertificateAndKey,
  registered?: string,
): Promise<void> {
  await addIdentity(t.hub, deviceId, null, {
    type: 'selfSigned',
    primaryThumbprint: registered ?? certificateThumbprints(cert.certificatePem).sha256,
    secondaryThumbprint: certificateThumbprints(
      (await issueCertificate({ subject: 'CN=spare' })).certificatePem,
    ).sha1,
  });
}

async function sdkX509(deviceId: string, cert: CertificateAndKey): Promise<Client> {
  // x509=true ignores GatewayHostName, so the port goes in HostName (reference/iothub-mqtt.md §0 item 10).
  const client = Client.fromConnectionString(
    `HostName=localhost:${t.mqttsPort};DeviceId=${deviceId};x509=true`,
    Mqtt,
  );
  await client.setOptions({ cert: cert.certificatePem, key: cert.privateKeyPem, ca: t.hub.caCertificatePem });
  return client;
}

async function failureOf(deviceId: string): Promise<{ reason: string | null }> {
  return eventually(async () =>
    (await operations(t.hub, 'authenticationFailed')).filter((o) => o.deviceId === deviceId).at(-1),
  );
}

describe('X.509 with the official SDK', () => {
  it('a self-signed device connects by thumbprint and its telemetry is stamped x509', async () => {
    const cert = await issueCertificate({ subject: 'CN=x509-dev', usage: ['clientAuth'] });
    await selfSignedDevice('x509-dev', cert);
    const client = await sdkX509('x509-dev', cert);
    await client.open();
    await client.sendEvent(new Message('{"hello":"x509"}'));
    await client.close();
    const [record] = (await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'x509-dev');
    expect(record?.properties[INGEST_PROPERTIES.authMethod]).toContain('x509Certificate');
    const connect = (await operations(t.hub, 'connect')).find((o) => o.deviceId === 'x509-dev');
    expect(connect?.details).toMatchObject({ authMethod: 'x509SelfSigned', matched: 'primary' });
  });

  it('a certificate whose thumbprint is not registered is refused: UnauthorizedError, thumbprintMismatch', async () => {
    const registered = await issueCertificate({ subject: 'CN=x509-other' });
    const presented = await issueCertificate({ subject: 'CN=x509-wrong' });
    await selfSignedDevice('x509-wrong', presented, certificateThumbprints(registered.certificatePem).sha1);
    const client = await sdkX509('x509-wrong', presented);
    await expect(client.open()).rejects.toMatchObject({ name: 'UnauthorizedError' });
    expect(await failureOf('x509-wrong')).toMatchObject({ reason: 'thumbprintMismatch' });
  });

  it('a device presenting the certificate registered as its secondary thumbprint connects, matched secondary', async () => {
    const retired = await issueCertificate({ subject: 'CN=x509-retired' });
    const current = await issueCertificate({ subject: 'CN=x509-second', usage: ['clientAuth'] });
    await addIdentity(t.hub, 'x509-second', null, {
      type: 'selfSigned',
      primaryThumbprint: certificateThumbprints(retired.certificatePem).sha256,
      secondaryThumbprint: certificateThumbprints(current.certificatePem).sha1,
    });
    const client = await sdkX509('x509-second', current);
    await client.open();
    await client.sendEvent(new Message('{"key":"secondary"}'));
    await client.close();
    const [record] = (await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'x509-second');
    expect(record?.body.toString()).toBe('{"key":"secondary"}');
    const connect = await eventually(async () =>
      (await operations(t.hub, 'connect')).find((o) => o.deviceId === 'x509-second'),
    );
    expect(connect.details).toMatchObject({ authMethod: 'x509SelfSigned', matched: 'secondary' });
  });

  it('a thumbprint mismatch is answered with CONNACK 4 (bad user name or password)', async () => {
    const registered = await issueCertificate({ subject: 'CN=x509-reg' });
    const presented = await issueCertificate({ subject: 'CN=x509-mismatch' });
    await selfSignedDevice(
      'x509-mismatch',
      presented,
      certificateThumbprints(registered.certificatePem).sha256,
    );
    const result = await tryConnect({
      port: t.mqttsPort,
      ca: t.hub.caCertificatePem,
      clientId: 'x509-mismatch',
      username: iotHubUsername('localhost', 'x509-mismatch'),
      cert: presented.certificatePem,
      key: presented.privateKeyPem,
    });
    expect(result).toMatchObject({ connected: false, returnCode: 4 });
    expect(await failureOf('x509-mismatch')).toMatchObject({ reason: 'thumbprintMismatch' });
  });

  it('an expired certificate is refused even when its thumbprint is registered: certificateExpired', async () => {
    const expired = await issueCertificate({
      subject: 'CN=x509-old',
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    await selfSignedDevice('x509-old', expired);
    const result = await tryConnect({
      port: t.mqttsPort,
      ca: t.hub.caCertificatePem,
      clientId: 'x509-old',
      username: iotHubUsername('localhost', 'x509-old'),
      cert: expired.certificatePem,
      key: expired.privateKeyPem,
    });
    expect(result).toMatchObject({ connected: false, returnCode: 4 });
    expect(await failureOf('x509-old')).toMatchObject({ reason: 'certificateExpired' });
  });

  it('a CA-signed device connects once its CA is registered and verified, and not before', async () => {
    const ca = await issueCertificate({ subject: 'CN=fleet CA', isCa: true });
    const leaf = await issueCertificate({ subject: 'CN=x509-ca-dev', issuer: ca, usage: ['clientAuth'] });
    await addIdentity(t.hub, 'x509-ca-dev', null, { type: 'certificateAuthority' });
    await t.hub.store.certificates.add({
      name: 'fleet',
      pem: ca.certificatePem,
      thumbprint: certificateThumbprints(ca.certificatePem).sha256,
    });
    const unverified = await sdkX509('x509-ca-dev', leaf);
    await expect(unverified.open()).rejects.toMatchObject({ name: 'UnauthorizedError' });
    expect(await failureOf('x509-ca-dev')).toMatchObject({ reason: 'certificateUntrusted' });

    await t.hub.store.certificates.setVerified('fleet', true);
    const client = await sdkX509('x509-ca-dev', leaf);
    await client.open();
    await client.close();
    const connect = (await operations(t.hub, 'connect')).find((o) => o.deviceId === 'x509-ca-dev');
    expect(connect?.details).toMatchObject({ authMethod: 'x509Ca', matched: 'fleet' });
  });
});

describe('mosquitto_pub', () => {
  it('publishes a security message with an IoT Hub username and a SAS token as password', async () => {
    const key = await addIdentity(t.hub, 'mosq-dev');
    const caFile = join(t.dataDir, 'test-ca.pem');
    writeFileSync(caFile, t.hub.caCertificatePem);
    const topic = `devices/mosq-dev/messages/events/%24.ifid=${encodeURIComponent(SECURITY_INTERFACE_ID)}&mti=1.0-0-0-0`;
    await run(
      'mosquitto_pub',
      [
        '-h',
        'localhost',
        '-p',
        String(t.mqttsPort),
        '--cafile',
        caFile,
        '-V',
        'mqttv311',
        '-i',
        'mosq-dev',
        '-u',
        iotHubUsername('localhost', 'mosq-dev'),
        '-P',
        sasToken({ host: 'localhost', deviceId: 'mosq-dev', key }),
        '-q',
        '1',
        '-t',
        topic,
        '-m',
        '{"from":"mosquitto"}',
      ],
      { timeout: 10_000 },
    );
    const [record] = (await ingestRecords(t.hub, 'd2c')).filter((r) => r.deviceId === 'mosq-dev');
    expect(record?.body.toString()).toBe('{"from":"mosquitto"}');
    expect(record?.properties).toMatchObject({ '$.ifid': SECURITY_INTERFACE_ID, mti: '1.0-0-0-0' });
  });

  it('publishes QoS 0 telemetry, which lands in the ingest log with no acknowledgement to wait for', async () => {
    const key = await addIdentity(t.hub, 'mosq-q0');
    const caFile = join(t.dataDir, 'test-ca-q0.pem');
    writeFileSync(caFile, t.hub.caCertificatePem);
    await run(
      'mosquitto_pub',
      [
        ...['-h', 'localhost', '-p', String(t.mqttsPort), '--cafile', caFile, '-V', 'mqttv311'],
        ...['-i', 'mosq-q0', '-u', iotHubUsername('localhost', 'mosq-q0')],
        ...['-P', sasToken({ host: 'localhost', deviceId: 'mosq-q0', key }), '-q', '0'],
        ...['-t', 'devices/mosq-q0/messages/events/kind=qos0', '-m', '{"qos":0}'],
      ],
      { timeout: 10_000 },
    );
    // QoS 0 has no PUBACK, so the client may be gone before the append commits: wait for the record.
    const record = await eventually(async () =>
      (await ingestRecords(t.hub, 'd2c')).find((r) => r.deviceId === 'mosq-q0'),
    );
    expect(record.body.toString()).toBe('{"qos":0}');
    expect(record.properties).toMatchObject({ kind: 'qos0', [INGEST_PROPERTIES.deviceId]: 'mosq-q0' });
  });
});
