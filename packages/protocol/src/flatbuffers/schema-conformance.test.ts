/**
 * Independent checks that the hand-written encoder and reader follow azure-iot-security.fbs: the schema
 * spec must match the .fbs file, and a generic reader driven only by that spec must find every value of
 * an encoded message under its schema field name. A field id swapped in both encode.ts and read.ts would
 * round-trip, but fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVERY_PAYLOAD, EVERY_PAYLOAD_MESSAGE } from './__fixtures__/sample-messages.js';
import { encodeRtosMessage, type RtosEvent, type RtosNetworkFlow } from './index.js';
import { parseIpv4, parseIpv6 } from './ip-address.js';
import { MESSAGE_SPEC, type TableSpec } from './schema-spec.js';
import { verifyFlatbuffer } from './verify.js';

const fbs = readFileSync(new URL('./azure-iot-security.fbs', import.meta.url), 'utf8');

function fbsTables(): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const [, name = '', body = ''] of fbs.matchAll(/^table (\w+) \{([^}]*)\}/gm)) {
    const fields = [...body.matchAll(/^\s*(\w+): [\w[\]:]+(?: = (\w+))? \(id: (\d+)(, required)?\);/gm)].map(
      ([, field, def, id, required]) =>
        `${id} ${field}${required ? ' required' : ''}${def === '1' ? ' =1' : ''}`,
    );
    tables.set(name, fields);
  }
  return tables;
}

function specTables(spec: TableSpec, out = new Map<string, string[]>()): Map<string, string[]> {
  out.set(
    spec.name,
    spec.fields.map(
      (f) =>
        `${f.id} ${f.name}${f.required ? ' required' : ''}${f.kind === 'scalar' && f.default === 1 ? ' =1' : ''}`,
    ),
  );
  for (const f of spec.fields) {
    if (f.kind === 'table' || f.kind === 'table-vector') specTables(f.table, out);
    if (f.kind === 'union') for (const v of f.variants) if (v) specTables(v, out);
  }
  return out;
}

type Tree = { [name: string]: unknown };

/** Reads every field by its spec id only (no code shared with read.ts). Absent scalars read as their default. */
function genericRead(bytes: Uint8Array, at: number, spec: TableSpec): Tree {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vtable = at - view.getInt32(at, true);
  const slot = (id: number): number =>
    4 + 2 * id < view.getUint16(vtable, true) ? view.getUint16(vtable + 4 + 2 * id, true) : 0;
  const deref = (p: number): number => p + view.getUint32(p, true);
  const hex = (from: number, length: number): string =>
    Buffer.from(bytes.subarray(from, from + length)).toString('hex');
  const tree: Tree = {};
  for (const f of spec.fields) {
    const o = slot(f.id);
    const p = at + o;
    if (f.kind === 'scalar') {
      const read = {
        1: () => view.getUint8(p),
        2: () => view.getUint16(p, true),
        4: () => view.getUint32(p, true),
        8: () => view.getBigUint64(p, true),
      }[f.size];
      tree[f.name] = o ? read() : f.size === 8 ? 0n : (f.default ?? 0);
      continue;
    }
    if (!o) continue;
    if (f.kind === 'struct') tree[f.name] = hex(p, f.size);
    else if (f.kind === 'string') {
      const s = deref(p);
      tree[f.name] = Buffer.from(bytes.subarray(s + 4, s + 4 + view.getUint32(s, true))).toString('utf8');
    } else if (f.kind === 'table') tree[f.name] = genericRead(bytes, deref(p), f.table);
    else if (f.kind === 'table-vector') {
      const v = deref(p);
      tree[f.name] = Array.from({ length: view.getUint32(v, true) }, (_, i) =>
        genericRead(bytes, deref(v + 4 + 4 * i), f.table),
      );
    } else if (f.kind === 'struct-vector') {
      const v = deref(p);
      tree[f.name] = Array.from({ length: view.getUint32(v, true) }, (_, i) =>
        hex(v + 4 + i * f.size, f.size),
      );
    } else {
      const tag = view.getUint8(at + slot(f.typeId));
      const variant = f.variants[tag];
      tree[`${f.name}_type`] = tag;
      if (variant) tree[f.name] = genericRead(bytes, deref(p), variant);
    }
  }
  return tree;
}

const ip = (text: string): string => Buffer.from(parseIpv4(text) ?? parseIpv6(text) ?? []).toString('hex');
const le16 = (n: number): string => Buffer.from([n & 0xff, n >> 8]).toString('hex');
const PROTOCOL = { tcp: 0, udp: 1, icmp: 2 };

