/**
 * Parser of the glibc `struct utmp` records of `/var/log/wtmp` (logins) and `/var/log/btmp` (failed
 * logins): 384 bytes each on 64-bit Linux, with 32-bit times (`__WORDSIZE_TIME64_COMPAT32`, see
 * `bits/utmp.h`). Little-endian machines only; the records are written in host order.
 */
import { formatIpv6 } from './inet-address.js';

/** Bytes per record. */
export const UTMP_RECORD_SIZE = 384;

/** `ut_type` values (`bits/utmp.h`). */
export const UTMP_TYPES = {
  EMPTY: 0,
  RUN_LVL: 1,
  BOOT_TIME: 2,
  NEW_TIME: 3,
  OLD_TIME: 4,
  INIT_PROCESS: 5,
  LOGIN_PROCESS: 6,
  USER_PROCESS: 7,
  DEAD_PROCESS: 8,
  ACCOUNTING: 9,
} as const;

/** One decoded record. */
export interface UtmpRecord {
  readonly type: number;
  readonly pid: number;
  /** Terminal (`pts/0`, `tty1`, `ssh:notty` in btmp). */
  readonly line: string;
  readonly user: string;
  /** Remote host name or address text as the login program wrote it. */
  readonly host: string;
  /** Remote address from `ut_addr_v6`, when set. */
  readonly address?: string;
  /** Epoch milliseconds. */
  readonly timeMs: number;
}

function cString(bytes: Uint8Array, start: number, length: number): string {
  const slice = bytes.subarray(start, start + length);
  const end = slice.indexOf(0);
  return new TextDecoder().decode(end < 0 ? slice : slice.subarray(0, end));
}

function address(bytes: Uint8Array, start: number): string | undefined {
  const a = bytes.subarray(start, start + 16);
  if (a.every((b) => b === 0)) return undefined;
  // IPv4 addresses fill only the first word (network byte order, as in_addr).
  if (a.subarray(4).every((b) => b === 0)) return [...a.subarray(0, 4)].join('.');
  return formatIpv6([...a]);
}

/** Decodes whole records; a trailing partial record (a file being written) is ignored. */
export function parseUtmp(bytes: Uint8Array): UtmpRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: UtmpRecord[] = [];
  for (let o = 0; o + UTMP_RECORD_SIZE <= bytes.length; o += UTMP_RECORD_SIZE) {
    const addr = address(bytes, o + 348);
    records.push({
      type: view.getInt16(o, true),
      pid: view.getInt32(o + 4, true),
      line: cString(bytes, o + 8, 32),
      user: cString(bytes, o + 44, 32),
      host: cString(bytes, o + 76, 256),
      ...(addr === undefined ? {} : { address: addr }),
      timeMs: view.getInt32(o + 340, true) * 1000 + Math.floor(view.getInt32(o + 344, true) / 1000),
    });
  }
  return records;
}

/** Encodes a record (for fixtures and tests; the agent never writes these files). */
export function encodeUtmp(
  r: Omit<UtmpRecord, 'address'> & { addressBytes?: readonly number[] },
): Uint8Array {
  const bytes = new Uint8Array(UTMP_RECORD_SIZE);
  const view = new DataView(bytes.buffer);
  const put = (s: string, at: number, max: number): void =>
    bytes.set(new TextEncoder().encode(s).subarray(0, max), at);
  view.setInt16(0, r.type, true);
  view.setInt32(4, r.pid, true);
  put(r.line, 8, 32);
  put(r.user, 44, 32);
  put(r.host, 76, 256);
  view.setInt32(340, Math.floor(r.timeMs / 1000), true);
  view.setInt32(344, (r.timeMs % 1000) * 1000, true);
  if (r.addressBytes !== undefined) bytes.set(r.addressBytes.slice(0, 16), 348);
  return bytes;
}
