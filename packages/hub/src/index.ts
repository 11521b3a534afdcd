/**
 * @vigil/hub: the IoT-Hub-compatible device gateway.
 */
export * from './contract/index.js';
export { createHub, runHub, type Hub, type RunHubOptions } from './composition/index.js';
export {
  resolveHubConfig,
  DEFAULT_HUB_LIMITS,
  DEFAULT_PORTS,
  type HubConfig,
  type HubLimits,
  type HubOptions,
  type ListenerOptions,
  type ListenersOptions,
} from './config/index.js';
export {
  HubError,
  HUB_ERROR_CODES,
  isHubError,
  type HubErrorCode,
  type HubViolation,
} from './errors/index.js';
export {
  issueCertificate,
  loadOrCreateTlsMaterial,
  TLS_FILES,
  type CertificateAndKey,
  type IssueCertificateOptions,
  type TlsMaterial,
} from './tls/index.js';
export { WEBSOCKET_PATH, type ListenerAddresses } from './listeners/index.js';
export {
  INGEST_PROPERTIES,
  DELIVERY_ACK_TIMEOUT_MS,
  D2C_REJECTION_REASONS,
  UNAUTHORIZED_OPERATION_REASONS,
  type D2cRejectionReason,
  type UnauthorizedOperationReason,
} from './gateway/index.js';
export { createOperationsSink, HUB_SCOPE_DEVICE_ID, type IngestOperationsSink } from './operations/index.js';
export { REFUSAL_CODES, evaluateIpFilter, type AuthMethod, type RefusalCode } from './auth/index.js';
export {
  createDeviceServices,
  createServiceApi,
  serviceApiPlugin,
  SERVICE_API_PREFIX,
  type DeviceServices,
  type DeviceServicesOptions,
  type ServiceApiOptions,
  type ServiceApiRole,
} from './service-api/index.js';
export {
  SERVICE_ERROR_CODES,
  ServiceError,
  isServiceError,
  type ServiceErrorCode,
  type ServiceViolation,
  type Registry,
  type CreateIdentityInput,
  type UpdateIdentityInput,
  type AuthInput,
  type IdentityView,
} from './registry/index.js';
export { type Twins, type TwinUpdate, type TwinView } from './twins/index.js';
export { METHOD_LIMITS, type Methods, type MethodInvocation, type MethodResult } from './methods/index.js';
export { type C2d, type C2dSendInput, type C2dPurgeResult } from './c2d/index.js';
export {
  DIAGNOSTIC_CATEGORIES,
  MAX_IP_FILTER_RULES,
  type Settings,
  type CertificateSettings,
  type AccessPolicySettings,
  type AccessPolicyInput,
  type PolicyKeySlot,
  IOT_HUB_POLICY_RIGHTS,
  type IpFilterInput,
  type IpFilterView,
} from './settings/index.js';
