/**
 * @vigil/api-client: a typed client for Vigil's HTTP API, on `fetch` alone so the CLI (Node) and the
 * dashboard (browser) share it.
 */
export {
  VigilClient,
  type AlertDetail,
  type AlertPage,
  type AlertQuery,
  type ApiTokenView,
  type ClientOptions,
  type Page,
  type Posture,
} from './client.js';
export { VigilApiError, readApiError, type ApiViolation } from './api-error.js';
export type {
  DevicePage,
  IdentityRef,
  IdentityView,
  Json,
  MethodCall,
  MethodResult,
  NewIdentityInput,
  TwinPatch,
  TwinView,
  UpdateIdentityInput,
} from './hub-types.js';
export type { FeedInput, FeedSetAsideReason, FeedStatus, FeedView } from './threat-intel-types.js';
export {
  C2dApi,
  type C2dAck,
  type C2dMessageView,
  type C2dPurgeResult,
  type C2dSendInput,
  type C2dState,
} from './c2d.js';
export { CertificatesApi, type CaCertificateView, type VerificationCode } from './certificates.js';
export {
  IpFilterApi,
  type IpFilter,
  type IpFilterAction,
  type IpFilterRule,
  type IpFilterView,
} from './ip-filter.js';
export { DiagnosticSettingsApi, type DiagnosticSetting } from './diagnostic-settings.js';
export { OperationsApi, type OperationPage, type OperationQuery, type OperationView } from './operations.js';
export {
  SecurityGroupsApi,
  type AllowlistRule,
  type GroupRule,
  type RangeRule,
  type RuleUpdate,
  type SecurityGroupView,
} from './security-groups.js';
export type { Requester } from './request.js';
