import { describe, expect, it } from 'vitest';
import { isProtocolError, ProtocolError } from '../errors/index.js';
import type { SecurityEvent, SecurityEventOf } from '../events/index.js';
import { validCases } from './__fixtures__/corpus.js';
import { decodeJsonSecurityMessage, parseJsonSecurityMessage } from './index.js';

const corpus = (prefix: string): Record<string, unknown> =>
  structuredClone(validCases.find((c) => c.name.startsWith(prefix))!.message) as Record<string, unknown>;

const everyEvent = decodeJsonSecurityMessage(corpus('every event type in one message'));
function only<K extends SecurityEvent['kind']>(kind: K, name?: string): SecurityEventOf<K> {
  const found = everyEvent.events.filter((e) => e.kind === kind && (name === undefined || e.name === name));
  expect(found).toHaveLength(1);
  return found[0] as SecurityEventOf<K>;
}

describe('decodeJsonSecurityMessage maps every event type into the model', () => {
  it('keeps the envelope and decodes the header of each event', () => {
    expect(everyEvent).toMatchObject({
      format: 'json-1.0',
      agentId: '9c647395-b913-4997-a732-a7fe7303b649',
      agentVersion: '0.0.5',
      schemaVersion: '1.0',
    });
    // The message mixes agents' spellings of protocols; each is noted once, nothing else is.
    expect(new Set(everyEvent.warnings.map((w) => w.code))).toEqual(new Set(['PROTOCOL_NAME_NORMALISED']));
    expect(everyEvent.events).toHaveLength(14);
    expect(everyEvent.events[0]).toMatchObject({
      id: '00001234-5678-0000-4000-80000000001d',
      name: 'ConnectionCreate',
      eventType: 'Security',
      category: 'Triggered',
      timeUtc: Date.UTC(2019, 0, 27, 15, 48, 52),
      timeLocalText: '2019-01-27T16:48:52.000+01:00',
      format: 'json-1.0',
    });
    expect(everyEvent.events[0]).not.toHaveProperty('aggregation');
    const upper = corpus('ConnectionCreate outbound');
    (upper.Events as Record<string, unknown>[])[0]!.Id = 'A0B1C2D3-E4F5-4000-8000-00000000ABCD';
    expect(decodeJsonSecurityMessage(upper).events[0]!.id).toBe('a0b1c2d3-e4f5-4000-8000-00000000abcd');
  });

  it('ConnectionCreate → network-activity flows', () => {
    expect(only('network-activity').flows).toEqual([
      {
        ipVersion: 4,
        protocol: 'tcp',
        direction: 'out',
        remoteAddress: '52.168.10.4',
        remotePort: '443',
        processId: 1201,
        executable: '/usr/bin/curl',
      },
    ]);
    const inbound = decodeJsonSecurityMessage(corpus('ConnectionCreate inbound over IPv6'));
    expect(inbound.events[0]).toMatchObject({
      kind: 'network-activity',
      flows: [
        {
          ipVersion: 6,
          protocol: 'tcp',
          direction: 'in',
          localAddress: 'fe80::1ff:fe23:4567:890a',
          localPort: '22',
          remoteAddress: '2001:db8::7',
          remotePort: '53211',
          processId: 812,
          userId: '0',
          executable: '/usr/sbin/sshd',
          commandLine: '/usr/sbin/sshd -D',
          extraDetails: { familyName: 'AF_INET6', saddr: '0A000016' },
        },
      ],
    });
    const tcp6 = decodeJsonSecurityMessage(corpus('ConnectionCreate tcp6'));
    expect(tcp6.events[0]).toMatchObject({ flows: [{ protocol: 'tcp', ipVersion: 6 }] });
  });

  it('ProcessCreate and ProcessTerminate → process records', () => {
    expect(only('process', 'ProcessCreate').processes).toEqual([
      {
        action: 'exec',
        executable: '/bin/bash',
        processId: 4242,
        parentProcessId: 4200,
        userId: '1000',
        userName: 'pi',
        commandLine: "bash -c 'wget http://x/y.sh'",
        hitCount: 1,
      },
    ]);
    expect(only('process', 'ProcessTerminate').processes).toEqual([
      {
        action: 'exit',
        executable: 'C:\\windows\\system32\\cscript.exe',
        processId: 6052,
        exitStatus: 0,
        hitCount: 1,
      },
    ]);
  });

  it('Login → login attempts', () => {
    expect(only('login').attempts).toEqual([
      {
        processId: 913,
        userId: '1000',
        userName: 'pi',
        operation: 'PAM:authentication',
        executable: '/usr/sbin/sshd',
        remoteAddress: '203.0.113.9',
        remotePort: '50122',
        localPort: '22',
        result: 'fail',
      },
    ]);
  });

  it('ListeningPorts → ports, with the IP version from the protocol or the address', () => {
    expect(only('listening-ports').ports).toEqual([
      {
        ipVersion: 4,
        protocol: 'tcp',
        localAddress: '0.0.0.0',
        localPort: '22',
        remoteAddress: '0.0.0.0',
        remotePort: '*',
        extraDetails: { Pid: '812' },
      },
    ]);
    const several = decodeJsonSecurityMessage(corpus('ListeningPorts with several sockets'));
    expect(several.events[0]).toMatchObject({
      ports: [
        { ipVersion: 4 },
        { ipVersion: 6, protocol: 'udp', localAddress: '::', localPort: '*' },
        { protocol: 'udp' },
      ],
    });
    expect((several.events[0] as SecurityEventOf<'listening-ports'>).ports[2]).toEqual({
      protocol: 'udp',
      localPort: '68',
    });
    const empty = decodeJsonSecurityMessage(corpus('ListeningPorts empty snapshot'));
    expect(empty.events[0]).toMatchObject({ kind: 'listening-ports', category: 'Periodic', ports: [] });
  });

  it('LocalUsers → users with split group lists', () => {
    expect(only('local-users').users).toEqual([
      { userName: 'root', userId: '0', groupNames: ['root', 'daemon'], groupIds: ['0', '1'] },
    ]);
    const empty = decodeJsonSecurityMessage(corpus('LocalUsers with empty group lists'));
    expect(empty.events[0]).toMatchObject({ users: [{ groupNames: [], groupIds: [] }] });
  });

  it('SystemInformation → info', () => {
    expect(only('system-information').info).toEqual({
      osName: 'Linux',
      osVersion: '5.10.103-v7l+ #1529 SMP',
      osVendor: 'Raspbian',
      osArchitecture: 'armv7l',
      hostName: 'gw-01',
      biosVersion: 'n/a',
      bootDevice: '/dev/mmcblk0p1',
      totalPhysicalMemoryKb: 3884376,
      freePhysicalMemoryKb: 2201032,
      totalVirtualMemoryKb: 102396,
      freeVirtualMemoryKb: 102396,
    });
  });

  it('FirewallConfiguration → rules', () => {
    expect(only('firewall-configuration').rules).toEqual([
      {
        enabled: true,
        action: 'allow',
        priority: 0,
        direction: 'in',
        chainName: 'INPUT',
        application: 'sshd',
        sourceAddress: '10.228.100.167/27',
        sourcePort: '*',
        destinationAddress: 'Local subnet',
        destinationPort: '22,53',
        protocol: 'tcp',
      },
    ]);
    const minimal = decodeJsonSecurityMessage(corpus('FirewallConfiguration minimal'));
    expect(minimal.events[0]).toMatchObject({
      rules: [
        { enabled: false, action: 'other', extraDetails: { Action: 'LOG' } },
        { enabled: true, action: 'deny', direction: 'out', priority: 3 },
      ],
    });
  });

  it('OSBaseline → baseline checks, Err read as error', () => {
    expect(only('baseline').checks).toEqual([
      {
        checkId: 'CCE-4387-1',
        result: 'fail',
        description: 'Ensure SSH root login is disabled',
        error: '',
        severity: 'critical',
      },
    ]);
    const mixed = decodeJsonSecurityMessage(corpus('OSBaseline error and pass'));
    expect(mixed.events[0]).toMatchObject({
      checks: [
        { result: 'error', severity: 'warning', error: 'omsbaseline timed out' },
        { result: 'pass', severity: 'informational' },
        { result: 'fail', severity: 'important' },
      ],
    });
  });

  it('ConnectedHardware, Diagnostic, ConfigurationError, DroppedEventsStatistics, MessageStatistics', () => {
    expect(only('connected-hardware').items).toEqual([
      {
        category: 'USB',
        subCategory: 'Adapter',
        name: 'Intel(R) USB 3.0 eXtensible Host Controller - 1.0 (Microsoft)',
      },
    ]);
    expect(only('diagnostic')).toMatchObject({
      eventType: 'Diagnostic',
      entries: [
        {
          severity: 'error',
          message: 'failed to read /var/log/audit',
          processId: 77,
          threadId: 78,
          correlationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
        },
      ],
    });
    expect(only('configuration-error')).toMatchObject({
      eventType: 'Operational',
      errors: [
        {
          configurationName: 'highPriorityMessageFrequency',
          errorType: 'TypeMismatch',
          usedConfiguration: 'PT7M',
          message: 'expected an ISO 8601 duration',
        },
      ],
    });
    expect(only('dropped-events').queues).toEqual([
      { queue: 'high', collectedEvents: 120, droppedEvents: 0 },
      { queue: 'low', collectedEvents: 5000, droppedEvents: 17 },
    ]);
    expect(only('message-statistics').statistics).toEqual([
      { messagesSent: 42, messagesUnder4Kb: 40, totalFailed: 1 },
    ]);
  });
});

