import { describe, expect, it } from 'vitest';
import { deviceResourceUri, isProtocolError, verifySasToken } from '@vigil/protocol';
import { connectionSettings, connectPassword } from './connection-settings.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('connection settings', () => {
  it('builds the module CONNECT fields of reference/iothub-mqtt.md §1.2 and dials the gateway', () => {
    const settings = connectionSettings({
      connectionString: `HostName=vigil.test;DeviceId=dev1;ModuleId=azureiotsecurity;SharedAccessKey=${KEY};GatewayHostName=localhost:18883`,
    });
    expect(settings).toMatchObject({
      host: 'localhost',
      port: 18883,
      clientId: 'dev1/azureiotsecurity',
      username: 'vigil.test/dev1/azureiotsecurity/?api-version=2021-04-12&DeviceClientType=vigil-agent',
    });
  });

  it('signs a SAS token for the identity that the hub-side verifier accepts, valid for the ttl', () => {
    const settings = connectionSettings({
      connectionString: `HostName=vigil.test:8883;DeviceId=dev1;SharedAccessKey=${KEY}`,
    });
    expect(settings).toMatchObject({ host: 'vigil.test', port: 8883, clientId: 'dev1' });
    const now = Date.UTC(2026, 10, 23);
    const { password, expiresAt } = connectPassword(settings, now, 3600);
    expect(expiresAt).toBe(now / 1000 + 3600);
    const verdict = verifySasToken(password ?? '', {
      key: KEY,
      expectedResourceUri: deviceResourceUri('vigil.test:8883', 'dev1'),
      now: now / 1000 + 3599,
    });
    expect(verdict.ok).toBe(true);
  });

  it('refuses a hub policy string and x509 without a certificate, naming the problem', () => {
    for (const connectionString of [
      `HostName=vigil.test;SharedAccessKeyName=iothubowner;SharedAccessKey=${KEY}`,
      'HostName=vigil.test;DeviceId=dev1;x509=true',
    ]) {
      let caught: unknown;
      try {
        connectionSettings({ connectionString });
      } catch (error) {
        caught = error;
      }
      expect(isProtocolError(caught) && caught.code).toBe('MALFORMED_CONNECTION_STRING');
    }
  });

  it('sends no password for X.509', () => {
    const settings = connectionSettings({
      connectionString: 'HostName=localhost:8883;DeviceId=devx509;x509=true',
      certificatePem: 'CERT',
      privateKeyPem: 'KEY',
    });
    expect(connectPassword(settings, 0, 3600)).toEqual({});
  });
});
