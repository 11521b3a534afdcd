/**
 * @vigil/api-client: a typed client for Vigil's HTTP API, on `fetch` alone so the CLI (Node) and the
 * dashboard (browser) share it.
 */
export {
  VigilClient,
  type AlertDetail,
  type AlertPage,
  type AlertQuery,
  type ClientOptions,
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
} from './hub-types.js';
export type { FeedInput, FeedSetAsideReason, FeedStatus, FeedView } from './threat-intel-types.js';
