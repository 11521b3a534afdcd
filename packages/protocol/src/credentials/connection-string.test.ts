import azureIotCommon from 'azure-iot-common';
import { describe, expect, it } from 'vitest';
import { isProtocolError, type ProtocolError } from '../errors/index.js';
import {
  deviceResourceUri,
  formatConnectionString,
  generateSasToken,
  parseConnectionString,
  type ConnectionString,
} from './index.js';

const { ConnectionString: SdkConnectionString } = azureIotCommon;

const KEY = Buffer.alloc(32, 3).toString('base64');
const TOKEN = generateSasToken({
  resourceUri: deviceResourceUri('hub.test', 'dev1'),
  key: KEY,
  expiresAt: 1_900_000_000,
});

function errorOf(text: string): ProtocolError {
  try {
    parseConnectionString(text);
  } catch (error) {
    if (isProtocolError(error)) return error;
    throw error;
  }
  throw new Error('expected MALFORMED_CONNECTION_STRING');
}

describe('parseConnectionString', () => {
  const cases: [string, ConnectionString][] = [
    [
      `HostName=hub.test;DeviceId=dev1;SharedAccessKey=${KEY}`,
      { kind: 'device-key', hostName: 'hub.test', deviceId: 'dev1', sharedAccessKey: KEY },
    ],
    [
      `HostName=hub.test;DeviceId=dev1;ModuleId=azureiotsecurity;SharedAccessKey=${KEY};GatewayHostName=localhost:18883`,
      {
        kind: 'device-key',
        hostName: 'hub.test',
        deviceId: 'dev1',
        moduleId: 'azureiotsecurity',
        sharedAccessKey: KEY,
        gatewayHostName: 'localhost:18883',
      },
    ],
    [
      'HostName=localhost:18883;DeviceId=devx509;x509=true',
      { kind: 'device-x509', hostName: 'localhost:18883', deviceId: 'devx509' },
    ],
    [
      `HostName=hub.test;SharedAccessKeyName=iothubowner;SharedAccessKey=${KEY}`,
      { kind: 'hub-policy', hostName: 'hub.test', sharedAccessKeyName: 'iothubowner', sharedAccessKey: KEY },
    ],
    [
      `HostName=hub.test;DeviceId=dev1;SharedAccessKeyName=device;SharedAccessKey=${KEY}`,
      {
        kind: 'device-key',
        hostName: 'hub.test',
        deviceId: 'dev1',
        sharedAccessKeyName: 'device',
        sharedAccessKey: KEY,
      },
    ],
    [
      `HostName=hub.test;DeviceId=dev1;SharedAccessSignature=${TOKEN}`,
      { kind: 'device-sas', hostName: 'hub.test', deviceId: 'dev1', sharedAccessSignature: TOKEN },
    ],
    [
      `HostName=hub.test;SharedAccessSignature=${TOKEN}`,
      { kind: 'hub-sas', hostName: 'hub.test', sharedAccessSignature: TOKEN },
    ],
  ];

  it('reads every kind, agreeing with azure-iot-common on each field, and formats it back', () => {
    for (const [text, expected] of cases) {
      expect(parseConnectionString(text), text).toEqual(expected);
      const sdk = SdkConnectionString.parse(text) as unknown as Record<string, string | undefined>;
      expect(sdk['HostName']).toBe(expected.hostName);
      if ('deviceId' in expected) expect(sdk['DeviceId']).toBe(expected.deviceId);
      if ('sharedAccessKey' in expected) expect(sdk['SharedAccessKey']).toBe(expected.sharedAccessKey);
      if ('sharedAccessSignature' in expected)
        expect(sdk['SharedAccessSignature']).toBe(expected.sharedAccessSignature);
      const formatted = formatConnectionString(expected);
      expect(parseConnectionString(formatted)).toEqual(expected);
      // What Vigil writes (`vigil device connection-string`) must read the same in the SDK.
      const sdkOfOurs = SdkConnectionString.parse(formatted) as unknown as Record<string, string | undefined>;
      for (const field of [
        'HostName',
        'DeviceId',
        'ModuleId',
        'SharedAccessKey',
        'SharedAccessKeyName',
        'x509',
      ])
        expect(sdkOfOurs[field], `${field} of ${formatted}`).toBe(sdk[field]);
    }
  });

  it('tolerates a trailing semicolon and keeps = inside values', () => {
    expect(parseConnectionString(`HostName=hub.test;DeviceId=d;SharedAccessKey=${KEY};`)).toMatchObject({
      sharedAccessKey: KEY,
    });
  });

  it('lists every problem at once, with paths, and never the key', () => {
    const badKey = 'c2VjcmV0LWtleS10aGF0LWlzLXRvby1zaG9ydA';
    const error = errorOf(
      `hostname=hub.test;ModuleId=m;SharedAccessKey=${badKey};x509=true;Colour=blue;DeviceId=a/b;junk`,
    );
    expect(error.code).toBe('MALFORMED_CONNECTION_STRING');
    const paths = error.violations.map((v) => v.path);
    expect(paths).toEqual(
      expect.arrayContaining(['hostname', 'Colour', 'HostName', 'DeviceId', 'SharedAccessKey', '$', '[6]']),
    );
    expect(error.message).toContain('names are case-sensitive: HostName');
    expect(error.message).toContain('only one of SharedAccessKey, SharedAccessSignature and x509');
    expect(error.message).not.toContain(badKey);
    expect(JSON.stringify(error)).not.toContain(badKey);
  });

  it('refuses missing credentials, contradictions and duplicates', () => {
    expect(errorOf('HostName=hub.test;DeviceId=d').message).toContain('one of SharedAccessKey');
    expect(errorOf('HostName=hub.test;ModuleId=m;x509=true').message).toContain('ModuleId needs a DeviceId');
    expect(errorOf(`HostName=hub.test;SharedAccessKey=${KEY}`).message).toContain('needs a DeviceId');
    expect(errorOf('HostName=hub.test;DeviceId=d;SharedAccessKeyName=p;x509=true').message).toContain(
      'needs a SharedAccessKey',
    );
    expect(errorOf('HostName=hub.test;DeviceId=d;x509=false').message).toContain('x509 must be "true"');
    expect(errorOf(`HostName=a;HostName=b;DeviceId=d;SharedAccessKey=${KEY}`).message).toContain(
      'more than once',
    );
    expect(
      errorOf('HostName=hub.test;DeviceId=d;SharedAccessSignature=SharedAccessSignature sr=x').code,
    ).toBe('MALFORMED_CONNECTION_STRING');
  });
});

describe('formatConnectionString', () => {
  it('refuses a value that would smuggle in another part', () => {
    expect(() =>
      formatConnectionString({
        kind: 'hub-policy',
        hostName: 'hub.test',
        sharedAccessKeyName: 'p;DeviceId=victim',
        sharedAccessKey: KEY,
      }),
    ).toThrow(/may not contain ";"/);
  });
});
