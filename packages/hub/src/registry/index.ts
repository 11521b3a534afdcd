/**
 * The identity registry as the service API drives it (create with generated keys, update, delete,
 * connection strings), plus what every device service shares: the {@link ServiceError} type and the
 * {@link ServiceContext}.
 */
export {
  SERVICE_ERROR_CODES,
  SERVICE_ERROR_STATUS,
  IOT_HUB_ERROR_CODES,
  ServiceError,
  isServiceError,
  toServiceError,
  validationFailed,
  type ServiceErrorCode,
  type ServiceViolation,
} from './service-error.js';
export { recordOperation, runAsCaller, type OperationCaller, type ServiceContext } from './context.js';
export { identityLabel, identityView, type IdentityView } from './identity-views.js';
export { checkIds, resolveAuth, type AuthInput } from './auth-input.js';
export {
  createRegistry,
  type Registry,
  type CreateIdentityInput,
  type UpdateIdentityInput,
  type ConnectionStringOptions,
} from './registry.js';
