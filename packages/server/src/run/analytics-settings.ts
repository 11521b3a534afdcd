import {
  DEFAULT_HUB_POSTURE,
  DEFAULT_SILENT_AFTER_MS,
  destinationViolations,
  type AlertDestination,
} from '@vigil/analytics';
import { tryParseDuration } from '@vigil/protocol';
import type { Violation } from '../api/errors.js';
import type { ServerOptions } from './start-server.js';

/**
 * The security center's part of `vigil serve`'s settings: where alert events are exported and the
 * detection thresholds an operator may tune. A section of its own, merged into `ServerSettings`.
 */
export interface AnalyticsSettings {
  /** Webhooks and syslog collectors receiving alert events (none by default); see the exporter's README. */
  readonly alertDestinations: readonly AlertDestination[];
  /** Silence before `Vigil_DeviceSilent`, an ISO 8601 duration (`PT72H` by default, at least `PT1M`). */
  readonly deviceSilentAfter: string;
  /** An accepting IPv4 IP-filter rule with a shorter prefix than this is a large range (default 16). */
  readonly ipFilterLargeRangeIpv4Prefix: number;
  /** The same for IPv6 (default 48). */
  readonly ipFilterLargeRangeIpv6Prefix: number;
}

/** The defaults: no export, the documented thresholds (docs/detections.md). */
export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = {
  alertDestinations: [],
  deviceSilentAfter: `PT${DEFAULT_SILENT_AFTER_MS / 3_600_000}H`,
  ipFilterLargeRangeIpv4Prefix: DEFAULT_HUB_POSTURE.maxIpv4PrefixWidth,
  ipFilterLargeRangeIpv6Prefix: DEFAULT_HUB_POSTURE.maxIpv6PrefixWidth,
};

/** Environment variables of this section (`VIGIL_ALERT_DESTINATIONS` holds a JSON list). */
export const ANALYTICS_ENVIRONMENT: Readonly<Record<string, keyof AnalyticsSettings>> = {
  VIGIL_ALERT_DESTINATIONS: 'alertDestinations',
  VIGIL_DEVICE_SILENT_AFTER: 'deviceSilentAfter',
  VIGIL_IP_FILTER_LARGE_RANGE_IPV4_PREFIX: 'ipFilterLargeRangeIpv4Prefix',
  VIGIL_IP_FILTER_LARGE_RANGE_IPV6_PREFIX: 'ipFilterLargeRangeIpv6Prefix',
};

/** The shortest silence accepted: the background checks run every 30 s, so less would be noise. */
const MIN_SILENT_AFTER_MS = 60_000;

const PREFIXES = [
  ['ipFilterLargeRangeIpv4Prefix', 32],
  ['ipFilterLargeRangeIpv6Prefix', 128],
] as const;

/**
 * Checks and normalizes this section of the merged settings in place (text from the environment or
 * flags becomes numbers and lists), adding every problem to `violations`, each located by where the
 * value came from. Messages never repeat a value: destinations carry secrets.
 */
export function checkAnalyticsSettings(
  merged: Record<string, unknown>,
  originOf: Readonly<Record<string, string>>,
  violations: Violation[],
): void {
  const at = (key: keyof AnalyticsSettings) => `${originOf[key] ?? 'defaults'}: ${key}`;

  let destinations = merged.alertDestinations;
  if (typeof destinations === 'string') {
    try {
      destinations = JSON.parse(destinations);
    } catch {
      // The parser's message quotes the text, which may hold a webhook secret: say only what is wrong.
      violations.push({ path: at('alertDestinations'), message: 'must be a JSON list of destinations' });
      destinations = [];
    }
  }
  for (const violation of destinationViolations(destinations)) {
    violations.push({
      path: `${at('alertDestinations')}${violation.path.replace(/^destinations/, '')}`,
      message: violation.message,
    });
  }
  merged.alertDestinations = destinations;

  const silent = merged.deviceSilentAfter;
  const parsed = typeof silent === 'string' ? tryParseDuration(silent) : undefined;
  if (parsed === undefined || !parsed.ok || parsed.ms < MIN_SILENT_AFTER_MS) {
    violations.push({
      path: at('deviceSilentAfter'),
      message: `must be an ISO 8601 duration of at least PT1M, such as PT72H${
        parsed !== undefined && !parsed.ok ? ` (${parsed.message})` : ''
      }`,
    });
  }

  for (const [key, max] of PREFIXES) {
    const value = merged[key];
    const prefix = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : value;
    if (typeof prefix !== 'number' || !Number.isInteger(prefix) || prefix < 1 || prefix > max) {
      violations.push({ path: at(key), message: `must be a prefix length from 1 to ${max}` });
    } else merged[key] = prefix;
  }
}

/** What `startServer` needs of this section. */
export function analyticsServerOptions(
  settings: AnalyticsSettings,
): Pick<ServerOptions, 'alertExport' | 'detection'> {
  const silent = tryParseDuration(settings.deviceSilentAfter);
  return {
    ...(settings.alertDestinations.length === 0
      ? {}
      : { alertExport: { destinations: settings.alertDestinations } }),
    detection: {
      ...(silent.ok ? { silentAfterMs: silent.ms } : {}),
      hubPosture: {
        maxIpv4PrefixWidth: settings.ipFilterLargeRangeIpv4Prefix,
        maxIpv6PrefixWidth: settings.ipFilterLargeRangeIpv6Prefix,
      },
    },
  };
}
