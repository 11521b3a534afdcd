import { createHmac } from 'node:crypto';
import azureIotCommon from 'azure-iot-common';
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors/index.js';
import {
  deviceResourceUri,
  generateSasToken,
  generateSymmetricKey,
  parseSasToken,
  verifySasToken,
  type SasVerification,
} from './index.js';

const { SharedAccessSignature, encodeUriComponentStrict } = azureIotCommon;

const HOST = 'myhub.azure-devices.net';
const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 9).toString('base64');
const SE = 1_795_382_568;
const NOW = SE - 3600;

/** Resource URIs the SDK has to encode: every punctuation character IoT Hub allows in ids. */
const CASES = [
  { name: 'device', uri: deviceResourceUri(HOST, 'dev1'), policy: undefined },
  { name: 'module', uri: deviceResourceUri(HOST, 'dev1', 'azureiotsecurity'), policy: undefined },
  { name: 'policy', uri: deviceResourceUri(HOST, 'dev1'), policy: 'iothubowner' },
  { name: 'odd ids', uri: deviceResourceUri(HOST, "d-.+%_#*?!(),:=@$'", "m!'()*"), policy: undefined },
  { name: 'host with port', uri: deviceResourceUri('localhost:18883', 'dev1'), policy: 'device' },
] as const;

function expectFailure(outcome: SasVerification, code: string): void {
  expect(outcome.ok).toBe(false);
  if (!outcome.ok) expect(outcome.error.code).toBe(code);
}

describe('generateSasToken matches azure-iot-common byte for byte', () => {
  for (const c of CASES) {
    it(`${c.name}`, () => {
      const ours = generateSasToken({
        resourceUri: c.uri,
        key: KEY,
        expiresAt: SE,
        ...(c.policy ? { policyName: c.policy } : {}),
      });
      // The device SDK encodes the resource with encodeUriComponentStrict before calling create().
      const theirs = SharedAccessSignature.create(
        encodeUriComponentStrict(c.uri),
        c.policy ?? '',
        KEY,
        SE,
      ).toString();
      expect(ours).toBe(theirs);
      const parsed = SharedAccessSignature.parse(ours, ['sr', 'sig', 'se']);
      expect(parsed.sr).toBe(encodeUriComponentStrict(c.uri));
      expect(String(parsed.se)).toBe(String(SE));
    });
  }
});

