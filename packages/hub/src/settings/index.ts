/**
 * Hub settings (reference/iothub-mqtt.md §5.3): CA certificates with proof of possession, the IP
 * filter and diagnostic settings, every change recorded in the operations log.
 */
export { createSettings, type Settings, type IpFilterView } from './settings.js';
export {
  createCertificateSettings,
  VERIFICATION_CODE_TTL_MS,
  type CertificateSettings,
} from './certificates.js';
export {
  ipFilterViolations,
  ipMaskProblem,
  MAX_IP_FILTER_RULES,
  type IpFilterInput,
} from './ip-filter-rules.js';
export {
  createAccessPolicySettings,
  IOT_HUB_POLICY_RIGHTS,
  type AccessPolicyInput,
  type AccessPolicySettings,
  type PolicyKeySlot,
} from './access-policies.js';
export { diagnosticSettingViolations, DIAGNOSTIC_CATEGORIES } from './diagnostic-settings.js';
