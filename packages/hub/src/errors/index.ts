/** The gateway's error type and codes. */
export { HUB_ERROR_CODES, HubError, isHubError, type HubErrorCode, type HubViolation } from './hub-error.js';
