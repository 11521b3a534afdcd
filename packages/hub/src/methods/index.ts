/** Direct methods (reference/iothub-mqtt.md §3.4, §5.2): invoke with timeouts, answers correlated by `$rid`. */
export {
  createMethods,
  METHOD_LIMITS,
  type Methods,
  type MethodsOptions,
  type MethodInvocation,
  type MethodResult,
} from './methods.js';
