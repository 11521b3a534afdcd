import type { JsonObject, Millis, Page } from './common.js';

/** What analytics keeps per device (open ports, baseline results, …) plus its security group. */
export interface DeviceSecurityState {
  readonly deviceId: string;
  readonly securityGroup: string;
  readonly lastMessageAt: Millis | null;
  readonly state: JsonObject;
  /** Bumped by every write; pass it back as `expectedVersion` for optimistic concurrency. */
  readonly version: number;
  readonly updatedAt: Millis;
}

/** Per-device security state. */
export interface DeviceStateRepository {
  get(deviceId: string): Promise<DeviceSecurityState | undefined>;
  /**
   * Writes the state. With `expectedVersion` the write applies only if the stored version still is
   * that (0 = must not exist yet), else `PRECONDITION_FAILED`.
   */
  put(
    state: Pick<DeviceSecurityState, 'deviceId' | 'securityGroup' | 'lastMessageAt' | 'state'>,
    options?: { readonly expectedVersion?: number; readonly now?: Millis },
  ): Promise<DeviceSecurityState>;
  /**
   * Devices whose last message is older than `before` (silent devices), oldest first (ties by device
   * id). `after` is a cursor: pass the last row of a page to get the next one.
   */
  listSilent(
    before: Millis,
    options?: Page & {
      readonly after?: Pick<DeviceSecurityState, 'deviceId'> & { readonly lastMessageAt: Millis };
    },
  ): Promise<DeviceSecurityState[]>;
}
