/**
 * Hub settings and registry changes made through the service API take effect at the gateway, seen
 * by the official device SDK: a CA device connects only once its CA is verified by proof of
 * possession; the IP filter refuses and then admits; disabling a device closes its live session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import { issueCertificate } from '@vigil/hub';
import { eventually, startServicesHub, type ServicesHub } from './support/services-hub.js';

let t: ServicesHub;
beforeAll(async () => {
  t = await startServicesHub();
});
afterAll(() => t.stop());

async function sasClient(deviceId: string): Promise<Client> {
  const { json } = await t.call<{ connectionString: string }>(
    'GET',
    `/devices/${deviceId}/connection-string?gatewayHostName=localhost:${t.port}`,
  );
  const client = Client.fromConnectionString(json.connectionString, Mqtt);
  await client.setOptions({ ca: t.hub.caCertificatePem });
  return client;
}

describe('settings made through the service API, enforced at connect', () => {
  it('a CA-authenticated device connects only after the CA passes proof of possession', async () => {
    const ca = await issueCertificate({ subject: 'CN=Fleet Root', isCa: true });
    expect((await t.call('PUT', '/certificates/fleet', { certificate: ca.certificatePem })).status).toBe(201);
    expect(
      (await t.call('PUT', '/devices/ca-dev', { authentication: { type: 'certificateAuthority' } })).status,
    ).toBe(201);
    const leaf = await issueCertificate({ subject: 'CN=ca-dev', issuer: ca, usage: ['clientAuth'] });
    const connect = async (): Promise<Client> => {
      // x509=true ignores GatewayHostName, so the port goes in HostName (reference/iothub-mqtt.md §0 item 10).
      const client = Client.fromConnectionString(
        `HostName=localhost:${t.port};DeviceId=ca-dev;x509=true`,
        Mqtt,
      );
      await client.setOptions({
        ca: t.hub.caCertificatePem,
        cert: leaf.certificatePem,
        key: leaf.privateKeyPem,
      });
      await client.open();
      return client;
    };
    await expect(connect()).rejects.toMatchObject({ name: 'UnauthorizedError' });

    const { json } = await t.call<{ verificationCode: string }>(
      'POST',
      '/certificates/fleet/verification-code',
    );
    const proof = await issueCertificate({ subject: `CN=${json.verificationCode}`, issuer: ca });
    const verified = await t.call('POST', '/certificates/fleet/verify', {
      certificate: proof.certificatePem,
    });
    expect(verified.json).toMatchObject({ isVerified: true });
    const client = await connect();
    await client.close();

    const recorded = await t.operationsOf('ca-dev');
    expect(recorded[0]).toBe('identityCreated:success');
    expect(recorded).toContain('authenticationFailed:failure:certificateUntrusted');
    expect(recorded.at(-1)).toMatch(/^(connect|disconnect):success/);
  });

  it('the IP filter set through the API refuses loopback, and admits it again once changed', async () => {
    await t.call('PUT', '/devices/ipf-dev', {});
    const deny = await t.call('PUT', '/ip-filter', {
      defaultAction: 'reject',
      rules: [{ name: 'office', action: 'accept', ipMask: '10.20.0.0/16' }],
    });
    expect(deny.status).toBe(200);
    try {
      await expect((await sasClient('ipf-dev')).open()).rejects.toMatchObject({ name: 'UnauthorizedError' });
      expect(await t.operationsOf('ipf-dev')).toContain('authenticationFailed:failure:ipFiltered');
    } finally {
      await t.call('PUT', '/ip-filter', {
        defaultAction: 'reject',
        rules: [{ name: 'loopback', action: 'accept', ipMask: '127.0.0.0/8' }],
      });
    }
    const client = await sasClient('ipf-dev');
    await client.open();
    await client.close();
  });

  it('disabling a connected device through the API closes its session, and it cannot come back', async () => {
    await t.call('PUT', '/devices/dis-dev', {});
    const client = await sasClient('dis-dev');
    await client.open();
    const identity = { deviceId: 'dis-dev', moduleId: null };
    expect(t.hub.channel.isConnected(identity)).toBe(true);
    const { json } = await t.call<{ etag: string }>('GET', '/devices/dis-dev');
    const disabled = await t.api.inject({
      method: 'PUT',
      url: '/api/hub/devices/dis-dev',
      headers: { authorization: 'Bearer services-test-admin-token-0123456789', 'if-match': `"${json.etag}"` },
      payload: { status: 'disabled' },
    });
    expect(disabled.statusCode).toBe(200);
    await eventually(() => (t.hub.channel.isConnected(identity) ? undefined : true));
    await client.close().catch(() => undefined);
    await expect((await sasClient('dis-dev')).open()).rejects.toMatchObject({ name: 'UnauthorizedError' });
    expect(await t.operationsOf('dis-dev')).toEqual(
      expect.arrayContaining(['identityUpdated:success', 'authenticationFailed:failure:identityDisabled']),
    );
  });
});
