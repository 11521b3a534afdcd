/**
 * A FlatBuffers verifier: walks every offset, vtable, vector, string and union reachable from the root
 * and rejects the first thing out of range with MALFORMED_FLATBUFFER naming its field path. The
 * `flatbuffers` runtime reads without any checks, so nothing may be read from a body until this passed.
 * The rules are the format's own (those of the reference C++ and flatcc verifiers): aligned scalars,
 * offsets that point forward and inside the buffer, NUL-terminated UTF-8 strings, fields inside their
 * table, known union tags and enum values, required fields present.
 */
import { ProtocolError } from '../errors/index.js';
import type { FieldSpec, TableSpec } from './schema-spec.js';

/** Deepest table nesting accepted; the RTOS schema needs 5 (Message → Event → payload → flow → common). */
export const MAX_TABLE_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Verifier {
  private readonly view: DataView;
  private readonly length: number;
  // Offsets may be shared, so a small buffer can make a walk visit the same bytes again and again
  // (and a decoder build huge output). Every table, vector and string visited is charged its size;
  // a buffer without sharing costs at most its own length, so twice that is generous.
  private budget: number;
  // The field path as segments (names and vector indexes), turned into text only when something fails:
  // building path strings for every field would cost more than the checks themselves.
  private readonly trail: (string | number)[] = [];

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.length;
    this.budget = 2 * bytes.length + 64;
  }

  fail(message: string): never {
    let path = '$';
    for (const segment of this.trail) path += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
    throw new ProtocolError('MALFORMED_FLATBUFFER', `${path}: ${message}`, {
      violations: [{ path, message }],
    });
  }

  private need(at: number, size: number, align: number, what: string): void {
    if (at < 0 || at + size > this.length) {
      this.fail(`${what} at byte ${at} (${size} bytes) lies outside the ${this.length}-byte buffer`);
    }
    if (at % align !== 0) this.fail(`${what} at byte ${at} is not ${align}-byte aligned`);
  }

  private charge(size: number): void {
    this.budget -= size;
    if (this.budget < 0) this.fail('offsets are shared so often that the message would expand without bound');
  }

  /** Follows the uoffset stored at `at`; returns the absolute position it names. */
  private follow(at: number): number {
    this.need(at, 4, 4, 'offset');
    const relative = this.view.getUint32(at, true);
    if (relative === 0) this.fail(`offset at byte ${at} is zero`);
    const target = at + relative;
    if (target >= this.length) this.fail(`offset at byte ${at} points to byte ${target}, past the end`);
    return target;
  }

  table(at: number, spec: TableSpec, depth: number): void {
    if (depth > MAX_TABLE_DEPTH) this.fail(`tables nested deeper than ${MAX_TABLE_DEPTH}`);
    this.need(at, 4, 4, 'table');
    const vtable = at - this.view.getInt32(at, true);
    this.need(vtable, 4, 2, 'vtable');
    const vtableSize = this.view.getUint16(vtable, true);
    const tableSize = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail(`vtable size ${vtableSize} is invalid`);
    this.need(vtable, vtableSize, 2, 'vtable');
    if (tableSize < 4) this.fail(`table size ${tableSize} is smaller than its vtable offset`);
    this.need(at, tableSize, 4, 'table');
    this.charge(tableSize);
    for (const field of spec.fields) {
      const offset = this.slot(vtable, vtableSize, field.id);
      this.trail.push(field.name);
      if (offset === 0) {
        if (field.required) this.fail('required field is missing');
      } else {
        this.field(at, tableSize, offset, field, depth, vtable, vtableSize);
      }
      this.trail.pop();
    }
  }

  private slot(vtable: number, vtableSize: number, id: number): number {
    const entry = 4 + 2 * id;
    return entry < vtableSize ? this.view.getUint16(vtable + entry, true) : 0;
  }

  /** Checks that a field of `size` bytes at table offset `offset` lies inside its table; returns its position. */
  private inline(table: number, tableSize: number, offset: number, size: number, align: number): number {
    if (offset < 4 || offset + size > tableSize) {
      this.fail(`field at table offset ${offset} (${size} bytes) lies outside its ${tableSize}-byte table`);
    }
    this.need(table + offset, size, align, 'field');
    return table + offset;
  }

  private field(
    table: number,
    tableSize: number,
    offset: number,
    field: FieldSpec,
    depth: number,
    vtable: number,
    vtableSize: number,
  ): void {
    switch (field.kind) {
      case 'scalar': {
        const at = this.inline(table, tableSize, offset, field.size, field.size);
        if (field.enumCount !== undefined) this.enumValue(at, field.enumCount);
        return;
      }
      case 'struct':
        this.inline(table, tableSize, offset, field.size, field.align);
        return;
      case 'string':
        this.string(this.follow(this.inline(table, tableSize, offset, 4, 4)));
        return;
      case 'table':
        this.table(this.follow(this.inline(table, tableSize, offset, 4, 4)), field.table, depth + 1);
        return;
      case 'table-vector': {
        const { first, length } = this.vector(this.follow(this.inline(table, tableSize, offset, 4, 4)), 4, 4);
        for (let i = 0; i < length; i += 1) {
          this.trail.push(i);
          this.table(this.follow(first + 4 * i), field.table, depth + 1);
          this.trail.pop();
        }
        return;
      }
      case 'struct-vector': {
        const { first, length } = this.vector(
          this.follow(this.inline(table, tableSize, offset, 4, 4)),
          field.size,
          field.align,
        );
        for (const e of field.enums ?? []) {
          for (let i = 0; i < length; i += 1) {
            this.trail.push(i, e.name);
            this.enumValue(first + i * field.size + e.offset, e.count);
            this.trail.pop();
            this.trail.pop();
          }
        }
        return;
      }
      case 'union': {
        this.trail[this.trail.length - 1] = `${field.name}_type`;
        const typeOffset = this.slot(vtable, vtableSize, field.typeId);
        const tag =
          typeOffset === 0 ? 0 : this.view.getUint8(this.inline(table, tableSize, typeOffset, 1, 1));
        if (tag === 0) this.fail('union value present but its type is NONE');
        const variant = field.variants[tag];
        if (!variant) this.fail(`unknown union type ${tag}`);
        this.trail[this.trail.length - 1] = field.name;
        this.table(this.follow(this.inline(table, tableSize, offset, 4, 4)), variant, depth + 1);
        return;
      }
    }
  }

  private enumValue(at: number, count: number): void {
    const value = this.view.getInt8(at);
    if (value < 0 || value >= count) this.fail(`enum value ${value} is out of range 0…${count - 1}`);
  }

  private vector(at: number, elementSize: number, align: number): { first: number; length: number } {
    this.need(at, 4, 4, 'vector length');
    const length = this.view.getUint32(at, true);
    const first = at + 4;
    if (length > (this.length - first) / elementSize) {
      this.fail(`vector of ${length} × ${elementSize} bytes at byte ${at} overflows the buffer`);
    }
    this.need(first, 0, align, 'vector');
    this.charge(4 + length * elementSize);
    return { first, length };
  }

  private string(at: number): void {
    this.need(at, 4, 4, 'string length');
    const length = this.view.getUint32(at, true);
    const first = at + 4;
    const end = first + length;
    if (length >= this.length - first)
      this.fail(`string of ${length} bytes at byte ${at} overflows the buffer`);
    if (this.bytes[end] !== 0) this.fail('string is not NUL-terminated');
    this.charge(5 + length);
    // A device's strings become evidence; replacing bad bytes would change them silently.
    for (let i = first; i < end; i += 1) {
      if ((this.bytes[i] ?? 0) >= 0x80) {
        try {
          utf8.decode(this.bytes.subarray(first, end));
        } catch {
          this.fail('string is not valid UTF-8');
        }
        return;
      }
    }
  }
}

/**
 * Verifies a whole buffer against a root table spec; throws MALFORMED_FLATBUFFER (with the field path in
 * its message and `violations`) at the first problem. Returns the root table's position.
 */
export function verifyFlatbuffer(bytes: Uint8Array, root: TableSpec): number {
  const verifier = new Verifier(bytes);
  if (bytes.length < 8) verifier.fail(`buffer of ${bytes.length} bytes is shorter than the smallest table`);
  const rootAt = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (rootAt < 4 || rootAt >= bytes.length) verifier.fail(`root offset ${rootAt} is outside the buffer`);
  verifier.table(rootAt, root, 1);
  return rootAt;
}
