/** Direct methods (reference/iothub-mqtt.md §3.4, §5.2): invoke with timeouts, answers correlated by `$rid`. */
export { createMethods, type Methods, type MethodsOptions } from './methods.js';
export {
  checkInvocation,
  METHOD_LIMITS,
  type MethodInvocation,
  type MethodResult,
} from './method-invocation.js';
