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
} from './hub-types.js';
