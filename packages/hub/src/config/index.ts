/** Hub options, their defaults and their one-time validation. */
export {
  DEFAULT_HUB_LIMITS,
  DEFAULT_PORTS,
  type HubConfig,
  type HubLimits,
  type HubOptions,
  type ListenerOptions,
  type ListenersOptions,
} from './hub-options.js';
export { resolveHubConfig } from './validate.js';