describe('verifySasToken', () => {
  it('accepts tokens made by azure-iot-common, for devices, modules and policies, with odd ids', () => {
    for (const c of CASES) {
      const token = SharedAccessSignature.create(
        encodeUriComponentStrict(c.uri),
        c.policy ?? '',
        KEY,
        SE,
      ).toString();
      const outcome = verifySasToken(token, {
        key: KEY,
        expectedResourceUri: c.uri,
        now: NOW,
        ...(c.policy ? { policyName: c.policy } : {}),
      });
      expect(outcome, c.name).toMatchObject({
        ok: true,
        matchedKey: 'primary',
        token: { resourceUri: c.uri },
      });
    }
  });

  it('verifies over sr as received: Embedded C field order and upper-case %2F, C# lower-case %2f', () => {
    const sign = (sr: string): string =>
      encodeURIComponent(
        createHmac('sha256', Buffer.from(KEY, 'base64')).update(`${sr}\n${SE}`).digest('base64'),
      );
    const embedded = `${HOST}%2Fdevices%2Fdev1`;
    const csharp = `${HOST}%2fdevices%2fdev1`;
    for (const token of [
      `SharedAccessSignature sr=${embedded}&sig=${sign(embedded)}&se=${SE}`,
      `SharedAccessSignature se=${SE}&sig=${sign(csharp)}&sr=${csharp}`,
    ]) {
      expect(
        verifySasToken(token, { key: KEY, expectedResourceUri: deviceResourceUri(HOST, 'dev1'), now: NOW })
          .ok,
      ).toBe(true);
    }
  });

  it('compares the host case-insensitively and the ids exactly', () => {
    const token = generateSasToken({
      resourceUri: deviceResourceUri('MyHub.Azure-Devices.net', 'dev1'),
      key: KEY,
      expiresAt: SE,
    });
    expect(
      verifySasToken(token, { key: KEY, expectedResourceUri: deviceResourceUri(HOST, 'dev1'), now: NOW }).ok,
    ).toBe(true);
    expectFailure(
      verifySasToken(token, { key: KEY, expectedResourceUri: deviceResourceUri(HOST, 'DEV1'), now: NOW }),
      'SAS_RESOURCE_MISMATCH',
    );
  });

  it('tells expired, wrong resource, wrong key and malformed apart', () => {
    const token = generateSasToken({ resourceUri: deviceResourceUri(HOST, 'dev1'), key: KEY, expiresAt: SE });
    const base = { key: KEY, expectedResourceUri: deviceResourceUri(HOST, 'dev1'), now: NOW };
    expectFailure(verifySasToken(token, { ...base, now: SE }), 'SAS_TOKEN_EXPIRED');
    expect(verifySasToken(token, { ...base, now: SE, clockSkewSeconds: 300 }).ok).toBe(true);
    expectFailure(
      verifySasToken(token, { ...base, expectedResourceUri: deviceResourceUri(HOST, 'dev2') }),
      'SAS_RESOURCE_MISMATCH',
    );
    expectFailure(
      verifySasToken(token, { ...base, expectedResourceUri: deviceResourceUri(HOST, 'dev1', 'm') }),
      'SAS_RESOURCE_MISMATCH',
    );
    expectFailure(verifySasToken(token, { ...base, key: OTHER_KEY }), 'SAS_SIGNATURE_MISMATCH');
    expectFailure(verifySasToken(token.replace('se=', 'se=1'), base), 'SAS_SIGNATURE_MISMATCH');
    expectFailure(
      verifySasToken(token.replace('SharedAccessSignature', 'Bearer'), base),
      'MALFORMED_SAS_TOKEN',
    );
    expectFailure(verifySasToken(token, { ...base, key: 'not base64!' }), 'INVALID_KEY');
  });

  it('tries the secondary key and reports which one matched', () => {
    const token = generateSasToken({
      resourceUri: deviceResourceUri(HOST, 'dev1'),
      key: OTHER_KEY,
      expiresAt: SE,
    });
    expect(
      verifySasToken(token, {
        keys: [KEY, OTHER_KEY],
        expectedResourceUri: deviceResourceUri(HOST, 'dev1'),
        now: NOW,
      }),
    ).toMatchObject({
      ok: true,
      matchedKey: 'secondary',
    });
  });

  it('refuses a device token relabelled with skn, and a policy token for the wrong policy', () => {
    const token = generateSasToken({ resourceUri: deviceResourceUri(HOST, 'dev1'), key: KEY, expiresAt: SE });
    const base = { key: KEY, expectedResourceUri: deviceResourceUri(HOST, 'dev1'), now: NOW };
    expectFailure(verifySasToken(`${token}&skn=iothubowner`, base), 'SAS_SIGNATURE_MISMATCH');
    const policy = generateSasToken({
      resourceUri: `${HOST}/devices`,
      key: KEY,
      expiresAt: SE,
      policyName: 'device',
    });
    expect(verifySasToken(policy, { ...base, policyName: 'device' }).ok).toBe(true);
    expectFailure(verifySasToken(policy, { ...base, policyName: 'service' }), 'SAS_SIGNATURE_MISMATCH');
    // A policy token covers a path prefix by whole segments only, and a device key never does.
    const narrow = generateSasToken({
      resourceUri: `${HOST}/devices/dev`,
      key: KEY,
      expiresAt: SE,
      policyName: 'device',
    });
    expectFailure(verifySasToken(narrow, { ...base, policyName: 'device' }), 'SAS_RESOURCE_MISMATCH');
  });
});

describe('parseSasToken', () => {
  it('returns decoded and as-sent fields', () => {
    const token = generateSasToken({
      resourceUri: deviceResourceUri(HOST, "d'1"),
      key: KEY,
      expiresAt: SE,
      policyName: 'my policy',
    });
    expect(parseSasToken(token)).toMatchObject({
      resourceUri: `${HOST}/devices/d'1`,
      encodedResourceUri: `${HOST}%2Fdevices%2Fd%271`,
      expiresAt: SE,
      encodedExpiry: String(SE),
      policyName: 'my policy',
    });
  });

  it('lists every problem without repeating the signature', () => {
    const secretSig = encodeURIComponent(Buffer.alloc(32, 1).toString('base64'));
    try {
      parseSasToken(`SharedAccessSignature sig=${secretSig}&se=soon&x=1&sig=${secretSig}`);
      expect.unreachable();
    } catch (error) {
      expect(isProtocolError(error, 'MALFORMED_SAS_TOKEN')).toBe(true);
      if (!isProtocolError(error)) return;
      expect(error.violations.map((v) => v.path)).toEqual(expect.arrayContaining(['[2]', 'sig']));
      expect(error.message).not.toContain(decodeURIComponent(secretSig));
      expect(error.message).not.toContain(secretSig);
    }
  });
});

describe('generateSymmetricKey', () => {
  it('makes distinct 32-byte base64 keys that sign tokens', () => {
    const a = generateSymmetricKey();
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(generateSymmetricKey()).not.toBe(a);
    const token = generateSasToken({ resourceUri: deviceResourceUri(HOST, 'd'), key: a, expiresAt: SE });
    expect(
      verifySasToken(token, { key: a, expectedResourceUri: deviceResourceUri(HOST, 'd'), now: NOW }).ok,
    ).toBe(true);
  });
});
