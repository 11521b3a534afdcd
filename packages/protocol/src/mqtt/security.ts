import type { PropertyBag } from './property-bag.js';

/**
 * The IoT Hub interface id that marks a D2C message as a security message, sent as
 * `%24.ifid=urn%3Aazureiot%3ASecurity%3ASecurityAgent%3A1` (reference/azure-security-module.md §2.7).
 */
export const SECURITY_INTERFACE_ID = 'urn:azureiot:Security:SecurityAgent:1';

/**
 * The application property that names a security message's schema and encoding, for example `2.3-1-0-0`
 * for the RTOS FlatBuffers schema. It is an ordinary application property on the wire, not a system one
 * (reference/azure-security-module.md §1.8).
 */
export const MTI_PROPERTY = 'mti';

/** True when the bag carries the security marker (`$.ifid` equal to {@link SECURITY_INTERFACE_ID}, exactly). */
export function isSecurityMessage(properties: Pick<PropertyBag, 'system'>): boolean {
  return properties.system.interfaceId === SECURITY_INTERFACE_ID;
}

/**
 * The `mti` application property as sent, or `undefined` when it is absent or a bare key.
 * Parsing its `<major>.<minor>-<encoding>-<source>-<type>` shape belongs to the security message decoders.
 */
export function getMti(properties: Pick<PropertyBag, 'application'>): string | undefined {
  const value = properties.application[MTI_PROPERTY];
  return typeof value === 'string' ? value : undefined;
}