function flowTree(f: RtosNetworkFlow): Tree {
  const c = f.common;
  const common: Tree = {
    local_port: c.localPort,
    remote_port: c.remotePort,
    bytes_in: c.bytesIn,
    bytes_out: c.bytesOut,
  };
  Object.assign(common, { protocol: PROTOCOL[c.protocol], process_id: c.processId, user_id: c.userId });
  if (c.executable !== undefined) common.executable = c.executable;
  if (c.commandline !== undefined) common.commandline = c.commandline;
  return { addresses: ip(f.localAddress) + ip(f.remoteAddress), common };
}

/** The schema-named tree an event must encode to, written from the .fbs without looking at encode.ts. */
function expectedPayload(event: RtosEvent): Tree {
  const p = event.payload;
  const strings = (pairs: [string, string | undefined][]): Tree =>
    Object.fromEntries(pairs.filter(([, v]) => v !== undefined));
  switch (p.type) {
    case 'NetworkActivity':
      return (
        strings([]) && {
          ...(p.ipv4Activity.length ? { ipv4_activity: p.ipv4Activity.map(flowTree) } : {}),
          ...(p.ipv6Activity.length ? { ipv6_activity: p.ipv6Activity.map(flowTree) } : {}),
        }
      );
    case 'SystemInformation':
      return strings([
        ['os_info', p.osInfo],
        ['kernel_info', p.kernelInfo],
        ['hw_info', p.hwInfo],
      ]);
    case 'Heartbeat':
      return {};
    case 'ListeningPorts': {
      // struct bytes: address, u16 port, i8 protocol, 1 pad byte
      const port = (x: (typeof p.ipv4Ports)[number]): string =>
        `${ip(x.localAddress)}${le16(x.localPort)}0${PROTOCOL[x.protocol]}00`;
      return { ipv4_ports: p.ipv4Ports.map(port), ipv6_ports: p.ipv6Ports.map(port) };
    }
    case 'Baseline':
      return {
        baseline_checks: p.baselineChecks.map((c) => ({
          ...strings([
            ['id', c.id],
            ['error', c.error],
            ['description', c.description],
            ['remediation', c.remediation],
          ]),
          result: ['pass', 'fail', 'error'].indexOf(c.result),
          severity: ['critical', 'important', 'warning', 'informational'].indexOf(c.severity),
        })),
      };
    case 'Process':
      return {
        ...strings([
          ['executable', p.executable],
          ['user_name', p.userName],
          ['commandline', p.commandline],
        ]),
        process_id: p.processId,
        parent_process_id: p.parentProcessId,
        user_id: p.userId,
        event_type: ['fork', 'exec', 'exit'].indexOf(p.eventType),
        hit_count: p.hitCount,
      };
    case 'Log':
      return p.logs.length === 0
        ? {}
        : {
            logs: p.logs.map((r) => ({
              message: r.message,
              level: ['notset', 'fatal', 'error', 'warn', 'info', 'debug'].indexOf(r.level),
              timestamp: r.timestamp,
              line: r.line,
              filename: r.filename,
            })),
          };
  }
}

describe('conformance to azure-iot-security.fbs', () => {
  it('the verifier spec has exactly the tables, field ids and required flags of the .fbs file', () => {
    expect(Object.fromEntries(specTables(MESSAGE_SPEC))).toEqual(Object.fromEntries(fbsTables()));
  });

  it.each(EVERY_PAYLOAD.map((e) => [e.payload.type, e] as const))(
    'a %s event sits under its schema field ids',
    (_, event) => {
      const bytes = encodeRtosMessage({ ...EVERY_PAYLOAD_MESSAGE, events: [event] });
      const root = genericRead(bytes, verifyFlatbuffer(bytes, MESSAGE_SPEC), MESSAGE_SPEC);
      const uuid = event.id.replaceAll('-', '');
      expect(root).toEqual({
        security_module_id: EVERY_PAYLOAD_MESSAGE.securityModuleId,
        security_module_version: EVERY_PAYLOAD_MESSAGE.securityModuleVersion,
        timezone: EVERY_PAYLOAD_MESSAGE.timezone & 0xff,
        events: [
          {
            id: uuid,
            time: event.time,
            collection_interval: event.collectionInterval,
            payload_type: [
              'NONE',
              'NetworkActivity',
              'SystemInformation',
              'ListeningPorts',
              'Heartbeat',
              'Baseline',
              'Process',
              'Log',
            ].indexOf(event.payload.type),
            payload: expectedPayload(event),
          },
        ],
      });
    },
  );
});
