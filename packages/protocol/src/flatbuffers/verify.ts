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
  // Offsets may be shared, so a small buffer can make a walk visit the same bytes again and again
  // (and a decoder build huge output). Every table, vector and string visited is charged its size;
  // a buffer without sharing costs at most its own length, so twice that is generous.
  private budget: number;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.budget = 2 * bytes.length + 64;
  }

  fail(path: string, message: string): never {
    throw new ProtocolError('MALFORMED_FLATBUFFER', `${path}: ${message}`, {
      violations: [{ path, message }],
    });
  }

  private need(at: number, size: number, align: number, path: string, what: string): void {
    if (at < 0 || at + size > this.bytes.length) {
      this.fail(
        path,
        `${what} at byte ${at} (${size} bytes) lies outside the ${this.bytes.length}-byte buffer`,
      );
    }
    if (at % align !== 0) this.fail(path, `${what} at byte ${at} is not ${align}-byte aligned`);
  }

  private charge(size: number, path: string): void {
    this.budget -= size;
    if (this.budget < 0)
      this.fail(path, 'offsets are shared so often that the message would expand without bound');
  }

  /** Follows the uoffset stored at `at`; returns the absolute position it names. */
  private follow(at: number, path: string): number {
    this.need(at, 4, 4, path, 'offset');
    const relative = this.view.getUint32(at, true);
    if (relative === 0) this.fail(path, `offset at byte ${at} is zero`);
    const target = at + relative;
    if (target >= this.bytes.length)
      this.fail(path, `offset at byte ${at} points to byte ${target}, past the end`);
    return target;
  }

  table(at: number, spec: TableSpec, path: string, depth: number): void {
    if (depth > MAX_TABLE_DEPTH) this.fail(path, `tables nested deeper than ${MAX_TABLE_DEPTH}`);
    this.need(at, 4, 4, path, `${spec.name} table`);
    const vtable = at - this.view.getInt32(at, true);
    this.need(vtable, 4, 2, path, `${spec.name} vtable`);
    const vtableSize = this.view.getUint16(vtable, true);
    const tableSize = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail(path, `vtable size ${vtableSize} is invalid`);
    this.need(vtable, vtableSize, 2, path, `${spec.name} vtable`);
    if (tableSize < 4) this.fail(path, `table size ${tableSize} is smaller than its vtable offset`);
    this.need(at, tableSize, 4, path, `${spec.name} table`);
    this.charge(tableSize, path);
    const slot = (id: number): number => {
      const entry = 4 + 2 * id;
      return entry < vtableSize ? this.view.getUint16(vtable + entry, true) : 0;
    };
    for (const field of spec.fields) {
      const fieldPath = `${path}.${field.name}`;
      const offset = slot(field.id);
      if (offset === 0) {
        if (field.required) this.fail(fieldPath, 'required field is missing');
        continue;
      }
      this.field(at, tableSize, offset, field, fieldPath, depth, slot);
    }
  }

  /** Checks that a field of `size` bytes at table offset `offset` lies inside its table; returns its position. */
  private inline(
    table: number,
    tableSize: number,
    offset: number,
    size: number,
    align: number,
    path: string,
  ): number {
    if (offset < 4 || offset + size > tableSize) {
      this.fail(
        path,
        `field at table offset ${offset} (${size} bytes) lies outside its ${tableSize}-byte table`,
      );
    }
    this.need(table + offset, size, align, path, 'field');
    return table + offset;
  }

  private field(
    table: number,
    tableSize: number,
    offset: number,
    field: FieldSpec,
    path: string,
    depth: number,
    slot: (id: number) => number,
  ): void {
    switch (field.kind) {
      case 'scalar': {
        const at = this.inline(table, tableSize, offset, field.size, field.size, path);
        if (field.enumCount !== undefined) this.enumValue(at, field.enumCount, path);
        return;
      }
      case 'struct':
        this.inline(table, tableSize, offset, field.size, field.align, path);
        return;
      case 'string':
        this.string(this.follow(this.inline(table, tableSize, offset, 4, 4, path), path), path);
        return;
      case 'table':
        this.table(
          this.follow(this.inline(table, tableSize, offset, 4, 4, path), path),
          field.table,
          path,
          depth + 1,
        );
        return;
      case 'table-vector': {
        const start = this.vector(
          this.follow(this.inline(table, tableSize, offset, 4, 4, path), path),
          4,
          4,
          path,
        );
        for (let i = 0; i < start.length; i += 1) {
          const elementPath = `${path}[${i}]`;
          this.table(this.follow(start.first + 4 * i, elementPath), field.table, elementPath, depth + 1);
        }
        return;
      }
      case 'struct-vector': {
        const start = this.vector(
          this.follow(this.inline(table, tableSize, offset, 4, 4, path), path),
          field.size,
          field.align,
          path,
        );
        for (const e of field.enums ?? []) {
          for (let i = 0; i < start.length; i += 1) {
            this.enumValue(start.first + i * field.size + e.offset, e.count, `${path}[${i}].${e.name}`);
          }
        }
        return;
      }
      case 'union': {
        const typePath = `${path.slice(0, path.lastIndexOf('.'))}.${field.name}_type`;
        const typeOffset = slot(field.typeId);
        const tag =
          typeOffset === 0 ? 0 : (this.bytes[this.inline(table, tableSize, typeOffset, 1, 1, typePath)] ?? 0);
        if (tag === 0) this.fail(typePath, 'union value present but its type is NONE');
        const variant = field.variants[tag];
        if (!variant) this.fail(typePath, `unknown union type ${tag}`);
        this.table(
          this.follow(this.inline(table, tableSize, offset, 4, 4, path), path),
          variant,
          path,
          depth + 1,
        );
        return;
      }
    }
  }

  private enumValue(at: number, count: number, path: string): void {
    const value = this.view.getInt8(at);
    if (value < 0 || value >= count) this.fail(path, `enum value ${value} is out of range 0…${count - 1}`);
  }

  private vector(
    at: number,
    elementSize: number,
    align: number,
    path: string,
  ): { first: number; length: number } {
    this.need(at, 4, 4, path, 'vector length');
    const length = this.view.getUint32(at, true);
    const first = at + 4;
    if (length > (this.bytes.length - first) / elementSize) {
      this.fail(path, `vector of ${length} × ${elementSize} bytes at byte ${at} overflows the buffer`);
    }
    this.need(first, 0, align, path, 'vector');
    this.charge(4 + length * elementSize, path);
    return { first, length };
  }

  private string(at: number, path: string): void {
    this.need(at, 4, 4, path, 'string length');
    const length = this.view.getUint32(at, true);
    const first = at + 4;
    if (length >= this.bytes.length - first)
      this.fail(path, `string of ${length} bytes at byte ${at} overflows the buffer`);
    if (this.bytes[first + length] !== 0) this.fail(path, 'string is not NUL-terminated');
    this.charge(5 + length, path);
    const text = this.bytes.subarray(first, first + length);
    // A device's strings become evidence; replacing bad bytes would change them silently.
    if (text.some((byte) => byte >= 0x80)) {
      try {
        utf8.decode(text);
      } catch {
        this.fail(path, 'string is not valid UTF-8');
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
  if (bytes.length < 8)
    verifier.fail('$', `buffer of ${bytes.length} bytes is shorter than the smallest table`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rootAt = view.getUint32(0, true);
  if (rootAt < 4 || rootAt >= bytes.length) verifier.fail('$', `root offset ${rootAt} is outside the buffer`);
  verifier.table(rootAt, root, '$', 1);
  return rootAt;
}
