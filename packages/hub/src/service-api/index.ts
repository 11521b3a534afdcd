/**
 * The service side of the hub: {@link createDeviceServices} (registry, twins, methods, C2D, settings
 * over one store and the gateway's channel) and the HTTP service API over them, served under
 * `/api/hub` by {@link createServiceApi} or mounted with {@link serviceApiPlugin}.
 */
export { createDeviceServices, type DeviceServices, type DeviceServicesOptions } from './device-services.js';
export {
  createServiceApi,
  serviceApiPlugin,
  SERVICE_API_PREFIX,
  MAX_SERVICE_API_BODY_BYTES,
  type ServiceApiOptions,
} from './create-service-api.js';
export { MIN_TOKEN_LENGTH, type ServiceApiRole } from './auth.js';
