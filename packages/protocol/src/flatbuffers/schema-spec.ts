/**
 * The "AzureIoTSecurity" 2.3 schema as data, for the verifier: every table's fields with their ids,
 * inline sizes, alignment, required flags and enum ranges (reference/azure-security-module.md §1.7,
 * azure-iot-security.fbs). Keep it in step with that file: ids here decide which vtable slot is checked.
 */

/** A struct byte that holds an enum, checked against the enum's value count. */
export interface StructEnum {
  readonly offset: number;
  readonly count: number;
  readonly name: string;
}

interface FieldBase {
  readonly id: number;
  readonly name: string;
  readonly required?: boolean;
}

/** One field of a table, by kind. */
export type FieldSpec = FieldBase &
  (
    | {
        readonly kind: 'scalar';
        readonly size: 1 | 2 | 4 | 8;
        readonly enumCount?: number;
        /** The schema default when not 0. */
        readonly default?: number;
      }
    | { readonly kind: 'struct'; readonly size: number; readonly align: number }
    | { readonly kind: 'string' }
    | { readonly kind: 'table'; readonly table: TableSpec }
    | { readonly kind: 'table-vector'; readonly table: TableSpec }
    | {
        readonly kind: 'struct-vector';
        readonly size: number;
        readonly align: number;
        readonly enums?: readonly StructEnum[];
      }
    /** A union value; its type tag sits at `typeId` (the implicit `<name>_type` field). */
    | { readonly kind: 'union'; readonly typeId: number; readonly variants: readonly (TableSpec | null)[] }
  );

/** One table of the schema. */
export interface TableSpec {
  readonly name: string;
  readonly fields: readonly FieldSpec[];
}

const PROTOCOL_COUNT = 3;

const networkActivityCommon: TableSpec = {
  name: 'NetworkActivityCommon',
  fields: [
    { id: 0, name: 'local_port', kind: 'scalar', size: 2 },
    { id: 1, name: 'remote_port', kind: 'scalar', size: 2 },
    { id: 2, name: 'bytes_in', kind: 'scalar', size: 4 },
    { id: 3, name: 'bytes_out', kind: 'scalar', size: 4 },
    { id: 4, name: 'protocol', kind: 'scalar', size: 1, enumCount: PROTOCOL_COUNT },
    { id: 5, name: 'process_id', kind: 'scalar', size: 2 },
    { id: 6, name: 'user_id', kind: 'scalar', size: 2 },
    { id: 7, name: 'executable', kind: 'string' },
    { id: 8, name: 'commandline', kind: 'string' },
  ],
};

function networkActivityVersion(name: string, addressesSize: number): TableSpec {
  return {
    name,
    fields: [
      { id: 0, name: 'addresses', kind: 'struct', size: addressesSize, align: 4, required: true },
      { id: 1, name: 'common', kind: 'table', table: networkActivityCommon, required: true },
    ],
  };
}

const networkActivity: TableSpec = {
  name: 'NetworkActivity',
  fields: [
    {
      id: 0,
      name: 'ipv4_activity',
      kind: 'table-vector',
      table: networkActivityVersion('NetworkActivityV4', 8),
    },
    {
      id: 1,
      name: 'ipv6_activity',
      kind: 'table-vector',
      table: networkActivityVersion('NetworkActivityV6', 32),
    },
  ],
};

const systemInformation: TableSpec = {
  name: 'SystemInformation',
  fields: [
    { id: 0, name: 'os_info', kind: 'string' },
    { id: 1, name: 'kernel_info', kind: 'string' },
    { id: 2, name: 'hw_info', kind: 'string' },
  ],
};

const heartbeat: TableSpec = { name: 'Heartbeat', fields: [] };

// ListeningPortsV4 { u32 address; ListeningPortsCommon { u16 port; i8 protocol } } = 8 bytes; V6 = 20.
const listeningPorts: TableSpec = {
  name: 'ListeningPorts',
  fields: [
    {
      id: 0,
      name: 'ipv4_ports',
      kind: 'struct-vector',
      size: 8,
      align: 4,
      enums: [{ offset: 6, count: PROTOCOL_COUNT, name: 'common.protocol' }],
    },
    {
      id: 1,
      name: 'ipv6_ports',
      kind: 'struct-vector',
      size: 20,
      align: 4,
      enums: [{ offset: 18, count: PROTOCOL_COUNT, name: 'common.protocol' }],
    },
  ],
};

const baselineCheck: TableSpec = {
  name: 'BaselineCheck',
  fields: [
    { id: 0, name: 'id', kind: 'string', required: true },
    { id: 1, name: 'result', kind: 'scalar', size: 1, enumCount: 3 },
    { id: 2, name: 'error', kind: 'string' },
    { id: 3, name: 'description', kind: 'string' },
    { id: 4, name: 'severity', kind: 'scalar', size: 1, enumCount: 4 },
    { id: 5, name: 'remediation', kind: 'string' },
  ],
};

const baseline: TableSpec = {
  name: 'Baseline',
  fields: [{ id: 0, name: 'baseline_checks', kind: 'table-vector', table: baselineCheck }],
};

const process: TableSpec = {
  name: 'Process',
  fields: [
    { id: 0, name: 'executable', kind: 'string' },
    { id: 1, name: 'process_id', kind: 'scalar', size: 4 },
    { id: 2, name: 'parent_process_id', kind: 'scalar', size: 4 },
    { id: 3, name: 'user_id', kind: 'scalar', size: 4 },
    { id: 4, name: 'user_name', kind: 'string' },
    { id: 5, name: 'commandline', kind: 'string' },
    { id: 6, name: 'event_type', kind: 'scalar', size: 1, enumCount: 3 },
    { id: 7, name: 'hit_count', kind: 'scalar', size: 4, default: 1 },
  ],
};

const record: TableSpec = {
  name: 'Record',
  fields: [
    { id: 0, name: 'message', kind: 'string', required: true },
    { id: 1, name: 'level', kind: 'scalar', size: 1, enumCount: 6 },
    { id: 2, name: 'timestamp', kind: 'scalar', size: 8 },
    { id: 3, name: 'line', kind: 'scalar', size: 4 },
    { id: 4, name: 'filename', kind: 'string', required: true },
  ],
};

const log: TableSpec = {
  name: 'Log',
  fields: [{ id: 0, name: 'logs', kind: 'table-vector', table: record }],
};

const event: TableSpec = {
  name: 'Event',
  fields: [
    { id: 0, name: 'id', kind: 'struct', size: 16, align: 1, required: true },
    { id: 1, name: 'time', kind: 'scalar', size: 4 },
    { id: 2, name: 'collection_interval', kind: 'scalar', size: 4 },
    {
      id: 4,
      name: 'payload',
      kind: 'union',
      typeId: 3,
      required: true,
      // indexed by the Payload type tag; 0 is NONE
      variants: [null, networkActivity, systemInformation, listeningPorts, heartbeat, baseline, process, log],
    },
  ],
};

/** The root table, `Message`. */
export const MESSAGE_SPEC: TableSpec = {
  name: 'Message',
  fields: [
    { id: 0, name: 'security_module_id', kind: 'string', required: true },
    { id: 1, name: 'security_module_version', kind: 'scalar', size: 4 },
    { id: 2, name: 'timezone', kind: 'scalar', size: 1 },
    { id: 3, name: 'events', kind: 'table-vector', table: event, required: true },
  ],
};
