import { parseConnectionString, symmetricKeyProblem } from '@vigil/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServiceHarness, type ServiceHarness } from '../service-api/testing/service-harness.js';
import { createRegistry, identityView, type Registry } from './index.js';

const dev = { deviceId: 'dev1', moduleId: null };
const mod = { deviceId: 'dev1', moduleId: 'azureiotsecurity' };
const THUMB = 'AB'.repeat(20);

describe('registry', () => {
  let h: ServiceHarness;
  let registry: Registry;
  beforeEach(async () => {
    h = await openServiceHarness();
    registry = createRegistry(h.context, { hostName: 'hub.example.com' });
  });
  afterEach(() => h.close());

  it('creates a SAS device with two distinct generated keys, and its connection strings work with the SDK parser', async () => {
    const created = await registry.create({ deviceId: 'dev1' });
    if (created.auth.type !== 'sas') throw new Error('expected SAS');
    expect(symmetricKeyProblem(created.auth.primaryKey)).toBeUndefined();
    expect(created.auth.primaryKey).not.toBe(created.auth.secondaryKey);
    expect(created.status).toBe('enabled');
    const cs = await registry.connectionString(dev, { gatewayHostName: 'localhost:18883' });
    expect(cs).toBe(
      `HostName=hub.example.com;DeviceId=dev1;SharedAccessKey=${created.auth.primaryKey};GatewayHostName=localhost:18883`,
    );
    const secondary = parseConnectionString(await registry.connectionString(dev, { key: 'secondary' }));
    expect(secondary).toMatchObject({ kind: 'device-key', sharedAccessKey: created.auth.secondaryKey });
    expect(h.operations.named('identityCreated')).toMatchObject([
      { deviceId: 'dev1', moduleId: null, details: { authType: 'sas' } },
    ]);
  });

  it('creates modules and X.509 identities; a self-signed thumbprint is normalised and repeated as secondary', async () => {
    await registry.create({ deviceId: 'dev1' });
    await registry.create({ ...mod, auth: { type: 'sas' } });
    const x = await registry.create({
      deviceId: 'devx',
      auth: { type: 'selfSigned', primaryThumbprint: 'ab:'.repeat(19) + 'ab' },
    });
    expect(x.auth).toEqual({ type: 'selfSigned', primaryThumbprint: THUMB, secondaryThumbprint: THUMB });
    expect(await registry.connectionString({ deviceId: 'devx', moduleId: null })).toBe(
      'HostName=hub.example.com;DeviceId=devx;x509=true',
    );
    expect(await registry.connectionString(mod)).toMatch(
      /^HostName=hub\.example\.com;DeviceId=dev1;ModuleId=azureiotsecurity;SharedAccessKey=/,
    );
    expect((await registry.list()).map((i) => i.deviceId)).toEqual(['dev1', 'devx']);
    expect((await registry.list({ deviceId: 'dev1' })).map((i) => i.moduleId)).toEqual(['azureiotsecurity']);
    expect((await registry.list({ after: 'dev1' })).map((i) => i.deviceId)).toEqual(['devx']);
  });

  it('lists every violation, refuses duplicates and modules of unknown devices', async () => {
    const error = await registry
      .create({
        deviceId: 'bad id',
        moduleId: 'm/1',
        auth: { type: 'sas', primaryKey: 'short', secondaryKey: 'AAAA' },
      })
      .catch((e: unknown) => e);
    expect((error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
      'deviceId',
      'moduleId',
      'authentication.primaryKey',
      'authentication.secondaryKey',
    ]);
    await registry.create({ deviceId: 'dev1' });
    await expect(registry.create({ deviceId: 'dev1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(registry.create({ deviceId: 'ghost', moduleId: 'm' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('disabling an identity or changing its credentials closes its live session; a stale etag changes nothing', async () => {
    const created = await registry.create({ deviceId: 'dev1' });
    const disabled = await registry.update(
      dev,
      { status: 'disabled', statusReason: 'stolen' },
      { ifMatch: created.etag },
    );
    expect(disabled).toMatchObject({ status: 'disabled', statusReason: 'stolen' });
    expect(h.channel.disconnects).toEqual([{ identity: 'dev1', reason: 'identity disabled' }]);
    await expect(
      registry.update(dev, { status: 'enabled' }, { ifMatch: created.etag }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const enabled = await registry.update(dev, { status: 'enabled' });
    const rotated = await registry.update(dev, { auth: { type: 'sas' } });
    expect(rotated.auth).not.toEqual(enabled.auth);
    expect(h.channel.disconnects.at(-1)).toEqual({ identity: 'dev1', reason: 'credentials changed' });
    expect(h.operations.named('identityUpdated')).toHaveLength(3);
  });

  it('deleting a device removes its modules and closes every session', async () => {
    await registry.create({ deviceId: 'dev1' });
    await registry.create(mod);
    await registry.delete(dev);
    expect(h.channel.disconnects.map((d) => d.identity)).toEqual(['dev1', 'dev1/azureiotsecurity']);
    await expect(registry.get(mod)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(registry.delete(dev)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(h.operations.named('identityDeleted')).toHaveLength(1);
  });

  it('shows identities in IoT Hub’s registry shape, keys hidden from viewers', async () => {
    const created = await registry.create({ deviceId: 'dev1' });
    expect(identityView(created)).toMatchObject({
      deviceId: 'dev1',
      authentication: { type: 'sas', symmetricKey: { primaryKey: expect.any(String) } },
    });
    expect(identityView(created, { redactKeys: true }).authentication).toEqual({ type: 'sas' });
  });
});
