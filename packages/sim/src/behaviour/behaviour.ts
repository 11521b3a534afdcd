import type { PropertyBagInput } from '@vigil/protocol';

/** A message a simulated device publishes: body plus the property bag of its D2C topic. */
export interface OutgoingMessage {
  readonly body: Uint8Array;
  readonly properties: PropertyBagInput;
}

/** What a simulated device does over time: asked on every tick for the messages it sends now. */
export interface DeviceBehaviour {
  tick(now: number): OutgoingMessage[];
  /** True once the device played its attack scenario (absent for devices that never attack). */
  attacked?(): boolean;
}

/** The device profiles the simulator can play. */
export const DEVICE_PROFILES = ['json-agent', 'rtos', 'telemetry'] as const;
/** One of {@link DEVICE_PROFILES}. */
export type DeviceProfile = (typeof DEVICE_PROFILES)[number];