describe('decoding what real agents send', () => {
  it('an aggregated C agent event: hit count from a JSON number, window times, zone-less timestamps as UTC', () => {
    const message = corpus('ProcessCreate with every field');
    const event = (message.Events as Record<string, unknown>[])[0]!;
    Object.assign(event, { Category: 'Aggregated', TimestampUTC: '2019-01-27T15:48:52' });
    (event.Payload as Record<string, unknown>[])[0]!.ExtraDetails = {
      HitCount: 12,
      StartTimeUtc: '2019-01-27T14:48:52Z',
      EndTimeUtc: '01/27/2019 15:48:52',
    };
    const decoded = decodeJsonSecurityMessage(message);
    expect(decoded.warnings.map((w) => w.code)).toEqual([
      'TIMESTAMP_NO_ZONE',
      'CATEGORY_AGGREGATED',
      'EXTRA_DETAILS_NOT_STRING',
    ]);
    expect(decoded.events[0]).toMatchObject({
      category: 'Aggregated',
      timeUtc: Date.UTC(2019, 0, 27, 15, 48, 52),
      aggregation: {
        hitCount: 12,
        startTimeUtc: Date.UTC(2019, 0, 27, 14, 48, 52),
        endTimeUtc: Date.UTC(2019, 0, 27, 15, 48, 52),
      },
      processes: [{ hitCount: 12, extraDetails: { HitCount: '12' } }],
    });
    expect(() => decodeJsonSecurityMessage(message, { strict: true })).toThrow(ProtocolError);
  });

  it('merges several SystemInformation items field by field, later items winning', () => {
    const message = corpus('SystemInformation with an empty item');
    (message.Events as Record<string, unknown>[])[0]!.Payload = [
      { OSName: 'Linux', HostName: 'old', ExtraDetails: { a: '1' } },
      { HostName: 'gw-02', TotalPhysicalMemoryInKB: 1024, ExtraDetails: { b: '2' } },
    ];
    expect(decodeJsonSecurityMessage(message).events[0]).toMatchObject({
      kind: 'system-information',
      info: {
        osName: 'Linux',
        hostName: 'gw-02',
        totalPhysicalMemoryKb: 1024,
        extraDetails: { a: '1', b: '2' },
      },
    });
  });

  it('normalises protocol names: upper case, versioned and unknown ones', () => {
    const message = corpus('ListeningPorts with several sockets');
    const items = (message.Events as Record<string, unknown>[])[0]!.Payload as Record<string, unknown>[];
    items[0]!.Protocol = 'TCP6';
    items[1]!.Protocol = 'icmpv6';
    items[2]!.Protocol = 'SCTP-Custom';
    expect(decodeJsonSecurityMessage(message).events[0]).toMatchObject({
      ports: [
        { protocol: 'tcp', ipVersion: 6 },
        { protocol: 'icmp', ipVersion: 6 },
        { protocol: 'sctp-custom' },
      ],
    });
  });

  it('drops the empty port an aggregated connection leaves behind', () => {
    const message = corpus('ConnectionCreate outbound');
    const event = (message.Events as Record<string, unknown>[])[0]!;
    event.Category = 'Aggregated';
    Object.assign((event.Payload as Record<string, unknown>[])[0]!, { LocalPort: '', ProcessId: 0 });
    const flow = (decodeJsonSecurityMessage(message).events[0] as SecurityEventOf<'network-activity'>)
      .flows[0]!;
    expect(flow).not.toHaveProperty('localPort');
    expect(flow.remotePort).toBe('443');
  });

  it('keeps a __proto__ ExtraDetails key as plain data', () => {
    const message = JSON.parse(
      JSON.stringify(corpus('ConnectionCreate outbound')).replace(
        '"ProcessId"',
        '"ExtraDetails":{"__proto__":"x"},"ProcessId"',
      ),
    ) as unknown;
    const flow = (decodeJsonSecurityMessage(message).events[0] as SecurityEventOf<'network-activity'>)
      .flows[0]!;
    expect(Object.getPrototypeOf(flow.extraDetails)).toBe(Object.prototype);
    expect(Object.entries(flow.extraDetails!)).toEqual([['__proto__', 'x']]);
  });

  it('throws INVALID_SECURITY_MESSAGE carrying every violation', () => {
    const message = corpus('ConnectionCreate outbound');
    message.AgentId = 'short';
    delete message.AgentVersion;
    try {
      decodeJsonSecurityMessage(message);
      expect.unreachable();
    } catch (error) {
      expect(isProtocolError(error, 'INVALID_SECURITY_MESSAGE')).toBe(true);
      expect((error as ProtocolError).violations.map((v) => v.path)).toEqual(['/AgentVersion', '/AgentId']);
      expect((error as ProtocolError).message).toContain('/AgentVersion');
    }
  });
});

