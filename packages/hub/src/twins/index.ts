/**
 * Device and module twins (reference/iothub-mqtt.md §3.3, §4): the device side (GET, reported
 * PATCH, desired pushes) and the service side (get, tags and desired updates under an etag).
 */
export { createTwins, type Twins, type TwinUpdate } from './twins.js';
export { createTwinDeviceService, MAX_TWIN_REQUESTS_IN_FLIGHT } from './twin-device-service.js';
export { TWIN_LIMITS, twinPatchViolations, twinSectionSize, type TwinSection } from './twin-limits.js';
export { deviceTwinBody, twinView, FRESH_TWIN_ETAG, type TwinView } from './twin-views.js';
