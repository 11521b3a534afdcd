/**
 * The service side of the hub: {@link createDeviceServices} (registry, twins, methods, C2D, settings
 * over one store and the gateway's channel) and the HTTP service API over them.
 */
export { createDeviceServices, type DeviceServices, type DeviceServicesOptions } from './device-services.js';