describe('parseJsonSecurityMessage', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const text = JSON.stringify(corpus('every event type in one message'), null, 1);
  const codeOf = (input: Uint8Array): string => {
    try {
      parseJsonSecurityMessage(input);
      return 'ok';
    } catch (error) {
      return (error as ProtocolError).code;
    }
  };

  it('decodes bytes, with or without a byte order mark', () => {
    expect(parseJsonSecurityMessage(bytes(text)).events).toHaveLength(14);
    expect(parseJsonSecurityMessage(bytes(`\uFEFF${text}`)).events).toHaveLength(14);
  });

  it('names where the JSON breaks', () => {
    const broken = text.replace('"Name": "Login"', '"Name": "Login",,');
    const error = (() => {
      try {
        parseJsonSecurityMessage(bytes(broken));
      } catch (thrown) {
        return thrown as ProtocolError;
      }
      throw new Error('parsed');
    })();
    expect(error.code).toBe('MALFORMED_JSON');
    const position = broken.indexOf(',,') + 1;
    const line = broken.slice(0, position).split('\n').length;
    expect(error.message).toContain(`line ${line} column`);
    expect(error.message).toContain(`(character ${position})`);
    expect(codeOf(bytes(text.slice(0, 100)))).toBe('MALFORMED_JSON');
  });

  it('rejects bytes that are not UTF-8, bodies above 256 KiB, and JSON that is not a message', () => {
    const invalidUtf8 = bytes(text);
    invalidUtf8[40] = 0xff;
    expect(codeOf(invalidUtf8)).toBe('MALFORMED_JSON');
    const padded = bytes(text + ' '.repeat(262_144 - bytes(text).length));
    expect(codeOf(padded)).toBe('ok');
    expect(codeOf(bytes(text + ' '.repeat(262_145 - bytes(text).length)))).toBe('MESSAGE_TOO_LARGE');
    expect(codeOf(bytes('[]'))).toBe('INVALID_SECURITY_MESSAGE');
  });
});
