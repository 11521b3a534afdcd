/**
 * @vigil/analytics: the security center — built-in and custom alerts, recommendations and threat
 * intelligence. The detection core is pure (messages and operations in, findings out; rules as data).
 */
export type { AlertFinding, RecommendationFinding, Finding } from './findings/finding.js';
export { ALERT_TYPES, type AlertType } from './catalogue/alert-types.js';
export { RECOMMENDATION_TYPES, type RecommendationType } from './catalogue/recommendation-types.js';
export { COMMAND_LINE_RULES, type CommandLineRule } from './catalogue/command-line-rules.js';
export {
  RANGE_RULE_TYPES,
  DEFAULT_RULE_WINDOW,
  defaultSecurityGroupRules,
  isOutsideRange,
  type RangeRuleType,
  type RangeRuleSource,
} from './catalogue/custom-rules.js';
export type { DeviceMessage, ThreatIntelHit, ThreatIntelLookup } from './detect/context.js';
export { matchCommandLine, detectProcessAlerts } from './detect/process-alerts.js';
export { detectSuspiciousIp } from './detect/suspicious-ip.js';
export {
  DEFAULT_BRUTE_FORCE,
  detectBruteForce,
  emptyBruteForceState,
  type BruteForceOptions,
  type BruteForceState,
} from './detect/brute-force.js';
export { assessDevicePosture } from './detect/device-posture.js';
export { ALLOWLIST_RULES, detectAllowlistViolations, type AllowlistRuleId } from './detect/allowlists.js';
export { detectHubAlerts } from './detect/hub-alerts.js';
export {
  DEFAULT_HUB_POSTURE,
  HUB_POSTURE_TYPE_IDS,
  assessHubPosture,
  type HubPostureOptions,
} from './detect/hub-posture.js';
export { parseCidr, cidrContains, type ParsedCidr } from './detect/cidr.js';
export {
  detectDeviceMessage,
  emptyDeviceDetectionState,
  type DeviceDetectionContext,
  type DeviceDetectionState,
} from './detect/device-detections.js';
export {
  createAnalyticsRunner,
  DEFAULT_BACKLOG_UNIT_BUDGET_MS,
  DEFAULT_UNIT_BUDGET_MS,
  emptyStats as emptyAnalyticsStats,
  type AnalyticsRunner,
  type AnalyticsRunnerOptions,
  type AnalyticsRunnerStats,
} from './runner/runner.js';
export { DEFAULT_SILENT_AFTER_MS } from './runner/periodic.js';
export {
  SECURITY_MODULE_ID,
  SECURITY_GROUP_TAG,
  DEFAULT_SECURITY_GROUP,
  isSecurityRecord,
  type SecurityMessageDecoder,
} from './runner/device-record.js';
export {
  ALERT_DEDUP_WINDOW_MS,
  observeAlertStatus,
  type AlertHook,
  type AlertStatusHook,
} from './runner/apply-findings.js';
export {
  AlertExportConfigError,
  CEF_SEVERITY,
  DEFAULT_RETRY,
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  SYSLOG_FACILITIES,
  SYSLOG_SEVERITY,
  UDP_MAX_BYTES,
  backoffDelay,
  createAlertExporter,
  escapeCefHeader,
  escapeCefValue,
  exportOnAlert,
  exportOnStatusChange,
  destinationViolations,
  validateDestinations,
  LIFECYCLE_EVENTS,
  formatCef,
  formatSyslog,
  frameOctetCounted,
  parseRetryAfter,
  signBody,
  type AlertDestination,
  type AlertExportEvent,
  type CefOptions,
  type ExportConfigViolation,
  type SyslogHeader,
  type AlertExportFailure,
  type AlertExporter,
  type AlertExporterOptions,
  type DestinationStats,
  type ExportFailureReason,
  type RetryPolicy,
  type SyslogDestination,
  type WebhookDestination,
  type WebhookPayload,
} from './export/index.js';
export {
  DEFAULT_FEED_LIMITS,
  RESERVED_V4,
  RESERVED_V6,
  SET_ASIDE_REASONS,
  ThreatIntelIndex,
  createFeedLoader,
  entryLine,
  entryText,
  formatIPv4,
  formatIPv6,
  parseFeed,
  parseIPv4,
  parseIPv6,
  resolveLimits,
  toLoadRecord,
  type FeedError,
  type FeedErrorCode,
  type FeedLimits,
  type FeedLineError,
  type FeedLoader,
  type FeedLoaderClock,
  type FeedLoaderOptions,
  type FeedLoaderTimers,
  type FeedLoadReport,
  type FeedParseOptions,
  type FeedParseOutcome,
  type FeedParseReport,
  type ParsedFeed,
  type ReservedRange,
  type SetAsideReason,
  type ThreatIntelIndexStats,
  type ThreatIntelMatch,
} from './threat-intel/index.js';
