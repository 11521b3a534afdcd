import { describe, expect, it } from 'vitest';
import { parseSasToken, verifySasToken } from '@vigil/protocol';
import { runCli } from '../run-cli.js';
import { captureIo } from '../testing/capture-io.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const NOW = 1_800_000_000;

describe('vigil sas-token', () => {
  it('signs a token from a connection string that the hub side verifies for that device', async () => {
    const io = captureIo({ nowSeconds: NOW });
    const code = await runCli(
      [
        'sas-token',
        '--connection-string',
        `HostName=hub.example;DeviceId=thermo-1;SharedAccessKey=${KEY}`,
        '--ttl',
        '60',
      ],
      io,
    );
    expect(code).toBe(0);
    const token = io.out().trim();
    expect(parseSasToken(token).expiresAt).toBe(NOW + 60);
    const outcome = verifySasToken(token, {
      expectedResourceUri: 'hub.example/devices/thermo-1',
      keys: [KEY],
      now: NOW,
    });
    expect(outcome).toMatchObject({ ok: true });
  });

  it('signs with a shared access policy: SharedAccessKeyName in the string, or --policy, puts skn in the token', async () => {
    const fromString = captureIo({ nowSeconds: NOW });
    expect(
      await runCli(
        [
          'sas-token',
          '--connection-string',
          `HostName=hub.example;DeviceId=thermo-1;SharedAccessKeyName=device;SharedAccessKey=${KEY}`,
        ],
        fromString,
      ),
    ).toBe(0);
    const fromFlags = captureIo({ nowSeconds: NOW });
    expect(
      await runCli(
        ['sas-token', '--host', 'hub.example', '--device', 'thermo-1', '--key', KEY, '--policy', 'device'],
        fromFlags,
      ),
    ).toBe(0);
    for (const token of [fromString.out().trim(), fromFlags.out().trim()]) {
      expect(parseSasToken(token).policyName).toBe('device');
      const asPolicy = verifySasToken(token, {
        expectedResourceUri: 'hub.example/devices/thermo-1',
        keys: [KEY],
        policyName: 'device',
        now: NOW,
      });
      expect(asPolicy).toMatchObject({ ok: true });
      // Without `skn` awareness the same key is refused: a policy token is never a device's own.
      expect(
        verifySasToken(token, { expectedResourceUri: 'hub.example/devices/thermo-1', keys: [KEY], now: NOW }),
      ).toMatchObject({ ok: false });
    }
  });

  it('prints MQTT credentials for a module identity', async () => {
    const io = captureIo({ nowSeconds: NOW });
    const code = await runCli(
      [
        'sas-token',
        '--host',
        'hub.example',
        '--device',
        'gw',
        '--module',
        'azureiotsecurity',
        '--key',
        KEY,
        '--mqtt',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.out()).toContain('client id: gw/azureiotsecurity\n');
    expect(io.out()).toContain('username:  hub.example/gw/azureiotsecurity/?api-version=');
    expect(io.out()).toMatch(
      /password: {2}SharedAccessSignature sr=hub\.example%2Fdevices%2Fgw%2Fmodules%2Fazureiotsecurity&/,
    );
  });

  it('names every missing flag and exits 2', async () => {
    const io = captureIo();
    expect(await runCli(['sas-token', '--host', 'hub.example'], io)).toBe(2);
    expect(io.err()).toContain('missing: --device, --key');
    expect(io.out()).toBe('');
  });

  it('refuses a key that is not base64 and a ttl that is not a whole number', async () => {
    const badKey = captureIo();
    expect(await runCli(['sas-token', '--host', 'h', '--device', 'd', '--key', 'not base64!'], badKey)).toBe(
      2,
    );
    expect(badKey.err()).toContain('--key:');
    const badTtl = captureIo();
    expect(
      await runCli(['sas-token', '--host', 'h', '--device', 'd', '--key', KEY, '--ttl', '1.5'], badTtl),
    ).toBe(2);
    expect(badTtl.err()).toContain('--ttl must be a whole number');
  });

  it('refuses a connection string without a key with the kind it found', async () => {
    const io = captureIo();
    const code = await runCli(['sas-token', '--connection-string', 'HostName=h;DeviceId=d;x509=true'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('device-x509');
  });

  it('reports a malformed connection string as refused input with its code', async () => {
    const io = captureIo();
    expect(await runCli(['sas-token', '--connection-string', 'nonsense'], io)).toBe(1);
    expect(io.err()).toContain('MALFORMED_CONNECTION_STRING');
  });
});

describe('vigil', () => {
  it('shows the command list without arguments and exits 2; unknown commands are usage errors', async () => {
    const bare = captureIo();
    expect(await runCli([], bare)).toBe(2);
    expect(bare.out()).toContain('sas-token');
    const unknown = captureIo();
    expect(await runCli(['sas-tokn'], unknown)).toBe(2);
    expect(unknown.err()).toContain('Did you mean sas-token?');
  });

  it('prints help with exit code 0', async () => {
    const io = captureIo();
    expect(await runCli(['sas-token', '--help'], io)).toBe(0);
    expect(io.out()).toContain('--connection-string <text>');
  });
});
