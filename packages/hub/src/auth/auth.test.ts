import { describe, expect, it } from 'vitest';
import { SharedAccessSignature } from 'azure-iot-common';
import { bareHost, parseClientId, parseUsername } from './client-identity.js';
import { evaluateIpFilter } from './ip-filter.js';
import { verifyDeviceSas } from './sas.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER = Buffer.alloc(32, 9).toString('base64');
const NOW = 1_800_000_000;

/** A token made by azure-iot-common, the SDK's own signer. */
function sdkToken(resource: string, expiry = NOW + 3600): string {
  return SharedAccessSignature.create(encodeURIComponent(resource), '', KEY, expiry).toString();
}

describe('client id and username', () => {
  it('reads the SDK username with a :port host, for devices and modules', () => {
    expect(parseUsername('localhost:18883/dev1/?api-version=2021-04-12&DeviceClientType=x')).toEqual({
      host: 'localhost:18883',
      identity: { deviceId: 'dev1', moduleId: null },
      query: 'api-version=2021-04-12&DeviceClientType=x',
    });
    expect(parseUsername('hub.example/dev1/azureiotsecurity/?api-version=1')?.identity).toEqual({
      deviceId: 'dev1',
      moduleId: 'azureiotsecurity',
    });
    expect(parseUsername('hub/dev1/api-version=1&DeviceClientType=c')).toMatchObject({
      identity: { deviceId: 'dev1', moduleId: null },
      query: 'api-version=1&DeviceClientType=c',
    });
    expect(parseUsername('hub')).toBeUndefined();
    expect(parseUsername('hub/a/b/c/?x')).toBeUndefined();
    expect(parseClientId('dev1/mod')).toEqual({ deviceId: 'dev1', moduleId: 'mod' });
    expect(parseClientId('a/b/c')).toBeUndefined();
    expect(parseClientId('')).toBeUndefined();
    expect(bareHost('LocalHost:8883')).toBe('localhost');
  });
});

describe('SAS verification at connect', () => {
  const verify = (password: string, hostNames = ['localhost']) =>
    verifyDeviceSas({
      password,
      identity: { deviceId: 'dev1', moduleId: null },
      keys: [OTHER, KEY],
      hostNames,
      nowSeconds: NOW,
      clockSkewSeconds: 300,
    });

  it('accepts the resource host with or without the port, and reports the secondary key', () => {
    expect(verify(sdkToken('localhost:18883/devices/dev1'))).toMatchObject({
      ok: true,
      matched: 'secondary',
    });
    expect(verify(sdkToken('LOCALHOST/devices/dev1'))).toMatchObject({ ok: true });
  });

  it('names the reason for each refusal', () => {
    expect(verify(sdkToken('evil.example/devices/dev1'))).toMatchObject({
      ok: false,
      reason: 'sasResourceMismatch',
    });
    expect(verify(sdkToken('localhost/devices/dev2'))).toMatchObject({
      ok: false,
      reason: 'sasResourceMismatch',
    });
    expect(verify(sdkToken('localhost/devices/dev1', NOW - 301))).toMatchObject({
      ok: false,
      reason: 'sasExpired',
    });
    expect(verify(sdkToken('localhost/devices/dev1', NOW - 100))).toMatchObject({ ok: true });
    expect(verify('not a token')).toMatchObject({ ok: false, reason: 'sasMalformed' });
    const forged = sdkToken('localhost/devices/dev1').replace(
      /sig=[^&]+/,
      `sig=${encodeURIComponent(Buffer.alloc(32).toString('base64'))}`,
    );
    expect(verify(forged)).toMatchObject({ ok: false, reason: 'sasSignatureMismatch' });
  });
});

describe('IP filter', () => {
  const filter = {
    defaultAction: 'reject' as const,
    rules: [
      { name: 'block-one', action: 'reject' as const, ipMask: '10.1.2.3' },
      { name: 'lan', action: 'accept' as const, ipMask: '10.0.0.0/8' },
      { name: 'v6', action: 'accept' as const, ipMask: 'fd00::/8' },
      { name: 'broken', action: 'accept' as const, ipMask: 'not-an-ip/99' },
    ],
  };
  it('applies the first matching rule, then the default action', () => {
    expect(evaluateIpFilter(filter, '10.1.2.3')).toEqual({ action: 'reject', rule: 'block-one' });
    expect(evaluateIpFilter(filter, '::ffff:10.9.9.9')).toEqual({ action: 'accept', rule: 'lan' });
    expect(evaluateIpFilter(filter, 'fd12::1')).toEqual({ action: 'accept', rule: 'v6' });
    expect(evaluateIpFilter(filter, '192.168.1.1')).toEqual({ action: 'reject', rule: null });
    expect(evaluateIpFilter({ defaultAction: 'accept', rules: [] }, '127.0.0.1')).toEqual({
      action: 'accept',
      rule: null,
    });
  });
});
