import type { DiagnosticSetting } from '@vigil/storage';
import type { ServiceViolation } from '../registry/index.js';

/**
 * IoT Hub's resource-log categories a diagnostic setting may send (reference/iothub-mqtt.md §5.3;
 * the full list is [UNVERIFIED] there, these are the documented Azure Monitor categories).
 */
export const DIAGNOSTIC_CATEGORIES = [
  'Connections',
  'DeviceTelemetry',
  'C2DCommands',
  'DeviceIdentityOperations',
  'FileUploadOperations',
  'Routes',
  'D2CTwinOperations',
  'C2DTwinOperations',
  'TwinQueries',
  'JobsOperations',
  'DirectMethods',
  'DistributedTracing',
  'Configurations',
  'DeviceStreams',
] as const;

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_DESTINATION = 1024;

/** Every problem with a diagnostic setting, with paths. */
export function diagnosticSettingViolations(setting: DiagnosticSetting): ServiceViolation[] {
  const out: ServiceViolation[] = [];
  if (!NAME.test(setting.name))
    out.push({ path: 'name', message: 'must be 1–128 letters, digits, "_", "." or "-"' });
  if (setting.destination.trim().length === 0 || setting.destination.length > MAX_DESTINATION) {
    out.push({ path: 'destination', message: `must be 1–${MAX_DESTINATION} characters` });
  }
  if (setting.categories.length === 0)
    out.push({ path: 'categories', message: 'name at least one category' });
  const seen = new Set<string>();
  setting.categories.forEach((category, index) => {
    if (!(DIAGNOSTIC_CATEGORIES as readonly string[]).includes(category)) {
      out.push({
        path: `categories[${index}]`,
        message: `must be one of ${DIAGNOSTIC_CATEGORIES.join(', ')}`,
      });
    } else if (seen.has(category)) {
      out.push({ path: `categories[${index}]`, message: `${category} is listed twice` });
    }
    seen.add(category);
  });
  return out;
}
